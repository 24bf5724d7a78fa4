"""The letter engine (issue 14): each letter made from its event as a concept, checked, marked
sent (dagtekening = date of sending), rendered once as PDF/UA-1 with its SHA-256, read back with
pdftotext for the facts it must state."""

import hashlib
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from common.iban import betalingskenmerk, is_valid_betalingskenmerk
from intake import services as intake_services
from intake.models import Invitation
from letters import rules, services
from letters.models import LetterKind, LetterStatus
from municipalities.models import Role
from pip_plans import services as pip_services

from .intake_helpers import miss
from .letter_helpers import (
    gaps_before,
    invitation,
    keep_for_looking,
    letterhead,
    local,
    pdf_text,
    pdf_text_raw,
)
from .pip_helpers import draft_for

SOFTWARE_WORDS = ("afgeschermd", "•", "None", "nan", "{{", "{%")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def on_3_december_2026():
    """The tests send letters on the dates they name; a letter cannot be sent before the day its
    concept was made, so the clock stands on 3 December 2026 unless a test moves it."""
    with time_machine.travel(local(2026, 12, 3, 9, 0), tick=False):
        yield


@pytest.fixture
def worker(caseworker_of):
    return caseworker_of("hoorn", first_name="Sanne", last_name="de Vries")


@pytest.fixture
def lead(member_of):
    return member_of("hoorn", Role.TEAMLEIDER, first_name="Marieke", last_name="Bakker")


@pytest.fixture
def case(case_in):
    letterhead("hoorn")
    return case_in(
        "hoorn",
        first_names="Amal",
        surname="Haddad",
        gender="v",
        date_of_birth=date(1992, 5, 4),
        street="Grote Noord",
        house_number="12",
        postal_code="1621ab",
        city="Hoorn",
    )


@pytest.fixture
def intake(worker, case):
    return intake_services.plan_intake(worker, case)


def send(worker, letter, on):
    letter = services.mark_checked(worker, letter)
    letter = services.mark_sent(worker, letter, sent_on=on)
    keep_for_looking(letter.file.path, f"{letter.kind}-{letter.pk}")
    return letter


def assert_reads_like_a_letter(text: str):
    for word in SOFTWARE_WORDS:
        assert word not in text, word
    assert "Gemeente Hoorn" in text
    assert "Postbus 603" in text
    assert "0229 252 200" in text
    assert "Mr. J. de Boer" in text
    assert "Teamleider Inburgering" in text


def test_invitation_letter_states_date_time_place_and_interpreter(worker, case, intake):
    with time_machine.travel(local(2026, 12, 1, 9, 0), tick=False):
        inv = invitation(worker, intake, local(2026, 12, 15, 10, 30), date(2026, 12, 11))
        letter = services.create_letter(
            worker,
            case,
            LetterKind.UITNODIGING,
            invitation=inv,
            facts={"place": "Stadhuis, Nieuwe Steen 1, Hoorn", "interpreter": "Arabisch"},
        )
        assert letter.status == LetterStatus.CONCEPT and not letter.file
        letter = send(worker, letter, date(2026, 12, 1))
    text = pdf_text(letter.file.path)
    assert "Uitnodiging voor een gesprek: de brede intake" in text
    assert "Datum 1 december 2026" in text  # dagtekening = date of sending, written out
    assert "dinsdag 15 december 2026" in text
    assert "10.30 uur" in text
    assert "Stadhuis, Nieuwe Steen 1, Hoorn" in text
    assert "tolk Arabisch" in text
    assert "uiterlijk op 11 december 2026" in text
    assert "Beste mevrouw Haddad," in text
    assert_reads_like_a_letter(text)
    # The address as the post needs it: no empty rows, postcode with a space, place in capitals.
    raw = pdf_text_raw(letter.file.path)
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    name_at = next(i for i, line in enumerate(lines) if line.startswith("Amal Haddad"))
    assert lines[name_at + 1].startswith("Grote Noord 12")
    assert lines[name_at + 2].startswith("1621 AB") and "HOORN" in lines[name_at + 2]


