// Small behaviour of our own, in a file (the Content-Security-Policy allows no inline script).

// Dossier tabs loaded with htmx: the tab whose panel was just loaded is the current one.
document.addEventListener("htmx:afterRequest", (event) => {
  const link = event.detail.elt;
  if (!(link instanceof Element) || !link.classList.contains("app-tabs__link")) {
    return;
  }
  document.querySelectorAll(".app-tabs__link").forEach((a) => a.removeAttribute("aria-current"));
  link.setAttribute("aria-current", "page");
});

// A refused form: focus moves to its error summary, so the reader hears what to fix first
// (after a full page load and after htmx swapped the form in).
function focusErrorSummary(root) {
  const summary = (root || document).querySelector(".app-error-summary");
  if (summary instanceof HTMLElement) {
    summary.focus();
  }
}
document.addEventListener("DOMContentLoaded", () => focusErrorSummary(document));
document.addEventListener("htmx:afterSwap", (event) => {
  if (event.detail.target instanceof Element) {
    focusErrorSummary(event.detail.target);
  }
});
