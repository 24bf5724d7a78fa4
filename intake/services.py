"""Writes on the brede intake: the only place that changes its state.

Each function takes the acting user, goes through the one door for writes, changes state in one
transaction, writes the audit entry and a timeline event, and tells the case's listeners
(`cases.signals.facts_changed`: the deadlines). The intake's states move only along
`INTAKE_MACHINE` (gepland → in uitvoering → afgerond, or geannuleerd), through
`cases.transitions.transition`. Completing it sends `intake_completed` (the PIP app opens its draft
in the same transaction).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import events as audit
from cases.access import can_read_special_category
from cases.models import CaseStatus
from cases.services import ConcurrentEditError, add_timeline, lock_editable_case
from cases.signals import facts_changed
from cases.transitions import Machine, move_case, moves, transition
from common.parsing import clean_text

from .models import Intake, IntakeState, Invitation, TopicNote
from .rules import MissedConsequence, advise_route, missed_consequence
from .signals import intake_completed

INTAKE_MACHINE = Machine(
    name="intake",
    field="state",
    choices=IntakeState,
    moves=moves(
        {
            IntakeState.GEPLAND: (IntakeState.IN_UITVOERING, IntakeState.GEANNULEERD),
            IntakeState.IN_UITVOERING: (IntakeState.AFGEROND, IntakeState.GEANNULEERD),
            IntakeState.AFGEROND: (),
            IntakeState.GEANNULEERD: (),
        }
    ),
)

# A topic note is free text from the intake page; bounded so a paste cannot flood the trail.
TOPIC_NOTE_MAX_LENGTH = 5000


def _editable_intake(actor, intake) -> Intake:
    try:
        return Intake.objects.editable_by(actor).select_for_update(of=("self",)).get(pk=intake.pk)
    except Intake.DoesNotExist:
        raise Http404 from None


# --- The brede intake ---------------------------------------------------------------------------


@transaction.atomic
def plan_intake(actor, case) -> Intake:
    case = lock_editable_case(actor, case)
    if case.intakes.exclude(state=IntakeState.GEANNULEERD).exists():
        raise ValidationError(_("Er is al een brede intake voor deze inburgeraar."))
    intake = Intake.objects.create(inburgeraar=case, updated_by=actor)
    move_case(actor, case, CaseStatus.INTAKE)
    audit.created(actor, intake)
    add_timeline(case, actor, "intake", _("Brede intake gepland"))
    facts_changed(case)
    return intake


@transaction.atomic
def begin_intake(actor, intake, *, on=None) -> Intake:
    intake = _editable_intake(actor, intake)
    if intake.state != IntakeState.GEPLAND:
        raise ValidationError(_("Alleen een geplande intake kan beginnen."))
    intake.startdatum = on or timezone.localdate()
    transition(
        INTAKE_MACHINE,
        intake,
        IntakeState.IN_UITVOERING,
        actor=actor,
        case=intake.inburgeraar,
        timeline=_("Brede intake begonnen"),
        save_fields=("startdatum",),
    )
    return intake


def _bump(intake, actor):
    intake.version += 1
    intake.updated_by = actor


def _start_if_planned(actor, intake, *, on) -> None:
    """Coming to (or ignoring the last of) the invitations starts a planned intake."""
    if intake.state == IntakeState.GEPLAND:
        intake.startdatum = on
        transition(
            INTAKE_MACHINE,
            intake,
            IntakeState.IN_UITVOERING,
            actor=actor,
            save_fields=("startdatum", "pip_without_input"),
        )


@transaction.atomic
def save_intake_fields(actor, intake, *, expected_version: int, values: dict) -> Intake:
    """Save one section of the intake. Refused when someone else saved since `expected_version`."""
    intake = _editable_intake(actor, intake)
    if not intake.is_open:
        raise ValidationError(_("Deze intake is afgesloten en kan niet meer worden gewijzigd."))
    if intake.version != expected_version:
        raise ConcurrentEditError(intake.updated_by, intake.updated_at)
    special = set(Intake.SPECIAL_CATEGORY_FIELDS) & set(values)
    if special and not can_read_special_category_for(actor, intake):
        raise PermissionDenied
    old = {field: getattr(intake, field) for field in values}
    for field, value in values.items():
        setattr(intake, field, value)
    intake.full_clean(exclude=["inburgeraar", "updated_by"])
    if all(old[field] == value for field, value in values.items()):
        return intake
    _bump(intake, actor)
    intake.save()
    audit.changed(actor, intake, old=old, new=values)
    facts_changed(intake.inburgeraar_id)
    return intake


def can_read_special_category_for(user, intake) -> bool:
    return can_read_special_category(user, intake.inburgeraar)


@transaction.atomic
def add_intake_item(actor, intake, model, **values):
    """Add an education, work experience or development point to an open intake."""
    intake = _editable_intake(actor, intake)
    if not intake.is_open:
        raise ValidationError(_("Deze intake is afgesloten en kan niet meer worden gewijzigd."))
    item = model(intake=intake, **values)
    item.full_clean()
    item.save()
    audit.created(actor, item, values=values)
    return item


@transaction.atomic
def remove_intake_item(actor, intake, item):
    intake = _editable_intake(actor, intake)
    if not intake.is_open or item.intake_id != intake.pk:
        raise ValidationError(_("Deze intake is afgesloten en kan niet meer worden gewijzigd."))
    audit.deleted(actor, item)
    item.delete()


def missing_legal_minimum(intake) -> list[str]:
    """The parts of the legal minimum that are still empty (in the order of the page)."""
    missing = []
    if not intake.test_exempt and (intake.test_score is None or intake.test_date is None):
        missing.append(_("Leerbaarheidstoets"))
    has_history = (
        intake.education_work_notes.strip()
        or intake.educations.exists()
        or intake.work_experiences.exists()
    )
    if not intake.highest_education or not has_history:
        missing.append(_("Opleiding en werkervaring in het land van herkomst"))
    if not (
        intake.personal_circumstances.strip()
        and intake.physical_health.strip()
        and intake.mental_health.strip()
    ):
        missing.append(_("Persoonlijke omstandigheden, lichamelijke en psychische gezondheid"))
    return missing


def route_advice(intake, *, on=None):
    return advise_route(
        test_score=intake.test_score,
        test_date=intake.test_date,
        test_exempt=intake.test_exempt,
        date_of_birth=intake.inburgeraar.date_of_birth,
        highest_education=intake.highest_education,
        on=on or timezone.localdate(),
    )


@transaction.atomic
def complete_intake(actor, intake, *, expected_version: int, on=None) -> Intake:
    """Afronden: every legal-minimum part filled, a route chosen (with a reason if it deviates)."""
    intake = _editable_intake(actor, intake)
    if intake.version != expected_version:
        raise ConcurrentEditError(intake.updated_by, intake.updated_at)
    if intake.state != IntakeState.IN_UITVOERING:
        raise ValidationError(_("Alleen een intake die in uitvoering is kan worden afgerond."))
    errors = []
    missing = missing_legal_minimum(intake)
    if missing:
        errors.append(
            _("Vul eerst het wettelijk minimum in: %(parts)s.") % {"parts": ", ".join(missing)}
        )
    if not intake.chosen_route:
        errors.append(_("Kies een leerroute."))
    else:
        advice = route_advice(intake, on=on)
        if (
            advice.route
            and intake.chosen_route != advice.route
            and not intake.route_deviation_reason.strip()
        ):
            errors.append(
                _("De gekozen leerroute wijkt af van het advies (%(advice)s): geef een reden.")
                % {"advice": advice.label}
            )
    if errors:
        raise ValidationError(errors)
    intake.einddatum = on or timezone.localdate()
    case = intake.inburgeraar
    transition(
        INTAKE_MACHINE,
        intake,
        IntakeState.AFGEROND,
        actor=actor,
        case=case,
        timeline=_("Brede intake afgerond; leerroute: %(route)s")
        % {"route": intake.get_chosen_route_display()},
        save_fields=("einddatum",),
    )
    move_case(actor, case, CaseStatus.PIP)
    # The completed intake opens the PIP draft, prefilled from it, in the same transaction.
    intake_completed.send(sender=Intake, actor=actor, intake=intake)
    facts_changed(case)
    return intake


@transaction.atomic
def cancel_intake(actor, intake, *, reason: str) -> Intake:
    intake = _editable_intake(actor, intake)
    if not intake.is_open:
        raise ValidationError(_("Alleen een geplande of lopende intake kan worden geannuleerd."))
    if not reason.strip():
        raise ValidationError(_("Geef een reden voor het annuleren."))
    transition(
        INTAKE_MACHINE,
        intake,
        IntakeState.GEANNULEERD,
        actor=actor,
        case=intake.inburgeraar,
        timeline=_("Brede intake geannuleerd: %(reason)s") % {"reason": reason},
        reason=reason,
    )
    facts_changed(intake.inburgeraar_id)
    return intake


# --- Invitations and the enforcement ladder -------------------------------------------------------


@transaction.atomic
def invite(actor, intake, *, conversation_at, response_date) -> Invitation:
    intake = _editable_intake(actor, intake)
    if not intake.is_open:
        raise ValidationError(_("Deze intake is afgesloten."))
    if intake.invitations.filter(outcome=Invitation.Outcome.OPEN).exists():
        raise ValidationError(
            _("Er staat nog een uitnodiging open. Leg eerst vast of de inburgeraar is verschenen.")
        )
    if response_date > timezone.localtime(conversation_at).date():
        raise ValidationError(_("De reactiedatum moet vóór of op de dag van het gesprek liggen."))
    sequence = intake.invitations.count() + 1
    invitation = Invitation.objects.create(
        intake=intake,
        sequence=sequence,
        conversation_at=conversation_at,
        response_date=response_date,
    )
    audit.created(actor, invitation)
    add_timeline(
        intake.inburgeraar,
        actor,
        "uitnodiging",
        _("Uitnodiging %(n)s verstuurd voor gesprek op %(when)s")
        % {"n": sequence, "when": timezone.localtime(conversation_at).strftime("%d-%m-%Y %H:%M")},
    )
    facts_changed(intake.inburgeraar_id)
    return invitation


def _locked_invitation(actor, invitation) -> tuple[Intake, Invitation]:
    intake = _editable_intake(actor, invitation.intake)
    return intake, Invitation.objects.select_for_update().get(pk=invitation.pk, intake=intake)


def _check_outcome_can_be_recorded(invitation) -> None:
    if invitation.outcome != Invitation.Outcome.OPEN:
        raise ValidationError(_("De uitkomst van deze uitnodiging is al vastgelegd."))
    # Whether the person came can only be known once the conversation has taken place; a missed
    # conversation sets off the warning and fines, so a premature click must not count.
    if invitation.conversation_at > timezone.now():
        raise ValidationError(
            _(
                "Het gesprek is op %(when)s. Leg de uitkomst vast nadat het gesprek heeft plaatsgevonden."
            )
            % {"when": timezone.localtime(invitation.conversation_at).strftime("%d-%m-%Y %H:%M")}
        )


def ladder_step(invitation) -> int:
    """Which step of the ladder a blameworthy miss of this invitation would be: one more than the
    measures in force on the intake's earlier invitations (an excused miss, or a measure
    withdrawn, does not count)."""
    earlier = Invitation.objects.filter(
        intake_id=invitation.intake_id,
        sequence__lt=invitation.sequence,
        measure_withdrawn_at__isnull=True,
    ).exclude(measure="")
    return earlier.count() + 1


def missed_preview(invitation, *, geldige_reden: bool, verwijtbaar: bool) -> MissedConsequence:
    """The consequence the confirmation step names before "niet verschenen" is recorded."""
    return missed_consequence(
        ladder_step(invitation), geldige_reden=geldige_reden, verwijtbaar=verwijtbaar
    )


@transaction.atomic
def record_attendance(actor, invitation, *, attended: bool) -> Invitation:
    """Verschenen. A missed invitation needs its assessment first: see `record_missed`."""
    if not attended:
        raise ValidationError(
            _(
                "Beoordeel eerst of er een geldige reden was en of het niet verschijnen "
                "verwijtbaar is, en bevestig de gevolgen."
            )
        )
    intake, invitation = _locked_invitation(actor, invitation)
    _check_outcome_can_be_recorded(invitation)
    invitation.outcome = Invitation.Outcome.ATTENDED
    invitation.save(update_fields=["outcome"])
    _start_if_planned(actor, intake, on=timezone.localtime(invitation.conversation_at).date())
    audit.changed(
        actor,
        invitation,
        old={"outcome": Invitation.Outcome.OPEN},
        new={"outcome": invitation.outcome},
    )
    add_timeline(
        intake.inburgeraar,
        actor,
        "uitnodiging",
        _("Verschenen op uitnodiging %(n)s") % {"n": invitation.sequence},
    )
    facts_changed(intake.inburgeraar)
    return invitation


@transaction.atomic
def record_missed(
    actor,
    invitation,
    *,
    geldige_reden: bool | None,
    geldige_reden_toelichting: str,
    verwijtbaar: bool | None,
    verwijtbaar_toelichting: str,
    confirmed_measure: str,
) -> Invitation:
    """Niet verschenen, with its assessment: was there a geldige reden, and is the absence
    verwijtbaar (Awb 5:41)? Both with a reason. `confirmed_measure` is the measure the user saw
    named in the confirmation step (missed_preview); if it no longer matches, nothing is recorded.
    With a geldige reden or without verwijtbaarheid no measure; a fine is a voornemen."""
    intake, invitation = _locked_invitation(actor, invitation)
    _check_outcome_can_be_recorded(invitation)
    errors = {}
    if geldige_reden is None:
        errors["geldige_reden"] = _("Beoordeel of de inburgeraar een geldige reden had.")
    if not (geldige_reden_toelichting or "").strip():
        errors["geldige_reden_toelichting"] = _(
            "Licht toe waarom er wel of geen geldige reden was."
        )
    if verwijtbaar is None:
        errors["verwijtbaar"] = _("Beoordeel of het niet verschijnen verwijtbaar is.")
    if not (verwijtbaar_toelichting or "").strip():
        errors["verwijtbaar_toelichting"] = _(
            "Licht toe waarom het niet verschijnen wel of niet verwijtbaar is."
        )
    if geldige_reden and verwijtbaar:
        errors["verwijtbaar"] = _(
            "Met een geldige reden is het niet verschijnen niet verwijtbaar (artikel 5:41 Awb)."
        )
    if errors:
        raise ValidationError(errors)
    consequence = missed_preview(invitation, geldige_reden=geldige_reden, verwijtbaar=verwijtbaar)
    if consequence.measure != (confirmed_measure or ""):
        raise ValidationError(
            _("De gevolgen zijn veranderd. Bekijk ze opnieuw en bevestig: %(text)s")
            % {"text": consequence.text}
        )
    invitation.outcome = Invitation.Outcome.MISSED
    invitation.geldige_reden = geldige_reden
    invitation.geldige_reden_toelichting = geldige_reden_toelichting.strip()
    invitation.verwijtbaar = verwijtbaar
    invitation.verwijtbaar_toelichting = verwijtbaar_toelichting.strip()
    invitation.assessed_at = timezone.now()
    invitation.assessed_by = actor
    invitation.measure = consequence.measure
    invitation.save(
        update_fields=[
            "outcome",
            "geldige_reden",
            "geldige_reden_toelichting",
            "verwijtbaar",
            "verwijtbaar_toelichting",
            "assessed_at",
            "assessed_by",
            "measure",
        ]
    )
    case = intake.inburgeraar
    if consequence.pip_without_input:
        intake.pip_without_input = True
        if intake.state == IntakeState.GEPLAND:
            _start_if_planned(actor, intake, on=timezone.localdate())
        else:
            _bump(intake, actor)
            intake.save()
    audit.changed(
        actor,
        invitation,
        old={"outcome": Invitation.Outcome.OPEN, "measure": ""},
        new={
            "outcome": invitation.outcome,
            "geldige_reden": geldige_reden,
            "verwijtbaar": verwijtbaar,
            "measure": invitation.measure,
        },
        reason=invitation.verwijtbaar_toelichting[:500],
    )
    add_timeline(
        case,
        actor,
        "uitnodiging",
        _("Niet verschenen op uitnodiging %(n)s: %(measure)s")
        % {
            "n": invitation.sequence,
            "measure": invitation.measure_label
            or (
                _("geen maatregel (geldige reden)")
                if geldige_reden
                else _("geen maatregel (niet verwijtbaar)")
            ),
        },
    )
    facts_changed(case)
    return invitation


@transaction.atomic
def withdraw_measure(actor, invitation, *, reason: str) -> Invitation:
    """A measure recorded by mistake is withdrawn, with a reason: audited, on the timeline, and
    kept visible as withdrawn. A fine whose boetebeschikking was sent is a decision: it is
    withdrawn by a new decision (or on bezwaar), not here."""
    intake, invitation = _locked_invitation(actor, invitation)
    if not invitation.active_measure:
        raise ValidationError(_("Bij deze uitnodiging is geen maatregel van kracht."))
    if invitation.fine_decided_on is not None:
        raise ValidationError(
            _(
                "De boetebeschikking is op %(date)s verzonden: de boete is een besluit en wordt "
                "alleen met een nieuw besluit of op bezwaar ingetrokken."
            )
            % {"date": invitation.fine_decided_on.strftime("%d-%m-%Y")}
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Geef de reden voor het intrekken van de maatregel.")})
    invitation.measure_withdrawn_at = timezone.now()
    invitation.measure_withdrawn_by = actor
    invitation.measure_withdrawal_reason = reason
    invitation.save(
        update_fields=["measure_withdrawn_at", "measure_withdrawn_by", "measure_withdrawal_reason"]
    )
    if invitation.measure == Invitation.Measure.SECOND_FINE and intake.pip_without_input:
        still = (
            Invitation.objects.filter(intake=intake, measure=Invitation.Measure.SECOND_FINE)
            .filter(measure_withdrawn_at__isnull=True)
            .exists()
        )
        if not still:
            intake.pip_without_input = False
            _bump(intake, actor)
            intake.save()
    audit.changed(
        actor,
        invitation,
        old={"measure": invitation.measure, "measure_withdrawn": False},
        new={"measure": invitation.measure, "measure_withdrawn": True},
        reason=reason[:500],
    )
    add_timeline(
        intake.inburgeraar,
        actor,
        "uitnodiging",
        _("Maatregel ingetrokken bij uitnodiging %(n)s (%(measure)s): %(reason)s")
        % {
            "n": invitation.sequence,
            "measure": invitation.get_measure_display(),
            "reason": reason,
        },
    )
    return invitation


def record_fine_decision(actor, invitation_id: int, *, dagtekening) -> Invitation:
    """The boetebeschikking was sent (letters calls this in its own transaction): the fine is no
    longer a voornemen but imposed on that date."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
    if not invitation.is_fine:
        raise ValidationError(_("Voor deze uitnodiging is geen boete van kracht."))
    invitation.fine_decided_on = dagtekening
    invitation.save(update_fields=["fine_decided_on"])
    audit.changed(
        actor,
        invitation,
        old={"fine_decided_on": None},
        new={"fine_decided_on": dagtekening.isoformat()},
    )
    return invitation


@transaction.atomic
def save_topic_note(actor, intake, topic, notes: str):
    intake = _editable_intake(actor, intake)
    if not intake.is_open:
        raise ValidationError(_("Deze intake is afgesloten en kan niet meer worden gewijzigd."))
    if topic.municipality_id not in (None, intake.inburgeraar.municipality_id):
        raise Http404
    notes = clean_text(notes, max_length=TOPIC_NOTE_MAX_LENGTH, label=_("De aantekening"))
    note, _created = TopicNote.objects.get_or_create(intake=intake, topic=topic)
    old = note.notes
    note.notes = notes
    note.save(update_fields=["notes"])
    # On the note itself, so its AUDIT_MASKED_FIELDS keep the text out of the trail.
    audit.changed(
        actor,
        note,
        old={"notes": old},
        new={"notes": notes},
        fields=["notes", f"topic:{topic.pk}"],
    )
    return note
