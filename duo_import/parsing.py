"""Reading a CSV file of DUO kennisgevingen and checking each row: no database access here.

`read_csv(raw)` turns the uploaded bytes into records (or raises ImportFileError with one clear Dutch
message about the whole file); `clean_row(values, today=...)` checks one record and returns the
values for an Inburgeraar plus the row's errors. The checks that need the database (gemeentecode in
the user's scope, duplicates, BSNs already registered) live in services.py.
"""

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases.models import Doelgroep, Gender, Inburgeraar
from cases.services import under_minimum_age_message
from common.bsn import normalise_bsn, validate_bsn
from common.dates import add_years
from common.postcode import normalise_postcode

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 25_000
# Values longer than this are cut before they are stored with the row (they are errors anyway).
MAX_STORED_VALUE = 300
EARLIEST_DATE = date(1900, 1, 1)
# No DUO date lies further ahead than this (a year 9999 once blocked every commit of its batch).
LATEST_YEARS_AHEAD = 2

# Column name -> Inburgeraar field. Header names are matched case-insensitively.
REQUIRED_COLUMNS = {
    "bsn": "bsn",
    "v_nummer": "v_nummer",
    "voornamen": "first_names",
    "tussenvoegsel": "surname_prefix",
    "achternaam": "surname",
    "geboortedatum": "date_of_birth",
    "geslacht": "gender",
    "nationaliteit": "nationality",
    "doelgroep": "doelgroep",
    "datum_kennisgeving": "datum_kennisgeving",
    "gemeentecode": None,  # becomes the municipality, in services.py
}
OPTIONAL_COLUMNS = {
    "datum_start_inburgeringsplicht": "datum_start_inburgeringsplicht",
    "datum_inschrijving_brp": "datum_inschrijving_brp",
    "datum_koppeling": "datum_koppeling",
    "straat": "street",
    "huisnummer": "house_number",
    "postcode": "postal_code",
    "woonplaats": "city",
}
COLUMNS = {**REQUIRED_COLUMNS, **OPTIONAL_COLUMNS}
TEXT_COLUMNS = (
    "v_nummer",
    "voornamen",
    "tussenvoegsel",
    "achternaam",
    "nationaliteit",
    "straat",
    "huisnummer",
    "woonplaats",
)
REQUIRED_VALUES = ("bsn", "voornamen", "achternaam", "geboortedatum", "doelgroep")
REQUIRED_VALUES += ("datum_kennisgeving", "gemeentecode")
OPTIONAL_DATE_COLUMNS = (
    "datum_start_inburgeringsplicht",
    "datum_inschrijving_brp",
    "datum_koppeling",
)

GENDERS = {
    "m": Gender.MAN,
    "man": Gender.MAN,
    "v": Gender.VROUW,
    "vrouw": Gender.VROUW,
    "x": Gender.ANDERS,
    "anders": Gender.ANDERS,
    "o": Gender.ONBEKEND,
    "onbekend": Gender.ONBEKEND,
    "": Gender.ONBEKEND,
}
DOELGROEPEN = {value: value for value in Doelgroep.values} | {
    "overige migrant": Doelgroep.OVERIGE_MIGRANT
}

DMY = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")
YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
GEMEENTECODE = re.compile(r"^(?:GM)?(\d{4})$")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def not_csv() -> str:
    return _(
        "Dit is geen CSV-bestand. Sla de kennisgevingen op als CSV (puntkomma- of "
        "kommagescheiden) en upload dat bestand."
    )


