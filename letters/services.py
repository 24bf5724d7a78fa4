"""Writes on letters and bezwaarschriften: the only place that changes them.

A letter is made from its event as a concept, checked by the caseworker and marked sent with its
date: the dagtekening is the date of sending, the recipient is frozen then, and the PDF is
rendered once and stored with its SHA-256. A bezwaarschrift is registered against a decision (a
PIP version or a sent boetebeschikking); its beslistermijn reaches the deadlines through
`facts_changed` (deadlines reads this app's model). Deciding it makes the concept of the
beslissing op bezwaar; gegrond on a PIP opens a new PIP version with reason "bezwaar".
"""

import logging
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import events as audit
from cases.addressee import require_addressee
from cases.services import add_timeline, lock_editable_case
from cases.signals import facts_changed

from . import content, rules
from .engine import render_pdf, sha256_of
from .models import Bezwaar, Decision, Letter, Letterhead, LetterKind, LetterStatus

logger = logging.getLogger(__name__)


def _letterhead(case) -> Letterhead:
    letterhead = Letterhead.objects.filter(organisation_id=case.municipality_id).first()
    if letterhead is None:
        raise ValidationError(
            _(
                "Het briefhoofd van gemeente %(gemeente)s ontbreekt (adres, postbus, telefoon, "
                "ondertekenaar). De functioneel beheerder vult het in bij Beheer → Briefhoofden."
            )
            % {"gemeente": case.municipality}
        )
    return letterhead


def _payment_account(case, kind, letterhead=None) -> None:
    """A boetebeschikking says where to pay: not without the municipality's IBAN."""
    if kind != LetterKind.BOETEBESCHIKKING:
        return
    if not (letterhead or _letterhead(case)).iban:
        raise ValidationError(
            _(
                "Het briefhoofd van gemeente %(gemeente)s heeft geen IBAN: een boetebeschikking "
                "zegt waar de boete betaald wordt. De functioneel beheerder vult het in bij "
                "Beheer → Briefhoofden."
            )
            % {"gemeente": case.municipality}
        )


def _required(facts: dict, name: str, message: str) -> str:
    value = str(facts.get(name, "") or "").strip()
    if not value:
        raise ValidationError({name: message})
    return value


def _check_invitation(case, invitation):
    if invitation is None or invitation.intake.inburgeraar_id != case.pk:
        raise Http404


def _next_place(invitation, given: str) -> str:
    """Where the new appointment a waarschuwing names takes place: as the caseworker gives it,
    or as the invitation letter for that appointment said. A letter that names a date and a time
    but no place leaves the person asking where to go."""
    given = str(given or "").strip()
    following = invitation.intake.invitations.filter(sequence=invitation.sequence + 1).first()
    if given or following is None:
        return given
    earlier = (
        Letter.objects.filter(invitation=following, kind=LetterKind.UITNODIGING)
        .order_by("-created_at")
        .first()
    )
    place = str(earlier.facts.get("place", "")).strip() if earlier else ""
    if not place:
        raise ValidationError({"next_place": _("Vul de plaats van de nieuwe afspraak in.")})
    return place


