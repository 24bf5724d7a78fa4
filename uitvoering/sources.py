"""Uitvoering's facts, fed to the apps below it through their registries, so that they never
import uitvoering (dependencies one way): the deadlines (actual course start, reviews held) and
the PIP rules (recorded course hours for afschalen, exam parts passed on the PIP tab)."""

from django.db.models import Min, Sum

from deadlines import rules as deadline_rules
from pip_plans import services as pip_services


def deadline_facts(case_ids: list[int]) -> dict[int, dict]:
    from .models import Enrolment, ProgressReview

    facts: dict[int, dict] = {}
    for case_id, started in (
        Enrolment.objects.filter(inburgeraar_id__in=case_ids, actual_start__isnull=False)
        .values("inburgeraar_id")
        .annotate(first=Min("actual_start"))
        .values_list("inburgeraar_id", "first")
    ):
        facts.setdefault(case_id, {})["course_started_on"] = started
    for case_id, held_on, next_on in (
        ProgressReview.objects.filter(inburgeraar_id__in=case_ids)
        .order_by("inburgeraar_id", "held_on", "pk")
        .values_list("inburgeraar_id", "held_on", "next_review_on")
    ):
        facts.setdefault(case_id, {}).setdefault("reviews_held", []).append((held_on, next_on))
    return facts


def course_hours(case_id) -> int | None:
    from .models import Attendance

    total = Attendance.objects.filter(enrolment__inburgeraar_id=case_id).aggregate(
        hours=Sum("hours_present")
    )["hours"]
    return int(total) if total is not None else None


def part_statuses(case_id) -> dict:
    from cases.models import Inburgeraar

    from .models import ExamDecision, ExamResult
    from .services import statuses_for

    if not (
        ExamResult.objects.filter(inburgeraar_id=case_id).exists()
        or ExamDecision.objects.filter(inburgeraar_id=case_id).exists()
    ):
        return {}
    case = Inburgeraar.objects.get(pk=case_id)
    return {
        part: {"part": status.part, "code": status.code, "label": status.label}
        for part, status in statuses_for(case).items()
    }


def register() -> None:
    deadline_rules.register_facts_source(deadline_facts)
    pip_services.register_course_hours_source(course_hours)
    pip_services.register_part_status_source(part_statuses)
