// Small behaviours wired by data attributes, so templates carry no inline
// script or style attribute (the Content-Security-Policy allows neither).
document.addEventListener("click", function (event) {
  var target = event.target.closest("[data-action='print']");
  if (target) {
    event.preventDefault();
    window.print();
  }
});

// Progress bars carry their percentage in data-progress; the width is set
// through the CSSOM, which the policy allows, unlike style="width: …".
function openiopApplyProgress(root) {
  var bars = root.querySelectorAll ? root.querySelectorAll("[data-progress]") : [];
  if (root.matches && root.matches("[data-progress]")) {
    bars = [root].concat(Array.prototype.slice.call(bars));
  }
  Array.prototype.forEach.call(bars, function (bar) {
    var percent = Math.max(0, Math.min(100, parseFloat(bar.getAttribute("data-progress")) || 0));
    bar.style.width = percent + "%";
  });
}
openiopApplyProgress(document);
// Content swapped in by htmx gets the same treatment.
document.addEventListener("htmx:load", function (event) {
  openiopApplyProgress(event.detail.elt);
});