def _validate(case, kind, *, invitation, pip_version, bezwaar, facts) -> dict:
    """The event must fit the letter; returns the facts to keep."""
    from intake.models import Invitation

    facts = dict(facts or {})
    if kind in (
        LetterKind.UITNODIGING,
        LetterKind.WAARSCHUWING,
        LetterKind.VOORNEMEN_BOETE,
        LetterKind.BOETEBESCHIKKING,
    ):
        _check_invitation(case, invitation)
    if kind == LetterKind.UITNODIGING:
        if invitation.outcome != Invitation.Outcome.OPEN:
            raise ValidationError(_("Deze uitnodiging is al geweest: maak er geen brief meer van."))
        _required(facts, "place", _("Vul de plaats van het gesprek in."))
        facts["interpreter"] = str(facts.get("interpreter", "")).strip()
    elif kind == LetterKind.WAARSCHUWING:
        if invitation.active_measure != Invitation.Measure.WARNING:
            raise ValidationError(
                _("Een waarschuwing volgt op de eerste uitnodiging waarop iemand niet verscheen.")
            )
        facts["next_place"] = _next_place(invitation, facts.get("next_place", ""))
    elif kind == LetterKind.VOORNEMEN_BOETE:
        if not invitation.is_fine:
            raise ValidationError(
                _("Een voornemen tot een boete volgt op een tweede of derde gemiste uitnodiging.")
            )
        facts.setdefault("amount", rules.FINE_AMOUNT_EUR)
        facts.setdefault("zienswijze_weeks", rules.ZIENSWIJZE_WEEKS)
    elif kind == LetterKind.BOETEBESCHIKKING:
        if not invitation.is_fine:
            raise ValidationError(_("Voor deze uitnodiging is geen boete aan de orde."))
        if invitation.fine_decided_on is not None:
            raise ValidationError(_("De boetebeschikking voor deze uitnodiging is al verzonden."))
        voornemen = (
            Letter.objects.filter(
                invitation=invitation,
                kind=LetterKind.VOORNEMEN_BOETE,
                status=LetterStatus.VERZONDEN,
            )
            .order_by("-dagtekening")
            .first()
        )
        if voornemen is None:
            raise ValidationError(
                _("Verstuur eerst het voornemen: de inburgeraar mag eerst zijn zienswijze geven.")
            )
        weeks = int(voornemen.facts.get("zienswijze_weeks", rules.ZIENSWIJZE_WEEKS))
        period_end = rules.zienswijze_end(voornemen.dagtekening, weeks)
        zienswijze = str(facts.get("zienswijze", "")).strip()
        if not zienswijze and timezone.localdate() <= period_end:
            raise ValidationError(
                _("De zienswijzetermijn loopt nog tot en met %(date)s.")
                % {"date": period_end.strftime("%d-%m-%Y")}
            )
        # The assessment is the invitation's (recorded before the measure), never the letter's.
        if invitation.geldige_reden is not False or invitation.verwijtbaar is not True:
            raise ValidationError(
                _(
                    "Geen boete: zonder verwijtbaarheid, of met een geldige reden, mag er geen "
                    "boete komen (artikel 5:41 Awb)."
                )
            )
        if not invitation.verwijtbaar_toelichting.strip():
            raise ValidationError(
                _("Leg bij de uitnodiging uit waarom het niet verschijnen verwijtbaar is.")
            )
        for name in ("geldige_reden", "verwijtbaar", "verwijtbaarheid_reason"):
            facts.pop(name, None)
        facts["zienswijze"] = zienswijze
        facts["voornemen_date"] = voornemen.dagtekening.isoformat()
        facts.setdefault("amount", rules.FINE_AMOUNT_EUR)
    elif kind == LetterKind.VERKLARING_CURSUSSTART:
        from pip_plans.models import PipStatus

        if (
            pip_version is None
            or pip_version.pip.inburgeraar_id != case.pk
            or pip_version.status != PipStatus.VASTGESTELD
        ):
            raise Http404
        if pip_version.course_start_deadline is None:
            raise ValidationError(_("Deze PIP-versie heeft geen termijn voor de cursusstart."))
        started = pip_version.course_start
        if started is not None and started <= pip_version.course_start_deadline:
            raise ValidationError(_("De cursus is op tijd begonnen: een verklaring is niet nodig."))
        if started is None and timezone.localdate() <= pip_version.course_start_deadline:
            raise ValidationError(
                _("De cursus kan nog op tijd beginnen: uiterlijk %(date)s.")
                % {"date": pip_version.course_start_deadline.strftime("%d-%m-%Y")}
            )
        _required(facts, "reason", _("Geef de reden waarom de cursus niet op tijd begon."))
    elif kind == LetterKind.AFRONDING:
        if facts.get("outcome") not in content.AFRONDING_OUTCOMES:
            raise ValidationError({"outcome": _("Kies de uitkomst van de inburgering.")})
        _required(facts, "outcome_date", _("Vul de datum van de afronding in."))
    elif kind == LetterKind.BESLISSING_BEZWAAR:
        if bezwaar is None or bezwaar.inburgeraar_id != case.pk or not bezwaar.is_decided:
            raise ValidationError(_("Beslis eerst op het bezwaarschrift."))
    else:
        raise ValidationError(_("Onbekende soort brief."))
    return facts