def test_invitation_letter_without_interpreter_says_how_to_ask_for_one(worker, case, intake):
    with time_machine.travel(local(2026, 12, 1, 9, 0), tick=False):
        inv = invitation(worker, intake, local(2026, 12, 15, 10, 30), date(2026, 12, 11))
        letter = services.create_letter(
            worker, case, LetterKind.UITNODIGING, invitation=inv, facts={"place": "Stadhuis"}
        )
        letter = send(worker, letter, date(2026, 12, 1))
    assert "Er is geen tolk" in pdf_text(letter.file.path)


def test_sent_letter_is_stored_with_its_sha256_and_never_changes(worker, case, intake):
    with time_machine.travel(local(2026, 12, 1, 9, 0), tick=False):
        inv = invitation(worker, intake, local(2026, 12, 15, 10, 30), date(2026, 12, 11))
        letter = services.create_letter(
            worker, case, LetterKind.UITNODIGING, invitation=inv, facts={"place": "Stadhuis"}
        )
        with pytest.raises(ValidationError):
            services.mark_sent(worker, letter, sent_on=date(2026, 12, 1))  # not checked yet
        letter = send(worker, letter, date(2026, 12, 1))
        with pytest.raises(ValidationError):
            services.mark_sent(worker, letter, sent_on=date(2026, 12, 1))
    data = Path(letter.file.path).read_bytes()
    assert letter.sha256 == hashlib.sha256(data).hexdigest()
    assert letter.size == len(data)
    assert data.startswith(b"%PDF")
    info = subprocess.run(
        ["pdfinfo", letter.file.path], capture_output=True, check=True, text=True
    ).stdout
    assert "Tagged:          yes" in info
    meta = subprocess.run(
        ["pdfinfo", "-meta", letter.file.path], capture_output=True, check=True, text=True
    ).stdout
    assert 'pdfuaid:part="1"' in meta  # PDF/UA-1 identification in the XMP metadata
    assert letter.recipient["lines"][0] == "Amal Haddad"


def test_sent_on_cannot_be_in_the_future_or_before_the_concept(worker, case, intake):
    with time_machine.travel(local(2026, 12, 1, 9, 0), tick=False):
        inv = invitation(worker, intake, local(2026, 12, 15, 10, 30), date(2026, 12, 11))
        letter = services.mark_checked(
            worker,
            services.create_letter(
                worker, case, LetterKind.UITNODIGING, invitation=inv, facts={"place": "X"}
            ),
        )
        with pytest.raises(ValidationError):
            services.mark_sent(worker, letter, sent_on=date(2026, 12, 2))
        with pytest.raises(ValidationError):
            services.mark_sent(worker, letter, sent_on=date(2026, 11, 30))


def missed(worker, intake, when, response):
    inv = invitation(worker, intake, when, response)
    return miss(worker, inv)


def test_warning_after_a_missed_invitation(worker, case, intake):
    with time_machine.travel(local(2026, 12, 1, 9, 0), tick=False):
        first = missed(worker, intake, local(2026, 11, 24, 10, 0), date(2026, 11, 20))
        assert first.measure == Invitation.Measure.WARNING
        invitation(worker, intake, local(2026, 12, 15, 14, 0), date(2026, 12, 11))
        letter = services.create_letter(
            worker,
            case,
            LetterKind.WAARSCHUWING,
            invitation=first,
            facts={"next_place": "Stadhuis Hoorn"},
        )
        letter = send(worker, letter, date(2026, 12, 1))
    text = pdf_text(letter.file.path)
    assert "24 november 2026" in text
    assert "Deze brief is een waarschuwing" in text
    assert "dinsdag 15 december 2026" in text and "14.00 uur" in text
    assert "uiterlijk op 11 december 2026" in text
    assert "€ 250" in text
    assert_reads_like_a_letter(text)


