"""Writes on cases and the brede intake: the only place that changes their state.

Each function takes the acting user, checks permission through the one door, changes state in one
transaction, writes the audit entry and a timeline event. Legal transitions of the intake
(gepland → in uitvoering → afgerond, or geannuleerd) are explicit functions with guards.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from audit.models import AuditEntry
from audit.services import diff, record
from deadlines.services import recompute_for_case
from municipalities.models import Organisation

from .models import (
    CaseStatus,
    CaseTransfer,
    Inburgeraar,
    Intake,
    IntakeState,
    Invitation,
    TimelineEvent,
)
from .rules import advise_route

FINE_AMOUNT_EUR = 250


class ConcurrentEditError(Exception):
    """Someone else saved the same record since this form was opened."""

    def __init__(self, updated_by, updated_at):
        self.updated_by = updated_by
        self.updated_at = updated_at
        when = timezone.localtime(updated_at).strftime("%d-%m-%Y %H:%M") if updated_at else "?"
        who = str(updated_by) if updated_by else _("een andere gebruiker")
        super().__init__(
            _(
                "%(who)s heeft deze gegevens om %(when)s gewijzigd nadat u ze opende. Uw wijziging is niet opgeslagen; bekijk de nieuwe gegevens en voer uw wijziging opnieuw in."
            )
            % {"who": who, "when": when}
        )


def lock_editable_case(actor, case) -> Inburgeraar:
    """The case (or case id) locked for update, or 404 when the actor may not change it.
    Every service that changes a case starts here: the one door for writes."""
    try:
        return (
            Inburgeraar.objects.editable_by(actor)
            .select_for_update(of=("self",))
            .select_related("municipality")
            .get(pk=getattr(case, "pk", case))
        )
    except Inburgeraar.DoesNotExist:
        raise Http404 from None


def _editable_intake(actor, intake) -> Intake:
    try:
        return Intake.objects.editable_by(actor).select_for_update(of=("self",)).get(pk=intake.pk)
    except Intake.DoesNotExist:
        raise Http404 from None


def add_timeline(case, actor, kind: str, text: str) -> TimelineEvent:
    return TimelineEvent.objects.create(inburgeraar=case, actor=actor, kind=kind, text=text)


# --- Registration -------------------------------------------------------------------------------


@transaction.atomic
def register_inburgeraar(actor, **data) -> Inburgeraar:
    """Register a person by hand. The form has validated the fields; the municipality must be one
    the actor works for."""
    municipality = data["municipality"]
    from municipalities.models import CASE_WRITE_ROLES, Membership

    if (
        not Membership.objects.active()
        .filter(user=actor, organisation=municipality, role__in=CASE_WRITE_ROLES)
        .exists()
    ):
        raise PermissionDenied
    case = Inburgeraar(**data)
    case.full_clean()
    case.save()
    record(
        actor,
        AuditEntry.Action.CREATE,
        case,
        changes=diff(
            case, {}, {f: data[f] if not hasattr(data[f], "pk") else data[f].pk for f in data}
        ),
    )
    add_timeline(
        case, actor, "registratie", _("Ingeschreven in %(gemeente)s") % {"gemeente": municipality}
    )
    recompute_for_case(case)
    return case


# --- The brede intake ---------------------------------------------------------------------------


@transaction.atomic
def plan_intake(actor, case) -> Intake:
    case = lock_editable_case(actor, case)
    if case.intakes.exclude(state=IntakeState.GEANNULEERD).exists():
        raise ValidationError(_("Er is al een brede intake voor deze inburgeraar."))
    intake = Intake.objects.create(inburgeraar=case, updated_by=actor)
    if case.status == CaseStatus.AANGEMELD:
        case.status = CaseStatus.INTAKE
        case.save(update_fields=["status", "updated_at"])
    record(actor, AuditEntry.Action.CREATE, intake)
    add_timeline(case, actor, "intake", _("Brede intake gepland"))
    recompute_for_case(case)
    return intake


@transaction.atomic
def begin_intake(actor, intake, *, on=None) -> Intake:
    intake = _editable_intake(actor, intake)
    if intake.state != IntakeState.GEPLAND:
        raise ValidationError(_("Alleen een geplande intake kan beginnen."))
    intake.state = IntakeState.IN_UITVOERING
    intake.startdatum = on or timezone.localdate()
    _bump(intake, actor)
    intake.save()
    record(
        actor,
        AuditEntry.Action.UPDATE,
        intake,
        changes={"state": [IntakeState.GEPLAND, intake.state]},
    )
    add_timeline(intake.inburgeraar, actor, "intake", _("Brede intake begonnen"))
    return intake


def _bump(intake, actor):
    intake.version += 1
    intake.updated_by = actor


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
    changes = diff(intake, old, values)
    if not changes:
        return intake
    _bump(intake, actor)
    intake.save()
    record(actor, AuditEntry.Action.UPDATE, intake, fields=sorted(changes), changes=changes)
    recompute_for_case(intake.inburgeraar_id)
    return intake


def can_read_special_category_for(user, intake) -> bool:
    from .visibility import can_read_special_category

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
    record(actor, AuditEntry.Action.CREATE, item, changes=diff(item, {}, values))
    return item


@transaction.atomic
def remove_intake_item(actor, intake, item):
    intake = _editable_intake(actor, intake)
    if not intake.is_open or item.intake_id != intake.pk:
        raise ValidationError(_("Deze intake is afgesloten en kan niet meer worden gewijzigd."))
    record(actor, AuditEntry.Action.DELETE, item)
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
    intake.state = IntakeState.AFGEROND
    intake.einddatum = on or timezone.localdate()
    _bump(intake, actor)
    intake.save()
    case = intake.inburgeraar
    case.status = CaseStatus.PIP
    case.save(update_fields=["status", "updated_at"])
    record(
        actor,
        AuditEntry.Action.UPDATE,
        intake,
        changes={"state": [IntakeState.IN_UITVOERING, IntakeState.AFGEROND]},
    )
    add_timeline(
        case,
        actor,
        "intake",
        _("Brede intake afgerond; leerroute: %(route)s")
        % {"route": intake.get_chosen_route_display()},
    )
    # The completed intake opens the PIP draft, prefilled from it, in the same transaction.
    from pip_plans.services import open_draft_from_intake

    open_draft_from_intake(actor, intake)
    recompute_for_case(case)
    return intake


@transaction.atomic
def cancel_intake(actor, intake, *, reason: str) -> Intake:
    intake = _editable_intake(actor, intake)
    if not intake.is_open:
        raise ValidationError(_("Alleen een geplande of lopende intake kan worden geannuleerd."))
    if not reason.strip():
        raise ValidationError(_("Geef een reden voor het annuleren."))
    old_state = intake.state
    intake.state = IntakeState.GEANNULEERD
    _bump(intake, actor)
    intake.save()
    record(
        actor,
        AuditEntry.Action.UPDATE,
        intake,
        changes={"state": [old_state, intake.state]},
        reason=reason,
    )
    add_timeline(
        intake.inburgeraar,
        actor,
        "intake",
        _("Brede intake geannuleerd: %(reason)s") % {"reason": reason},
    )
    recompute_for_case(intake.inburgeraar_id)
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
    record(actor, AuditEntry.Action.CREATE, invitation)
    add_timeline(
        intake.inburgeraar,
        actor,
        "uitnodiging",
        _("Uitnodiging %(n)s verstuurd voor gesprek op %(when)s")
        % {"n": sequence, "when": timezone.localtime(conversation_at).strftime("%d-%m-%Y %H:%M")},
    )
    recompute_for_case(intake.inburgeraar_id)
    return invitation


# Missing the n-th invitation leads to this measure (Wet inburgering 2021, handhaving brede intake).
LADDER = {
    1: Invitation.Measure.WARNING,
    2: Invitation.Measure.FINE,
    3: Invitation.Measure.SECOND_FINE,
}


@transaction.atomic
def record_attendance(actor, invitation, *, attended: bool) -> Invitation:
    intake = _editable_intake(actor, invitation.intake)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk, intake=intake)
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
    case = intake.inburgeraar
    if attended:
        invitation.outcome = Invitation.Outcome.ATTENDED
        invitation.save(update_fields=["outcome"])
        text = _("Verschenen op uitnodiging %(n)s") % {"n": invitation.sequence}
        if intake.state == IntakeState.GEPLAND:
            intake.state = IntakeState.IN_UITVOERING
            intake.startdatum = timezone.localtime(invitation.conversation_at).date()
            _bump(intake, actor)
            intake.save()
    else:
        invitation.outcome = Invitation.Outcome.MISSED
        invitation.measure = LADDER.get(invitation.sequence, Invitation.Measure.SECOND_FINE)
        invitation.save(update_fields=["outcome", "measure"])
        text = _("Niet verschenen op uitnodiging %(n)s: %(measure)s") % {
            "n": invitation.sequence,
            "measure": invitation.get_measure_display(),
        }
        if invitation.measure == Invitation.Measure.SECOND_FINE:
            # Third invitation ignored: the PIP is set without the person's input.
            intake.pip_without_input = True
            if intake.state == IntakeState.GEPLAND:
                intake.state = IntakeState.IN_UITVOERING
                intake.startdatum = timezone.localdate()
            _bump(intake, actor)
            intake.save()
    record(
        actor,
        AuditEntry.Action.UPDATE,
        invitation,
        changes={
            "outcome": [Invitation.Outcome.OPEN, invitation.outcome],
            "measure": ["", invitation.measure],
        },
    )
    add_timeline(case, actor, "uitnodiging", text)
    recompute_for_case(case)
    return invitation


# --- Transfer to another municipality (warme overdracht) --------------------------------------------


@transaction.atomic
def transfer_case(actor, case, *, to_municipality: Organisation, reason: str = "") -> CaseTransfer:
    """Hand the whole file to the receiving municipality; the sender keeps read-only access for
    TRANSFER_READ_ONLY_DAYS through a grant to its organisation group, which a sweep removes."""
    case = lock_editable_case(actor, case)
    if not to_municipality.is_municipality:
        raise ValidationError(_("Een dossier kan alleen naar een gemeente worden overgedragen."))
    if to_municipality.pk == case.municipality_id:
        raise ValidationError(
            _("Het dossier hoort al bij %(gemeente)s.") % {"gemeente": to_municipality}
        )
    sender = case.municipality
    transfer = CaseTransfer.objects.create(
        inburgeraar=case,
        from_municipality=sender,
        to_municipality=to_municipality,
        reason=reason,
        actor=actor,
        read_only_until=timezone.localdate() + timedelta(days=settings.TRANSFER_READ_ONLY_DAYS),
    )
    case.municipality = to_municipality
    case.caseworker = None
    case.version += 1
    case.save(update_fields=["municipality", "caseworker", "version", "updated_at"])
    assign_perm("intake.view_inburgeraar", sender.group, case)
    record(
        actor,
        AuditEntry.Action.UPDATE,
        case,
        changes={"municipality": [sender.pk, to_municipality.pk]},
        reason=reason or "verhuizing",
    )
    add_timeline(
        case,
        actor,
        "overdracht",
        _(
            "Overgedragen van %(van)s naar %(naar)s; %(van)s kan het dossier inzien tot en met %(tot)s"
        )
        % {
            "van": sender,
            "naar": to_municipality,
            "tot": transfer.read_only_until.strftime("%d-%m-%Y"),
        },
    )
    recompute_for_case(case)
    return transfer


def end_transfer_read_only_access(*, today=None) -> int:
    """The sweep: remove the sending municipality's read-only grant once its period is over.

    Idempotent: each transfer is closed once (read_only_ended_at), and a sweep that did not run
    catches up on the next.
    """
    today = today or timezone.localdate()
    ended = 0
    due = CaseTransfer.objects.filter(read_only_ended_at__isnull=True, read_only_until__lt=today)
    for transfer_id in due.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            transfer = (
                CaseTransfer.objects.select_for_update(of=("self",))
                .select_related("from_municipality__group", "inburgeraar")
                .filter(pk=transfer_id, read_only_ended_at__isnull=True)
                .first()
            )
            if transfer is None:
                continue
            case = transfer.inburgeraar
            if case.municipality_id != transfer.from_municipality_id:
                remove_perm("intake.view_inburgeraar", transfer.from_municipality.group, case)
            transfer.read_only_ended_at = timezone.now()
            transfer.save(update_fields=["read_only_ended_at"])
            add_timeline(
                case,
                None,
                "overdracht",
                _("Inzage door %(van)s beëindigd") % {"van": transfer.from_municipality},
            )
            ended += 1
    return ended


@transaction.atomic
def save_topic_note(actor, intake, topic, notes: str):
    from .models import TopicNote

    intake = _editable_intake(actor, intake)
    if not intake.is_open:
        raise ValidationError(_("Deze intake is afgesloten en kan niet meer worden gewijzigd."))
    if topic.municipality_id not in (None, intake.inburgeraar.municipality_id):
        raise Http404
    note, _created = TopicNote.objects.get_or_create(intake=intake, topic=topic)
    old = note.notes
    note.notes = notes
    note.save(update_fields=["notes"])
    record(
        actor,
        AuditEntry.Action.UPDATE,
        intake,
        changes=diff(note, {"topic_note": old}, {"topic_note": notes}),
        fields=[f"topic:{topic.pk}"],
    )
    return note
