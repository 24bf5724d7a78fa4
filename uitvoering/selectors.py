"""Reads of the uitvoering, already scoped: a case's records through the one door, a school's
through its own enrolments, the verzuim signals of Vandaag and the Stuurinformatie figures."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db.models import OuterRef, Subquery, Sum

from cases.collation import by_name
from cases.models import Inburgeraar
from cases.selectors import own_case_ids
from municipalities.models import Organisation, Role
from municipalities.selectors import request_holds
from pip_plans.models import PipStatus, PipVersion

from . import rules
from .models import (
    Afronding,
    Attendance,
    Enrolment,
    ExamResult,
    VerzuimThreshold,
)

SIGNAL_WEEKS = 8  # Vandaag shows the verzuim signals of periods ending in the last eight weeks


def works_for_a_school(request) -> bool:
    """Whether the request's user is staff of a course provider: `models.school_ids(user)` is
    not empty, answered from the request's memberships (read once per request for the menu
    and Vandaag both)."""
    user = getattr(request, "user", None)
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and request_holds(request, {Role.TAALSCHOOL}, kind=Organisation.Kind.AANBIEDER)
    )


def threshold_for(municipality_id) -> Decimal:
    row = VerzuimThreshold.objects.filter(municipality_id=municipality_id).first()
    return row.max_unexcused_hours if row else rules.DEFAULT_VERZUIM_THRESHOLD


def school_enrolments(user):
    """A school's own enrolments with only what it needs: name, BSN, course, contact person."""
    return (
        Enrolment.objects.for_school(user)
        .select_related("inburgeraar", "school")
        .only(
            "pk",
            "school__name",
            "inburgeraar__first_names",
            "inburgeraar__surname_prefix",
            "inburgeraar__surname",
            "inburgeraar__bsn",
            "aanmelding_date",
            "actual_start",
            "planned_end",
            "contract_id",
            "hours_per_week",
            "taalschakeltraject",
            "alfabetisering",
            "contact_name",
            "contact_email",
        )
        .order_by(by_name("inburgeraar__surname"), "pk")
    )


def case_attendance(user, case) -> dict:
    """A case's attendance and verzuim as the caseworker reads it: per enrolment every reported
    period (oldest first), each marked when its ongeoorloofd verzuim is above the municipality's
    threshold, with the totals and the share of hours present."""
    threshold = threshold_for(case.municipality_id)
    enrolments = list(
        Enrolment.objects.visible_to(user).filter(inburgeraar=case).select_related("school")
    )
    reports = Attendance.objects.filter(enrolment__in=enrolments).order_by("period_start", "pk")
    by_enrolment: dict[int, list] = {}
    for report in reports:
        report.above = rules.verzuim_signal(report.hours_unexcused, threshold)
        by_enrolment.setdefault(report.enrolment_id, []).append(report)
    rows = []
    for enrolment in enrolments:
        items = by_enrolment.get(enrolment.pk, [])
        present = sum((r.hours_present for r in items), Decimal(0))
        excused = sum((r.hours_excused for r in items), Decimal(0))
        unexcused = sum((r.hours_unexcused for r in items), Decimal(0))
        rows.append(
            {
                "enrolment": enrolment,
                "reports": items,
                "present": present,
                "excused": excused,
                "unexcused": unexcused,
                "share": _share(present, present + excused + unexcused),
                "signals": sum(1 for r in items if r.above),
            }
        )
    return {"threshold": threshold, "rows": rows}


def verzuim_signals(user, *, today, only_own: bool = True):
    """Reports of the user's cases whose ongeoorloofd verzuim is above their municipality's
    threshold, for periods that ended in the last weeks. One query; thresholds are few."""
    case_ids = own_case_ids(user) if only_own else Inburgeraar.objects.visible_to(user).values("pk")
    reports = (
        Attendance.objects.filter(
            enrolment__inburgeraar__in=case_ids,
            period_end__gte=today - timedelta(weeks=SIGNAL_WEEKS),
            enrolment__inburgeraar__status="uitvoering",
        )
        .select_related("enrolment__inburgeraar", "enrolment__school")
        .order_by("-period_end", "-pk")[:200]
    )
    thresholds = dict(
        VerzuimThreshold.objects.values_list("municipality_id", "max_unexcused_hours")
    )
    signals = []
    for report in reports:
        case = report.enrolment.inburgeraar
        threshold = thresholds.get(case.municipality_id, rules.DEFAULT_VERZUIM_THRESHOLD)
        if rules.verzuim_signal(report.hours_unexcused, threshold):
            signals.append({"report": report, "case": case, "threshold": threshold})
    return signals[:20]


