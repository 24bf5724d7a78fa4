"""Reads on deadlines, always through Deadline.objects.visible_to(user)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from municipalities.models import Role
from municipalities.selectors import has_role, organisation_ids_with_role

from .models import ACTIVE_STATES, Deadline, Notification

LIST_LIMIT = 500


def lead_municipality_ids(user):
    return organisation_ids_with_role(user, Role.TEAMLEIDER)


def is_team_lead(user) -> bool:
    return has_role(user, Role.TEAMLEIDER)


def my_deadlines_qs(user):
    """Active deadlines of the user's own cases; a team lead also sees the team's (municipality's),
    including the municipality's CBS report."""
    return (
        Deadline.objects.visible_to(user)
        .filter(state__in=ACTIVE_STATES)
        .filter(
            Q(inburgeraar__caseworker=user) | Q(municipality_id__in=lead_municipality_ids(user))
        )
        .select_related("inburgeraar", "inburgeraar__caseworker", "municipality")
        .order_by("due_date", "pk")
    )


@dataclass
class Agenda:
    overdue: list = field(default_factory=list)
    this_week: list = field(default_factory=list)
    next_weeks: list = field(default_factory=list)
    truncated: bool = False


def agenda(user, *, today: date | None = None) -> Agenda:
    """Overdue, this week (to Sunday) and the next four weeks after it: one query."""
    today = today or timezone.localdate()
    week_end = today + timedelta(days=6 - today.weekday())
    horizon = week_end + timedelta(weeks=4)
    rows = list(my_deadlines_qs(user).filter(due_date__lte=horizon)[: LIST_LIMIT + 1])
    result = Agenda(truncated=len(rows) > LIST_LIMIT)
    for row in rows[:LIST_LIMIT]:
        if row.due_date < today and row.waiting_since is None:
            result.overdue.append(row)
        elif row.due_date <= week_end or row.waiting_since is not None:
            result.this_week.append(row)
        else:
            result.next_weeks.append(row)
    return result


def feed_deadlines(user, *, today: date | None = None):
    today = today or timezone.localdate()
    return my_deadlines_qs(user).filter(
        due_date__gte=today - timedelta(days=90), due_date__lte=today + timedelta(days=3 * 366)
    )[:2000]


def case_deadlines(user, case_pk: int):
    return (
        Deadline.objects.visible_to(user)
        .filter(inburgeraar_id=case_pk)
        .order_by("due_date", "kind", "pk")
    )


UNREAD_CAP = 99


def unread_count(user) -> str:
    """The header badge: "", "1" … "99", or "99+". Reads at most 100 ids through the partial
    index on unread rows, never a COUNT(*), on every page."""
    if not user.is_authenticated:
        return ""
    ids = list(
        Notification.objects.filter(user=user, read_at__isnull=True).values_list("pk", flat=True)[
            : UNREAD_CAP + 1
        ]
    )
    if not ids:
        return ""
    return f"{UNREAD_CAP}+" if len(ids) > UNREAD_CAP else str(len(ids))


def notifications_of(user):
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def next_deadline(user, case_pk: int):
    """The dossier header's "next legal date": the earliest open or overdue deadline of the case."""
    return (
        Deadline.objects.visible_to(user)
        .filter(inburgeraar_id=case_pk, state__in=ACTIVE_STATES)
        .order_by("due_date", "pk")
        .first()
    )


def next_due_subquery():
    """For annotating a case list with each case's next due date, in the same query."""
    from django.db.models import OuterRef, Subquery

    return Subquery(
        Deadline.objects.filter(inburgeraar_id=OuterRef("pk"), state__in=ACTIVE_STATES)
        .order_by("due_date")
        .values("due_date")[:1]
    )
