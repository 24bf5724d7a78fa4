"""The DUO import: reading files, checking rows, preview, commit, scoping and query counts."""

import csv
import io
import logging
import random
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEntry
from cases.models import Doelgroep, Inburgeraar
from common.bsn import generate_bsn, mask_bsn
from duo_import import parsing, services
from duo_import.models import ImportBatch, ImportRow
from duo_import.parsing import ImportFileError
from municipalities.models import Membership, Organisation, Role
from municipalities.services import add_membership

pytestmark = pytest.mark.django_db

HEADER = [
    "bsn",
    "v_nummer",
    "voornamen",
    "tussenvoegsel",
    "achternaam",
    "geboortedatum",
    "geslacht",
    "nationaliteit",
    "doelgroep",
    "datum_kennisgeving",
    "gemeentecode",
    "datum_start_inburgeringsplicht",
    "postcode",
    "woonplaats",
]
NEUTRAL = "Deze regel kan niet worden verwerkt; neem contact op met de functioneel beheerder."


def make_bsns(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    result: list[str] = []
    while len(result) < count:
        bsn = generate_bsn(rng)
        if bsn not in result:
            result.append(bsn)
    return result


def make_row(bsn: str, **overrides) -> dict:
    values = {
        "bsn": bsn,
        "v_nummer": "1234567890",
        "voornamen": "Amal",
        "tussenvoegsel": "",
        "achternaam": "Haddad",
        "geboortedatum": "14-03-1990",
        "geslacht": "v",
        "nationaliteit": "Syrisch",
        "doelgroep": "asielstatushouder",
        "datum_kennisgeving": "2025-01-15",
        "gemeentecode": "GM0405",
        "datum_start_inburgeringsplicht": "",
        "postcode": "1621ab",
        "woonplaats": "Hoorn",
    }
    values.update(overrides)
    return values


def make_csv(rows, *, delimiter=";", encoding="utf-8-sig", header=HEADER) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column.lower(), "") for column in header])
    return buffer.getvalue().encode(encoding)


