"""Helpers for the letter tests: a letterhead, invitations in the past, PDF text."""

import subprocess
from datetime import datetime
from zoneinfo import ZoneInfo

from intake import services as intake_services
from letters.models import Letterhead

from .factories import organisation

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def letterhead(slug="hoorn", **overrides) -> Letterhead:
    values = {
        "department": "Team Inburgering",
        "visiting_street": "Nieuwe Steen 1",
        "visiting_postal_code": "1625 HV",
        "visiting_city": "Hoorn",
        "postbus": "603",
        "postal_postal_code": "1620AR",
        "postal_city": "Hoorn",
        "phone": "0229 252 200",
        "email": "inburgering@hoorn.example",
        "website": "www.hoorn.example",
        "signatory_name": "Mr. J. de Boer",
        "signatory_function": "Teamleider Inburgering",
        "iban": "NL14 BNGH 0285 0012 34",  # a demo number that passes the IBAN check
        "iban_name": "Gemeente Hoorn",
        **overrides,
    }
    return Letterhead.objects.update_or_create(organisation=organisation(slug), defaults=values)[0]


def local(*args) -> datetime:
    return datetime(*args, tzinfo=AMSTERDAM)


def invitation(user, intake, when, response):
    return intake_services.invite(user, intake, conversation_at=when, response_date=response)


def pdf_text(path) -> str:
    """The letter's text as pdftotext reads it, whitespace collapsed."""
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return " ".join(out.split())


def pdf_text_raw(path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def keep_for_looking(path, label: str) -> None:
    """With LETTER_LOOK_DIR set, a copy of the PDF to look at as an image (pdftoppm), as the
    person receiving it would."""
    import os
    import shutil
    from pathlib import Path

    look = os.environ.get("LETTER_LOOK_DIR")
    if look:
        Path(look).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, Path(look) / f"{label}.pdf")
