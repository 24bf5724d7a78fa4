"""A national-size database for the page benchmark (issue 15), built in bulk on PostgreSQL.

`build(cases)` first seeds the demo (users, organisations, language schools, their own cases), then
adds `cases` bench cases with set-based INSERT ... SELECT over generate_series: the seven
municipalities (Hoorn about 30%), about 70% with an intake, about 50% with adopted PIP versions
(some with two or three), WerkSaam shares with their grants, household links, timeline entries,
uitvoering records (enrolments, attendance, progress reviews, exam results), then the deadlines
through the project's own set-based recompute (`deadlines.services.recompute_for_cases`), the
reminders through the sweep, notifications, and the audit trail by COPY.

The audit trail's hash chain is normally extended row by row by a trigger under an advisory lock.
For millions of rows the builder computes the chain itself (the same canonical content as
`audit_entry_digest`, checked against the database function on the first rows), COPYs the rows
with their chain number and hashes while that trigger is off, and turns it on again, so
`verify_audit_chain` still holds.

A table `bench_marker` says that a database is a bench database (and how far its build got); the
builder refuses a database that has cases but no marker: it never writes into real data.
"""

from __future__ import annotations

import hashlib
import json
import time
from datetime import UTC, datetime, timedelta

from django.db import connection, models, transaction
from django.utils import timezone

MARKER = "bench_marker"
HOORN_SHARE = 30  # percent
SHARES = 20_000
AUDIT_PER_CASE = 50
CHAIN_TRIGGER = "audit_entry_chain"


class NotABenchDatabase(Exception):
    pass


def _cursor():
    return connection.cursor()


def marker() -> dict | None:
    """The bench marker of this database: {'cases': N, 'complete': bool}, or None."""
    with _cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [MARKER])
        if not cursor.fetchone()[0]:
            return None
        cursor.execute(f"SELECT cases, complete FROM {MARKER} LIMIT 1")  # noqa: S608
        row = cursor.fetchone()
    return {"cases": row[0], "complete": row[1]} if row else None


def bench_case_count() -> int:
    from cases.models import Inburgeraar

    return Inburgeraar.objects.filter(v_nummer__startswith="B").count()


def check_database() -> None:
    """Refuse SQLite and a database that holds cases but is not a bench database."""
    from cases.models import Inburgeraar

    if connection.vendor != "postgresql":
        raise NotABenchDatabase(
            "Het benchmark heeft PostgreSQL nodig: zet DATABASE_URL op een eigen, lege database, "
            "bijvoorbeeld postgres://postgres@127.0.0.1:5432/wf_national (SQLite wordt geweigerd)."
        )
    fresh = Inburgeraar._meta.db_table not in connection.introspection.table_names()
    if marker() is None and not fresh and Inburgeraar.objects.exists():
        raise NotABenchDatabase(
            f"Database {connection.settings_dict['NAME']} bevat al dossiers en is geen "
            "benchmarkdatabase (geen tabel bench_marker): kies een lege database voor het "
            "benchmark, het schrijft nooit in echte gegevens."
        )


def _set_marker(cases: int, complete: bool) -> None:
    with _cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER} (cases integer NOT NULL, complete boolean NOT NULL)"
        )
        cursor.execute(f"DELETE FROM {MARKER}")  # noqa: S608
        cursor.execute(f"INSERT INTO {MARKER} VALUES (%s, %s)", [cases, complete])  # noqa: S608


def is_built(cases: int) -> bool:
    found = marker()
    return bool(found and found["complete"] and found["cases"] >= cases)


# --- a generic INSERT ... SELECT that fills every column the caller did not name -------------------


def _literal(field, value):
    if isinstance(field, models.JSONField):
        return json.dumps(value), "::jsonb"
    return field.get_db_prep_save(value, connection), ""


