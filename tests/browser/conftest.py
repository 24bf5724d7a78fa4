"""Browser tests: Playwright drives Debian's Chromium against live_server; axe-core checks every page.

Every test in this folder carries the `browser` marker (added here), so `-m "not browser"` leaves
them out. Under xdist each worker has its own Chromium and live server (and test database).
"""

from pathlib import Path

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


HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    # A conftest's hook sees the whole session's items: mark only those in this folder.
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


def assert_accessible(page):
    results = AXE.run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


@pytest.fixture(autouse=True)
def browser_reference_data(reference_data):
    """Browser tests run in transactional tests (tests/conftest.py: reference_data)."""


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
    """login(user) -> the page, logged in afresh as `user` (password, then the TOTP code) on the
    page the role lands on (`lands_on`: Vandaag for caseworkers and team leads, the dashboard for
    WerkSaam staff)."""

    def do_login(user, lands_on="/"):
        page.context.clear_cookies()
        # With the second factor: the code computed from the user's TOTP device key.
        browser_login(page, live_server.url, user, TEST_PASSWORD, check=assert_accessible)
        page.wait_for_url(f"{live_server.url}{lands_on}")
        assert_accessible(page)
        return page

    return do_login
