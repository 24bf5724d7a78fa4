"""Writes of the uitvoering: the only place that changes its records, whoever writes (the
dossier tab, the school's CSV upload, the API, the admin).

Each takes the acting user and goes through the one door for writes: a case write starts at
`cases.services.lock_editable_case` (404 outside the actor's scope, refused on a closed case);
a school's report starts at its own enrolment (`Enrolment.objects.for_school`). Then in one
transaction: validation, the record, the audit entry, the timeline, the deadlines
(`facts_changed`) and the webhook outbox.
"""

from __future__ import annotations

import hashlib
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from audit import events as audit
from cases.models import CaseStatus
from cases.services import CaseClosedError, ConcurrentEditError, add_timeline, lock_editable_case
from cases.signals import facts_changed
from cases.transitions import CASE_MACHINE, transition
from pip_plans import services as pip_services
from pip_plans.models import Pip, PipStatus, PipVersion, VersionReason
from webhooks import events as webhooks

from . import rules
from .models import (
    Afronding,
    Attendance,
    Completion,
    DossierSummary,
    Enrolment,
    ExamDecision,
    ExamResult,
    ProgressReview,
    Verlenging,
)

ENROLMENT_FIELDS = (
    "aanmelding_date",
    "school_intake_date",
    "actual_start",
    "planned_end",
    "contract_id",
    "hours_per_week",
    "taalschakeltraject",
    "alfabetisering",
    "contact_name",
    "contact_email",
    "map_provider",
    "map_start",
    "map_end",
    "pvt_provider",
    "pvt_start",
    "pvt_end",
    "no_fault_statement_on",
    "no_fault_statement",
)
ATTENDANCE_FIELDS = (
    "hours_present",
    "hours_excused",
    "hours_unexcused",
    "level_lezen",
    "level_luisteren",
    "level_schrijven",
    "level_spreken",
    "exam_ready",
)


def _plain(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, date):
        return value.isoformat()
    if value.__class__.__name__ == "Decimal":
        return str(value)
    return value


def latest_adopted_version(case) -> PipVersion | None:
    # With its language school: the tab's enrolment form starts from it (a query of its own).
    return (
        PipVersion.objects.filter(pip__inburgeraar=case, status=PipStatus.VASTGESTELD)
        .select_related("pip", "language_school")
        .order_by("-number")
        .first()
    )


def _adopted_pip(case) -> Pip:
    version = latest_adopted_version(case)
    if version is None:
        raise ValidationError(_("Het inburgeringsaanbod volgt op een vastgesteld PIP."))
    return version.pip


def _check_enrolment(case, enrolment: Enrolment) -> None:
    errors = {}
    if enrolment.actual_start and enrolment.actual_start < enrolment.aanmelding_date:
        errors["actual_start"] = _("De cursus kan niet starten vóór de aanmelding.")
    if (
        enrolment.planned_end
        and enrolment.actual_start
        and enrolment.planned_end < enrolment.actual_start
    ):
        errors["planned_end"] = _("Het geplande einde ligt vóór de start.")
    if enrolment.no_fault_statement_on and not enrolment.no_fault_statement.strip():
        errors["no_fault_statement"] = _("Schrijf de tekst van de verklaring.")
    if errors:
        raise ValidationError(errors)


# --- 1. enrolment ---------------------------------------------------------------------------------


@transaction.atomic
def enrol(actor, case, *, school, values: dict) -> Enrolment:
    """Record the inburgeringsaanbod of an adopted PIP with a language school."""
    case = lock_editable_case(actor, case)
    pip = _adopted_pip(case)
    unknown = set(values) - set(ENROLMENT_FIELDS)
    if unknown:
        raise ValidationError(_("Onbekende velden: %(f)s") % {"f": ", ".join(sorted(unknown))})
    enrolment = Enrolment(inburgeraar=case, pip=pip, school=school, updated_by=actor, **values)
    enrolment.full_clean()
    _check_enrolment(case, enrolment)
    enrolment.save()
    audit.created(actor, enrolment, values={k: _plain(v) for k, v in values.items()})
    add_timeline(
        case,
        actor,
        "uitvoering",
        _("Aangemeld bij %(school)s op %(date)s")
        % {"school": school, "date": enrolment.aanmelding_date.strftime("%d-%m-%Y")},
    )
    facts_changed(case)
    return enrolment


