"""Issue 11: headers (CSP, Permissions-Policy, no-store), no media serving, BSNs and feed tokens
masked in every log."""

import io
import logging
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import override_settings
from django.urls import clear_url_caches
from django.utils.html import escape

from common.logging import MaskingFilter, mask

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parent.parent


# --- 13. headers -------------------------------------------------------------------------------


def assert_private(response):
    assert "no-store" in response["Cache-Control"]
    assert response["Permissions-Policy"].startswith("accelerometer=()")
    assert "camera=()" in response["Permissions-Policy"]


def test_pages_have_csp_permissions_policy_and_no_store(client, caseworker_of, case_in):
    case = case_in("hoorn")
    client.force_login(caseworker_of("hoorn"))
    for url in ("/", "/inburgeraars/", f"/inburgeraars/{case.pk}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert (
            "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
        )
        assert "style-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert_private(response)


def test_the_login_page_has_the_headers_too(client):
    response = client.get("/accounts/login/")
    assert "Content-Security-Policy" in response
    assert_private(response)


def test_api_answers_are_not_stored(api_client, caseworker_of):
    api_client.force_login(caseworker_of("hoorn"))
    response = api_client.get("/api/v1/inburgeraars/")
    assert response.status_code == 200
    assert_private(response)


def test_api_answers_to_a_bearer_token_are_not_stored(api_client, hoorn):
    from api.services import create_api_client

    _client, token = create_api_client(None, organisation=hoorn, name="Koppeling", scopes=["read"])
    response = api_client.get("/api/v1/inburgeraars/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert_private(response)


def test_exports_are_not_stored(client, member_of):
    from municipalities.models import Role

    client.force_login(member_of("hoorn", Role.TEAMLEIDER))
    response = client.get("/stuurinformatie/export/", {"format": "csv"})
    assert response.status_code == 200
    assert_private(response)


def test_templates_have_no_inline_script_style_or_event_handlers():
    """The CSP forbids them; this finds a new one before a browser does."""
    import re

    offenders = []
    pattern = re.compile(r"""\sstyle=|\shx-on|\son[a-z]+=|<script(?![^>]*\ssrc=)|<style""")
    for path in BASE_DIR.glob("**/templates/**/*.html"):
        if {".venv", "node_modules", "pdf"} & set(path.parts):
            continue  # the PDF templates are rendered by WeasyPrint, never served as pages
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(BASE_DIR)}:{number}")
    assert offenders == []


def test_htmx_is_configured_for_the_csp(client):
    body = client.get("/accounts/login/").content.decode()
    assert '<meta name="htmx-config"' in body
    assert '"includeIndicatorStyles": false' in body


# --- 14. media --------------------------------------------------------------------------------


@pytest.fixture
def media_file(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    letter = tmp_path / "pip" / "2026" / "01"
    letter.mkdir(parents=True)
    (letter / "pip-1-v1-beschikking.pdf").write_bytes(b"%PDF-1.4 naam en adres")
    return "/media/pip/2026/01/pip-1-v1-beschikking.pdf"


def debug_urlconf():
    """The URL conf as it is built with DEBUG on (urls.py is imported once, at start)."""
    import importlib

    import westfriesland.urls

    with override_settings(DEBUG=True):
        clear_url_caches()
        return importlib.reload(westfriesland.urls)


def test_media_is_not_served_with_debug_on(client, caseworker_of, media_file, settings):
    settings.DEBUG = True
    urlconf = debug_urlconf()
    try:
        assert not any("media" in str(p.pattern) for p in urlconf.urlpatterns)
        assert client.get(media_file).status_code == 404
        client.force_login(caseworker_of("hoorn"))
        assert client.get(media_file).status_code == 404
    finally:
        clear_url_caches()


# --- 11. logs ---------------------------------------------------------------------------------


def test_mask_hides_bsns_and_feed_tokens():
    assert (
        mask("GET /inburgeraars/?q=123456782 HTTP/1.1") == "GET /inburgeraars/?q=********* HTTP/1.1"
    )
    assert mask("/agenda/abcDEF-123_x.ics") == "/agenda/[token].ics"
    assert mask("V-nummer 1234567890 en 12345678") == "V-nummer 1234567890 en 12345678"


def test_every_handler_masks():
    handlers = django_settings.LOGGING["handlers"]
    assert handlers
    for name, handler in handlers.items():
        assert "mask_personal_data" in handler.get("filters", []), name
    configured = [
        handler
        for handler in logging.getLogger().handlers + logging.getLogger("audit").handlers
        if type(handler) is logging.StreamHandler  # not pytest's capturing handlers
    ]
    assert configured
    for handler in configured:
        assert any(isinstance(f, MaskingFilter) for f in handler.filters)


def test_a_django_request_warning_with_a_bsn_is_masked():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(MaskingFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        logger.warning(
            "Not Found: %s",
            "/inburgeraars/?q=123456782",
            extra={"status_code": 404, "path": "/agenda/geheim-token.ics"},
        )
    finally:
        logger.removeHandler(handler)
    output = stream.getvalue()
    assert "123456782" not in output
    assert "Not Found: /inburgeraars/?q=*********" in output


def test_the_json_log_line_masks_extra_fields_too(caplog):
    from pythonjsonlogger.json import JsonFormatter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("%(message)s"))
    handler.addFilter(MaskingFilter())
    logger = logging.getLogger("tests.masking")
    logger.addHandler(handler)
    try:
        logger.warning("zoek", extra={"query": "bsn=123456782", "url": "/agenda/tok123.ics"})
    finally:
        logger.removeHandler(handler)
    assert "123456782" not in stream.getvalue()
    assert "tok123" not in stream.getvalue()


def test_the_request_log_of_a_bsn_search_has_no_bsn(client, caseworker_of, case_in):
    """What a web server logs of a search: the request lines (method, path, query)."""
    case = case_in("hoorn")
    client.force_login(caseworker_of("hoorn"))
    response = client.post("/inburgeraars/", {"q": case.bsn}, follow=True)
    request_lines = [path for path, _status in response.redirect_chain] + ["/inburgeraars/"]
    assert response.status_code == 200
    assert escape(case.full_name) in response.content.decode()
    assert all(case.bsn not in line for line in request_lines)


def test_gunicorn_access_log_is_masked():
    from types import SimpleNamespace

    from gunicorn.config import Config

    from common.logging import GunicornLogger

    logger = GunicornLogger(Config())
    request = SimpleNamespace(
        method="GET",
        path="/agenda/geheim.ics",
        query="q=123456782",
        uri="/agenda/geheim.ics?q=123456782",
        version=(1, 1),
        headers=[("REFERER", "http://x/inburgeraars/?q=123456782")],
    )
    response = SimpleNamespace(status="200 OK", sent=10, headers=[], response_length=10)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/agenda/geheim.ics?q=123456782",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_REFERER": "http://x/inburgeraars/?q=123456782",
        "QUERY_STRING": "q=123456782",
        "PATH_INFO": "/agenda/geheim.ics",
    }
    from datetime import timedelta

    atoms = logger.atoms(response, request, environ, timedelta(seconds=0.01))
    text = " ".join(str(v) for v in atoms.values())
    assert "123456782" not in text
    assert "geheim" not in text


def test_gunicorn_uses_the_masking_logger():
    assert (
        "common.logging.GunicornLogger" in (BASE_DIR / "docker" / "entrypoint-web.sh").read_text()
    )
    assert "common.logging.GunicornLogger" in (BASE_DIR / "Dockerfile").read_text()