@transaction.atomic
def create_letter(
    actor, case, kind, *, invitation=None, pip_version=None, bezwaar=None, facts=None
) -> Letter:
    """A concept letter from its event. Nothing is rendered or stored yet."""
    case = lock_editable_case(actor, case)
    _payment_account(case, kind, _letterhead(case))
    if invitation is not None:
        from intake.models import Invitation

        # The invitation as it is now (a measure withdrawn meanwhile), locked while we decide.
        invitation = (
            Invitation.objects.select_for_update().select_related("intake").get(pk=invitation.pk)
        )
    facts = _validate(
        case, kind, invitation=invitation, pip_version=pip_version, bezwaar=bezwaar, facts=facts
    )
    duplicate = Letter.objects.filter(
        inburgeraar=case,
        kind=kind,
        invitation=invitation,
        pip_version=pip_version,
        bezwaar=bezwaar,
    ).exclude(status=LetterStatus.VERZONDEN)
    if duplicate.exists():
        raise ValidationError(_("Er ligt al een concept van deze brief. Controleer dat eerst."))
    letter = Letter.objects.create(
        inburgeraar=case,
        kind=kind,
        invitation=invitation,
        pip_version=pip_version,
        bezwaar=bezwaar,
        facts=facts,
        created_by=actor,
    )
    audit.created(actor, letter, values={"kind": kind})
    add_timeline(
        case,
        actor,
        "brief",
        _("Brief in concept: %(kind)s (%(kenmerk)s)")
        % {"kind": letter.get_kind_display(), "kenmerk": letter.kenmerk},
    )
    return letter


def _editable_letter(actor, letter) -> Letter:
    try:
        return (
            Letter.objects.editable_by(actor)
            .select_for_update(of=("self",))
            .select_related("inburgeraar__municipality")
            .get(pk=getattr(letter, "pk", letter))
        )
    except Letter.DoesNotExist:
        raise Http404 from None


EDITABLE_STATUSES = (LetterStatus.CONCEPT, LetterStatus.GECONTROLEERD)


@transaction.atomic
def update_concept(actor, letter, *, facts: dict) -> Letter:
    """The caseworker corrects the text fields of a letter not yet sent. The facts are checked
    again against the letter's event, as when the concept was made; a checked letter goes back
    to concept, so what is sent is always what was last read. The beslissing op bezwaar takes its
    text from the decision on the bezwaarschrift and is corrected there, not here."""
    letter = _editable_letter(actor, letter)
    if letter.status not in EDITABLE_STATUSES:
        raise ValidationError(_("Een verzonden brief verandert niet meer."))
    if letter.kind == LetterKind.BESLISSING_BEZWAAR:
        raise ValidationError(
            _("De tekst van deze brief komt uit de beslissing op het bezwaarschrift.")
        )
    case = lock_editable_case(actor, letter.inburgeraar)
    new_facts = _validate(
        case,
        letter.kind,
        invitation=letter.invitation,
        pip_version=letter.pip_version,
        bezwaar=letter.bezwaar,
        facts=facts,
    )
    old_facts, old_status = dict(letter.facts), letter.status
    if new_facts == old_facts:
        return letter
    letter.facts = new_facts
    letter.status = LetterStatus.CONCEPT
    letter.checked_by = None
    letter.checked_at = None
    letter.save(update_fields=["facts", "status", "checked_by", "checked_at"])
    changed = sorted(
        name
        for name in set(old_facts) | set(new_facts)
        if old_facts.get(name) != new_facts.get(name)
    )
    audit.changed(
        actor,
        letter,
        old={"facts": {name: old_facts.get(name) for name in changed}, "status": old_status},
        new={"facts": {name: new_facts.get(name) for name in changed}, "status": letter.status},
    )
    add_timeline(
        case,
        actor,
        "brief",
        _("Concept aangepast: %(kind)s (%(kenmerk)s)")
        % {"kind": letter.get_kind_display(), "kenmerk": letter.kenmerk},
    )
    return letter


