"""Issue 13, the exchange: DUO's exam results by CSV (preview with per-row errors, then one
transaction through the services), the caseworker's page of a case's attendance and verzuim, a
language school's API client writing on its own enrolments, and WerkSaam reading the uitvoering
endpoints only for shared cases."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from api import services as api_services
from api.models import ApiScope
from audit.models import AuditEntry
from cases.models import CaseStatus
from deadlines.models import Deadline, Kind, State
from municipalities.models import Role
from uitvoering import csv_exams, services
from uitvoering.models import Afronding, Attendance, ExamResult, VerzuimThreshold
from webhooks.models import WebhookDelivery, WebhookSubscriber
from werksaam_bridge import services as werksaam_services
from werksaam_bridge.models import Share

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


def upload(name, raw):
    return SimpleUploadedFile(name, raw, content_type="text/csv")


# --- 4. exam results from DUO's CSV ------------------------------------------------------------------

EXAMS = (
    "BSN;Onderdeel;Niveau;Score;Examendatum;Resultaat;Datum_registratie\n"
    "{bsn};lezen;B1;512;01-06-2027;behaald;15-06-2027\n"
    "{bsn};KNM;;;02-06-2027;niet behaald;\n"
    "{stranger};lezen;B1;480;01-06-2027;behaald;\n"
    "{bsn};rekenen;C1;veel;31-02-2027;misschien;\n"
    "{bsn};lezen;B1;512;01-06-2027;behaald;\n"
    "{bsn};spreken;B1;;03-06-2027;behaald;01-06-2027\n"
)


def exams_csv(case, stranger):
    return EXAMS.format(bsn=case.bsn, stranger=stranger.bsn).encode()


def test_exam_csv_rows_are_checked_one_by_one(author, adopted, case, case_in):
    stranger = case_in("enkhuizen")  # exists, but not the importer's to change
    rows = csv_exams.parse(exams_csv(case, stranger), csv_exams.cases_for(author))
    assert [bool(r.errors) for r in rows] == [False, False, True, True, True, True]
    first = rows[0]
    assert first.case_id == case.pk and first.name == case.full_name
    assert first.cleaned == {
        "onderdeel": "lezen",
        "level": "B1",
        "score": Decimal("512.0"),
        "exam_date": date(2027, 6, 1),
        "result": "behaald",
        "registered_on": date(2027, 6, 15),
    }
    assert rows[1].cleaned["onderdeel"] == "knm" and rows[1].cleaned["result"] == "niet_behaald"
    assert rows[2].errors == ["Geen open dossier met dit BSN dat u mag wijzigen."]
    # onderdeel, examendatum, resultaat, niveau, score: five errors on one row.
    assert len(rows[3].errors) == 5
    assert "regel 2" in rows[4].errors[0]  # the same part and date twice in the file
    assert "vóór de examendatum" in rows[5].errors[0]


def test_exam_csv_of_a_closed_case_is_refused_per_row(author, adopted, case, case_in):
    services.close_case(
        author, case, outcome="beeindigd", on=date(2027, 1, 1), end_reason="overleden"
    )
    rows = csv_exams.parse(exams_csv(case, case_in("enkhuizen")), csv_exams.cases_for(author))
    assert rows[0].errors == ["Geen open dossier met dit BSN dat u mag wijzigen."]


def test_exam_csv_missing_columns_is_one_file_error(client, author, adopted):
    client.force_login(author)
    response = client.post(
        reverse("uitvoering:exam-import"),
        {"file": upload("uitslag.csv", b"bsn;onderdeel\n123456782;lezen\n")},
    )
    assert response.status_code == 422
    assert "examendatum, resultaat" in response.content.decode()


def test_exam_csv_preview_saves_nothing_then_commits_through_the_services(
    client, author, adopted, case, case_in, django_capture_on_commit_callbacks
):
    WebhookSubscriber.objects.create(
        organisation=organisation("hoorn"), name="Hoorn", url="https://hoorn.example/h", secret="s"
    )
    raw = exams_csv(case, case_in("enkhuizen"))
    client.force_login(author)
    preview = client.post(reverse("uitvoering:exam-import"), {"file": upload("uitslag.csv", raw)})
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "2 regels worden verwerkt, 4 regels hebben fouten" in page
    assert ExamResult.objects.count() == 0  # the preview saves nothing
    with django_capture_on_commit_callbacks(execute=False):
        done = client.post(
            reverse("uitvoering:exam-import-confirm"), {"payload": preview.context["payload"]}
        )
    assert done.status_code == 302
    saved = {r.onderdeel: r for r in ExamResult.objects.filter(inburgeraar=case)}
    assert set(saved) == {"lezen", "knm"}
    assert saved["lezen"].score == Decimal("512.0") and saved["lezen"].recorded_by == author
    # Each result through record_exam_result: audited, on the timeline, a webhook.
    assert (
        AuditEntry.objects.filter(
            action=AuditEntry.Action.CREATE, object_type="uitvoering.examresult"
        ).count()
        == 2
    )
    assert case.timeline.filter(kind="examen").count() == 2
    assert WebhookDelivery.objects.filter(event_type="exam_result.recorded").count() == 2
    # The PIP rules use them: lezen shows as passed.
    statuses = services.statuses_for(case)
    assert statuses["lezen"].done and not statuses["knm"].done
    # The same file again: every row is already recorded, nothing twice.
    again = client.post(reverse("uitvoering:exam-import"), {"file": upload("uitslag.csv", raw)})
    assert "0 regels worden verwerkt" in again.content.decode()
    assert ExamResult.objects.count() == 2


def test_exam_csv_tampered_payload_is_refused(client, author, adopted, case, case_in):
    client.force_login(author)
    raw = exams_csv(case, case_in("enkhuizen"))
    preview = client.post(reverse("uitvoering:exam-import"), {"file": upload("uitslag.csv", raw)})
    bad = client.post(
        reverse("uitvoering:exam-import-confirm"), {"payload": preview.context["payload"] + "x"}
    )
    assert bad.status_code == 302 and ExamResult.objects.count() == 0


def test_exam_import_is_not_for_a_school_or_werksaam(client, school, member_of):
    for user in (school_user(school), member_of("werksaam", Role.WERKSAAM_MEDEWERKER)):
        client.force_login(user)
        assert client.get(reverse("uitvoering:exam-import")).status_code == 404
        assert client.post(reverse("uitvoering:exam-import-confirm"), {}).status_code == 404


# --- 2. the caseworker's page of attendance and verzuim ---------------------------------------------


def test_attendance_page_shows_every_period_with_totals_and_signals(
    client, author, adopted, case, school, caseworker_of
):
    item = enrolment(author, case, school)
    teacher = school_user(school)
    VerzuimThreshold.objects.create(municipality=organisation("hoorn"), max_unexcused_hours=5)
    for start, end, present, excused, unexcused in (
        (date(2026, 9, 1), date(2026, 9, 30), "40", "4", "0"),
        (date(2026, 10, 1), date(2026, 10, 31), "30", "0", "6"),
        (date(2026, 11, 1), date(2026, 11, 30), "50", "0", "5"),
    ):
        services.report_attendance(
            teacher,
            item,
            period_start=start,
            period_end=end,
            values={
                "hours_present": Decimal(present),
                "hours_excused": Decimal(excused),
                "hours_unexcused": Decimal(unexcused),
            },
        )
    client.force_login(author)
    tab = client.get(reverse("case-tab", args=[case.pk, "uitvoering"])).content.decode()
    assert reverse("uitvoering:attendance", args=[case.pk]) in tab
    response = client.get(reverse("uitvoering:attendance", args=[case.pk]))
    assert response.status_code == 200
    row = response.context["rows"][0]
    # 120 present of 135 hours: 89%; only October (6 > 5) is above the threshold, 5 is not.
    assert (row["present"], row["excused"], row["unexcused"]) == (
        Decimal("120.0"),
        Decimal("4.0"),
        Decimal("11.0"),
    )
    assert row["share"] == 89 and row["signals"] == 1
    assert [r.above for r in row["reports"]] == [False, True, False]
    page = response.content.decode()
    assert "01-10-2026 t/m 31-10-2026" in page and page.count('danger">boven de drempel') == 1
    assert AuditEntry.objects.filter(reason__contains="presentie en verzuim").exists()
    # Another municipality's caseworker and the school itself: 404.
    for outsider in (caseworker_of("enkhuizen"), teacher):
        client.force_login(outsider)
        assert client.get(reverse("uitvoering:attendance", args=[case.pk])).status_code == 404


# --- 10. a language school's API client writes on its own enrolments ---------------------------------


def school_client(api_client, school, scopes=(ApiScope.READ, ApiScope.TAALSCHOOL_WRITE)):
    _client, token = api_services.create_api_client(
        None, organisation=school, name=f"LVS {school.slug} {len(scopes)}", scopes=list(scopes)
    )
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return api_client


def test_school_client_changes_its_own_enrolment_and_meets_the_course_start(
    api_client, author, adopted, case, school
):
    item = enrolment(author, case, school)
    school_client(api_client, school)
    response = api_client.patch(
        f"/api/v1/enrolments/{item.pk}/",
        {
            "school_intake_date": "2026-07-01",
            "actual_start": "2026-09-01",
            "planned_end": "2027-08-31",
            "hours_per_week": 12,
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    item.refresh_from_db()
    assert item.actual_start == date(2026, 9, 1) and item.hours_per_week == 12
    assert item.version == 2
    # The actual start (t/m 10-09-2026 at the latest) meets the course-start deadline.
    start = Deadline.objects.get(inburgeraar=case, kind=Kind.COURSE_START, key="")
    assert start.state == State.DONE and start.done_on == date(2026, 9, 1)
    change = AuditEntry.objects.get(
        action=AuditEntry.Action.UPDATE, object_type="uitvoering.enrolment"
    )
    assert set(change.changes) >= {"actual_start", "hours_per_week"}
    assert case.timeline.filter(text__contains="Cursus gestart op 01-09-2026").exists()


def test_school_client_may_not_change_the_municipalitys_fields(
    api_client, author, adopted, case, school
):
    item = enrolment(author, case, school, contract_id="C-1")
    school_client(api_client, school)
    response = api_client.patch(
        f"/api/v1/enrolments/{item.pk}/",
        {"contract_id": "C-2", "contact_email": "x@example.org", "no_fault_statement": "x"},
        format="json",
    )
    # Read-only fields are ignored: nothing changes.
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.contract_id == "C-1" and item.contact_email == "" and item.version == 1
    bad = api_client.patch(
        f"/api/v1/enrolments/{item.pk}/",
        {"actual_start": "2026-06-01"},  # before the aanmelding of 20-06-2026
        format="json",
    )
    assert bad.status_code == 400
    item.refresh_from_db()
    assert item.actual_start is None  # nothing half-saved


def test_school_client_gets_404_on_enrolments_not_its_own(
    api_client, author, lead, adopted, case, school, case_in
):
    other = case_in("hoorn", caseworker=author)
    adopted_case(author, lead, other)
    foreign = enrolment(author, other, language_school("brug", "Taalschool De Brug"))
    enrolment(author, case, school)
    school_client(api_client, school)
    assert (
        api_client.patch(
            f"/api/v1/enrolments/{foreign.pk}/", {"actual_start": "2026-09-01"}, format="json"
        ).status_code
        == 404
    )
    body = {
        "period_start": "2026-10-01",
        "period_end": "2026-10-31",
        "hours_present": "40",
    }
    for pk in (foreign.pk, 999999):  # someone else's and one that does not exist: the same 404
        response = api_client.post("/api/v1/attendance/", {**body, "enrolment": pk}, format="json")
        assert response.status_code == 404, response.content
    foreign.refresh_from_db()
    assert foreign.actual_start is None and not Attendance.objects.filter(enrolment=foreign)


def test_school_client_needs_the_write_scope_to_change_an_enrolment(
    api_client, author, adopted, case, school
):
    item = enrolment(author, case, school)
    school_client(api_client, school, scopes=(ApiScope.READ,))
    response = api_client.patch(
        f"/api/v1/enrolments/{item.pk}/", {"actual_start": "2026-09-01"}, format="json"
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.actual_start is None


def test_school_client_cannot_write_on_a_closed_case(api_client, author, adopted, case, school):
    item = enrolment(author, case, school)
    services.close_case(
        author, case, outcome="beeindigd", on=date(2027, 1, 1), end_reason="overleden"
    )
    school_client(api_client, school)
    response = api_client.patch(
        f"/api/v1/enrolments/{item.pk}/", {"actual_start": "2026-09-01"}, format="json"
    )
    assert response.status_code in (400, 409)
    item.refresh_from_db()
    assert item.actual_start is None
    assert Afronding.objects.get(inburgeraar=case).outcome == "beeindigd"


# --- 10. WerkSaam reads the uitvoering endpoints only for shared cases -------------------------------


def test_werksaam_reads_the_uitvoering_endpoints_only_for_shared_cases(
    client, api_client, author, lead, adopted, case, school, case_in, member_of
):
    not_shared = case_in("hoorn", caseworker=author)
    adopted_case(author, lead, not_shared)
    for item_case in (case, not_shared):
        item = enrolment(author, item_case, school)
        services.report_attendance(
            author,
            item,
            period_start=date(2026, 10, 1),
            period_end=date(2026, 10, 31),
            values={"hours_present": Decimal("40")},
        )
        services.record_exam_result(
            author,
            item_case,
            values={"onderdeel": "knm", "exam_date": date(2027, 1, 5), "result": "behaald"},
        )
        services.record_review(
            author, item_case, values={"held_on": date(2026, 11, 2), "participants": "km"}
        )
    werksaam_services.start_share(author, case, basis=Share.Basis.BENEFIT)
    mine = {
        "enrolments": case.enrolments.get().pk,
        "attendance": Attendance.objects.get(enrolment__inburgeraar=case).pk,
        "exam-results": case.exam_results.get().pk,
        "progress-reviews": case.progress_reviews.get().pk,
    }
    theirs = {
        "enrolments": not_shared.enrolments.get().pk,
        "attendance": Attendance.objects.get(enrolment__inburgeraar=not_shared).pk,
        "exam-results": not_shared.exam_results.get().pk,
        "progress-reviews": not_shared.progress_reviews.get().pk,
    }
    ws_user = member_of("werksaam", Role.WERKSAAM_MEDEWERKER)
    _c, token = api_services.create_api_client(
        None, organisation=organisation("werksaam"), name="WerkSaam", scopes=[ApiScope.READ]
    )
    for reader in ("session", "client"):
        if reader == "session":
            client.force_login(ws_user)
            http = client
        else:
            api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
            http = api_client
        for prefix in mine:
            listed = http.get(f"/api/v1/{prefix}/")
            assert listed.status_code == 200, (reader, prefix)
            assert {row["id"] for row in listed.json()["results"]} == {mine[prefix]}, (
                reader,
                prefix,
            )
            assert http.get(f"/api/v1/{prefix}/{mine[prefix]}/").status_code == 200
            assert http.get(f"/api/v1/{prefix}/{theirs[prefix]}/").status_code == 404
        # WerkSaam reads; it does not write on a language school's enrolment.
        assert http.patch(
            f"/api/v1/enrolments/{mine['enrolments']}/",
            {"actual_start": "2026-09-01"},
            **({"content_type": "application/json"} if reader == "session" else {}),
        ).status_code in (403, 404)
    # The share ends: nothing any more.
    werksaam_services.end_share(
        author, Share.objects.get(inburgeraar=case), reason="einde uitkering"
    )
    assert client.get("/api/v1/enrolments/").json()["results"] == []
    assert case.status != CaseStatus.AFGEROND


# --- the English catalogue -------------------------------------------------------------------------


def test_uitvoering_pages_in_english(client, author, adopted, case, school, settings):
    enrolment(author, case, school)
    client.force_login(author)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    tab = client.get(reverse("case-tab", args=[case.pk, "uitvoering"])).content.decode()
    for text in (
        "Civic integration programme offered",
        "Progress reviews",
        "Import exam results (CSV from DUO)",
    ):
        assert text in tab, text
    assert "Voortgangsgesprekken" not in tab
    attendance = client.get(reverse("uitvoering:attendance", args=[case.pk])).content.decode()
    assert "Nothing reported by the language school yet." in attendance
    imported = client.get(reverse("uitvoering:exam-import")).content.decode()
    assert "CSV file with exam results from DUO" in imported
