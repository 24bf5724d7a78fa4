"""Writes on the PIP: drafting, submitting, adopting with four eyes, new versions.

Every function checks access through the one door, runs in one transaction, applies the rules of
pip_plans.rules, writes the audit entry and a timeline event, and queues work after commit. The
version's status moves only along `VERSION_MACHINE`, through `cases.transitions.transition`.
Adoption writes its webhook events to the outbox in its own transaction (webhooks.events), so a
broker outage delays them but never loses them.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import events as audit
from cases.addressee import require_addressee
from cases.models import CaseStatus
from cases.services import ConcurrentEditError, add_timeline, lock_editable_case
from cases.signals import facts_changed
from cases.transitions import Machine, move_case, moves, transition
from intake.models import IntakeState
from intake.services import route_advice
from municipalities.models import Role
from municipalities.selectors import has_role
from webhooks import events as webhooks

from . import rules
from .models import Pip, PipStatus, PipVersion, VersionReason

VERSION_MACHINE = Machine(
    name="pip",
    field="status",
    choices=PipStatus,
    moves=moves(
        {
            PipStatus.CONCEPT: (PipStatus.TER_VASTSTELLING,),
            # Back to concept: returned by the team lead, or taken back by the author's side.
            PipStatus.TER_VASTSTELLING: (PipStatus.VASTGESTELD, PipStatus.CONCEPT),
            PipStatus.VASTGESTELD: (),
        }
    ),
)

# Fields a caseworker edits in a draft (everything in the decision except the workflow fields).
CONTENT_FIELDS = [
    "route",
    "route_reason",
    "age_reason",
    "level_lezen",
    "level_luisteren",
    "level_schrijven",
    "level_spreken",
    "knm",
    "course_hours_followed",
    "z_hours_language",
    "z_hours_participation",
    "map_hours",
    "map_intensity",
    "pvt_hours",
    "pvt_planned_signing",
    "hoofddoel",
    "goal_language",
    "goal_language_date",
    "goal_work",
    "goal_work_date",
    "goal_participation",
    "goal_participation_date",
    "development_goals",
    "language_school",
    "course_start",
    "alfabetisering",
    "taalschakeltraject",
    "contract_id",
    "begeleiding",
    "maatschappelijke_begeleiding",
    "unburdening",
    "unburdening_rent",
    "unburdening_energy",
    "unburdening_insurance",
    "unburdening_start",
    "childcare",
    "contact_name",
    "contact_email",
    "other_agreements",
    "reason_text",
]


def _locked_version(actor, version) -> PipVersion:
    case = lock_editable_case(actor, version.pip.inburgeraar_id)
    return (
        PipVersion.objects.select_for_update(of=("self",))
        .select_related("pip__inburgeraar", "language_school")
        .get(pk=version.pk, pip__inburgeraar=case)
    )


def latest_adopted(pip) -> PipVersion | None:
    return pip.versions.filter(status=PipStatus.VASTGESTELD).order_by("-number").first()


# --- drafting ------------------------------------------------------------------------------------


@transaction.atomic
def open_draft_from_intake(actor, intake) -> PipVersion:
    """A completed intake opens the first PIP draft, prefilled from what the intake recorded."""
    case = lock_editable_case(actor, intake.inburgeraar_id)
    if intake.state != IntakeState.AFGEROND:
        raise ValidationError(_("Een PIP-concept volgt op een afgeronde brede intake."))
    pip, _created = Pip.objects.get_or_create(inburgeraar=case)
    if pip.versions.exists():
        return pip.versions.order_by("-number").first()
    advice = route_advice(intake, on=intake.einddatum)
    route = intake.chosen_route
    values = {
        "route": route,
        "advised_route": advice.route or "",
        "route_reason": intake.route_deviation_reason,
        **rules.default_levels(route),
        "map_hours": None if route == "ONDERWIJS" else rules.MAP_MIN_HOURS,
        "pvt_hours": rules.PVT_MIN_HOURS,
        "z_hours_language": rules.Z_ROUTE_HOURS if route == "Z" else None,
        "z_hours_participation": rules.Z_ROUTE_HOURS
        if route == "Z" and case.doelgroep == "asielstatushouder"
        else None,
        "maatschappelijke_begeleiding": case.doelgroep == "asielstatushouder",
        "development_goals": "\n".join(
            f"{point.get_kind_display()}: {point.description}"
            for point in intake.development_points.all()
        ),
        "alfabetisering": intake.highest_education == "geen",
        "without_input": intake.pip_without_input,
        "contact_name": actor.get_full_name(),
        "contact_email": actor.email,
    }
    version = PipVersion.objects.create(pip=pip, number=1, author=actor, updated_by=actor, **values)
    audit.created(actor, version)
    add_timeline(case, actor, "pip", _("PIP-concept (versie 1) geopend"))
    return version


@transaction.atomic
def save_draft(actor, version, *, expected_version: int, values: dict) -> PipVersion:
    version = _locked_version(actor, version)
    if not version.is_editable:
        raise ValidationError(_("Alleen een concept kan worden gewijzigd."))
    if version.version != expected_version:
        raise ConcurrentEditError(version.updated_by, version.updated_at)
    unknown = set(values) - set(CONTENT_FIELDS)
    if unknown:
        raise ValidationError(
            _("Onbekende velden: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    old = {name: _value(getattr(version, name)) for name in values}
    for name, value in values.items():
        setattr(version, name, value)
    version.full_clean(exclude=["pip", "author", "submitted_by", "adopted_by", "updated_by"])
    new = {name: _value(value) for name, value in values.items()}
    if old != new:
        version.version += 1
        version.updated_by = actor
        version.save()
        audit.changed(actor, version, old=old, new=new)
    return version


def _value(value):
    return value.pk if hasattr(value, "pk") else value


# --- facts from the apps built on the PIP (uitvoering), so pip_plans never imports them ---------

_COURSE_HOURS_SOURCES: list = []
_PART_STATUS_SOURCES: list = []


def register_course_hours_source(source) -> None:
    """`source(case_id)` -> the course hours recorded for the case (attendance), or None."""
    if source not in _COURSE_HOURS_SOURCES:
        _COURSE_HOURS_SOURCES.append(source)


def register_part_status_source(source) -> None:
    """`source(case_id)` -> {exam part: (status code, label)} for the PIP tab (a passed part)."""
    if source not in _PART_STATUS_SOURCES:
        _PART_STATUS_SOURCES.append(source)


def recorded_course_hours(case_id) -> int | None:
    found = [hours for source in _COURSE_HOURS_SOURCES if (hours := source(case_id)) is not None]
    return max(found, default=None)


def part_statuses(case_id) -> dict:
    statuses: dict = {}
    for source in _PART_STATUS_SOURCES:
        statuses.update(source(case_id))
    return statuses


def check_version(version, *, on=None):
    pip = version.pip
    previous = latest_adopted(pip)
    return rules.check(
        version,
        pip.inburgeraar,
        previous_adopted=previous if previous and previous.pk != version.pk else None,
        first_dagtekening=pip.dagtekening_initiele_pip,
        on=on or timezone.localdate(),
        recorded_hours=recorded_course_hours(pip.inburgeraar_id),
    )


@transaction.atomic
def move_termijn_end(actor, pip, *, new_end, reason: str) -> Pip:
    """DUO's verlenging: the termijn's end moves (never its start), audited, on the timeline, and
    the deadlines follow in the same transaction."""
    case = lock_editable_case(actor, pip.inburgeraar_id)
    pip = Pip.objects.select_for_update().get(pk=pip.pk, inburgeraar=case)
    if pip.termijn_end is None:
        raise ValidationError(_("Er is nog geen inburgeringstermijn."))
    if new_end <= pip.termijn_end:
        raise ValidationError(
            _("De nieuwe einddatum moet na het huidige einde van de termijn (%(end)s) liggen.")
            % {"end": pip.termijn_end.strftime("%d-%m-%Y")}
        )
    old = pip.termijn_end
    pip.termijn_end = new_end
    pip.save(update_fields=["termijn_end"])
    audit.changed(
        actor,
        pip,
        old={"termijn_end": old.isoformat()},
        new={"termijn_end": new_end.isoformat()},
        reason=reason,
    )
    add_timeline(
        case,
        actor,
        "verlenging",
        _("Inburgeringstermijn verlengd: einde t/m %(new)s (was t/m %(old)s)")
        % {"new": new_end.strftime("%d-%m-%Y"), "old": old.strftime("%d-%m-%Y")},
    )
    facts_changed(case)
    return pip


def _raise_if_blocked(version):
    blocking = rules.blocking_messages(check_version(version))
    if blocking:
        raise ValidationError(blocking)


# --- four eyes -----------------------------------------------------------------------------------


@transaction.atomic
def submit(actor, version, *, base_url: str = "") -> PipVersion:
    """Ter vaststelling aanbieden: the draft must satisfy every rule. After commit the team leads
    of the municipality are told (pip_submitted; `base_url` is the address links should use)."""
    version = _locked_version(actor, version)
    if version.status != PipStatus.CONCEPT:
        raise ValidationError(_("Alleen een concept kan ter vaststelling worden aangeboden."))
    _raise_if_blocked(version)
    version.submitted_by = actor
    version.submitted_at = timezone.now()
    version.return_comment = ""
    transition(
        VERSION_MACHINE,
        version,
        PipStatus.TER_VASTSTELLING,
        actor=actor,
        case=version.pip.inburgeraar,
        timeline=_("PIP versie %(n)s ter vaststelling aangeboden") % {"n": version.number},
        save_fields=("submitted_by", "submitted_at", "return_comment"),
    )
    version_pk, actor_pk = version.pk, actor.pk
    transaction.on_commit(lambda: _after_submission(version_pk, actor_pk, base_url))
    return version


def _after_submission(version_pk: int, actor_pk: int, base_url: str) -> None:
    from .signals import pip_submitted

    pip_submitted.send(
        sender=PipVersion, version_pk=version_pk, actor_pk=actor_pk, base_url=base_url
    )


def may_adopt(user, version) -> bool:
    """A team lead of the case's municipality who neither wrote nor submitted this version."""
    if user.pk in (version.author_id, version.submitted_by_id):
        return False
    return has_role(user, Role.TEAMLEIDER, organisation=version.pip.inburgeraar.municipality_id)


