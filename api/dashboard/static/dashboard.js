// The shell's behaviour: the sandbox/live switch submits on change (the button stays for no-JS).
for (const select of document.querySelectorAll('select[data-action="switch-environment"]')) {
  select.addEventListener("change", () => select.form.requestSubmit());
}
