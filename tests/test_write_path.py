"""One write path for the case: every writer of the legal dates goes through cases.services, and
each writer moves the deadlines in the same transaction.

The first test enumerates the writers from the code: any place that constructs, creates or
updates an Inburgeraar, or assigns one of its legal dates, status or municipality, outside the
case's own services (and the DUO import's bulk insert, which then tells the case's listeners).
The tests after it prove, writer by writer, that the "PIP vaststellen" deadline follows the date.
"""

import ast
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from cases import services as case_services
from cases.models import LEGAL_DATE_FIELDS, CaseStatus, Inburgeraar
from cases.transitions import CASE_MACHINE, transition
from deadlines.models import Deadline, Kind
from intake.rules import pip_deadline

from .test_admin import CASES_URL, admin_form_data
from .test_admin import beheerder as beheerder  # noqa: F401 (a fixture)
from .test_duo_import import hoorn_org as hoorn_org  # noqa: F401 (a fixture)
from .test_duo_import import km_hoorn as km_hoorn  # noqa: F401 (a fixture)
from .test_duo_import import make_csv, make_row, upload_file

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db
APPS = [
    "accounts",
    "api",
    "audit",
    "cases",
    "common",
    "deadlines",
    "demo",
    "duo_import",
    "intake",
    "municipalities",
    "pip_plans",
    "reporting",
    "webhooks",
    "werksaam_bridge",
]
GUARDED_FIELDS = {*LEGAL_DATE_FIELDS, "status", "municipality", "municipality_id"}
WRITE_METHODS = {"create", "update", "get_or_create", "update_or_create", "bulk_create"}
# The writers that may touch the case row itself, and why.
ALLOWED_WRITERS = {
    "cases/services.py",  # the write path
    "cases/transitions.py",  # the status, only through transition()
    "duo_import/services.py",  # bulk insert of new cases, then cases.signals.facts_changed
}


