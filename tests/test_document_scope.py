"""Issue 14, done when: every document URL answers 404 outside the case's scope, enumerated from
the URL conf and the API router (no list kept by hand): the letters (concepts, PDFs, their
actions), the bezwaarschriften, the uploaded documents, the PIP's PDFs, the Brieven and
Documenten tabs, and the API's documents, letters and bezwaren."""

import re
from datetime import date

import pytest
import time_machine
from django.urls import URLPattern, URLResolver, get_resolver

from documents import services as document_services
from letters import services as letter_services
from letters.models import LetterKind
from municipalities.models import Role
from pip_plans import services as pip_services
from pip_plans.models import PipDocument
from westfriesland.api_urls import router

from .letter_helpers import letterhead, local
from .pip_helpers import draft_for

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
DOCUMENT_NAMESPACES = {"letters", "documents"}
CASE_TABS = ("brieven", "documenten")
API_BASENAMES = ("document", "letter", "bezwaar")


def site_routes(resolver=None, prefix="", namespace=""):
    """(namespace, name, route) of every URL pattern of the site, admin and API aside."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith(("admin/", "api/")):
                continue
            yield from site_routes(entry, route, entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            yield namespace, entry.name, route


def document_routes():
    """The routes that show, serve or act on a letter, a bezwaar or a document of a case."""
    for namespace, name, route in site_routes():
        if "<int:pk>" not in route:
            continue
        pip_pdf = namespace == "pip_plans" and ("documenten" in route or route.endswith(".pdf"))
        if namespace in DOCUMENT_NAMESPACES or pip_pdf:
            yield namespace, name, route
        elif name == "case-tab":
            for tab in CASE_TABS:
                yield namespace, name, route.replace("<slug:tab>", tab)


def fill(namespace, route, values):
    path = "/" + route
    path = path.replace("<slug:kind>", LetterKind.AFRONDING)
    names = dict(values["common"])
    names.update(values.get(namespace, {}))
    for name, value in names.items():
        path = path.replace(f"<int:{name}>", str(value))
    assert "<" not in path, path
    return path


@pytest.fixture
def world(
    settings, tmp_path, caseworker_of, member_of, case_in, django_capture_on_commit_callbacks
):
    """A case of Hoorn with each kind of thing a document URL names: a sent letter and a
    concept, a bezwaarschrift, an uploaded document and the adopted PIP's PDFs."""
    from westfriesland.celery import app

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    settings.CLAMAV_SOCKET = settings.CLAMAV_HOST = ""
    settings.DOCUMENTS_ALLOW_UNSCANNED = True  # the scan is not what this test is about
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    letterhead("hoorn")
    author = caseworker_of("hoorn")
    lead = member_of("hoorn", Role.TEAMLEIDER)
    case = case_in("hoorn", caseworker=author, date_of_birth=date(1990, 1, 1))
    with time_machine.travel(local(2026, 12, 3, 9, 0), tick=False):
        version = pip_services.submit(author, draft_for(author, case))
        with django_capture_on_commit_callbacks(execute=True):
            version = pip_services.adopt(lead, version, dagtekening=date(2026, 12, 3))
        facts = {"outcome": "voldaan", "outcome_date": "2026-11-30"}
        sent = letter_services.create_letter(author, case, LetterKind.AFRONDING, facts=facts)
        sent = letter_services.mark_checked(author, sent)
        sent = letter_services.mark_sent(author, sent, sent_on=date(2026, 12, 3))
        concept = letter_services.create_letter(author, case, LetterKind.AFRONDING, facts=facts)
        bezwaar = letter_services.register_bezwaar(
            author, case, pip_version=version, received_on=date(2026, 12, 3)
        )
    document = document_services.upload_document(
        author, case, data=PDF, kind="overig", document_date=date(2026, 11, 1)
    )
    pip_document = PipDocument.objects.get(version=version, kind="beschikking")
    yield {
        "author": author,
        "case": case,
        "outsider": caseworker_of("enkhuizen"),
        "objects": {"document": document.pk, "letter": sent.pk, "bezwaar": bezwaar.pk},
        "values": {
            "common": {
                "pk": case.pk,
                "letter_pk": concept.pk,
                "bezwaar_pk": bezwaar.pk,
                "version_pk": version.pk,
            },
            "documents": {"document_pk": document.pk},
            "pip_plans": {"document_pk": pip_document.pk},
        },
        "sent_values": {"common": {"pk": case.pk, "letter_pk": sent.pk}},
    }
    app.conf.task_always_eager = previous


def answer(client, path):
    """GET, or POST where the view takes only a POST."""
    response = client.get(path)
    if response.status_code == 405:
        response = client.post(path, {})
    return response.status_code


def test_every_document_url_answers_404_outside_the_cases_scope(client, world):
    routes = sorted(set(document_routes()))
    names = {(namespace, name) for namespace, name, _route in routes}
    # The enumeration reached every kind the issue names, so the check is not vacuous.
    assert {
        ("letters", "detail"),
        ("letters", "pdf"),
        ("letters", "preview"),
        ("letters", "sent"),
        ("letters", "bezwaar-decide"),
        ("documents", "download"),
        ("documents", "upload"),
        ("pip_plans", "document-download"),
        ("pip_plans", "concept-beschikking"),
        ("", "case-tab"),
    } <= names
    paths = [fill(namespace, route, world["values"]) for namespace, _name, route in routes]
    paths.append(
        fill("letters", "inburgeraars/<int:pk>/brieven/<int:letter_pk>/pdf/", world["sent_values"])
    )
    # The caseworker of the case reaches what they may read: the objects exist.
    client.force_login(world["author"])
    readable = [path for path in paths if client.get(path).status_code not in (404, 405)]
    assert len(readable) >= 10, readable
    for needed in ("/pdf/", "/concept.pdf", "/documenten/", "/bezwaren/"):
        assert any(needed in path for path in readable), needed
    # Anyone outside the case's scope gets 404, for a GET and for a POST.
    client.force_login(world["outsider"])
    not_404 = {path: code for path in paths if (code := answer(client, path)) != 404}
    assert not_404 == {}
    posted = {
        path: code
        for path in paths
        if (code := client.post(path, {}).status_code) not in (404, 405)
    }
    assert posted == {}


def api_routes():
    for pattern in router.urls:
        name = pattern.name or ""
        route = str(pattern.pattern)
        if "format" in route:
            continue
        if any(name.startswith(f"{basename}-") for basename in API_BASENAMES):
            yield name, route


def test_every_api_document_endpoint_answers_404_outside_the_cases_scope(api_client, world):
    routes = sorted(set(api_routes()))
    names = {name for name, _route in routes}
    assert {
        "document-list",
        "document-detail",
        "document-download",
        "letter-list",
        "letter-detail",
        "letter-pdf",
        "bezwaar-list",
        "bezwaar-detail",
    } <= names

    def path_of(name, route):
        basename = name.split("-")[0]
        pk = world["objects"][basename]
        return "/api/v1/" + re.sub(r"\(\?P<pk>[^)]*\)", str(pk), route).lstrip("^").rstrip("$")

    paths = {name: path_of(name, route) for name, route in routes}
    api_client.force_authenticate(world["author"])
    for name, path in paths.items():
        response = api_client.get(path)
        assert response.status_code == 200, (name, path, response.status_code)
        if name.endswith("-list"):
            assert response.json()["results"], name
    api_client.force_authenticate(world["outsider"])
    for name, path in paths.items():
        response = api_client.get(path)
        if name.endswith("-list"):
            assert response.status_code == 200 and response.json()["results"] == [], name
        else:
            assert response.status_code == 404, (name, path, response.status_code)
