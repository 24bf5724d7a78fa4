"""The letters and bezwaar API (issue 14): read for the municipality through the one door, a sent
letter's PDF as stored and audited, 404 outside the case's scope."""

import hashlib
from datetime import date

import pytest
import time_machine
from guardian.shortcuts import assign_perm

from audit.models import AuditEntry
from letters import services
from letters.models import LetterKind
from municipalities.models import Role
from pip_plans import services as pip_services

from .factories import organisation
from .letter_helpers import letterhead, local
from .pip_helpers import draft_for
from .test_letters import send

AFRONDING = {"outcome": "voldaan", "outcome_date": "2026-11-30"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def worker(caseworker_of):
    return caseworker_of("hoorn")


@pytest.fixture
def case(case_in):
    letterhead("hoorn")
    return case_in("hoorn", first_names="Yonas", surname="Tesfay", gender="m")


@pytest.fixture
def letters(worker, case):
    with time_machine.travel(local(2026, 12, 3, 9, 0), tick=False):
        sent = send(
            worker,
            services.create_letter(worker, case, LetterKind.AFRONDING, facts=AFRONDING),
            date(2026, 12, 3),
        )
        concept = services.create_letter(
            worker, case, LetterKind.AFRONDING, facts={**AFRONDING, "note": "Tweede brief."}
        )
    return sent, concept


@pytest.fixture
def bezwaar(worker, member_of, case, django_capture_on_commit_callbacks):
    lead = member_of("hoorn", Role.TEAMLEIDER)
    version = pip_services.submit(worker, draft_for(worker, case))
    with django_capture_on_commit_callbacks(execute=False):
        version = pip_services.adopt(lead, version, dagtekening=date(2026, 3, 2))
    with time_machine.travel(local(2026, 4, 20, 9, 0), tick=False):
        bezwaar = services.register_bezwaar(
            worker, case, pip_version=version, received_on=date(2026, 4, 10)
        )
        services.plan_hearing(worker, bezwaar, hearing_at=local(2026, 4, 28, 14, 0))
    return bezwaar


def test_municipality_reads_its_letters_and_the_sent_pdf(letters, worker, case, api_client):
    sent, concept = letters
    api_client.force_authenticate(worker)
    rows = api_client.get("/api/v1/letters/", {"inburgeraar": case.pk}).json()["results"]
    assert [row["id"] for row in rows] == [concept.pk, sent.pk]
    by_id = {row["id"]: row for row in rows}
    assert by_id[sent.pk]["status"] == "verzonden"
    assert by_id[sent.pk]["dagtekening"] == "2026-12-03"
    assert by_id[sent.pk]["sha256"] == sent.sha256
    assert by_id[sent.pk]["pdf"].endswith(f"/api/v1/letters/{sent.pk}/pdf/")
    assert by_id[concept.pk]["pdf"] is None and by_id[concept.pk]["status"] == "concept"
    assert by_id[concept.pk]["facts"]["note"] == "Tweede brief."
    assert api_client.get("/api/v1/letters/", {"status": "concept"}).json()["results"][0]["id"] == (
        concept.pk
    )
    detail = api_client.get(f"/api/v1/letters/{sent.pk}/")
    assert detail.status_code == 200 and detail.json()["kenmerk"] == sent.kenmerk
    pdf = api_client.get(f"/api/v1/letters/{sent.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert hashlib.sha256(pdf.content).hexdigest() == sent.sha256
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.DOWNLOAD, object_id=str(sent.pk), actor=worker
    ).exists()
    # A concept has no stored PDF.
    assert api_client.get(f"/api/v1/letters/{concept.pk}/pdf/").status_code == 404


def test_tampered_letter_is_not_served_by_the_api(letters, worker, api_client):
    sent, _concept = letters
    with open(sent.file.path, "ab") as stored:
        stored.write(b"x")
    api_client.force_authenticate(worker)
    assert api_client.get(f"/api/v1/letters/{sent.pk}/pdf/").status_code == 500


def test_municipality_reads_its_bezwaren_with_the_beslistermijn(bezwaar, worker, api_client):
    api_client.force_authenticate(worker)
    rows = api_client.get("/api/v1/bezwaren/").json()["results"]
    assert [row["id"] for row in rows] == [bezwaar.pk]
    row = api_client.get(f"/api/v1/bezwaren/{bezwaar.pk}/").json()
    assert row["window_end"] == "2026-04-13"
    assert row["on_time"] is True
    # Monday 25 May 2026 is tweede pinksterdag: the beslistermijn runs on to 26 May.
    assert row["beslistermijn"] == "2026-05-26"
    assert row["hearing_at"].startswith("2026-04-28T")
    assert row["decision"] == ""
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.VIEW, object_id=str(bezwaar.pk), actor=worker
    ).exists()


def test_letters_and_bezwaren_are_404_outside_the_case_scope(
    letters, bezwaar, case, caseworker_of, member_of, api_client
):
    sent, concept = letters
    urls = [
        f"/api/v1/letters/{sent.pk}/",
        f"/api/v1/letters/{sent.pk}/pdf/",
        f"/api/v1/letters/{concept.pk}/",
        f"/api/v1/bezwaren/{bezwaar.pk}/",
    ]
    outsider = caseworker_of("enkhuizen")
    # WerkSaam with a share on the case reads the case, not the municipality's letters.
    assign_perm("cases.view_inburgeraar", organisation("werksaam").group, case)
    werksaam = member_of("werksaam", Role.WERKSAAM_MEDEWERKER)
    for user in (outsider, werksaam):
        api_client.force_authenticate(user)
        for url in urls:
            assert api_client.get(url).status_code == 404, (user, url)
        assert api_client.get("/api/v1/letters/").json()["results"] == []
        assert api_client.get("/api/v1/bezwaren/").json()["results"] == []
    api_client.force_authenticate(None)
    assert api_client.get(urls[0]).status_code in (401, 403)


def test_the_api_is_read_only(letters, worker, api_client):
    sent, _concept = letters
    api_client.force_authenticate(worker)
    assert api_client.post("/api/v1/letters/", {}).status_code == 405
    assert api_client.delete(f"/api/v1/letters/{sent.pk}/").status_code == 405