def _check_team_lead(actor, version):
    if not may_adopt(actor, version):
        if actor.pk in (version.author_id, version.submitted_by_id):
            raise PermissionDenied(
                _("Vier ogen: wie het PIP opstelde of aanbood, kan het niet zelf vaststellen.")
            )
        raise PermissionDenied(_("Alleen een teamleider van de gemeente kan een PIP vaststellen."))


@transaction.atomic
def return_with_comment(actor, version, *, comment: str) -> PipVersion:
    version = _locked_version(actor, version)
    if version.status != PipStatus.TER_VASTSTELLING:
        raise ValidationError(
            _("Alleen een PIP die ter vaststelling ligt, kan worden teruggestuurd.")
        )
    _check_team_lead(actor, version)
    if not comment.strip():
        raise ValidationError(_("Schrijf een opmerking bij het terugsturen."))
    version.return_comment = comment
    transition(
        VERSION_MACHINE,
        version,
        PipStatus.CONCEPT,
        actor=actor,
        case=version.pip.inburgeraar,
        timeline=_("PIP versie %(n)s teruggestuurd: %(comment)s")
        % {"n": version.number, "comment": comment},
        reason=comment,
        save_fields=("return_comment",),
    )
    return version


@transaction.atomic
def withdraw(actor, version) -> PipVersion:
    """Terugnemen: the author's side takes a submitted version back to concept (for instance when
    the only team lead wrote it and so may not adopt it)."""
    version = _locked_version(actor, version)
    if version.status != PipStatus.TER_VASTSTELLING:
        raise ValidationError(
            _("Alleen een PIP die ter vaststelling ligt, kan worden teruggenomen.")
        )
    transition(
        VERSION_MACHINE,
        version,
        PipStatus.CONCEPT,
        actor=actor,
        case=version.pip.inburgeraar,
        timeline=_("PIP versie %(n)s teruggenomen") % {"n": version.number},
    )
    return version


