"""The one PDF engine of every letter and decision: the beschikking and its summaries
(pip_plans), the letters (letters), the dossier summary (uitvoering).

WeasyPrint renders tagged PDF/UA-1 with system fonts and fetches nothing but the shared print
files in `templates/pdf/` (print.css, letter.css) and data URLs (a letterhead's logo, inlined);
table header cells then get the /Scope WeasyPrint leaves out (pikepdf). The letterhead of the
municipality is read here too, so every document says the same about who sends it, where to
call and where a bezwaarschrift goes: the beheerder keeps it once (letters.Letterhead, reached
through the organisation's `letterhead` relation).
"""

import base64
import functools
import io
import logging
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)
# WeasyPrint logs eight INFO lines per document; keep its warnings, drop the progress chatter.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

PDF_VARIANT = "pdf/ua-1"
PRINT_DIR = Path(settings.BASE_DIR).resolve() / "templates" / "pdf"


@functools.cache
def _fetcher_class():
    # WeasyPrint is imported on first use, not when Django starts: importing it parses its
    # stylesheets (and logs about it), which web processes and management commands do not need.
    from weasyprint.urls import URLFetcher

    class LocalFilesOnly(URLFetcher):
        """The shared print files and data URLs; nothing else, never the network. A template
        that pointed at a remote URL (or a file elsewhere on disk) stops the rendering."""

        def __init__(self):
            super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if not url.startswith("file:"):
                raise ValueError(f"refused non-local URL: {url[:80]}")
            path = Path(url.removeprefix("file://").split("?")[0]).resolve()
            if not path.is_relative_to(PRINT_DIR):
                raise ValueError(f"refused file outside the print files: {path.name}")
            return super().fetch(url, headers)

    return LocalFilesOnly


def local_url_fetcher():
    return _fetcher_class()()


def render_pdf(html: str) -> bytes:
    """HTML (already rendered by its template) as tagged PDF/UA-1, table headers scoped."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=str(PRINT_DIR) + "/", url_fetcher=local_url_fetcher())
    return add_table_header_scopes(document.write_pdf(pdf_variant=PDF_VARIANT))


def struct_elements(pdf):
    """Every structure element of an open pikepdf document, parents before their children."""
    import pikepdf

    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if node.is_indirect:
            if node.objgen in seen:
                continue
            seen.add(node.objgen)
        if node is not root and node.get("/S") is not None:
            yield node
        kids = node.get("/K")
        if isinstance(kids, pikepdf.Dictionary):
            kids = [kids]
        if isinstance(kids, pikepdf.Array):
            stack.extend(reversed([kid for kid in kids if isinstance(kid, pikepdf.Dictionary)]))


def add_table_header_scopes(data: bytes) -> bytes:
    """Give every /TH structure element a /Scope attribute (PDF/UA-1 §7.5, Matterhorn 15-003).

    WeasyPrint (70.0) reads the HTML `scope` only to fill the data cells' /Headers and drops it
    from the header cell itself. It does keep what it read: a /TD lists the IDs of its row headers
    (`scope="row"`) and of its column headers. So a /TH whose ID a /TD of its own row names is a
    row header; every other /TH is a column header, as WeasyPrint treats it.
    """
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        rows = [element for element in struct_elements(pdf) if element.get("/S") == "/TR"]
        changed = False
        for row in rows:
            kids = row.get("/K")
            cells = [
                kid
                for kid in (kids if isinstance(kids, pikepdf.Array) else [kids])
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/S") in ("/TH", "/TD")
            ]
            named_here = {
                bytes(header)
                for cell in cells
                if cell.get("/S") == "/TD" and "/A" in cell
                for header in cell.A.get("/Headers", [])
            }
            for cell in cells:
                if cell.get("/S") != "/TH":
                    continue
                attributes = cell.get("/A")
                if not isinstance(attributes, pikepdf.Dictionary):
                    attributes = cell.A = pikepdf.Dictionary(O=pikepdf.Name.Table)
                if "/Scope" in attributes:
                    continue
                row_header = "/ID" in cell and bytes(cell.ID) in named_here
                attributes.Scope = pikepdf.Name.Row if row_header else pikepdf.Name.Column
                changed = True
        if not changed:
            return data
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


# --- the letterhead ------------------------------------------------------------------------------


def logo_data_url(letterhead) -> str:
    """The letterhead's logo inline, so the renderer never opens a path outside its print files."""
    if letterhead is None or not letterhead.logo:
        return ""
    try:
        with letterhead.logo.open("rb") as stored:
            data = stored.read()
    except (FileNotFoundError, ValueError):
        logger.warning("letterhead %s: logo file missing", letterhead.pk)
        return ""
    mime = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def letterhead_of(municipality):
    """The municipality's letterhead as the beheerder keeps it, or None when it is missing."""
    return getattr(municipality, "letterhead", None)


def postal_lines(municipality, letterhead) -> list[str]:
    """Where a bezwaarschrift goes: the college of the municipality at its Postbus, as the post
    needs it (postcode, two spaces, the place in capitals)."""
    college = f"Het college van burgemeester en wethouders van {municipality.name}"
    if letterhead is None:
        return [college]
    return [
        college,
        f"Postbus {letterhead.postbus}",
        f"{letterhead.postal_postal_code}  {letterhead.postal_city.strip().upper()}",
    ]


def letterhead_context(municipality) -> dict:
    """What templates/pdf/_letterhead.html and the bezwaar clauses need."""
    letterhead = letterhead_of(municipality)
    return {
        "municipality": municipality,
        "letterhead": letterhead,
        "logo": logo_data_url(letterhead),
        "postal_lines": postal_lines(municipality, letterhead),
    }