SCHOOL_ENROLMENT_FIELDS = ("school_intake_date", "actual_start", "planned_end", "hours_per_week")


@transaction.atomic
def update_enrolment(actor, enrolment, *, values: dict, expected_version: int | None = None):
    """Change the enrolment: the actual start date meets the course-start deadline."""
    case = lock_editable_case(actor, enrolment.inburgeraar_id)
    locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk, inburgeraar=case)
    return _change_enrolment(actor, case, locked, values, ENROLMENT_FIELDS, expected_version)


@transaction.atomic
def school_update_enrolment(
    actor, enrolment, *, values: dict, expected_version: int | None = None
) -> Enrolment:
    """The language school's own changes to its enrolment (its intake, the actual start, the
    planned end, the hours per week), from its API client or its staff. 404 on an enrolment
    that is not the school's; refused on a closed case."""
    locked = _enrolment_for_report(actor, getattr(enrolment, "pk", enrolment))
    return _change_enrolment(
        actor, locked.inburgeraar, locked, values, SCHOOL_ENROLMENT_FIELDS, expected_version
    )


def _change_enrolment(actor, case, locked, values, allowed, expected_version):
    if expected_version is not None and locked.version != expected_version:
        raise ConcurrentEditError(locked.updated_by, locked.updated_at)
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValidationError(_("Onbekende velden: %(f)s") % {"f": ", ".join(sorted(unknown))})
    old = {name: getattr(locked, name) for name in values}
    changed = {name: value for name, value in values.items() if old[name] != value}
    if not changed:
        return locked
    for name, value in changed.items():
        setattr(locked, name, value)
    locked.full_clean()
    _check_enrolment(case, locked)
    locked.version += 1
    locked.updated_by = actor
    locked.save()
    audit.changed(
        actor,
        locked,
        old={k: _plain(old[k]) for k in changed},
        new={k: _plain(v) for k, v in changed.items()},
    )
    if "actual_start" in changed and locked.actual_start:
        add_timeline(
            case,
            actor,
            "uitvoering",
            _("Cursus gestart op %(date)s bij %(school)s")
            % {"date": locked.actual_start.strftime("%d-%m-%Y"), "school": locked.school},
        )
    if "no_fault_statement_on" in changed and locked.no_fault_statement_on:
        add_timeline(
            case,
            actor,
            "uitvoering",
            _("Verklaring geen verwijtbaarheid (late cursusstart) afgegeven op %(date)s")
            % {"date": locked.no_fault_statement_on.strftime("%d-%m-%Y")},
        )
    facts_changed(case)
    return locked


_LOOK_UP = object()


def no_fault_status(case, enrolment, version=_LOOK_UP) -> dict:
    """For the tab: is the start late, for a statushouder, and is the statement issued?
    `version`: the case's latest adopted PIP version when the caller has it already (the tab
    read it once for all its enrolments), None when there is none."""
    if version is _LOOK_UP:
        version = latest_adopted_version(case)
    deadline = version.course_start_deadline if version else None
    applies = rules.no_fault_extension_applies(case.doelgroep, deadline, enrolment.actual_start)
    return {
        "deadline": deadline,
        "late": rules.course_start_late(deadline, enrolment.actual_start),
        "days_late": rules.days_late(deadline, enrolment.actual_start),
        "applies": applies,
        "statement_missing": applies and enrolment.no_fault_statement_on is None,
    }


# --- 2. attendance and progress --------------------------------------------------------------------


def _enrolment_for_report(actor, enrolment_id) -> Enrolment:
    """The enrolment locked for a report: a school's own, or one the actor may change the case
    of. 404 otherwise (never revealing a case the actor does not teach or work on)."""
    from cases.models import Inburgeraar

    rows = Enrolment.objects.select_for_update(of=("self",)).select_related("inburgeraar", "school")
    enrolment = rows.for_school(actor).filter(pk=enrolment_id).first()
    if enrolment is None:
        editable = Inburgeraar.objects.editable_by(actor).values("pk")
        enrolment = rows.filter(pk=enrolment_id, inburgeraar_id__in=editable).first()
    if enrolment is None:
        raise Http404
    if enrolment.inburgeraar.status in (CaseStatus.AFGEROND, CaseStatus.BEEINDIGD):
        raise CaseClosedError(_("Dit dossier is afgesloten; er kan niets meer worden gemeld."))
    return enrolment


