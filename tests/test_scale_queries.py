"""Issue 15: the pages that were slow at national scale run a number of queries that does not
grow with the rows, and none of them scans a whole table for what a page shows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEntry
from municipalities.models import Role

pytestmark = pytest.mark.django_db

AUDIT_URL = "/admin/audit/auditentry/"


def page_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return response, one_statement_per_bulk_insert([query["sql"] for query in ctx.captured_queries])


AUDIT_INSERT = 'INSERT INTO "audit_auditentry"'


def one_statement_per_bulk_insert(statements):
    """SQLite binds at most 999 variables per statement, so Django splits one bulk_create of
    audit rows into batches of 76 rows there (PostgreSQL sends one statement): a run of audit
    INSERTs in which every batch but the last holds several rows counts as the one bulk insert
    it is. Single-row INSERTs (an audit row written per object) are never merged."""
    merged = []
    for sql in statements:
        previous = merged[-1] if merged else ""
        if (
            connection.vendor == "sqlite"
            and sql.startswith(AUDIT_INSERT)
            and previous.startswith(AUDIT_INSERT)
            and "), (" in previous
        ):
            continue
        merged.append(sql)
    return merged


class RowCounter:
    """The rows the database returned to Python, query by query (cursor.rowcount after each
    SELECT): a page whose rows grow with the table does its work in Python."""

    def __init__(self):
        self.rows = 0

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.lstrip().upper().startswith("SELECT") and context["cursor"].rowcount > 0:
            self.rows += context["cursor"].rowcount
        return result


def page_cost(client, url):
    """(queries, rows returned to Python) of one page."""
    counter = RowCounter()
    with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(counter):
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(ctx.captured_queries), counter.rows


def add_audit_entries(count, actor):
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=actor,
            actor_username=actor.username,
            action=AuditEntry.Action.VIEW,
            object_type="cases.inburgeraar",
            object_id=str(number),
        )
        for number in range(count)
    )


@pytest.mark.parametrize(
    "url",
    [
        AUDIT_URL,
        f"{AUDIT_URL}?object_type=cases.inburgeraar",
        f"{AUDIT_URL}?action=view",
    ],
)
def test_audit_changelist_queries_do_not_grow_and_never_scan_the_trail(client, member_of, url):
    auditor = member_of("hoorn", Role.AUDITOR)
    client.force_login(auditor)
    add_audit_entries(10, auditor)
    _response, small = page_queries(client, url)
    add_audit_entries(1000, auditor)
    response, large = page_queries(client, url)
    assert len(large) == len(small)
    # No date_hierarchy (SELECT DISTINCT DATE_TRUNC over the trail) and no filter that lists
    # the distinct values of a column; the only COUNT is bounded by a LIMIT.
    assert not [sql for sql in large if "DISTINCT" in sql.upper()]
    counts = [sql for sql in large if "COUNT(" in sql.upper()]
    assert counts and all("LIMIT" in sql.upper() for sql in counts)
    assert len(response.context["cl"].result_list) == 100


def test_audit_changelist_filters_by_object_type_and_date(client, member_of):
    auditor = member_of("hoorn", Role.AUDITOR)
    client.force_login(auditor)
    add_audit_entries(3, auditor)
    response = client.get(f"{AUDIT_URL}?object_type=pip_plans.pipversion")
    assert list(response.context["cl"].result_list) == []
    response = client.get(f"{AUDIT_URL}?object_type=cases.inburgeraar")
    assert len(response.context["cl"].result_list) == 3
    choices = [
        choice["display"]
        for spec in response.context["cl"].filter_specs
        for choice in spec.choices(response.context["cl"])
    ]
    assert "Vandaag" in choices or "Today" in choices


def bulk_cases(count, municipality, **extra):
    """`count` plain cases in one INSERT (the factories' per-row save would take minutes)."""
    from cases.models import Inburgeraar
    from common.text import search_key

    start = Inburgeraar.objects.count()
    cases = []
    for number in range(start, start + count):
        case = Inburgeraar(
            bsn=f"{800000000 + number}",
            v_nummer=f"{4000000000 + number}",
            first_names="Amal",
            surname=f"Haddad{number}",
            date_of_birth="1990-01-01",
            doelgroep="asielstatushouder",
            municipality=municipality,
            datum_kennisgeving="2026-06-01",
            **extra,
        )
        case.search_name = search_key(case.full_name)
        cases.append(case)
    return Inburgeraar.objects.bulk_create(cases)


def plan_of(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = on")
    return plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm is PostgreSQL's")
def test_name_search_uses_the_trigram_index(caseworker_of, hoorn):
    """`search_name LIKE '%term%'` cannot use a btree: without the pg_trgm GIN index every search
    scanned the whole table (39 ms at 42,000 cases; 0.2 ms with it)."""
    from cases.selectors import search_cases

    worker = caseworker_of("hoorn")
    bulk_cases(20, hoorn)
    cases = search_cases(worker, "addad1")
    assert {case.surname for case in cases} >= {"Haddad1", "Haddad10"}
    sql, params = cases.query.sql_with_params()
    assert '"cases_inburgeraar"."search_name"::text LIKE' in sql
    # Whether the planner picks the index for the whole search depends on the table's statistics
    # (on a small test table another index can look as cheap). With sequential and plain index
    # scans off, a bitmap scan is the only path left, and only an index that can answer the
    # predicate gives one: for LIKE '%…%' the trigram index, for UPPER(v_nummer) its own index.
    assert "inburgeraar_search_name_trgm" in bitmap_plan_of(
        "SELECT id FROM cases_inburgeraar WHERE search_name LIKE %s", ["%addad1%"]
    )
    assert "inburgeraar_v_nummer_upper" in bitmap_plan_of(
        "SELECT id FROM cases_inburgeraar WHERE UPPER(v_nummer) = %s", ["ADDAD1"]
    )


def bitmap_plan_of(sql, params):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_indexonlyscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        for setting in ("enable_seqscan", "enable_indexscan", "enable_indexonlyscan"):
            cursor.execute(f"SET LOCAL {setting} = on")
    return plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's JIT")
def test_jit_is_off_for_the_apps_connections_and_in_compose():
    """JIT compiled the app's short queries for longer than they ran (the access filter's row
    misestimate pushed their cost over jit_above_cost): off, for the app and in compose."""
    from .test_deployment import load_compose

    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
    command = load_compose()["services"]["postgres"]["command"]
    assert "jit=off" in command


def test_pip_tab_reads_the_documents_with_their_versions(client, caseworker_of, case_in):
    """The documents list names each document's version: without select_related one query per
    document (an N+1)."""
    from pip_plans.models import PipDocument

    from .factories import PipFactory, PipVersionFactory

    worker = caseworker_of("hoorn")
    client.force_login(worker)
    case = case_in("hoorn")
    pip = PipFactory(inburgeraar=case)

    def adopt_versions(numbers):
        for number in numbers:
            version = PipVersionFactory(pip=pip, number=number, adopted=True)
            PipDocument.objects.bulk_create(
                PipDocument(version=version, kind=kind, file=f"pip/{number}-{kind}.pdf", size=1)
                for kind in PipDocument.Kind.values
            )

    url = f"/inburgeraars/{case.pk}/pip/"
    adopt_versions([1])
    _response, small = page_queries(client, url)
    adopt_versions(range(2, 6))
    response, large = page_queries(client, url)
    assert len(response.context["documents"]) == 15
    assert "versie 5" in response.content.decode()
    assert len(large) == len(small)


def test_stuurinformatie_aggregates_in_the_database(client, member_of, hoorn):
    """Every case went to Python for "PIP binnen 10 weken", every PIP for the median, and the
    routes took a subquery per case: now aggregates, so neither the queries nor the rows that
    reach Python grow with the cases."""
    from reporting.models import FigureSnapshot

    lead = member_of("hoorn", Role.TEAMLEIDER)
    client.force_login(lead)
    bulk_cases(10, hoorn)
    small = page_cost(client, "/stuurinformatie/")
    bulk_cases(1000, hoorn)
    FigureSnapshot.objects.all().delete()  # counted again by the page, not read from storage
    large = page_cost(client, "/stuurinformatie/")
    assert large == small
    # Read from the stored figures: fewer queries still, and no case row at all.
    stored = page_cost(client, "/stuurinformatie/")
    assert stored[0] < large[0]


def test_pip_deadline_in_the_database_is_the_rule(hoorn, settings):
    """pip_deadline_expression gives, case by case, what intake.rules.pip_deadline gives."""
    import datetime

    from cases.models import Inburgeraar, Leerplicht, postponed_duty_start
    from intake import rules as intake_rules
    from intake.models import Intake, IntakeState
    from reporting.selectors import _with_pip_deadline

    day = datetime.date
    variants = [
        {},
        {"datum_kennisgeving": None},
        {"datum_kennisgeving": None, "datum_inschrijving_brp": day(2026, 2, 1)},
        {"datum_inschrijving_brp": day(2026, 7, 15)},  # later than the kennisgeving
        {"datum_inschrijving_brp": day(2025, 1, 1)},  # earlier
        {"leerplicht": Leerplicht.LEERPLICHTIG, "leerplicht_end": day(2026, 9, 30)},
        {"leerplicht": Leerplicht.GEEN},
        {
            "datum_kennisgeving": None,
            "leerplicht": Leerplicht.KWALIFICATIEPLICHTIG,
            "leerplicht_end": day(2026, 9, 30),
        },
    ]
    received = [None, day(2026, 6, 20), day(2026, 9, 1)]
    for extra in variants:
        for arrived in received:
            kennisgeving = extra.pop("datum_kennisgeving", day(2026, 6, 1))
            (case,) = bulk_cases(1, hoorn, **extra)
            Inburgeraar.objects.filter(pk=case.pk).update(datum_kennisgeving=kennisgeving)
            extra["datum_kennisgeving"] = kennisgeving
            Intake.objects.create(
                inburgeraar=case, third_party_info_received=arrived, state=IntakeState.GEPLAND
            )
            # A cancelled intake does not count.
            Intake.objects.create(
                inburgeraar=case,
                third_party_info_received=day(2027, 1, 1),
                state=IntakeState.GEANNULEERD,
            )
    for postponing in (True, False):
        settings.DUTY_POSTPONED_WHILE_LEERPLICHTIG = postponing
        rows = _with_pip_deadline(Inburgeraar.objects.all()).values_list(
            "pip_deadline",
            "datum_kennisgeving",
            "datum_inschrijving_brp",
            "third_party_received",
            "leerplicht",
            "leerplicht_end",
        )
        assert len(rows) == len(variants) * len(received)
        for deadline, kennisgeving, brp, arrived, leerplicht, leerplicht_end in rows:
            assert deadline == intake_rules.pip_deadline(
                kennisgeving=kennisgeving,
                brp=brp,
                third_party_received=arrived,
                duty_start=postponed_duty_start(leerplicht, leerplicht_end),
            )


def bulk_deadlines(cases, *, due_in_days=3):
    from django.utils import timezone

    from deadlines.models import Deadline, Kind
    from deadlines.models import State as DeadlineState

    today = timezone.localdate()
    return Deadline.objects.bulk_create(
        Deadline(
            inburgeraar=case,
            municipality_id=case.municipality_id,
            kind=Kind.PIP_DUE,
            key="",
            due_date=today + datetime.timedelta(days=due_in_days + case.pk % 20),
            state=DeadlineState.OPEN,
        )
        for case in cases
    )


@pytest.mark.parametrize("url", ["/termijnen/", "/"])
def test_team_lead_deadlines_queries_do_not_grow(client, member_of, hoorn, enkhuizen, url):
    """Mijn termijnen and Vandaag for a team lead: "my cases" and "my team" are separate
    indexed queries (an OR of both with the access filter read every active deadline)."""
    lead = member_of("hoorn", Role.TEAMLEIDER)
    client.force_login(lead)
    # An overdue one, so that Vandaag shows rows at both sizes: the rows shown are read in one
    # query, which a Vandaag without any deadline to show does not need.
    bulk_deadlines(bulk_cases(1, hoorn), due_in_days=-40)
    bulk_deadlines(bulk_cases(10, hoorn))
    small = page_queries(client, url)[1]
    bulk_deadlines(bulk_cases(1000, hoorn))
    large = page_queries(client, url)[1]
    assert len(large) == len(small)
    either = f'"caseworker_id" = {lead.pk} OR "deadlines_deadline"."municipality_id" IN'
    mixed = [sql for sql in large if either in sql]
    assert not mixed, "mine OR my team in one query: no index serves it"


def test_team_lead_sees_own_and_team_deadlines_merged_by_date(member_of, hoorn, enkhuizen):
    from deadlines.selectors import agenda, my_deadlines

    lead = member_of("hoorn", Role.TEAMLEIDER)
    member_of("enkhuizen", Role.KLANTMANAGER, user=lead)
    team = bulk_deadlines(bulk_cases(30, hoorn))
    own_elsewhere = bulk_deadlines(bulk_cases(5, enkhuizen, caseworker=lead), due_in_days=1)
    bulk_deadlines(bulk_cases(5, enkhuizen))  # neither mine nor my team's
    rows = my_deadlines(lead, limit=1000)
    assert {row.pk for row in rows} == {row.pk for row in team + own_elsewhere}
    assert [(row.due_date, row.pk) for row in rows] == sorted((r.due_date, r.pk) for r in rows)
    # Own cases in the led municipality are in both queries: listed once.
    bulk_deadlines(bulk_cases(2, hoorn, caseworker=lead))
    rows = my_deadlines(lead, limit=1000)
    assert len(rows) == len({row.pk for row in rows}) == 37
    assert len(my_deadlines(lead, limit=7)) == 7
    assert agenda(lead).truncated is False


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_team_deadlines_read_the_active_by_due_index(member_of, hoorn):
    from deadlines.models import ACTIVE_STATES, Deadline

    lead = member_of("hoorn", Role.TEAMLEIDER)
    bulk_deadlines(bulk_cases(50, hoorn))
    team = (
        Deadline.objects.visible_to(lead)
        .filter(state__in=ACTIVE_STATES, municipality_id__in=[hoorn.pk])
        .order_by("due_date", "pk")[:501]
    )
    sql, params = team.query.sql_with_params()
    assert "deadline_active_by_due" in plan_of(sql, params)


@pytest.mark.parametrize(
    "url",
    [
        "/inburgeraars/",
        "/inburgeraars/?sort=termijn",
        "/inburgeraars/?page=3",
        "/inburgeraars/?q=haddad1",
    ],
)
def test_case_list_queries_do_not_grow(client, caseworker_of, hoorn, url):
    worker = caseworker_of("hoorn")
    client.force_login(worker)
    bulk_deadlines(bulk_cases(80, hoorn))
    small = page_queries(client, url)[1]
    bulk_deadlines(bulk_cases(1000, hoorn))
    response, large = page_queries(client, url)
    assert len(large) == len(small)
    assert len(response.context["page"].object_list) == 25


def test_deep_case_list_page_skips_rows_without_their_subqueries(client, caseworker_of, hoorn):
    """OFFSET with the next-deadline subqueries in the SELECT ran them for every skipped row:
    the page's ids come first, its rows (with their next deadline) after."""
    worker = caseworker_of("hoorn")
    client.force_login(worker)
    cases = bulk_cases(120, hoorn)
    bulk_deadlines(cases)
    response, queries = page_queries(client, "/inburgeraars/?page=3")
    offset = [sql for sql in queries if "OFFSET" in sql and "cases_inburgeraar" in sql]
    assert offset and not [sql for sql in offset if "deadlines_deadline" in sql]
    rows = response.context["page"].object_list
    assert len(rows) == 25
    assert all(case.next_due is not None for case in rows)
    sorted_page = page_queries(client, "/inburgeraars/?sort=termijn&page=2")[0]
    dues = [case.next_due for case in sorted_page.context["page"].object_list]
    assert dues == sorted(dues) and len(dues) == 25


def share_with_werksaam(cases, creator):
    """The cases shared with WerkSaam in bulk: an active share and the organisation's grant."""
    from django.contrib.auth.models import Permission

    from cases.models import InburgeraarGroupObjectPermission
    from werksaam_bridge.models import Share
    from werksaam_bridge.services import PERMISSION, werksaam

    Share.objects.bulk_create(
        Share(
            inburgeraar=case, basis=Share.Basis.BENEFIT, start_date="2026-01-01", created_by=creator
        )
        for case in cases
    )
    permission = Permission.objects.get(codename=PERMISSION)
    InburgeraarGroupObjectPermission.objects.bulk_create(
        InburgeraarGroupObjectPermission(
            group=werksaam().group, permission=permission, content_object=case
        )
        for case in cases
    )


def test_werksaam_export_streams_and_audits_in_chunks(client, member_of, hoorn, monkeypatch):
    """The CSV/XLSX export read every case into a list, built the whole file in memory and wrote
    the audit rows in INSERTs of 500: now the cases are read in chunks, each chunk audited in one
    INSERT, and the file streamed."""
    import csv
    import io

    from openpyxl import load_workbook

    from werksaam_bridge import views as werksaam_views

    from .factories import UserFactory
    from .test_werksaam import body_of

    monkeypatch.setattr(werksaam_views, "EXPORT_CHUNK", 40)
    ws_user = member_of("werksaam", Role.WERKSAAM_MEDEWERKER)
    creator = UserFactory()
    client.force_login(ws_user)

    def share_cases(count):
        share_with_werksaam(bulk_cases(count, hoorn), creator)

    costs = {}
    for count in (10, 100):
        share_cases(count if count == 10 else count - 10)
        for fmt in ("csv", "xlsx"):
            before = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count()
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(f"/werksaam/export.{fmt}")
                assert response.streaming or fmt == "xlsx"  # a small workbook is sent whole
                body = body_of(response)
            inserts = [
                q["sql"]
                for q in ctx.captured_queries
                if q["sql"].startswith('INSERT INTO "audit_auditentry"')
            ]
            exported = AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count() - before
            assert exported == count
            assert len(inserts) == -(-count // 40)  # one INSERT per chunk
            costs[(count, fmt)] = len(ctx.captured_queries) - len(inserts)
            if fmt == "csv":
                rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
            else:
                rows = list(
                    load_workbook(io.BytesIO(body)).active.iter_rows(min_row=2, values_only=True)
                )
            assert len(rows) == count + 1
    # Apart from the audit INSERTs and the chunked reads, no query per case.
    assert costs[(100, "csv")] - costs[(10, "csv")] <= 3
    assert costs[(100, "xlsx")] - costs[(10, "xlsx")] <= 3


def test_werksaam_export_python_work_per_row_is_flat(client, member_of, hoorn, monkeypatch):
    """At 20,000 rows the export's Python time went to translating the same labels for every
    cell (get_status_display and four lazy labels per row) and to an openpyxl cell object per
    value: now the labels are translated once per export and only a date gets a cell of its
    own, so neither grows with the rows."""
    import openpyxl.cell
    from django.utils import translation

    from .factories import UserFactory

    ws_user = member_of("werksaam", Role.WERKSAAM_MEDEWERKER)
    creator = UserFactory()
    client.force_login(ws_user)
    translation._trans.gettext("")  # the real gettext in place before it is wrapped
    real_gettext = translation._trans.gettext
    real_cell = openpyxl.cell.WriteOnlyCell
    counts = {"gettext": 0, "cells": 0}

    def counting_gettext(message):
        counts["gettext"] += 1
        return real_gettext(message)

    def counting_cell(*args, **kwargs):
        counts["cells"] += 1
        return real_cell(*args, **kwargs)

    monkeypatch.setattr(translation._trans, "gettext", counting_gettext)
    monkeypatch.setattr(openpyxl.cell, "WriteOnlyCell", counting_cell)
    cost = {}
    for count in (10, 100):
        share_with_werksaam(bulk_cases(count if count == 10 else count - 10, hoorn), creator)
        for fmt in ("csv", "xlsx"):
            counts.update(gettext=0, cells=0)
            response = client.get(f"/werksaam/export.{fmt}")
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert body and response.status_code == 200
            cost[(count, fmt)] = dict(counts)
    for fmt in ("csv", "xlsx"):
        assert cost[(100, fmt)]["gettext"] - cost[(10, fmt)]["gettext"] <= 5, cost
    assert cost[(100, "xlsx")]["cells"] == cost[(10, "xlsx")]["cells"], cost


def test_bulk_audit_entries_hold_the_user_not_the_requests_lazy_proxy(member_of, hoorn):
    """An export's entries were built from request.user, a lazy proxy: every attribute read and
    the foreign key's checks went through it for each of the 20,000 entries."""
    from django.utils.functional import SimpleLazyObject

    from audit.events import Action, entries_for

    user = member_of("werksaam", Role.WERKSAAM_MEDEWERKER)
    cases = bulk_cases(3, hoorn)
    entries = entries_for(SimpleLazyObject(lambda: user), Action.EXPORT, cases, reason="x")
    assert [type(entry.actor) for entry in entries] == [type(user)] * 3
    assert {entry.actor_id for entry in entries} == {user.pk}
    assert [entry.object_id for entry in entries] == [str(case.pk) for case in cases]


def test_werksaam_dashboard_figures_are_one_pass_over_the_cases(member_of, hoorn):
    """Total, per municipality, route, ontzorgen and MAP: one GROUP BY over the shared cases
    (each was a pass of its own, through the access filter and the subqueries)."""
    from werksaam_bridge import selectors

    ws_user = member_of("werksaam", Role.WERKSAAM_MEDEWERKER)
    with CaptureQueriesContext(connection) as ctx:
        figures = selectors.dashboard_figures(selectors.dashboard_cases(ws_user))
    assert figures["total"] == 0 and ("Nog geen PIP", 0) in figures["by_route"]
    passes = [q["sql"] for q in ctx.captured_queries if "cases_inburgeraar" in q["sql"]]
    assert len(passes) == 1


def subplan_loops(sql, params, table):
    """{subplan name: loops} of the subplans reading `table` in the plan of `sql` as run."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()
    if isinstance(plan, str):
        import json

        plan = json.loads(plan)
    found = {}

    def reads(node):
        return node.get("Relation Name") == table or any(
            reads(child) for child in node.get("Plans", [])
        )

    def walk(node):
        if node.get("Subplan Name") and reads(node):
            found[node["Subplan Name"]] = node["Actual Loops"]
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"])
    return found


@pytest.mark.parametrize("count", [10, 1000])
def test_werksaam_dashboard_reads_one_row_more_than_it_shows(client, member_of, hoorn, count):
    """The dashboard shows no count of its own (the figures' total is the count): it fetches
    the page's 25 rows and one more to know whether there is a next page. It fetched up to 51
    (PeekPage's exact total up to 50), and the WerkSaam subqueries ran for all of them."""
    from werksaam_bridge.views import PAGE_SIZE

    from .factories import UserFactory

    ws_user = member_of("werksaam", Role.WERKSAAM_MEDEWERKER)
    cases = bulk_cases(count, hoorn)
    share_with_werksaam(cases, UserFactory())
    client.force_login(ws_user)
    counter = RowCounter()
    with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(counter):
        response = client.get("/werksaam/")
    assert response.status_code == 200
    page = response.context["page"]
    assert len(page.object_list) == min(count, PAGE_SIZE)
    assert page.has_next == (count > PAGE_SIZE)
    rows = [q["sql"] for q in ctx.captured_queries if "unburdening" in q["sql"]]
    listed = [sql for sql in rows if "GROUP BY" not in sql]
    assert len(listed) == 1, listed
    (ids,) = [q["sql"] for q in ctx.captured_queries if 'COLLATE "nl_names"' in q["sql"]]
    assert f"LIMIT {PAGE_SIZE + 1}" in ids
    # Rows returned to Python: the ids, the rows and the small lookups, never the 1,000 cases.
    assert counter.rows < 2 * (PAGE_SIZE + 1) + 40, counter.rows


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_a_cases_route_is_read_from_the_adopted_route_index_alone(member_of, hoorn, caseworker_of):
    """The route of each shared case (the figures, the rows, the exports) is its latest adopted
    version's: per case a probe of unique_pip_version_number that read the version's heap row
    for its status and route (60,000 buffers for 20,000 cases). pipversion_adopted_route holds
    only adopted versions, in number order, with the route: an index-only scan (40,000)."""
    from werksaam_bridge import selectors

    from .factories import PipVersionFactory, UserFactory

    ws_user = member_of("werksaam", Role.WERKSAAM_MEDEWERKER)
    caseworker = caseworker_of("hoorn")
    cases = bulk_cases(10, hoorn)
    share_with_werksaam(cases, UserFactory())
    PipVersionFactory(adopted=True, pip__inburgeraar=cases[0], route="Z", author=caseworker)
    figures = selectors.dashboard_figures(selectors.dashboard_cases(ws_user))
    assert dict(figures["by_route"])["Nog geen PIP"] == 9
    cases = selectors.annotate_werksaam(selectors.dashboard_cases(ws_user), only=["route"])
    sql, params = cases.order_by().values_list("route").query.sql_with_params()
    # With sequential scans and plain index scans priced out, only an index that holds the
    # route gives a plan without them (the planner's choice on a small table is its own).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE pip_plans_pipversion")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        for setting in ("enable_seqscan", "enable_indexscan", "enable_bitmapscan"):
            cursor.execute(f"SET LOCAL {setting} = on")
    assert "Index Only Scan using pipversion_adopted_route" in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
@pytest.mark.parametrize("count", [10, 1000])
def test_werksaam_figures_read_the_shared_cases_by_the_shares_ids(client, member_of, hoorn, count):
    """The figures are a pass over all the shared cases. As `pk IN (active shares)` PostgreSQL
    read every case of the country (100,000) and checked the access filter on each to keep the
    20,000 shared; now it reads the cases by the shares' ids (an array, pkey probes), and the
    figures are the same."""
    from werksaam_bridge import selectors

    from .factories import UserFactory

    ws_user = member_of("werksaam", Role.WERKSAAM_MEDEWERKER)
    cases = bulk_cases(count, hoorn)
    share_with_werksaam(cases[:10], UserFactory())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE cases_inburgeraar")
    semi_join = selectors.dashboard_figures(selectors.dashboard_cases(ws_user))
    with CaptureQueriesContext(connection) as ctx:
        by_ids = selectors.dashboard_figures(selectors.dashboard_cases(ws_user, by_share_ids=True))
    assert by_ids == semi_join and by_ids["total"] == 10
    (grouped,) = [q["sql"] for q in ctx.captured_queries if "GROUP BY" in q["sql"]]
    assert '"cases_inburgeraar"."id" = ANY(ARRAY(SELECT' in grouped
    assert 'IN (SELECT U0."inburgeraar_id"' not in grouped
    if count == 1000:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {grouped}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "Seq Scan on cases_inburgeraar " not in plan, plan
        assert "Index Cond: (id = ANY" in plan, plan

    # The page: the figures by the shares' ids, the list still by the name index; a search
    # keeps the semi-join (its matches come from its own indexes).
    client.force_login(ws_user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/werksaam/")
    assert response.context["figures"] == semi_join
    queries = [q["sql"] for q in ctx.captured_queries]
    # The cases by the shares' ids: `"cases_inburgeraar"."id" = ANY(ARRAY(`. (The access filter's
    # organisation grants are `group_id = ANY(ARRAY(` in every query: not this.)
    by_share_ids = '"cases_inburgeraar"."id" = ANY(ARRAY('
    assert any("GROUP BY" in sql and by_share_ids in sql for sql in queries)
    assert not any('COLLATE "nl_names"' in sql and by_share_ids in sql for sql in queries)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/werksaam/?q=Haddad")
    assert response.status_code == 200
    assert not any(by_share_ids in q["sql"] for q in ctx.captured_queries)


@pytest.mark.parametrize("count", [10, 1000])
def test_werksaam_dashboard_builds_its_subqueries_only_where_it_uses_them(
    client, member_of, hoorn, monkeypatch, count
):
    """Without filters the dashboard's case querysets ask for no WerkSaam annotation, yet each
    built all ten subquery expressions (Python work per page): now only the figures and the
    page's rows build them."""
    from werksaam_bridge import selectors

    from .factories import UserFactory

    ws_user = member_of("werksaam", Role.WERKSAAM_MEDEWERKER)
    share_with_werksaam(bulk_cases(count, hoorn), UserFactory())
    built = []
    original = selectors.werksaam_annotations

    def counted(**kwargs):
        built.append(kwargs)
        return original(**kwargs)

    monkeypatch.setattr(selectors, "werksaam_annotations", counted)
    client.force_login(ws_user)
    response = client.get("/werksaam/")
    assert response.status_code == 200 and response.context["figures"]["total"] == count
    assert len(built) == 2, built  # the figures' and the rows'
    built.clear()
    response = client.get("/werksaam/?ontzorgen=geen")
    assert response.context["figures"]["total"] == count
    assert len(built) == 4, built  # the filter's (list and figures), the figures', the rows'


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_werksaam_dashboard_looks_up_records_only_where_they_are_needed(
    client, member_of, hoorn, caseworker_of
):
    """At 20,000 shared cases the figures ran the latest-MAP lookup (a sort) for every case and
    the route through a join for every case, and the name-sorted list query carried every
    WerkSaam subquery: now the latest MAP progress is looked up only for the cases that have
    some, the route is one index probe on the case's PIP, and the list sorts the ids alone; the
    WerkSaam columns are read for the rows shown."""
    from werksaam_bridge import selectors
    from werksaam_bridge.models import MapProgress

    from .factories import PipVersionFactory, UserFactory

    ws_user = member_of("werksaam", Role.WERKSAAM_MEDEWERKER)
    caseworker = caseworker_of("hoorn")
    cases = bulk_cases(40, hoorn)
    share_with_werksaam(cases, UserFactory())
    for case in cases[:3]:
        MapProgress.objects.create(inburgeraar=case, status="bezig", created_by=ws_user)
    PipVersionFactory(adopted=True, pip__inburgeraar=cases[5], route="Z", author=caseworker)

    with CaptureQueriesContext(connection) as ctx:
        figures = selectors.dashboard_figures(selectors.dashboard_cases(ws_user))
    assert figures["total"] == 40
    assert ("Niet gestart", 37) in figures["by_map"] and ("Bezig", 3) in figures["by_map"]
    assert dict(figures["by_route"])["Nog geen PIP"] == 39
    (grouped,) = [q["sql"] for q in ctx.captured_queries if "GROUP BY" in q["sql"]]
    loops = subplan_loops(grouped, None, "werksaam_bridge_mapprogress")
    # Whether a case has MAP progress (one hash, or an index probe per case: the planner picks
    # by the table's statistics), and the latest (a sort) only for those 3: before, only the
    # latest lookup, for every one of the 40 cases.
    assert len(loops) == 2 and min(loops.values()) <= 3, loops
    # The route: correlated on the case's PIP, no join to the PIPs inside the subquery.
    assert 'U0."pip_id" = ("pip_plans_pip"."id")' in grouped

    client.force_login(ws_user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/werksaam/")
    assert response.status_code == 200
    rows = response.context["page"].object_list
    assert len(rows) == 25 and {row.map_status for row in rows} >= {"bezig", "niet_gestart"}
    (sorted_ids,) = [q["sql"] for q in ctx.captured_queries if 'COLLATE "nl_names"' in q["sql"]]
    assert "werksaam_bridge_mapprogress" not in sorted_ids
    assert "pip_plans_pipversion" not in sorted_ids


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_audit_list_by_action_reads_its_index(member_of):
    auditor = member_of("hoorn", Role.AUDITOR)
    add_audit_entries(20, auditor)
    rows = AuditEntry.objects.filter(action=AuditEntry.Action.DELETE).order_by("-timestamp", "-id")
    sql, params = rows[:100].query.sql_with_params()
    assert "audit_action_timestamp" in plan_of(sql, params)


def test_my_cases_deadlines_are_a_semi_join_on_the_visible_cases(caseworker_of, hoorn, enkhuizen):
    """ "My cases" asked Deadline.visible_to, an OR with the municipality-wide deadlines, which
    kept PostgreSQL from reading each case's deadlines by index: it scanned all 775,000 deadlines
    at national size (66-116 ms per list, three lists on Vandaag) for a caseload of 168 cases.
    Now the deadlines of the user's visible cases (a semi-join): 2 ms. The rows are the same: a
    case of the user's outside their scope (moved to another municipality) stays out."""
    from deadlines.selectors import my_deadlines

    worker = caseworker_of("hoorn")
    own = bulk_deadlines(bulk_cases(6, hoorn, caseworker=worker))
    bulk_deadlines(bulk_cases(3, enkhuizen, caseworker=worker))  # not in the worker's scope
    bulk_deadlines(bulk_cases(4, hoorn))  # in scope, not the worker's
    with CaptureQueriesContext(connection) as ctx:
        rows = my_deadlines(worker, limit=100)
    assert {row.pk for row in rows} == {row.pk for row in own}
    listing = [q["sql"] for q in ctx.captured_queries if 'FROM "deadlines_deadline"' in q["sql"]]
    assert len(listing) == 1
    assert '"deadlines_deadline"."inburgeraar_id" IN (SELECT' in listing[0]
    assert '"deadlines_deadline"."inburgeraar_id" IS NULL' not in listing[0]


def test_deadline_kind_label_is_the_choice_label_in_each_language():
    """Deadline.get_kind_display looks the label up (Django's builds every translated choice per
    call: 90 ms for an agenda of 500 rows); it gives the same label, in the active language."""
    from django.utils import translation

    from deadlines.models import Deadline, Kind

    for language in ("nl", "en"):
        with translation.override(language):
            for kind in Kind:
                assert Deadline(kind=kind.value).get_kind_display() == str(kind.label)
    assert Deadline(kind="onbekend").get_kind_display() == "onbekend"


def test_my_deadlines_shows_the_earliest_list_limit_and_says_so(client, member_of, hoorn):
    from deadlines import selectors

    lead = member_of("hoorn", Role.TEAMLEIDER)
    client.force_login(lead)
    bulk_deadlines(bulk_cases(selectors.LIST_LIMIT + 5, hoorn), due_in_days=0)
    response = client.get("/termijnen/")
    agenda = response.context["agenda"]
    shown = agenda.overdue + agenda.this_week + agenda.next_weeks
    assert agenda.truncated and len(shown) == selectors.LIST_LIMIT == 200
    assert "Alleen de eerste 200 termijnen worden getoond" in response.content.decode()


def test_vandaag_lists_of_my_cases_are_semi_joins_on_the_visible_cases(caseworker_of, hoorn):
    """Open intakes, invitations to record and PIP drafts of "my cases" filter on the ids of the
    user's visible cases (a semi-join the planner reads per case by index), not on the related
    model's visible_to with the caseworker joined (a hash join over every intake or PIP)."""
    from django.utils import timezone

    from intake.selectors import invitations_needing_attention, open_intakes_of
    from pip_plans.selectors import awaiting_adoption, my_drafts

    worker = caseworker_of("hoorn")
    today = timezone.localdate()
    for name, queryset, table in (
        ("intakes", open_intakes_of(worker), "intake_intake"),
        ("invitations", invitations_needing_attention(worker, today=today), "intake_intake"),
        ("drafts", my_drafts(worker), "pip_plans_pip"),
    ):
        sql = str(queryset.query)
        assert f'"{table}"."inburgeraar_id" IN (SELECT' in sql, name
        assert '"cases_inburgeraar"."caseworker_id" =' not in sql, name
    with CaptureQueriesContext(connection) as ctx:
        assert list(awaiting_adoption(worker)) == []
    assert not [q for q in ctx.captured_queries if "pip_plans_pipversion" in q["sql"]]


def test_vandaag_lists_of_my_cases_keep_to_the_users_scope(caseworker_of, hoorn, enkhuizen):
    """A case of the user's in a municipality outside their scope stays out of every list."""
    from intake.selectors import open_intakes_of
    from pip_plans.selectors import my_drafts

    from .factories import IntakeFactory, PipFactory, PipVersionFactory

    worker = caseworker_of("hoorn")
    mine = bulk_cases(1, hoorn, caseworker=worker)[0]
    elsewhere = bulk_cases(1, enkhuizen, caseworker=worker)[0]
    for case in (mine, elsewhere):
        IntakeFactory(inburgeraar=case, planned=True)
        PipVersionFactory(pip=PipFactory(inburgeraar=case), number=1, concept=True)
    assert [i.inburgeraar_id for i in open_intakes_of(worker)] == [mine.pk]
    assert [v.pip.inburgeraar_id for v in my_drafts(worker)] == [mine.pk]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_the_inbox_reads_a_users_newest_notifications_by_index(caseworker_of):
    """Meldingen: a user's newest hundred in order from the notification_inbox index; without it
    every notification was scanned and sorted (26 ms at 175,000 notifications)."""
    from deadlines.models import Notification
    from deadlines.selectors import notifications_of

    worker = caseworker_of("hoorn")
    Notification.objects.bulk_create(
        Notification(user=worker, subject=f"Melding {n}") for n in range(30)
    )
    sql, params = notifications_of(worker)[:100].query.sql_with_params()
    # On a small table a sort of the user's rows looks as cheap: with sorts and bitmap scans
    # off, only an index in the inbox's order avoids a Sort node.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        plan = plan_of(sql, params)
        cursor.execute("SET LOCAL enable_sort = on")
        cursor.execute("SET LOCAL enable_bitmapscan = on")
    assert "notification_inbox" in plan and "Sort" not in plan


def test_team_vandaag_reads_this_weeks_and_the_waiting_deadlines_apart(member_of, hoorn):
    """ "This week" was one OR of a date range and "waiting for information": it read every
    active deadline of the municipality (212,000 at national size, 69 ms). Now two indexed
    queries merged by date, with the same rows: due this week, and waiting whatever the date."""
    from django.utils import timezone

    from deadlines.models import Deadline
    from deadlines.selectors import home_agenda

    lead = member_of("hoorn", Role.TEAMLEIDER)
    today = timezone.localdate()
    due = bulk_deadlines(bulk_cases(3, hoorn), due_in_days=0)
    waiting = bulk_deadlines(bulk_cases(2, hoorn), due_in_days=40)
    Deadline.objects.filter(pk__in=[d.pk for d in waiting]).update(waiting_since=today)
    bulk_deadlines(bulk_cases(2, hoorn), due_in_days=60)  # neither
    week_end = today + datetime.timedelta(days=6 - today.weekday())
    expected = {d.pk for d in due if d.due_date <= week_end} | {d.pk for d in waiting}
    with CaptureQueriesContext(connection) as ctx:
        agenda = home_agenda(lead, today=today)
    rows = agenda["this_week"].rows
    assert {row.pk for row in rows} == expected
    assert [(r.due_date, r.pk) for r in rows] == sorted((r.due_date, r.pk) for r in rows)
    deadline_queries = [q["sql"] for q in ctx.captured_queries if "deadlines_deadline" in q["sql"]]
    assert deadline_queries
    assert not [
        q for q in deadline_queries if 'OR "deadlines_deadline"."waiting_since" IS NOT' in q
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_team_overdue_pip_deadlines_read_the_kind_index(member_of, hoorn):
    """The municipality's overdue PIP deadlines by due date from (municipality, kind, due date):
    the by-due index read and dropped 41,000 overdue deadlines of other kinds first."""
    from django.db.models import Q
    from django.utils import timezone

    from deadlines.models import ACTIVE_STATES, Deadline, Kind

    lead = member_of("hoorn", Role.TEAMLEIDER)
    bulk_deadlines(bulk_cases(40, hoorn), due_in_days=-30)
    overdue_pip = (
        Deadline.objects.visible_to(lead)
        .filter(state__in=ACTIVE_STATES, municipality_id__in=[hoorn.pk])
        .filter(Q(due_date__lt=timezone.localdate(), waiting_since__isnull=True), kind=Kind.PIP_DUE)
        .order_by("due_date", "pk")[:101]
    )
    sql, params = overdue_pip.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        plan = plan_of(sql, params)
        cursor.execute("SET LOCAL enable_bitmapscan = on")
    assert "deadline_active_by_kind_due" in plan


def sorted_plan_of(sql, params):
    """The plan with sequential scans and sorts priced out: an index that gives the ORDER BY is
    the only way to a plan without a Sort node."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        for setting in ("enable_seqscan", "enable_sort"):
            cursor.execute(f"SET LOCAL {setting} = on")
    return plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the ICU collation is PostgreSQL's")
def test_case_list_by_name_reads_the_name_order_index(caseworker_of, hoorn, enkhuizen):
    """The case list, the API list and the admin order by name in Dutch order: without an index
    on it every page sorted every case the reader may see (at 100,000 cases: 39 ms for page 1,
    56 ms for page 1000, 65-106 ms for the API's and the admin's first page). With the index
    (migration cases/0006, the access filter checked on its entries) a page reads the index in
    order and stops after the rows shown."""
    from cases.models import Inburgeraar
    from cases.selectors import cases_for, filter_cases

    worker = caseworker_of("hoorn")
    bulk_cases(30, hoorn)
    bulk_cases(10, enkhuizen)
    page = filter_cases(worker, with_columns=False).values_list("pk", flat=True)[25:51]
    plan = sorted_plan_of(*page.query.sql_with_params())
    assert "inburgeraar_name_order" in plan and "Sort" not in plan
    api_page = cases_for(worker)[:50]  # the model's ordering: the API and the admin
    plan = sorted_plan_of(*api_page.query.sql_with_params())
    assert "inburgeraar_name_order" in plan and "Sort" not in plan
    # Same rows, same order: the reader's cases only, in Dutch order.
    assert (
        list(page)
        == [
            case.pk
            for case in sorted(
                Inburgeraar.objects.filter(municipality=hoorn),
                key=lambda case: (case.surname, case.first_names, case.pk),
            )
        ][25:51]
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the ICU collation is PostgreSQL's")
def test_name_search_sorts_its_matches_not_the_name_index(caseworker_of, hoorn):
    """A search finds its few matches with its own indexes (trigram, BSN, V-nummer) and sorts
    them. Ordered by the indexed expression, the planner (estimating the access filter at 87.5%
    of the cases) read the name index in order and checked the search on each entry until it
    had a page: 38,000 rows for 'Haddad' at 100,000 cases, 41 ms instead of 10."""
    from cases.collation import by_name
    from cases.selectors import filter_cases, search_cases

    worker = caseworker_of("hoorn")
    bulk_cases(30, hoorn)
    searched = filter_cases(worker, q="haddad1", with_columns=False).values_list("pk", flat=True)
    plan = sorted_plan_of(*searched[:26].query.sql_with_params())
    assert "inburgeraar_name_order" not in plan
    # The same order as the list by name.
    expected = search_cases(worker, "haddad1").order_by(
        by_name("surname"), by_name("first_names"), "id"
    )
    assert list(searched) == list(expected.values_list("pk", flat=True))
    assert len(searched) == 11


@pytest.mark.parametrize("count", [10, 1000])
def test_admin_case_changelist_counts_at_most_the_cap(client, member_of, hoorn, count):
    """The changelist's paginator counted every case the beheerder may see through the access
    filter on every page (50 ms at 100,000 cases): it counts at most the cap (common.admin)."""
    from common.admin import CappedCountPaginator

    beheerder = member_of("hoorn", Role.BEHEERDER)
    client.force_login(beheerder)
    bulk_cases(10, hoorn)
    small = page_queries(client, "/admin/cases/inburgeraar/")[1]
    bulk_cases(count, hoorn)
    response, large = page_queries(client, "/admin/cases/inburgeraar/")
    assert len(large) == len(small)
    counts = [sql for sql in large if "COUNT(" in sql and "cases_inburgeraar" in sql]
    assert counts and all("LIMIT" in sql for sql in counts)
    assert response.context["cl"].paginator.cap == CappedCountPaginator.cap
    assert response.context["cl"].result_count == 10 + count
    assert len(response.context["cl"].result_list) == min(100, 10 + count)


def varied_deadlines(cases):
    """Several deadlines per case: active ones at dates that tie across cases, done ones earlier
    (they do not count), and every fifth case with no active deadline at all."""
    from django.utils import timezone

    from deadlines.models import Deadline, Kind
    from deadlines.models import State as DeadlineState

    today = timezone.localdate()
    rows = []
    for case in cases:
        rows.append(
            Deadline(
                inburgeraar=case,
                municipality_id=case.municipality_id,
                kind=Kind.TERMIJN_END,
                key="",
                due_date=today - datetime.timedelta(days=30),
                state=DeadlineState.DONE,
            )
        )
        if case.pk % 5 == 0:
            continue
        for number, kind in enumerate((Kind.PIP_DUE, Kind.INVITATION, Kind.BEZWAAR)):
            rows.append(
                Deadline(
                    inburgeraar=case,
                    municipality_id=case.municipality_id,
                    kind=kind,
                    key="",
                    due_date=today + datetime.timedelta(days=(case.pk * (number + 3)) % 7 - 2),
                    state=DeadlineState.OVERDUE if number == 0 else DeadlineState.OPEN,
                )
            )
    Deadline.objects.bulk_create(rows)


def test_next_deadline_walk_gives_the_sorted_lists_ids(caseworker_of, hoorn, enkhuizen):
    """deadlines.selectors.next_due_page_ids reads the active deadlines in due order instead of a
    next-deadline subquery for every case the reader may see: the same ids in the same order as
    the list sorted by next deadline (nulls last, then id), only the reader's cases, the cases
    without an active deadline last; past WALK_LIMIT it leaves the page to the sorted query."""
    from guardian.shortcuts import assign_perm

    from cases.selectors import filter_cases
    from deadlines.selectors import WALK_LIMIT, next_due_page_ids

    worker = caseworker_of("hoorn")
    cases = bulk_cases(60, hoorn)
    others = bulk_cases(30, enkhuizen)
    assign_perm("view_inburgeraar", worker, others[0])  # standing in: one case of Enkhuizen
    varied_deadlines(cases + others)
    listed = filter_cases(worker, sort="termijn", with_columns=False)
    expected = list(listed.values_list("pk", flat=True))
    assert len(expected) == 61 and others[0].pk in expected
    assert not {case.pk for case in others[1:]} & set(expected)
    with_due = len([case for case in cases + others[:1] if case.pk % 5])
    for offset, limit in ((0, 51), (25, 26), (with_due - 5, 26), (with_due - 1, 1)):
        assert next_due_page_ids(listed, offset, limit) == expected[offset : offset + limit]
    assert next_due_page_ids(listed, with_due + 1, 26) is None  # past the cases with a deadline
    assert next_due_page_ids(listed, WALK_LIMIT, 26) is None
    # Only for a case role in a municipality, on the list without filters or a search.
    from cases.selectors import page_ids_for

    from .factories import UserFactory

    standing_in = UserFactory()
    assign_perm("view_inburgeraar", standing_in, cases[0])
    assert page_ids_for(worker, sort="termijn", q="", status="") is next_due_page_ids
    assert page_ids_for(standing_in, sort="termijn", q="", status="") is None
    assert page_ids_for(worker, sort="termijn", q="haddad1") is None
    assert page_ids_for(worker, sort="naam") is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_case_list_by_next_deadline_walks_the_deadlines_in_due_order(client, caseworker_of, hoorn):
    """The list sorted by next deadline ran the next-deadline subquery for every case the reader
    may see before it could pick a page (30,000 for a klantmanager of Hoorn at 100,000 cases:
    121 ms); its first pages walk the active deadlines by (due date, case) from their index and
    stop after the page (12 ms)."""
    worker = caseworker_of("hoorn")
    client.force_login(worker)
    varied_deadlines(bulk_cases(60, hoorn))
    response, queries = page_queries(client, "/inburgeraars/?sort=termijn")
    assert not [sql for sql in queries if "NULLS LAST" in sql]
    (walk,) = [sql for sql in queries if sql.startswith('SELECT "deadlines_deadline"."inburgeraar')]
    dues = [case.next_due for case in response.context["page"].object_list]
    assert None not in dues and dues == sorted(dues) and len(dues) == 25
    # The page's own walk reads the deadlines in due order from their index (no sort).
    plan = sorted_plan_of(walk, None)
    assert "deadline_active_due_case" in plan and "Sort" not in plan
    # With a search, a filter, or no case role in a municipality: the sorted query, as before.
    for url in (
        "/inburgeraars/?sort=termijn&q=haddad1",
        "/inburgeraars/?sort=termijn&status=aangemeld",
    ):
        assert [sql for sql in page_queries(client, url)[1] if "NULLS LAST" in sql], url


def api_count(api_client, url="/api/v1/inburgeraars/"):
    response = api_client.get(url)
    assert response.status_code == 200, url
    data = response.json()
    ids = [row["id"] for row in data["results"]]
    while data["next"]:
        data = api_client.get(data["next"]).json()
        ids += [row["id"] for row in data["results"]]
    assert len(ids) == len(set(ids))
    return response.json()["count"], set(ids)


def test_api_case_count_is_exact_and_read_from_the_municipalitys_index(
    api_client, caseworker_of, member_of, hoorn, enkhuizen, werksaam
):
    """The API list's `count` was one COUNT over the access filter's OR: a read of every case of
    the country per page (24-54 ms at 100,000 cases). cases.access.count_visible counts the
    cases of the user's municipalities from inburgeraar_municipality_pk plus the ones granted
    outside them, each case once; with grants to the user's organisations, the one COUNT."""
    from guardian.shortcuts import assign_perm

    from cases.models import Inburgeraar

    worker = caseworker_of("hoorn")
    own = bulk_cases(60, hoorn)
    elsewhere = bulk_cases(10, enkhuizen)
    assign_perm("view_inburgeraar", worker, elsewhere[0])  # standing in, outside Hoorn
    assign_perm("change_inburgeraar", worker, elsewhere[0])  # the same case twice
    assign_perm("view_inburgeraar", worker, own[0])  # and inside it: counted once
    api_client.force_authenticate(worker)
    count, ids = api_count(api_client)
    assert count == 61 and ids == {case.pk for case in own} | {elsewhere[0].pk}
    filtered, filtered_ids = api_count(api_client, "/api/v1/inburgeraars/?municipality=GM0405")
    assert filtered == len(filtered_ids) == 60
    Inburgeraar.objects.filter(pk__in=[own[1].pk, elsewhere[0].pk]).update(status="pip")
    assert api_count(api_client, "/api/v1/inburgeraars/?status=pip")[0] == 2
    # The count of the municipalities' cases is an index range of theirs, not a read of all.
    with CaptureQueriesContext(connection) as ctx:
        api_client.get("/api/v1/inburgeraars/")
    counts = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]
    assert len(counts) == 2
    if connection.vendor == "postgresql":
        plan = sorted_plan_of(counts[0], None)
        assert "inburgeraar_municipality_pk" in plan and "Index Cond: (municipality_id =" in plan
    # WerkSaam reads the cases shared with it (an organisation grant): the one COUNT.
    colleague = member_of("werksaam", Role.WERKSAAM_MEDEWERKER)
    for case in own[:3] + elsewhere[:2]:
        assign_perm("cases.view_inburgeraar", werksaam.group, case)
    api_client.force_authenticate(colleague)
    count, ids = api_count(api_client)
    assert count == 5 and ids == {case.pk for case in own[:3] + elsewhere[:2]}


@pytest.mark.parametrize("more", [10, 1000])
def test_api_case_list_queries_do_not_grow(api_client, caseworker_of, hoorn, more):
    worker = caseworker_of("hoorn")
    api_client.force_authenticate(worker)
    bulk_cases(10, hoorn)
    with CaptureQueriesContext(connection) as small:
        assert api_client.get("/api/v1/inburgeraars/").json()["count"] == 10
    bulk_cases(more, hoorn)
    with CaptureQueriesContext(connection) as large:
        assert api_client.get("/api/v1/inburgeraars/").json()["count"] == 10 + more
    assert len(large.captured_queries) == len(small.captured_queries)


def caseload_queries(lead):
    from reporting.caseload import caseload

    with CaptureQueriesContext(connection) as ctx:
        loads = caseload(lead)
    return loads, [query["sql"] for query in ctx.captured_queries]


@pytest.mark.parametrize("more", [10, 1000])
def test_werkverdeling_counts_on_the_joined_case_not_on_the_visible_ids(member_of, hoorn, more):
    """Werkverdeling counted each figure over `IN (the ids of the visible cases)`: PostgreSQL
    built Hoorn's 30,000 ids and probed the related table once per case (the overdue deadlines:
    30,030 index probes, 190-300 ms at 100,000 cases). Now each count joins its rows to their
    case, filtered by the access filter and the municipalities as a literal list, and the
    overdue deadlines are read by their own municipality (deadline_active_by_due): 36 ms. The
    number of queries does not grow with the cases."""
    lead = member_of("hoorn", Role.TEAMLEIDER)
    bulk_deadlines(bulk_cases(10, hoorn), due_in_days=-30)
    small = caseload_queries(lead)[1]
    bulk_deadlines(bulk_cases(more, hoorn), due_in_days=-30)
    loads, large = caseload_queries(lead)
    assert len(large) == len(small)
    assert loads[-1].caseworker is None and loads[-1].overdue == 10 + more
    assert not [sql for sql in large if 'IN (SELECT W0."id"' in sql]
    (overdue,) = [sql for sql in large if 'FROM "deadlines_deadline"' in sql]
    assert f'"deadlines_deadline"."municipality_id" IN ({hoorn.pk})' in overdue


def test_werkverdeling_keeps_to_the_team_leads_scope(member_of, caseworker_of, hoorn, enkhuizen):
    """The same figures as before: the led municipality's visible cases only, the CBS report
    (no case) counted for nobody, a case elsewhere not at all (nor its overdue deadline)."""
    from deadlines.models import Deadline, Kind
    from deadlines.models import State as DeadlineState

    lead = member_of("hoorn", Role.TEAMLEIDER)
    worker = caseworker_of("hoorn")
    member_of("enkhuizen", Role.KLANTMANAGER, user=worker)
    bulk_deadlines(bulk_cases(3, hoorn, caseworker=worker), due_in_days=-30)
    bulk_deadlines(bulk_cases(2, hoorn), due_in_days=-30)
    bulk_deadlines(bulk_cases(1, hoorn, caseworker=worker), due_in_days=30)  # not overdue
    bulk_deadlines(bulk_cases(4, enkhuizen, caseworker=worker), due_in_days=-30)  # not led
    Deadline.objects.create(
        municipality=hoorn,
        kind=Kind.CBS_REPORT,
        key="2026-3",
        due_date=datetime.date(2026, 1, 1),
        state=DeadlineState.OVERDUE,
    )
    loads = {load.caseworker: load for load in caseload_queries(lead)[0]}
    assert (loads[worker].open_cases, loads[worker].overdue) == (4, 3)
    assert (loads[None].open_cases, loads[None].overdue) == (2, 2)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_werkverdeling_reads_the_overdue_deadlines_by_their_municipality(member_of, hoorn):
    """The overdue deadlines from the (municipality, ...) indexes of the active ones, not per
    visible case (deadline_case_next_due, 30,030 probes for Hoorn at 100,000 cases)."""
    lead = member_of("hoorn", Role.TEAMLEIDER)
    bulk_deadlines(bulk_cases(50, hoorn), due_in_days=-30)
    (overdue,) = [sql for sql in caseload_queries(lead)[1] if 'FROM "deadlines_deadline"' in sql]
    plan = plan_of(overdue)
    # An index of the active deadlines that starts at the municipality (on a small test table
    # the planner may take the one with the kind between), never one probe per case.
    assert "deadline_active_by_due" in plan or "deadline_active_by_kind_due" in plan
    assert "deadline_case_next_due" not in plan


def unassigned_queries(sqls):
    return [sql for sql in sqls if '"cases_inburgeraar"."caseworker_id" IS NULL' in sql]


@pytest.mark.parametrize("more", [10, 1000])
def test_vandaag_unassigned_cases_filter_on_the_led_municipalities_as_a_list(
    client, member_of, hoorn, enkhuizen, more
):
    """The unassigned cases of a team lead's Vandaag (their 10 rows and their count) filter on
    the led municipalities as a literal list, which lets PostgreSQL read the partial index
    inburgeraar_unassigned (cases/0008) in the list's order: with `IN (subquery)` it read all
    30,030 cases of Hoorn and sorted the 7,005 unassigned ones (36 ms for the rows, 14 ms for
    the count at 100,210 cases; 0.3 and 1.3 ms now). A klantmanager's Vandaag, who leads
    nothing, does not ask."""
    lead = member_of("hoorn", Role.TEAMLEIDER)
    bulk_cases(more, hoorn)
    bulk_cases(3, enkhuizen)
    client.force_login(lead)
    response, sqls = page_queries(client, "/")
    queries = unassigned_queries(sqls)
    assert len(queries) == 2  # the rows and the count
    assert all(f'"cases_inburgeraar"."municipality_id" IN ({hoorn.pk})' in sql for sql in queries)
    assert f"({more})" in response.content.decode()
    worker = member_of("hoorn", Role.KLANTMANAGER)
    client.force_login(worker)
    assert unassigned_queries(page_queries(client, "/")[1]) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the ICU collation is PostgreSQL's")
def test_vandaag_unassigned_cases_read_their_partial_index(member_of, caseworker_of, hoorn):
    from cases.selectors import unassigned_cases, unassigned_total

    lead = member_of("hoorn", Role.TEAMLEIDER)
    worker = caseworker_of("hoorn")
    bulk_cases(30, hoorn)
    bulk_cases(5, hoorn, caseworker=worker)
    bulk_cases(4, hoorn, status="afgerond")
    rows = unassigned_cases(lead)[:10]
    plan = sorted_plan_of(*rows.query.sql_with_params())
    assert "inburgeraar_unassigned" in plan and "Sort" not in plan
    assert len(list(rows)) == 10
    # The count reads the same index, index-only, once the table is vacuumed (not testable in a
    # test's transaction): at 100,210 cases 1.3 ms.
    assert unassigned_total(lead) == 30


def test_team_vandaag_loads_only_the_deadlines_it_shows(member_of, hoorn):
    """Vandaag's three deadline lists show ten rows each and a count up to 100. Each of their
    eight queries loaded up to 101 deadlines with their case, its caseworker and the
    municipality, and Python dropped all but ten (808 model rows built for 30 shown at national
    size). Now the queries read (due date, id) only, and one query reads the rows shown: the
    same rows, the same counts."""
    from django.db.models import Q
    from django.utils import timezone

    from deadlines.models import Deadline, Kind
    from deadlines.selectors import COUNT_CAP, HOME_LIMIT, home_agenda, my_deadlines

    lead = member_of("hoorn", Role.TEAMLEIDER)
    bulk_deadlines(bulk_cases(COUNT_CAP + 20, hoorn), due_in_days=-40)
    today = timezone.localdate()
    due_today = bulk_deadlines(bulk_cases(4, hoorn), due_in_days=0)
    Deadline.objects.filter(pk__in=[d.pk for d in due_today]).update(due_date=today)
    with CaptureQueriesContext(connection) as ctx:
        agenda = home_agenda(lead)
    overdue_pip = agenda["overdue_pip"]
    assert (len(overdue_pip.rows), overdue_pip.total, overdue_pip.capped) == (10, 100, True)
    expected = my_deadlines(
        lead, Q(due_date__lt=today, waiting_since__isnull=True), Q(kind=Kind.PIP_DUE), limit=10
    )
    assert [row.pk for row in overdue_pip.rows] == [row.pk for row in expected]
    assert overdue_pip.rows[0].inburgeraar.full_name == expected[0].inburgeraar.full_name
    assert len(agenda["this_week"].rows) == agenda["this_week"].total == 4
    deadline_queries = [q["sql"] for q in ctx.captured_queries if "deadlines_deadline" in q["sql"]]
    with_rows = [sql for sql in deadline_queries if '"cases_inburgeraar"."surname"' in sql]
    assert len(with_rows) == 1, "one query reads the rows shown"
    assert "LIMIT" not in with_rows[0] and HOME_LIMIT == 10


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_pip_versions_awaiting_adoption_read_their_partial_index(member_of, hoorn):
    """A team lead's Vandaag lists the PIP versions ter vaststelling, oldest submission first.
    The planner read every open version (one_open_pip_version: 10,000 at 100,210 cases, 4.9 ms)
    and dropped all but the few submitted; the partial index pipversion_awaiting_adoption
    (pip_plans/0004) holds only those, by submission: 0.2 ms."""
    from pip_plans.selectors import awaiting_adoption

    from .factories import PipFactory, PipVersionFactory

    lead = member_of("hoorn", Role.TEAMLEIDER)
    for number, case in enumerate(bulk_cases(12, hoorn)):
        PipVersionFactory(pip=PipFactory(inburgeraar=case), number=1, submitted=number < 3)
    rows = awaiting_adoption(lead)[:20]
    assert len(list(rows)) == 3
    plan = sorted_plan_of(*rows.query.sql_with_params())
    assert "pipversion_awaiting_adoption" in plan
    assert "one_open_pip_version" not in plan


def test_team_vandaag_builds_the_access_filter_once_for_its_deadline_lists(
    member_of, hoorn, monkeypatch
):
    """Vandaag's four deadline lists (two queries each) built "my cases" and the team's access
    filter anew for every list: building the subqueries took more Python time than PostgreSQL
    took to answer (home_agenda at 100,210 cases: 115 -> 54 ms in-process, 72 -> 25 ms of it
    Python). Now they are built once and each list adds its own condition."""
    from cases import selectors as case_selectors
    from deadlines import models as deadline_models
    from deadlines.selectors import home_agenda

    calls = {"own": 0, "team": 0}
    own_case_ids, case_access_q = case_selectors.own_case_ids, deadline_models.case_access_q

    def counted_own(user):
        calls["own"] += 1
        return own_case_ids(user)

    def counted_access(*args, **kwargs):
        calls["team"] += 1
        return case_access_q(*args, **kwargs)

    monkeypatch.setattr(case_selectors, "own_case_ids", counted_own)
    monkeypatch.setattr(deadline_models, "case_access_q", counted_access)
    lead = member_of("hoorn", Role.TEAMLEIDER)
    bulk_deadlines(bulk_cases(3, hoorn), due_in_days=-40)
    assert home_agenda(lead)["overdue_pip"].total == 3
    assert calls == {"own": 1, "team": 1}


@pytest.mark.parametrize("value", ["", "mij", "3", "b", None])
def test_long_select_writes_the_html_of_djangos_select(value):
    """LongSelect renders in Python what forms.Select renders through its templates: escaping,
    the selected option, True and False attributes and option groups included."""
    from django import forms
    from django.utils.safestring import mark_safe

    from common.forms import LongSelect

    choices = [
        ("", "Iedereen"),
        ("mij", 'Mijn <b>&"x'),
        (3, mark_safe("<i>al veilig</i>")),
        ("Groep & co", [("a", "A"), ("b", "B")]),
    ]
    attrs = {"class": "utrecht-select", "required": True, "hidden": False, "data-x": "<'>"}
    expected = forms.Select(attrs=attrs, choices=choices).render("caseworker", value, {"id": "i"})
    rendered = LongSelect(attrs=attrs, choices=choices).render("caseworker", value, {"id": "i"})
    assert rendered == expected


def test_case_list_writes_the_klantmanager_options_without_a_template_each(
    client, member_of, hoorn
):
    """The klantmanager filter has an option per klantmanager of the user's municipalities (214
    in Hoorn at national size): rendered through Django's option template, two includes each,
    they were 15-25 ms of a name search."""
    option_template = "django/forms/widgets/select_option.html"
    lead = member_of("hoorn", Role.TEAMLEIDER)
    client.force_login(lead)

    def options_rendered_by_template():
        response = client.get("/inburgeraars/?q=Haddad")
        assert response.status_code == 200
        names = [template.name for template in response.templates]
        return names.count(option_template), response.content.decode()

    few, _html = options_rendered_by_template()
    colleagues = [member_of("hoorn", Role.KLANTMANAGER) for _ in range(30)]
    many, html = options_rendered_by_template()
    assert many == few
    for colleague in colleagues:
        assert f'<option value="{colleague.pk}">' in html


def test_my_deadlines_reverses_its_links_and_translates_its_labels_once_per_page(
    client, member_of, hoorn, monkeypatch
):
    """Mijn termijnen's 200 rows each reversed two links and translated their status and action
    labels in the template (400 reverse() calls, 12 ms; the table 19 -> 9 ms CPU in all): now
    the view sets each row's links from one reverse() per kind and the table translates its
    labels once, so neither grows with the rows. The links and actions stay what they were."""
    from django.urls import resolvers
    from django.utils import translation

    from deadlines.models import Deadline, Kind

    lead = member_of("hoorn", Role.TEAMLEIDER)
    client.force_login(lead)
    translation._trans.gettext("")  # the real gettext in place before it is wrapped
    real_gettext = translation._trans.gettext
    real_reverse = resolvers.URLResolver._reverse_with_prefix
    counts = {"gettext": 0, "reverse": 0}

    def counting_gettext(message):
        counts["gettext"] += 1
        return real_gettext(message)

    def counting_reverse(self, *args, **kwargs):
        counts["reverse"] += 1
        return real_reverse(self, *args, **kwargs)

    monkeypatch.setattr(translation._trans, "gettext", counting_gettext)
    monkeypatch.setattr(resolvers.URLResolver, "_reverse_with_prefix", counting_reverse)
    cost = {}
    for count in (5, 60):
        bulk_deadlines(bulk_cases(count if count == 5 else count - 5, hoorn), due_in_days=0)
        counts.update(gettext=0, reverse=0)
        response = client.get("/termijnen/")
        assert response.status_code == 200
        cost[count] = dict(counts)
    assert cost[60]["reverse"] == cost[5]["reverse"], cost
    # date_label and the kind's label are the row's own text: two per row, nothing more.
    assert cost[60]["gettext"] - cost[5]["gettext"] <= 2 * 55 + 15, cost

    html = response.content.decode()
    case = Deadline.objects.filter(inburgeraar__isnull=False).first().inburgeraar
    assert f'href="/inburgeraars/{case.pk}/termijnen/"' in html
    review = Deadline.objects.create(
        inburgeraar=case,
        municipality_id=case.municipality_id,
        kind=Kind.PROGRESS_REVIEW,
        key="test",
        due_date=datetime.date.today(),
    )
    cbs = Deadline.objects.create(
        municipality_id=case.municipality_id,
        kind=Kind.CBS_REPORT,
        key="2026",
        due_date=review.due_date,
    )
    html = client.get("/termijnen/").content.decode()
    assert f'href="/inburgeraars/{case.pk}/uitvoering/">Gesprek vastleggen</a>' in html
    assert f'action="/termijnen/{cbs.pk}/afgehandeld/"' in html
    assert 'name="next" value="/termijnen/"' in html


@pytest.mark.parametrize("role", [Role.TEAMLEIDER, Role.KLANTMANAGER])
def test_my_deadlines_reads_the_users_team_lead_memberships_once(client, member_of, hoorn, role):
    """The municipalities the user leads give both the team's rows and the page's "and of your
    team": one query for both (the page asked "is a team lead?" again, a query of its own)."""
    user = member_of("hoorn", role)
    client.force_login(user)
    response, queries = page_queries(client, "/termijnen/")
    lead_reads = [
        sql for sql in queries if '"municipalities_membership"."role" = \'teamleider\'' in sql
    ]
    assert len(lead_reads) == 1, lead_reads
    team_text = "De termijnen van uw eigen inburgeraars en van uw team."
    assert (team_text in response.content.decode()) == (role == Role.TEAMLEIDER)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_organisation_grants_are_read_by_the_groups_index(member_of, hoorn):
    """Every organisation grant is WerkSaam's (20,021 in one group at national size): as
    `group_id IN (subquery)` PostgreSQL expected all of them for any group and scanned and
    hashed the table in every access filter that got that far (5-28 ms), also for a klantmanager
    without a single grant. As `group_id = ANY(ARRAY(subquery))` the user's groups come first and
    their grants by the group index (0.04 ms)."""
    from cases.access import _access_parts
    from cases.models import Inburgeraar

    from .factories import UserFactory

    worker = member_of("hoorn", Role.KLANTMANAGER)
    ws_user = member_of("werksaam", Role.WERKSAAM_MEDEWERKER)
    shared = bulk_cases(30, hoorn)
    share_with_werksaam(shared, UserFactory())
    for dossier in (False, True):
        grants = _access_parts(worker, dossier=dossier)[2]
        sql, params = grants.query.sql_with_params()
        assert '"group_id" = ANY(ARRAY(SELECT' in sql
        plan = plan_of(sql, params)
        assert "group_id = ANY ($" in plan and "Sort" not in plan, plan
    # The same cases as before: WerkSaam reads its shares, outside the dossier only.
    assert set(Inburgeraar.objects.visible_to(ws_user)) == set(shared)
    assert not Inburgeraar.objects.dossier_of(ws_user).exists()
    assert Inburgeraar.objects.visible_to(worker).count() == 30


def test_my_deadlines_reads_only_the_columns_it_shows(client, member_of, hoorn):
    """Mijn termijnen shows of a row's case the name, of its caseworker the name: the deadline
    queries read those, not the whole case and user (40 and 12 columns for each of 200 rows),
    and showing the rows reads nothing more (the deferred columns are never touched)."""
    lead = member_of("hoorn", Role.TEAMLEIDER)
    client.force_login(lead)
    bulk_deadlines(bulk_cases(5, hoorn, caseworker=lead), due_in_days=0)
    small = page_queries(client, "/termijnen/")[1]
    bulk_deadlines(bulk_cases(60, hoorn, caseworker=lead), due_in_days=0)
    response, large = page_queries(client, "/termijnen/")
    assert len(large) == len(small)
    reads = [sql for sql in large if sql.startswith('SELECT "deadlines_deadline"."id"')]
    assert len(reads) == 2, reads  # my cases, my team
    for sql in reads:
        assert '"cases_inburgeraar"."surname"' in sql and '"accounts_user"."last_name"' in sql
        assert '"cases_inburgeraar"."bsn"' not in sql and '"accounts_user"."password"' not in sql
    assert "Haddad64" in response.content.decode()
