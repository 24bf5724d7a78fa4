"""Issue 10 point 8: minors. Under 16 is not inburgeringsplichtig: the DUO import refuses the row
and registration refuses the form, each with a clear error. At 16 or 17 the caseworker records
whether the person is leerplichtig or kwalificatieplichtig (while so, the duty's start is
postponed to the day after its last day, shown on the dossier, and no deadline counts from
before) and the legal representative the letters go to."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases import services as case_services
from cases.addressee import addressee
from cases.forms import RegistrationForm
from cases.models import Inburgeraar, Leerplicht
from deadlines.models import Deadline, Kind
from duo_import import parsing, services
from duo_import.models import ImportRow
from intake import rules as intake_rules
from municipalities.models import Organisation

from .test_duo_import import make_bsns, make_csv, make_row, rows_by_number, upload_file

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
# Thursday 3 December 2026, 10:00 in Hoorn.
TODAY = date(2026, 12, 3)
NOW = datetime(2026, 12, 3, 10, 0, tzinfo=AMS)
SIXTEEN_TODAY = date(2010, 12, 3)  # a 16th birthday today: 16, inburgeringsplichtig
SIXTEEN_TOMORROW = date(2010, 12, 4)  # still 15 today
TEN = date(2016, 5, 1)


@pytest.fixture
def worker(caseworker_of):
    return caseworker_of("hoorn")


def hoorn():
    return Organisation.objects.get(slug="hoorn")


# --- under 16 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "refused"),
    [(TEN, True), (SIXTEEN_TOMORROW, True), (SIXTEEN_TODAY, False), (date(1990, 1, 1), False)],
)
def test_the_row_check_refuses_under_16_on_the_day(born, refused):
    values = make_row("123456782", geboortedatum=born.strftime("%d-%m-%Y"))
    _cleaned, errors = parsing.clean_row(values, today=TODAY)
    messages = [e["message"] for e in errors if e["column"] == "geboortedatum"]
    assert bool(messages) is refused
    if refused:
        assert messages[0].startswith("Jonger dan 16 jaar")
        assert born.strftime("%d-%m-%Y") in messages[0] and "03-12-2026" in messages[0]


@time_machine.travel(NOW, tick=False)
def test_duo_import_preview_shows_the_row_error_and_commits_no_child(client, worker):
    bsns = make_bsns(3, seed=11)
    content = make_csv(
        [
            make_row(bsns[0], geboortedatum=TEN.strftime("%d-%m-%Y")),
            make_row(bsns[1], geboortedatum=SIXTEEN_TOMORROW.isoformat()),
            make_row(bsns[2], geboortedatum=SIXTEEN_TODAY.strftime("%d-%m-%Y")),
        ]
    )
    batch = services.parse_upload(worker, upload_file(content))
    rows = rows_by_number(batch)
    assert rows[2].outcome == ImportRow.Outcome.ERROR
    assert "Jonger dan 16 jaar: geboren 01-05-2016, 10 jaar op 03-12-2026" in " ".join(
        e["message"] for e in rows[2].errors
    )
    assert rows[3].outcome == ImportRow.Outcome.ERROR
    assert rows[4].outcome == ImportRow.Outcome.NEW
    client.force_login(worker)
    preview = client.get(reverse("duo_import:preview", args=[batch.pk])).content.decode()
    assert "Jonger dan 16 jaar" in preview
    services.commit_batch(worker, batch)
    assert not Inburgeraar.objects.filter(bsn__in=bsns[:2]).exists()
    assert Inburgeraar.objects.filter(bsn=bsns[2]).exists()


def form_data(**overrides):
    data = {
        "bsn": "123456782",
        "first_names": "Amal",
        "surname": "Haddad",
        "date_of_birth": "1990-01-01",
        "gender": "v",
        "doelgroep": "gezinsmigrant",
        "municipality": str(hoorn().pk),
        "datum_kennisgeving": "2026-11-02",
        "postal_code": "1621 AB",
    }
    data.update(overrides)
    return data


@time_machine.travel(NOW, tick=False)
def test_registration_refuses_under_16_with_a_clear_form_error(worker):
    form = RegistrationForm(form_data(date_of_birth=SIXTEEN_TOMORROW.isoformat()), user=worker)
    assert not form.is_valid()
    assert form.errors["date_of_birth"][0].startswith("Jonger dan 16 jaar: geboren 04-12-2010")
    # The service refuses too (API, imports), with nothing saved.
    with pytest.raises(ValidationError) as error:
        case_services.register_inburgeraar(
            worker,
            bsn="123456782",
            first_names="A",
            surname="B",
            date_of_birth=SIXTEEN_TOMORROW,
            doelgroep="gezinsmigrant",
            municipality=hoorn(),
        )
    assert "date_of_birth" in error.value.message_dict
    assert not Inburgeraar.objects.filter(bsn="123456782").exists()


@time_machine.travel(NOW, tick=False)
def test_registration_of_a_16_year_old_asks_for_leerplicht(worker):
    form = RegistrationForm(form_data(date_of_birth=SIXTEEN_TODAY.isoformat()), user=worker)
    assert not form.is_valid()
    assert "leerplichtig of kwalificatieplichtig" in form.errors["leerplicht"][0]
    # Kwalificatieplicht ends at the latest on the day before the 18th birthday (02-12-2028).
    form = RegistrationForm(
        form_data(
            date_of_birth=SIXTEEN_TODAY.isoformat(),
            leerplicht="kwalificatieplichtig",
            leerplicht_end="2028-12-03",
        ),
        user=worker,
    )
    assert not form.is_valid()
    assert "02-12-2028" in form.errors["leerplicht_end"][0]
    form = RegistrationForm(
        form_data(
            date_of_birth=SIXTEEN_TODAY.isoformat(),
            leerplicht="kwalificatieplichtig",
            leerplicht_end="2027-07-31",
            legal_representative_name="Fatima Haddad",
            legal_representative_street="Grote Noord",
            legal_representative_house_number="3",
            legal_representative_postal_code="1621 AB",
            legal_representative_city="Hoorn",
        ),
        user=worker,
    )
    assert form.is_valid(), form.errors
    # An adult is not leerplichtig.
    form = RegistrationForm(form_data(leerplicht="leerplichtig"), user=worker)
    assert not form.is_valid() and "leerplicht" in form.errors


# --- 16-17: the duty postponed -----------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_leerplicht_postpones_the_pip_deadline_until_the_day_after_it_ends(client, worker):
    case = case_services.register_inburgeraar(
        worker,
        bsn="123456782",
        first_names="Yonas",
        surname="Tesfay",
        date_of_birth=SIXTEEN_TODAY,
        doelgroep="asielstatushouder",
        municipality=hoorn(),
        caseworker=worker,
        datum_kennisgeving=date(2026, 11, 2),
        leerplicht=Leerplicht.KWALIFICATIEPLICHTIG,
        leerplicht_end=date(2027, 7, 31),
    )
    # Kwalificatieplichtig t/m Saturday 31-07-2027: the duty starts Sunday 01-08-2027, the PIP is
    # due 10 weeks on, Sunday 10-10-2027 (not 11-01-2027, 10 weeks after the kennisgeving).
    assert case.postponed_duty_start == date(2027, 8, 1)
    row = Deadline.objects.get(inburgeraar=case, kind=Kind.PIP_DUE)
    assert row.due_date == date(2027, 10, 10)
    assert not Deadline.objects.filter(inburgeraar=case, due_date__lt=date(2027, 8, 1)).exists()
    client.force_login(worker)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "Kwalificatieplichtig t/m 31-07-2027" in page
    assert "begint op 01-08-2027" in page
    # The kwalificatieplicht ends early (startkwalificatie): the caseworker records it; the
    # deadline moves back to 10 weeks after the kennisgeving.
    case_services.update_case(
        worker, case, values={"leerplicht": Leerplicht.GEEN, "leerplicht_end": None}
    )
    row.refresh_from_db()
    assert row.due_date == date(2027, 1, 11)


def test_the_postponement_is_a_setting(settings):
    case = Inburgeraar(
        date_of_birth=SIXTEEN_TODAY,
        leerplicht=Leerplicht.LEERPLICHTIG,
        leerplicht_end=date(2027, 7, 31),
    )
    assert case.postponed_duty_start == date(2027, 8, 1)
    settings.DUTY_POSTPONED_WHILE_LEERPLICHTIG = False
    assert case.postponed_duty_start is None
    assert intake_rules.pip_deadline(
        kennisgeving=date(2026, 11, 2), brp=None, duty_start=case.postponed_duty_start
    ) == date(2027, 1, 11)


@time_machine.travel(NOW, tick=False)
def test_the_overzicht_records_leerplicht_and_the_legal_representative(client, case_in, worker):
    case = case_in("hoorn", date_of_birth=date(2009, 6, 15), caseworker=worker)  # 17
    client.force_login(worker)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "Leerplicht niet vastgelegd" in page
    url = reverse("case-block", args=[case.pk, "minderjarig"])
    bad = client.post(
        url, {"version": case.version, "leerplicht": "leerplichtig", "leerplicht_end": ""}
    )
    assert bad.status_code == 422
    assert "laatste dag van de leerplicht" in bad.content.decode()
    case.refresh_from_db()
    assert case.leerplicht == ""
    response = client.post(
        url,
        {
            "version": case.version,
            "leerplicht": "leerplichtig",
            "leerplicht_end": "2027-06-14",  # the day before the 18th birthday: the latest
            "legal_representative_name": "Fatima Haddad",
            "legal_representative_street": "Grote Noord",
            "legal_representative_house_number": "3",
            "legal_representative_postal_code": "1621ab",
            "legal_representative_city": "Hoorn",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.leerplicht, case.leerplicht_end) == ("leerplichtig", date(2027, 6, 14))
    assert case.legal_representative_postal_code == "1621 AB"
    # The letters use the one representative recorded on the case.
    recipient = addressee(case, on=TODAY)
    assert recipient["representative"] is True
    assert recipient["salutation"] == "Beste Fatima Haddad,"
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "Leerplichtig t/m 14-06-2027" in page and "begint op 15-06-2027" in page
    assert "Fatima Haddad" in page
