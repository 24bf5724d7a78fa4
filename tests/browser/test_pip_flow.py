"""Issue 4 in a real browser: a caseworker drafts and submits the PIP of a case whose intake is
complete, a team lead adopts it, and the decision letter PDF downloads."""

import hashlib
from datetime import date
from pathlib import Path

import pytest

from intake import services as intake_services
from municipalities.models import Role
from pip_plans.models import PipDocument, PipStatus, PipVersion
from tests.auth_helpers import browser_login, watch_for_csp_violations
from tests.factories import IntakeFactory, LanguageSchoolFactory

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def eager_celery():
    """The PDFs are made by a Celery task after adoption; with REDIS_URL set (CI) no worker runs
    in this test, so run tasks in-process (the live server shares this process)."""
    from westfriesland.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.mark.slow
def test_from_completed_intake_to_adopted_pip_and_pdf(
    login, live_server, caseworker_of, member_of, case_in, page, browser
):
    caseworker = caseworker_of("hoorn")
    lead = member_of("hoorn", Role.TEAMLEIDER)
    case = case_in(
        "hoorn",
        date_of_birth=date(1988, 2, 2),
        doelgroep="asielstatushouder",
        caseworker=caseworker,
        first_names="Yonas",
        surname="Tesfay",
    )
    intake = IntakeFactory(in_progress=True, legal_minimum=True, inburgeraar=case)
    intake_services.complete_intake(caseworker, intake, expected_version=intake.version)
    LanguageSchoolFactory(name="Taalschool A")

    login(caseworker)
    page.goto(f"{live_server.url}/inburgeraars/{case.pk}/pip/")
    assert "Kies de taalschool" in page.locator("#pip-rule-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Taalschool").select_option(label="Taalschool A")
    page.get_by_label("Hoofddoel").select_option("werk")
    page.get_by_label("Doel werk", exact=True).fill("Werk als monteur")
    page.get_by_role("button", name="Concept opslaan").click()
    page.wait_for_selector("text=Concept opgeslagen.")
    assert page.locator("#pip-rule-summary").count() == 0
    page.get_by_role("button", name="Ter vaststelling aanbieden").click()
    page.wait_for_selector("text=ter vaststelling aangeboden")
    assert page.get_by_role("button", name="PIP vaststellen").count() == 0  # four eyes
    assert_accessible(page)

    lead_context = browser.new_context(
        locale="nl-NL", timezone_id="Europe/Amsterdam", accept_downloads=True
    )
    lead_page = lead_context.new_page()
    lead_violations = watch_for_csp_violations(lead_page)
    from tests.factories import TEST_PASSWORD

    browser_login(lead_page, live_server.url, lead, TEST_PASSWORD)
    lead_page.locator("section[aria-labelledby=adopt-title]").get_by_role(
        "link", name="Yonas Tesfay"
    ).click()
    assert_accessible(lead_page)
    lead_page.get_by_role("button", name="PIP vaststellen").click()
    # Irreversible: a page that says what it decides, with the concept of the letter (issue 12).
    lead_page.wait_for_selector("text=kan niet ongedaan worden gemaakt")
    assert_accessible(lead_page)
    href = lead_page.locator("#concept-link").get_attribute("href")
    concept = lead_page.request.get(live_server.url + href)
    assert concept.ok and concept.body().startswith(b"%PDF")
    assert PipVersion.objects.get(pip__inburgeraar=case).status == PipStatus.TER_VASTSTELLING
    lead_page.get_by_role("button", name="Ja, PIP vaststellen").click()
    lead_page.wait_for_selector("text=Het PIP is vastgesteld.")
    version = PipVersion.objects.get(pip__inburgeraar=case)
    assert version.status == PipStatus.VASTGESTELD and version.adopted_by == lead

    # The documents block fills itself in (htmx polling) once the PDFs are made.
    link = lead_page.get_by_role("link", name="Beschikking met plan")
    link.wait_for()
    with lead_page.expect_download() as download_info:
        link.click()
    path = download_info.value.path()
    data = Path(path).read_bytes()
    assert data.startswith(b"%PDF")
    stored = PipDocument.objects.get(version=version, kind=PipDocument.Kind.BESCHIKKING)
    assert hashlib.sha256(data).hexdigest() == stored.sha256
    assert_accessible(lead_page)
    assert lead_violations == []
    lead_context.close()