def test_warning_names_the_place_of_the_new_appointment(worker, case, intake):
    with time_machine.travel(local(2026, 12, 1, 9, 0), tick=False):
        first = missed(worker, intake, local(2026, 11, 24, 10, 0), date(2026, 11, 20))
        following = invitation(worker, intake, local(2026, 12, 15, 14, 0), date(2026, 12, 11))
        with pytest.raises(ValidationError, match="plaats van de nieuwe afspraak"):
            services.create_letter(worker, case, LetterKind.WAARSCHUWING, invitation=first)
        # The invitation letter for the new appointment gave the place: the warning repeats it.
        services.create_letter(
            worker,
            case,
            LetterKind.UITNODIGING,
            invitation=following,
            facts={"place": "Wijkcentrum De Kreek, Hoorn"},
        )
        letter = send(
            worker,
            services.create_letter(worker, case, LetterKind.WAARSCHUWING, invitation=first),
            date(2026, 12, 1),
        )
    assert "Plaats Wijkcentrum De Kreek, Hoorn" in pdf_text(letter.file.path)


def test_warning_needs_the_warning_measure(worker, case, intake):
    with time_machine.travel(local(2026, 12, 1, 9, 0), tick=False):
        inv = invitation(worker, intake, local(2026, 12, 15, 10, 30), date(2026, 12, 11))
        with pytest.raises(ValidationError):
            services.create_letter(worker, case, LetterKind.WAARSCHUWING, invitation=inv)


def fined(worker, intake):
    missed(worker, intake, local(2026, 11, 10, 10, 0), date(2026, 11, 6))
    return missed(worker, intake, local(2026, 11, 24, 10, 0), date(2026, 11, 20))


def test_voornemen_boete_with_a_zienswijze_period_from_the_day_after_sending(worker, case, intake):
    with time_machine.travel(local(2026, 12, 1, 9, 0), tick=False):
        second = fined(worker, intake)
        assert second.measure == Invitation.Measure.FINE
        letter = services.create_letter(worker, case, LetterKind.VOORNEMEN_BOETE, invitation=second)
        letter = send(worker, letter, date(2026, 12, 1))
    text = pdf_text(letter.file.path)
    assert "Wij zijn van plan u een boete te geven van € 250" in text
    assert "24 november 2026" in text
    assert "tweede keer" in text
    # Sent Tuesday 1 December: two weeks from the day after end on Tuesday 15 December.
    assert "tot en met 15 december 2026" in text
    assert "zienswijze" in text
    assert "Een brief stuurt u naar Postbus 603, 1620 AR Hoorn" in text
    assert_reads_like_a_letter(text)


def voornemen_sent(worker, case, intake):
    with time_machine.travel(local(2026, 12, 1, 9, 0), tick=False):
        second = fined(worker, intake)
        letter = services.create_letter(worker, case, LetterKind.VOORNEMEN_BOETE, invitation=second)
        send(worker, letter, date(2026, 12, 1))
    return second


# The assessment (geldige reden, verwijtbaarheid) is the invitation's (tests/intake_helpers.py,
# recorded with "niet verschenen"); the boetebeschikking's own input is the zienswijze only.
BLAME = {}


def test_boetebeschikking_states_blame_amount_and_the_bezwaar_clause(worker, case, intake):
    second = voornemen_sent(worker, case, intake)
    with time_machine.travel(local(2026, 12, 16, 9, 0), tick=False):
        letter = services.create_letter(
            worker, case, LetterKind.BOETEBESCHIKKING, invitation=second, facts=BLAME
        )
        letter = send(worker, letter, date(2026, 12, 16))
    text = pdf_text(letter.file.path)
    assert "Besluit: boete brede intake" in text
    assert "€ 250" in text
    assert "U wist van de afspraak." in text  # the verwijtbaarheid assessment
    assert "5:41" in text
    assert "1 december 2026" in text  # the voornemen
    assert "U hebt niet gereageerd" in text
    # Bezwaar: 6 weeks from Wednesday 16 December 2026 → Wednesday 27 January 2027; Awb 6:9.
    assert "uiterlijk op 27 januari 2027 ontvangen" in text
    assert "3 februari 2027" in text and "6:9" in text
    assert "Het college van burgemeester en wethouders van Hoorn Postbus 603 1620 AR HOORN" in text
    # Paying: the amount, six weeks from the day after the dagtekening (Awb 4:87) "t/m" its last
    # day, the municipality's account and the betalingskenmerk.
    assert "U hebt 6 weken om de boete te betalen, gerekend vanaf de dag na de datum" in text
    assert "Betaal € 250 uiterlijk op 27 januari 2027" in text
    assert "Bedrag € 250 Betaal uiterlijk 27 januari 2027" in text
    assert "Naar IBAN NL14 BNGH 0285 0012 34 Ten name van Gemeente Hoorn" in text
    kenmerk = re.search(r"Betalingskenmerk (\d{4} \d{4} \d{4} \d{4})", text).group(1)
    assert kenmerk.replace(" ", "") == betalingskenmerk(case.pk, letter.pk)
    assert is_valid_betalingskenmerk(kenmerk)
    # Looked at as an image: "€" ended a line alone, and the two spaces PostNL asks between
    # postcode and PLACE were collapsed into one by HTML.
    assert not any(
        line.rstrip().endswith("€") for line in pdf_text_raw(letter.file.path).splitlines()
    )
    one_space, two_spaces = gaps_before(letter.file.path, "1621", "AB", "HOORN")
    assert two_spaces > 1.8 * one_space
    assert_reads_like_a_letter(text)
    # Sent: the fine is no longer a voornemen, and it is no longer withdrawn with one click.
    second.refresh_from_db()
    assert second.fine_decided_on == date(2026, 12, 16)
    assert second.measure_label.endswith("opgelegd op 16-12-2026")
    with pytest.raises(ValidationError, match="besluit"):
        intake_services.withdraw_measure(worker, second, reason="Vergissing")


