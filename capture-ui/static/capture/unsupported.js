/*
 * Runs only in browsers without ES modules (the page loads it with `nomodule`), which cannot run
 * the capture flow: it shows the page's "unsupported browser" screen. ES5 on purpose, and without
 * `var` (function parameters hold the elements) so it passes the linter's no-var rule.
 */
(function (host, template) {
  if (!host || !template) return; // The expired-link page has no templates and needs no script.
  host.innerHTML = template.innerHTML;
  document.body.setAttribute("data-current-screen", "error-unsupported");
})(document.querySelector("[data-screen-host]"), document.querySelector("[data-screen-template=error-unsupported]"));
