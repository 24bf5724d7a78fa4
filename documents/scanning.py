"""Virus scanning with ClamAV's clamd (INSTREAM, through the maintained `clamav-client`).

`scan(data)` answers what clamd says about the bytes; it never writes them anywhere. Without a
configured scanner `scanner_status()` says so plainly, and uploads are refused unless
DOCUMENTS_ALLOW_UNSCANNED is set (the demo only).
"""

import io
import logging
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger(__name__)


class ScannerUnavailable(Exception):
    """No scanner configured, or clamd did not answer: nothing may be kept."""


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    signature: str = ""
    scanner: str = ""


def configured() -> bool:
    return bool(settings.CLAMAV_SOCKET or settings.CLAMAV_HOST)


def scanner_status() -> str:
    """ "clamd" when a scanner is configured, "unscanned" when the demo allows unscanned uploads,
    "none" when uploads are refused."""
    if configured():
        return "clamd"
    if settings.DOCUMENTS_ALLOW_UNSCANNED:
        return "unscanned"
    return "none"


def _client():
    from clamav_client.clamd import ClamdNetworkSocket, ClamdUnixSocket

    timeout = settings.CLAMAV_TIMEOUT
    if settings.CLAMAV_SOCKET:
        return ClamdUnixSocket(path=settings.CLAMAV_SOCKET, timeout=timeout)
    return ClamdNetworkSocket(host=settings.CLAMAV_HOST, port=settings.CLAMAV_PORT, timeout=timeout)


def scan(data: bytes) -> ScanResult:
    status = scanner_status()
    if status == "none":
        raise ScannerUnavailable("no scanner configured")
    if status == "unscanned":
        logger.warning("document accepted without a virus scan (DOCUMENTS_ALLOW_UNSCANNED)")
        return ScanResult(clean=True, scanner="niet gescand (DOCUMENTS_ALLOW_UNSCANNED)")
    from clamav_client.clamd import ClamdError

    client = _client()
    try:
        version = client.version().strip()
        result = client.instream(io.BytesIO(data))
    except (ClamdError, OSError) as error:
        logger.error("clamd did not answer: %s", error)
        raise ScannerUnavailable(str(error)) from error
    verdict, signature = result.get("stream", ("ERROR", "no answer"))
    if verdict == "OK":
        return ScanResult(clean=True, scanner=version[:200])
    if verdict == "FOUND":
        return ScanResult(clean=False, signature=signature or "", scanner=version[:200])
    logger.error("clamd could not scan the upload: %s", signature)
    raise ScannerUnavailable(signature or "scan error")
