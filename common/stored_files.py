"""A stored file read back for serving: read once, checked against the SHA-256 and size recorded
when it was kept, so the bytes that were checked are the bytes served. One check for the PIP
documents, the letters and the uploaded documents."""

import hashlib
import logging

logger = logging.getLogger(__name__)


class IntegrityError(Exception):
    """The stored file is missing or no longer matches the SHA-256 recorded when it was made."""


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_verified(field_file, *, sha256: str, size: int | None) -> bytes:
    try:
        with field_file.open("rb") as stored:
            data = stored.read()
    except (FileNotFoundError, ValueError) as error:
        logger.error("stored file %s is missing", field_file.name)
        raise IntegrityError("missing") from error
    actual = sha256_of(data)
    if actual != sha256 or (size is not None and len(data) != size):
        logger.critical(
            "stored file %s does not match its SHA-256 (expected %s…, found %s…); refused",
            field_file.name,
            sha256[:12],
            actual[:12],
        )
        raise IntegrityError("tampered")
    return data
