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

// An attendance change can be undone for a few seconds (the button the saved
// row brings); then the button goes. If it has the focus, the focus moves to
// the row's checked choice rather than being lost.
(function () {
  "use strict";
  var UNDO_SECONDS = 8;
  function expire(root) {
    var buttons = root.querySelectorAll ? root.querySelectorAll("[data-undo]") : [];
    Array.prototype.forEach.call(buttons, function (button) {
      window.setTimeout(function () {
        if (!button.isConnected) return;
        var row = button.closest(".roster-row");
        var hadFocus = document.activeElement === button;
        button.remove();
        if (hadFocus && row) {
          var checked = row.querySelector("input[type=radio]:checked");
          if (checked) checked.focus();
        }
      }, UNDO_SECONDS * 1000);
    });
  }
  document.addEventListener("htmx:load", function (event) { expire(event.detail.elt); });
  // Undone: the row comes back without the button; the focus goes to its
  // checked choice.
  var undoneRow = null;
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-undo]");
    if (button) undoneRow = button.closest(".roster-row").id;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!undoneRow) return;
    var row = document.getElementById(undoneRow);
    undoneRow = null;
    var checked = row && row.querySelector("input[type=radio]:checked");
    if (checked) checked.focus();
  });
})();
