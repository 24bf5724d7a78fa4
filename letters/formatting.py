"""How a Dutch municipality writes dates and addresses in a letter."""

from datetime import date, datetime

from django.utils import formats, timezone, translation


def long_date(day: date | None) -> str:
    """2 december 2026."""
    if day is None:
        return ""
    with translation.override("nl"):
        return formats.date_format(day, "j F Y")


def long_date_with_weekday(day: date) -> str:
    """dinsdag 2 december 2026."""
    with translation.override("nl"):
        return formats.date_format(day, "l j F Y")


def time_of(moment: datetime) -> str:
    """10.30 uur, as Dutch letters write a time."""
    local = timezone.localtime(moment)
    return f"{local.hour}.{local.minute:02d} uur"


def postal_code(value: str) -> str:
    """1621AB → 1621 AB."""
    compact = "".join(value.split()).upper()
    if len(compact) == 6 and compact[:4].isdigit():
        return f"{compact[:4]} {compact[4:]}"
    return value.strip().upper()


def address_lines(name: str, street: str, house_number: str, code: str, city: str) -> list[str]:
    """The address as PostNL asks for it: name, street and number, postcode and PLACE (two spaces
    between postcode and place, place in capitals); no empty rows."""
    lines = [name.strip()]
    street_line = " ".join(part for part in (street.strip(), house_number.strip()) if part)
    if street_line:
        lines.append(street_line)
    place = "  ".join(
        part for part in (postal_code(code) if code else "", city.strip().upper()) if part
    )
    if place:
        lines.append(place)
    return [line for line in lines if line]


def euro(amount) -> str:
    """€ 250 or € 250,50."""
    value = float(amount)
    if value == int(value):
        return f"€ {int(value)}"
    return f"€ {value:.2f}".replace(".", ",")