@transaction.atomic
def mark_checked(actor, letter) -> Letter:
    """The caseworker has read the concept and found it right."""
    letter = _editable_letter(actor, letter)
    if letter.status != LetterStatus.CONCEPT:
        raise ValidationError(_("Alleen een concept kan worden gecontroleerd."))
    letter.status = LetterStatus.GECONTROLEERD
    letter.checked_by = actor
    letter.checked_at = timezone.now()
    letter.save(update_fields=["status", "checked_by", "checked_at"])
    audit.transitioned(
        actor, letter, field="status", old=LetterStatus.CONCEPT, new=LetterStatus.GECONTROLEERD
    )
    return letter


@transaction.atomic
def discard_concept(actor, letter) -> None:
    letter = _editable_letter(actor, letter)
    if letter.is_sent:
        raise ValidationError(_("Een verzonden brief blijft bewaard."))
    add_timeline(
        letter.inburgeraar,
        actor,
        "brief",
        _("Concept vervallen: %(kind)s (%(kenmerk)s)")
        % {"kind": letter.get_kind_display(), "kenmerk": letter.kenmerk},
    )
    audit.deleted(actor, letter)
    letter.delete()


@transaction.atomic
def mark_sent(actor, letter, *, sent_on) -> Letter:
    """Sent on `sent_on`: that is the dagtekening, and the periods in the letter count from the
    day after. The PDF is rendered now, once, and stored with its SHA-256."""
    letter = _editable_letter(actor, letter)
    if letter.status != LetterStatus.GECONTROLEERD:
        raise ValidationError(_("Controleer het concept voordat u de brief verzendt."))
    if sent_on > timezone.localdate():
        raise ValidationError(_("De verzenddatum kan niet in de toekomst liggen."))
    if sent_on < timezone.localtime(letter.created_at).date():
        raise ValidationError(_("De verzenddatum ligt vóór de dag waarop het concept is gemaakt."))
    case = letter.inburgeraar
    _payment_account(case, letter.kind)
    letter.dagtekening = sent_on
    # A minor's letter goes to the legal representative: without one it is not sent.
    letter.recipient = require_addressee(case, on=sent_on)
    letter.status = LetterStatus.VERZONDEN
    letter.sent_by = actor
    data = render_pdf(content.TEMPLATES[letter.kind], content.letter_context(letter, preview=False))
    letter.sha256 = sha256_of(data)
    letter.size = len(data)
    letter.file.save(
        f"brief-{case.pk}-{letter.pk}-{letter.kind}.pdf", ContentFile(data), save=False
    )
    try:
        letter.save()
    except BaseException:
        letter.file.storage.delete(letter.file.name)
        raise
    audit.letter_sent(actor, letter)
    if letter.kind == LetterKind.BOETEBESCHIKKING:
        from intake.services import record_fine_decision

        # The fine decision is taken: the invitation's fine is no longer a voornemen.
        record_fine_decision(actor, letter.invitation_id, dagtekening=sent_on)
    add_timeline(
        case,
        actor,
        "brief",
        _("Brief verzonden op %(date)s: %(kind)s (%(kenmerk)s)")
        % {
            "date": sent_on.strftime("%d-%m-%Y"),
            "kind": letter.get_kind_display(),
            "kenmerk": letter.kenmerk,
        },
    )
    facts_changed(case)
    return letter


