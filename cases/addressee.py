"""Who a letter or a decision is addressed to (DOMAIN.md "Minors": letters go to the legal
representative).

The rule, on the dagtekening (the date of sending; for a PIP the date of adoption):
- 18 or older: the person, at the person's address.
- under 18: the wettelijk vertegenwoordiger recorded on the case, "t.a.v. de wettelijk
  vertegenwoordiger van <naam>", at the representative's own address. When none of the
  representative's address fields is filled, the representative lives at the person's address
  (a minor nearly always lives with the parent or guardian; the Minderjarig block says so) and
  the letter goes there. A letter for a minor is never sent to the minor instead: without the
  representative's name and a complete postal address it cannot be sent (`require_addressee`).
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.addresses import address_lines

from .models import ADULT_AGE

REPRESENTATIVE_ADDRESS_FIELDS = (
    "legal_representative_street",
    "legal_representative_house_number",
    "legal_representative_postal_code",
    "legal_representative_city",
)


def _surname(case) -> str:
    prefix = f"{case.surname_prefix.capitalize()} " if case.surname_prefix else ""
    return f"{prefix}{case.surname}"


def _salutation(case, *, formal: bool) -> str:
    if formal:
        if case.gender == "m":
            return f"Geachte heer {_surname(case)},"
        if case.gender == "v":
            return f"Geachte mevrouw {_surname(case)},"
        return f"Geachte {case.full_name},"
    if case.gender == "m":
        return f"Beste meneer {_surname(case)},"
    if case.gender == "v":
        return f"Beste mevrouw {_surname(case)},"
    return f"Beste {case.full_name},"


def _complete(street, house_number, code, city) -> bool:
    return all(str(part or "").strip() for part in (street, house_number, code, city))


def addressee(case, *, on: date, formal: bool = False) -> dict:
    """The address block and salutation on `on`. For a minor whose representative cannot be
    written to, `problem` says why (and the lines show only who it is meant for): such a letter
    may be shown as a concept, never sent."""
    minor = case.age_on(on) < ADULT_AGE
    if not minor:
        return {
            "lines": address_lines(
                case.full_name, case.street, case.house_number, case.postal_code, case.city
            ),
            "salutation": _salutation(case, formal=formal),
            "representative": False,
            "about": "",
            "problem": "",
        }
    # Two lines: one would not fit the envelope's window (85 mm) and break inside the name.
    attention = ("t.a.v. de wettelijk vertegenwoordiger", f"van {case.full_name}")
    name = case.legal_representative_name.strip()
    own = [getattr(case, field) for field in REPRESENTATIVE_ADDRESS_FIELDS]
    if any(str(part or "").strip() for part in own):
        address, where = own, _("het adres van de wettelijk vertegenwoordiger")
    else:
        address = [case.street, case.house_number, case.postal_code, case.city]
        where = _("het adres van %(name)s (de wettelijk vertegenwoordiger woont daar)") % {
            "name": case.full_name
        }
    problem = ""
    if not name:
        problem = _(
            "%(name)s is op %(date)s jonger dan 18: deze brief gaat naar de wettelijk "
            "vertegenwoordiger, en die is niet vastgelegd. Vul de naam (en het adres, als dat een "
            "ander adres is) in bij Minderjarig op het Overzicht."
        ) % {"name": case.full_name, "date": on.strftime("%d-%m-%Y")}
    elif not _complete(*address):
        problem = _(
            "De brief gaat naar de wettelijk vertegenwoordiger van %(name)s, maar %(where)s is "
            "niet compleet (straat, huisnummer, postcode en woonplaats). Vul het aan bij "
            "Minderjarig op het Overzicht."
        ) % {"name": case.full_name, "where": where}
    lines = address_lines(name, *address, attention=attention) if name else list(attention)
    return {
        "lines": lines,
        "salutation": f"{'Geachte' if formal else 'Beste'} {name or 'wettelijk vertegenwoordiger'},",
        "representative": True,
        "about": case.full_name,
        "problem": problem,
    }


def require_addressee(case, *, on: date, formal: bool = False) -> dict:
    """The addressee, or a ValidationError saying what to record first."""
    recipient = addressee(case, on=on, formal=formal)
    if recipient["problem"]:
        raise ValidationError(recipient["problem"], code="no_representative")
    return recipient
