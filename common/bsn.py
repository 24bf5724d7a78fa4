"""The burgerservicenummer: validation by the 11-proef, normalisation and masking.

Passing the 11-proef does not prove a BSN exists; it catches typing errors.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

BSN_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


def _ascii_digits(text: str) -> bool:
    """Only 0-9: `str.isdigit` also says yes to "²" and "٣", which `int` refuses or reads."""
    return text.isascii() and text.isdigit()


def normalise_bsn(value: str) -> str:
    """Strip spaces, dots and dashes; an 8-digit BSN gets its leading zero back."""
    digits = "".join(ch for ch in str(value) if ch not in " .-")
    if len(digits) == 8 and _ascii_digits(digits):
        digits = "0" + digits
    return digits


def looks_like_bsn(value: str) -> bool:
    """Eight or nine digits (spaces, dots, dashes aside): what a search treats as a BSN."""
    digits = normalise_bsn(value)
    return len(digits) == 9 and _ascii_digits(digits)


def passes_elfproef(bsn: str) -> bool:
    if len(bsn) != 9 or not _ascii_digits(bsn):
        return False
    total = sum(int(digit) * weight for digit, weight in zip(bsn, BSN_WEIGHTS, strict=True))
    return total % 11 == 0 and total != 0


def validate_bsn(value: str) -> None:
    bsn = normalise_bsn(value)
    if len(bsn) != 9 or not _ascii_digits(bsn):
        raise ValidationError(
            _("Een BSN bestaat uit 9 cijfers (of 8, dan komt er een 0 voor)."), code="bsn_length"
        )
    if not passes_elfproef(bsn):
        raise ValidationError(
            _(
                "Dit BSN voldoet niet aan de 11-proef. Controleer of alle cijfers goed zijn overgenomen."
            ),
            code="bsn_elfproef",
        )


def mask_bsn(bsn: str) -> str:
    """Show only the last two digits, as in lists: •••••••82."""
    if not bsn:
        return ""
    return "•" * (len(bsn) - 2) + bsn[-2:]


def generate_bsn(rng) -> str:
    """A random BSN that passes the 11-proef (for demo data and tests; never a real person's)."""
    while True:
        first8 = [rng.randint(0, 9) for _ in range(8)]
        first8[0] = rng.randint(1, 6)
        check = sum(d * w for d, w in zip(first8, BSN_WEIGHTS[:8], strict=True)) % 11
        candidate = "".join(map(str, first8)) + str(check)
        # check < 10, and not a weighted sum of 0 (100000009), which passes_elfproef refuses.
        if check < 10 and passes_elfproef(candidate):
            return candidate
