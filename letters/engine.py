"""The letter engine: one WeasyPrint renderer for every letter, on the approach of
pip_plans/documents.py (tagged PDF/UA-1, system fonts, nothing fetched but the templates' own
files and the letterhead's logo as a data URL, its /Scope post-processing), and the stored file
checked against its SHA-256 on every download."""

import base64
import functools
import hashlib
import io
import logging
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

PDF_TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "letters" / "pdf"
PDF_VARIANT = "pdf/ua-1"


@functools.cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher

    class LocalFilesOnly(URLFetcher):
        """Files inside the letter template directory and data URLs (the logo); nothing else."""

        def __init__(self):
            super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if not url.startswith("file:"):
                raise ValueError(f"refused non-local URL: {url[:80]}")
            path = Path(url.removeprefix("file://").split("?")[0]).resolve()
            if not path.is_relative_to(PDF_TEMPLATE_DIR):
                raise ValueError(f"refused file outside the letter templates: {path.name}")
            return super().fetch(url, headers)

    return LocalFilesOnly


def render_html(template: str, context: dict) -> str:
    # Letters are Dutch by law and by who reads them, whatever the caseworker's UI language.
    with translation.override("nl"):
        return render_to_string(template, context)


def render_pdf(template: str, context: dict) -> bytes:
    """Tagged PDF/UA-1; table header cells get their /Scope by the same post-processing as the
    beschikking (pip_plans.documents), should a letter template ever hold a table."""
    from weasyprint import HTML

    from pip_plans.documents import add_table_header_scopes

    html = HTML(
        string=render_html(template, context),
        base_url=str(PDF_TEMPLATE_DIR) + "/",
        url_fetcher=_fetcher_class()(),
    )
    return add_table_header_scopes(html.write_pdf(pdf_variant=PDF_VARIANT))


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def logo_data_url(letterhead) -> str:
    """The letterhead's logo inline, so the renderer never opens a path outside its templates."""
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
