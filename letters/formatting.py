"""How a Dutch municipality writes dates, times and amounts in a letter (addresses: common.addresses)."""

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


def euro(amount) -> str:
    """€ 250 or € 250,50, with a non-breaking space: the sign never ends a line alone."""
    value = float(amount)
    if value == int(value):
        return f"€\u00a0{int(value)}"
    return f"€\u00a0{value:.2f}".replace(".", ",")
