"""DUO's exam results as a CSV, per onderdeel: read with the DUO import's parsing (encoding,
delimiter, header names, dates), then checked row by row against the cases the caseworker may
change, keyed by BSN. Nothing is saved here: `services.import_exam_results` writes the valid rows
in one transaction after the preview, each through `record_exam_result` (audit, timeline,
webhook)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from cases.models import CaseStatus, Inburgeraar
from common.bsn import normalise_bsn, passes_elfproef
from duo_import.parsing import (
    MAX_FILE_BYTES,
    ImportFileError,
    decode,
    normalise_header,
    parse_date,
    raise_too_large,
    sniff_delimiter,
)

from .models import ExamResult, Onderdeel

REQUIRED = ("bsn", "onderdeel", "examendatum", "resultaat")
OPTIONAL = ("niveau", "score", "datum_registratie")
PARTS = {
    "lezen": Onderdeel.LEZEN,
    "luisteren": Onderdeel.LUISTEREN,
    "schrijven": Onderdeel.SCHRIJVEN,
    "spreken": Onderdeel.SPREKEN,
    "knm": Onderdeel.KNM,
    "kennis van de nederlandse maatschappij": Onderdeel.KNM,
}
RESULTS = {
    "behaald": ExamResult.Result.BEHAALD,
    "geslaagd": ExamResult.Result.BEHAALD,
    "voldoende": ExamResult.Result.BEHAALD,
    "niet behaald": ExamResult.Result.NIET_BEHAALD,
    "niet_behaald": ExamResult.Result.NIET_BEHAALD,
    "gezakt": ExamResult.Result.NIET_BEHAALD,
    "onvoldoende": ExamResult.Result.NIET_BEHAALD,
}
LEVELS = {"", "A1", "A2", "B1", "B2"}
MAX_ROWS = 5000
CLOSED = (CaseStatus.AFGEROND, CaseStatus.BEEINDIGD)


@dataclass
class Row:
    number: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    case_id: int | None = None
    name: str = ""
    cleaned: dict = field(default_factory=dict)


def cases_for(user):
    """The cases whose results the user may record: the ones it may change, still open."""
    return (
        Inburgeraar.objects.editable_by(user)
        .exclude(status__in=CLOSED)
        .only("pk", "bsn", "first_names", "surname_prefix", "surname")
    )


def parse(raw: bytes, cases) -> list[Row]:
    """Every row of the file with its errors; `cases` are those the importer may change."""
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
        rows.append(Row(number, values))
    if not rows:
        raise ImportFileError(_("Het bestand bevat geen regels onder de kopregel."))
    bsns = {normalise_bsn(row.values.get("bsn", "")) for row in rows}
    by_bsn = {case.bsn: case for case in cases.filter(bsn__in=bsns)}
    for row in rows:
        _clean(row, by_bsn)
    _mark_repeats(rows)
    return rows


def _clean(row: Row, by_bsn) -> None:
    v, errors = row.values, row.errors
    bsn = normalise_bsn(v.get("bsn", ""))
    if not passes_elfproef(bsn):
        errors.append(_("bsn: ‘%(value)s’ is geen geldig BSN.") % {"value": v.get("bsn", "")})
    elif bsn not in by_bsn:
        # The same message whether or not the BSN is known elsewhere: the file reveals nothing
        # about people outside the importer's own caseload.
        errors.append(_("Geen open dossier met dit BSN dat u mag wijzigen."))
    else:
        case = by_bsn[bsn]
        row.case_id, row.name = case.pk, case.full_name
    part = PARTS.get(v.get("onderdeel", "").casefold())
    if part is None:
        errors.append(
            _(
                "onderdeel: ‘%(value)s’ is geen onderdeel (lezen, luisteren, schrijven, spreken, knm)."
            )
            % {"value": v.get("onderdeel", "")}
        )
    exam_date = parse_date(v.get("examendatum", ""))
    if exam_date is None:
        errors.append(_("examendatum: geen geldige datum (dd-mm-jjjj)."))
    result = RESULTS.get(" ".join(v.get("resultaat", "").casefold().split()))
    if result is None:
        errors.append(_("resultaat: behaald of niet behaald."))
    level = v.get("niveau", "").upper()
    if level not in LEVELS:
        errors.append(
            _("niveau: ‘%(value)s’ is geen niveau (A1, A2, B1, B2).") % {"value": v.get("niveau")}
        )
    score = None
    if v.get("score", ""):
        try:
            score = Decimal(v["score"].replace(",", "."))
        except InvalidOperation:
            errors.append(_("score: ‘%(value)s’ is geen getal.") % {"value": v["score"]})
        else:
            if not 0 <= score <= 1000:
                errors.append(_("score: tussen 0 en 1000."))
                score = None
            else:
                score = score.quantize(Decimal("0.1"))
    registered_on = None
    if v.get("datum_registratie", ""):
        registered_on = parse_date(v["datum_registratie"])
        if registered_on is None:
            errors.append(_("datum_registratie: geen geldige datum (dd-mm-jjjj)."))
        elif exam_date and registered_on < exam_date:
            errors.append(_("datum_registratie ligt vóór de examendatum."))
    row.cleaned = {
        "onderdeel": part,
        "level": level,
        "score": score,
        "exam_date": exam_date,
        "result": result,
        "registered_on": registered_on,
    }


def _mark_repeats(rows: list[Row]) -> None:
    """A result already recorded (the same file imported twice) or twice in the file is an error
    on that row: nothing is recorded twice."""
    valid = [row for row in rows if not row.errors]
    recorded = set(
        ExamResult.objects.filter(inburgeraar_id__in={row.case_id for row in valid}).values_list(
            "inburgeraar_id", "onderdeel", "exam_date"
        )
    )
    seen: dict[tuple, int] = {}
    for row in valid:
        key = (row.case_id, row.cleaned["onderdeel"], row.cleaned["exam_date"])
        if key in recorded:
            row.errors.append(_("Dit resultaat (onderdeel en examendatum) is al vastgelegd."))
        elif key in seen:
            row.errors.append(
                _("Hetzelfde onderdeel en dezelfde examendatum staan ook op regel %(n)s.")
                % {"n": seen[key]}
            )
        else:
            seen[key] = row.number
