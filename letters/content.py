"""What each letter says: the context its template gets, built from the letter's event, its
facts and the municipality's letterhead. Periods a letter sets count from its dagtekening (the
date of sending); a concept shows them as they would be if it were sent today."""

from datetime import date

from django.utils import timezone

from cases.addressee import addressee
from common import iban
from common.pdf import letterhead_context, letterhead_of

from . import rules
from .formatting import (
    euro,
    long_date,
    long_date_with_weekday,
    time_of,
)
from .models import LetterKind

TEMPLATES = {kind: f"letters/pdf/{kind}.html" for kind in LetterKind.values}
SUBJECTS = {
    LetterKind.UITNODIGING: "Uitnodiging voor een gesprek: de brede intake",
    LetterKind.WAARSCHUWING: "Waarschuwing: u bent niet gekomen",
    LetterKind.VOORNEMEN_BOETE: "Wij zijn van plan u een boete te geven",
    LetterKind.BOETEBESCHIKKING: "Besluit: boete brede intake",
    LetterKind.VERKLARING_CURSUSSTART: "Verklaring: uw cursus is niet op tijd begonnen",
    LetterKind.AFRONDING: "Uw inburgering",
    LetterKind.BESLISSING_BEZWAAR: "Beslissing op uw bezwaarschrift",
}


def recipient_of(letter, *, on: date) -> dict:
    """Who the letter is addressed to: as it was sent, or, for a letter not sent yet, as it would
    be on `on` (cases.addressee: the person, or a minor's legal representative; `problem` says
    why a minor's letter cannot be sent yet)."""
    if letter.is_sent and letter.recipient:
        return letter.recipient
    return addressee(letter.inburgeraar, on=on)


def _date(value) -> date | None:
    if not value:
        return None
    return value if isinstance(value, date) else date.fromisoformat(value)


def letter_context(letter, *, preview: bool) -> dict:
    case = letter.inburgeraar
    municipality = case.municipality
    dagtekening = letter.dagtekening or timezone.localdate()
    recipient = recipient_of(letter, on=dagtekening)
    context = {
        "letter": letter,
        "case": case,
        **letterhead_context(municipality),
        "recipient": recipient,
        "preview": preview,
        "dagtekening": long_date(dagtekening),
        "kenmerk": letter.kenmerk,
        "subject": SUBJECTS[letter.kind],
        "facts": letter.facts,
    }
    builder = _BUILDERS.get(letter.kind)
    if builder:
        context.update(builder(letter, dagtekening))
    return context


def _invitation_facts(invitation) -> dict:
    moment = invitation.conversation_at
    return {
        "conversation_day": long_date_with_weekday(timezone.localtime(moment).date()),
        "conversation_time": time_of(moment),
        "response_date": long_date(invitation.response_date),
    }


def _next_invitation(invitation):
    return (
        invitation.intake.invitations.filter(sequence=invitation.sequence + 1).first()
        if invitation
        else None
    )


def _uitnodiging(letter, dagtekening) -> dict:
    facts = letter.facts
    return {
        **_invitation_facts(letter.invitation),
        "place": facts.get("place", ""),
        "interpreter": facts.get("interpreter", ""),
        "sequence": letter.invitation.sequence,
        "fine": euro(rules.FINE_AMOUNT_EUR),
    }


def _waarschuwing(letter, dagtekening) -> dict:
    invitation = letter.invitation
    following = _next_invitation(invitation)
    return {
        "missed_day": long_date(timezone.localtime(invitation.conversation_at).date()),
        "next": _invitation_facts(following) if following else None,
        "next_place": letter.facts.get("next_place", ""),
        "fine": euro(rules.FINE_AMOUNT_EUR),
    }


def _voornemen(letter, dagtekening) -> dict:
    invitation = letter.invitation
    weeks = int(letter.facts.get("zienswijze_weeks", rules.ZIENSWIJZE_WEEKS))
    return {
        "missed_day": long_date(timezone.localtime(invitation.conversation_at).date()),
        "sequence": invitation.sequence,
        "amount": euro(letter.facts.get("amount", rules.FINE_AMOUNT_EUR)),
        "zienswijze_weeks": weeks,
        "zienswijze_end": long_date(rules.zienswijze_end(dagtekening, weeks)),
        "second_fine": invitation.active_measure == "tweede_boete",
    }


