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

// The header menu folds behind a "Menu" button on a small screen (CSS decides when); without
// this script the button stays hidden and the menu open.
document.addEventListener("DOMContentLoaded", () => {
  const header = document.querySelector(".app-header");
  const toggle = document.querySelector(".app-menu-toggle");
  if (!(header instanceof HTMLElement) || !(toggle instanceof HTMLButtonElement)) {
    return;
  }
  header.classList.add("app-header--collapsible");
  toggle.hidden = false;
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    header.classList.toggle("app-header--open", open);
  });
});