def _check_attendance(period_start, period_end, values) -> None:
    errors = {}
    if period_end < period_start:
        errors["period_end"] = _("Het einde van de periode ligt vóór het begin.")
    for name in ("hours_present", "hours_excused", "hours_unexcused"):
        if values.get(name) is not None and values[name] < 0:
            errors[name] = _("Uren kunnen niet negatief zijn.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def report_attendance(
    actor, enrolment, *, period_start, period_end, values: dict, source=Attendance.Source.HAND
) -> Attendance:
    """Attendance and progress for one period; a second report of the same period replaces it."""
    enrolment = _enrolment_for_report(actor, getattr(enrolment, "pk", enrolment))
    unknown = set(values) - set(ATTENDANCE_FIELDS)
    if unknown:
        raise ValidationError(_("Onbekende velden: %(f)s") % {"f": ", ".join(sorted(unknown))})
    _check_attendance(period_start, period_end, values)
    report = Attendance.objects.filter(
        enrolment=enrolment, period_start=period_start, period_end=period_end
    ).first()
    created = report is None
    old = {} if created else {k: _plain(getattr(report, k)) for k in values}
    if created:
        report = Attendance(enrolment=enrolment, period_start=period_start, period_end=period_end)
    for name, value in values.items():
        setattr(report, name, value)
    report.source = source
    report.reported_by = actor
    report.full_clean()
    report.save()
    new = {k: _plain(v) for k, v in values.items()}
    if created:
        audit.created(actor, report, values=new, reason=str(source))
    else:
        audit.changed(actor, report, old=old, new=new, reason=str(source))
    add_timeline(
        enrolment.inburgeraar,
        actor,
        "presentie",
        _(
            "Presentie %(period)s gemeld door %(school)s: %(present)s uur aanwezig, %(unexcused)s uur ongeoorloofd verzuim"
        )
        % {
            "period": f"{period_start:%d-%m-%Y} t/m {period_end:%d-%m-%Y}",
            "school": enrolment.school,
            "present": report.hours_present,
            "unexcused": report.hours_unexcused,
        },
    )
    return report


@transaction.atomic
def import_attendance(actor, rows) -> int:
    """The valid rows of a school's CSV (csv_reports.parse), in one transaction; rows with
    errors are left out (the preview named them). Returns the number written."""
    written = 0
    for row in rows:
        if row.errors or row.enrolment_id is None:
            continue
        values = {k: v for k, v in row.cleaned.items() if k not in ("period_start", "period_end")}
        report_attendance(
            actor,
            row.enrolment_id,
            period_start=row.cleaned["period_start"],
            period_end=row.cleaned["period_end"],
            values=values,
            source=Attendance.Source.CSV,
        )
        written += 1
    return written


# --- 3. voortgangsgesprekken ------------------------------------------------------------------------

REVIEW_FIELDS = (
    "held_on",
    "participants",
    "language_discussed",
    "language_agreed",
    "work_discussed",
    "work_agreed",
    "participation_discussed",
    "participation_agreed",
    "actions",
    "next_review_on",
    "new_pip_version",
)


def new_version_reason(review: ProgressReview) -> str:
    """The prefilled reason of a PIP version that follows from a review."""
    agreed = "; ".join(
        text.strip()
        for text in (review.language_agreed, review.work_agreed, review.participation_agreed)
        if text.strip()
    )
    text = _("Naar aanleiding van het voortgangsgesprek van %(date)s.") % {
        "date": review.held_on.strftime("%d-%m-%Y")
    }
    return f"{text} {agreed}".strip()


@transaction.atomic
def record_review(actor, case, *, values: dict) -> ProgressReview:
    """A voortgangsgesprek held: it meets its deadline and sets the next one. With
    `new_pip_version` it opens a new PIP version with the reason prefilled."""
    case = lock_editable_case(actor, case)
    _adopted_pip(case)
    unknown = set(values) - set(REVIEW_FIELDS)
    if unknown:
        raise ValidationError(_("Onbekende velden: %(f)s") % {"f": ", ".join(sorted(unknown))})
    review = ProgressReview(inburgeraar=case, author=actor, **values)
    review.full_clean()
    if review.next_review_on and review.next_review_on <= review.held_on:
        raise ValidationError({"next_review_on": _("Het volgende gesprek ligt na dit gesprek.")})
    review.save()
    audit.created(actor, review, values={"held_on": review.held_on.isoformat()})
    add_timeline(
        case,
        actor,
        "voortgang",
        _("Voortgangsgesprek gehouden op %(date)s") % {"date": review.held_on.strftime("%d-%m-%Y")},
    )
    if review.new_pip_version:
        pip_services.new_version(
            actor,
            _adopted_pip(case),
            reason=VersionReason.OVERIG,
            reason_text=new_version_reason(review),
        )
    facts_changed(case)
    return review


