"""Browser tests: Playwright drives Debian's Chromium against live_server; axe-core checks every page."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.auth_helpers import browser_login
from tests.factories import TEST_PASSWORD

AXE = Axe()
# WCAG 2.1 A and AA, which Dutch law requires of government software, plus axe's best practices.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


def assert_accessible(page):
    results = AXE.run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """Browser tests run in transactional tests, which flush the database after each test; Django's
    post_migrate recreates permissions and role groups, this restores the organisations."""
    from django.contrib.auth.models import Group

    from municipalities.models import Organisation
    from municipalities.reference import ensure_organisations

    ensure_organisations(Organisation, Group)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "nl-NL",
        "timezone_id": "Europe/Amsterdam",
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture
def login(page, live_server):
    def do_login(user):
        # With the second factor: the code computed from the user's TOTP device key.
        browser_login(page, live_server.url, user, TEST_PASSWORD, check=assert_accessible)
        page.wait_for_url(f"{live_server.url}/")
        assert_accessible(page)
        return page

    return do_login
