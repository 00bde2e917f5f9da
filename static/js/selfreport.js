// The self-report form, one question at a time (progressive enhancement).
// Without this script every question is on one page and the form works the
// same. With it, and the "one question at a time" layout chosen, one
// fieldset shows at once with Back and Next buttons; the focus moves to the
// question shown, and the progress bar follows the answers given. Nothing is
// stored anywhere until the form is sent.
(function () {
  "use strict";
  var form = document.getElementById("selfreport-form");
  if (!form) return;
  var items = Array.prototype.slice.call(form.querySelectorAll("[data-item]"));
  var progress = document.getElementById("progress");
  var progressText = document.getElementById("progress-text");
  var submit = form.querySelector("[data-submit]");

  function answered() {
    return items.filter(function (item) {
      return item.querySelector("input:checked") !== null;
    }).length;
  }

  function updateProgress() {
    var count = answered();
    if (progress) progress.value = count;
    if (progressText) progressText.textContent = count + " / " + items.length;
  }

  form.addEventListener("change", updateProgress);
  updateProgress();

  if (form.getAttribute("data-layout") !== "one" || items.length < 2) return;

  var current = 0;
  var nav = document.createElement("div");
  nav.className = "d-flex gap-2 mb-3";
  var back = document.createElement("button");
  back.type = "button";
  back.className = "btn btn-outline-secondary btn-lg flex-fill";
  back.textContent = form.getAttribute("data-back");
  var next = document.createElement("button");
  next.type = "button";
  next.className = "btn btn-primary btn-lg flex-fill";
  next.textContent = form.getAttribute("data-next");
  var status = document.createElement("p");
  status.className = "small text-body-secondary mb-2";
  status.setAttribute("aria-live", "polite");
  nav.appendChild(back);
  nav.appendChild(next);
  submit.parentNode.insertBefore(status, submit);
  submit.parentNode.insertBefore(nav, submit);

  function show(index, focus) {
    current = Math.max(0, Math.min(index, items.length - 1));
    items.forEach(function (item, position) {
      item.hidden = position !== current;
    });
    var last = current === items.length - 1;
    back.hidden = current === 0;
    next.hidden = last;
    submit.hidden = !last;
    status.textContent = form
      .getAttribute("data-question-of")
      .replace("%(number)s", String(current + 1))
      .replace("%(total)s", String(items.length));
    if (focus) {
      var legend = items[current].querySelector("legend");
      legend.setAttribute("tabindex", "-1");
      legend.focus();
    }
  }

  back.addEventListener("click", function () {
    show(current - 1, true);
  });
  next.addEventListener("click", function () {
    show(current + 1, true);
  });
  // The error summary's links open the question they name.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("#error-summary a[href^='#item-']");
    if (!link) return;
    var target = document.getElementById(link.getAttribute("href").slice(1));
    var index = items.indexOf(target);
    if (index >= 0) {
      event.preventDefault();
      show(index, true);
    }
  });

  var firstError = items.findIndex(function (item) {
    return item.hasAttribute("aria-describedby");
  });
  show(firstError >= 0 ? firstError : 0, false);
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
