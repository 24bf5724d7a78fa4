"""WerkSaam bridge (issue 6): sharing on a legal basis, WerkSaam's records, dashboard, exports,
management figures."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse
from django.utils import timezone
from django.utils.html import escape
from openpyxl import load_workbook

from audit.models import AuditEntry
from cases.models import Inburgeraar, InburgeraarGroupObjectPermission, TimelineEvent
from municipalities.models import Role
from reporting import selectors as reporting_selectors
from reporting.models import FigureSnapshot
from werksaam_bridge import services
from werksaam_bridge.models import Benefit, MapProgress, Share, Unburdening

from .factories import DeadlineFactory, PipVersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def caseworker(caseworker_of):
    return caseworker_of("hoorn")


def body_of(response) -> bytes:
    """The body of an answer, streamed (the exports) or not."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.fixture
def ws_user(member_of):
    return member_of("werksaam", Role.WERKSAAM_MEDEWERKER)


@pytest.fixture
def case(case_in):
    return case_in("hoorn")


def share(caseworker, case, **kwargs):
    kwargs.setdefault("basis", Share.Basis.BENEFIT)
    return services.start_share(caseworker, case, **kwargs)


def visible(user):
    return set(Inburgeraar.objects.visible_to(user).values_list("pk", flat=True))


def login(client, user):
    client.force_login(user)  # with the second factor (tests/conftest.py)
    return client


# --- sharing: the grant follows the share ------------------------------------------------------------


def test_grant_follows_the_share(caseworker, ws_user, case, case_in):
    other = case_in("enkhuizen")
    assert visible(ws_user) == set()
    first = share(caseworker, case)
    assert visible(ws_user) == {case.pk}
    assert InburgeraarGroupObjectPermission.objects.filter(content_object=case).count() == 1
    services.end_share(caseworker, first, reason="Uitkering beëindigd")
    assert visible(ws_user) == set()
    assert other.pk not in visible(ws_user)


def test_grant_stays_while_any_share_is_active(caseworker, ws_user, case):
    benefit = share(caseworker, case)
    consent = share(
        caseworker,
        case,
        basis=Share.Basis.CONSENT,
        consent_date=timezone.localdate(),
        consent_scope="Re-integratie",
    )
    services.end_share(caseworker, benefit, reason="Uitkering beëindigd")
    assert visible(ws_user) == {case.pk}
    services.end_share(caseworker, consent, reason="Toestemming ingetrokken", revoked=True)
    assert visible(ws_user) == set()
    consent.refresh_from_db()
    assert consent.revoked and consent.ended_by == caseworker


def test_end_date_ends_access_through_the_idempotent_sweep(caseworker, ws_user, case):
    today = timezone.localdate()
    item = share(caseworker, case, start_date=today - timedelta(days=10), end_date=today)
    assert visible(ws_user) == {case.pk}
    assert services.expire_shares(today=today) == 0
    assert visible(ws_user) == {case.pk}
    assert services.expire_shares(today=today + timedelta(days=1)) == 1
    assert visible(ws_user) == set()
    assert services.expire_shares(today=today + timedelta(days=1)) == 0
    item.refresh_from_db()
    assert item.ended_at is not None and item.end_reason == "Einddatum bereikt"


def test_touching_a_share_past_its_end_date_removes_access(caseworker, ws_user, case, client):
    today = timezone.localdate()
    item = share(caseworker, case, start_date=today - timedelta(days=10), end_date=today)
    Share.objects.filter(pk=item.pk).update(end_date=today - timedelta(days=1))
    # The grant is still there (no sweep ran), but the dashboard checks before it reads.
    assert visible(ws_user) == {case.pk}
    login(client, ws_user)
    response = client.get(reverse("werksaam_bridge:dashboard"))
    assert response.status_code == 200
    assert escape(case.full_name) not in response.content.decode()
    assert visible(ws_user) == set()


def test_future_share_starts_through_the_sweep(caseworker, ws_user, case):
    today = timezone.localdate()
    share(caseworker, case, start_date=today + timedelta(days=3))
    assert visible(ws_user) == set()
    services.expire_shares(today=today + timedelta(days=3))
    assert visible(ws_user) == {case.pk}


def test_consent_needs_date_and_scope(caseworker, case):
    with pytest.raises(ValidationError):
        share(caseworker, case, basis=Share.Basis.CONSENT)
    with pytest.raises(ValidationError):
        share(caseworker, case, start_date=date(2026, 5, 1), end_date=date(2026, 4, 1))


def test_only_the_municipality_shares(caseworker_of, ws_user, case):
    with pytest.raises(Http404):
        share(caseworker_of("enkhuizen"), case)
    with pytest.raises(Http404):
        share(ws_user, case)


def test_share_is_audited_and_on_the_timeline(caseworker, case):
    item = share(caseworker, case)
    assert AuditEntry.objects.filter(
        object_type="werksaam_bridge.share", object_id=str(item.pk)
    ).exists()
    assert TimelineEvent.objects.filter(inburgeraar=case, kind="werksaam").exists()


