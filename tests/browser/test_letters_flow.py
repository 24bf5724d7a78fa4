"""Issue 14 in a real browser: a caseworker makes the invitation letter, records that the person
did not come, makes the warning, registers a bezwaarschrift against the PIP and decides it; each
letter is checked, marked sent and downloaded as stored (its SHA-256), and every page passes axe."""

import hashlib
import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from intake import services as intake_services
from intake.models import Education
from letters.models import Letter, LetterKind
from municipalities.models import Role
from pip_plans import services as pip_services
from pip_plans.models import PipVersion
from tests.letter_helpers import letterhead, pdf_text
from tests.pip_helpers import school

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def complete_and_adopt(caseworker, lead, intake, *, dagtekening):
    intake = intake_services.begin_intake(caseworker, intake)
    intake = intake_services.save_intake_fields(
        caseworker,
        intake,
        expected_version=intake.version,
        values={
            "test_date": date(2026, 10, 1),
            "test_score": 30,
            "highest_education": "basis",
            "education_work_notes": "Zes jaar school.",
            "personal_circumstances": "Woont alleen.",
            "physical_health": "Geen bijzonderheden.",
            "mental_health": "Geen bijzonderheden.",
            "chosen_route": "B1",
        },
    )
    intake_services.add_intake_item(
        caseworker, intake, Education, name="Basisschool", country="Eritrea", years=6
    )
    intake.refresh_from_db()
    intake_services.complete_intake(caseworker, intake, expected_version=intake.version)
    version = PipVersion.objects.get(pip__inburgeraar=intake.inburgeraar)
    PipVersion.objects.filter(pk=version.pk).update(language_school=school())
    version = pip_services.submit(caseworker, PipVersion.objects.get(pk=version.pk))
    return pip_services.adopt(lead, version, dagtekening=dagtekening)


def check_and_send(page, live_server, letter_label):
    """On a letter's page: mark the concept checked, send it today, download what was stored."""
    assert_accessible(page)
    assert page.locator("#concept-link").count() == 1
    page.get_by_role("button", name="Concept is gecontroleerd").click()
    page.wait_for_selector("text=Gecontroleerd.")
    assert_accessible(page)
    page.get_by_role("button", name="Als verzonden vastleggen").click()
    page.wait_for_selector("text=De brief is als verzonden vastgelegd")
    assert page.locator("#letter-status").inner_text() == "Verzonden"
    assert_accessible(page)
    href = page.get_by_role("link", name="Verzonden brief downloaden (PDF)").get_attribute("href")
    response = page.request.get(f"{live_server.url}{href}")
    assert response.status == 200
    body = response.body()
    letter = Letter.objects.get(pk=int(href.rstrip("/").split("/")[-2]))
    assert hashlib.sha256(body).hexdigest() == letter.sha256
    look = os.environ.get("LETTER_LOOK_DIR")
    if look:  # to look at each letter as an image (pdftoppm) as the person receiving it would
        Path(look).mkdir(parents=True, exist_ok=True)
        (Path(look) / f"{letter_label}.pdf").write_bytes(body)
    return letter


