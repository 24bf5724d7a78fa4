"""The letters on the one PDF engine (common.pdf): the same renderer, print files and
letterhead as the beschikking; and the stored file checked against its SHA-256 on every
download."""

import io

from django.template.loader import render_to_string
from django.utils import translation

from common import pdf
from common.stored_files import IntegrityError, read_verified, sha256_of

__all__ = ["IntegrityError", "render_html", "render_pdf", "sha256_of", "verified_bytes"]


def render_html(template: str, context: dict) -> str:
    # Letters are Dutch by law and by who reads them, whatever the caseworker's UI language.
    with translation.override("nl"):
        return render_to_string(template, context)


def render_pdf(template: str, context: dict) -> bytes:
    """Tagged PDF/UA-1, table header cells scoped, on the engine of every document."""
    return pdf.render_pdf(render_html(template, context))


def verified_bytes(field_file, *, sha256: str, size: int | None) -> io.BytesIO:
    """The stored bytes, read once and checked against the recorded SHA-256 and size."""
    return io.BytesIO(read_verified(field_file, sha256=sha256, size=size))