# --- WerkSaam's records ----------------------------------------------------------------------------


def test_werksaam_records_need_an_active_share(caseworker, ws_user, case):
    today = timezone.localdate()
    with pytest.raises(Http404):
        services.add_record(ws_user, case, Benefit, start_date=today)
    item = share(caseworker, case)
    benefit = services.add_record(ws_user, case, Benefit, start_date=today)
    assert benefit.created_by == ws_user
    # The municipality's caseworker sees it on the case timeline.
    assert (
        TimelineEvent.objects.visible_to(caseworker)
        .filter(inburgeraar=case, text__contains="WerkSaam: bijstand")
        .exists()
    )
    services.end_share(caseworker, item, reason="Einde uitkering")
    with pytest.raises(Http404):
        services.update_record(ws_user, benefit, end_date=today)


def test_caseworker_may_not_write_werksaam_records(caseworker, ws_user, case):
    share(caseworker, case)
    with pytest.raises(PermissionDenied):
        services.add_record(caseworker, case, Benefit, start_date=timezone.localdate())


def test_unburdening_rules(caseworker, ws_user, case):
    share(caseworker, case)
    start = date(2026, 1, 1)
    services.add_record(ws_user, case, Benefit, start_date=start)
    with pytest.raises(ValidationError) as error:
        services.add_record(
            ws_user,
            case,
            Unburdening,
            machtiging_date=start,
            start_date=start,
            planned_end=date(2026, 6, 29),  # six months from 01-01-2026 run t/m 30-06-2026
            rent=True,
        )
    assert "30-06-2026" in error.value.message_dict["planned_end"][0]
    with pytest.raises(ValidationError) as error:
        services.add_record(
            ws_user,
            case,
            Unburdening,
            machtiging_date=start,
            start_date=start,
            planned_end=date(2026, 6, 30),
        )
    assert "rent" in error.value.message_dict
    item = services.add_record(
        ws_user,
        case,
        Unburdening,
        machtiging_date=start,
        start_date=start,
        planned_end=date(2026, 6, 30),
        rent=True,
        health_insurance=True,
    )
    assert item.costs == ["huur", "zorgverzekering"]


def test_map_result_needs_final_conversation(caseworker, ws_user, case):
    share(caseworker, case)
    with pytest.raises(ValidationError):
        services.add_record(ws_user, case, MapProgress, status="voldaan", hours_done=40)
    services.add_record(
        ws_user,
        case,
        MapProgress,
        status="voldaan",
        hours_done=40,
        final_conversation=date(2026, 9, 1),
    )


# --- pages ------------------------------------------------------------------------------------------


def test_caseworker_shares_and_ends_from_the_dossier(client, caseworker, ws_user, case):
    login(client, caseworker)
    url = reverse("werksaam_bridge:case-shares", args=[case.pk])
    # Reached from the dossier's overview.
    assert url in client.get(reverse("case-tab", args=[case.pk, "overzicht"])).content.decode()
    page = client.get(url)
    assert page.status_code == 200
    assert 'value=""' not in page.content.decode().split('name="basis"')[1][:200]
    response = client.post(url, {"basis": "toestemming", "start_date": "2026-11-01"})
    assert response.status_code == 422
    assert "toestemming" in response.content.decode()
    response = client.post(url, {"basis": "uitkering", "start_date": "2026-11-01"})
    assert response.status_code == 302
    item = Share.objects.get(inburgeraar=case)
    assert visible(ws_user) == {case.pk}
    end_url = reverse("werksaam_bridge:share-end", args=[case.pk, item.pk])
    assert client.post(end_url, {"reason": "Geen uitkering meer"}).status_code == 302
    assert visible(ws_user) == set()


def test_share_page_has_unique_ids_and_the_basis_in_a_fieldset(client, caseworker, case):
    """Issue 16 (Nu Html Checker): each active share's end form has ids of its own, and the radio
    buttons of the basis are grouped under a legend (a <label for=""> labels nothing)."""
    share(caseworker, case)
    share(caseworker, case, start_date=timezone.localdate() + timedelta(days=10))
    login(client, caseworker)
    body = client.get(reverse("werksaam_bridge:case-shares", args=[case.pk])).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', body)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    assert body.count('name="reason"') >= 2
    assert 'for=""' not in body
    fieldset = body.split('name="basis"')[0].rsplit("<fieldset", 1)[1]
    assert "<legend" in fieldset and "Grondslag" in fieldset


def test_share_page_is_404_for_others(client, caseworker_of, ws_user, case, caseworker):
    share(caseworker, case)
    url = reverse("werksaam_bridge:case-shares", args=[case.pk])
    login(client, caseworker_of("enkhuizen"))
    assert client.get(url).status_code == 404
    client.logout()
    login(client, ws_user)
    assert client.get(url).status_code == 404


