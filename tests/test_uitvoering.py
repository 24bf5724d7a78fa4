"""Issue 13: the uitvoering through its services, pages and API, with worked dates."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.html import escape

from api import services as api_services
from api.models import ApiScope
from cases import services as case_services
from cases.models import CaseStatus
from cases.services import CaseClosedError
from cases.transitions import move_case
from deadlines.models import Deadline, Kind, MunicipalityDeadlineSettings, State
from municipalities.models import Role
from pip_plans import services as pip_services
from pip_plans.models import Pip, PipStatus, PipVersion
from uitvoering import csv_reports, selectors, services
from uitvoering.models import Afronding, Attendance, Verlenging, VerzuimThreshold
from webhooks.models import WebhookDelivery, WebhookSubscriber

from .factories import organisation
from .uitvoering_helpers import adopted_case, enrolment, language_school, school_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(caseworker_of):
    return caseworker_of("hoorn")


@pytest.fixture
def lead(member_of):
    return member_of("hoorn", Role.TEAMLEIDER)


@pytest.fixture
def case(case_in, author):
    return case_in(
        "hoorn", date_of_birth=date(1985, 3, 3), doelgroep="asielstatushouder", caseworker=author
    )


@pytest.fixture
def adopted(author, lead, case):
    return adopted_case(author, lead, case)


@pytest.fixture
def school(db):
    return language_school()


def deadline(case, kind, key=""):
    return Deadline.objects.get(inburgeraar=case, kind=kind, key=key)


def report(user, enrolment_, start, end, present, unexcused="0", **extra):
    return services.report_attendance(
        user,
        enrolment_,
        period_start=start,
        period_end=end,
        values={"hours_present": Decimal(present), "hours_unexcused": Decimal(unexcused), **extra},
    )


# --- 1. enrolment and the course start -----------------------------------------------------------


def test_enrolment_needs_an_adopted_pip(author, case, school):
    with pytest.raises(ValidationError):
        enrolment(author, case, school)


def test_actual_start_meets_the_course_start_deadline(author, adopted, case, school):
    item = enrolment(author, case, school)
    start = deadline(case, Kind.COURSE_START)
    assert start.due_date == date(2026, 9, 10) and start.state == State.OVERDUE
    services.update_enrolment(author, item, values={"actual_start": date(2026, 9, 1)})
    start.refresh_from_db()
    assert start.state == State.DONE and start.done_on == date(2026, 9, 1)
    assert case.timeline.filter(text__contains="Cursus gestart op 01-09-2026").exists()


def test_late_start_for_a_statushouder_asks_for_the_no_fault_statement(
    author, adopted, case, school
):
    item = enrolment(author, case, school)
    item = services.update_enrolment(author, item, values={"actual_start": date(2026, 9, 21)})
    status = services.no_fault_status(case, item)
    assert status["applies"] and status["days_late"] == 11 and status["statement_missing"]
    with pytest.raises(ValidationError):
        services.update_enrolment(author, item, values={"no_fault_statement_on": date(2026, 9, 22)})
    item = services.update_enrolment(
        author,
        item,
        values={
            "no_fault_statement_on": date(2026, 9, 22),
            "no_fault_statement": "De gemeente verklaart dat de late start de inburgeraar niet te verwijten is.",
        },
    )
    assert not services.no_fault_status(case, item)["statement_missing"]


def test_nothing_is_half_saved_when_the_enrolment_is_refused(author, adopted, case, school):
    item = enrolment(author, case, school)
    with pytest.raises(ValidationError):
        services.update_enrolment(author, item, values={"actual_start": date(2026, 6, 1)})
    item.refresh_from_db()
    assert item.actual_start is None and item.version == 1


def test_another_municipality_gets_404(caseworker_of, adopted, case, school, author):
    item = enrolment(author, case, school)
    with pytest.raises(Http404):
        services.update_enrolment(
            caseworker_of("enkhuizen"), item, values={"actual_start": date(2026, 9, 1)}
        )


# --- 2. language schools ------------------------------------------------------------------------------


def test_school_sees_only_its_own_students_and_only_what_it_needs(
    client, author, adopted, case, school, case_in, lead
):
    enrolment(author, case, school)
    other_school = language_school("brug", "Taalschool De Brug")
    other_case = case_in("hoorn", caseworker=author, doelgroep="gezinsmigrant")
    adopted_case(author, lead, other_case)
    enrolment(author, other_case, other_school)
    teacher = school_user(school)
    client.force_login(teacher)
    page = client.get(reverse("uitvoering:school-home")).content.decode()
    assert escape(case.full_name) in page and case.bsn in page
    assert escape(other_case.full_name) not in page
    assert "gezondheid" not in page.lower() and "intake" not in page.lower()
    # The school's own student's dossier is not the school's to read either.
    assert client.get(reverse("case-detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("case-tab", args=[case.pk, "intake"])).status_code == 404


def test_school_reports_attendance_for_its_own_enrolment_only(author, adopted, case, school):
    item = enrolment(author, case, school)
    teacher = school_user(school)
    outsider = school_user(language_school("brug", "Taalschool De Brug"))
    saved = report(teacher, item, date(2026, 9, 1), date(2026, 9, 30), "48", "4")
    assert saved.hours_present == Decimal("48.0")
    # The same period again replaces the report.
    report(teacher, item, date(2026, 9, 1), date(2026, 9, 30), "50", "2")
    assert Attendance.objects.get(enrolment=item).hours_present == Decimal("50.0")
    with pytest.raises(Http404):
        report(outsider, item, date(2026, 10, 1), date(2026, 10, 31), "40")


CSV = (
    "bsn;periode_van;periode_tot;uren_aanwezig;uren_geoorloofd_verzuim;uren_ongeoorloofd_verzuim;niveau_lezen;examenklaar\n"
    "{bsn};01-10-2026;31-10-2026;44;2;10;A2;nee\n"
    "{other};01-10-2026;31-10-2026;40;0;0;;nee\n"
    "{bsn};01-11-2026;30-11-2026;veel;0;0;C9;misschien\n"
)


def test_csv_preview_with_per_row_errors_then_one_transaction(
    client, author, adopted, case, school, case_in
):
    item = enrolment(author, case, school)
    teacher = school_user(school)
    stranger = case_in("enkhuizen")
    raw = CSV.format(bsn=case.bsn, other=stranger.bsn).encode()
    rows = csv_reports.parse(raw, selectors.school_enrolments(teacher))
    assert [bool(r.errors) for r in rows] == [False, True, True]
    assert "Geen inschrijving bij uw school" in rows[1].errors[0]
    assert len(rows[2].errors) == 3  # hours, level, examenklaar

    client.force_login(teacher)
    from django.core.files.uploadedfile import SimpleUploadedFile

    preview = client.post(
        reverse("uitvoering:school-upload"),
        {"file": SimpleUploadedFile("presentie.csv", raw, content_type="text/csv")},
    )
    assert preview.status_code == 200
    assert Attendance.objects.count() == 0  # the preview saves nothing
    payload = preview.context["payload"]
    done = client.post(reverse("uitvoering:school-upload-confirm"), {"payload": payload})
    assert done.status_code == 302
    saved = Attendance.objects.get(enrolment=item)
    assert saved.hours_unexcused == Decimal("10.0") and saved.level_lezen == "A2"
    assert saved.source == Attendance.Source.CSV
    # A tampered payload is refused.
    bad = client.post(reverse("uitvoering:school-upload-confirm"), {"payload": payload + "x"})
    assert bad.status_code == 302 and Attendance.objects.count() == 1


def test_verzuim_above_the_threshold_is_a_signal_on_vandaag(client, author, adopted, case, school):
    item = enrolment(author, case, school)
    teacher = school_user(school)
    report(teacher, item, date(2026, 11, 1), date(2026, 11, 30), "40", "6")
    VerzuimThreshold.objects.create(municipality=organisation("hoorn"), max_unexcused_hours=5)
    client.force_login(author)
    page = client.get(reverse("home")).content.decode()
    assert "Verzuim boven de drempel" in page and escape(case.full_name) in page
    VerzuimThreshold.objects.filter(municipality=organisation("hoorn")).update(
        max_unexcused_hours=6
    )
    assert "Verzuim boven de drempel" not in client.get(reverse("home")).content.decode()


# --- 3. voortgangsgesprekken --------------------------------------------------------------------------


def test_review_meets_its_deadline_and_sets_the_next(author, adopted, case):
    MunicipalityDeadlineSettings.objects.update_or_create(
        municipality=organisation("hoorn"), defaults={"progress_review_interval_months": 3}
    )
    from deadlines.services import recompute_for_case

    recompute_for_case(case)
    # Termijn from 11-06-2026, every 3 months: review 1 due 11-09-2026.
    assert deadline(case, Kind.PROGRESS_REVIEW, "1").due_date == date(2026, 9, 11)
    services.record_review(
        author,
        case,
        values={"held_on": date(2026, 9, 5), "participants": "inburgeraar, klantmanager"},
    )
    first = deadline(case, Kind.PROGRESS_REVIEW, "1")
    assert first.state == State.DONE and first.done_on == date(2026, 9, 5)
    # The next: held + 3 months = 05-12-2026.
    assert deadline(case, Kind.PROGRESS_REVIEW, "2").due_date == date(2026, 12, 5)
    services.record_review(
        author,
        case,
        values={
            "held_on": date(2026, 11, 20),
            "participants": "inburgeraar, klantmanager, taalschool",
            "next_review_on": date(2027, 1, 15),
        },
    )
    assert deadline(case, Kind.PROGRESS_REVIEW, "2").done_on == date(2026, 11, 20)
    assert deadline(case, Kind.PROGRESS_REVIEW, "3").due_date == date(2027, 1, 15)


def test_review_may_open_a_new_pip_version_with_the_reason_prefilled(author, adopted, case):
    services.record_review(
        author,
        case,
        values={
            "held_on": date(2026, 11, 2),
            "participants": "inburgeraar, klantmanager",
            "language_agreed": "Extra les schrijven",
            "new_pip_version": True,
        },
    )
    version = PipVersion.objects.get(pip__inburgeraar=case, number=2)
    assert version.status == PipStatus.CONCEPT
    assert version.reason_text.startswith(
        "Naar aanleiding van het voortgangsgesprek van 02-11-2026"
    )
    assert "Extra les schrijven" in version.reason_text


# --- 4. exams and the PIP rules -------------------------------------------------------------------------


def test_afschalen_uses_the_recorded_course_hours(author, lead, adopted, case, school):
    item = enrolment(author, case, school)
    teacher = school_user(school)
    version = pip_services.new_version(
        author, Pip.objects.get(inburgeraar=case), reason="afschalen"
    )
    version = pip_services.save_draft(
        author, version, expected_version=version.version, values={"level_schrijven": "A2"}
    )
    assert "level_schrijven" in pip_services.check_version(version).errors
    report(teacher, item, date(2026, 9, 1), date(2027, 5, 31), "599")
    assert "level_schrijven" in pip_services.check_version(version).errors
    report(teacher, item, date(2027, 6, 1), date(2027, 6, 30), "1")
    assert "level_schrijven" not in pip_services.check_version(version).errors


def test_exam_result_shows_on_the_pip_tab_and_emits_a_webhook(
    client, author, adopted, case, django_capture_on_commit_callbacks
):
    WebhookSubscriber.objects.create(
        organisation=organisation("hoorn"),
        name="Hoorn",
        url="https://hoorn.example/hook",
        secret="s",
    )
    with django_capture_on_commit_callbacks():
        services.record_exam_result(
            author,
            case,
            values={
                "onderdeel": "lezen",
                "level": "B1",
                "exam_date": date(2027, 6, 1),
                "result": "behaald",
            },
        )
    delivery = WebhookDelivery.objects.get(event_type="exam_result.recorded")
    assert delivery.payload["data"]["onderdeel"] == "lezen"
    assert "bsn" not in str(delivery.payload)
    client.force_login(author)
    page = client.get(reverse("case-tab", args=[case.pk, "pip"])).content.decode()
    assert "Lezen: <span" in page and "Behaald" in page


# --- 5-7. MAP, PVT, verlenging, afronding --------------------------------------------------------------


def test_niet_voldaan_map_needs_reason_and_verwijtbaarheid(author, adopted, case):
    with pytest.raises(ValidationError) as error:
        services.record_completion(
            author, case, part="map", values={"on": date(2027, 9, 1), "result": "niet_voldaan"}
        )
    assert set(error.value.message_dict) == {"reason_not_met", "verwijtbaar"}
    done = services.record_completion(
        author,
        case,
        part="map",
        values={
            "on": date(2027, 9, 1),
            "result": "niet_voldaan",
            "reason_not_met": "Niet verschenen",
            "verwijtbaar": True,
        },
    )
    assert done.verwijtbaar is True


def test_verlenging_moves_the_termijn_end_and_its_deadlines(author, adopted, case):
    with pytest.raises(ValidationError):
        services.request_verlenging(author, case, grond="ziekte", requested_on=date(2028, 12, 10))
    request = services.request_verlenging(
        author, case, grond="ziekte", requested_on=date(2028, 12, 11)
    )
    # The termijn's end as pip_plans stores it (see the report: 11-06-2029 where DOMAIN.md's
    # counting gives 10-06-2029 as the last day).
    before = Pip.objects.get(inburgeraar=case).termijn_end
    assert deadline(case, Kind.TERMIJN_END).due_date == before
    services.decide_verlenging(
        author,
        request,
        decision=Verlenging.Decision.TOEGEKEND,
        decided_on=date(2029, 1, 15),
        new_end=date(2029, 12, 10),
    )
    assert Pip.objects.get(inburgeraar=case).termijn_end == date(2029, 12, 10)
    assert deadline(case, Kind.TERMIJN_END).due_date == date(2029, 12, 10)
    request.refresh_from_db()
    assert request.previous_end == before and request.new_end == date(2029, 12, 10)


def _all_passed(author, case):
    for part in ("lezen", "luisteren", "schrijven", "spreken", "knm"):
        services.record_exam_result(
            author,
            case,
            values={
                "onderdeel": part,
                "level": "B1",
                "exam_date": date(2027, 6, 1),
                "result": "behaald",
            },
        )
    for part in ("map", "pvt"):
        services.record_completion(
            author, case, part=part, values={"on": date(2027, 9, 1), "result": "voldaan"}
        )


def test_voldaan_only_when_every_part_is_done(
    author, adopted, case, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError):
        services.close_case(author, case, outcome="voldaan", on=date(2027, 10, 1))
    case.refresh_from_db()
    assert case.status == CaseStatus.UITVOERING and not Afronding.objects.exists()
    _all_passed(author, case)
    WebhookSubscriber.objects.create(
        organisation=organisation("hoorn"),
        name="Hoorn",
        url="https://hoorn.example/hook",
        secret="s",
    )
    with django_capture_on_commit_callbacks():
        done = services.close_case(author, case, outcome="voldaan", on=date(2027, 10, 1))
    case.refresh_from_db()
    assert case.status == CaseStatus.AFGEROND
    assert done.retention_until == date(2032, 10, 1)
    assert WebhookDelivery.objects.filter(event_type="afronding.recorded").count() == 1
    # Nothing is due any more, and the case is read-only.
    assert not Deadline.objects.filter(inburgeraar=case, state__in=["open", "overdue"]).exists()
    with pytest.raises(CaseClosedError):
        case_services.update_case(author, case, values={"phone": "0612345678"})


def test_niet_voldaan_only_after_the_termijn_and_handed_to_handhaving(author, adopted, case):
    end = Pip.objects.get(inburgeraar=case).termijn_end
    with pytest.raises(ValidationError):
        services.close_case(author, case, outcome="niet_voldaan", on=end)
    done = services.close_case(author, case, outcome="niet_voldaan", on=end + timedelta(days=1))
    assert done.handed_to_handhaving
    case.refresh_from_db()
    assert case.status == CaseStatus.AFGEROND


def test_beeindigd_needs_a_reason(author, adopted, case):
    with pytest.raises(ValidationError):
        services.close_case(author, case, outcome="beeindigd", on=date(2027, 1, 5))
    services.close_case(
        author, case, outcome="beeindigd", on=date(2027, 1, 5), end_reason="genaturaliseerd"
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.BEEINDIGD


def test_closing_only_through_an_afronding(author, adopted, case):
    case.refresh_from_db()
    assert move_case(author, case, CaseStatus.AFGEROND) is False
    from cases.transitions import CASE_MACHINE, transition

    with pytest.raises(ValidationError):
        transition(CASE_MACHINE, case, CaseStatus.BEEINDIGD, actor=author)
    case.refresh_from_db()
    assert case.status == CaseStatus.UITVOERING


# --- 8. moving out of the region ---------------------------------------------------------------------


def test_moving_out_makes_the_pdf_then_the_case_is_read_only(client, author, adopted, case, school):
    enrolment(author, case, school, actual_start=date(2026, 9, 1))
    with pytest.raises(ValidationError):  # not by a plain ending: the PDF comes first
        services.close_case(
            author,
            case,
            outcome="beeindigd",
            on=date(2027, 2, 1),
            end_reason="verhuisd",
            moved_to="Amsterdam",
        )
    client.force_login(author)
    response = client.post(
        reverse("uitvoering:move-out", args=[case.pk]),
        {"moved_to": "Amsterdam", "on": "2027-02-01"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.BEEINDIGD
    tab = client.get(reverse("case-tab", args=[case.pk, "uitvoering"])).content.decode()
    assert "Verhuisd naar Amsterdam" in tab
    pdf = client.get(reverse("uitvoering:summary-download", args=[case.pk]))
    data = b"".join(pdf.streaming_content)
    assert data.startswith(b"%PDF")
    with pytest.raises(CaseClosedError):
        services.record_exam_result(
            author,
            case,
            values={"onderdeel": "lezen", "exam_date": date(2027, 6, 1), "result": "behaald"},
        )


# --- 9. figures -----------------------------------------------------------------------------------


def test_figures_per_municipality(client, author, lead, adopted, case, school):
    item = enrolment(author, case, school)
    services.update_enrolment(author, item, values={"actual_start": date(2026, 9, 10)})
    report(school_user(school), item, date(2026, 9, 10), date(2026, 9, 30), "30", "10")
    figures = selectors.figures(type(case).objects.filter(pk=case.pk))
    assert figures["started_within"] == 1 and figures["started_within_share"] == 100
    assert figures["attendance_share"] == 75
    client.force_login(lead)
    page = client.get(reverse("reporting:figures")).content.decode()
    assert "Cursus gestart binnen 3 (6) maanden" in page


# --- 10. API ---------------------------------------------------------------------------------------


def test_school_client_reports_attendance_and_reads_only_its_own(
    api_client, author, lead, adopted, case, school, case_in
):
    item = enrolment(author, case, school)
    other = case_in("hoorn", caseworker=author)
    adopted_case(author, lead, other)
    foreign = enrolment(author, other, language_school("brug", "Taalschool De Brug"))
    _client, token = api_services.create_api_client(
        None, organisation=school, name="LVS", scopes=[ApiScope.READ, ApiScope.TAALSCHOOL_WRITE]
    )
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    listed = api_client.get("/api/v1/enrolments/").json()["results"]
    assert [row["id"] for row in listed] == [item.pk] and listed[0]["bsn"] == case.bsn
    body = {
        "enrolment": item.pk,
        "period_start": "2026-10-01",
        "period_end": "2026-10-31",
        "hours_present": "40.0",
        "hours_unexcused": "3.5",
        "level_lezen": "A2",
    }
    assert api_client.post("/api/v1/attendance/", body, format="json").status_code == 201
    refused = api_client.post(
        "/api/v1/attendance/", {**body, "enrolment": foreign.pk}, format="json"
    )
    assert refused.status_code == 404  # as for an enrolment that does not exist
    assert api_client.get(f"/api/v1/enrolments/{foreign.pk}/").status_code == 404
    assert api_client.get("/api/v1/exam-results/").json()["results"] == []


def test_school_client_without_write_scope_is_refused(api_client, author, adopted, case, school):
    item = enrolment(author, case, school)
    _client, token = api_services.create_api_client(
        None, organisation=school, name="Lezer", scopes=[ApiScope.READ]
    )
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    body = {
        "enrolment": item.pk,
        "period_start": "2026-10-01",
        "period_end": "2026-10-31",
        "hours_present": "4",
    }
    assert api_client.post("/api/v1/attendance/", body, format="json").status_code == 403


def test_municipality_reads_and_werksaam_only_when_shared(
    client, author, adopted, case, school, member_of
):
    enrolment(author, case, school)
    client.force_login(author)
    assert len(client.get("/api/v1/enrolments/").json()["results"]) == 1
    client.force_login(member_of("werksaam", Role.WERKSAAM_MEDEWERKER))
    assert client.get("/api/v1/enrolments/").json()["results"] == []


def tab_queries(client, case):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("case-tab", args=[case.pk, "uitvoering"]))
    assert response.status_code == 200
    return response, [query["sql"] for query in ctx.captured_queries]


@pytest.mark.parametrize("reports", [10, 1000])
def test_uitvoering_tab_queries_do_not_grow_with_enrolments_or_reports(
    client, author, adopted, case, school, reports
):
    """Per enrolment the tab read its reports and the adopted PIP version again, and the exam
    results and decisions were read twice (once for the statuses, once for the list): now the
    reports of all enrolments are one query (each enrolment's twelve latest), the version and
    the results are read once, whatever the number of enrolments and reports."""
    from uitvoering.models import Enrolment, ExamResult

    client.force_login(author)
    first = enrolment(author, case, school, actual_start=date(2026, 9, 1))
    services.record_exam_result(
        author,
        case,
        values={"onderdeel": "lezen", "exam_date": date(2027, 6, 1), "result": "behaald"},
    )
    _response, one = tab_queries(client, case)
    others = [
        Enrolment.objects.create(
            inburgeraar=case,
            pip=first.pip,
            school=language_school(slug=f"school-{n}", name=f"School {n}"),
            aanmelding_date=date(2026, 6, 20),
            contract_id=f"C-{n}",
        )
        for n in range(2)
    ]
    monday = date(2026, 9, 7)
    Attendance.objects.bulk_create(
        Attendance(
            enrolment=item,
            period_start=monday + timedelta(weeks=n),
            period_end=monday + timedelta(weeks=n, days=4),
            hours_present=Decimal(10),
        )
        for item in [first, *others]
        for n in range(reports // 3 + 1)
    )
    ExamResult.objects.bulk_create(
        ExamResult(
            inburgeraar=case,
            onderdeel="luisteren",
            exam_date=date(2027, 6, n % 28 + 1),
            result="niet_behaald",
            recorded_by=author,
        )
        for n in range(reports // 100)
    )
    response, many = tab_queries(client, case)
    # One more school select for each of the two added enrolments' forms, nothing else.
    assert len(many) == len(one) + 2, (len(one), len(many))
    assert sum("uitvoering_attendance" in sql for sql in many) == 1
    assert sum('FROM "uitvoering_examresult"' in sql for sql in many) == 1
    assert sum('FROM "uitvoering_examdecision"' in sql for sql in many) == 1
    assert sum('FROM "pip_plans_pipversion"' in sql for sql in many) == 1
    assert not any('FROM "pip_plans_languageschool"' in sql for sql in many)
    shown = {item.pk: item.reports for item in response.context["enrolments"]}
    latest = monday + timedelta(weeks=reports // 3)
    for item in (first, *others):
        assert len(shown[item.pk]) == min(12, reports // 3 + 1)
        assert shown[item.pk][0].period_start == latest  # newest first, as before
