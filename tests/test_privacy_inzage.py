"""Issue 11 point 17: inzage (AVG art. 15), the per-person export of everything held, with who read
the file and when, made by the privacy officer and audited; as PDF (PDF/UA-1) and as JSON."""

import json
import subprocess

import pytest
from django.urls import reverse

from audit import events
from audit.models import AuditEntry
from intake import services as intake_services
from intake.models import IntakeTopic
from municipalities.models import Role

from .factories import IntakeFactory
from .test_pip_documents import pdfua_findings

URL = "privacy:inzage"


@pytest.fixture
def officer(member_of):
    return member_of("hoorn", Role.PRIVACY_OFFICER, first_name="Pien", last_name="Privacy")


@pytest.fixture
def case(case_in, caseworker_of):
    case = case_in("hoorn", bsn="123456782", first_names="Amira", surname="Haddad")
    worker = caseworker_of("hoorn", username="kees.klantmanager")
    intake = IntakeFactory(in_progress=True, inburgeraar=case)
    intake_services.save_intake_fields(
        worker,
        intake,
        expected_version=intake.version,
        values={"motivation": "Wil verpleegkundige worden"},
    )
    intake_services.save_topic_note(
        worker, intake, IntakeTopic.objects.create(name="Gezin"), "Twee kinderen"
    )
    events.case_viewed(worker, case, part="overzicht")
    events.bsn_revealed(worker, case)
    return case


def export(client, user, fmt, bsn="123456782"):
    client.force_login(user)
    return client.post(reverse(URL), {"bsn": bsn, "format": fmt})


def test_json_export_holds_the_record_the_intake_and_who_read_it(client, officer, case):
    response = export(client, officer, "json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["grondslag"].startswith("AVG artikel 15")
    assert "Haddad" in data["inburgeraar"].values()
    assert "123456782" in json.dumps(data["inburgeraar"])
    dumped = json.dumps(data["gegevens"], ensure_ascii=False)
    assert "Wil verpleegkundige worden" in dumped
    assert "Twee kinderen" in dumped
    readers = {(read["gebruiker"], read["reden"]) for read in data["inzage_door_anderen"]}
    assert ("kees.klantmanager", "dossier: overzicht") in readers
    assert ("kees.klantmanager", "BSN getoond") in readers
    changes = data["wijzigingen"]
    assert any("motivation" in change["velden"] for change in changes)


def test_pdf_export_reads_as_text_and_passes_pdfua(client, officer, case, tmp_path):
    response = export(client, officer, "pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "inzage.pdf"
    path.write_bytes(response.content)
    text = " ".join(
        subprocess.run(
            ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert "Inzage in uw gegevens" in text
    assert "Haddad" in text
    assert "Wil verpleegkundige worden" in text
    assert "Wie uw dossier heeft ingezien" in text
    assert "kees.klantmanager" in text
    assert "BSN getoond" in text
    assert pdfua_findings(path) == []


@pytest.mark.parametrize("fmt", ["pdf", "json"])
def test_making_the_export_is_audited(client, officer, case, fmt):
    export(client, officer, fmt)
    entry = AuditEntry.objects.for_object(case).get(action=AuditEntry.Action.EXPORT)
    assert entry.actor == officer
    assert entry.reason == f"inzage AVG art. 15: {fmt}"


def test_only_a_privacy_officer_makes_an_export(client, case, caseworker_of, member_of):
    for user in (caseworker_of("hoorn"), member_of("hoorn", Role.BEHEERDER)):
        client.force_login(user)
        assert client.get(reverse(URL)).status_code == 403
        assert export(client, user, "json").status_code == 403
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_another_municipalitys_bsn_answers_as_an_unknown_one(client, member_of, case):
    officer_elsewhere = member_of("enkhuizen", Role.PRIVACY_OFFICER)
    client.force_login(officer_elsewhere)
    assert client.get(reverse(URL)).status_code == 200
    elsewhere = export(client, officer_elsewhere, "json")
    unknown = export(client, officer_elsewhere, "json", bsn="010000021")
    assert elsewhere.status_code == unknown.status_code == 400
    message = "Er is geen inburgeraar met dit BSN bij uw gemeente(n) bekend."
    assert message in elsewhere.content.decode() and message in unknown.content.decode()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()


def test_a_bsn_failing_the_11_proef_is_a_clear_error(client, officer, case):
    response = export(client, officer, "json", bsn="123456789")
    assert response.status_code == 400
    assert "11-proef" in response.content.decode()