def test_no_boetebeschikking_without_the_municipalitys_iban(worker, case, intake):
    second = voornemen_sent(worker, case, intake)
    with time_machine.travel(local(2026, 12, 16, 9, 0), tick=False):
        letter = services.create_letter(
            worker, case, LetterKind.BOETEBESCHIKKING, invitation=second, facts=BLAME
        )
        letter = services.mark_checked(worker, letter)
        letterhead("hoorn", iban="")  # the beheerder cleared it meanwhile
        with pytest.raises(ValidationError, match="geen IBAN"):
            services.mark_sent(worker, letter, sent_on=date(2026, 12, 16))
        letter.refresh_from_db()
        assert letter.status == LetterStatus.GECONTROLEERD and not letter.sha256
        services.discard_concept(worker, letter)
        with pytest.raises(ValidationError, match="Beheer → Briefhoofden"):
            services.create_letter(
                worker, case, LetterKind.BOETEBESCHIKKING, invitation=second, facts=BLAME
            )


def test_no_fine_without_blame_or_with_a_valid_reason(worker, case, intake):
    """The letter reads the assessment from the invitation: what a letter's facts claim counts
    for nothing."""
    second = voornemen_sent(worker, case, intake)
    with time_machine.travel(local(2026, 12, 16, 9, 0), tick=False):
        for assessment in ({"verwijtbaar": False}, {"geldige_reden": True, "verwijtbaar": False}):
            Invitation.objects.filter(pk=second.pk).update(**assessment)
            second.refresh_from_db()
            with pytest.raises(ValidationError, match="5:41"):
                services.create_letter(
                    worker,
                    case,
                    LetterKind.BOETEBESCHIKKING,
                    invitation=second,
                    facts={"geldige_reden": False, "verwijtbaar": True},
                )


def test_no_fine_letter_for_an_excused_or_withdrawn_miss(worker, case, intake):
    with time_machine.travel(local(2026, 12, 1, 9, 0), tick=False):
        first = missed(worker, intake, local(2026, 11, 10, 10, 0), date(2026, 11, 6))
        excused = miss(
            worker,
            invitation(worker, intake, local(2026, 11, 24, 10, 0), date(2026, 11, 20)),
            geldige_reden=True,
            geldige_reden_toelichting="Opgenomen in het ziekenhuis (brief van het ziekenhuis).",
            verwijtbaar=False,
            verwijtbaar_toelichting="Met een geldige reden niet verwijtbaar.",
        )
        assert excused.measure == ""
        for kind in (LetterKind.VOORNEMEN_BOETE, LetterKind.BOETEBESCHIKKING):
            with pytest.raises(ValidationError):
                services.create_letter(worker, case, kind, invitation=excused)
        intake_services.withdraw_measure(worker, first, reason="Verkeerde uitnodiging aangeklikt")
        with pytest.raises(ValidationError):
            services.create_letter(worker, case, LetterKind.WAARSCHUWING, invitation=first)


