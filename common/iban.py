"""Bank account numbers and payment references on a municipality's letters.

The IBAN is checked by python-stdnum (ISO 13616: the two check digits, mod 97, and each
country's own structure); the municipality's account is a Dutch one (BNG Bank, ING, …), so the
Dutch format (NL, 18 characters: two check digits, a four-letter bank code, a ten-digit account
number) is asked first, with its own message.

The betalingskenmerk is the Dutch structured payment reference (Betaalvereniging Nederland,
"specificaties betalingskenmerk"): 16 digits, the first a check digit by the weighted modulus
11 method over the 15 that follow.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumValidationError

DUTCH_IBAN = re.compile(r"^NL[0-9]{2}[A-Z]{4}[0-9]{10}$")
KENMERK_WEIGHTS = (2, 4, 8, 5, 10, 9, 7, 3, 6, 1)


def compact(value: str) -> str:
    """ "nl91 abna 0417 1643 00" → "NL91ABNA0417164300"."""
    return stdnum_iban.compact(value or "")


def is_valid_dutch_iban(value: str) -> bool:
    iban = compact(value)
    return bool(DUTCH_IBAN.match(iban)) and stdnum_iban.is_valid(iban)


def validate_dutch_iban(value: str) -> None:
    iban = compact(value)
    if not DUTCH_IBAN.match(iban):
        raise ValidationError(
            _("Geen Nederlands IBAN: NL, twee cijfers, vier letters van de bank en tien cijfers."),
            code="iban_format",
        )
    try:
        stdnum_iban.validate(iban)
    except StdnumValidationError:
        raise ValidationError(
            _("Dit IBAN klopt niet: het controlegetal past niet bij het rekeningnummer."),
            code="iban_checksum",
        ) from None


def grouped(value: str, size: int = 4) -> str:
    """NL91 ABNA 0417 1643 00: as a bank prints an IBAN or a betalingskenmerk, in groups of four."""
    text = compact(value)
    return " ".join(text[i : i + size] for i in range(0, len(text), size))


def kenmerk_check_digit(digits15: str) -> int:
    total = sum(
        int(digit) * KENMERK_WEIGHTS[position % len(KENMERK_WEIGHTS)]
        for position, digit in enumerate(reversed(digits15))
    )
    check = 11 - total % 11
    return {10: 1, 11: 0}.get(check, check)


def betalingskenmerk(*numbers: int) -> str:
    """A 16-digit betalingskenmerk for the given numbers (e.g. case and letter), each zero-padded
    into the 15 digits after the check digit."""
    if len(numbers) != 2:
        raise ValueError("two numbers: the case and the letter")
    first, second = numbers
    digits = f"{first:07d}{second:08d}"
    if len(digits) != 15:
        raise ValueError("numbers too large for a betalingskenmerk")
    return f"{kenmerk_check_digit(digits)}{digits}"


def is_valid_betalingskenmerk(value: str) -> bool:
    digits = compact(value)
    return (
        len(digits) == 16 and digits.isdigit() and kenmerk_check_digit(digits[1:]) == int(digits[0])
    )
