"""Issue 13 in a real browser: a case from adopted PIP through enrolment, a progress review,
exam results and afronding; a language school user reporting attendance by CSV. axe-core checks
every new page."""

from datetime import date
from decimal import Decimal

import pytest

from municipalities.models import Role
from tests.uitvoering_helpers import adopted_case, enrolment, language_school, school_user
from uitvoering import services
from uitvoering.models import Attendance, Enrolment, ExamResult, ProgressReview

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def eager_celery():
    from westfriesland.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def form(page, action):
    return page.locator(f"form[action='{action}']")


def test_from_adopted_pip_to_afronding(
    login, live_server, caseworker_of, member_of, case_in, page, tmp_path
):
    caseworker = caseworker_of("hoorn")
    lead = member_of("hoorn", Role.TEAMLEIDER)
    case = case_in(
        "hoorn",
        date_of_birth=date(1990, 5, 5),
        doelgroep="asielstatushouder",
        caseworker=caseworker,
        first_names="Selam",
        surname="Haile",
    )
    adopted_case(caseworker, lead, case)
    language_school()

    login(caseworker)
    base = f"/inburgeraars/{case.pk}/uitvoering/"
    page.goto(f"{live_server.url}{base}")
    assert_accessible(page)

    page.get_by_text("Aanmelden bij een taalschool").click()
    enrol = form(page, f"{base}aanbod/")
    enrol.get_by_label("Taalschool", exact=True).select_option(label="Taalhuis Westfriesland")
    enrol.get_by_label("datum aanmelding").fill("2026-06-20")
    enrol.get_by_label("werkelijke startdatum cursus").fill("2026-09-01")
    enrol.get_by_role("button", name="Aanbod vastleggen").click()
    page.wait_for_selector("text=Het inburgeringsaanbod is vastgelegd.")
    item = Enrolment.objects.get(inburgeraar=case)
    assert item.actual_start == date(2026, 9, 1)
    assert_accessible(page)

    # The school reports a month; the caseworker reads the case's attendance and verzuim.
    services.report_attendance(
        school_user(item.school),
        item,
        period_start=date(2026, 9, 1),
        period_end=date(2026, 9, 30),
        values={"hours_present": Decimal("40"), "hours_unexcused": Decimal("9")},
    )
    page.get_by_role("link", name="Alle presentie en verzuim bekijken").click()
    page.wait_for_selector(f"#attendance-totals-{item.pk}")
    assert "01-09-2026 t/m 30-09-2026" in page.content()
    assert page.locator(".app-badge--danger", has_text="boven de drempel").count() == 1
    assert_accessible(page)
    page.get_by_role("link", name="Terug naar het dossier").click()

    page.get_by_text("Voortgangsgesprek vastleggen").click()
    review = form(page, f"{base}voortgang/")
    review.get_by_label("datum gesprek").fill("2026-11-02")
    review.get_by_label("deelnemers").fill("inburgeraar, klantmanager")
    review.get_by_label("taal: afgesproken").fill("Extra les spreken")
    review.get_by_role("button", name="Gesprek vastleggen").click()
    page.wait_for_selector("text=Het voortgangsgesprek is vastgelegd.")
    assert ProgressReview.objects.filter(inburgeraar=case).count() == 1

    page.get_by_text("Examenresultaat vastleggen").click()
    exam = form(page, f"{base}examen/")
    exam.get_by_label("onderdeel").select_option("lezen")
    exam.get_by_label("Niveau").select_option("B1")
    exam.get_by_label("examendatum").fill("2027-06-01")
    exam.get_by_label("resultaat").select_option("behaald")
    exam.get_by_role("button", name="Resultaat vastleggen").click()
    page.wait_for_selector("text=Het examenresultaat is vastgelegd.")
    assert_accessible(page)
    # The other four parts from DUO's CSV: a preview with its per-row errors, then commit.
    page.get_by_role("link", name="Examenresultaten importeren (CSV van DUO)").click()
    assert_accessible(page)
    results = tmp_path / "uitslagen.csv"
    results.write_text(
        "bsn;onderdeel;niveau;examendatum;resultaat\n"
        + "".join(
            f"{case.bsn};{part};B1;01-06-2027;behaald\n"
            for part in ("luisteren", "schrijven", "spreken", "knm")
        )
        + "123456782;lezen;B1;01-06-2027;behaald\n",
        encoding="utf-8",
    )
    page.get_by_label("CSV-bestand met examenresultaten van DUO").set_input_files(str(results))
    page.get_by_role("button", name="Voorbeeld bekijken").click()
    page.wait_for_selector("#preview-counts")
    assert (
        "4 regels worden verwerkt, 1 regels hebben fouten"
        in page.locator("#preview-counts").inner_text()
    )
    assert "Geen open dossier met dit BSN" in page.content()
    assert_accessible(page)
    assert ExamResult.objects.filter(inburgeraar=case).count() == 1
    page.get_by_role("button", name="4 resultaten vastleggen").click()
    page.wait_for_selector("text=4 examenresultaten zijn vastgelegd.")
    for part in ("map", "pvt"):
        services.record_completion(
            caseworker, case, part=part, values={"on": date(2027, 9, 1), "result": "voldaan"}
        )
    assert ExamResult.objects.filter(inburgeraar=case).count() == 5

    page.goto(f"{live_server.url}{base}verhuizen/")
    assert_accessible(page)
    page.goto(f"{live_server.url}{base}")
    assert "Lezen: Behaald" in page.locator("#exam-statuses").inner_text()
    page.get_by_text("Inburgering afronden").click()
    close = form(page, f"{base}afronden/")
    close.get_by_label("uitkomst").select_option("voldaan")
    close.get_by_label("datum", exact=True).fill("2027-10-01")
    close.get_by_role("button", name="Dossier afsluiten").click()
    page.wait_for_selector("text=Het dossier is afgesloten.")
    assert "Voldaan" in page.locator("#afronding-status").inner_text()
    case.refresh_from_db()
    assert case.status == "afgerond"
    assert_accessible(page)