@transaction.atomic
def adopt(actor, version, *, dagtekening=None) -> PipVersion:
    """Vaststellen: the version becomes a decision. The first adoption starts the termijn."""
    version = _locked_version(actor, version)
    if version.status != PipStatus.TER_VASTSTELLING:
        raise ValidationError(
            _("Alleen een PIP die ter vaststelling ligt, kan worden vastgesteld.")
        )
    _check_team_lead(actor, version)
    _raise_if_blocked(version)
    dagtekening = dagtekening or timezone.localdate()
    # The beschikking of a minor goes to the legal representative: without one, no decision.
    require_addressee(version.pip.inburgeraar, on=dagtekening)
    pip = Pip.objects.select_for_update().get(pk=version.pip_id)
    if pip.dagtekening_initiele_pip is None:
        pip.dagtekening_initiele_pip = dagtekening
        pip.termijn_start, pip.termijn_end = rules.termijn(dagtekening)
        pip.save(update_fields=["dagtekening_initiele_pip", "termijn_start", "termijn_end"])
    version.adopted_by = actor
    version.adopted_at = timezone.now()
    version.dagtekening = dagtekening
    version.bezwaar_deadline = rules.bezwaar_deadline(dagtekening)
    version.course_start_deadline = rules.course_start_deadline(dagtekening, version.route)
    case = pip.inburgeraar
    # The last save before the version is frozen.
    transition(
        VERSION_MACHINE,
        version,
        PipStatus.VASTGESTELD,
        actor=actor,
        case=case,
        timeline=_("PIP versie %(n)s vastgesteld met dagtekening %(date)s")
        % {"n": version.number, "date": dagtekening.strftime("%d-%m-%Y")},
        save_fields=(
            "adopted_by",
            "adopted_at",
            "dagtekening",
            "bezwaar_deadline",
            "course_start_deadline",
        ),
    )
    move_case(actor, case, CaseStatus.UITVOERING)
    adoption_events(version, case)
    transaction.on_commit(lambda: _after_adoption(version.pk))
    facts_changed(case)
    return version