def preview_pdf(letter) -> bytes:
    """The concept as it would go out today, marked CONCEPT; never stored."""
    return render_pdf(content.TEMPLATES[letter.kind], content.letter_context(letter, preview=True))


# --- bezwaar ------------------------------------------------------------------------------------


@transaction.atomic
def register_bezwaar(
    actor,
    case,
    *,
    pip_version=None,
    fine_letter=None,
    received_on,
    posted_on=None,
    advisory_committee: bool = False,
    grounds: str = "",
) -> Bezwaar:
    from pip_plans.models import PipStatus

    case = lock_editable_case(actor, case)
    if (pip_version is None) == (fine_letter is None):
        raise ValidationError(_("Kies het besluit waartegen het bezwaar is gericht."))
    if pip_version is not None:
        if pip_version.pip.inburgeraar_id != case.pk or pip_version.status != PipStatus.VASTGESTELD:
            raise Http404
        decision_date = pip_version.dagtekening
        window_end = pip_version.bezwaar_deadline or rules.bezwaar_window_end(decision_date)
    else:
        if (
            fine_letter.inburgeraar_id != case.pk
            or fine_letter.kind != LetterKind.BOETEBESCHIKKING
            or not fine_letter.is_sent
        ):
            raise Http404
        decision_date = fine_letter.dagtekening
        window_end = rules.bezwaar_window_end(decision_date)
    today = timezone.localdate()
    if received_on > today:
        raise ValidationError({"received_on": _("De ontvangstdatum ligt in de toekomst.")})
    if received_on < decision_date:
        raise ValidationError({"received_on": _("Het bezwaar kan niet vóór het besluit komen.")})
    if posted_on is not None and posted_on > received_on:
        raise ValidationError({"posted_on": _("De postdatum ligt na de ontvangstdatum.")})
    bezwaar = Bezwaar.objects.create(
        inburgeraar=case,
        pip_version=pip_version,
        fine_letter=fine_letter,
        decision_date=decision_date,
        window_end=window_end,
        received_on=received_on,
        posted_on=posted_on,
        on_time=rules.bezwaar_on_time(window_end, received_on, posted_on),
        advisory_committee=advisory_committee,
        grounds=grounds,
        created_by=actor,
    )
    audit.created(actor, bezwaar)
    add_timeline(
        case,
        actor,
        "bezwaar",
        _("Bezwaarschrift ontvangen op %(date)s tegen %(against)s (%(tijd)s)")
        % {
            "date": received_on.strftime("%d-%m-%Y"),
            "against": bezwaar.against_label,
            "tijd": _("op tijd") if bezwaar.on_time else _("te laat"),
        },
    )
    facts_changed(case)
    return bezwaar


def beslistermijn(bezwaar) -> date:
    return rules.beslistermijn_end(
        bezwaar.window_end,
        advisory_committee=bezwaar.advisory_committee,
        extended=bezwaar.extended,
    )


def _editable_bezwaar(actor, bezwaar) -> Bezwaar:
    try:
        return (
            Bezwaar.objects.editable_by(actor)
            .select_for_update(of=("self",))
            .get(pk=getattr(bezwaar, "pk", bezwaar))
        )
    except Bezwaar.DoesNotExist:
        raise Http404 from None


