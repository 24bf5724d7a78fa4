"""The PDFs of an adopted PIP version: the beschikking with the plan and two one-page summaries.

`render(version, kind)` turns a version into PDF bytes with WeasyPrint (tagged, PDF/UA-1, system
fonts, no network), then gives the table header cells the /Scope WeasyPrint leaves out (pikepdf). `generate_documents(version_pk)` stores what is missing, once per kind: a
retried or duplicated task finds the existing row and makes no second document. The download
serves the stored file; nothing is ever re-rendered for a download.
"""

import functools
import hashlib
import io
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from audit import events as audit
from cases.services import add_timeline

from .models import EXAM_PARTS, PipDocument, PipStatus, PipVersion
from .rules import BEZWAAR_WEEKS

logger = logging.getLogger(__name__)
# WeasyPrint logs eight INFO lines per document; keep its warnings, drop the progress chatter.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

PDF_TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "pip_plans" / "pdf"
PDF_VARIANT = "pdf/ua-1"


@dataclass(frozen=True)
class KindSpec:
    template: str
    language: str


KINDS = {
    PipDocument.Kind.BESCHIKKING: KindSpec("pip_plans/pdf/beschikking.html", "nl"),
    PipDocument.Kind.SAMENVATTING_NL: KindSpec("pip_plans/pdf/samenvatting_nl.html", "nl"),
    PipDocument.Kind.SAMENVATTING_EN: KindSpec("pip_plans/pdf/samenvatting_en.html", "en"),
}


@functools.cache
def _local_files_only():
    # WeasyPrint is imported on first use, not when Django starts: importing it parses its
    # stylesheets (and logs about it), which web processes and management commands do not need.
    from weasyprint.urls import URLFetcher

    class LocalFilesOnly(URLFetcher):
        """Fetch nothing but files inside the PDF template directory: no network, ever.

        A template that pointed at a remote URL (or at a file elsewhere on disk) gets an error
        that stops the rendering instead of a silent fetch.
        """

        def __init__(self):
            super().__init__(allowed_protocols={"file"}, fail_on_errors=True)

        def fetch(self, url, headers=None):
            if not url.startswith("file:"):
                raise ValueError(f"refused non-local URL: {url[:80]}")
            path = Path(url.removeprefix("file://").split("?")[0]).resolve()
            if not path.is_relative_to(PDF_TEMPLATE_DIR):
                raise ValueError(f"refused file outside the PDF templates: {path.name}")
            return super().fetch(url, headers)

    return LocalFilesOnly


def local_url_fetcher():
    return _local_files_only()()


def _display(version, name: str) -> str:
    return getattr(version, f"get_{name}_display")()


def context_for(version: PipVersion) -> dict:
    """Everything the three templates show, read from the version, its PIP and the case."""
    pip = version.pip
    case = pip.inburgeraar
    municipality = case.municipality
    levels = [(part, getattr(version, f"level_{part}")) for part in EXAM_PARTS]
    afgeschaald = [part for part, level in levels if version.route == "B1" and level == "A2"]
    unburdening_costs = [
        label
        for flag, label in (
            # Dutch as written: the beschikking and the Dutch summary use these; the English
            # summary words them itself.
            (version.unburdening_rent, "huur"),
            (version.unburdening_energy, "energie en water"),
            (version.unburdening_insurance, "zorgverzekering"),
        )
        if flag
    ]
    adopted_by = version.adopted_by
    return {
        "version": version,
        "pip": pip,
        "case": case,
        "municipality": municipality,
        "route_label": _display(version, "route"),
        "levels": levels,
        "afgeschaald": afgeschaald,
        "has_map": version.route != "ONDERWIJS" and bool(version.map_hours),
        "hoofddoel_label": _display(version, "hoofddoel") if version.hoofddoel else "",
        "development_goals": [
            line.strip() for line in version.development_goals.splitlines() if line.strip()
        ],
        "unburdening_costs": unburdening_costs,
        "signatory": (adopted_by.get_full_name() or adopted_by.username) if adopted_by else "",
        "bezwaar_weeks": BEZWAAR_WEEKS,
        "kenmerk": f"PIP-{case.pk}-{version.number}",
        "is_first": version.number == 1,
        "reason_label": _display(version, "reason"),
    }


def render_html(version: PipVersion, kind: str, *, concept: bool = False) -> str:
    spec = KINDS[kind]
    context = context_for(version)
    context["concept"] = concept
    with translation.override(spec.language):
        return render_to_string(spec.template, context)


