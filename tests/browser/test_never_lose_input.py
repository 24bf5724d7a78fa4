"""Never lose what was typed (issue 12), in a real browser: an intake with input in two sections
(saving one keeps the other, focus stays, the status is announced where the user is, leaving
with unsaved input asks first), and a PIP submitted with edits that were never saved."""

from datetime import date

import pytest

from intake.models import Intake
from municipalities.models import Role
from pip_plans.models import PipStatus, PipVersion
from tests.factories import IntakeFactory, LanguageSchoolFactory

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_intake_input_in_two_sections_is_never_lost(login, live_server, caseworker_of, case_in):
    user = caseworker_of("hoorn")
    case = case_in("hoorn", caseworker=user, date_of_birth=date(1984, 6, 1), surname="Nooitkwijt")
    IntakeFactory(in_progress=True, inburgeraar=case)
    page = login(user)
    page.goto(f"{live_server.url}/inburgeraars/{case.pk}/intake/")
    assert_accessible(page)

    # Typed in two sections; only the first is saved.
    page.get_by_label("Datum leerbaarheidstoets").fill("2026-10-01")
    page.get_by_label("Score leerbaarheidstoets").fill("30")
    circumstances = page.get_by_role("textbox", name="Persoonlijke omstandigheden")
    circumstances.fill("Woont bij haar zus; twee kinderen op de basisschool.")
    page.get_by_role("button", name="Toets opslaan").click()
    status = page.locator("#status-toets")
    status.filter(has_text="Opgeslagen.").wait_for()
    assert status.get_attribute("role") == "status"  # a live region that was there already
    assert "B1 haalbaar" in page.locator("#test-outcome").inner_text()
    # The other section keeps what was typed, and focus stays on the button that was pressed.
    assert circumstances.input_value() == "Woont bij haar zus; twee kinderen op de basisschool."
    assert page.evaluate("document.activeElement.id") == "save-toets"
    assert page.evaluate("window.scrollY") > 0  # no jump to the top

    # The second section saves too: its version was brought up to date beside the first save.
    page.get_by_role("button", name="Omstandigheden opslaan").click()
    page.locator("#status-omstandigheden").filter(has_text="Opgeslagen.").wait_for()
    intake = Intake.objects.get(inburgeraar=case)
    assert intake.test_score == 30
    assert intake.personal_circumstances.startswith("Woont bij haar zus")
    assert_accessible(page)

    # Typed and not saved: another tab asks first, and staying keeps the text.
    page.get_by_label("Toelichting opleiding en werkervaring").fill("Kapster, tien jaar.")
    asked = []

    def stay(dialog):
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    page.get_by_role("link", name="Tijdlijn").click()
    page.wait_for_timeout(300)
    assert asked == ["confirm"]
    assert page.get_by_label("Toelichting opleiding en werkervaring").input_value() == (
        "Kapster, tien jaar."
    )
    # Leaving the page asks too (beforeunload).
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert "beforeunload" in asked


def test_pip_submitted_with_unsaved_edits(login, live_server, caseworker_of, member_of, case_in):
    from intake import services as intake_services

    caseworker = caseworker_of("hoorn")
    member_of("hoorn", Role.TEAMLEIDER)
    case = case_in(
        "hoorn",
        date_of_birth=date(1988, 2, 2),
        doelgroep="asielstatushouder",
        caseworker=caseworker,
        surname="Ongespaard",
    )
    intake = IntakeFactory(in_progress=True, legal_minimum=True, inburgeraar=case)
    intake_services.complete_intake(caseworker, intake, expected_version=intake.version)
    LanguageSchoolFactory(name="Taalschool Nieuw")
    page = login(caseworker)
    page.goto(f"{live_server.url}/inburgeraars/{case.pk}/pip/")
    # Chosen and typed, never saved with "Concept opslaan".
    page.get_by_label("Taalschool").select_option(label="Taalschool Nieuw")
    page.get_by_label("Hoofddoel").select_option("werk")
    page.get_by_label("Doel werk", exact=True).fill("Werk in de zorg")
    page.get_by_role("button", name="Ter vaststelling aanbieden").click()
    page.wait_for_selector("text=opgeslagen en ter vaststelling aangeboden")
    assert "Kies de taalschool" not in page.content()
    version = PipVersion.objects.get(pip__inburgeraar=case)
    assert version.status == PipStatus.TER_VASTSTELLING
    assert version.language_school.name == "Taalschool Nieuw"
    assert version.goal_work == "Werk in de zorg"
    assert_accessible(page)
