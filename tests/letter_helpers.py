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


def word_boxes(path) -> list[tuple[str, float, float, float]]:
    """Every word on the first page with its xMin, xMax and yMin (pdftotext -bbox)."""
    import re

    out = subprocess.run(
        ["pdftotext", "-bbox", "-l", "1", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>'
    return [
        (word, float(x_min), float(x_max), float(y_min))
        for x_min, y_min, x_max, word in re.findall(pattern, out)
    ]


def gaps_before(path, *words: str) -> list[float]:
    """The horizontal gaps before each of `words` after the first, where they follow each other
    on one line (the first such run on page 1)."""
    boxes = word_boxes(path)
    for start in range(len(boxes) - len(words) + 1):
        run = boxes[start : start + len(words)]
        if [box[0] for box in run] == list(words) and len({box[3] for box in run}) == 1:
            return [run[i][1] - run[i - 1][2] for i in range(1, len(run))]
    raise AssertionError(f"{words} not found on one line")
