"""Phone and small screens (issue 12): from 360 px the header menu folds behind "Menu" with
Meldingen and Uitloggen reachable, the dossier tabs scroll on their own, nothing makes the page
scroll sideways; a refused registration moves the focus to its error summary."""

import os
from datetime import date
from pathlib import Path

import pytest

from municipalities.models import Role

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("SCREENSHOTS")
PHONE = {"width": 390, "height": 844}


def shot(page, name):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def no_sideways_scroll(page):
    width, inner = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"{page.url}: {width} > {inner}"


def in_view(page, locator):
    box = locator.bounding_box()
    assert box is not None, locator
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"], box


@pytest.mark.parametrize("width", [390, 360])
def test_phone_menu_tabs_and_no_sideways_scroll(login, live_server, member_of, case_in, width):
    worker = member_of("hoorn", Role.KLANTMANAGER, first_name="Karim", last_name="Manager")
    case = case_in(
        "hoorn",
        caseworker=worker,
        first_names="Aylin Zeynep",
        surname="Karaoğlu-Vermeulen",
        datum_kennisgeving=date(2026, 9, 1),
    )
    page = login(worker)
    page.set_viewport_size({**PHONE, "width": width})
    for url, name in (
        ("/", "vandaag"),
        ("/inburgeraars/", "caselist"),
        (f"/inburgeraars/{case.pk}/", "dossier"),
        ("/inburgeraars/nieuw/", "register"),
    ):
        page.goto(f"{live_server.url}{url}")
        toggle = page.get_by_role("button", name="Menu")
        assert toggle.is_visible()
        # Folded: the menu's items are not in the way until asked for.
        assert not page.get_by_role("link", name="Meldingen").is_visible()
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
        for item in (
            page.get_by_role("link", name="Meldingen"),
            page.get_by_role("button", name="Uitloggen"),
            page.get_by_role("link", name="Inburgeraars", exact=True),
        ):
            assert item.is_visible()
            in_view(page, item)
        no_sideways_scroll(page)
        assert_accessible(page)
        shot(page, f"klantmanager-{name}-{width}")
        if name == "dossier":
            tabs = page.locator(".app-tabs__list")
            overflow = tabs.evaluate("el => getComputedStyle(el).overflowX")
            assert overflow == "auto"
            # The case header is not sticky on a phone: it scrolls away with the page.
            header = page.locator(".app-case-header")
            assert header.evaluate("el => getComputedStyle(el).position") == "static"
    # On a wide screen there is no Menu button and the items are in the header's row.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/")
    assert not page.get_by_role("button", name="Menu").is_visible()
    assert page.get_by_role("link", name="Meldingen").is_visible()


def test_a_long_email_address_wraps_on_a_phone(login, live_server, member_of, case_in):
    """An address without a break in it (70 characters) wraps inside the dossier's Contact block
    at 360 px: Faker's shorter ones once widened the page by 3 px, this one by 166 px."""
    worker = member_of("hoorn", Role.KLANTMANAGER)
    email = "aylin.zeynep.karaoglu-vermeulen@gemeentehoornwestfriesland.example.org"
    case = case_in("hoorn", caseworker=worker, email=email)
    page = login(worker)
    page.set_viewport_size({**PHONE, "width": 360})
    page.goto(f"{live_server.url}/inburgeraars/{case.pk}/")
    address = page.get_by_text(email)
    assert address.is_visible()
    in_view(page, address)
    no_sideways_scroll(page)
    shot(page, "klantmanager-dossier-long-email-360")


def test_refused_registration_moves_focus_to_the_error_summary(login, live_server, member_of):
    worker = member_of("hoorn", Role.KLANTMANAGER)
    page = login(worker)
    page.goto(f"{live_server.url}/inburgeraars/nieuw/")
    assert page.locator("legend", has_text="Persoon").is_visible()
    page.get_by_role("button", name="Inburgeraar inschrijven").click()
    page.wait_for_selector(".app-error-summary")
    focused = page.evaluate("document.activeElement.classList.contains('app-error-summary')")
    assert focused
    assert_accessible(page)
