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