def _boete(letter, dagtekening) -> dict:
    invitation = letter.invitation
    facts = letter.facts
    return {
        "missed_day": long_date(timezone.localtime(invitation.conversation_at).date()),
        "sequence": invitation.sequence,
        "amount": euro(facts.get("amount", rules.FINE_AMOUNT_EUR)),
        "verwijtbaarheid": invitation.verwijtbaar_toelichting,
        "zienswijze": facts.get("zienswijze", ""),
        "voornemen_date": long_date(_date(facts.get("voornemen_date"))),
        **bezwaar_clause(dagtekening),
        **payment_facts(letter, dagtekening),
    }


def payment_facts(letter, dagtekening: date) -> dict:
    """How to pay a fine: the amount, the term (from the day after the dagtekening, "t/m" its
    last day), the municipality's account and the betalingskenmerk."""
    letterhead = letterhead_of(letter.inburgeraar.municipality)
    account = letterhead.iban if letterhead else ""  # never sent without (services)
    return {
        "payment_weeks": rules.PAYMENT_WEEKS,
        "payment_end": long_date(rules.payment_end(dagtekening)),
        "iban": iban.grouped(account) if account else "",
        "iban_name": letterhead.account_name if account else "",
        "betalingskenmerk": iban.grouped(iban.betalingskenmerk(letter.inburgeraar_id, letter.pk)),
    }


def bezwaar_clause(dagtekening: date) -> dict:
    window_end = rules.bezwaar_window_end(dagtekening)
    return {
        "bezwaar_weeks": rules.BEZWAAR_WEEKS,
        "bezwaar_end": long_date(window_end),
        "bezwaar_posted_until": long_date(rules.posted_grace_end(window_end)),
    }


def _verklaring(letter, dagtekening) -> dict:
    version = letter.pip_version
    return {
        "pip_date": long_date(version.dagtekening),
        "course_start_deadline": long_date(version.course_start_deadline),
        "route_label": version.get_route_display(),
        "reason": letter.facts.get("reason", ""),
    }


AFRONDING_OUTCOMES = {
    "voldaan": "U hebt alle onderdelen van uw inburgering gehaald.",
    "z_route": "U hebt het eindgesprek van de zelfredzaamheidsroute (Z-route) gehad.",
    "niet_voldaan": "Uw inburgeringstermijn is voorbij en u hebt niet alle onderdelen gehaald.",
    "beeindigd": "Uw inburgeringsplicht is gestopt.",
}


def _afronding(letter, dagtekening) -> dict:
    facts = letter.facts
    return {
        "outcome": facts.get("outcome", ""),
        "outcome_text": AFRONDING_OUTCOMES.get(facts.get("outcome", ""), ""),
        "outcome_date": long_date(_date(facts.get("outcome_date"))),
        "note": facts.get("note", ""),
    }


def _beslissing(letter, dagtekening) -> dict:
    bezwaar = letter.bezwaar
    return {
        "bezwaar": bezwaar,
        "received_on": long_date(bezwaar.received_on),
        "decision_date": long_date(bezwaar.decision_date),
        "against": (
            f"het besluit over uw persoonlijk plan inburgering en participatie (PIP), versie "
            f"{bezwaar.pip_version.number}"
            if bezwaar.pip_version_id
            else f"de boete (kenmerk {bezwaar.fine_letter.kenmerk})"
        ),
        "hearing_day": long_date(timezone.localtime(bezwaar.hearing_at).date())
        if bezwaar.hearing_at
        else "",
        "beroep_weeks": rules.BEROEP_WEEKS,
        "beroep_end": long_date(rules.beroep_window_end(dagtekening)),
    }


_BUILDERS = {
    LetterKind.UITNODIGING: _uitnodiging,
    LetterKind.WAARSCHUWING: _waarschuwing,
    LetterKind.VOORNEMEN_BOETE: _voornemen,
    LetterKind.BOETEBESCHIKKING: _boete,
    LetterKind.VERKLARING_CURSUSSTART: _verklaring,
    LetterKind.AFRONDING: _afronding,
    LetterKind.BESLISSING_BEZWAAR: _beslissing,
}
