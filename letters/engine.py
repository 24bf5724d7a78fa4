"""The letters on the one PDF engine (common.pdf): the same renderer, print files and
letterhead as the beschikking; and the stored file checked against its SHA-256 on every
download."""

import io
import logging

from django.template.loader import render_to_string
from django.utils import translation

from common import pdf
from common.pdf import sha256_of

logger = logging.getLogger(__name__)

__all__ = ["IntegrityError", "render_html", "render_pdf", "sha256_of", "verified_bytes"]


def render_html(template: str, context: dict) -> str:
    # Letters are Dutch by law and by who reads them, whatever the caseworker's UI language.
    with translation.override("nl"):
        return render_to_string(template, context)


def render_pdf(template: str, context: dict) -> bytes:
    """Tagged PDF/UA-1, table header cells scoped, on the engine of every document."""
    return pdf.render_pdf(render_html(template, context))


class IntegrityError(Exception):
    """The stored file is missing or no longer matches the SHA-256 recorded when it was made."""


def verified_bytes(field_file, *, sha256: str, size: int | None) -> io.BytesIO:
    """The stored bytes, read once and checked against the recorded SHA-256 and size."""
    try:
        with field_file.open("rb") as stored:
            data = stored.read()
    except (FileNotFoundError, ValueError) as error:
        raise IntegrityError("missing") from error
    if sha256_of(data) != sha256 or (size is not None and len(data) != size):
        logger.critical("stored file %s does not match its SHA-256", field_file.name)
        raise IntegrityError("tampered")
    return io.BytesIO(data)
