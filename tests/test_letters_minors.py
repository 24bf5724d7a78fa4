"""Issue 14: a letter for a minor goes to the legal representative. Every letter (letters/ and the
PIP beschikking) for a person under 18 on its dagtekening is addressed to the wettelijk
vertegenwoordiger, "t.a.v. de wettelijk vertegenwoordiger van <naam>"; without one recorded the
letter is not sent and the PIP is not adopted, and nothing is half-saved. Read back with
pdftotext."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.services import update_case
from letters import services
from letters.models import Letter, LetterKind, LetterStatus
from municipalities.models import Role
from pip_plans import services as pip_services
from pip_plans.models import PipDocument, PipStatus, PipVersion

from .letter_helpers import keep_for_looking, letterhead, local, pdf_text, pdf_text_raw
from .pip_helpers import draft_for

REPRESENTATIVE = {
    "legal_representative_name": "Fatima Haddad",
    "legal_representative_street": "Kerkplein",
    "legal_representative_house_number": "3",
    "legal_representative_postal_code": "1621cd",
    "legal_representative_city": "Hoorn",
}
AFRONDING = {"outcome": "beeindigd", "outcome_date": "2026-11-30"}


@pytest.fixture(autouse=True)
def media_and_clock(settings, tmp_path):
    from westfriesland.celery import app

    settings.MEDIA_ROOT = tmp_path / "media"
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    with time_machine.travel(local(2026, 12, 3, 9, 0), tick=False):
        yield
    app.conf.task_always_eager = previous


@pytest.fixture
def worker(caseworker_of):
    return caseworker_of("hoorn", first_name="Sanne", last_name="de Vries")


@pytest.fixture
def minor(case_in):
    letterhead("hoorn")
    return case_in(
        "hoorn",
        first_names="Omar",
        surname="Haddad",
        gender="m",
        date_of_birth=date(2010, 1, 5),  # 16 on 3 December 2026
        street="Grote Noord",
        house_number="12",
        postal_code="1621ab",
        city="Hoorn",
    )


def lines_of(path) -> list[str]:
    return [line.strip() for line in pdf_text_raw(path).splitlines() if line.strip()]


def checked_letter(worker, case):
    letter = services.create_letter(worker, case, LetterKind.AFRONDING, facts=AFRONDING)
    return services.mark_checked(worker, letter)


def test_a_minors_letter_is_addressed_to_the_representative_at_their_address(worker, minor):
    update_case(worker, minor, values=REPRESENTATIVE)
    letter = services.mark_sent(worker, checked_letter(worker, minor), sent_on=date(2026, 12, 3))
    keep_for_looking(letter.file.path, "minderjarige-afronding")
    lines = lines_of(letter.file.path)
    at = next(i for i, line in enumerate(lines) if line.startswith("Fatima Haddad"))
    assert lines[at + 1].startswith("t.a.v. de wettelijk vertegenwoordiger")
    assert lines[at + 2].startswith("van Omar Haddad")
    assert lines[at + 3].startswith("Kerkplein 3")
    assert lines[at + 4].startswith("1621 CD") and "HOORN" in lines[at + 4]
    text = pdf_text(letter.file.path)
    assert "Beste Fatima Haddad," in text
    assert "wettelijk vertegenwoordiger bent van Omar Haddad" in text
    assert "Grote Noord" not in text and "Beste meneer Haddad" not in text
    assert letter.recipient["representative"] is True


def test_a_representative_without_an_address_of_their_own_gets_it_at_the_minors(worker, minor):
    update_case(worker, minor, values={"legal_representative_name": "Fatima Haddad"})
    letter = services.mark_sent(worker, checked_letter(worker, minor), sent_on=date(2026, 12, 3))
    lines = lines_of(letter.file.path)
    at = next(i for i, line in enumerate(lines) if line.startswith("Fatima Haddad"))
    assert lines[at + 1].startswith("t.a.v. de wettelijk vertegenwoordiger")
    assert lines[at + 2].startswith("van Omar Haddad")
    assert lines[at + 3].startswith("Grote Noord 12")
    assert lines[at + 4].startswith("1621 AB") and "HOORN" in lines[at + 4]


def test_without_a_representative_a_minors_letter_is_not_sent_and_nothing_is_saved(
    worker, minor, client, settings
):
    letter = checked_letter(worker, minor)
    with pytest.raises(ValidationError) as error:
        services.mark_sent(worker, letter, sent_on=date(2026, 12, 3))
    message = " ".join(error.value.messages)
    assert "Omar Haddad is op 03-12-2026 jonger dan 18" in message
    assert "wettelijk vertegenwoordiger" in message and "Minderjarig" in message
    letter.refresh_from_db()
    assert letter.status == LetterStatus.GECONTROLEERD
    assert (letter.dagtekening, letter.sha256, letter.file.name, letter.recipient) == (
        None,
        "",
        "",
        {},
    )
    assert not (settings.MEDIA_ROOT / "letters").exists()  # no PDF left behind
    # The caseworker sees why, on the letter's page and when trying to send it.
    client.force_login(worker)
    url = reverse("letters:detail", args=[minor.pk, letter.pk])
    page = client.get(url).content.decode()
    assert 'id="addressee-problem"' in page and "jonger dan 18" in page
    # The concept may still be read: it names who it is meant for, never the minor as addressee.
    preview = client.get(reverse("letters:preview", args=[minor.pk, letter.pk]))
    assert preview.status_code == 200
    concept = settings.MEDIA_ROOT.parent / "concept.pdf"
    concept.write_bytes(preview.content)
    concept_text = pdf_text(concept)
    assert "CONCEPT" in concept_text
    lines = lines_of(concept)
    at = next(i for i, line in enumerate(lines) if line.startswith("t.a.v. de wettelijk"))
    assert lines[at + 1].startswith("van Omar Haddad")
    assert "Beste wettelijk vertegenwoordiger," in concept_text
    assert "Grote Noord" not in concept_text and "Beste meneer Haddad" not in concept_text
    response = client.post(
        reverse("letters:sent", args=[minor.pk, letter.pk]), {"sent_on": "2026-12-03"}, follow=True
    )
    assert "jonger dan 18" in response.content.decode()
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.GECONTROLEERD
    # Recorded, the same letter goes out, to the representative.
    update_case(worker, minor, values=REPRESENTATIVE)
    letter = services.mark_sent(worker, letter, sent_on=date(2026, 12, 3))
    assert "Beste Fatima Haddad," in pdf_text(letter.file.path)


def test_an_incomplete_representative_address_is_not_guessed(worker, minor):
    update_case(
        worker,
        minor,
        values={"legal_representative_name": "Fatima Haddad", "legal_representative_city": "Hoorn"},
    )
    with pytest.raises(ValidationError, match="niet compleet"):
        services.mark_sent(worker, checked_letter(worker, minor), sent_on=date(2026, 12, 3))


def test_the_age_on_the_dagtekening_decides(worker, case_in):
    letterhead("hoorn")
    turned_18 = case_in(
        "hoorn",
        first_names="Sara",
        surname="Tesfaye",
        gender="v",
        date_of_birth=date(2008, 12, 3),  # 18 on 3 December 2026, the dagtekening
        street="Grote Noord",
        house_number="12",
        postal_code="1621ab",
        city="Hoorn",
    )
    letter = services.mark_sent(
        worker, checked_letter(worker, turned_18), sent_on=date(2026, 12, 3)
    )
    text = pdf_text(letter.file.path)
    assert "Beste mevrouw Tesfaye," in text and "vertegenwoordiger" not in text


# --- the PIP beschikking ---------------------------------------------------------------------------


@pytest.fixture
def lead(member_of):
    return member_of("hoorn", Role.TEAMLEIDER, first_name="Marieke", last_name="Bakker")


def test_a_minors_pip_is_not_adopted_without_a_representative(
    worker, lead, minor, django_capture_on_commit_callbacks
):
    version = pip_services.submit(worker, draft_for(worker, minor))
    with pytest.raises(ValidationError, match="jonger dan 18"):
        pip_services.adopt(lead, version, dagtekening=date(2026, 12, 3))
    version = PipVersion.objects.get(pk=version.pk)
    assert version.status == PipStatus.TER_VASTSTELLING and version.dagtekening is None
    assert version.pip.dagtekening_initiele_pip is None and version.pip.termijn_start is None
    assert not PipDocument.objects.exists()


def test_a_minors_beschikking_is_addressed_to_the_representative(
    worker, lead, minor, django_capture_on_commit_callbacks
):
    update_case(worker, minor, values=REPRESENTATIVE)
    version = pip_services.submit(worker, draft_for(worker, minor))
    with django_capture_on_commit_callbacks(execute=True):
        version = pip_services.adopt(lead, version, dagtekening=date(2026, 12, 3))
    doc = PipDocument.objects.get(version=version, kind=PipDocument.Kind.BESCHIKKING)
    keep_for_looking(doc.file.path, "minderjarige-beschikking")
    lines = lines_of(doc.file.path)
    at = next(i for i, line in enumerate(lines) if line.startswith("Fatima Haddad"))
    assert lines[at + 1].startswith("t.a.v. de wettelijk vertegenwoordiger")
    assert lines[at + 2].startswith("van Omar Haddad")
    assert lines[at + 3].startswith("Kerkplein 3")
    assert lines[at + 4].startswith("1621 CD") and "HOORN" in lines[at + 4]
    text = pdf_text(doc.file.path)
    assert "Geachte Fatima Haddad," in text
    assert "wettelijk vertegenwoordiger bent van Omar Haddad" in text
    assert "Geachte heer Haddad" not in text