def upload_file(content: bytes, name: str = "kennisgevingen.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def make_user(username: str, organisation, role=Role.KLANTMANAGER) -> User:
    user = User.objects.create_user(username=username, password="Geheim-wachtwoord-123")
    add_membership(actor=None, user=user, organisation=organisation, role=role)
    return user


def make_case(bsn: str, municipality, **fields) -> Inburgeraar:
    values = {
        "first_names": "Samira",
        "surname": "Bouzid",
        "date_of_birth": date(1988, 5, 1),
        "doelgroep": Doelgroep.GEZINSMIGRANT,
        # The same kennisgeving as make_row's: re-importing the case corrects nothing.
        "datum_kennisgeving": date(2025, 1, 15),
    }
    values.update(fields)
    return Inburgeraar.objects.create(bsn=bsn, municipality=municipality, **values)


def rows_by_number(batch) -> dict[int, ImportRow]:
    return {row.row_number: row for row in batch.rows.all()}


def messages_of(row: ImportRow) -> str:
    return " ".join(error["message"] for error in row.errors)


@pytest.fixture
def hoorn_org():
    return Organisation.objects.get(slug="hoorn")


@pytest.fixture
def medemblik_org():
    return Organisation.objects.get(slug="medemblik")


@pytest.fixture
def km_hoorn(hoorn_org):
    return make_user("km-hoorn", hoorn_org)


@pytest.fixture
def other_km_hoorn(hoorn_org):
    return make_user("km-hoorn-2", hoorn_org)


# Reading the file


def test_semicolon_file_with_bom_is_read(km_hoorn):
    bsns = make_bsns(2)
    content = make_csv([make_row(bsns[0]), make_row(bsns[1], voornamen="Nour")])
    assert content.startswith(b"\xef\xbb\xbf")

    batch = services.parse_upload(km_hoorn, upload_file(content))

    assert (batch.delimiter, batch.encoding) == (";", "utf-8-sig")
    assert (batch.row_count, batch.new_count, batch.error_count) == (2, 2, 0)
    rows = rows_by_number(batch)
    assert rows[2].bsn == bsns[0]
    assert rows[3].data["voornamen"] == "Nour"
    assert batch.ignored_columns == []


def test_comma_file_without_bom_and_headers_in_capitals(km_hoorn):
    bsn = make_bsns(1)[0]
    header = [column.upper() for column in HEADER]
    content = make_csv([make_row(bsn)], delimiter=",", encoding="utf-8", header=header)
    content = content.replace(b"BSN,", b"BSN,Opmerking,", 1).replace(
        bsn.encode() + b",", bsn.encode() + b",iets,", 1
    )

    batch = services.parse_upload(km_hoorn, upload_file(content))

    assert (batch.delimiter, batch.encoding) == (",", "utf-8")
    assert batch.new_count == 1
    assert batch.ignored_columns == ["opmerking"]


def test_windows_1252_file_keeps_accented_names(km_hoorn, hoorn_org):
    bsns = make_bsns(2)
    content = make_csv(
        [
            make_row(bsns[0], voornamen="José", achternaam="Hélène"),
            make_row(bsns[1], voornamen="Zoë", achternaam="Citroën"),
        ],
        encoding="cp1252",
    )
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")

    batch = services.parse_upload(km_hoorn, upload_file(content))
    assert batch.encoding == "cp1252"
    assert batch.new_count == 2
    services.commit_batch(km_hoorn, batch)

    zoe = Inburgeraar.objects.get(bsn=bsns[1])
    assert (zoe.first_names, zoe.surname) == ("Zoë", "Citroën")
    assert zoe.search_name == "zoe citroen"
    assert zoe.municipality == hoorn_org


def test_xlsx_file_is_refused_with_a_clear_message(km_hoorn):
    content = b"PK\x03\x04\x14\x00\x06\x00\x08\x00" + bytes(range(256)) * 4

    with pytest.raises(ImportFileError) as excinfo:
        services.parse_upload(km_hoorn, upload_file(content, "kennisgevingen.xlsx"))

    assert "Dit is een Excel-bestand (.xlsx); sla het op als CSV" in excinfo.value.message
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"bsn;voornamen\r\n\x00\x01\x02binary", "Dit is geen CSV-bestand"),
        ("bsn;voornamen\r\nZo\u00eb;".encode() + b"\x81\x8d", "niet te lezen"),
        (b"%PDF-1.7\r\n\x0b\x0c binary", "Dit is geen CSV-bestand"),
        (b"", "leeg"),
    ],
)
def test_unreadable_files_are_refused(km_hoorn, content, expected):
    with pytest.raises(ImportFileError) as excinfo:
        services.parse_upload(km_hoorn, upload_file(content))
    assert expected in excinfo.value.message


def test_missing_columns_are_named_in_one_error(km_hoorn):
    header = [column for column in HEADER if column not in ("doelgroep", "gemeentecode")]
    content = make_csv([make_row(make_bsns(1)[0])], header=header)

    with pytest.raises(ImportFileError) as excinfo:
        services.parse_upload(km_hoorn, upload_file(content))

    message = excinfo.value.message
    assert "doelgroep, gemeentecode" in message
    assert "voornamen" not in message


def test_file_larger_than_the_limit_is_refused_before_reading(km_hoorn):
    upload = upload_file(b"bsn;voornamen\r\n")
    upload.size = 21 * 1024 * 1024

    with pytest.raises(ImportFileError) as excinfo:
        services.parse_upload(km_hoorn, upload)

    assert "groter dan 20 MB" in excinfo.value.message


def test_too_many_rows_are_refused(km_hoorn, monkeypatch):
    monkeypatch.setattr(parsing, "MAX_ROWS", 2)
    content = make_csv([make_row(bsn) for bsn in make_bsns(3)])
    with pytest.raises(ImportFileError) as excinfo:
        services.parse_upload(km_hoorn, upload_file(content))
    assert "meer dan 2 regels" in excinfo.value.message


def test_tab_separated_file_is_refused_with_advice(km_hoorn):
    content = make_csv([make_row(make_bsns(1)[0])], delimiter="\t")
    with pytest.raises(ImportFileError) as excinfo:
        services.parse_upload(km_hoorn, upload_file(content))
    assert "tabs" in excinfo.value.message


def test_row_with_more_fields_than_the_header_is_a_row_error(km_hoorn):
    bsn = make_bsns(1)[0]
    content = make_csv([make_row(bsn, woonplaats="Hoorn")]).replace(
        b"Hoorn\r\n", b"Hoorn;extra\r\n"
    )

    row = services.parse_upload(km_hoorn, upload_file(content)).rows.get()

    assert row.outcome == ImportRow.Outcome.ERROR
    assert "meer kolommen dan de kopregel" in messages_of(row)


