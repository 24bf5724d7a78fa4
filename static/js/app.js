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

// Never lose what was typed (issue 12). A form marked data-unsaved-warning is "dirty" once its
// user changes a field, and clean again when it is submitted (or swapped for its saved version).
// Leaving the page, or loading another dossier tab over it, with a dirty form asks first.
const dirtyForms = () =>
  Array.from(document.querySelectorAll("form[data-unsaved-warning][data-dirty]"));

const markDirty = (event) => {
  const form = event.target instanceof Element ? event.target.closest("form[data-unsaved-warning]") : null;
  if (form && event.target.type !== "hidden") {
    form.setAttribute("data-dirty", "");
  }
};
document.addEventListener("input", markDirty);
document.addEventListener("change", markDirty);

document.addEventListener("submit", (event) => {
  if (event.target instanceof HTMLFormElement) {
    event.target.removeAttribute("data-dirty");
  }
});

window.addEventListener("beforeunload", (event) => {
  if (dirtyForms().length > 0) {
    event.preventDefault();
    event.returnValue = "";
  }
});

const unsavedMessage = () =>
  document.documentElement.lang === "en"
    ? "You have unsaved changes on this page. Leave without saving?"
    : "U hebt wijzigingen die nog niet zijn opgeslagen. Verlaten zonder op te slaan?";

// An htmx request that replaces the tab panel (another tab) would drop the dirty forms in it.
document.addEventListener("htmx:beforeRequest", (event) => {
  const source = event.detail.elt;
  if (!(source instanceof Element) || source.closest("form[data-unsaved-warning]")) {
    return; // a section saving itself
  }
  const target = event.detail.target;
  const lost = dirtyForms().filter((form) => target instanceof Element && target.contains(form));
  if (lost.length > 0 && !window.confirm(unsavedMessage())) {
    event.preventDefault();
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