def adoption_events(version, case) -> None:
    """The webhook events of an adoption, in the adoption's own transaction (the outbox): a PIP
    event, and a route switch when the route differs from the previous adopted version's."""
    previous = (
        PipVersion.objects.filter(
            pip_id=version.pip_id, status=PipStatus.VASTGESTELD, number__lt=version.number
        )
        .order_by("-number")
        .first()
    )
    data = {
        "pip": version.pip_id,
        "version": version.number,
        "route": version.route,
        "dagtekening": version.dagtekening.isoformat() if version.dagtekening else None,
    }
    webhooks.emit("pip.adopted", case=case, key=f"pip.adopted:{version.pk}", data=data)
    if previous is not None and previous.route != version.route:
        webhooks.emit(
            "pip.route_switched",
            case=case,
            key=f"pip.route_switched:{version.pk}",
            data={**data, "previous_route": previous.route},
        )


def _after_adoption(version_pk: int) -> None:
    """After commit: the PDFs (a failure to queue them is logged and the sweep retries)."""
    from .signals import pip_adopted

    pip_adopted.send(sender=PipVersion, version_pk=version_pk)


# --- new versions --------------------------------------------------------------------------------


@transaction.atomic
def new_version(actor, pip, *, reason: str, reason_text: str = "") -> PipVersion:
    """A change to an adopted PIP: a copy of the latest adopted version, to be adopted again.
    The termijn never moves."""
    case = lock_editable_case(actor, pip.inburgeraar_id)
    pip = Pip.objects.select_for_update().get(pk=pip.pk, inburgeraar=case)
    if reason not in VersionReason.values or reason == VersionReason.INITIAL:
        raise ValidationError(_("Kies de reden voor de nieuwe versie."))
    if pip.versions.exclude(status=PipStatus.VASTGESTELD).exists():
        raise ValidationError(_("Er is al een versie in voorbereiding."))
    base = latest_adopted(pip)
    if base is None:
        raise ValidationError(_("Een nieuwe versie volgt op een vastgesteld PIP."))
    values = {name: getattr(base, name) for name in CONTENT_FIELDS if name != "reason_text"}
    values.update({"advised_route": base.advised_route, "without_input": base.without_input})
    version = PipVersion.objects.create(
        pip=pip,
        number=base.number + 1,
        reason=reason,
        reason_text=reason_text,
        author=actor,
        updated_by=actor,
        **values,
    )
    audit.created(actor, version, reason=reason)
    add_timeline(
        case,
        actor,
        "pip",
        _("Nieuwe PIP-versie %(n)s geopend: %(reason)s")
        % {"n": version.number, "reason": version.get_reason_display()},
    )
    facts_changed(case)
    return version


def compare(left: PipVersion, right: PipVersion) -> list[dict]:
    """Side by side: every content field with both values and whether it differs."""
    rows = []
    for name in ["route", *[f for f in CONTENT_FIELDS if f != "route"]]:
        field = PipVersion._meta.get_field(name)
        a, b = _display(left, field), _display(right, field)
        rows.append({"label": field.verbose_name, "left": a, "right": b, "changed": a != b})
    return rows


def _display(version, field) -> str:
    value = getattr(version, field.name)
    if field.choices:
        return getattr(version, f"get_{field.name}_display")() or "—"
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if value is None or value == "":
        return "—"
    if hasattr(value, "strftime"):
        return value.strftime("%d-%m-%Y")
    return str(value)
