"""A language school's CSV of attendance and progress: read with the DUO import's parsing
(encoding, delimiter, header names, dates), then checked row by row against the school's own
enrolments, keyed by BSN (VNG's handreiking). Nothing is saved here: `services`-side
`import_attendance` writes the valid rows in one transaction after the preview."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from common.bsn import normalise_bsn
from duo_import.parsing import (
    MAX_FILE_BYTES,
    ImportFileError,
    decode,
    normalise_header,
    parse_date,
    raise_too_large,
    sniff_delimiter,
)

REQUIRED = ("bsn", "periode_van", "periode_tot", "uren_aanwezig")
OPTIONAL = (
    "contractnummer",
    "uren_geoorloofd_verzuim",
    "uren_ongeoorloofd_verzuim",
    "niveau_lezen",
    "niveau_luisteren",
    "niveau_schrijven",
    "niveau_spreken",
    "examenklaar",
)
LEVELS = {"", "A0", "A1", "A2", "B1", "B2"}
YES = {"ja", "j", "1", "true", "waar", "x"}
NO = {"nee", "n", "0", "false", "onwaar", ""}
MAX_ROWS = 5000


@dataclass
class Row:
    number: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    enrolment_id: int | None = None
    name: str = ""
    cleaned: dict = field(default_factory=dict)


def _hours(value: str, column: str, errors: list[str]) -> Decimal | None:
    text = value.strip().replace(",", ".") or "0"
    try:
        hours = Decimal(text)
    except InvalidOperation:
        errors.append(
            _("%(column)s: ‘%(value)s’ is geen aantal uren.") % {"column": column, "value": value}
        )
        return None
    if hours < 0 or hours > 1000:
        errors.append(_("%(column)s: tussen 0 en 1000 uur.") % {"column": column})
        return None
    return hours.quantize(Decimal("0.1"))


def parse(raw: bytes, enrolments) -> list[Row]:
    """Every row of the file with its errors; `enrolments` are the school's own (with inburgeraar)."""
    if len(raw) > MAX_FILE_BYTES:
        raise_too_large()
    text, _encoding = decode(raw)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    header = [normalise_header(name) for name in next(reader, [])]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ImportFileError(
            _("Deze verplichte kolommen ontbreken in de kopregel: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
    by_bsn: dict[str, list] = {}
    for enrolment in enrolments:
        by_bsn.setdefault(enrolment.inburgeraar.bsn, []).append(enrolment)
    rows = []
    for number, fields in enumerate(reader, start=2):
        if not any(value.strip() for value in fields):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(
                _("Het bestand heeft meer dan %(max)s regels.") % {"max": MAX_ROWS}
            )
        values = {
            name: (fields[i].strip() if i < len(fields) else "")
            for i, name in enumerate(header)
            if name in REQUIRED + OPTIONAL
        }
        rows.append(_clean(Row(number, values), by_bsn))
    if not rows:
        raise ImportFileError(_("Het bestand bevat geen regels onder de kopregel."))
    seen = {}
    for row in rows:
        if row.errors:
            continue
        key = (row.enrolment_id, row.cleaned["period_start"], row.cleaned["period_end"])
        if key in seen:
            row.errors.append(_("Dezelfde periode staat ook op regel %(n)s.") % {"n": seen[key]})
        else:
            seen[key] = row.number
    return rows


def _clean(row: Row, by_bsn) -> Row:
    v, errors = row.values, row.errors
    bsn = normalise_bsn(v.get("bsn", ""))
    candidates = by_bsn.get(bsn, [])
    contract = v.get("contractnummer", "")
    if contract:
        candidates = [e for e in candidates if e.contract_id == contract]
    if not candidates:
        # The same message whether or not the BSN exists elsewhere: a school learns nothing
        # about people it does not teach.
        errors.append(_("Geen inschrijving bij uw school voor dit BSN (en contractnummer)."))
    elif len(candidates) > 1:
        errors.append(_("Meer dan één inschrijving voor dit BSN: vul het contractnummer in."))
    else:
        row.enrolment_id = candidates[0].pk
        row.name = candidates[0].inburgeraar.full_name
    start, end = parse_date(v.get("periode_van", "")), parse_date(v.get("periode_tot", ""))
    if start is None:
        errors.append(_("periode_van: geen geldige datum (dd-mm-jjjj)."))
    if end is None:
        errors.append(_("periode_tot: geen geldige datum (dd-mm-jjjj)."))
    if start and end and end < start:
        errors.append(_("periode_tot ligt vóór periode_van."))
    cleaned = {"period_start": start, "period_end": end}
    cleaned["hours_present"] = _hours(v.get("uren_aanwezig", ""), "uren_aanwezig", errors)
    cleaned["hours_excused"] = _hours(
        v.get("uren_geoorloofd_verzuim", ""), "uren_geoorloofd_verzuim", errors
    )
    cleaned["hours_unexcused"] = _hours(
        v.get("uren_ongeoorloofd_verzuim", ""), "uren_ongeoorloofd_verzuim", errors
    )
    for part in ("lezen", "luisteren", "schrijven", "spreken"):
        level = v.get(f"niveau_{part}", "").upper()
        if level not in LEVELS:
            errors.append(
                _("niveau_%(part)s: ‘%(value)s’ is geen niveau (A1, A2, B1, B2).")
                % {"part": part, "value": level}
            )
        cleaned[f"level_{part}"] = level if level != "A0" else ""
    ready = v.get("examenklaar", "").casefold()
    if ready not in YES | NO:
        errors.append(_("examenklaar: ja of nee."))
    cleaned["exam_ready"] = ready in YES
    row.cleaned = cleaned
    return row