def test_invitation_miss_warning_bezwaar_and_decision(
    login, live_server, caseworker_of, member_of, case_in, page
):
    caseworker = caseworker_of("hoorn")
    lead = member_of("hoorn", Role.TEAMLEIDER)
    letterhead("hoorn")
    case = case_in(
        "hoorn",
        first_names="Yonas",
        surname="Tesfay",
        gender="m",
        date_of_birth=date(1988, 2, 2),
        street="Grote Noord",
        house_number="12",
        postal_code="1621AB",
        city="Hoorn",
        caseworker=caseworker,
    )
    intake = intake_services.plan_intake(caseworker, case)
    # An invitation whose conversation was this morning: its letter can still be made, and the
    # outcome can be recorded.
    now = timezone.localtime()
    conversation = now - timedelta(hours=1)
    intake_services.invite(
        caseworker, intake, conversation_at=conversation, response_date=conversation.date()
    )

    login(caseworker)
    page.goto(f"{live_server.url}/inburgeraars/{case.pk}/brieven/")
    assert_accessible(page)
    page.locator("#letter-actions").get_by_role(
        "link", name="Uitnodiging brede intake (uitnodiging 1"
    ).click()
    assert_accessible(page)
    assert page.get_by_label("Plaats van het gesprek").input_value() == "Nieuwe Steen 1, Hoorn"
    page.get_by_label("Tolk (taal)").fill("Tigrinya")
    page.get_by_role("button", name="Concept maken").click()
    page.wait_for_selector("text=Het concept is klaar.")
    invitation_letter = check_and_send(page, live_server, "1-uitnodiging")
    text = pdf_text(invitation_letter.file.path)
    assert "tolk Tigrinya" in text and "Nieuwe Steen 1, Hoorn" in text

    page.goto(f"{live_server.url}/inburgeraars/{case.pk}/intake/")
    page.get_by_role("button", name="Niet verschenen").click()
    # No measure in one click: first the assessment (Awb 5:41), then the named consequence.
    page.wait_for_selector("text=Beoordeel eerst of er een geldige reden was")
    assert_accessible(page)
    page.locator("#id_geldige_reden_1").check()  # nee
    page.get_by_label("Toelichting geldige reden").fill("Niet afgemeld, niets van gehoord.")
    page.locator("#id_verwijtbaar_0").check()  # ja
    page.get_by_label("Toelichting verwijtbaarheid").fill("De uitnodiging is ontvangen.")
    page.get_by_role("button", name="Gevolgen bekijken").click()
    page.wait_for_selector("#missed-consequence")
    assert_accessible(page)
    assert "Schriftelijke waarschuwing" in page.locator("#missed-consequence").inner_text()
    page.get_by_role("button", name="Bevestigen en vastleggen").click()
    page.wait_for_selector("text=Niet verschenen vastgelegd")
    page.goto(f"{live_server.url}/inburgeraars/{case.pk}/brieven/")
    assert_accessible(page)
    page.locator("#letter-actions").get_by_role(
        "link", name="Waarschuwing na niet verschijnen (uitnodiging 1"
    ).click()
    assert_accessible(page)
    page.get_by_role("button", name="Concept maken").click()
    page.wait_for_selector("text=Het concept is klaar.")
    warning = check_and_send(page, live_server, "2-waarschuwing")
    assert warning.kind == LetterKind.WAARSCHUWING
    assert "Deze brief is een waarschuwing" in pdf_text(warning.file.path)

    version = complete_and_adopt(
        caseworker, lead, intake, dagtekening=now.date() - timedelta(days=7)
    )
    page.goto(f"{live_server.url}/inburgeraars/{case.pk}/brieven/")
    page.get_by_role("link", name="Bezwaarschrift registreren").click()
    assert_accessible(page)
    page.get_by_label("Bezwaar tegen").select_option(f"pip-{version.pk}")
    page.get_by_label("Ontvangen op", exact=True).fill(now.date().isoformat())
    page.get_by_label("Gronden van het bezwaar").fill("Ik wil de onderwijsroute volgen.")
    page.get_by_role("button", name="Registreren").click()
    page.wait_for_selector("text=Het bezwaarschrift is geregistreerd.")
    assert_accessible(page)
    assert page.locator("#bezwaar-on-time").inner_text() == "Ja"
    assert "t/m" in page.locator("#bezwaar-beslistermijn").inner_text()
    page.get_by_label("Hoorzitting op").fill(f"{now.date().isoformat()}T14:00")
    page.get_by_role("button", name="Hoorzitting vastleggen").click()
    page.wait_for_selector("text=De hoorzitting is vastgelegd.")
    page.get_by_label("Beslissing", exact=True).select_option("gegrond")
    page.get_by_label("Motivering (komt in de brief)").fill(
        "Uw opleiding maakt de onderwijsroute haalbaar."
    )
    page.get_by_role("button", name="Beslissing vastleggen").click()
    page.wait_for_selector("text=De beslissing is vastgelegd.")
    decision = check_and_send(page, live_server, "3-beslissing-op-bezwaar")
    text = pdf_text(decision.file.path)
    assert "gegrond" in text and "onderwijsroute haalbaar" in text
    assert case.bezwaren.get().new_pip_version.number == 2


def test_documents_tab_upload_scanned_by_clamd(
    login, live_server, caseworker_of, case_in, page, settings, clamd_socket, tmp_path
):
    from tests.conftest import EICAR
    from tests.test_documents import PDF

    settings.CLAMAV_SOCKET = clamd_socket
    settings.CLAMAV_HOST = ""
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    caseworker = caseworker_of("hoorn")
    case = case_in("hoorn", caseworker=caseworker)
    login(caseworker)
    page.goto(f"{live_server.url}/inburgeraars/{case.pk}/documenten/")
    assert_accessible(page)
    for name, data in (("besmet.pdf", EICAR), ("diploma.pdf", PDF)):
        page.get_by_label("Bestand").set_input_files(
            files=[{"name": name, "mimeType": "application/pdf", "buffer": data}]
        )
        page.get_by_label("Soort document").select_option("diploma")
        page.get_by_label("Datum van het document").fill("2026-11-20")
        page.get_by_role("button", name="Uploaden").click()
        page.wait_for_load_state()
        assert_accessible(page)
        if name == "besmet.pdf":
            assert page.get_by_text("In dit bestand is een virus gevonden").count() >= 1
    page.wait_for_selector("text=Het document is gescand en bewaard.")
    assert (
        page.locator("#documents").get_by_role("link", name="Diploma of certificaat").count() == 1
    )
