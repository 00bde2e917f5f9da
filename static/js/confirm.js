// Confirmation before an action that cannot be taken back. A submit button
// (or a form) with data-confirm="question" opens the dialog of
// templates/includes/_confirm_dialog.html instead of sending; its Confirm
// button sends the form with confirm=yes, which the server requires. The focus
// starts on "Go back" (the safe choice) and returns to the button on cancel.
(function () {
  "use strict";
  var root = document.getElementById("confirm-dialog");
  if (!root || !window.bootstrap) return;
  var modal = new window.bootstrap.Modal(root);
  var text = root.querySelector("[data-confirm-text]");
  var accept = root.querySelector("[data-confirm-accept]");
  var cancel = root.querySelector("[data-confirm-cancel]");
  var acceptLabel = accept.textContent;
  var pending = null;
  var accepted = false;

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      var submitter = event.submitter || null;
      var source = submitter && submitter.hasAttribute("data-confirm") ? submitter : form;
      if (!source.hasAttribute || !source.hasAttribute("data-confirm")) return;
      if (form.dataset.confirmed === "1") {
        delete form.dataset.confirmed;
        return;
      }
      event.preventDefault();
      event.stopImmediatePropagation();
      pending = { form: form, submitter: submitter, source: source };
      accepted = false;
      text.textContent = source.getAttribute("data-confirm");
      accept.textContent = source.getAttribute("data-confirm-label") || acceptLabel;
      modal.show();
    },
    true
  );

  root.addEventListener("shown.bs.modal", function () {
    cancel.focus();
  });

  accept.addEventListener("click", function () {
    if (!pending) return;
    accepted = true;
    var form = pending.form;
    var field = form.querySelector("input[name=confirm]");
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = "confirm";
      form.appendChild(field);
    }
    field.value = "yes";
    form.dataset.confirmed = "1";
    modal.hide();
    if (pending.submitter) {
      form.requestSubmit(pending.submitter);
    } else {
      form.requestSubmit();
    }
  });

  root.addEventListener("hidden.bs.modal", function () {
    if (pending && !accepted) {
      (pending.submitter || pending.source).focus();
    }
    pending = null;
  });
})();
