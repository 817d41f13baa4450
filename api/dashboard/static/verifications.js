// Progressive enhancement of the Verifications page: "+ New Verification" opens its <dialog>
// instead of the /new page, Generate fills a reference in place, and the "Verification Created"
// dialog opens as a modal (copy.js drives its Copy button). Every control works without this file
// (links and form posts), so nothing here is required.
(() => {
  const $ = (selector, root = document) => root.querySelector(selector);

  const showModal = (dialog) => {
    if (!dialog || typeof dialog.showModal !== "function") return false;
    if (dialog.open) dialog.close();
    dialog.showModal();
    return true;
  };

  for (const opener of document.querySelectorAll("[data-action='open-new-verification']")) {
    opener.addEventListener("click", (event) => {
      if (showModal($("#new-verification-dialog"))) event.preventDefault();
    });
  }

  for (const button of document.querySelectorAll("[data-action='generate-ref']")) {
    button.addEventListener("click", (event) => {
      const input = $("input[name='external_ref']", button.form ?? document);
      if (!input || !globalThis.crypto?.getRandomValues) return;
      event.preventDefault();
      const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
      const bytes = crypto.getRandomValues(new Uint8Array(16));
      input.value = `ref_${Array.from(bytes, (b) => alphabet[b % alphabet.length]).join("")}`;
      input.focus();
    });
  }

  const created = $("#verification-created-dialog");
  if (created) showModal(created);
})();