def test_werksaam_staff_see_exactly_the_shared_cases(
    client, caseworker, ws_user, case_in, member_of
):
    shared = [case_in(slug) for slug in ("hoorn", "hoorn", "enkhuizen")]
    not_shared = [case_in("hoorn"), case_in("enkhuizen")]
    enkhuizen_worker = member_of("enkhuizen", Role.KLANTMANAGER)
    for item in shared:
        share(caseworker if item.municipality.slug == "hoorn" else enkhuizen_worker, item)
    assert visible(ws_user) == {item.pk for item in shared}
    login(client, ws_user)
    body = client.get(reverse("werksaam_bridge:dashboard")).content.decode()
    for item in shared:
        assert reverse("werksaam_bridge:case", args=[item.pk]) in body
    for item in not_shared:
        assert reverse("werksaam_bridge:case", args=[item.pk]) not in body
        assert client.get(reverse("case-detail", args=[item.pk])).status_code == 404


def test_dashboard_filters(client, caseworker, ws_user, case_in):
    a, b = case_in("hoorn"), case_in("hoorn")
    share(caseworker, a)
    share(caseworker, b)
    today = timezone.localdate()
    services.add_record(ws_user, a, Benefit, start_date=today)
    services.add_record(
        ws_user,
        a,
        Unburdening,
        machtiging_date=today,
        start_date=today,
        planned_end=today + timedelta(days=200),
        rent=True,
    )
    services.add_record(ws_user, b, MapProgress, status="bezig", hours_done=12)
    login(client, ws_user)
    url = reverse("werksaam_bridge:dashboard")

    def names(**params):
        body = client.get(url, params).content.decode()
        return {c.pk for c in (a, b) if reverse("werksaam_bridge:case", args=[c.pk]) in body}

    assert names() == {a.pk, b.pk}
    assert names(ontzorgen="actief") == {a.pk}
    assert names(ontzorgen="geen") == {b.pk}
    assert names(map_status="bezig") == {b.pk}
    assert names(route="geen") == {a.pk, b.pk}
    assert names(route="B1") == set()
    assert names(municipality=a.municipality_id) == {a.pk, b.pk}


def test_dashboard_is_for_werksaam_staff_only(client, caseworker):
    login(client, caseworker)
    assert client.get(reverse("werksaam_bridge:dashboard")).status_code == 403
    assert client.get(reverse("werksaam_bridge:dashboard-export", args=["csv"])).status_code == 403


def test_dashboard_queries_do_not_grow(client, caseworker, ws_user, case_in):
    login(client, ws_user)
    url = reverse("werksaam_bridge:dashboard")
    counts = []
    for n in (1, 10):
        for _ in range(n - (len(counts) and 1)):
            share(caseworker, case_in("hoorn"))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_exports_are_audited_and_without_health_or_bsn(client, caseworker, ws_user, case_in):
    cases = [case_in("hoorn") for _ in range(3)]
    for item in cases:
        share(caseworker, item)
    login(client, ws_user)
    response = client.get(reverse("werksaam_bridge:dashboard-export", args=["csv"]))
    assert response.status_code == 200
    assert response.streaming  # memory does not grow with the rows
    text = body_of(response).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 4
    for item in cases:
        assert item.bsn not in text
        assert item.masked_bsn in text
    assert "gezondheid" not in text.lower()
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, actor=ws_user).count() == 3
    response = client.get(reverse("werksaam_bridge:dashboard-export", args=["xlsx"]))
    assert response.status_code == 200
    assert not response.streaming  # a workbook that stayed in memory is answered whole
    sheet = load_workbook(io.BytesIO(body_of(response))).active
    values = list(sheet.iter_rows(min_row=2, values_only=True))  # row 1 is the title
    assert len(values) == 4 and values[0][0] == "dossier"
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT, actor=ws_user).count() == 6


def test_an_excel_export_past_the_memory_bound_is_sent_from_disk(
    client, caseworker, ws_user, case_in, monkeypatch
):
    """The workbook goes to a temporary file, in memory up to a bound and on disk beyond it; past
    the bound it is streamed from the file (FileResponse), which is closed when the answer is."""
    from common import exports

    share(caseworker, case_in("hoorn"))
    login(client, ws_user)
    monkeypatch.setattr(exports, "XLSX_IN_MEMORY_BYTES", 100)
    response = client.get(reverse("werksaam_bridge:dashboard-export", args=["xlsx"]))
    assert response.status_code == 200
    assert response.streaming
    sheet = load_workbook(io.BytesIO(body_of(response))).active
    assert len(list(sheet.iter_rows(min_row=2, values_only=True))) == 2


def test_werksaam_records_through_the_page(client, caseworker, ws_user, case):
    share(caseworker, case)
    login(client, ws_user)
    url = reverse("werksaam_bridge:record-add", args=[case.pk, "bijstand"])
    assert client.post(url, {"bijstand-start_date": "2026-10-01"}).status_code == 302
    assert Benefit.objects.filter(inburgeraar=case).count() == 1
    page = client.get(reverse("werksaam_bridge:case", args=[case.pk])).content.decode()
    assert "01-10-2026" in page
    bad = client.post(
        reverse("werksaam_bridge:record-add", args=[case.pk, "ontzorgen"]),
        {
            "ontzorgen-machtiging_date": "2026-10-01",
            "ontzorgen-start_date": "2026-10-01",
            "ontzorgen-planned_end": "2026-12-01",
            "ontzorgen-rent": "on",
        },
    )
    assert bad.status_code == 422
    assert "zes maanden" in bad.content.decode()


