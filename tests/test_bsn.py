import random

import pytest
from django.core.exceptions import ValidationError

from cases.models import Inburgeraar
from common.bsn import generate_bsn, mask_bsn, normalise_bsn, passes_elfproef, validate_bsn

from .factories import InburgeraarFactory


def test_elfproef_accepts_valid_bsn():
    assert passes_elfproef("123456782")
    validate_bsn("123456782")


def test_elfproef_rejects_invalid_bsn():
    assert not passes_elfproef("123456789")
    with pytest.raises(ValidationError) as excinfo:
        validate_bsn("123456789")
    assert excinfo.value.code == "bsn_elfproef"


@pytest.mark.parametrize("value", ["", "12345", "1234567890", "12345678a", "000000000"])
def test_malformed_bsns_are_rejected(value):
    assert not passes_elfproef(normalise_bsn(value))
    with pytest.raises(ValidationError):
        validate_bsn(value)


def test_eight_digit_bsn_gets_leading_zero():
    assert normalise_bsn("10000021") == "010000021"
    assert passes_elfproef(normalise_bsn("10000021"))
    validate_bsn("10000021")


def test_normalise_strips_separators():
    assert normalise_bsn("1234.56.782") == "123456782"
    assert normalise_bsn("1234 56 782") == "123456782"


def test_mask_shows_only_last_two_digits():
    assert mask_bsn("123456782") == "•••••••82"
    assert "1234567" not in mask_bsn("123456782")
    assert mask_bsn("") == ""


def test_masked_bsn_property():
    assert Inburgeraar(bsn="123456782").masked_bsn == "•••••••82"


@pytest.mark.parametrize("seed", range(5))
def test_generate_bsn_is_always_valid(seed):
    rng = random.Random(seed)
    for _ in range(2000):
        bsn = generate_bsn(rng)
        assert len(bsn) == 9 and bsn.isdigit()
        assert passes_elfproef(bsn), bsn
        validate_bsn(bsn)


class ScriptedRandom:
    """A stand-in for random.Random whose randint answers come from a script."""

    def __init__(self, answers):
        self.answers = list(answers)

    def randint(self, low, high):
        value = self.answers.pop(0)
        assert low <= value <= high
        return value


def test_generate_bsn_never_returns_a_weighted_sum_of_zero():
    # The digits 1,0,0,0,0,0,0,0 give the check digit 9, and 100000009 sums to 0: not a valid
    # BSN for passes_elfproef. generate_bsn must draw again instead of returning it.
    first_draw = [0, 0, 0, 0, 0, 0, 0, 0, 1]  # eight digits, then the first digit (1..6)
    second_draw = [0, 2, 3, 4, 5, 6, 7, 8, 1]  # 12345678 -> 123456782
    bsn = generate_bsn(ScriptedRandom(first_draw + second_draw))
    assert passes_elfproef(bsn), bsn
    assert bsn == "123456782"


@pytest.mark.django_db
def test_save_normalises_eight_digit_bsn():
    case = InburgeraarFactory(bsn="10000021")
    case.refresh_from_db()
    assert case.bsn == "010000021"


@pytest.mark.django_db
def test_invalid_bsn_fails_model_validation():
    case = InburgeraarFactory.build(bsn="123456789")
    with pytest.raises(ValidationError) as excinfo:
        case.full_clean(exclude=["municipality"])
    assert "bsn" in excinfo.value.message_dict


@pytest.mark.django_db
def test_bsn_is_unique_in_the_region(org):
    InburgeraarFactory(bsn="123456782", municipality=org("hoorn"))
    duplicate = InburgeraarFactory.build(bsn="123456782", municipality=org("enkhuizen"))
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert excinfo.value.message_dict["bsn"] == ["Dit BSN is al geregistreerd in de regio."]


@pytest.mark.django_db
def test_eight_digit_form_of_a_registered_bsn_is_a_duplicate(org):
    InburgeraarFactory(bsn="010000021", municipality=org("hoorn"))
    duplicate = InburgeraarFactory.build(bsn="10000021", municipality=org("opmeer"))
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert excinfo.value.message_dict["bsn"] == ["Dit BSN is al geregistreerd in de regio."]
