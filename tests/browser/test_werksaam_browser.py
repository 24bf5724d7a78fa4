"""The WerkSaam flow in a real browser (issue 6): a caseworker shares a case from the dossier,
WerkSaam works its dashboard and records bijstand, Stuurinformatie for the team lead; axe-core on
every page."""

import re

import pytest
from playwright.sync_api import expect

from municipalities.models import Role

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.slow
def test_share_then_werksaam_works_the_case(
    login, page, live_server, caseworker_of, member_of, case_in
):
    caseworker = caseworker_of("hoorn")
    ws_user = member_of("werksaam", Role.WERKSAAM_MEDEWERKER)
    case = case_in("hoorn", caseworker=caseworker)

    login(caseworker)
    page.goto(f"{live_server.url}/inburgeraars/{case.pk}/")
    page.get_by_role("link", name="Delen met WerkSaam").click()
    assert_accessible(page)
    page.get_by_label("Participatiewet-uitkering (bijstand)").check()
    page.get_by_role("button", name="Delen met WerkSaam").click()
    page.wait_for_selector("text=Het dossier is gedeeld met WerkSaam.")
    assert_accessible(page)

    login(ws_user, lands_on="/werksaam/")
    # expect() polls until the page the click opened shows the case: is_visible() answers at
    # once, and could read the page the browser was still leaving.
    page.get_by_role("link", name="WerkSaam", exact=True).click()
    expect(page.get_by_role("link", name=case.full_name)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Gemeente", exact=True).select_option(label="Enkhuizen")
    page.get_by_role("button", name="Filteren").click()
    # Wait for the filtered page itself: a count of 0 on the page being left would pass anyway.
    expect(page).to_have_url(re.compile(r"[?&]municipality="))
    expect(page.get_by_role("link", name=case.full_name)).to_have_count(0)
    page.get_by_role("link", name="Filters wissen").click()
    page.get_by_role("link", name=case.full_name).click()
    assert_accessible(page)
    page.locator("summary", has_text="Bijstand").click()
    page.get_by_label("Bijstand vanaf").fill("2026-10-01")
    page.locator("form[action$='/bijstand/toevoegen/'] button").click()
    page.wait_for_selector("text=Vanaf 01-10-2026")
    assert_accessible(page)

    # The caseworker sees WerkSaam's record on the timeline, and ends the share.
    login(caseworker)
    page.goto(f"{live_server.url}/inburgeraars/{case.pk}/tijdlijn/")
    assert page.get_by_text("WerkSaam: bijstand vanaf 01-10-2026 vastgelegd").is_visible()
    page.goto(f"{live_server.url}/inburgeraars/{case.pk}/werksaam/delen/")
    page.locator("summary", has_text="Beëindigen").click()
    page.get_by_label("Reden").fill("Uitkering beëindigd")
    page.get_by_role("button", name="Delen beëindigen").click()
    page.wait_for_selector("text=Het delen met WerkSaam is beëindigd.")
    assert_accessible(page)

    login(ws_user, lands_on="/werksaam/")
    response = page.goto(f"{live_server.url}/werksaam/inburgeraars/{case.pk}/")
    assert response.status == 404
    response = page.goto(f"{live_server.url}/inburgeraars/{case.pk}/")
    assert response.status == 404


def test_stuurinformatie_for_the_team_lead(login, page, member_of, case_in):
    lead = member_of("hoorn", Role.TEAMLEIDER)
    for _ in range(3):
        case_in("hoorn")
    login(lead)
    page.get_by_role("link", name="Stuurinformatie").click()
    expect(page.get_by_role("heading", name="Regio Westfriesland")).to_be_visible()
    assert_accessible(page)
