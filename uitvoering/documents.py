"""The PDF dossier summary for a municipality outside the region (WeasyPrint, nothing fetched)."""

from datetime import date

from django.template.loader import render_to_string
from django.utils import translation

from common.pdf import render_pdf
from deadlines.models import ACTIVE_STATES, Deadline
from pip_plans.models import EXAM_PARTS

from .models import Attendance, Completion, Enrolment, ExamDecision, ExamResult


def summary_context(case, *, receiving: str, on: date) -> dict:
    from .services import latest_adopted_version, statuses_for

    version = latest_adopted_version(case)
    enrolments = list(Enrolment.objects.filter(inburgeraar=case).select_related("school"))
    hours = sum(
        (a.hours_present for a in Attendance.objects.filter(enrolment__inburgeraar=case)), 0
    )
    return {
        "case": case,
        "receiving": receiving,
        "on": on,
        "version": version,
        "pip": version.pip if version else None,
        "levels": [(part, getattr(version, f"level_{part}")) for part in EXAM_PARTS]
        if version
        else [],
        "enrolments": enrolments,
        "hours_present": hours,
        "statuses": statuses_for(case, version.route if version else None).values(),
        "results": ExamResult.objects.filter(inburgeraar=case).order_by("exam_date"),
        "decisions": ExamDecision.objects.filter(inburgeraar=case),
        "completions": Completion.objects.filter(inburgeraar=case),
        "open_deadlines": Deadline.objects.filter(
            inburgeraar=case, state__in=ACTIVE_STATES
        ).order_by("due_date"),
    }


def render_summary(case, *, receiving: str, on: date) -> bytes:
    with translation.override("nl"):
        html = render_to_string(
            "uitvoering/pdf/dossier_summary.html", summary_context(case, receiving=receiving, on=on)
        )
    return render_pdf(html)