# --- health data never reaches WerkSaam ----------------------------------------------------------


HEALTH = "Diabetes type 2, PTSS-behandeling"


def _case_with_health(caseworker, case):
    from intake import services as intake_services

    intake = intake_services.plan_intake(caseworker, case)
    intake = intake_services.begin_intake(caseworker, intake)
    intake_services.save_intake_fields(
        caseworker,
        intake,
        expected_version=intake.version,
        values={"physical_health": HEALTH, "mental_health": HEALTH},
    )
    return intake


def _case_urls(case, share_pk):
    """Every URL of a case: each named pattern (namespaces included) that takes the case's pk,
    filled in; further arguments get plausible values."""
    extra = {
        "tab": ["overzicht", "intake", "tijdlijn", "pip", "termijnen"],
        "section": ["gezondheid"],
        "kind": ["opleiding", "bijstand"],
        "share_pk": [share_pk],
    }
    urls = set()

    def walk(resolver, prefix):
        for name, entries in resolver.reverse_dict.lists():
            if not isinstance(name, str):
                continue
            for possibility, *_rest in entries:
                for _result, params in possibility:
                    if "pk" not in params:
                        continue
                    options = [{"pk": case.pk}]
                    for param in params:
                        if param != "pk":
                            values = extra.get(param, [1])
                            options = [{**o, param: v} for o in options for v in values]
                    for kwargs in options:
                        urls.add(reverse(prefix + name, kwargs=kwargs))
        for namespace, (_prefix, sub) in resolver.namespace_dict.items():
            walk(sub, f"{prefix}{namespace}:")

    walk(get_resolver(), "")
    marker = f"/inburgeraars/{case.pk}/"
    return sorted(u for u in urls if marker in u and not u.startswith(("/api/", "/admin/")))


def _werksaam_api_urls(case):
    base = "/api/v1/"
    return [
        f"{base}inburgeraars/{case.pk}/",
        f"{base}inburgeraars/",
        f"{base}intakes/",
        f"{base}intakes/?inburgeraar={case.pk}",
        f"{base}pips/",
        f"{base}shares/",
        f"{base}werksaam/bijstand/",
        f"{base}werksaam/ontzorgen/",
        f"{base}werksaam/map/",
        f"{base}werksaam/activiteiten/",
    ]


def test_werksaam_never_sees_health_data_on_any_url(client, caseworker, ws_user, case):
    _case_with_health(caseworker, case)
    item = share(caseworker, case)
    login(client, ws_user)
    urls = _case_urls(case, item.pk) + [
        reverse("werksaam_bridge:dashboard"),
        reverse("werksaam_bridge:dashboard-export", args=["csv"]),
        reverse("werksaam_bridge:dashboard-export", args=["xlsx"]),
        *_werksaam_api_urls(case),
    ]
    assert len(urls) > 15
    seen = 0
    for url in urls:
        response = client.get(url)
        body = body_of(response).decode("utf-8", errors="replace")
        assert HEALTH not in body, url
        seen += response.status_code == 200
    assert seen >= 8
    # The caseworker of the case does see it (so the check above is not vacuous).
    client.logout()
    login(client, caseworker)
    assert HEALTH in client.get(reverse("case-tab", args=[case.pk, "intake"])).content.decode()