class ImportFileError(Exception):
    """The file as a whole cannot be read; `message` says why, in Dutch, for the caseworker."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Record:
    row_number: int
    values: dict[str, str]
    too_many_fields: bool = False


@dataclass
class CsvFile:
    encoding: str
    delimiter: str
    columns: list[str]
    ignored_columns: list[str] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)


def max_length(column: str) -> int | None:
    model_field = COLUMNS.get(column)
    return Inburgeraar._meta.get_field(model_field).max_length if model_field else None


def decode(raw: bytes) -> tuple[str, str]:
    """The text and its encoding: UTF-8 (with or without BOM), else Windows-1252; binary refused."""
    if not raw.strip():
        raise ImportFileError(_("Het bestand is leeg."))
    if raw.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            _(
                "Dit is een Excel-bestand (.xlsx); sla het op als CSV (in Excel: Opslaan als, "
                "CSV UTF-8 of CSV (puntkomma-gescheiden)) en upload dat bestand."
            )
        )
    if raw.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise ImportFileError(
            _("Dit is een oud Excel-bestand (.xls); sla het op als CSV en upload dat bestand.")
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError(
            _(
                "Dit bestand is opgeslagen als Unicode-tekst (UTF-16); sla het op als CSV UTF-8 "
                "en upload dat bestand."
            )
        )
    if b"\x00" in raw:
        raise ImportFileError(not_csv())
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if CONTROL_CHARACTERS.search(text):
            raise ImportFileError(not_csv())
        if encoding == "utf-8-sig" and not raw.startswith(codecs.BOM_UTF8):
            encoding = "utf-8"
        return text, encoding
    raise ImportFileError(
        _(
            "De tekens in dit bestand zijn niet te lezen (geen UTF-8 en geen Windows-1252). "
            "Sla het op als CSV UTF-8 en upload het opnieuw."
        )
    )


def normalise_header(name: str) -> str:
    name = name.strip().lstrip("\ufeff").removeprefix("ï»¿").strip().strip('"').strip()
    return re.sub(r"[\s\-]+", "_", name.casefold())


def sniff_delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    if header.count(";") == 0 and header.count(",") == 0 and "\t" in header:
        raise ImportFileError(
            _(
                "De kolommen in dit bestand zijn gescheiden door tabs. Sla het op als CSV "
                "(puntkomma- of kommagescheiden) en upload dat bestand."
            )
        )
    return ";" if header.count(";") >= header.count(",") and ";" in header else ","


def read_csv(raw: bytes) -> CsvFile:
    if len(raw) > MAX_FILE_BYTES:
        raise_too_large()
    text, encoding = decode(raw)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        header = next(reader, None)
        if header is None:
            raise ImportFileError(_("Het bestand is leeg."))
        columns = [normalise_header(name) for name in header]
        seen = set()
        for name in columns:
            if name and name in seen:
                raise ImportFileError(
                    _("De kolom ‘%(name)s’ staat meer dan eens in de kopregel.") % {"name": name}
                )
            seen.add(name)
        missing = [name for name in REQUIRED_COLUMNS if name not in seen]
        if missing:
            raise ImportFileError(
                _(
                    "Deze verplichte kolommen ontbreken in de kopregel (de eerste regel): "
                    "%(columns)s. Zie de uitleg hieronder voor de kolomnamen."
                )
                % {"columns": ", ".join(missing)}
            )
        known = [(index, name) for index, name in enumerate(columns) if name in COLUMNS]
        result = CsvFile(
            encoding=encoding,
            delimiter=delimiter,
            columns=[name for name in columns if name],
            ignored_columns=[name for name in columns if name and name not in COLUMNS],
        )
        width = len(columns)
        for row_number, fields in enumerate(reader, start=2):
            if not any(value.strip() for value in fields):
                continue
            if len(result.records) >= MAX_ROWS:
                raise ImportFileError(
                    _(
                        "Het bestand heeft meer dan %(max)s regels. Splits het in kleinere "
                        "bestanden."
                    )
                    % {"max": f"{MAX_ROWS:,}".replace(",", ".")}
                )
            values = {
                name: fields[index].strip()[:MAX_STORED_VALUE] if index < len(fields) else ""
                for index, name in known
            }
            too_many = any(value.strip() for value in fields[width:])
            result.records.append(Record(row_number, values, too_many))
    except csv.Error as exc:
        raise ImportFileError(
            _(
                "Regel %(line)s van het bestand kan niet worden gelezen. Controleer de "
                "aanhalingstekens in en rond die regel."
            )
            % {"line": reader.line_num}
        ) from exc
    if not result.records:
        raise ImportFileError(_("Het bestand bevat geen regels onder de kopregel."))
    return result


def raise_too_large():
    raise ImportFileError(
        _("Het bestand is groter dan %(max)s MB. Splits het in kleinere bestanden.")
        % {"max": MAX_FILE_BYTES // (1024 * 1024)}
    )


def parse_date(value: str) -> date | None:
    """dd-mm-jjjj or jjjj-mm-dd; None when the value is not a valid date in either form."""
    if match := DMY.match(value):
        day, month, year = (int(part) for part in match.groups())
    elif match := YMD.match(value):
        year, month, day = (int(part) for part in match.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def normalise_gemeentecode(value: str) -> str:
    """'GM0405', 'gm0405' and '0405' all become 'GM0405'; anything else stays as it is."""
    compact = value.replace(" ", "").upper()
    match = GEMEENTECODE.match(compact)
    return f"GM{match.group(1)}" if match else compact


def clean_row(values: dict[str, str], *, today: date) -> tuple[dict, list[dict]]:
    """The Inburgeraar field values of one record, plus its errors as [{column, message}].

    `cleaned["gemeentecode"]` is the normalised code; services.py turns it into a municipality.
    """
    cleaned: dict = {}
    errors: list[dict] = []

    def error(column: str, message: str) -> None:
        errors.append({"column": column, "message": message})

    for column in REQUIRED_VALUES:
        if not values.get(column, ""):
            error(column, _("Dit veld is verplicht."))

    bsn = values.get("bsn", "")
    if bsn:
        try:
            validate_bsn(bsn)
        except ValidationError as exc:
            error("bsn", " ".join(str(message) for message in exc.messages))
        else:
            cleaned["bsn"] = normalise_bsn(bsn)

    for column in TEXT_COLUMNS:
        value = values.get(column, "")
        limit = max_length(column)
        if limit is not None and len(value) > limit:
            error(column, _("Te lang: ten hoogste %(max)s tekens.") % {"max": limit})
        else:
            cleaned[COLUMNS[column]] = value
    v_nummer = values.get("v_nummer", "")
    if v_nummer and not v_nummer.isdigit():
        error("v_nummer", _("Een V-nummer bestaat alleen uit cijfers."))

    gender = values.get("geslacht", "").casefold()
    if gender in GENDERS:
        cleaned["gender"] = GENDERS[gender]
    else:
        error("geslacht", _("Gebruik m, v, x of o."))

    doelgroep = values.get("doelgroep", "").casefold()
    if doelgroep in DOELGROEPEN:
        cleaned["doelgroep"] = DOELGROEPEN[doelgroep]
    elif doelgroep:
        error("doelgroep", _("Gebruik asielstatushouder, gezinsmigrant of overige_migrant."))

    dates = {}
    for column in ("geboortedatum", "datum_kennisgeving", *OPTIONAL_DATE_COLUMNS):
        value = values.get(column, "")
        if not value:
            if column in OPTIONAL_DATE_COLUMNS:
                cleaned[COLUMNS[column]] = None
            continue
        parsed = parse_date(value)
        if parsed is None:
            error(column, _("Geen geldige datum; gebruik dd-mm-jjjj of jjjj-mm-dd."))
        elif parsed < EARLIEST_DATE:
            error(column, _("Deze datum ligt vóór 1900; controleer het jaartal."))
        elif parsed > add_years(today, LATEST_YEARS_AHEAD):
            error(
                column,
                _("Deze datum ligt meer dan %(years)s jaar in de toekomst; controleer het jaartal.")
                % {"years": LATEST_YEARS_AHEAD},
            )
        else:
            dates[column] = parsed
            cleaned[COLUMNS[column]] = parsed
    birth = dates.get("geboortedatum")
    kennisgeving = dates.get("datum_kennisgeving")
    if birth and birth > today:
        error("geboortedatum", _("De geboortedatum ligt in de toekomst."))
    elif birth and (too_young := under_minimum_age_message(birth, on=today)):
        error("geboortedatum", too_young)
    if kennisgeving and kennisgeving > today:
        error("datum_kennisgeving", _("De datum van de kennisgeving ligt in de toekomst."))
    if birth and kennisgeving and kennisgeving < birth <= today:
        error("datum_kennisgeving", _("De datum van de kennisgeving ligt vóór de geboortedatum."))

    postcode = normalise_postcode(values.get("postcode", ""))
    if postcode is None:
        error("postcode", _("Geen geldige postcode; gebruik bijvoorbeeld 1621 AB."))
    else:
        cleaned["postal_code"] = postcode

    if values.get("gemeentecode", ""):
        cleaned["gemeentecode"] = normalise_gemeentecode(values["gemeentecode"])
    return cleaned, errors