# --- Stuurinformatie ---------------------------------------------------------------------------------


def _share(part, whole):
    return round(100 * part / whole) if whole else None


def labelled_exams(exams) -> list[dict]:
    """The exam rows of `figures` with the onderdeel's name in the reader's language."""
    labels = dict(ExamResult._meta.get_field("onderdeel").choices)
    return [
        {**row, "onderdeel": str(labels.get(row["onderdeel"], row["onderdeel"]))} for row in exams
    ]


def figures(cases) -> dict:
    """The uitvoering figures over a queryset of cases (already scoped by the caller): counts and
    shares only, as plain data (codes, not labels: Stuurinformatie stores them)."""
    case_ids = cases.order_by().values("pk")
    first_versions = PipVersion.objects.filter(
        pip__inburgeraar_id__in=case_ids, status=PipStatus.VASTGESTELD, number=1
    ).values_list("pip__inburgeraar_id", "dagtekening", "route")
    starts = dict(
        Enrolment.objects.filter(inburgeraar_id__in=case_ids, actual_start__isnull=False)
        .order_by("inburgeraar_id", "actual_start")
        .values_list("inburgeraar_id", "actual_start")
    )
    adopted = [(cid, day, route) for cid, day, route in first_versions if day]
    within = sum(
        1 for cid, day, route in adopted if rules.started_within(day, starts.get(cid), route)
    )
    hours = Attendance.objects.filter(enrolment__inburgeraar_id__in=case_ids).aggregate(
        present=Sum("hours_present"), excused=Sum("hours_excused"), unexcused=Sum("hours_unexcused")
    )
    latest_route = Subquery(
        PipVersion.objects.filter(
            pip__inburgeraar=OuterRef("inburgeraar"), status=PipStatus.VASTGESTELD
        )
        .order_by("-number")
        .values("route")[:1]
    )
    exam_rows = {}
    for route, part, result in (
        ExamResult.objects.filter(inburgeraar_id__in=case_ids)
        .annotate(route=latest_route)
        .values_list("route", "onderdeel", "result")
    ):
        row = exam_rows.setdefault((route or "", part), {"behaald": 0, "niet_behaald": 0})
        row[result] += 1
    exams = [
        {
            "route": route,
            "onderdeel": part,
            "behaald": row["behaald"],
            "niet_behaald": row["niet_behaald"],
        }
        for (route, part), row in sorted(exam_rows.items())
    ]
    ended = list(
        Afronding.objects.filter(inburgeraar_id__in=case_ids).values_list(
            "outcome", "on", "inburgeraar__pip__termijn_end"
        )
    )
    voldaan_on_time = sum(
        1
        for outcome, on, end in ended
        if outcome == Afronding.Outcome.VOLDAAN and end and on <= end
    )
    closed_with_termijn = sum(
        1 for outcome, _on, _end in ended if outcome != Afronding.Outcome.BEEINDIGD
    )
    present = hours["present"] or Decimal(0)
    excused = hours["excused"] or Decimal(0)
    unexcused = hours["unexcused"] or Decimal(0)
    total_hours = present + excused + unexcused
    return {
        "adopted": len(adopted),
        "started_within": within,
        "started_within_share": _share(within, len(adopted)),
        "hours_present": present,
        "hours_excused": excused,
        "hours_unexcused": unexcused,
        "attendance_share": _share(present, total_hours),
        "exams": exams,
        "closed": closed_with_termijn,
        "voldaan_on_time": voldaan_on_time,
        "voldaan_share": _share(voldaan_on_time, closed_with_termijn),
    }
