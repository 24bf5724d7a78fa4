"""Issue 14: the boetebeschikking says how to pay. The municipality's IBAN is kept in its
letterhead and checked (python-stdnum: ISO 13616 mod 97; the Dutch format); the betalingskenmerk carries its
check digit (weighted modulus 11); the payment term counts from the day after the dagtekening.
Faker's own IBAN generator is a second, independent source of valid numbers."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from faker import Faker

from common.iban import (
    betalingskenmerk,
    grouped,
    is_valid_betalingskenmerk,
    is_valid_dutch_iban,
    validate_dutch_iban,
)
from letters import rules
from letters.demo import seed_letterheads
from letters.models import Letterhead
from municipalities.models import Role

from .letter_helpers import letterhead


def test_valid_dutch_ibans_pass_and_one_wrong_digit_fails():
    faker = Faker("nl_NL")
    faker.seed_instance(14)
    numbers = [faker.iban() for _ in range(200)] + ["NL91ABNA0417164300", "nl91 abna 0417 1643 00"]
    for number in numbers:
        assert is_valid_dutch_iban(number), number
        validate_dutch_iban(number)
        compact = "".join(number.split()).upper()
        last = str((int(compact[-1]) + 1) % 10)
        assert not is_valid_dutch_iban(compact[:-1] + last), compact  # mod 97 sees one digit
        swapped = compact[:-2] + compact[-1] + compact[-2]
        if swapped != compact:
            assert not is_valid_dutch_iban(swapped), compact  # and two swapped


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("NL91ABNA0417164301", "controlegetal"),
        ("DE89370400440532013000", "Geen Nederlands IBAN"),  # valid, but not Dutch
        ("NL91ABNA041716430", "Geen Nederlands IBAN"),  # too short
        ("NL91AB1A0417164300", "Geen Nederlands IBAN"),  # bank code of letters only
        ("", "Geen Nederlands IBAN"),
    ],
)
def test_wrong_ibans_are_refused_with_a_dutch_message(value, message):
    with pytest.raises(ValidationError, match=message):
        validate_dutch_iban(value)


def test_grouped_as_a_bank_prints_it():
    assert grouped("nl91abna0417164300") == "NL91 ABNA 0417 1643 00"


def test_betalingskenmerk_check_digit():
    # Betaalvereniging Nederland's example: (5)000 0567 8901 2345.
    assert is_valid_betalingskenmerk("5000 0567 8901 2345")
    assert not is_valid_betalingskenmerk("4000 0567 8901 2345")
    kenmerk = betalingskenmerk(12, 345)
    assert len(kenmerk) == 16 and kenmerk[1:] == "000001200000345"
    assert is_valid_betalingskenmerk(kenmerk)
    assert betalingskenmerk(12, 345) != betalingskenmerk(12, 346)


@pytest.mark.parametrize(
    ("dagtekening", "last_day"),
    [
        (date(2026, 12, 16), date(2027, 1, 27)),  # Wednesday → Wednesday six weeks on
        (date(2026, 11, 14), date(2026, 12, 28)),  # Saturday → Saturday 26 Dec → Monday 28 Dec
    ],
)
def test_payment_term_counts_from_the_day_after_the_dagtekening(dagtekening, last_day):
    assert rules.payment_end(dagtekening) == last_day


def test_the_admin_refuses_a_wrong_iban_and_keeps_a_right_one(client, member_of):
    head = letterhead("hoorn")
    client.force_login(member_of("hoorn", Role.BEHEERDER))
    url = f"/admin/letters/letterhead/{head.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: ("" if value is None else value) for name, value in form.initial.items()}
    data.pop("logo", None)
    data["iban"] = "NL91ABNA0417164301"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "controlegetal" in response.content.decode()
    assert Letterhead.objects.get(pk=head.pk).iban == "NL14BNGH0285001234"
    data["iban"] = "nl91 abna 0417 1643 00"
    assert client.post(url, data).status_code == 302
    assert Letterhead.objects.get(pk=head.pk).iban == "NL91ABNA0417164300"


def test_the_demo_letterheads_carry_ibans_that_pass(db):
    seed_letterheads()
    heads = list(Letterhead.objects.all())
    assert heads and all(is_valid_dutch_iban(head.iban) for head in heads)
    assert all(head.account_name.startswith("Gemeente ") for head in heads)
    assert len({head.iban for head in heads}) == len(heads)
    # An existing demo letterhead without an IBAN gets one; a beheerder's IBAN is kept.
    first, second = heads[0], heads[1]
    Letterhead.objects.filter(pk=first.pk).update(iban="")
    Letterhead.objects.filter(pk=second.pk).update(iban="NL91ABNA0417164300")
    seed_letterheads()
    assert is_valid_dutch_iban(Letterhead.objects.get(pk=first.pk).iban)
    assert Letterhead.objects.get(pk=second.pk).iban == "NL91ABNA0417164300"
