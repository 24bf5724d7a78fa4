"""Writes on the case: the only place that changes an Inburgeraar, whoever writes.

The UI, the API, the DUO import and the Django admin all call these. Each takes the acting user,
goes through the one door for writes (`lock_editable_case`: 404 when the actor may not change the
case), checks the lock counter, audits with old and new values, writes the timeline and tells the
apps built on the case (`signals.facts_changed`: the deadlines recompute) in one transaction.
The status moves only by a transition (`cases.transitions`); the municipality only by a transfer.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from audit import events as audit
from municipalities.models import CASE_ROLES, Membership, Organisation, Role

from .models import (
    LEERPLICHT_FIELDS,
    LEGAL_DATE_FIELDS,
    LEGAL_REPRESENTATIVE_FIELDS,
    MINIMUM_AGE,
    PERSON_FIELDS,
    CaseStatus,
    CaseTransfer,
    HouseholdLink,
    Inburgeraar,
    TimelineEvent,
    age_on,
)
from .signals import facts_changed

VIEW_PERMISSION = "cases.view_inburgeraar"
# Who gives cases to others in their municipality.
ASSIGNING_ROLES = (Role.TEAMLEIDER, Role.BEHEERDER)


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


class CaseClosedError(ValidationError):
    """The case is afgerond or beëindigd (or moved out of the region): it is read-only."""


def lock_editable_case(actor, case, *, allow_closed: bool = False) -> Inburgeraar:
    """The case (or case id) locked for update, or 404 when the actor may not change it.
    Every service that changes a case starts here: the one door for writes. A closed case
    (afgerond, beëindigd) is read-only: refused unless the caller only takes access away
    (`allow_closed`, e.g. ending a WerkSaam share)."""
    try:
        locked = (
            Inburgeraar.objects.editable_by(actor)
            .select_for_update(of=("self",))
            .select_related("municipality")
            .get(pk=getattr(case, "pk", case))
        )
    except Inburgeraar.DoesNotExist:
        raise Http404 from None
    if not allow_closed and locked.status in (CaseStatus.AFGEROND, CaseStatus.BEEINDIGD):
        raise CaseClosedError(
            _("Dit dossier is afgesloten (%(status)s) en kan niet meer worden gewijzigd.")
            % {"status": locked.get_status_display()}
        )
    return locked


def add_timeline(case, actor, kind: str, text: str) -> TimelineEvent:
    return TimelineEvent.objects.create(inburgeraar=case, actor=actor, kind=kind, text=text)


# --- Registration -------------------------------------------------------------------------------


def under_minimum_age_message(born, *, on) -> str | None:
    """The refusal for someone under 16 on `on` (not inburgeringsplichtig), else None. A 16th
    birthday today is 16: accepted."""
    if born is None or born > on or age_on(born, on) >= MINIMUM_AGE:
        return None
    return _(
        "Jonger dan 16 jaar: geboren %(born)s, %(age)s jaar op %(on)s. Wie jonger is dan 16 is "
        "niet inburgeringsplichtig en wordt niet ingeschreven."
    ) % {
        "born": born.strftime("%d-%m-%Y"),
        "age": age_on(born, on),
        "on": on.strftime("%d-%m-%Y"),
    }


def refuse_under_minimum_age(born, *, on) -> None:
    message = under_minimum_age_message(born, on=on)
    if message:
        raise ValidationError({"date_of_birth": message})


@transaction.atomic
def register_inburgeraar(actor, **data) -> Inburgeraar:
    """Register a person by hand. The form has validated the fields; the municipality must be one
    the actor works for."""
    municipality = data["municipality"]
    if (
        not Membership.objects.active()
        .filter(user=actor, organisation=municipality, role__in=CASE_ROLES)
        .exists()
    ):
        raise PermissionDenied
    case = Inburgeraar(**data)
    refuse_under_minimum_age(case.date_of_birth, on=timezone.localdate())
    case.full_clean()
    case.save()
    audit.created(actor, case, values={f: getattr(v, "pk", v) for f, v in data.items()})
    add_timeline(
        case, actor, "registratie", _("Ingeschreven in %(gemeente)s") % {"gemeente": municipality}
    )
    facts_changed(case)
    return case


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
    assign_perm(VIEW_PERMISSION, sender.group, case)
    audit.changed(
        actor,
        case,
        old={"municipality": sender.pk},
        new={"municipality": to_municipality.pk},
        reason=reason or audit.Reason.TRANSFER,
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
    facts_changed(case)
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
                remove_perm(VIEW_PERMISSION, transfer.from_municipality.group, case)
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


# --- The one write path for the case's own fields ---------------------------------------------------

# What `update_case` may change: the person's data and the dates the law hangs on, and the
# doelgroep. Status (a transition), municipality (a transfer) and caseworker (assign_caseworker)
# have their own services.
UPDATABLE_FIELDS = (
    *PERSON_FIELDS,
    *LEGAL_REPRESENTATIVE_FIELDS,
    *LEGAL_DATE_FIELDS,
    *LEERPLICHT_FIELDS,
    "doelgroep",
    "gedetailleerde_doelgroep",
)


def _value(value):
    return getattr(value, "pk", value)


@transaction.atomic
def update_case(
    actor, case, *, values: dict, expected_version: int | None = None, reason: str = ""
) -> Inburgeraar:
    """Change the case's own fields: permission, lock, validation, audit with old and new values,
    timeline, and the deadlines recomputed when a legal date moved, in one transaction."""
    unknown = set(values) - set(UPDATABLE_FIELDS)
    if unknown:
        raise ValidationError(
            _("Deze velden worden niet zo gewijzigd: %(fields)s.")
            % {"fields": ", ".join(sorted(unknown))}
        )
    locked = lock_editable_case(actor, case)
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEditError(None, locked.updated_at)
    old = {field: getattr(locked, field) for field in values}
    changed = {field: value for field, value in values.items() if old[field] != value}
    if not changed:
        return locked
    for field, value in changed.items():
        setattr(locked, field, value)
    locked.full_clean(exclude=["municipality", "caseworker"])
    locked.version += 1
    locked.save()
    audit.changed(
        actor,
        locked,
        old={f: _value(old[f]) for f in changed},
        new={f: _value(v) for f, v in changed.items()},
        reason=reason,
    )
    labels = ", ".join(str(Inburgeraar._meta.get_field(f).verbose_name) for f in sorted(changed))
    add_timeline(
        locked, actor, "gegevens", _("Gegevens gewijzigd: %(fields)s") % {"fields": labels}
    )
    if set(changed) & {*LEGAL_DATE_FIELDS, *LEERPLICHT_FIELDS}:
        facts_changed(locked)  # a postponed duty start moves the PIP deadline too
    return locked


def may_assign(actor, case, caseworker=None) -> bool:
    """Who gives a case to whom: a team lead (or beheerder) of the case's municipality gives it to
    anyone of the team or to nobody (reassignment on absence); a klantmanager takes an unassigned
    case for themselves ("aan mij toewijzen")."""
    memberships = Membership.objects.active().filter(
        user=actor, organisation_id=case.municipality_id
    )
    if memberships.filter(role__in=ASSIGNING_ROLES).exists():
        return True
    taking = caseworker is not None and caseworker.pk == actor.pk
    return (
        taking
        and case.caseworker_id in (None, actor.pk)
        and memberships.filter(role__in=CASE_ROLES).exists()
    )


@transaction.atomic
def assign_caseworker(actor, case, caseworker, *, reason: str = "") -> Inburgeraar:
    """Give the case to a klantmanager of its municipality (or to nobody); see `may_assign`."""
    locked = lock_editable_case(actor, case)
    if not may_assign(actor, locked, caseworker):
        raise PermissionDenied
    if caseworker is not None and not (
        Membership.objects.active()
        .filter(user=caseworker, organisation_id=locked.municipality_id, role__in=CASE_ROLES)
        .exists()
    ):
        raise ValidationError(
            _("%(who)s werkt niet voor %(gemeente)s.")
            % {"who": caseworker, "gemeente": locked.municipality}
        )
    old = locked.caseworker_id
    if old == getattr(caseworker, "pk", None):
        return locked
    locked.caseworker = caseworker
    locked.version += 1
    locked.save(update_fields=["caseworker", "version", "updated_at"])
    audit.changed(
        actor,
        locked,
        old={"caseworker": old},
        new={"caseworker": getattr(caseworker, "pk", None)},
        reason=reason,
    )
    text = (
        _("Toegewezen aan %(who)s") % {"who": caseworker}
        if caseworker
        else _("Niet meer toegewezen aan een klantmanager")
    )
    add_timeline(locked, actor, "toewijzing", text)
    return locked


# --- The household ----------------------------------------------------------------------------------

RECIPROCAL = {"partner": "partner", "kind": "ouder", "ouder": "kind"}


def _check_version(locked, expected_version):
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEditError(None, locked.updated_at)


@transaction.atomic
def add_household_member(
    actor, case, relative, relation: str, *, expected_version: int | None = None
) -> HouseholdLink:
    """Record a partner, child or parent who is an inburgeraar the actor can see. The other
    case gets the reciprocal link when the actor may change it too."""
    locked = lock_editable_case(actor, case)
    _check_version(locked, expected_version)
    if relation not in RECIPROCAL:
        raise ValidationError(_("Kies een relatie."))
    if not Inburgeraar.objects.visible_to(actor).filter(pk=relative.pk).exists():
        raise Http404
    if relative.pk == locked.pk:
        raise ValidationError(_("Een inburgeraar kan niet zijn of haar eigen gezinslid zijn."))
    if HouseholdLink.objects.filter(inburgeraar=locked, relative=relative).exists():
        raise ValidationError(
            _("%(naam)s staat al in het huishouden.") % {"naam": relative.full_name}
        )
    link = HouseholdLink.objects.create(inburgeraar=locked, relative=relative, relation=relation)
    locked.version += 1
    locked.save(update_fields=["version", "updated_at"])
    audit.changed(
        actor,
        locked,
        old={"household": None},
        new={"household": f"{relation}:{relative.pk}"},
    )
    add_timeline(
        locked,
        actor,
        "huishouden",
        _("Gezinslid toegevoegd: %(relatie)s %(naam)s")
        % {"relatie": link.get_relation_display().lower(), "naam": relative.full_name},
    )
    if (
        Inburgeraar.objects.editable_by(actor).filter(pk=relative.pk).exists()
        and not HouseholdLink.objects.filter(inburgeraar=relative, relative=locked).exists()
    ):
        HouseholdLink.objects.create(
            inburgeraar=relative, relative=locked, relation=RECIPROCAL[relation]
        )
        add_timeline(
            relative,
            actor,
            "huishouden",
            _("Gezinslid toegevoegd: %(relatie)s %(naam)s")
            % {
                "relatie": HouseholdLink.Relation(RECIPROCAL[relation]).label.lower(),
                "naam": locked.full_name,
            },
        )
    return link


@transaction.atomic
def remove_household_member(actor, case, link_id: int, *, expected_version=None) -> None:
    """End a household relation (both directions where the actor may change the other case)."""
    locked = lock_editable_case(actor, case)
    _check_version(locked, expected_version)
    link = HouseholdLink.objects.filter(pk=link_id, inburgeraar=locked).select_related("relative")
    link = link.first()
    if link is None:
        raise Http404
    relative = link.relative
    link.delete()
    locked.version += 1
    locked.save(update_fields=["version", "updated_at"])
    audit.changed(
        actor,
        locked,
        old={"household": f"{link.relation}:{relative.pk}"},
        new={"household": None},
    )
    add_timeline(
        locked,
        actor,
        "huishouden",
        _("Gezinslid verwijderd: %(naam)s") % {"naam": relative.full_name},
    )
    if Inburgeraar.objects.editable_by(actor).filter(pk=relative.pk).exists():
        HouseholdLink.objects.filter(inburgeraar=relative, relative=locked).delete()