# --- 4. exams ---------------------------------------------------------------------------------------


@transaction.atomic
def record_exam_result(actor, case, *, values: dict) -> ExamResult:
    case = lock_editable_case(actor, case)
    result = ExamResult(inburgeraar=case, recorded_by=actor, **values)
    result.full_clean()
    result.save()
    audit.created(actor, result, values={k: _plain(v) for k, v in values.items()})
    add_timeline(
        case,
        actor,
        "examen",
        _("Examenresultaat %(part)s (%(date)s): %(result)s")
        % {
            "part": result.get_onderdeel_display(),
            "date": result.exam_date.strftime("%d-%m-%Y"),
            "result": result.get_result_display(),
        },
    )
    webhooks.emit(
        "exam_result.recorded",
        case=case,
        key=f"exam_result.recorded:{result.pk}",
        data={
            "exam_result": result.pk,
            "onderdeel": result.onderdeel,
            "level": result.level,
            "result": result.result,
            "exam_date": result.exam_date.isoformat(),
        },
    )
    return result


@transaction.atomic
def import_exam_results(actor, rows) -> int:
    """The valid rows of DUO's results CSV (csv_exams.parse), in one transaction, each through
    record_exam_result (the case's write door, audit, timeline, webhook); rows with errors are
    left out (the preview named them). Returns the number written."""
    written = 0
    for row in rows:
        if row.errors or row.case_id is None:
            continue
        record_exam_result(actor, row.case_id, values=dict(row.cleaned))
        written += 1
    return written


@transaction.atomic
def record_exam_decision(actor, case, *, values: dict) -> ExamDecision:
    case = lock_editable_case(actor, case)
    decision = ExamDecision(inburgeraar=case, recorded_by=actor, **values)
    decision.full_clean()
    decision.save()
    audit.created(actor, decision, values={k: _plain(v) for k, v in values.items()})
    add_timeline(
        case,
        actor,
        "examen",
        _("%(kind)s %(part)s door DUO op %(date)s")
        % {
            "kind": decision.get_kind_display(),
            "part": decision.get_onderdeel_display(),
            "date": decision.decided_on.strftime("%d-%m-%Y"),
        },
    )
    return decision


def statuses_for(case, route: str | None = None, *, results=None, decisions=None) -> dict:
    """Each onderdeel's status. `results` and `decisions`: the case's exam results and
    decisions when the caller has read them already (the tab shows them too)."""
    if route is None:
        version = latest_adopted_version(case)
        route = version.route if version else "B1"
    if results is None:
        results = list(ExamResult.objects.filter(inburgeraar=case))
    if decisions is None:
        decisions = list(ExamDecision.objects.filter(inburgeraar=case))
    return rules.part_statuses(route, list(results), list(decisions))


# --- 5. MAP and PVT ---------------------------------------------------------------------------------


@transaction.atomic
def record_completion(actor, case, *, part: str, values: dict) -> Completion:
    case = lock_editable_case(actor, case)
    version = latest_adopted_version(case)
    if part == Completion.Part.MAP and version and not rules.needs_map(version.route):
        raise ValidationError(_("De onderwijsroute kent geen MAP."))
    completion = Completion(inburgeraar=case, part=part, recorded_by=actor, **values)
    if completion.result == Completion.Result.NIET_VOLDAAN:
        errors = {}
        if not completion.reason_not_met.strip():
            errors["reason_not_met"] = _("Geef de reden waarom niet (succesvol) is voldaan.")
        if completion.verwijtbaar is None:
            errors["verwijtbaar"] = _("Geef aan of het verwijtbaar is.")
        if errors:
            raise ValidationError(errors)
    else:
        completion.reason_not_met, completion.verwijtbaar = "", None
    completion.full_clean()
    completion.save()
    audit.created(actor, completion, values={k: _plain(v) for k, v in values.items()})
    add_timeline(
        case,
        actor,
        "uitvoering",
        _("%(part)s afgerond op %(date)s: %(result)s")
        % {
            "part": completion.get_part_display(),
            "date": completion.on.strftime("%d-%m-%Y"),
            "result": completion.get_result_display(),
        },
    )
    return completion


