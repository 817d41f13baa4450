// Copy buttons, for any dashboard page: a button with data-action="copy" copies the text (or the
// value) of the element its data-copy-target names. Without this script the text stays selectable.
for (const button of document.querySelectorAll("[data-action='copy']")) {
  button.addEventListener("click", async () => {
    const source = document.getElementById(button.dataset.copyTarget ?? "");
    if (!source) return;
    try {
      await navigator.clipboard.writeText(source.value ?? source.textContent ?? "");
      button.textContent = "Copied";
    } catch {
      getSelection()?.selectAllChildren(source);
    }
  });
}