def test_language_school_reports_attendance_by_csv(
    login, live_server, caseworker_of, member_of, case_in, page, tmp_path
):
    caseworker = caseworker_of("hoorn")
    lead = member_of("hoorn", Role.TEAMLEIDER)
    case = case_in("hoorn", doelgroep="asielstatushouder", caseworker=caseworker)
    adopted_case(caseworker, lead, case)
    school = language_school()
    item = enrolment(caseworker, case, school)
    teacher = school_user(school)

    login(teacher)
    page.get_by_role("link", name="Uw cursisten en presentie melden").click()
    assert case.bsn in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="Presentie en voortgang melden (CSV)").click()
    assert_accessible(page)
    csv_file = tmp_path / "presentie.csv"
    csv_file.write_text(
        "bsn;periode_van;periode_tot;uren_aanwezig;uren_ongeoorloofd_verzuim;niveau_lezen\n"
        f"{case.bsn};01-10-2026;31-10-2026;44;3;A2\n"
        "123456782;01-10-2026;31-10-2026;40;0;\n",
        encoding="utf-8",
    )
    page.get_by_label("CSV-bestand met presentie en voortgang").set_input_files(str(csv_file))
    page.get_by_role("button", name="Voorbeeld bekijken").click()
    page.wait_for_selector("#preview-counts")
    assert (
        # Issue 12: plurals right ("1 regel", not "1 regels").
        "1 regel wordt verwerkt, 1 regel heeft fouten"
        in page.locator("#preview-counts").inner_text()
    )
    assert_accessible(page)
    assert Attendance.objects.count() == 0
    page.get_by_role("button", name="1 regel verwerken").click()
    page.wait_for_selector("text=1 regel met presentie en voortgang is verwerkt.")
    assert Attendance.objects.get(enrolment=item).hours_unexcused == 3
    assert_accessible(page)