# --- 6. verlenging ----------------------------------------------------------------------------------


@transaction.atomic
def request_verlenging(actor, case, *, grond: str, requested_on: date, toelichting=""):
    case = lock_editable_case(actor, case)
    pip = _adopted_pip(case)
    if not rules.verlenging_request_allowed(pip.termijn_start, requested_on):
        raise ValidationError(
            {
                "requested_on": _(
                    "Een verlenging kan pas worden aangevraagd als de termijn 2,5 jaar loopt: vanaf %(date)s."
                )
                % {"date": rules.verlenging_from(pip.termijn_start).strftime("%d-%m-%Y")}
            }
        )
    if Verlenging.objects.filter(inburgeraar=case, decision=Verlenging.Decision.OPEN).exists():
        raise ValidationError(_("Er loopt al een aanvraag verlenging."))
    request = Verlenging(
        inburgeraar=case, grond=grond, requested_on=requested_on, toelichting=toelichting
    )
    request.full_clean()
    request.save()
    audit.created(actor, request, values={"grond": grond, "requested_on": requested_on.isoformat()})
    add_timeline(
        case,
        actor,
        "verlenging",
        _("Verlenging aangevraagd bij DUO op %(date)s")
        % {"date": requested_on.strftime("%d-%m-%Y")},
    )
    return request


@transaction.atomic
def decide_verlenging(actor, request, *, decision: str, decided_on: date, new_end=None):
    """DUO's decision. Toegekend: the new end date replaces the termijn's end, and its deadlines
    move, through pip_plans.services.move_termijn_end in this transaction."""
    case = lock_editable_case(actor, request.inburgeraar_id)
    request = Verlenging.objects.select_for_update().get(pk=request.pk, inburgeraar=case)
    if request.decision != Verlenging.Decision.OPEN:
        raise ValidationError(_("Op deze aanvraag is al beslist."))
    if decision not in (Verlenging.Decision.TOEGEKEND, Verlenging.Decision.AFGEWEZEN):
        raise ValidationError({"decision": _("Kies toegekend of afgewezen.")})
    if decided_on < request.requested_on:
        raise ValidationError({"decided_on": _("Het besluit ligt na de aanvraag.")})
    pip = _adopted_pip(case)
    request.previous_end = pip.termijn_end
    if decision == Verlenging.Decision.TOEGEKEND:
        if new_end is None:
            raise ValidationError({"new_end": _("Vul de nieuwe einddatum van de termijn in.")})
        pip_services.move_termijn_end(actor, pip, new_end=new_end, reason=_("verlenging door DUO"))
        request.new_end = new_end
    request.decision = decision
    request.decided_on = decided_on
    request.save()
    audit.changed(
        actor,
        request,
        old={"decision": Verlenging.Decision.OPEN},
        new={"decision": decision, "new_end": _plain(new_end)},
    )
    if decision == Verlenging.Decision.AFGEWEZEN:
        add_timeline(case, actor, "verlenging", _("Verlenging afgewezen door DUO"))
    return request


# --- 7. afronding and ending -------------------------------------------------------------------------


