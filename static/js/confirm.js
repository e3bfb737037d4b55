// Safe actions: a form with data-confirm asks first in a native <dialog> saying what will happen,
// and every form with data-confirm or data-once disables its buttons while it is posting.
// Without JavaScript the forms post at once; the server answers a repeated transition with its
// success (workflow.AlreadyDone), so a double click is harmless either way.
(function () {
  "use strict";
  const dialog = document.getElementById("confirm-dialog");
  const message = document.getElementById("confirm-dialog-message");
  const okButton = document.getElementById("confirm-dialog-ok");
  let pending = null;

  const guarded = (form) => form.dataset.confirm !== undefined || form.dataset.once !== undefined;

  function markSending(form, submitter) {
    form.dataset.sending = "true";
    // Disabled after the browser has collected the form, so the clicked button's value is sent.
    window.setTimeout(() => {
      form.querySelectorAll("button, input[type=submit]").forEach((button) => {
        button.disabled = true;
      });
      if (submitter && submitter.tagName === "BUTTON") {
        submitter.dataset.label = submitter.textContent;
        submitter.textContent = "Đang gửi…";
      }
    }, 0);
  }

  document.addEventListener(
    "submit",
    (event) => {
      const form = event.target;
      if (!(form instanceof HTMLFormElement) || !guarded(form)) return;
      if (form.dataset.sending === "true") {
        event.preventDefault();
        return;
      }
      const canAsk = dialog && typeof dialog.showModal === "function";
      if (form.dataset.confirm && form.dataset.confirmed !== "true" && canAsk) {
        event.preventDefault();
        pending = { form: form, submitter: event.submitter || null };
        message.textContent = form.dataset.confirm;
        okButton.textContent = form.dataset.confirmOk || "Đồng ý";
        dialog.returnValue = "";
        dialog.showModal();
        return;
      }
      delete form.dataset.confirmed;
      markSending(form, event.submitter || null);
    },
    true,
  );

  if (dialog) {
    dialog.addEventListener("close", () => {
      const chosen = pending;
      pending = null;
      if (!chosen || dialog.returnValue !== "ok") return;
      chosen.form.dataset.confirmed = "true";
      if (chosen.submitter) chosen.form.requestSubmit(chosen.submitter);
      else chosen.form.requestSubmit();
    });
  }

  // Coming back with the browser's Back button shows the page as it was left: enable it again.
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-sending]").forEach((form) => {
      delete form.dataset.sending;
      form.querySelectorAll("button, input[type=submit]").forEach((button) => {
        button.disabled = false;
        if (button.dataset.label) button.textContent = button.dataset.label;
      });
    });
  });
})();