def test_no_fine_before_the_zienswijze_period_ends_unless_one_was_given(worker, case, intake):
    second = voornemen_sent(worker, case, intake)
    with time_machine.travel(local(2026, 12, 15, 9, 0), tick=False):
        with pytest.raises(ValidationError, match="15-12-2026"):
            services.create_letter(
                worker, case, LetterKind.BOETEBESCHIKKING, invitation=second, facts=BLAME
            )
        letter = services.create_letter(
            worker,
            case,
            LetterKind.BOETEBESCHIKKING,
            invitation=second,
            facts={**BLAME, "zienswijze": "ik was het vergeten."},
        )
        letter = send(worker, letter, date(2026, 12, 15))
    assert "U hebt ons laten weten: ik was het vergeten." in pdf_text(letter.file.path)


def test_no_fine_without_a_sent_voornemen(worker, case, intake):
    with time_machine.travel(local(2026, 12, 16, 9, 0), tick=False):
        second = fined(worker, intake)
        with pytest.raises(ValidationError, match="voornemen"):
            services.create_letter(
                worker, case, LetterKind.BOETEBESCHIKKING, invitation=second, facts=BLAME
            )


@pytest.fixture
def adopted(worker, lead, case, django_capture_on_commit_callbacks):
    version = pip_services.submit(worker, draft_for(worker, case))
    with django_capture_on_commit_callbacks(execute=False):
        return pip_services.adopt(lead, version, dagtekening=date(2026, 3, 2))


def test_verklaring_when_the_course_could_not_start_in_time(worker, case, adopted):
    letter = services.create_letter(
        worker,
        case,
        LetterKind.VERKLARING_CURSUSSTART,
        pip_version=adopted,
        facts={"reason": "De taalschool had geen plek in een passende groep."},
    )
    letter = send(worker, letter, date(2026, 12, 3))
    text = pdf_text(letter.file.path)
    assert "2 maart 2026" in text
    assert "uiterlijk op 2 juni 2026 beginnen" in text
    assert "niet op tijd is begonnen. Dat ligt niet aan u." in text
    assert "De taalschool had geen plek in een passende groep." in text
    assert "DUO" in text
    assert_reads_like_a_letter(text)


def test_verklaring_refused_while_the_course_can_still_start_in_time(
    worker, lead, case, django_capture_on_commit_callbacks
):
    version = pip_services.submit(worker, draft_for(worker, case))
    with django_capture_on_commit_callbacks(execute=False):
        adopted = pip_services.adopt(lead, version, dagtekening=date(2026, 12, 1))
    with pytest.raises(ValidationError, match="01-03-2027"):
        services.create_letter(
            worker,
            case,
            LetterKind.VERKLARING_CURSUSSTART,
            pip_version=adopted,
            facts={"reason": "x"},
        )


def test_afrondingsbrief(worker, case):
    letter = services.create_letter(
        worker,
        case,
        LetterKind.AFRONDING,
        facts={"outcome": "voldaan", "outcome_date": "2026-11-30", "note": ""},
    )
    letter = send(worker, letter, date(2026, 12, 3))
    text = pdf_text(letter.file.path)
    assert "Datum 3 december 2026" in text
    assert "U hebt alle onderdelen van uw inburgering gehaald." in text
    assert "30 november 2026" in text
    assert "U hebt voldaan aan uw inburgeringsplicht." in text
    assert_reads_like_a_letter(text)


