"""Issue 11 point 12: bad input gets a clear answer, never a server error, and nothing half-saved.
(The fuzz test over every form is tests/test_fuzz_forms.py; these are the causes it was found by.)"""

import logging
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from audit.services import record
from common.forms import latest_plausible_date
from common.parsing import MAX_PAGE, parse_ids, parse_int, parse_page
from deadlines import services as deadline_services
from deadlines.models import Kind, ReminderPolicy, validate_offsets
from duo_import.parsing import clean_row
from intake.models import IntakeTopic, TopicNote
from werksaam_bridge.forms import ShareForm

from .factories import DeadlineFactory, IntakeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def caseworker(caseworker_of):
    return caseworker_of("hoorn")


@pytest.fixture
def web(caseworker):
    client = Client(raise_request_exception=False)
    client.force_login(caseworker)
    return client


def test_safe_int_parsing():
    assert parse_int("12") == 12
    for bad in ("²", "٣", "abc", "", "-1", "1.5", "99999999999999999999", None):
        assert parse_int(bad) is None, bad
    assert parse_ids(["3", "²", "x", "0", "99999999999999999999", "7"]) == [3, 7]
    assert parse_page("99999999999999999999") == 1
    assert parse_page(str(MAX_PAGE)) == MAX_PAGE
    assert parse_page(str(MAX_PAGE + 1)) == 1


def test_a_huge_page_number_is_page_one(web):
    response = web.get(reverse("case-list"), {"page": "99999999999999999999"})
    assert response.status_code == 200


def test_a_superscript_digit_as_notification_id(web):
    response = web.post(reverse("notifications"), {"notification": ["²", "1"]})
    assert response.status_code == 302


def test_a_non_numeric_version_on_intake_completion(web, caseworker, case_in):
    case = case_in("hoorn", caseworker=caseworker)
    intake = IntakeFactory(in_progress=True, legal_minimum=True, inburgeraar=case)
    response = web.post(reverse("intake-complete", args=[case.pk]), {"version": "abc"})
    assert response.status_code == 302
    intake.refresh_from_db()
    assert intake.is_open  # refused as a stale version, not completed


def test_a_nul_byte_in_a_topic_note_is_refused_and_nothing_saved(web, caseworker, case_in):
    case = case_in("hoorn", caseworker=caseworker)
    IntakeFactory(in_progress=True, inburgeraar=case)
    topic = IntakeTopic.objects.create(name="Wonen")
    url = reverse("intake-topic-note", args=[case.pk, topic.pk])
    response = web.post(url, {"notes": "a\x00b"}, follow=True)
    assert response.status_code == 200
    assert "ongeldige tekens" in response.content.decode()
    assert not TopicNote.objects.filter(topic=topic).exists()
    response = web.post(url, {"notes": "x" * 5001}, follow=True)
    assert "hoogstens 5000 tekens" in response.content.decode()
    assert not TopicNote.objects.filter(topic=topic).exists()


def test_a_reason_longer_than_the_audit_column_fits(caseworker, case_in):
    case = case_in("hoorn", caseworker=caseworker)
    entry = record(caseworker, AuditEntry.Action.UPDATE, case, reason="r" * 900)
    entry.refresh_from_db()
    assert len(entry.reason) == 500 and entry.reason.endswith("…")


def test_a_transfer_reason_is_bounded_in_the_form(caseworker, case_in):
    from cases.forms import TransferForm
    from municipalities.models import Organisation

    case = case_in("hoorn", caseworker=caseworker)
    other = Organisation.objects.get(slug="enkhuizen")
    form = TransferForm({"to_municipality": other.pk, "reason": "r" * 501}, case=case)
    assert not form.is_valid() and "reason" in form.errors


def test_year_9999_and_year_1_are_refused_by_the_forms():
    late = ShareForm({"basis": "uitkering", "start_date": "9999-12-31"})
    assert not late.is_valid()
    assert "start_date" in late.errors and "controleer het jaartal" in str(late.errors)
    early = ShareForm({"basis": "uitkering", "start_date": "0001-01-01"})
    assert not early.is_valid() and "start_date" in early.errors
    assert latest_plausible_date().year - date.today().year == 10


def test_invitation_in_year_9999_is_refused(web, caseworker, case_in):
    from intake.models import Invitation

    case = case_in("hoorn", caseworker=caseworker)
    IntakeFactory(inburgeraar=case)
    before = Invitation.objects.count()
    response = web.post(
        reverse("intake-invite", args=[case.pk]),
        {
            "uitnodiging-conversation_at": "9999-12-31T10:00",
            "uitnodiging-response_date": "9999-12-31",
        },
    )
    assert response.status_code < 500
    assert Invitation.objects.count() == before


def test_a_duo_date_in_year_9999_is_a_row_error():
    values = {
        "bsn": "123456782",
        "achternaam": "Haddad",
        "voornamen": "Amal",
        "geboortedatum": "1990-01-01",
        "geslacht": "v",
        "doelgroep": "asielstatushouder",
        "datum_kennisgeving": "2026-01-05",
        "postcode": "1621 AB",
        "gemeentecode": "GM0405",
        "datum_inschrijving_brp": "9999-12-31",
    }
    _cleaned, errors = clean_row(values, today=date(2026, 6, 1))
    assert [e["column"] for e in errors] == ["datum_inschrijving_brp"]


def test_a_reminder_offset_is_bounded():
    validate_offsets("14,3,0")
    validate_offsets("730")
    for bad in ("3650000", "731", "-1", "²", "1e3"):
        with pytest.raises(ValidationError):
            validate_offsets(bad)


def test_the_sweep_survives_one_bad_stored_policy(case_in, caseworker, caplog):
    """A policy stored before the bound (or past the admin) falls back to the default, loudly;
    the other deadlines still get their reminders."""
    ReminderPolicy.objects.update_or_create(
        kind=Kind.PIP_DUE,
        municipality=None,
        defaults={"offsets": "3650000", "escalate_after_days": 3},
    )
    case = case_in("hoorn", caseworker=caseworker)
    DeadlineFactory(
        inburgeraar=case,
        kind=Kind.PIP_DUE,
        due_date=date(2026, 5, 11),
        next_reminder_on=date(2026, 5, 8),
    )
    with caplog.at_level(logging.ERROR, logger="deadlines"):
        totals = deadline_services.sweep(today=date(2026, 5, 8), send=False)
    assert totals["deadlines"] >= 1 and totals["reminders"] >= 1
    assert "deadlines.policy_invalid" in caplog.text


def test_superscript_digits_are_no_number_anywhere():
    """'²'.isdigit() is True in Python, int('²') raises: an assignment to caseworker '²' answered
    500 (found by tests/test_fuzz_forms.py). Ids and BSNs take ASCII digits only."""
    from common.bsn import looks_like_bsn, passes_elfproef

    assert not looks_like_bsn("²²²²²²²²²") and not passes_elfproef("²²²²²²²²²")
