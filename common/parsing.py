"""Safe reading of what a request sends: integers and text that can never cause a server error.

`int(request.POST["x"])` fails on "abc", on "²" (`str.isdigit` says yes, `int` says no) and on
a number that overflows a PostgreSQL bigint; a NUL byte cannot be stored in PostgreSQL text.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# A primary key or version: at most 18 ASCII digits (fits a bigint).
_ASCII_INT = re.compile(r"[0-9]{1,18}")
BIGINT_MAX = 2**63 - 1
# Paging: nobody pages this far; beyond it the OFFSET would overflow.
MAX_PAGE = 100_000


def parse_int(value, *, default=None, minimum=None, maximum=BIGINT_MAX):
    """`value` as an int when it is plain ASCII digits within the bounds, else `default`."""
    if value is None:
        return default
    text = str(value).strip()
    if not _ASCII_INT.fullmatch(text):
        return default
    number = int(text)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        return default
    return number


def parse_ids(values) -> list[int]:
    """The valid primary keys among `values` (a `getlist`), the rest dropped."""
    return [n for n in (parse_int(v, minimum=1) for v in values) if n is not None]


def parse_page(value) -> int:
    """A page number from 1 to MAX_PAGE; anything else is page 1."""
    return parse_int(value, default=1, minimum=1, maximum=MAX_PAGE)


def clean_text(value, *, max_length: int, label: str) -> str:
    """Free text from a request: no NUL or other control characters but tab and newline, at most
    `max_length` characters; a clear ValidationError otherwise."""
    text = str(value or "")
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in text) or "\x7f" in text:
        raise ValidationError(_("%(label)s bevat ongeldige tekens.") % {"label": label})
    if len(text) > max_length:
        raise ValidationError(
            _("%(label)s mag hoogstens %(max)d tekens lang zijn (nu %(length)d).")
            % {"label": label, "max": max_length, "length": len(text)}
        )
    return text