@transaction.atomic
def plan_hearing(actor, bezwaar, *, hearing_at, notes: str = "") -> Bezwaar:
    bezwaar = _editable_bezwaar(actor, bezwaar)
    if bezwaar.is_decided:
        raise ValidationError(_("Op dit bezwaar is al beslist."))
    if timezone.localtime(hearing_at).date() < bezwaar.received_on:
        raise ValidationError(
            {"hearing_at": _("De hoorzitting kan niet vóór de ontvangst van het bezwaarschrift.")}
        )
    old = {"hearing_at": bezwaar.hearing_at, "hearing_notes": bezwaar.hearing_notes}
    bezwaar.hearing_at = hearing_at
    bezwaar.hearing_notes = notes
    bezwaar.save(update_fields=["hearing_at", "hearing_notes"])
    audit.changed(actor, bezwaar, old=old, new={"hearing_at": hearing_at, "hearing_notes": notes})
    add_timeline(
        bezwaar.inburgeraar,
        actor,
        "bezwaar",
        _("Hoorzitting bezwaarschrift: %(when)s")
        % {"when": timezone.localtime(hearing_at).strftime("%d-%m-%Y %H:%M")},
    )
    facts_changed(bezwaar.inburgeraar_id)
    return bezwaar


@transaction.atomic
def extend_beslistermijn(actor, bezwaar) -> Bezwaar:
    """Awb 7:10 lid 3: verdagen, once, by six weeks."""
    bezwaar = _editable_bezwaar(actor, bezwaar)
    if bezwaar.is_decided:
        raise ValidationError(_("Op dit bezwaar is al beslist."))
    if bezwaar.extended:
        raise ValidationError(_("De beslistermijn is al een keer verdaagd; dat kan maar één keer."))
    bezwaar.extended = True
    bezwaar.save(update_fields=["extended"])
    audit.changed(actor, bezwaar, old={"extended": False}, new={"extended": True})
    add_timeline(
        bezwaar.inburgeraar,
        actor,
        "bezwaar",
        _("Beslistermijn bezwaarschrift verdaagd tot en met %(date)s")
        % {"date": beslistermijn(bezwaar).strftime("%d-%m-%Y")},
    )
    facts_changed(bezwaar.inburgeraar_id)
    return bezwaar


@transaction.atomic
def decide_bezwaar(actor, bezwaar, *, decision: str, reason: str, decided_on=None):
    """The beslissing op bezwaar and the concept of its letter; gegrond on a PIP opens a new
    version with reason "bezwaar" (the termijn does not move)."""
    from pip_plans.models import VersionReason
    from pip_plans.services import new_version

    bezwaar = _editable_bezwaar(actor, bezwaar)
    if bezwaar.is_decided:
        raise ValidationError(_("Op dit bezwaar is al beslist."))
    if decision not in Decision.values:
        raise ValidationError({"decision": _("Kies gegrond, ongegrond of niet-ontvankelijk.")})
    if not reason.strip():
        raise ValidationError({"decision_reason": _("Motiveer de beslissing.")})
    decided_on = decided_on or timezone.localdate()
    if decided_on > timezone.localdate() or decided_on < bezwaar.received_on:
        raise ValidationError({"decided_on": _("Deze datum kan niet.")})
    bezwaar.decision = decision
    bezwaar.decision_reason = reason.strip()
    bezwaar.decided_on = decided_on
    if decision == Decision.GEGROND and bezwaar.pip_version_id:
        version = new_version(
            actor,
            bezwaar.pip_version.pip,
            reason=VersionReason.BEZWAAR,
            reason_text=_("Bezwaarschrift van %(date)s gegrond: %(reason)s")
            % {"date": bezwaar.received_on.strftime("%d-%m-%Y"), "reason": reason.strip()[:300]},
        )
        bezwaar.new_pip_version = version
    bezwaar.save(update_fields=["decision", "decision_reason", "decided_on", "new_pip_version"])
    audit.changed(
        actor,
        bezwaar,
        old={"decision": ""},
        new={"decision": decision, "decided_on": decided_on.isoformat()},
    )
    add_timeline(
        bezwaar.inburgeraar,
        actor,
        "bezwaar",
        _("Beslissing op bezwaar: %(decision)s") % {"decision": bezwaar.get_decision_display()},
    )
    letter = create_letter(
        actor, bezwaar.inburgeraar_id, LetterKind.BESLISSING_BEZWAAR, bezwaar=bezwaar
    )
    facts_changed(bezwaar.inburgeraar_id)
    return bezwaar, letter
