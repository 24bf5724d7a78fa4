"""DUO corrections (issue 10, point 5): a re-imported BSN with a changed kennisgeving or BRP date
is shown as a correction in the preview (old -> new per field) and applied through the case's
write path on commit; a case outside the user's scope keeps the neutral message."""

from datetime import date

import pytest

from audit.models import AuditEntry
from cases import services as case_services
from cases.models import Inburgeraar, TimelineEvent
from deadlines.models import Deadline, Kind
from duo_import import services
from duo_import.models import ImportRow
from intake.rules import pip_deadline

from .test_duo_import import HEADER, hoorn_org, km_hoorn, make_row, make_user, upload_file
from .test_duo_import import make_csv as _make_csv

pytestmark = pytest.mark.django_db

assert hoorn_org and km_hoorn  # fixtures, imported for their names

BRP_HEADER = [*HEADER, "datum_inschrijving_brp"]


def make_csv(rows):
    return _make_csv(rows, header=BRP_HEADER)


@pytest.fixture
def registered(km_hoorn, hoorn_org):
    return case_services.register_inburgeraar(
        km_hoorn,
        bsn="123456782",
        first_names="Amal",
        surname="Haddad",
        date_of_birth=date(1990, 3, 14),
        doelgroep="asielstatushouder",
        municipality=hoorn_org,
        datum_kennisgeving=date(2025, 1, 15),
        datum_inschrijving_brp=date(2025, 1, 2),
    )


def pip_due(case):
    return Deadline.objects.get(inburgeraar=case, kind=Kind.PIP_DUE).due_date


def test_changed_dates_are_a_correction_in_the_preview(km_hoorn, registered, client):
    content = make_csv(
        [
            make_row(
                "123456782", datum_kennisgeving="2025-02-03", datum_inschrijving_brp="2025-01-02"
            )
        ]
    )
    batch = services.parse_upload(km_hoorn, upload_file(content))
    row = batch.rows.get()
    assert row.outcome == ImportRow.Outcome.CORRECTION
    assert row.changes == {"datum_kennisgeving": ["2025-01-15", "2025-02-03"]}
    assert batch.correction_count == 1 and batch.existing_count == 0
    client.force_login(km_hoorn)
    page = client.get(f"/inburgeraars/import/{batch.pk}/").content.decode()
    assert "15-01-2025 → 03-02-2025" in page
    # Nothing changes before the commit.
    registered.refresh_from_db()
    assert registered.datum_kennisgeving == date(2025, 1, 15)


def test_commit_applies_the_correction_through_the_write_path(km_hoorn, registered):
    assert pip_due(registered) == pip_deadline(kennisgeving=date(2025, 1, 15), brp=date(2025, 1, 2))
    content = make_csv(
        [
            make_row(
                "123456782", datum_kennisgeving="2025-02-03", datum_inschrijving_brp="2025-02-10"
            )
        ]
    )
    batch = services.parse_upload(km_hoorn, upload_file(content))
    result = services.commit_batch(km_hoorn, batch)
    assert result["corrected"] == 1 and result["created"] == 0
    registered.refresh_from_db()
    assert (registered.datum_kennisgeving, registered.datum_inschrijving_brp) == (
        date(2025, 2, 3),
        date(2025, 2, 10),
    )
    # The deadline moved in the same transaction.
    assert pip_due(registered) == pip_deadline(kennisgeving=date(2025, 2, 3), brp=date(2025, 2, 10))
    entry = AuditEntry.objects.for_object(registered).get(action=AuditEntry.Action.UPDATE)
    assert entry.changes["datum_kennisgeving"] == ["2025-01-15", "2025-02-03"]
    assert f"DUO-import #{batch.pk}" in entry.reason
    assert TimelineEvent.objects.filter(inburgeraar=registered, kind="gegevens").exists()
    assert batch.rows.get().outcome == ImportRow.Outcome.CORRECTED
    batch.refresh_from_db()
    assert batch.corrected_count == 1


def test_same_dates_are_skipped_as_already_registered(km_hoorn, registered):
    content = make_csv(
        [
            make_row(
                "123456782", datum_kennisgeving="2025-01-15", datum_inschrijving_brp="2025-01-02"
            )
        ]
    )
    batch = services.parse_upload(km_hoorn, upload_file(content))
    assert batch.rows.get().outcome == ImportRow.Outcome.EXISTING
    assert services.commit_batch(km_hoorn, batch)["corrected"] == 0


def test_an_empty_date_in_the_file_corrects_nothing(km_hoorn, registered):
    content = make_csv([make_row("123456782", datum_kennisgeving="2025-01-15")])
    batch = services.parse_upload(km_hoorn, upload_file(content))
    assert batch.rows.get().outcome == ImportRow.Outcome.EXISTING
    registered.refresh_from_db()
    assert registered.datum_inschrijving_brp == date(2025, 1, 2)


def test_a_case_outside_the_scope_keeps_the_neutral_message(registered, hoorn_org):
    from municipalities.models import Organisation

    medemblik = Organisation.objects.get(slug="medemblik")
    other = make_user("km-medemblik", medemblik)
    content = make_csv(
        [make_row("123456782", datum_kennisgeving="2025-02-03", gemeentecode="GM0420")]
    )
    batch = services.parse_upload(other, upload_file(content))
    row = batch.rows.get()
    assert row.outcome == ImportRow.Outcome.ERROR and row.changes == {}
    assert row.errors == [{"column": "", "message": services.neutral_message()}]
    services.commit_batch(other, batch)
    registered.refresh_from_db()
    assert registered.datum_kennisgeving == date(2025, 1, 15)
    assert Inburgeraar.objects.count() == 1