def test_file_with_only_a_header_is_refused(km_hoorn):
    with pytest.raises(ImportFileError) as excinfo:
        services.parse_upload(km_hoorn, upload_file(make_csv([]) + b";;;;\r\n"))
    assert "geen regels" in excinfo.value.message


# Checking each row


def test_bsn_failing_the_elfproef_is_a_row_error(km_hoorn):
    good = make_bsns(1)[0]
    content = make_csv([make_row("123456789"), make_row(good), make_row("11111112")])

    batch = services.parse_upload(km_hoorn, upload_file(content))

    rows = rows_by_number(batch)
    assert rows[2].outcome == ImportRow.Outcome.ERROR
    assert rows[2].errors[0]["column"] == "bsn"
    assert "11-proef" in rows[2].errors[0]["message"]
    assert rows[3].outcome == ImportRow.Outcome.NEW
    # An 8-digit BSN gets its leading zero back.
    assert (rows[4].outcome, rows[4].bsn) == (ImportRow.Outcome.NEW, "011111112")


def test_dates_are_checked(km_hoorn):
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    bsns = make_bsns(5)
    content = make_csv(
        [
            make_row(bsns[0], geboortedatum=tomorrow.strftime("%d-%m-%Y")),
            make_row(bsns[1], datum_kennisgeving=tomorrow.isoformat()),
            make_row(bsns[2], geboortedatum="31-02-1990"),
            make_row(bsns[3], geboortedatum="1990/03/14"),
            make_row(bsns[4], geboortedatum="1-2-1990", datum_kennisgeving=today.isoformat()),
        ]
    )

    rows = rows_by_number(services.parse_upload(km_hoorn, upload_file(content)))

    assert rows[2].errors == [
        {"column": "geboortedatum", "message": "De geboortedatum ligt in de toekomst."}
    ]
    assert rows[3].errors == [
        {
            "column": "datum_kennisgeving",
            "message": "De datum van de kennisgeving ligt in de toekomst.",
        }
    ]
    assert "dd-mm-jjjj" in messages_of(rows[4])
    assert "dd-mm-jjjj" in messages_of(rows[5])
    assert rows[6].outcome == ImportRow.Outcome.NEW


def test_doelgroep_geslacht_and_required_values_are_checked(km_hoorn):
    bsns = make_bsns(3)
    content = make_csv(
        [
            make_row(bsns[0], doelgroep="arbeidsmigrant"),
            make_row(bsns[1], geslacht="q", achternaam=""),
            make_row(bsns[2], doelgroep="Overige migrant", geslacht="M"),
        ]
    )

    rows = rows_by_number(services.parse_upload(km_hoorn, upload_file(content)))

    assert [error["column"] for error in rows[2].errors] == ["doelgroep"]
    assert sorted(error["column"] for error in rows[3].errors) == ["achternaam", "geslacht"]
    assert rows[4].outcome == ImportRow.Outcome.NEW


def test_unknown_gemeentecode_is_a_row_error(km_hoorn):
    content = make_csv([make_row(make_bsns(1)[0], gemeentecode="GM0363")])

    row = services.parse_upload(km_hoorn, upload_file(content)).rows.get()

    assert row.outcome == ImportRow.Outcome.ERROR
    assert row.errors[0]["column"] == "gemeentecode"
    assert "GM0363 is geen gemeente in Westfriesland" in row.errors[0]["message"]


def test_gemeentecode_of_a_municipality_without_a_role_is_a_row_error(km_hoorn):
    bsns = make_bsns(2)
    content = make_csv(
        [make_row(bsns[0], gemeentecode="GM0420"), make_row(bsns[1], gemeentecode="0405")]
    )

    rows = rows_by_number(services.parse_upload(km_hoorn, upload_file(content)))

    assert rows[2].outcome == ImportRow.Outcome.ERROR
    assert "U kunt voor deze gemeente (GM0420) geen inburgeraars registreren" in messages_of(
        rows[2]
    )
    assert rows[3].outcome == ImportRow.Outcome.NEW


