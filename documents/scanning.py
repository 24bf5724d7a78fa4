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
    import socket

    from clamav_client.clamd import ClamdNetworkSocket, ClamdUnixSocket, CommunicationError

    class UnixSocket(ClamdUnixSocket):
        """clamav-client 0.7.2 leaves the socket open when connect fails (a ResourceWarning) and
        sets the timeout only after connecting: close it, and time out the connect too."""

        def _init_socket(self) -> None:
            self.clamd_socket = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.clamd_socket.settimeout(self.timeout)
            try:
                self.clamd_socket.connect(self.unix_socket)
            except OSError as err:
                self.clamd_socket.close()
                raise CommunicationError(self._error_message(err)) from err

    class NetworkSocket(ClamdNetworkSocket):
        def _init_socket(self) -> None:
            self.clamd_socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            self.clamd_socket.settimeout(self.timeout)
            try:
                self.clamd_socket.connect((self.host, self.port))
            except OSError as err:
                self.clamd_socket.close()
                raise CommunicationError(self._error_message(err)) from err

    timeout = settings.CLAMAV_TIMEOUT
    if settings.CLAMAV_SOCKET:
        return UnixSocket(path=settings.CLAMAV_SOCKET, timeout=timeout)
    return NetworkSocket(host=settings.CLAMAV_HOST, port=settings.CLAMAV_PORT, timeout=timeout)


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