def _writes_in(path: Path) -> list[str]:
    """Lines in `path` that write an Inburgeraar or its guarded fields directly."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            # Inburgeraar(...), Inburgeraar.objects.create(...), ....update(datum_...=...)
            if isinstance(func, ast.Name) and func.id == "Inburgeraar":
                found.append(f"{node.lineno}: Inburgeraar(...)")
            elif isinstance(func, ast.Attribute) and func.attr in WRITE_METHODS:
                chain = ast.unparse(func.value)
                keywords = {kw.arg for kw in node.keywords}
                if "Inburgeraar" in chain or keywords & set(LEGAL_DATE_FIELDS):
                    found.append(f"{node.lineno}: {ast.unparse(func)}(...)")
        elif isinstance(node, ast.Assign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Attribute) and target.attr in LEGAL_DATE_FIELDS:
                    found.append(f"{node.lineno}: .{target.attr} = ...")
    return found


def test_the_scanner_finds_the_writes_it_looks_for(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "case.datum_kennisgeving = x\n"
        "Inburgeraar.objects.filter(pk=1).update(datum_koppeling=y)\n"
        "Inburgeraar.objects.create(bsn=b)\n"
        "Inburgeraar(bsn=b)\n"
        "Other.objects.create(name=n)\n"
    )
    assert len(_writes_in(sample)) == 4


def test_every_writer_of_the_case_is_the_write_path():
    outside = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = str(path.relative_to(ROOT))
            if "migrations" in path.parts or relative in ALLOWED_WRITERS:
                continue
            writes = _writes_in(path)
            if writes:
                outside[relative] = writes
    assert outside == {}, f"writes around cases.services: {outside}"


def pip_due(case) -> date:
    return Deadline.objects.get(inburgeraar=case, kind=Kind.PIP_DUE).due_date


def expected_due(kennisgeving: date) -> date:
    return pip_deadline(kennisgeving=kennisgeving, brp=None)


@pytest.fixture
def dated_case(db, caseworker_of):
    worker = caseworker_of("hoorn")
    case = case_services.register_inburgeraar(
        worker,
        bsn="123456782",
        first_names="Amal",
        surname="Haddad",
        date_of_birth=date(1990, 1, 1),
        doelgroep="gezinsmigrant",
        municipality=worker.memberships.get().organisation,
        datum_kennisgeving=date(2026, 9, 1),
    )
    return worker, case


def test_registration_places_the_pip_deadline(dated_case):
    _worker, case = dated_case
    assert pip_due(case) == expected_due(date(2026, 9, 1))


def test_update_case_moves_the_pip_deadline_and_is_audited(dated_case):
    from audit.models import AuditEntry
    from cases.models import TimelineEvent

    worker, case = dated_case
    case_services.update_case(worker, case, values={"datum_kennisgeving": date(2026, 10, 6)})
    assert pip_due(case) == expected_due(date(2026, 10, 6))
    entry = AuditEntry.objects.for_object(case).filter(action=AuditEntry.Action.UPDATE).get()
    assert entry.changes["datum_kennisgeving"] == ["2026-09-01", "2026-10-06"]
    assert TimelineEvent.objects.filter(inburgeraar=case, kind="gegevens").exists()


def test_update_case_refuses_a_stale_version_and_changes_nothing(dated_case):
    worker, case = dated_case
    with pytest.raises(case_services.ConcurrentEditError):
        case_services.update_case(
            worker,
            case,
            values={"datum_kennisgeving": date(2026, 10, 6)},
            expected_version=case.version - 1,
        )
    case.refresh_from_db()
    assert case.datum_kennisgeving == date(2026, 9, 1)
    assert pip_due(case) == expected_due(date(2026, 9, 1))


def test_update_case_refuses_status_and_municipality(dated_case, hoorn):
    worker, case = dated_case
    for field, value in (("status", CaseStatus.AFGEROND), ("municipality", hoorn)):
        with pytest.raises(ValidationError):
            case_services.update_case(worker, case, values={field: value})


def test_update_case_is_404_outside_the_actors_scope(dated_case, caseworker_of):
    from django.http import Http404

    _worker, case = dated_case
    with pytest.raises(Http404):
        case_services.update_case(
            caseworker_of("enkhuizen"), case, values={"datum_kennisgeving": date(2026, 10, 6)}
        )


def test_admin_change_of_the_kennisgeving_moves_the_pip_deadline(dated_case, client, beheerder):
    """The beheerder's path: the admin's save_model calls the write path."""
    _worker, case = dated_case
    client.force_login(beheerder)
    url = f"{CASES_URL}{case.pk}/change/"
    data = admin_form_data(client.get(url))
    data["datum_kennisgeving"] = "2026-11-03"
    response = client.post(url, data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.datum_kennisgeving == date(2026, 11, 3)
    assert pip_due(case) == expected_due(date(2026, 11, 3))


def test_admin_shows_status_and_municipality_read_only(dated_case, client, beheerder):
    _worker, case = dated_case
    client.force_login(beheerder)
    form = client.get(f"{CASES_URL}{case.pk}/change/").context["adminform"].form
    assert "status" not in form.fields and "municipality" not in form.fields


def test_duo_import_places_the_pip_deadline(km_hoorn):
    from duo_import import services as duo_services

    batch = duo_services.parse_upload(km_hoorn, upload_file(make_csv([make_row("123456782")])))
    duo_services.commit_batch(km_hoorn, batch)
    case = Inburgeraar.objects.get(bsn="123456782")
    assert pip_due(case) == expected_due(case.datum_kennisgeving)


def test_a_status_moves_only_along_the_table(dated_case):
    worker, case = dated_case
    with pytest.raises(ValidationError):
        transition(CASE_MACHINE, case, CaseStatus.AFGEROND, actor=worker)
    case.refresh_from_db()
    assert case.status == CaseStatus.AANGEMELD
    old_version = case.version
    transition(CASE_MACHINE, case, CaseStatus.INTAKE, actor=worker, case=case, timeline="x")
    case.refresh_from_db()
    assert (case.status, case.version) == (CaseStatus.INTAKE, old_version + 1)