def render(version: PipVersion, kind: str, *, concept: bool = False) -> bytes:
    """The PDF bytes of one kind: tagged PDF/UA-1, fonts from the system, nothing fetched."""
    from weasyprint import HTML

    html = HTML(
        string=render_html(version, kind, concept=concept),
        base_url=str(PDF_TEMPLATE_DIR) + "/",
        url_fetcher=local_url_fetcher(),
    )
    return add_table_header_scopes(html.write_pdf(pdf_variant=PDF_VARIANT))


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


def filename_for(version: PipVersion, kind: str) -> str:
    """No name and no BSN: the case number, the version and the kind."""
    return f"pip-{version.pip.inburgeraar_id}-v{version.number}-{kind}.pdf"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def render_concept(preview: PipVersion, signatory) -> bytes:
    """The beschikking of a version not yet adopted, as it would read if adopted now (`preview`
    carries today's dagtekening and the dates it sets, unsaved), watermarked CONCEPT on every
    page. Returned, never stored: it is not the decision."""
    preview.adopted_by = signatory
    return render(preview, PipDocument.Kind.BESCHIKKING, concept=True)


def _versions():
    return PipVersion.objects.select_related(
        "pip__inburgeraar__municipality", "language_school", "adopted_by"
    )


def generate_documents(version_pk: int) -> list[PipDocument]:
    """Render and store every kind this adopted version lacks. Safe to run any number of times,
    also concurrently: the unique (version, kind) constraint decides, and a loser deletes the file
    it wrote."""
    version = _versions().filter(pk=version_pk, status=PipStatus.VASTGESTELD).first()
    if version is None:
        logger.warning("no adopted PIP version %s: no documents generated", version_pk)
        return []
    existing = set(version.documents.values_list("kind", flat=True))
    created = []
    for kind in KINDS:
        if kind in existing:
            continue
        document = _create(version, kind)
        if document is not None:
            created.append(document)
    if created:
        add_timeline(
            version.pip.inburgeraar,
            None,
            "pip",
            _("PIP versie %(n)s: beschikking en samenvattingen (PDF) gemaakt")
            % {"n": version.number},
        )
    return created


def _create(version: PipVersion, kind: str) -> PipDocument | None:
    started = time.perf_counter()
    data = render(version, kind)
    seconds = time.perf_counter() - started
    document = PipDocument(
        version=version,
        kind=kind,
        sha256=sha256_of(data),
        size=len(data),
        render_seconds=round(seconds, 4),
    )
    # Storage picks a free name under pip/YYYY/MM/; the row points at exactly that file.
    document.file.save(filename_for(version, kind), ContentFile(data), save=False)
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError:
        # Another worker stored this kind first: keep theirs, remove our orphan file.
        document.file.storage.delete(document.file.name)
        logger.info("PIP document %s/%s already stored by another worker", version.pk, kind)
        return None
    except BaseException:
        # No row points at the file (lost connection, time limit): do not leave it behind.
        document.file.storage.delete(document.file.name)
        raise
    logger.info(
        "PIP document stored",
        extra={
            "version_id": version.pk,
            "kind": kind,
            "size": document.size,
            "render_seconds": document.render_seconds,
        },
    )
    return document


# --- download ------------------------------------------------------------------------------------


class DocumentIntegrityError(Exception):
    """The stored file is missing or no longer matches the SHA-256 recorded when it was made."""


def visible_document(user, case_pk: int, document_pk: int) -> PipDocument:
    """The document, through the one door and on the case in the URL; 404 for anyone else."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        PipDocument.objects.visible_to(user).select_related("version__pip"),
        pk=document_pk,
        version__pip__inburgeraar_id=case_pk,
    )


def verified_file(document: PipDocument) -> io.BytesIO:
    """The stored bytes, checked against the recorded SHA-256 and size. The bytes that were checked
    are the bytes served: the file is read once, so a change after the check cannot slip through."""
    try:
        with document.file.open("rb") as stored:
            data = stored.read()
    except (FileNotFoundError, ValueError) as error:
        logger.error("PIP document %s: stored file missing", document.pk)
        raise DocumentIntegrityError("missing") from error
    actual = sha256_of(data)
    if actual != document.sha256 or len(data) != document.size:
        logger.critical(
            "PIP document %s: stored file does not match its SHA-256 (expected %s…, found %s…); "
            "download refused",
            document.pk,
            document.sha256[:12],
            actual[:12],
        )
        raise DocumentIntegrityError("tampered")
    return io.BytesIO(data)


def record_download(user, document: PipDocument) -> None:
    audit.document_downloaded(user, document)
