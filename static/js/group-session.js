// Group session page.
(function () {
  "use strict";

  // Choosing a participation level starts an empty remark with that level's
  // words, to be individualized (identical lines are flagged). The focus
  // stays on the select: moving it on change would surprise a keyboard user
  // (WCAG 3.2.2, on input).
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.classList || !select.classList.contains("participation")) return;
    var remark = document.getElementById(select.dataset.remark);
    if (!remark || remark.value.trim() !== "" || select.value === "") return;
    remark.value = select.options[select.selectedIndex].text + ": ";
    grow(remark);
  });

  // A remark box grows with its text, so nothing written is cut off: CSS's
  // field-sizing does it; where a browser lacks it, the height is set here,
  // through the CSSOM (which the Content-Security-Policy allows).
  var sized = window.CSS && CSS.supports && CSS.supports("field-sizing", "content");
  function grow(box) {
    if (sized) return;
    box.style.height = "auto";
    box.style.height = box.scrollHeight + 2 + "px";
  }
  function growAll(root) {
    var boxes = root.querySelectorAll ? root.querySelectorAll("[data-autogrow]") : [];
    Array.prototype.forEach.call(boxes, grow);
  }
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("[data-autogrow]")) grow(event.target);
  });
  window.addEventListener("resize", function () { growAll(document); });
  document.addEventListener("htmx:load", function (event) { growAll(event.detail.elt); });
  growAll(document);

  // Alt+N and Alt+P move to the next and previous client's first control
  // (the help text above the roster says so); Tab then goes through that
  // client's controls in order.
  var CONTROLS = "input:not([type=hidden]):not(:disabled), select:not(:disabled), textarea:not(:disabled)";

  function firstControl(row) {
    var control = row.querySelector(CONTROLS);
    if (control && control.type === "radio") {
      var checked = row.querySelector("input[type=radio][name='" + control.name + "']:checked");
      return checked || control;
    }
    return control || row.querySelector("th");
  }

  document.addEventListener("keydown", function (event) {
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    var step = event.code === "KeyN" ? 1 : event.code === "KeyP" ? -1 : 0;
    if (!step) return;
    var rows = Array.prototype.slice.call(document.querySelectorAll("[data-roster] .roster-row"));
    if (!rows.length) return;
    event.preventDefault();
    var current = rows.indexOf(document.activeElement && document.activeElement.closest(".roster-row"));
    var next = current === -1 ? (step > 0 ? 0 : rows.length - 1) : current + step;
    if (next < 0 || next >= rows.length) return;
    var target = firstControl(rows[next]);
    target.focus();
    target.scrollIntoView({ block: "nearest" });
  });
})();