def insert_select(model, exprs: dict[str, str], source: str, params: dict | None = None) -> int:
    """INSERT INTO model's table (columns) SELECT exprs FROM source: the columns not in `exprs`
    get their Django default (auto_now fields now()); a required column without one is an error."""
    columns, values, params = [], [], dict(params or {})
    for field in model._meta.concrete_fields:
        column = field.column
        if column in exprs:
            columns.append(column)
            values.append(exprs[column])
            continue
        if field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            columns.append(column)
            values.append("now()")
        elif field.has_default():
            value, cast = _literal(field, field.get_default())
            name = f"default_{column}"
            params[name] = value
            columns.append(column)
            values.append(f"%({name})s{cast}")
        elif field.null:
            continue
        elif field.empty_strings_allowed and field.blank:
            columns.append(column)
            values.append("''")
        else:
            raise ValueError(f"{model.__name__}.{field.name}: a required column without a value")
    unknown = set(exprs) - set(columns)
    if unknown:
        raise ValueError(f"{model.__name__}: unknown columns {sorted(unknown)}")
    sql = (
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "  # noqa: S608
        f"SELECT {', '.join(values)} FROM {source}"
    )
    with _cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


# --- names ---------------------------------------------------------------------------------------


def _names():
    """(first names, surnames, search keys of every pair): the demo's names by origin, and a few
    Dutch ones, with their accents (Öztürk, Şahin, Çelik) for the accented name search."""
    from common.text import search_key
    from demo.seed import ORIGINS

    firsts, surnames = [], []
    for _nationality, _language, men, women, family in ORIGINS:
        firsts += men + women
        surnames += family
    firsts += ["Jan", "Sanne", "Pieter", "Noor", "Lieke", "Bas"]
    surnames += ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer"]
    firsts = sorted(set(firsts))
    surnames = sorted(set(surnames))
    keys = [search_key(f"{first} {last}") for first in firsts for last in surnames]
    return firsts, surnames, keys


# --- the build -----------------------------------------------------------------------------------


def build(cases: int, *, log=print, audit_per_case: int = AUDIT_PER_CASE) -> dict:
    """Build (or finish) a bench database of `cases` cases; returns the timings per step."""
    from demo.seed import seed_demo

    check_database()
    timings = {}
    found = marker()
    if found and found["cases"] != cases:
        raise NotABenchDatabase(
            f"Deze benchmarkdatabase is gebouwd voor {found['cases']:,} dossiers, niet "
            f"{cases:,}: kies een andere database (of verwijder deze)."
        )

    def step(name, function, *args):
        started = time.perf_counter()
        result = function(*args)
        timings[name] = time.perf_counter() - started
        log(f"bench_build: {name} in {timings[name]:.1f} s" + (f" ({result:,})" if result else ""))
        return result

    if found is None:
        _set_marker(cases, False)
        step("seed_demo", lambda: seed_demo() and 0)
    if bench_case_count() == 0:
        with transaction.atomic():
            step("cases", _cases, cases)
            step("intakes", _intakes)
            step("pips", _pips)
            step("shares", _shares)
            step("household", _household)
            step("timeline", _timeline)
            step("uitvoering", _uitvoering)
    with transaction.atomic():
        step("deadlines (recompute_for_cases)", _deadlines)
    step("reminders (sweep)", _reminders)
    step("notifications", _notifications)
    step("audit (COPY)", _audit, audit_per_case)
    step("vacuum analyze", _analyze)
    _set_marker(cases, True)
    return timings


def _users():
    """Per municipality its klantmanager and teamleider ids, the WerkSaam group and user."""
    from accounts.models import User
    from municipalities.models import Organisation

    municipalities = list(
        Organisation.objects.filter(kind=Organisation.Kind.GEMEENTE).order_by("slug")
    )
    users = dict(User.objects.values_list("username", "pk"))
    hoorn = next(org for org in municipalities if org.slug == "hoorn")
    others = [org for org in municipalities if org.slug != "hoorn"]
    return {
        "hoorn": hoorn.pk,
        "others": [org.pk for org in others],
        "klantmanagers": {org.pk: users[f"klantmanager.{org.slug}"] for org in municipalities},
        "teamleiders": {org.pk: users[f"teamleider.{org.slug}"] for org in municipalities},
        "werksaam_user": users["werksaam.medewerker"],
    }