def test_duplicate_bsn_in_the_file(km_hoorn):
    same, differing = make_bsns(2)
    content = make_csv(
        [
            make_row(same),
            make_row(same),
            make_row(differing),
            make_row(differing, voornamen="Rana"),
        ]
    )

    rows = rows_by_number(services.parse_upload(km_hoorn, upload_file(content)))

    # The same row twice: the first is imported, the copy is an error.
    assert rows[2].outcome == ImportRow.Outcome.NEW
    assert rows[3].outcome == ImportRow.Outcome.ERROR
    assert "rij 2" in messages_of(rows[3])
    # The same BSN with different data: neither is imported.
    assert rows[4].outcome == ImportRow.Outcome.ERROR
    assert "rij 5" in messages_of(rows[4])
    assert rows[5].outcome == ImportRow.Outcome.ERROR
    assert "rij 4" in messages_of(rows[5])


def test_existing_visible_bsn_is_skipped(km_hoorn, hoorn_org):
    existing, new = make_bsns(2)
    make_case(existing, hoorn_org)
    content = make_csv([make_row(existing), make_row(new)])

    batch = services.parse_upload(km_hoorn, upload_file(content))

    rows = rows_by_number(batch)
    assert (rows[2].outcome, rows[2].errors) == (ImportRow.Outcome.EXISTING, [])
    assert (batch.new_count, batch.existing_count, batch.error_count) == (1, 1, 0)
    assert services.commit_batch(km_hoorn, batch) == {
        "created": 1,
        "corrected": 0,
        "existing": 0,
        "errors": 0,
    }
    assert Inburgeraar.objects.filter(bsn=existing).count() == 1


def test_existing_invisible_bsn_gets_a_neutral_message(km_hoorn, medemblik_org, client):
    hidden = make_bsns(1)[0]
    make_case(hidden, medemblik_org, first_names="Samira", surname="Bouzid")
    content = make_csv([make_row(hidden, voornamen="Jan", achternaam="Jansen")])

    batch = services.parse_upload(km_hoorn, upload_file(content))

    row = batch.rows.get()
    assert row.outcome == ImportRow.Outcome.ERROR
    assert row.errors == [{"column": "", "message": NEUTRAL}]
    for revealing in ("Medemblik", "GM0420", "Samira", "Bouzid", "al geregistreerd"):
        assert revealing not in messages_of(row)
    client.force_login(km_hoorn)
    page = client.get(reverse("duo_import:preview", args=[batch.pk])).content.decode()
    assert NEUTRAL in page
    assert "Bouzid" not in page
    assert services.commit_batch(km_hoorn, batch)["created"] == 0
    assert Inburgeraar.objects.get(bsn=hidden).municipality == medemblik_org


# Committing


def test_commit_creates_cases_and_audit_entries(km_hoorn, hoorn_org):
    bsns = make_bsns(3)
    content = make_csv(
        [
            make_row(bsns[0], tussenvoegsel="el", achternaam="Amrani"),
            make_row(bsns[1], datum_start_inburgeringsplicht="01-12-2024"),
            make_row(bsns[2], doelgroep="onbekend"),
        ]
    )
    batch = services.parse_upload(km_hoorn, upload_file(content))

    result = services.commit_batch(km_hoorn, batch)

    assert result == {"created": 2, "corrected": 0, "existing": 0, "errors": 0}
    assert batch.status == ImportBatch.Status.COMMITTED
    batch.refresh_from_db()
    assert (batch.status, batch.created_count, batch.new_count) == ("committed", 2, 0)
    assert batch.committed_at is not None
    first = Inburgeraar.objects.get(bsn=bsns[0])
    assert first.municipality == hoorn_org
    assert first.search_name == "amal el amrani"
    assert first.date_of_birth == date(1990, 3, 14)
    assert first.datum_kennisgeving == date(2025, 1, 15)
    assert (first.gender, first.doelgroep, first.postal_code) == (
        "v",
        "asielstatushouder",
        "1621 AB",
    )
    assert first.status == "aangemeld"
    second = Inburgeraar.objects.get(bsn=bsns[1])
    assert second.datum_start_inburgeringsplicht == date(2024, 12, 1)
    assert not Inburgeraar.objects.filter(bsn=bsns[2]).exists()

    for case in (first, second):
        entries = list(AuditEntry.objects.for_object(case))
        assert len(entries) == 1
        entry = entries[0]
        assert (entry.action, entry.actor, entry.object_repr) == (
            "create",
            km_hoorn,
            f"Inburgeraar #{case.pk}",
        )
        assert f"DUO-import #{batch.pk}" in entry.reason
        assert "bsn" in entry.fields
        assert case.bsn not in str(entry.changes) + entry.reason + entry.object_repr
    outcomes = sorted(batch.rows.values_list("outcome", flat=True))
    assert outcomes == ["created", "created", "error"]