def test_ending_a_share_gives_404_at_once_on_every_case_url(client, caseworker, ws_user, case):
    _case_with_health(caseworker, case)
    item = share(caseworker, case)
    services.add_record(ws_user, case, Benefit, start_date=timezone.localdate())
    login(client, ws_user)
    # WerkSaam reads a shared case in its own view, never the caseworker's dossier (issue 11).
    assert client.get(reverse("case-detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("werksaam_bridge:case", args=[case.pk])).status_code == 200
    services.end_share(caseworker, item, reason="Uitkering beëindigd")
    urls = _case_urls(case, item.pk)
    assert reverse("case-detail", args=[case.pk]) in urls
    assert reverse("werksaam_bridge:case", args=[case.pk]) in urls
    for url in urls:
        response = client.get(url)
        if response.status_code == 405:
            response = client.post(url, {})
        assert response.status_code == 404, url
    for url in _werksaam_api_urls(case)[:1]:
        assert client.get(url).status_code == 404
    for url in _werksaam_api_urls(case)[1:]:
        assert client.get(url).json()["results"] == [], url


# --- Stuurinformatie --------------------------------------------------------------------------------


def test_figures_for_team_lead_own_municipality_and_region(client, member_of, case_in, caseworker):
    lead = member_of("hoorn", Role.TEAMLEIDER)
    own = [case_in("hoorn", status="intake", datum_kennisgeving=date(2026, 1, 1)) for _ in range(2)]
    others = [case_in("enkhuizen", status="aangemeld") for _ in range(3)]
    share(caseworker, own[0])
    login(client, lead)
    response = client.get(reverse("reporting:figures"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Hoorn" in body and "Regio Westfriesland" in body
    assert "Enkhuizen</h2>" not in body
    for item in others:
        assert escape(item.surname) not in body or item.surname in {o.surname for o in own}
    sets = dict(response.context["sets"])
    assert sets["Hoorn"]["total"] == 2
    assert sets["Regio Westfriesland"]["total"] == 5
    assert sets["Hoorn"]["shares"] == 1
    assert dict(sets["Hoorn"]["stages"])["Brede intake"] == 2
    export = client.get(reverse("reporting:figures-export"))
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert ["Hoorn", "dossiers", "totaal", "2"] in rows
    assert ["Regio Westfriesland", "dossiers", "totaal", "5"] in rows


def test_a_median_between_two_days_is_shown_with_a_decimal_comma(client, member_of, monkeypatch):
    """An even number of lead times has a median such as 63.5: shown as "63,5 dagen" (it was
    passed to a plural form as a float, which gettext refuses)."""

    figures_data = reporting_selectors.figures_data
    monkeypatch.setattr(
        reporting_selectors,
        "figures_data",
        lambda *args, **kwargs: {**figures_data(*args, **kwargs), "median_days": 63.5},
    )
    login(client, member_of("hoorn", Role.TEAMLEIDER))
    body = client.get(reverse("reporting:figures")).content.decode()
    assert "63,5 dagen" in body


# --- exports as spreadsheets read them (issue 16) ----------------------------------------------------


def test_dashboard_xlsx_has_real_dates_a_title_a_frozen_header_and_a_filter(
    client, caseworker, ws_user, case_in
):
    from datetime import datetime

    item = case_in("hoorn", first_names="Bram", surname="Bakker")
    share(caseworker, item)
    Benefit.objects.create(inburgeraar=item, start_date=date(2026, 9, 13), created_by=ws_user)
    login(client, ws_user)
    response = client.get(reverse("werksaam_bridge:dashboard-export", args=["xlsx"]))
    workbook = load_workbook(io.BytesIO(body_of(response)))
    sheet = workbook.active
    assert sheet.title == "Dossiers"
    assert "WerkSaam" in sheet["A1"].value and workbook.properties.title == sheet["A1"].value
    header = [cell.value for cell in sheet[2]]
    assert header[0] == "dossier" and "bijstand vanaf" in header
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == f"A2:J{sheet.max_row}"
    column = header.index("bijstand vanaf")
    start = sheet.cell(row=3, column=column + 1)
    assert start.value == datetime(2026, 9, 13)  # a date, not the text "13-09-2026"
    assert start.is_date and start.number_format == "dd-mm-yyyy"
    assert sheet.cell(row=3, column=1).value == item.pk  # numbers stay numbers

    csv_rows = list(
        csv.reader(
            io.StringIO(
                body_of(
                    client.get(reverse("werksaam_bridge:dashboard-export", args=["csv"]))
                ).decode("utf-8-sig")
            ),
            delimiter=";",
        )
    )
    assert csv_rows[0][0] == "dossier"  # the CSV stays a plain table: header first
    assert csv_rows[1][column] == "13-09-2026"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_exported_text_that_a_spreadsheet_would_run_is_neutralised(
    client, caseworker, ws_user, case_in, start
):
    item = case_in("hoorn", first_names=f"{start}HYPERLINK(1)", surname="Test")
    share(caseworker, item)
    login(client, ws_user)
    text = body_of(client.get(reverse("werksaam_bridge:dashboard-export", args=["csv"])))
    row = list(csv.reader(io.StringIO(text.decode("utf-8-sig")), delimiter=";"))[1]
    assert row[1] == f"'{start}HYPERLINK(1) Test"
    response = client.get(reverse("werksaam_bridge:dashboard-export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(body_of(response))).active
    assert sheet.cell(row=3, column=2).value == f"'{start}HYPERLINK(1) Test"


def test_a_nul_at_the_start_of_a_cell_is_neutralised_too():
    from common.exports import safe_cell as _safe_cell

    # PostgreSQL keeps no NUL in text, so this one is checked on the cell writer itself.
    assert _safe_cell("\x00=1+1") == "'\x00=1+1"
    assert _safe_cell("Bakker") == "Bakker" and _safe_cell(-5) == -5


def test_figures_csv_writes_decimals_with_a_dutch_comma(client, member_of, case_in):
    from pip_plans.models import Pip

    lead = member_of("hoorn", Role.TEAMLEIDER)
    for days in (50, 60, 100):
        item = case_in("hoorn", datum_kennisgeving=date(2026, 1, 1))
        Pip.objects.create(
            inburgeraar=item, dagtekening_initiele_pip=date(2026, 1, 1) + timedelta(days=days)
        )
    login(client, lead)
    export = client.get(reverse("reporting:figures-export"))
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert ["Hoorn", "doorlooptijd", "mediaan dagen kennisgeving tot PIP", "60,0"] in rows
    assert ["Hoorn", "dossiers", "totaal", "3"] in rows  # whole numbers as they are
    xlsx = client.get(reverse("reporting:figures-export") + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.iter_rows(min_row=3, values_only=True))
    assert ("Hoorn", "doorlooptijd", "mediaan dagen kennisgeving tot PIP", 60) in values
    assert sheet.freeze_panes == "A3" and sheet["A1"].value.startswith("Stuurinformatie")


def test_figures_lead_time(member_of, case_in):
    from reporting import selectors

    lead = member_of("hoorn", Role.TEAMLEIDER)
    for days in (50, 60, 100):
        item = case_in("hoorn", datum_kennisgeving=date(2026, 1, 1))
        PipVersionFactory(
            adopted=True,
            pip__inburgeraar=item,
            dagtekening=date(2026, 1, 1) + timedelta(days=days),
        )
    hoorn = selectors.figure_municipalities(lead).get()
    figures = selectors.municipality_figures(lead, hoorn)
    assert figures["median_days"] == 60
    assert figures["within_share"] == 67
    assert figures["pips"] == 3


def test_figures_refused_to_caseworkers_and_werksaam(client, caseworker, ws_user):
    login(client, caseworker)
    assert client.get(reverse("reporting:figures")).status_code == 403
    client.logout()
    login(client, ws_user)
    assert client.get(reverse("reporting:figures")).status_code == 403


def test_navigation_items_by_role(client, caseworker, ws_user, member_of):
    dashboard = reverse("werksaam_bridge:dashboard")
    figures = reverse("reporting:figures")
    login(client, caseworker)
    body = client.get(reverse("home")).content.decode()
    assert dashboard not in body and figures not in body
    client.logout()
    login(client, ws_user)
    body = client.get(
        reverse("home"), follow=True
    ).content.decode()  # WerkSaam lands on its dashboard
    assert dashboard in body and figures not in body
    client.logout()
    login(client, member_of("hoorn", Role.TEAMLEIDER))
    body = client.get(reverse("home")).content.decode()
    assert figures in body and dashboard not in body


# --- deadlines: the open-deadlines filter and overdue figures --------------------------------------


def _deadline(case, due, state="open", kind="pip"):
    return DeadlineFactory(
        inburgeraar=case, kind=kind, due_date=due, state=state, next_reminder_on=None
    )


def test_dashboard_filters_on_open_deadlines(client, caseworker, ws_user, case_in):
    from deadlines.models import Deadline

    a, b = case_in("hoorn"), case_in("hoorn")
    share(caseworker, a)
    share(caseworker, b)
    Deadline.objects.filter(inburgeraar__in=[a, b]).delete()
    _deadline(a, timezone.localdate() + timedelta(days=5))
    _deadline(b, timezone.localdate() - timedelta(days=5), state="done")
    login(client, ws_user)
    url = reverse("werksaam_bridge:dashboard")

    def shown(**params):
        body = client.get(url, params).content.decode()
        return {c.pk for c in (a, b) if reverse("werksaam_bridge:case", args=[c.pk]) in body}

    assert shown(open_deadlines="ja") == {a.pk}
    assert shown(open_deadlines="nee") == {b.pk}


def test_figures_count_overdue_deadlines(member_of, case_in):
    from deadlines.models import Deadline
    from reporting import selectors

    lead = member_of("hoorn", Role.TEAMLEIDER)
    a, b = case_in("hoorn"), case_in("enkhuizen")
    Deadline.objects.filter(inburgeraar__in=[a, b]).delete()
    today = timezone.localdate()
    _deadline(a, today - timedelta(days=3), state="overdue")
    _deadline(a, today + timedelta(days=3), kind="bezwaar")
    _deadline(b, today - timedelta(days=3))
    _deadline(b, today - timedelta(days=9), state="done", kind="bezwaar")
    hoorn = selectors.figure_municipalities(lead).get()
    assert selectors.municipality_figures(lead, hoorn)["overdue"] == 1
    assert selectors.region_figures()["overdue"] == 2


# --- API clients from the command line, and the admin -------------------------------------------------


def test_create_api_client_command_shows_the_token_once(api_client, case_in, caseworker):
    from django.core.management import call_command

    from api.models import ApiClient

    out = io.StringIO()
    call_command("create_api_client", "werksaam", "Suite", "--scope", "read", stdout=out)
    token = out.getvalue().split("Token (wordt niet opnieuw getoond): ")[1].strip()
    client = ApiClient.objects.get(name="Suite")
    assert client.scopes == ["read"] and token not in client.token_hash
    item = case_in("hoorn")
    share(caseworker, item)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    response = api_client.get("/api/v1/inburgeraars/")
    assert [row["id"] for row in response.json()["results"]] == [item.pk]


def test_admin_shows_the_delivery_log(admin_client, caseworker, case):
    from webhooks.models import WebhookSubscriber

    from .factories import organisation

    WebhookSubscriber.objects.create(
        organisation=organisation("werksaam"), name="WS", url="http://127.0.0.1:9/", secret="x"
    )
    share(caseworker, case)
    for path in (
        "webhooks/webhookdelivery",
        "webhooks/webhooksubscriber",
        "api/apiclient",
        "werksaam_bridge/share",
    ):
        assert admin_client.get(f"/admin/{path}/").status_code == 200, path


def test_werksaam_changes_a_record_through_the_page(client, caseworker, ws_user, case):
    item = share(caseworker, case)
    benefit = services.add_record(ws_user, case, Benefit, start_date=date(2026, 10, 1))
    login(client, ws_user)
    url = reverse("werksaam_bridge:record-edit", args=[case.pk, "bijstand", benefit.pk])
    assert url in client.get(reverse("werksaam_bridge:case", args=[case.pk])).content.decode()
    bad = client.post(url, {"bijstand-start_date": "2026-10-01", "bijstand-end_date": "2026-09-01"})
    assert bad.status_code == 422
    ok = client.post(url, {"bijstand-start_date": "2026-10-01", "bijstand-end_date": "2026-12-31"})
    assert ok.status_code == 302
    benefit.refresh_from_db()
    assert benefit.end_date == date(2026, 12, 31)
    assert TimelineEvent.objects.filter(inburgeraar=case, text__contains="gewijzigd").exists()
    # The caseworker sees the record but has no edit link and no access to the edit page.
    client.logout()
    login(client, caseworker)
    page = client.get(reverse("werksaam_bridge:case-shares", args=[case.pk])).content.decode()
    assert "31-12-2026" in page and url not in page
    assert client.get(url).status_code == 403
    services.end_share(caseworker, item, reason="Klaar")
    client.logout()
    login(client, ws_user)
    assert client.get(url).status_code == 404


def test_route_is_the_latest_adopted_version(client, caseworker, ws_user, case_in):
    a, b = case_in("hoorn"), case_in("hoorn")
    share(caseworker, a)
    share(caseworker, b)
    first = PipVersionFactory(adopted=True, pip__inburgeraar=a, route="B1", author=caseworker)
    PipVersionFactory(adopted=True, pip=first.pip, number=2, route="Z", author=caseworker)
    PipVersionFactory(pip=first.pip, number=3, route="ONDERWIJS", author=caseworker)
    login(client, ws_user)
    url = reverse("werksaam_bridge:dashboard")

    def shown(**params):
        body = client.get(url, params).content.decode()
        return {c.pk for c in (a, b) if reverse("werksaam_bridge:case", args=[c.pk]) in body}

    assert shown(route="Z") == {a.pk}
    assert shown(route="B1") == set()
    assert shown(route="ONDERWIJS") == set()
    assert shown(route="geen") == {b.pk}


@pytest.mark.parametrize("url", ["/api/v1/shares/", "/api/v1/pips/", "/api/v1/werksaam/bijstand/"])
def test_api_lists_run_constant_queries(api_client, caseworker, ws_user, case_in, url):
    api_client.force_authenticate(ws_user)
    counts = []
    for n in (1, 10):
        for _ in range(n - (len(counts) and 1)):
            item = case_in("hoorn")
            share(caseworker, item)
            services.add_record(ws_user, item, Benefit, start_date=timezone.localdate())
            PipVersionFactory(pip__inburgeraar=item, author=caseworker)
        with CaptureQueriesContext(connection) as queries:
            response = api_client.get(url)
        assert response.status_code == 200 and len(response.json()["results"]) == n
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_figures_run_constant_queries(client, member_of, case_in):
    lead = member_of("hoorn", Role.TEAMLEIDER)
    login(client, lead)
    counts = []
    for n in (1, 10):
        for _ in range(n - (len(counts) and 1)):
            case_in("hoorn")
            case_in("enkhuizen")
        FigureSnapshot.objects.all().delete()  # counted by the page, not read from a snapshot
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("reporting:figures")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_figures_page_reads_stored_figures_and_counts_again_when_they_are_old(
    client, member_of, case_in, settings
):
    """Counting every case takes seconds at national size: the page reads what beat stored
    (reporting.tasks.refresh_figures) while it is of today and at most FIGURES_MAX_AGE_MINUTES
    old, and counts a scope itself otherwise."""
    from reporting import tasks

    settings.FIGURES_MAX_AGE_MINUTES = 15
    lead = member_of("hoorn", Role.TEAMLEIDER)
    login(client, lead)
    case_in("hoorn")
    assert tasks.refresh_figures() == 8  # the seven municipalities and the region
    assert FigureSnapshot.objects.count() == 8
    case_in("hoorn")  # after the count: not in the stored figures yet
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reporting:figures"))
    sets = dict(response.context["sets"])
    assert sets["Hoorn"]["total"] == 1 and sets["Regio Westfriesland"]["total"] == 1
    assert not any('"cases_inburgeraar"' in q["sql"] for q in queries.captured_queries)
    stamp = timezone.localtime(FigureSnapshot.objects.get(scope="regio").computed_at)
    assert f"om {stamp:%H:%M}" in response.content.decode()
    # Older than the maximum age: counted again by the page, and stored.
    FigureSnapshot.objects.update(computed_at=timezone.now() - timedelta(minutes=16))
    sets = dict(client.get(reverse("reporting:figures")).context["sets"])
    assert sets["Hoorn"]["total"] == 2 and sets["Regio Westfriesland"]["total"] == 2
    assert FigureSnapshot.objects.get(scope="regio").data["total"] == 2
    # Counted for another day ("verlopen" depends on the day): counted again.
    case_in("hoorn")
    FigureSnapshot.objects.update(computed_on=timezone.localdate() - timedelta(days=1))
    assert dict(client.get(reverse("reporting:figures")).context["sets"])["Hoorn"]["total"] == 3


def test_stored_figures_read_back_as_counted(member_of, case_in):
    """What a snapshot stores (JSON) reads back as the live count shows it: labels, decimals."""
    from reporting import services

    lead = member_of("hoorn", Role.TEAMLEIDER)
    hoorn = lead.memberships.get().organisation
    case_in("hoorn", status="intake")
    live = reporting_selectors.municipality_figures(lead, hoorn)
    stored = services.store_figures(hoorn)
    stored.refresh_from_db()
    assert reporting_selectors.present(stored.data) == live


def test_chart_bars_use_svg_numbers_not_dutch_decimals(client, member_of):
    import re

    client.force_login(member_of("hoorn", "teamleider"))
    body = client.get("/stuurinformatie/").content.decode()
    widths = re.findall(r'<rect[^>]* width="([^"]+)"', body)
    assert widths and all("," not in w for w in widths)


def test_share_admin_lists_only_shares_the_user_may_see(client, member_of, case_in, caseworker_of):
    own = share(caseworker_of("hoorn"), case_in("hoorn"))
    other = share(caseworker_of("enkhuizen"), case_in("enkhuizen"))
    admin_user = member_of("hoorn", Role.BEHEERDER)
    admin_user.is_superuser = True  # every model permission, but still not every case
    admin_user.save()
    client.force_login(admin_user)
    body = client.get("/admin/werksaam_bridge/share/").content.decode()
    assert f"/share/{own.pk}/change/" in body
    assert f"/share/{other.pk}/change/" not in body


# --- issue 12: search on the dashboard, no links to pages WerkSaam cannot use ---------------------


def test_dashboard_searches_by_name_and_by_bsn_without_the_bsn_in_any_address(
    client, caseworker, ws_user, case_in
):
    yilmaz = case_in("hoorn", first_names="Emre", surname="Yılmaz", bsn="123456782")
    other = case_in("hoorn", first_names="Jan", surname="Peters")
    hidden = case_in("hoorn", first_names="Emre", surname="Yildiz")  # not shared
    share(caseworker, yilmaz)
    share(caseworker, other)
    login(client, ws_user)
    url = reverse("werksaam_bridge:dashboard")

    def shown(body):
        return {
            c.pk
            for c in (yilmaz, other, hidden)
            if reverse("werksaam_bridge:case", args=[c.pk]) in body
        }

    # By name, through the form (which posts), folded: "yilmaz" finds "Yılmaz".
    response = client.post(url, {"q": "yilmaz"})
    assert response.status_code == 302 and "q=yilmaz" in response["Location"]
    assert shown(client.get(response["Location"]).content.decode()) == {yilmaz.pk}
    assert shown(client.get(url, {"q": "emre"}).content.decode()) == {yilmaz.pk}
    entry = AuditEntry.objects.filter(reason__startswith="zoeken").latest("id")
    assert entry.object_id == str(yilmaz.pk) and entry.fields == ["naam"]

    # By BSN: posted, and the address that follows carries a reference, never the BSN.
    response = client.post(url, {"q": "1234.56.782"})
    assert response.status_code == 302
    assert "123456782" not in response["Location"] and "zoek=" in response["Location"]
    body = client.get(response["Location"]).content.decode()
    assert shown(body) == {yilmaz.pk}
    # The export and pagination links carry the reference, not the BSN.
    assert not [href for href in re.findall(r'href="([^"]*)"', body) if "123456782" in href]
    entry = AuditEntry.objects.filter(reason__startswith="zoeken").latest("id")
    assert entry.object_id == str(yilmaz.pk) and entry.fields == ["bsn"]
    assert not AuditEntry.objects.filter(reason__contains="123456782").exists()
    # A BSN typed into the address is moved out of it.
    response = client.get(url, {"q": "123456782"})
    assert response.status_code == 302 and "123456782" not in response["Location"]
    # The hidden case is not found by its BSN either, nor another session's reference.
    other_client = Client()
    other_client.force_login(ws_user)
    assert shown(other_client.get(response["Location"]).content.decode()) == {yilmaz.pk, other.pk}


def test_werksaam_sees_no_links_to_registration_or_duo_import(client, caseworker, ws_user):
    register, duo = reverse("case-register"), reverse("duo_import:upload")
    login(client, ws_user)
    for page in (reverse("werksaam_bridge:dashboard"), reverse("case-list")):
        body = client.get(page).content.decode()
        assert register not in body and duo not in body, page
    client.logout()
    login(client, caseworker)
    body = client.get(reverse("case-list")).content.decode()
    assert register in body and duo in body