def test_minor_letter_goes_to_the_legal_representative(worker, case_in):
    from cases.services import update_case

    letterhead("hoorn")
    minor = case_in("hoorn", first_names="Omar", surname="Haddad", date_of_birth=date(2010, 1, 5))
    update_case(
        worker,
        minor,
        values={
            "legal_representative_name": "Fatima Haddad",
            "legal_representative_street": "Kerkplein",
            "legal_representative_house_number": "3",
            "legal_representative_postal_code": "1621cd",
            "legal_representative_city": "Hoorn",
        },
    )
    letter = services.create_letter(
        worker,
        minor,
        LetterKind.AFRONDING,
        facts={"outcome": "beeindigd", "outcome_date": "2026-11-30"},
    )
    letter = send(worker, letter, date(2026, 12, 3))
    text = pdf_text(letter.file.path)
    lines = [line.strip() for line in pdf_text_raw(letter.file.path).splitlines() if line.strip()]
    at = next(i for i, line in enumerate(lines) if line.startswith("Fatima Haddad"))
    assert lines[at + 1].startswith("t.a.v. de wettelijk vertegenwoordiger")
    assert lines[at + 2].startswith("van Omar Haddad")
    assert lines[at + 3].startswith("Kerkplein 3")
    assert lines[at + 4].startswith("1621 CD") and "HOORN" in lines[at + 4]
    assert "Beste Fatima Haddad," in text
    assert "wettelijk vertegenwoordiger bent van Omar Haddad" in text
    assert letter.recipient["representative"] is True


def test_a_letter_on_another_municipalitys_case_is_404(worker, case_in):
    from django.http import Http404

    other = case_in("enkhuizen")
    with pytest.raises(Http404):
        services.create_letter(
            worker,
            other,
            LetterKind.AFRONDING,
            facts={"outcome": "voldaan", "outcome_date": "2026-11-30"},
        )


def test_no_letter_without_a_letterhead_names_the_beheerder(caseworker_of, case_in):
    worker = caseworker_of("enkhuizen")
    other = case_in("enkhuizen")
    with pytest.raises(ValidationError, match="briefhoofd"):
        services.create_letter(
            worker,
            other,
            LetterKind.AFRONDING,
            facts={"outcome": "voldaan", "outcome_date": "2026-11-30"},
        )