def test_committing_twice_or_reuploading_creates_no_duplicates(km_hoorn):
    content = make_csv([make_row(bsn) for bsn in make_bsns(4)])
    first = services.parse_upload(km_hoorn, upload_file(content))
    second = services.parse_upload(km_hoorn, upload_file(content))  # uploaded before the commit
    assert services.commit_batch(km_hoorn, first)["created"] == 4

    with pytest.raises(services.BatchNotCommittable):
        services.commit_batch(km_hoorn, first)
    # The second batch was previewed while the cases did not exist yet: re-checked at commit.
    assert services.commit_batch(km_hoorn, second) == {
        "created": 0,
        "corrected": 0,
        "existing": 4,
        "errors": 0,
    }
    third = services.parse_upload(km_hoorn, upload_file(content))
    assert (third.new_count, third.existing_count) == (0, 4)
    assert services.commit_batch(km_hoorn, third)["created"] == 0
    assert Inburgeraar.objects.count() == 4
    assert ImportRow.objects.filter(batch=second, outcome="existing").count() == 4


def test_commit_rechecks_the_users_municipalities(km_hoorn):
    content = make_csv([make_row(bsn) for bsn in make_bsns(2)])
    batch = services.parse_upload(km_hoorn, upload_file(content))
    make_user("km-hoorn-blijft", Organisation.objects.get(slug="hoorn"))
    Membership.objects.filter(user=km_hoorn).update(is_active=False)
    add_membership(
        actor=None,
        user=km_hoorn,
        organisation=Organisation.objects.get(slug="opmeer"),
        role=Role.KLANTMANAGER,
    )

    assert services.commit_batch(km_hoorn, batch) == {
        "created": 0,
        "corrected": 0,
        "existing": 0,
        "errors": 2,
    }
    assert not Inburgeraar.objects.exists()
    assert set(batch.rows.values_list("outcome", flat=True)) == {"error"}


def test_a_failure_during_commit_leaves_nothing_behind(km_hoorn, monkeypatch):
    content = make_csv([make_row(bsn) for bsn in make_bsns(5)])
    batch = services.parse_upload(km_hoorn, upload_file(content))
    audit_count = AuditEntry.objects.count()
    original = services._audit_created_cases

    def fail_after_the_cases_were_inserted(user, batch, new):
        # The cases are in the database at this point (inside the transaction).
        assert Inburgeraar.objects.count() == 5
        original(user, batch, new)
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "_audit_created_cases", fail_after_the_cases_were_inserted)

    with pytest.raises(RuntimeError):
        services.commit_batch(km_hoorn, batch)

    assert Inburgeraar.objects.count() == 0
    assert AuditEntry.objects.count() == audit_count
    batch.refresh_from_db()
    assert (batch.status, batch.created_count) == ("preview", 0)
    assert set(batch.rows.values_list("outcome", flat=True)) == {"new"}
    monkeypatch.undo()
    assert services.commit_batch(km_hoorn, batch)["created"] == 5


def test_cancel_deletes_the_rows(km_hoorn):
    batch = services.parse_upload(km_hoorn, upload_file(make_csv([make_row(make_bsns(1)[0])])))

    services.cancel_batch(km_hoorn, batch)

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CANCELLED
    assert not batch.rows.exists()
    with pytest.raises(services.BatchNotCommittable):
        services.commit_batch(km_hoorn, batch)
    assert not Inburgeraar.objects.exists()


def test_no_bsn_reaches_the_log(km_hoorn, caplog, django_capture_on_commit_callbacks):
    bsns = make_bsns(3)
    content = make_csv([make_row(bsn) for bsn in bsns] + [make_row("123456789")])
    audit_logger = logging.getLogger("audit")
    audit_logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.INFO), django_capture_on_commit_callbacks(execute=True):
            batch = services.parse_upload(km_hoorn, upload_file(content))
            services.commit_batch(km_hoorn, batch)
    finally:
        audit_logger.removeHandler(caplog.handler)

    created_lines = [
        r for r in caplog.records if getattr(r, "object_type", "") == "cases.inburgeraar"
    ]
    assert len(created_lines) == 3
    logged = " ".join(str(record.__dict__) for record in caplog.records)
    for bsn in [*bsns, "123456789"]:
        assert bsn not in logged


