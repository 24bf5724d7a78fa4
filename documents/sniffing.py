"""The type of an upload, read from its content (filetype's magic numbers), never its name."""

import filetype

from .models import ALLOWED_TYPES


def content_type_of(data: bytes) -> str | None:
    """The MIME type if it is one we keep, else None."""
    kind = filetype.guess(data)
    if kind is None:
        return None
    if kind.mime in ALLOWED_TYPES:
        return kind.mime
    return None
