"""A team that runs its caseload (issue 12): the team lead assigns from Vandaag and the case list,
a klantmanager takes a case and corrects an address in place, at 1280 and 390 px wide."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cases.models import Inburgeraar
from municipalities.models import Role

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set SCREENSHOTS=/some/dir to keep the pages for looking at them.
SHOTS = os.environ.get("SCREENSHOTS")


def shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_team_lead_assigns_unassigned_cases(login, live_server, member_of, case_in):
    lead = member_of("hoorn", Role.TEAMLEIDER, first_name="Tineke", last_name="Leider")
    klantmanager = member_of("hoorn", Role.KLANTMANAGER, first_name="Karim", last_name="Manager")
    cases = [case_in("hoorn", surname=f"Nieuw{n}", caseworker=None) for n in range(3)]
    page = login(lead)
    section = page.locator("#unassigned-title")
    assert "(3)" in section.inner_text()
    shot(page, "lead-vandaag-1280")
    page.get_by_role("link", name="Dossiers verdelen").click()
    page.wait_for_selector("#assign-form")
    assert_accessible(page)
    page.get_by_label(f"{cases[0].full_name} kiezen").check()
    page.get_by_label(f"{cases[1].full_name} kiezen").check()
    page.get_by_label("Aan klantmanager").select_option(str(klantmanager.pk))
    shot(page, "lead-caselist-1280")
    page.get_by_role("button", name="Toewijzen", exact=True).click()
    page.wait_for_selector("text=2 dossiers toegewezen aan Karim Manager")
    assert_accessible(page)
    assert Inburgeraar.objects.filter(caseworker=klantmanager).count() == 2

    page.get_by_role("link", name="Werkverdeling").click()
    row = page.locator("#caseload tr", has_text="Karim Manager")
    assert row.locator("td").first.inner_text() == "2"
    assert_accessible(page)
    shot(page, "lead-caseload-1280")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/")
    shot(page, "lead-vandaag-390")
    page.goto(f"{live_server.url}/inburgeraars/")
    shot(page, "lead-caselist-390")


def test_klantmanager_takes_a_case_and_corrects_the_address(login, live_server, case_in, member_of):
    klantmanager = member_of("hoorn", Role.KLANTMANAGER, first_name="Karim", last_name="Manager")
    case = case_in("hoorn", caseworker=None, street="Oude Weg", postal_code="1620 AA")
    page = login(klantmanager)
    page.goto(f"{live_server.url}/inburgeraars/{case.pk}/")
    page.get_by_role("button", name="Aan mij toewijzen").click()
    page.wait_for_selector("text=Het dossier is toegewezen aan Karim Manager")
    assert_accessible(page)

    # Something typed in another block stays while the address is saved.
    page.get_by_text("Gezinslid toevoegen").first.click()
    page.get_by_label("BSN van het gezinslid").fill("999")
    page.get_by_role("link", name="wijzigen adres en contact").click()
    street = page.get_by_label("Straat")
    street.wait_for()
    assert page.evaluate("document.activeElement.name") == "street"
    street.fill("Grote Noord")
    page.get_by_label("Postcode").fill("1621kj")
    shot(page, "km-correct-address-1280")
    page.get_by_role("button", name="Adres en contact opslaan").click()
    page.wait_for_selector("#overview-status:has-text('De gegevens zijn opgeslagen.')")
    assert "Grote Noord" in page.locator("#block-contact").inner_text()
    assert "1621 KJ" in page.locator("#block-contact").inner_text()
    # htmx moves focus to the saved block's [autofocus] heading when it settles, just after the
    # swap that shows the status: expect() polls for it (page.wait_for_function would evaluate a
    # string in the page, which the site's CSP forbids).
    expect(page.locator("#contact-title")).to_be_focused()
    assert page.get_by_label("BSN van het gezinslid").input_value() == "999"
    assert_accessible(page)
    case.refresh_from_db()
    assert (case.street, case.postal_code, case.caseworker) == (
        "Grote Noord",
        "1621 KJ",
        klantmanager,
    )

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/inburgeraars/{case.pk}/")
    shot(page, "km-dossier-390")
    page.goto(f"{live_server.url}/")
    shot(page, "km-vandaag-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    shot(page, "km-vandaag-1280")