# Views


def test_upload_preview_commit_through_the_views(client, km_hoorn):
    bsns = make_bsns(2)
    content = make_csv([make_row(bsns[0]), make_row(bsns[1]), make_row("123456789")])
    client.force_login(km_hoorn)

    page = client.get(reverse("duo_import:upload"))
    assert page.status_code == 200
    assert "Hoorn (GM0405)" in page.content.decode()

    response = client.post(reverse("duo_import:upload"), {"file": upload_file(content)})
    batch = ImportBatch.objects.get(uploaded_by=km_hoorn)
    assert response.status_code == 302
    assert response["Location"] == reverse("duo_import:preview", args=[batch.pk])

    preview = client.get(response["Location"]).content.decode()
    assert "Importeren" in preview
    assert mask_bsn(bsns[0]) in preview
    assert bsns[0] not in preview
    assert "11-proef" in preview
    assert '<th class="utrecht-table__header-cell" scope="col">' in preview
    assert "<caption" in preview
    only_errors = client.get(response["Location"], {"toon": "fouten"}).content.decode()
    assert mask_bsn(bsns[0]) not in only_errors
    assert "11-proef" in only_errors

    committed = client.post(reverse("duo_import:commit", args=[batch.pk]), follow=True)
    assert committed.status_code == 200
    assert "2 inburgeraars geregistreerd" in committed.content.decode()
    assert Inburgeraar.objects.count() == 2
    case = Inburgeraar.objects.get(bsn=bsns[0])
    assert reverse("case-detail", args=[case.pk]) in committed.content.decode()
    assert "Importeren</button>" not in committed.content.decode()

    again = client.post(reverse("duo_import:commit", args=[batch.pk]), follow=True)
    assert "al verwerkt" in again.content.decode()
    assert Inburgeraar.objects.count() == 2


