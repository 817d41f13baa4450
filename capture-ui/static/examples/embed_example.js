/**
 * The example host page's script: opens the capture URL with verifa.js in each mode and writes
 * every callback on the page (the browser tests read #result's data-session-id).
 */
(() => {
  const actions = document.querySelector("[data-capture-url]");
  const captureUrl = actions.dataset.captureUrl;
  const result = document.getElementById("result");
  const events = document.getElementById("events");

  const log = (text) => {
    const item = document.createElement("li");
    item.textContent = `${new Date().toLocaleTimeString()} ${text}`;
    events.append(item);
  };

  const open = (mode) => {
    log(`Verifa.open({ mode: "${mode}" })`);
    Verifa.open({
      captureUrl,
      mode,
      onComplete({ sessionId, status }) {
        result.dataset.sessionId = sessionId;
        result.dataset.status = status;
        result.textContent = `onComplete: session ${sessionId}, status ${status}`;
        log(`onComplete ${sessionId} ${status}`);
      },
      onClose() {
        log("onClose");
      },
      onError({ code, message }) {
        result.dataset.error = code;
        log(`onError ${code}: ${message}`);
      },
    });
  };

  for (const mode of ["modal", "popup", "redirect"]) {
    document.getElementById(`open-${mode}`).addEventListener("click", () => open(mode));
  }
})();
