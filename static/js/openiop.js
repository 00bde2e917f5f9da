// Small behaviours wired by data attributes, so templates carry no inline script.
document.addEventListener("click", function (event) {
  var target = event.target.closest("[data-action='print']");
  if (target) {
    event.preventDefault();
    window.print();
  }
});