@transaction.atomic
def close_case(
    actor,
    case,
    *,
    outcome: str,
    on: date,
    end_reason: str = "",
    moved_to: str = "",
    z_final_conversation_on: date | None = None,
    notes: str = "",
) -> Afronding:
    """Voldaan, niet voldaan or beëindigd: the only way a case reaches Afgerond or Beëindigd."""
    case = lock_editable_case(actor, case)
    version = latest_adopted_version(case)
    pip = version.pip if version else None
    Outcome = Afronding.Outcome
    if outcome in (Outcome.VOLDAAN, Outcome.NIET_VOLDAAN) and version is None:
        raise ValidationError(_("Afronden kan pas na een vastgesteld PIP; kies beëindigen."))
    if outcome == Outcome.VOLDAAN:
        missing = rules.voldaan_missing(
            version.route,
            statuses_for(case, version.route),
            list(Completion.objects.filter(inburgeraar=case)),
            z_final_conversation_on,
        )
        if missing:
            raise ValidationError(
                _("Nog niet voldaan: %(missing)s.")
                % {"missing": ", ".join(str(m) for m in missing)}
            )
    elif outcome == Outcome.NIET_VOLDAAN:
        if not rules.niet_voldaan_allowed(pip.termijn_end, on):
            raise ValidationError(
                {
                    "on": _(
                        "Niet voldaan wordt vastgesteld na het einde van de termijn (t/m %(end)s)."
                    )
                    % {"end": pip.termijn_end.strftime("%d-%m-%Y") if pip.termijn_end else "—"}
                }
            )
    elif outcome == Outcome.BEEINDIGD:
        if end_reason not in Afronding.EndReason.values:
            raise ValidationError({"end_reason": _("Kies de reden van de beëindiging.")})
        if end_reason == Afronding.EndReason.VERHUISD and not moved_to.strip():
            raise ValidationError(
                {"moved_to": _("Naar welke gemeente is de inburgeraar verhuisd?")}
            )
        if (
            end_reason == Afronding.EndReason.VERHUISD
            and not DossierSummary.objects.filter(inburgeraar=case).exists()
        ):
            raise ValidationError(
                {
                    "end_reason": _(
                        "Een verhuizing buiten de regio gaat met de dossieroverdracht (PDF): kies 'Verhuizen buiten de regio'."
                    )
                }
            )
    else:
        raise ValidationError({"outcome": _("Kies een uitkomst.")})
    afronding = Afronding(
        inburgeraar=case,
        outcome=outcome,
        on=on,
        end_reason=end_reason if outcome == Outcome.BEEINDIGD else "",
        moved_to=moved_to.strip() if end_reason == Afronding.EndReason.VERHUISD else "",
        handed_to_handhaving=outcome == Outcome.NIET_VOLDAAN,
        z_final_conversation_on=z_final_conversation_on,
        notes=notes,
        retention_until=rules.retention_until(on),
        actor=actor,
    )
    afronding.full_clean()
    afronding.save()
    audit.created(actor, afronding, values={"outcome": outcome, "on": on.isoformat()})
    status = CaseStatus.BEEINDIGD if outcome == Outcome.BEEINDIGD else CaseStatus.AFGEROND
    label = afronding.get_outcome_display()
    if afronding.end_reason:
        label = f"{label}: {afronding.get_end_reason_display()}"
    if afronding.moved_to:
        label = _("Verhuisd naar %(gemeente)s") % {"gemeente": afronding.moved_to}
    transition(
        CASE_MACHINE,
        case,
        status,
        actor=actor,
        case=case,
        timeline=_("%(label)s op %(date)s; bewaren t/m %(until)s")
        % {
            "label": label,
            "date": on.strftime("%d-%m-%Y"),
            "until": afronding.retention_until.strftime("%d-%m-%Y"),
        },
        reason=outcome,
        closing=True,
    )
    webhooks.emit(
        "afronding.recorded",
        case=case,
        key=f"afronding.recorded:{afronding.pk}",
        data={
            "outcome": outcome,
            "on": on.isoformat(),
            "end_reason": afronding.end_reason,
            "handed_to_handhaving": afronding.handed_to_handhaving,
        },
    )
    facts_changed(case)
    return afronding


# --- 8. moving out of the region ---------------------------------------------------------------------


@transaction.atomic
def move_out_of_region(actor, case, *, moved_to: str, on: date, notes: str = "") -> Afronding:
    """The overdracht to a municipality outside Westfriesland: first the PDF dossier summary for
    the receiving municipality (with the deadlines still open), then the case ends as
    "verhuisd naar <gemeente>" and is read-only."""
    from . import documents

    locked = lock_editable_case(actor, case)
    if not moved_to.strip():
        raise ValidationError({"moved_to": _("Naar welke gemeente is de inburgeraar verhuisd?")})
    pdf = documents.render_summary(locked, receiving=moved_to.strip(), on=on)
    summary = DossierSummary(
        inburgeraar=locked,
        receiving_municipality=moved_to.strip(),
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
    )
    summary.file.save(f"dossier-{locked.pk}.pdf", ContentFile(pdf), save=False)
    summary.save()
    audit.created(actor, summary, values={"receiving_municipality": summary.receiving_municipality})
    return close_case(
        actor,
        locked,
        outcome=Afronding.Outcome.BEEINDIGD,
        on=on,
        end_reason=Afronding.EndReason.VERHUISD,
        moved_to=moved_to,
        notes=notes,
    )