def test_download_is_audited_and_outside_scope_is_404(worker, case, client, caseworker_of):
    letter = send(
        worker,
        services.create_letter(
            worker,
            case,
            LetterKind.AFRONDING,
            facts={"outcome": "voldaan", "outcome_date": "2026-11-30"},
        ),
        date(2026, 12, 3),
    )
    client.force_login(worker)
    response = client.get(reverse("letters:pdf", args=[case.pk, letter.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert hashlib.sha256(response.content).hexdigest() == letter.sha256
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.DOWNLOAD, object_id=str(letter.pk), actor=worker
    ).exists()
    outsider = caseworker_of("enkhuizen")
    client.force_login(outsider)
    for name in ("detail", "preview", "pdf", "edit"):
        assert client.get(reverse(f"letters:{name}", args=[case.pk, letter.pk])).status_code == 404
    for name in ("checked", "sent", "discard", "edit"):
        assert client.post(reverse(f"letters:{name}", args=[case.pk, letter.pk])).status_code == 404
    assert client.get(reverse("case-tab", args=[case.pk, "brieven"])).status_code == 404


def test_concept_is_corrected_before_sending_and_checked_again(worker, case, intake):
    with time_machine.travel(local(2026, 12, 1, 9, 0), tick=False):
        inv = invitation(worker, intake, local(2026, 12, 15, 10, 30), date(2026, 12, 11))
        letter = services.create_letter(
            worker, case, LetterKind.UITNODIGING, invitation=inv, facts={"place": "Stadhuis"}
        )
        letter = services.mark_checked(worker, letter)
        letter = services.update_concept(
            worker,
            letter,
            facts={"place": "Wijkcentrum De Kreek, Hoorn", "interpreter": "Tigrinya"},
        )
        # A corrected letter is read again before it goes out.
        assert letter.status == LetterStatus.CONCEPT and letter.checked_by is None
        with pytest.raises(ValidationError):
            services.mark_sent(worker, letter, sent_on=date(2026, 12, 1))
        with pytest.raises(ValidationError, match="plaats"):
            services.update_concept(worker, letter, facts={"place": " "})
        letter.refresh_from_db()
        assert letter.facts["place"] == "Wijkcentrum De Kreek, Hoorn"  # nothing half-saved
        entry = AuditEntry.objects.filter(
            action=AuditEntry.Action.UPDATE, object_id=str(letter.pk)
        ).latest("pk")
        assert entry.fields == ["facts", "status"]
        letter = send(worker, letter, date(2026, 12, 1))
        with pytest.raises(ValidationError, match="verzonden"):
            services.update_concept(worker, letter, facts={"place": "Elders"})
    text = pdf_text(letter.file.path)
    assert "Wijkcentrum De Kreek, Hoorn" in text and "tolk Tigrinya" in text
    assert "Stadhuis" not in text


def test_concept_edit_page_shows_the_facts_and_saves_them(worker, case, intake, client):
    """The boetebeschikking's own input is the zienswijze: the geldige reden and the
    verwijtbaarheid are the invitation's assessment (issue 10 point 7), not the letter's."""
    second = voornemen_sent(worker, case, intake)
    with time_machine.travel(local(2026, 12, 16, 9, 0), tick=False):
        letter = services.create_letter(
            worker, case, LetterKind.BOETEBESCHIKKING, invitation=second, facts=BLAME
        )
        client.force_login(worker)
        url = reverse("letters:edit", args=[case.pk, letter.pk])
        page = client.get(url).content.decode()
        assert 'name="zienswijze"' in page
        assert 'name="verwijtbaar"' not in page and 'name="geldige_reden"' not in page
        response = client.post(url, {"zienswijze": "Zij was die dag bij de huisarts."})
        assert response.status_code == 302
        letter.refresh_from_db()
        assert letter.facts["zienswijze"] == "Zij was die dag bij de huisarts."
        assert "Zij was die dag bij de huisarts." in client.get(url).content.decode()
        send(worker, letter, date(2026, 12, 16))
        assert client.get(url).status_code == 404


def test_tampered_letter_is_not_served(worker, case, client):
    letter = send(
        worker,
        services.create_letter(
            worker,
            case,
            LetterKind.AFRONDING,
            facts={"outcome": "voldaan", "outcome_date": "2026-11-30"},
        ),
        date(2026, 12, 3),
    )
    with open(letter.file.path, "ab") as stored:
        stored.write(b"x")
    client.force_login(worker)
    assert client.get(reverse("letters:pdf", args=[case.pk, letter.pk])).status_code == 500


def test_concept_preview_is_marked_and_audited(worker, case, client):
    letter = services.create_letter(
        worker,
        case,
        LetterKind.AFRONDING,
        facts={"outcome": "voldaan", "outcome_date": "2026-11-30"},
    )
    client.force_login(worker)
    response = client.get(reverse("letters:preview", args=[case.pk, letter.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.DOWNLOAD, object_id=str(letter.pk), reason__contains="concept"
    ).exists()
    letter.refresh_from_db()
    assert not letter.file


def test_brieven_tab_offers_the_letters_the_events_call_for(worker, case, intake, client):
    with time_machine.travel(local(2026, 12, 1, 9, 0), tick=False):
        missed(worker, intake, local(2026, 11, 24, 10, 0), date(2026, 11, 20))
        client.force_login(worker)
        response = client.get(reverse("case-tab", args=[case.pk, "brieven"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Waarschuwing na niet verschijnen (uitnodiging 1, 24-11-2026)" in body
    assert "Bezwaarschrift registreren" in body


def test_rules_bezwaar_window_and_posted_in_time():
    end = rules.bezwaar_window_end(date(2026, 3, 3))  # Tuesday → Tuesday 14 April
    assert end == date(2026, 4, 14)
    assert rules.bezwaar_on_time(end, date(2026, 4, 14))
    assert not rules.bezwaar_on_time(end, date(2026, 4, 15))
    assert rules.bezwaar_on_time(end, date(2026, 4, 21), posted_on=date(2026, 4, 14))
    assert not rules.bezwaar_on_time(end, date(2026, 4, 22), posted_on=date(2026, 4, 14))
    assert not rules.bezwaar_on_time(end, date(2026, 4, 16), posted_on=date(2026, 4, 15))
    # Ending on Koningsdag (Monday 27 April 2026) the window runs on to Tuesday 28 April.
    assert rules.bezwaar_window_end(date(2026, 3, 16)) == date(2026, 4, 28)


def test_rules_beslistermijn():
    end = date(2026, 4, 13)
    # Monday 25 May 2026 is tweede pinksterdag: the Algemene termijnenwet moves it to Tuesday.
    assert rules.beslistermijn_end(end, advisory_committee=False, extended=False) == date(
        2026, 5, 26
    )
    assert rules.beslistermijn_end(end, advisory_committee=True, extended=False) == date(2026, 7, 6)
    # The verdaging's six weeks count from the (moved) end.
    assert rules.beslistermijn_end(end, advisory_committee=False, extended=True) == date(2026, 7, 7)
    assert rules.beslistermijn_end(end, advisory_committee=True, extended=True) == date(2026, 8, 17)
    # Ending on a Saturday: on to Monday (window end Saturday 14 November 2026 + 6 weeks).
    assert rules.beslistermijn_end(
        date(2026, 11, 14), advisory_committee=False, extended=False
    ) == date(2026, 12, 28)  # Saturday 26 December is tweede kerstdag; Sunday; Monday 28


def test_every_letter_kind_passes_pdfua_without_errors_or_warnings(
    worker, lead, case, intake, case_in, django_capture_on_commit_callbacks
):
    """Each kind as sent, checked by the PyPI `pdfua` checker like the beschikking."""
    from .test_pip_documents import pdfua_findings

    sent = {}
    second = voornemen_sent(worker, case, intake)
    sent[LetterKind.VOORNEMEN_BOETE] = second.letters.get(kind=LetterKind.VOORNEMEN_BOETE)
    first = intake.invitations.get(sequence=1)
    with time_machine.travel(local(2026, 12, 1, 9, 0), tick=False):
        sent[LetterKind.WAARSCHUWING] = send(
            worker,
            services.create_letter(
                worker,
                case,
                LetterKind.WAARSCHUWING,
                invitation=first,
                facts={"next_place": "Stadhuis, Nieuwe Steen 1, Hoorn"},
            ),
            date(2026, 12, 1),
        )
        third = invitation(worker, intake, local(2026, 12, 15, 10, 30), date(2026, 12, 11))
        sent[LetterKind.UITNODIGING] = send(
            worker,
            services.create_letter(
                worker,
                case,
                LetterKind.UITNODIGING,
                invitation=third,
                facts={"place": "Stadhuis, Nieuwe Steen 1, Hoorn", "interpreter": "Arabisch"},
            ),
            date(2026, 12, 1),
        )
    with time_machine.travel(local(2026, 12, 16, 9, 0), tick=False):
        fine = send(
            worker,
            services.create_letter(
                worker, case, LetterKind.BOETEBESCHIKKING, invitation=second, facts=BLAME
            ),
            date(2026, 12, 16),
        )
        sent[LetterKind.BOETEBESCHIKKING] = fine
    with time_machine.travel(local(2027, 1, 5, 9, 0), tick=False):
        bezwaar = services.register_bezwaar(
            worker, case, fine_letter=fine, received_on=date(2027, 1, 5)
        )
        services.plan_hearing(worker, bezwaar, hearing_at=local(2027, 1, 5, 14, 0))
        _bezwaar, decision = services.decide_bezwaar(
            worker, bezwaar, decision="ongegrond", reason="U had geen geldige reden."
        )
        sent[LetterKind.BESLISSING_BEZWAAR] = send(worker, decision, date(2027, 1, 5))
    other = case_in("hoorn", first_names="Omar", surname="Khalil", gender="m")
    version = pip_services.submit(worker, draft_for(worker, other))
    with django_capture_on_commit_callbacks(execute=False):
        version = pip_services.adopt(lead, version, dagtekening=date(2026, 3, 2))
    sent[LetterKind.VERKLARING_CURSUSSTART] = send(
        worker,
        services.create_letter(
            worker,
            other,
            LetterKind.VERKLARING_CURSUSSTART,
            pip_version=version,
            facts={"reason": "De taalschool had geen plek in een passende groep."},
        ),
        date(2026, 12, 3),
    )
    sent[LetterKind.AFRONDING] = send(
        worker,
        services.create_letter(
            worker,
            other,
            LetterKind.AFRONDING,
            facts={"outcome": "voldaan", "outcome_date": "2026-11-30"},
        ),
        date(2026, 12, 3),
    )
    assert set(sent) == set(LetterKind.values)
    findings = {kind: pdfua_findings(letter.file.path) for kind, letter in sent.items()}
    assert findings == {kind: [] for kind in LetterKind.values}
