"""Bank account numbers and payment references on a municipality's letters.

No IBAN library is installed in the project's environment (neither `schwifty` nor
`python-stdnum`), so the check is written out here, to the standard: ISO 13616 (an IBAN's two
check digits make the number, read as digits with A=10 … Z=35 and the first four characters
moved to the end, leave 1 after division by 97) and the Dutch format (NL, 18 characters: two
check digits, a four-letter bank code, a ten-digit account number). The municipality's account
is a Dutch one (BNG Bank, ING, …), so other countries are refused here.

The betalingskenmerk is the Dutch structured payment reference (Betaalvereniging Nederland,
"specificaties betalingskenmerk"): 16 digits, the first a check digit by the weighted modulus
11 method over the 15 that follow.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DUTCH_IBAN = re.compile(r"^NL[0-9]{2}[A-Z]{4}[0-9]{10}$")
KENMERK_WEIGHTS = (2, 4, 8, 5, 10, 9, 7, 3, 6, 1)


def compact(value: str) -> str:
    """ "nl91 abna 0417 1643 00" → "NL91ABNA0417164300"."""
    return "".join((value or "").split()).upper()


def iban_mod97(iban: str) -> int:
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97


def is_valid_dutch_iban(value: str) -> bool:
    iban = compact(value)
    return bool(DUTCH_IBAN.match(iban)) and iban_mod97(iban) == 1


def validate_dutch_iban(value: str) -> None:
    iban = compact(value)
    if not DUTCH_IBAN.match(iban):
        raise ValidationError(
            _("Geen Nederlands IBAN: NL, twee cijfers, vier letters van de bank en tien cijfers."),
            code="iban_format",
        )
    if iban_mod97(iban) != 1:
        raise ValidationError(
            _("Dit IBAN klopt niet: het controlegetal past niet bij het rekeningnummer."),
            code="iban_checksum",
        )


def grouped(value: str, size: int = 4) -> str:
    """NL91 ABNA 0417 1643 00: as a bank prints it, in groups of four."""
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