# Cases per klantmanager: a caseload as a caseworker carries it (about a hundred), whatever the
# size of the country. The cases of a municipality are spread over as many klantmanagers as that
# takes; the demo's klantmanager is one of them, so "my cases" stays a caseload and "my team" (a
# team lead's municipality) grows with the country.
CASELOAD = 100
ASSIGNED_PERCENT = 70  # of the cases have a klantmanager (c.g % 10 < 7 below)


def _caseworkers(count: int, users: dict) -> int:
    """The klantmanagers of the bench cases: per municipality the demo's own (n = 0) and
    klantmanager.<gemeente>.<n> for the rest, active members in the klantmanager role; two
    tables for the case insert: bench_caseworker (municipality, n, user) and bench_caseload
    (municipality, number of klantmanagers)."""
    from accounts.models import User
    from municipalities.models import Membership, Organisation, Role

    municipalities = dict(
        Organisation.objects.filter(kind=Organisation.Kind.GEMEENTE).values_list("pk", "slug")
    )
    with _cursor() as cursor:
        cursor.execute("SELECT municipality_id, count(*) FROM bench_case GROUP BY municipality_id")
        per_municipality = dict(cursor.fetchall())
    rows = []
    for municipality_id, slug in municipalities.items():
        cases = per_municipality.get(municipality_id, 0)
        needed = max(1, -(-cases * ASSIGNED_PERCENT // (100 * CASELOAD)))
        rows.append((municipality_id, 0, users["klantmanagers"][municipality_id]))
        extra = User.objects.bulk_create(
            User(username=f"klantmanager.{slug}.{n}", password="!") for n in range(1, needed)
        )
        Membership.objects.bulk_create(
            Membership(user=user, organisation_id=municipality_id, role=Role.KLANTMANAGER)
            for user in extra
        )
        rows += [(municipality_id, n, user.pk) for n, user in enumerate(extra, start=1)]
    with _cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_caseworker")
        cursor.execute("DROP TABLE IF EXISTS bench_caseload")
        cursor.execute(
            "CREATE TABLE bench_caseworker (municipality_id bigint, n int, user_id bigint)"
        )
        cursor.executemany("INSERT INTO bench_caseworker VALUES (%s, %s, %s)", rows)
        cursor.execute(
            "CREATE TABLE bench_caseload AS SELECT municipality_id, count(*) AS caseworkers "
            "FROM bench_caseworker GROUP BY municipality_id"
        )
    return len(rows)


def _cases(count: int) -> int:
    from cases.models import Inburgeraar

    users = _users()
    firsts, surnames, keys = _names()
    today = timezone.localdate()
    with _cursor() as cursor:
        # One row per bench case with everything the later steps need (a temporary table).
        cursor.execute("DROP TABLE IF EXISTS bench_case")
        cursor.execute(
            """
            CREATE TABLE bench_case AS
            WITH g AS (
                SELECT g,
                       CASE WHEN (g * 37) %% 100 < %(hoorn_share)s THEN %(hoorn)s
                            ELSE (%(others)s::bigint[])[1 + g %% %(n_others)s] END AS municipality_id,
                       (g * 53) %% 100 AS bucket
                FROM generate_series(1, %(count)s) AS g
            )
            SELECT g, municipality_id, bucket,
                   CASE WHEN bucket < 30 THEN 'aangemeld'
                        WHEN bucket < 40 THEN 'intake'
                        WHEN bucket < 50 THEN 'pip'
                        WHEN bucket < 92 THEN 'uitvoering'
                        WHEN bucket < 98 THEN 'afgerond'
                        ELSE 'beeindigd' END AS status,
                   %(today)s::date - CASE
                        WHEN bucket < 30 THEN g %% 40
                        WHEN bucket < 40 THEN 40 + g %% 60
                        WHEN bucket < 50 THEN 100 + g %% 60
                        WHEN bucket < 92 THEN 180 + g %% 900
                        ELSE 1000 + g %% 100 END AS kennisgeving,
                   NULL::bigint AS case_id
            FROM g
            """,
            {
                "hoorn_share": HOORN_SHARE,
                "hoorn": users["hoorn"],
                "others": users["others"],
                "n_others": len(users["others"]),
                "count": count,
                "today": today,
            },
        )
        # Valid BSNs (elfproef) that the demo does not use: eight digits, then the check digit.
        cursor.execute(
            """
            CREATE TEMP TABLE bench_bsn AS
            WITH candidates AS (
                SELECT p::text AS p FROM generate_series(20000000, 20000000 + %(span)s) AS p
            ), checked AS (
                SELECT p, (9 * substr(p, 1, 1)::int + 8 * substr(p, 2, 1)::int
                           + 7 * substr(p, 3, 1)::int + 6 * substr(p, 4, 1)::int
                           + 5 * substr(p, 5, 1)::int + 4 * substr(p, 6, 1)::int
                           + 3 * substr(p, 7, 1)::int + 2 * substr(p, 8, 1)::int) %% 11 AS chk
                FROM candidates
            )
            SELECT row_number() OVER (ORDER BY p) AS g, p || chk AS bsn
            FROM checked
            WHERE chk < 10
              AND NOT EXISTS (SELECT 1 FROM cases_inburgeraar i WHERE i.bsn = p || chk)
            """,
            {"span": count * 2 + 1000},
        )
        cursor.execute("CREATE INDEX ON bench_bsn (g)")
    _caseworkers(count, users)
    created = insert_select(
        Inburgeraar,
        {
            "bsn": "b.bsn",
            "v_nummer": "'B' || c.g",
            "first_names": "(%(firsts)s::text[])[1 + c.g %% %(nf)s]",
            "surname": "(%(surnames)s::text[])[1 + (c.g / %(nf)s) %% %(ns)s]",
            "search_name": "(%(keys)s::text[])[1 + (c.g %% %(nf)s) * %(ns)s + (c.g / %(nf)s) %% %(ns)s]",
            "date_of_birth": "%(today)s::date - (18 * 365 + (c.g * 7) %% (42 * 365))",
            "gender": "CASE WHEN c.g %% 2 = 0 THEN 'm' ELSE 'v' END",
            "nationality": "'Syrisch'",
            "languages": "'Arabisch'",
            "phone": "'06' || (10000000 + c.g)",
            "email": "'inburgeraar.' || c.g || '@voorbeeld.nl'",
            "street": "'Dorpsstraat'",
            "house_number": "(1 + c.g %% 180)::text",
            "postal_code": "'16' || (10 + c.g %% 90) || ' AB'",
            "city": "'Hoorn'",
            "doelgroep": "(ARRAY['asielstatushouder','gezinsmigrant','overige_migrant'])[1 + c.g %% 3]",
            "municipality_id": "c.municipality_id",
            "caseworker_id": "CASE WHEN c.g %% 10 < 7 THEN cw.user_id END",
            "status": "c.status",
            "datum_kennisgeving": "c.kennisgeving",
            "datum_start_inburgeringsplicht": "c.kennisgeving - 10",
            "datum_inschrijving_brp": "c.kennisgeving - 5",
        },
        "bench_case c JOIN bench_bsn b ON b.g = c.g "
        "JOIN bench_caseload k ON k.municipality_id = c.municipality_id "
        "JOIN bench_caseworker cw ON cw.municipality_id = c.municipality_id "
        "AND cw.n = (c.g / 7) %% k.caseworkers ORDER BY c.g",
        {
            "firsts": firsts,
            "surnames": surnames,
            "keys": keys,
            "nf": len(firsts),
            "ns": len(surnames),
            "today": today,
        },
    )
    with _cursor() as cursor:
        cursor.execute(
            "UPDATE bench_case c SET case_id = i.id FROM cases_inburgeraar i "
            "WHERE i.v_nummer = 'B' || c.g"
        )
        cursor.execute("CREATE UNIQUE INDEX ON bench_case (g)")
        cursor.execute("CREATE INDEX ON bench_case (status)")
        cursor.execute("ANALYZE bench_case")
    return created


def _intakes() -> int:
    from intake.models import Intake

    return insert_select(
        Intake,
        {
            "inburgeraar_id": "c.case_id",
            "state": "CASE WHEN c.status = 'intake' THEN 'in_uitvoering' ELSE 'afgerond' END",
            "startdatum": "c.kennisgeving + 20",
            "einddatum": "CASE WHEN c.status = 'intake' THEN NULL ELSE c.kennisgeving + 60 END",
            "test_date": "c.kennisgeving + 25",
            "test_score": "10 + c.g %% 30",
            "highest_education": "''",
            "language_level": "''",
            "digital_skills": "''",
            "chosen_route": "CASE WHEN c.status = 'intake' THEN '' ELSE 'B1' END",
        },
        "bench_case c WHERE c.status <> 'aangemeld'",
    )


ADOPTED = "c.status IN ('uitvoering', 'afgerond', 'beeindigd')"


def _pips() -> int:
    from pip_plans.models import LanguageSchool, Pip, PipVersion

    users = _users()
    schools = list(LanguageSchool.objects.values_list("pk", flat=True)) or [None]
    leads = users["teamleiders"]
    made = insert_select(
        Pip,
        {
            "inburgeraar_id": "c.case_id",
            "dagtekening_initiele_pip": f"CASE WHEN {ADOPTED} THEN c.kennisgeving + 90 END",
            "termijn_start": f"CASE WHEN {ADOPTED} THEN c.kennisgeving + 90 END",
            "termijn_end": f"CASE WHEN {ADOPTED} THEN c.kennisgeving + 90 + 1095 END",
        },
        "bench_case c WHERE c.status NOT IN ('aangemeld', 'intake')",
    )
    # Versions: one per PIP, a second for one in five adopted PIPs, a third for one in twenty;
    # the last of a PIP in status 'pip' is a concept.
    source = (
        "bench_case c JOIN pip_plans_pip p ON p.inburgeraar_id = c.case_id "
        "JOIN unnest(%(m_ids)s::bigint[], %(u_ids)s::bigint[], %(l_ids)s::bigint[]) "
        "AS u(municipality_id, author_id, lead_id) ON u.municipality_id = c.municipality_id "
        "CROSS JOIN LATERAL generate_series(1, CASE WHEN c.status = 'pip' THEN 1 "
        "WHEN c.g %% 20 = 0 THEN 3 WHEN c.g %% 5 = 0 THEN 2 ELSE 1 END) AS n"
    )
    dagtekening = "(c.kennisgeving + 90 + (n - 1) * 120)"
    adopted = "c.status <> 'pip'"
    made += insert_select(
        PipVersion,
        {
            "pip_id": "p.id",
            "number": "n",
            "status": f"CASE WHEN {adopted} THEN 'vastgesteld' ELSE 'concept' END",
            "reason": "CASE WHEN n = 1 THEN 'eerste' ELSE 'overig' END",
            "route": "'B1'",
            "advised_route": "'B1'",
            "level_lezen": "'B1'",
            "level_luisteren": "'B1'",
            "level_schrijven": "'B1'",
            "level_spreken": "'B1'",
            "hoofddoel": "''",
            "goal_language": "'Taalniveau B1 halen'",
            "language_school_id": "(%(schools)s::bigint[])[1 + c.g %% %(n_schools)s]",
            "course_start": f"{dagtekening} + 30",
            "author_id": "u.author_id",
            "submitted_by_id": f"CASE WHEN {adopted} THEN u.author_id END",
            "submitted_at": f"CASE WHEN {adopted} THEN {dagtekening} - 3 END",
            "adopted_by_id": f"CASE WHEN {adopted} THEN u.lead_id END",
            "adopted_at": f"CASE WHEN {adopted} THEN {dagtekening}::timestamptz END",
            "dagtekening": f"CASE WHEN {adopted} THEN {dagtekening} END",
            "bezwaar_deadline": f"CASE WHEN {adopted} THEN {dagtekening} + 42 END",
            "course_start_deadline": f"CASE WHEN {adopted} THEN {dagtekening} + 70 END",
        },
        source,
        {
            "m_ids": list(leads),
            "u_ids": [users["klantmanagers"][pk] for pk in leads],
            "l_ids": list(leads.values()),
            "schools": schools,
            "n_schools": len(schools),
        },
    )
    return made


def _shares() -> int:
    from django.contrib.auth.models import Permission

    from cases.models import InburgeraarGroupObjectPermission
    from municipalities.models import Organisation
    from werksaam_bridge.models import Share

    users = _users()
    werksaam = Organisation.objects.get(kind=Organisation.Kind.WERKSAAM)
    permission = Permission.objects.get(
        codename="view_inburgeraar", content_type__app_label="cases"
    )
    with _cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE bench_share AS SELECT * FROM bench_case c WHERE {ADOPTED} "  # noqa: S608
            "AND c.status = 'uitvoering' ORDER BY c.g LIMIT %s",
            [SHARES],
        )
    made = insert_select(
        Share,
        {
            "inburgeraar_id": "c.case_id",
            "basis": "'uitkering'",
            "start_date": "c.kennisgeving + 90",
            "created_by_id": "%(user)s",
        },
        "bench_share c",
        {"user": users["klantmanagers"][users["hoorn"]]},
    )
    insert_select(
        InburgeraarGroupObjectPermission,
        {
            "content_object_id": "c.case_id",
            "group_id": "%(group)s",
            "permission_id": "%(permission)s",
        },
        "bench_share c",
        {"group": werksaam.group_id, "permission": permission.pk},
    )
    return made


def _household() -> int:
    from cases.models import HouseholdLink

    made = insert_select(
        HouseholdLink,
        {"inburgeraar_id": "a.case_id", "relative_id": "b.case_id", "relation": "'partner'"},
        "bench_case a JOIN bench_case b ON b.g = a.g + 1 WHERE a.g %% 10 = 1",
    )
    made += insert_select(
        HouseholdLink,
        {"inburgeraar_id": "b.case_id", "relative_id": "a.case_id", "relation": "'partner'"},
        "bench_case a JOIN bench_case b ON b.g = a.g + 1 WHERE a.g %% 10 = 1",
    )
    return made


def _timeline() -> int:
    from cases.models import TimelineEvent

    return insert_select(
        TimelineEvent,
        {
            "inburgeraar_id": "c.case_id",
            "at": "(c.kennisgeving + n * 20)::timestamptz",
            "kind": "(ARRAY['registered', 'intake', 'pip'])[n]",
            "text": "(ARRAY['Geregistreerd', 'Brede intake gepland', 'PIP opgesteld'])[n]",
        },
        "bench_case c CROSS JOIN LATERAL generate_series(1, CASE WHEN c.status = 'aangemeld' "
        "THEN 1 ELSE 3 END) AS n",
    )


def _uitvoering() -> int:
    from municipalities.models import Organisation
    from uitvoering.models import Attendance, Enrolment, ExamResult, ProgressReview

    users = _users()
    schools = list(
        Organisation.objects.filter(kind=Organisation.Kind.AANBIEDER).values_list("pk", flat=True)
    )
    made = insert_select(
        Enrolment,
        {
            "inburgeraar_id": "c.case_id",
            "pip_id": "p.id",
            "school_id": "(%(schools)s::bigint[])[1 + c.g %% %(n)s]",
            "aanmelding_date": "c.kennisgeving + 100",
            "actual_start": "c.kennisgeving + 120",
            "hours_per_week": "12",
        },
        f"bench_case c JOIN pip_plans_pip p ON p.inburgeraar_id = c.case_id WHERE {ADOPTED}",
        {"schools": schools, "n": len(schools)},
    )
    made += insert_select(
        Attendance,
        {
            "enrolment_id": "e.id",
            "period_start": "e.actual_start + (n - 1) * 30",
            "period_end": "e.actual_start + n * 30 - 1",
            "hours_present": "40 + n",
            "hours_excused": "2",
            "hours_unexcused": "CASE WHEN e.id %% 17 = 0 THEN 12 ELSE 0 END",
        },
        "uitvoering_enrolment e CROSS JOIN generate_series(1, 3) AS n "
        "WHERE e.inburgeraar_id IN (SELECT case_id FROM bench_case)",
    )
    caseworkers = users["klantmanagers"]
    source = (
        "bench_case c JOIN unnest(%(m_ids)s::bigint[], %(u_ids)s::bigint[]) "
        "AS u(municipality_id, user_id) ON u.municipality_id = c.municipality_id "
        f"WHERE {ADOPTED}"
    )
    user_params = {"m_ids": list(caseworkers), "u_ids": list(caseworkers.values())}
    made += insert_select(
        ProgressReview,
        {
            "inburgeraar_id": "c.case_id",
            "held_on": "c.kennisgeving + 200",
            "participants": "'Inburgeraar, klantmanager'",
            "author_id": "u.user_id",
        },
        source,
        user_params,
    )
    made += insert_select(
        ExamResult,
        {
            "inburgeraar_id": "c.case_id",
            "onderdeel": "'lezen'",
            "level": "'B1'",
            "exam_date": "c.kennisgeving + 400",
            "result": "CASE WHEN c.g %% 4 = 0 THEN 'niet_behaald' ELSE 'behaald' END",
            "recorded_by_id": "u.user_id",
        },
        source + " AND c.kennisgeving + 400 < current_date",
        user_params,
    )
    return made


def _deadlines() -> int:
    """Every bench case's deadlines through the project's own set-based recompute."""
    from deadlines import services
    from deadlines.models import Deadline

    with _cursor() as cursor:
        cursor.execute("SELECT case_id FROM bench_case ORDER BY case_id")
        ids = [row[0] for row in cursor.fetchall()]
    done = set(
        Deadline.objects.filter(inburgeraar_id__in=ids).values_list("inburgeraar_id", flat=True)
    )
    todo = [pk for pk in ids if pk not in done]
    for start in range(0, len(todo), 5000):
        services.recompute_for_cases(todo[start : start + 5000])
    return Deadline.objects.count()


def _reminders() -> int:
    from deadlines import services
    from deadlines.models import Reminder

    services.sweep(send=False)
    return Reminder.objects.count()


def _notifications() -> int:
    """The inbox: a notification to the case's klantmanager for every reminder, half read."""
    from deadlines.models import Notification

    return insert_select(
        Notification,
        {
            "user_id": "i.caseworker_id",
            "reminder_id": "r.id",
            "deadline_id": "d.id",
            "inburgeraar_id": "i.id",
            "recipient_role": "'klantmanager'",
            "subject": "'Termijn nadert'",
            "text": "'Een termijn van een dossier nadert.'",
            "read_at": "CASE WHEN r.id %% 2 = 0 THEN now() END",
        },
        "deadlines_reminder r JOIN deadlines_deadline d ON d.id = r.deadline_id "
        "JOIN cases_inburgeraar i ON i.id = d.inburgeraar_id "
        "WHERE i.caseworker_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
        "deadlines_notification n WHERE n.reminder_id = r.id AND n.user_id = i.caseworker_id)",
    )


# --- the audit trail: the hash chain computed here, rows by COPY -----------------------------------


def _epoch(moment: datetime) -> str:
    """`extract(epoch FROM timestamp)` as PostgreSQL prints it in JSON (numeric, six decimals)."""
    return f"{int(moment.timestamp())}.000000"


def _digest(row: tuple) -> str:
    """audit_entry_digest (audit migration 0004) for an entry of whole seconds, empty `changes`
    and a list of plain field names: the text of jsonb_build_array(...), hashed."""
    (entry_id, seq, prev, moment, actor_id, username, action, otype, oid, orepr, fields, reason) = (
        row
    )
    parts = [
        str(entry_id),
        str(seq),
        json.dumps(prev, ensure_ascii=False),
        _epoch(moment),
        "null" if actor_id is None else str(actor_id),
        json.dumps(username, ensure_ascii=False),
        json.dumps(action, ensure_ascii=False),
        json.dumps(otype, ensure_ascii=False),
        json.dumps(oid, ensure_ascii=False),
        json.dumps(orepr, ensure_ascii=False),
        "[" + ", ".join(json.dumps(name, ensure_ascii=False) for name in fields) + "]",
        "{}",
        json.dumps(reason, ensure_ascii=False),
    ]
    return hashlib.sha256(("[" + ", ".join(parts) + "]").encode()).hexdigest()


def _audit(per_case: int) -> int:
    """`per_case` entries per bench case (reads mostly, some writes and exports), oldest first,
    spread over the cases' lifetimes, chained onto the existing head of the chain."""
    from accounts.models import User

    users = _users()
    names = dict(User.objects.values_list("pk", "username"))
    with _cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_case")
        if cursor.fetchone()[0] * per_case <= _audit_count():
            return 0  # already there
        cursor.execute(
            "SELECT case_id, municipality_id, kennisgeving FROM bench_case ORDER BY case_id"
        )
        cases = cursor.fetchall()
    total = len(cases) * per_case
    if not total:
        return 0
    now = timezone.now().replace(microsecond=0)
    oldest = min(row[2] for row in cases)
    start = datetime(oldest.year, oldest.month, oldest.day, 8, tzinfo=UTC)
    span = int((now - start).total_seconds())
    step = max(1, span // total)
    actions = ["view"] * 8 + ["update", "export"]
    with transaction.atomic(), _cursor() as cursor:
        cursor.execute("LOCK TABLE audit_auditentry IN EXCLUSIVE MODE")
        cursor.execute(
            "SELECT chain_seq, hash FROM audit_auditentry WHERE chain_seq IS NOT NULL "
            "ORDER BY chain_seq DESC LIMIT 1"
        )
        head = cursor.fetchone() or (0, "")
        cursor.execute("SELECT coalesce(max(id), 0) FROM audit_auditentry")
        last_id = cursor.fetchone()[0]
        cursor.execute(f"ALTER TABLE audit_auditentry DISABLE TRIGGER {CHAIN_TRIGGER}")
        seq, prev = head
        columns = (
            "id, chain_seq, prev_hash, timestamp, actor_id, actor_username, action, "
            "object_type, object_id, object_repr, fields, reason, changes, hash"
        )
        raw = cursor.cursor if hasattr(cursor, "cursor") else cursor
        with raw.copy(f"COPY audit_auditentry ({columns}) FROM STDIN") as copy:
            for index in range(total):
                case_id, municipality_id, _k = cases[(index * 7919) % len(cases)]
                seq += 1
                last_id += 1
                moment = start + timedelta(seconds=index * step)
                actor_id = users["klantmanagers"][municipality_id]
                action = actions[index % len(actions)]
                fields = ["status"] if action == "update" else []
                row = (
                    last_id,
                    seq,
                    prev,
                    moment,
                    actor_id,
                    names[actor_id],
                    action,
                    "cases.inburgeraar",
                    f"{case_id}",
                    f"Inburgeraar #{case_id}",
                    fields,
                    "",
                )
                digest = _digest(row)
                copy.write_row(row[:10] + (json.dumps(fields), "", "{}", digest))
                prev = digest
        cursor.execute(f"ALTER TABLE audit_auditentry ENABLE TRIGGER {CHAIN_TRIGGER}")
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('audit_auditentry', 'id'), %s)", [last_id]
        )
        # The Python digest must be the database's: check the first and the last new rows.
        cursor.execute(
            "SELECT count(*) FROM audit_auditentry WHERE chain_seq IN (%s, %s, %s) "
            "AND hash <> audit_entry_digest(audit_auditentry)",
            [head[0] + 1, head[0] + 2, seq],
        )
        if cursor.fetchone()[0]:
            raise RuntimeError("bench audit: de berekende hash wijkt af van audit_entry_digest")
    return total


def _audit_count() -> int:
    with _cursor() as cursor:
        cursor.execute("SELECT count(*) FROM audit_auditentry")
        return cursor.fetchone()[0]


def _analyze() -> int:
    """VACUUM (ANALYZE), as autovacuum would have done by the time a production database is this
    size: the statistics, and the visibility map that index-only scans need (without it every
    index entry read its table row: 35,613 extra reads for the next-deadline sort)."""
    from django.db import connection

    with _cursor() as cursor:
        # VACUUM cannot run in a transaction (the tests build inside one): ANALYZE there.
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
    return 0
