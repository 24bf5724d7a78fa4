"""Writes on documents: scanned by ClamAV, type read from the content, size capped, stored with
its SHA-256, all before a row exists. A refused file is never written to disk."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from audit import events as audit
from cases.services import add_timeline, lock_editable_case
from common.stored_files import IntegrityError, read_verified, sha256_of

from . import scanning, sniffing
from .models import Document

logger = logging.getLogger(__name__)


class UploadRefused(ValidationError):
    """The file was not kept: a virus, a type or size we do not keep, or no scanner."""


def read_upload(uploaded) -> bytes:
    """The bytes of an upload, refusing anything above the limit without reading it all."""
    limit = settings.DOCUMENTS_MAX_BYTES
    if uploaded.size is not None and uploaded.size > limit:
        raise UploadRefused(_too_large(limit))
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        raise UploadRefused(_too_large(limit))
    return data


def _too_large(limit: int) -> str:
    return _("Het bestand is groter dan %(mb)s MB en is niet opgeslagen.") % {
        "mb": limit // (1024 * 1024)
    }


def check_file(actor, case, data: bytes) -> tuple[str, str]:
    """Scan and sniff; returns (content type, scanner) or raises UploadRefused."""
    if not data:
        raise UploadRefused(_("Het bestand is leeg."))
    try:
        result = scanning.scan(data)
    except scanning.ScannerUnavailable:
        raise UploadRefused(
            _(
                "Er is geen virusscanner beschikbaar. Uploaden kan pas weer als de virusscanner "
                "werkt; het bestand is niet opgeslagen."
            )
        ) from None
    if not result.clean:
        logger.warning("upload refused: virus %s found (case %s)", result.signature, case.pk)
        audit.upload_refused(actor, case, reason=f"virus {result.signature}")
        raise UploadRefused(
            _(
                "In dit bestand is een virus gevonden (%(signature)s). Het bestand is geweigerd en "
                "niet opgeslagen. Vraag de afzender om een schoon bestand."
            )
            % {"signature": result.signature}
        )
    content_type = sniffing.content_type_of(data)
    if content_type is None:
        audit.upload_refused(actor, case, reason="bestandstype")
        raise UploadRefused(
            _(
                "Dit soort bestand wordt niet bewaard. Upload een PDF, JPEG, PNG of Word-bestand "
                "(DOCX)."
            )
        )
    return content_type, result.scanner


def upload_document(
    actor,
    case,
    *,
    data: bytes,
    kind: str,
    document_date,
    description: str = "",
    special_category: bool = False,
    for_werksaam: bool = False,
) -> Document:
    """Scan and check first (a refusal is audited and nothing is written), then keep the file
    and its row in one transaction."""
    from cases.models import Inburgeraar

    case_pk = getattr(case, "pk", case)
    checked = Inburgeraar.objects.editable_by(actor).filter(pk=case_pk).first()
    if checked is None:
        raise Http404
    if special_category and for_werksaam:
        raise ValidationError(
            {"for_werksaam": _("Bijzondere persoonsgegevens worden nooit met WerkSaam gedeeld.")}
        )
    content_type, scanner = check_file(actor, checked, data)
    with transaction.atomic():
        return _keep(
            actor,
            lock_editable_case(actor, case_pk),
            data=data,
            content_type=content_type,
            scanner=scanner,
            kind=kind,
            document_date=document_date,
            description=description,
            special_category=special_category,
            for_werksaam=for_werksaam,
        )


def _keep(
    actor,
    case,
    *,
    data,
    content_type,
    scanner,
    kind,
    document_date,
    description,
    special_category,
    for_werksaam,
) -> Document:
    document = Document(
        inburgeraar=case,
        kind=kind,
        document_date=document_date,
        description=description,
        special_category=special_category,
        for_werksaam=for_werksaam,
        content_type=content_type,
        size=len(data),
        sha256=sha256_of(data),
        scanned_by=scanner,
        uploaded_by=actor,
    )
    document.full_clean(exclude=["file"])
    document.file.save(f"document-{case.pk}.{document.extension}", ContentFile(data), save=False)
    try:
        document.save()
    except BaseException:
        document.file.storage.delete(document.file.name)
        raise
    audit.created(
        actor,
        document,
        values={"kind": kind, "special_category": special_category, "for_werksaam": for_werksaam},
    )
    add_timeline(
        case,
        actor,
        "document",
        _("Document toegevoegd: %(kind)s van %(date)s")
        % {"kind": document.get_kind_display(), "date": document_date.strftime("%d-%m-%Y")},
    )
    return document


def visible_document(user, case_pk: int, document_pk: int) -> Document:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Document.objects.visible_to(user), pk=document_pk, inburgeraar_id=case_pk
    )


def verified_bytes(document: Document) -> bytes:
    """The stored bytes, checked against the recorded SHA-256 and size; 404 when they do not match."""
    try:
        return read_verified(document.file, sha256=document.sha256, size=document.size)
    except IntegrityError:
        raise Http404 from None
