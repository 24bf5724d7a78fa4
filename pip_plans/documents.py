"""The PDFs of an adopted PIP version: the beschikking with the plan and two one-page summaries.

`render(version, kind)` turns a version into PDF bytes on the one engine of every letter
(common.pdf: tagged PDF/UA-1, system fonts, no network, table headers scoped), with the
municipality's letterhead as the beheerder keeps it. `generate_documents(version_pk)` stores what is missing, once per kind: a
retried or duplicated task finds the existing row and makes no second document. The download
serves the stored file; nothing is ever re-rendered for a download.
"""

import io
import logging
import time
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit import events as audit
from cases.addressee import addressee
from cases.services import add_timeline
from common import pdf
from common.addresses import inline_address
from common.stored_files import read_verified, sha256_of

from .models import EXAM_PARTS, PipDocument, PipStatus, PipVersion
from .rules import BEZWAAR_WEEKS

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class KindSpec:
    template: str
    language: str


KINDS = {
    PipDocument.Kind.BESCHIKKING: KindSpec("pip_plans/pdf/beschikking.html", "nl"),
    PipDocument.Kind.SAMENVATTING_NL: KindSpec("pip_plans/pdf/samenvatting_nl.html", "nl"),
    PipDocument.Kind.SAMENVATTING_EN: KindSpec("pip_plans/pdf/samenvatting_en.html", "en"),
}


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
        **pdf.letterhead_context(municipality),
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
        "person_address": inline_address(
            case.street, case.house_number, case.postal_code, case.city
        ),
        # To the person, or to the legal representative of a minor (on the dagtekening).
        "recipient": addressee(case, on=version.dagtekening or timezone.localdate(), formal=True),
    }


def render_html(version: PipVersion, kind: str, *, concept: bool = False) -> str:
    spec = KINDS[kind]
    context = context_for(version)
    context["concept"] = concept
    with translation.override(spec.language):
        return render_to_string(spec.template, context)


def render(version: PipVersion, kind: str, *, concept: bool = False) -> bytes:
    """The PDF bytes of one kind, on the engine of every letter (common.pdf)."""
    return pdf.render_pdf(render_html(version, kind, concept=concept))


def filename_for(version: PipVersion, kind: str) -> str:
    """No name and no BSN: the case number, the version and the kind."""
    return f"pip-{version.pip.inburgeraar_id}-v{version.number}-{kind}.pdf"


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


def visible_document(user, case_pk: int, document_pk: int) -> PipDocument:
    """The document, through the one door and on the case in the URL; 404 for anyone else."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        PipDocument.objects.visible_to(user).select_related("version__pip"),
        pk=document_pk,
        version__pip__inburgeraar_id=case_pk,
    )


def verified_file(document: PipDocument) -> io.BytesIO:
    """The stored bytes, checked against the recorded SHA-256 and size (read once: the bytes
    that were checked are the bytes served)."""
    return io.BytesIO(read_verified(document.file, sha256=document.sha256, size=document.size))


def record_download(user, document: PipDocument) -> None:
    audit.document_downloaded(user, document)
