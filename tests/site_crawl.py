"""Every page and htmx fragment of the site, as the demo users see them (issues 11 and 16).

`crawl(client)` starts at Vandaag and follows the links (`href`) and htmx loads (`data-hx-get`)
a user can reach, page by page, at most `per_route` URLs per URL pattern (so 2 dossiers, not 210)
and no query-string variants beyond the first per pattern. Each result keeps the HTML and the
POST forms on it (action and fields), which the fuzz test posts bad input to and the validators
check. Not followed: logout, the Django admin (not our HTML), the API, static and media files,
and responses that are not HTML (PDF, CSV, XLSX, iCalendar).
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.urls import Resolver404, resolve

# The demo users of every role with pages of their own (beheerder and auditor work in the admin).
DEMO_USERS = [
    "klantmanager.hoorn",
    "teamleider.hoorn",
    "werksaam.medewerker",
    "taalschool.taalhuis",
]
SKIP_PREFIXES = (
    "/accounts/logout",
    "/admin/",
    "/api/",
    "/static/",
    "/media/",
    "/i18n/",
    "/healthz",
    "/readyz",
)


@dataclass
class Form:
    action: str
    fields: dict[str, list[str]]  # name -> the values the page offers (options, current value)
    kinds: dict[str, str]  # name -> input type ("text", "date", "select", "textarea", ...)
    page: str  # the page it was found on


@dataclass
class Page:
    url: str
    html: str
    fragment: bool  # loaded by htmx (HX-Request), so only a part of a page
    route: str
    forms: list[Form] = field(default_factory=list)
    # A fragment: the page whose htmx attribute loaded it, its target (`#id`, `this`, ...) and
    # how htmx swaps it in (`innerHTML` unless the attribute says otherwise).
    source: str | None = None
    target: str | None = None
    swap: str = "innerHTML"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.fragments: list[tuple[str, str, str]] = []
        self.forms: list[dict] = []
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if attrs.get("data-hx-get"):
            self.fragments.append(
                (
                    attrs["data-hx-get"],
                    attrs.get("data-hx-target", ""),
                    (attrs.get("data-hx-swap") or "innerHTML").split()[0],
                )
            )
        if tag == "form":
            self._form = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action") or "",
                "fields": {},
                "kinds": {},
            }
            self.forms.append(self._form)
        if self._form is None:
            return
        name = attrs.get("name")
        if tag in ("input", "button") and name:
            kind = attrs.get("type", "text" if tag == "input" else "submit")
            self._form["kinds"].setdefault(name, kind)
            self._form["fields"].setdefault(name, [])
            if attrs.get("value") is not None:
                self._form["fields"][name].append(attrs["value"])
        elif tag in ("select", "textarea") and name:
            self._form["kinds"].setdefault(name, tag)
            self._form["fields"].setdefault(name, [])
            self._select = name if tag == "select" else None
        elif tag == "option" and self._select and attrs.get("value") is not None:
            self._form["fields"][self._select].append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        if tag == "select":
            self._select = None


def _route(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route


def _local(base: str, href: str) -> str | None:
    url = urljoin(base, href)
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    if not parts.path.startswith("/") or parts.path.startswith(SKIP_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(client, *, start="/", per_route=2, max_pages=200) -> list[Page]:
    """The HTML pages and fragments reachable from `start` for the logged-in client."""
    # (url, htmx target): None for a whole page, else the id htmx would send as HX-Target.
    queue: list[tuple[str, str | None]] = [(start, None)]
    # A fragment's (url, target) -> the page that loads it and the swap, as first found.
    loaded_from: dict[tuple[str, str], tuple[str, str]] = {}
    seen: set[tuple[str, str | None]] = set()
    per_pattern: dict[tuple[str, bool, bool], int] = {}
    pages: list[Page] = []
    while queue and len(pages) < max_pages:
        url, target = queue.pop(0)
        if (url, target) in seen:
            continue
        seen.add((url, target))
        fragment = target is not None
        path = urlsplit(url).path
        route = _route(path)
        if route is None:
            continue
        key = (route, fragment, "?" in url)
        if per_pattern.get(key, 0) >= (1 if "?" in url else per_route):
            continue
        headers = {}
        if fragment:
            headers = {"HX-Request": "true", "HX-Current-URL": f"http://testserver{url}"}
            if target.startswith("#"):
                headers["HX-Target"] = target[1:]
        response = client.get(url, headers=headers)
        if response.status_code in (301, 302) and not fragment:
            # A start page that sends a role elsewhere (WerkSaam, a language school).
            if (target := _local(url, response["Location"])) is not None:
                queue.append((target, None))
            continue
        if response.status_code != 200:
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        per_pattern[key] = per_pattern.get(key, 0) + 1
        html = response.content.decode()
        parser = _Links()
        parser.feed(html)
        page = Page(url=url, html=html, fragment=fragment, route=route)
        if fragment:
            page.source, page.swap = loaded_from[(url, target)]
            page.target = target
        for form in parser.forms:
            if form["method"] != "post":
                continue
            action = _local(url, form["action"]) if form["action"] else path
            if action:
                page.forms.append(Form(action, form["fields"], form["kinds"], url))
        pages.append(page)
        for href in parser.links:
            if (target := _local(url, href)) is not None:
                queue.append((target, None))
        for href, hx_target, swap in parser.fragments:
            if (target := _local(url, href)) is not None:
                queue.append((target, hx_target))
                loaded_from.setdefault((target, hx_target), (url, swap))
    return pages