def test_upload_view_shows_file_errors(client, km_hoorn):
    client.force_login(km_hoorn)
    response = client.post(
        reverse("duo_import:upload"), {"file": upload_file(b"PK\x03\x04rest", "lijst.xlsx")}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Dit is een Excel-bestand (.xlsx); sla het op als CSV" in body
    assert 'aria-invalid="true"' in body
    assert not ImportBatch.objects.exists()


def test_upload_view_without_a_file_says_so(client, km_hoorn):
    client.force_login(km_hoorn)
    response = client.post(reverse("duo_import:upload"), {})
    assert response.status_code == 200
    assert 'href="#id_file"' in response.content.decode()
    assert response.context["form"].errors["file"]


def test_admin_shows_batches_read_only(client, km_hoorn):
    batch = services.parse_upload(km_hoorn, upload_file(make_csv([make_row(make_bsns(1)[0])])))
    admin = User.objects.create_superuser("beheer", password="Geheim-wachtwoord-123")
    client.force_login(admin)

    changelist = client.get(reverse("admin:duo_import_importbatch_changelist"))
    change = client.get(reverse("admin:duo_import_importbatch_change", args=[batch.pk]))

    assert (changelist.status_code, change.status_code) == (200, 200)
    assert 'name="_save"' not in change.content.decode()
    assert client.get(reverse("admin:duo_import_importbatch_add")).status_code == 403


def test_user_without_a_case_role_cannot_upload(client):
    werksaam = make_user(
        "werksaam", Organisation.objects.get(slug="werksaam"), Role.WERKSAAM_MEDEWERKER
    )
    client.force_login(werksaam)
    assert client.get(reverse("duo_import:upload")).status_code == 403
    with pytest.raises(services.PermissionDenied):
        services.parse_upload(werksaam, upload_file(make_csv([make_row(make_bsns(1)[0])])))


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("duo_import:upload"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_batches_are_visible_to_their_uploader_only(client, km_hoorn, other_km_hoorn):
    batch = services.parse_upload(km_hoorn, upload_file(make_csv([make_row(make_bsns(1)[0])])))
    client.force_login(other_km_hoorn)

    assert client.get(reverse("duo_import:preview", args=[batch.pk])).status_code == 404
    assert client.post(reverse("duo_import:commit", args=[batch.pk])).status_code == 404
    assert client.post(reverse("duo_import:cancel", args=[batch.pk])).status_code == 404
    preview_url = reverse("duo_import:preview", args=[batch.pk])
    assert preview_url not in client.get(reverse("duo_import:upload")).content.decode()
    with pytest.raises(services.PermissionDenied):
        services.commit_batch(other_km_hoorn, batch)

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW
    assert not Inburgeraar.objects.exists()


def test_cancel_through_the_view(client, km_hoorn):
    batch = services.parse_upload(km_hoorn, upload_file(make_csv([make_row(make_bsns(1)[0])])))
    client.force_login(km_hoorn)

    response = client.post(reverse("duo_import:cancel", args=[batch.pk]))

    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.CANCELLED
    assert client.get(reverse("duo_import:commit", args=[batch.pk])).status_code == 405


# Query counts: one lookup per chunk, never per row


def _queries(func) -> tuple[int, int]:
    """(queries other than INSERT, INSERT statements) run by func."""
    with CaptureQueriesContext(connection) as context:
        func()
    sqls = [query["sql"].lstrip().upper() for query in context.captured_queries]
    inserts = sum(sql.startswith("INSERT") for sql in sqls)
    return len(sqls) - inserts, inserts


def test_parse_and_commit_run_the_same_queries_for_10_and_100_rows(km_hoorn, hoorn_org):
    counts = {}
    for size, seed in ((10, 1), (100, 2)):
        bsns = make_bsns(size, seed=seed)
        # One existing case and one error row in each file, so every branch runs.
        make_case(bsns[0], hoorn_org)
        content = make_csv([make_row(bsn) for bsn in bsns] + [make_row("123456789")])
        holder = {}

        def parse(content=content, holder=holder):
            holder["batch"] = services.parse_upload(km_hoorn, upload_file(content))

        def commit(holder=holder):
            services.commit_batch(km_hoorn, holder["batch"])

        counts[size] = {"parse": _queries(parse), "commit": _queries(commit)}
        assert holder["batch"].created_count == size - 1

    # Parse: the same queries, inserts included (the rows go in one bulk insert).
    assert counts[10]["parse"] == counts[100]["parse"]
    # Commit: reads, updates and savepoints exactly the same however many rows; bulk inserts
    # one per batch of rows (SQLite caps a batch at 999 parameters, ~37 cases), never per row.
    assert counts[10]["commit"][0] == counts[100]["commit"][0]
    assert counts[100]["commit"][0] < 30
    assert counts[100]["commit"][1] <= 8
    if connection.vendor == "postgresql":
        assert counts[10] == counts[100]


def test_bench_command_leaves_no_data(capsys):
    before = (User.objects.count(), Inburgeraar.objects.count(), AuditEntry.objects.count())

    call_command("bench_duo_import", rows=25, seed=3)

    output = capsys.readouterr().out
    assert "rows: 25; created: 25" in output
    for label in ("parse s:", "preview page s:", "commit s:", "total s:"):
        assert label in output
    after = (User.objects.count(), Inburgeraar.objects.count(), AuditEntry.objects.count())
    assert after == before
    assert not ImportBatch.objects.exists()


def test_commit_message_counts_rows_refused_at_the_preview(client):
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile

    from municipalities.models import Organisation, Role
    from municipalities.services import add_membership

    user = get_user_model().objects.create_user("km.hoorn.msg", password="x-Geheim-123")
    add_membership(
        actor=None,
        user=user,
        organisation=Organisation.objects.get(slug="hoorn"),
        role=Role.KLANTMANAGER,
    )
    client.force_login(user)
    csv = (
        b"bsn;v_nummer;voornamen;tussenvoegsel;achternaam;geboortedatum;geslacht;nationaliteit;doelgroep;datum_kennisgeving;gemeentecode\n"
        b"123456782;1;Yonas;;Kidane;01-02-1991;m;Eritrees;asielstatushouder;01-10-2026;GM0405\n"
        b"123456789;2;Fout;;Persoon;01-02-1991;m;Syrisch;gezinsmigrant;01-10-2026;GM0405\n"
    )
    response = client.post(
        "/inburgeraars/import/",
        {"file": SimpleUploadedFile("duo.csv", csv, content_type="text/csv")},
    )
    batch_url = response.url
    response = client.post(batch_url + "importeren/", follow=True)
    assert (
        "1 inburgeraar geregistreerd, 0 gecorrigeerd, 0 al geregistreerd, 1 regel niet verwerkt"
        in response.content.decode()
    )
