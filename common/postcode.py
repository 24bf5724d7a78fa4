"""Dutch postcodes: four digits (not starting with 0), a space, two capitals: "1621 KJ"."""

import re

POSTCODE = re.compile(r"^([1-9][0-9]{3}) ?([A-Z]{2})$")


def normalise_postcode(value: str) -> str | None:
    """ "1621kj", " 1621  KJ " -> "1621 KJ"; "" -> ""; None when it is no Dutch postcode."""
    compact = " ".join((value or "").upper().split())
    if not compact:
        return ""
    if match := POSTCODE.match(compact):
        return f"{match.group(1)} {match.group(2)}"
    return None
