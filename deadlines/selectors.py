"""Reads on deadlines, always through Deadline.objects.visible_to(user)."""

import heapq
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from municipalities.selectors import led_municipality_ids

from .models import ACTIVE_STATES, Deadline, Notification

# Mijn termijnen shows the earliest 200: a day's work and more. A team lead of a large
# municipality has thousands; rendering and auditing 500 rows took 280 ms a page.
LIST_LIMIT = 200


def my_deadlines(user, *conditions, limit: int, lead_ids=None, only=()) -> list[Deadline]:
    """Active deadlines of the user's own cases; a team lead also sees the team's (municipality's),
    including the municipality's CBS report. By due date, at most `limit`.

    Two indexed queries merged here, not one OR: "my cases OR my team" AND the access filter
    cannot use an index, so PostgreSQL read and sorted every active deadline of the region (a
    sequential scan of 994,000 rows at 100,000 cases). Apart, "my cases" starts at the
    caseworker index and "my team" reads deadline_active_by_due (municipality, due date) for the
    municipalities the user leads, each at most `limit` rows. `lead_ids`: the municipalities
    the user leads, when the caller has them already. `only`: the columns the caller shows
    (QuerySet.only), when it shows few of the case's and its caseworker's."""
    parts = _my_parts(user, *conditions, lead_ids=lead_ids)
    related = ("inburgeraar", "inburgeraar__caseworker", "municipality")
    rows = []
    for part in parts:
        part = part.select_related(*related)
        if only:
            part = part.only(*only)
        rows.append(list(part[:limit]))
    return _merged(*rows)[:limit]


def _my_parts(user, *conditions, lead_ids=None) -> list:
    """The querysets of `my_deadlines`, each by (due date, id): "my cases" and, for a team lead,
    "my team". Their rows are merged by the caller, each deadline once."""
    from cases.selectors import own_case_ids

    if lead_ids is None:
        lead_ids = led_municipality_ids(user)
    active = (
        Deadline.objects.filter(state__in=ACTIVE_STATES)
        .filter(*conditions)
        .order_by("due_date", "pk")
    )
    # "My cases" through the cases' door (a semi-join on the user's visible cases): the same
    # rows as Deadline.visible_to, whose OR with the municipality-wide deadlines kept PostgreSQL
    # from looking up each case's deadlines by index (a parallel scan of 775,000 deadlines,
    # 66-116 ms, for a caseload of 168 cases: 2 ms).
    parts = [active.filter(inburgeraar__in=own_case_ids(user))]
    if lead_ids:
        parts.append(active.visible_to(user).filter(municipality_id__in=lead_ids))
    return parts


def _my_keys(parts, *conditions, limit: int) -> list[tuple]:
    """(due date, id) of `my_deadlines(user, *conditions, limit=limit)`, read without the rows:
    what Vandaag needs to count a list (at most `limit`) and to pick the rows it shows. `parts`:
    `_my_parts(user)`, built once for the page's lists (the access filter's subqueries took
    more Python time to build, per list, than the database took to answer)."""
    found = (part.filter(*conditions).values_list("due_date", "pk")[:limit] for part in parts)
    return _merged_keys(*map(list, found))[:limit]


# What Mijn termijnen shows of a row: the deadline, the person's name, the caseworker's name and
# the municipality's. The whole case (40 columns) and the whole user for each of 200 rows were a
# third of the rows' Python time (8.0 -> 5.7 ms CPU for a team lead's 201 rows at 100,000 cases).
AGENDA_COLUMNS = (
    *(field.name for field in Deadline._meta.concrete_fields),
    "inburgeraar__first_names",
    "inburgeraar__surname_prefix",
    "inburgeraar__surname",
    "inburgeraar__caseworker",
    "inburgeraar__caseworker__username",
    "inburgeraar__caseworker__first_name",
    "inburgeraar__caseworker__last_name",
    "municipality__name",
)


@dataclass
class Agenda:
    overdue: list = field(default_factory=list)
    this_week: list = field(default_factory=list)
    next_weeks: list = field(default_factory=list)
    truncated: bool = False


def agenda(user, *, today: date | None = None, lead_ids=None) -> Agenda:
    """Overdue, this week (to Sunday) and the next four weeks after it: one query (two for a
    team lead). `lead_ids`: the municipalities the user leads, when the caller has them."""
    today = today or timezone.localdate()
    week_end = today + timedelta(days=6 - today.weekday())
    horizon = week_end + timedelta(weeks=4)
    rows = my_deadlines(
        user, Q(due_date__lte=horizon), limit=LIST_LIMIT + 1, lead_ids=lead_ids, only=AGENDA_COLUMNS
    )
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
    return my_deadlines(
        user,
        Q(due_date__gte=today - timedelta(days=90), due_date__lte=today + timedelta(days=3 * 366)),
        limit=2000,
    )


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
    # No order (the model's is newest first): any 100 unread rows count the same, and the
    # order made PostgreSQL walk the inbox index past the read rows instead.
    unread = Notification.objects.filter(user=user, read_at__isnull=True).order_by()
    ids = list(unread.values_list("pk", flat=True)[: UNREAD_CAP + 1])
    if not ids:
        return ""
    return f"{UNREAD_CAP}+" if len(ids) > UNREAD_CAP else str(len(ids))


def notifications_of(user):
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


@dataclass
class NotificationItem:
    """One inbox item as shown: read from the deadline and the case when the inbox is shown."""

    notification: Notification
    person: str  # the person's name, or "" when the case is no longer in the user's scope
    what: str
    when: str  # "t/m 11-05-2026", "vanaf ...", or the day it was sent
    days_overdue: int | None
    done: bool
    link: str
    role: str
    stage: str = ""  # "Herinnering", "Termijn verstreken", "Escalatie naar teamleider"
    cancelled: bool = False


def notification_items(user, *, limit: int = 100, today: date | None = None):
    """The user's inbox as items. The person's name and the link come through the one door: a
    case that left the user's scope since (a transfer, a share that ended) shows neither."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from cases.models import Inburgeraar

    today = today or timezone.localdate()
    rows = list(notifications_of(user).select_related("deadline__municipality", "reminder")[:limit])
    case_ids = {
        row.inburgeraar_id or (row.deadline and row.deadline.inburgeraar_id) for row in rows
    }
    case_ids.discard(None)
    visible = {
        case.pk: case
        for case in Inburgeraar.objects.visible_to(user)
        .filter(pk__in=case_ids)
        .only("pk", "first_names", "surname_prefix", "surname")
    }
    items = []
    for row in rows:
        deadline = row.deadline
        case_id = row.inburgeraar_id or (deadline.inburgeraar_id if deadline else None)
        case = visible.get(case_id)
        role = {
            "klantmanager": _("U ontvangt dit als klantmanager van deze inburgeraar."),
            "teamleider": _("U ontvangt dit als teamleider."),
        }.get(row.recipient_role, "")
        if row.topic == Notification.Topic.PIP_SUBMITTED:
            items.append(
                NotificationItem(
                    notification=row,
                    person=case.full_name if case else "",
                    what=_("PIP ter vaststelling aangeboden"),
                    when=row.created_at and timezone.localtime(row.created_at).strftime("%d-%m-%Y"),
                    days_overdue=None,
                    done=False,
                    link=reverse("case-tab", args=[case.pk, "pip"]) if case else "",
                    role=role,
                )
            )
            continue
        if deadline is None:
            items.append(NotificationItem(row, "", row.subject, "", None, False, "", role))
            continue
        active = deadline.state in ACTIVE_STATES
        overdue = (today - deadline.due_date).days if active and deadline.due_date < today else None
        person = case.full_name if case else ""
        if case is not None:
            link = reverse("case-deadlines", args=[case.pk])
        elif deadline.inburgeraar_id is None:  # the municipality's own (the CBS report)
            link = reverse("my-deadlines")
            person = _("Gemeente %(naam)s") % {"naam": deadline.municipality}
        else:
            link = ""
        items.append(
            NotificationItem(
                notification=row,
                person=person,
                what=deadline.get_kind_display(),
                when=deadline.date_label,
                days_overdue=overdue,
                done=deadline.state == "done",
                link=link,
                role=role,
                stage=row.reminder.get_stage_kind_display() if row.reminder else "",
                cancelled=deadline.state == "cancelled",
            )
        )
    return items


def next_deadline(user, case_pk: int):
    """The dossier header's "next legal date": the earliest open or overdue deadline of the case."""
    return (
        Deadline.objects.visible_to(user)
        .filter(inburgeraar_id=case_pk, state__in=ACTIVE_STATES)
        .order_by("due_date", "pk")
        .first()
    )


def next_due_subquery(field="due_date"):
    """For annotating a case list with each case's next due date (or, with field="kind", what
    that deadline is), in the same query."""
    from django.db.models import OuterRef, Subquery

    return Subquery(
        Deadline.objects.filter(inburgeraar_id=OuterRef("pk"), state__in=ACTIVE_STATES)
        .order_by("due_date", "id")
        .values(field)[:1]
    )


# The case list sorted by next deadline walks the deadlines by due date for its first pages only
# (the first 300 rows: 12 pages). The planner estimates a case's first deadline at 0.5% of the
# active rows (17% in fact): asked for more rows it expects a long walk and joins every active
# deadline instead (at 100,000 cases from about 700 rows on: 12 ms -> 760 ms). Past the limit the
# list sorts as before.
WALK_LIMIT = 300


def next_due_page_ids(cases, offset: int, limit: int) -> list[int] | None:
    """The ids of `cases.order_by(next_due nulls last, id)[offset:offset + limit]`, read from the
    deadlines in due order instead of a next-deadline subquery for every case of the list.

    That sort ran the subquery for every case the reader may see before it could pick a page
    (30,000 index probes for a klantmanager of Hoorn at 100,000 cases, 121 ms). Here the active
    deadlines are read in (due_date, case) order from deadline_active_due_case; a row counts when
    it is its case's first active deadline (the case's next due date, deadline_case_next_due) and
    its case is in `cases`; the first `limit` after `offset` are the page. The cases without an
    active deadline follow by id (NULLS LAST). Past WALK_LIMIT rows, or a page past the cases
    with a deadline (their number would be a COUNT over the access filter): None, the list
    sorts."""
    from django.db.models import Exists, OuterRef, Subquery

    if offset + limit > WALK_LIMIT:
        return None
    scope = cases.order_by().values("pk")
    first_of_its_case = (
        Deadline.objects.filter(inburgeraar_id=OuterRef("inburgeraar_id"), state__in=ACTIVE_STATES)
        .order_by("due_date", "id")
        .values("id")[:1]
    )
    firsts = Deadline.objects.filter(
        state__in=ACTIVE_STATES, inburgeraar_id__in=scope, id=Subquery(first_of_its_case)
    )
    ids = list(
        firsts.order_by("due_date", "inburgeraar_id").values_list("inburgeraar_id", flat=True)[
            offset : offset + limit
        ]
    )
    if len(ids) == limit:
        return ids
    if offset and not ids:
        return None
    active = Deadline.objects.filter(inburgeraar_id=OuterRef("pk"), state__in=ACTIVE_STATES)
    without = cases.filter(~Exists(active)).order_by("pk").values_list("pk", flat=True)
    return ids + list(without[: limit - len(ids)])


HOME_LIMIT = 10
COUNT_CAP = 100


@dataclass
class HomeList:
    """One list on Vandaag: the first rows, the total (capped, never a COUNT over the permission
    join) and how many more there are."""

    rows: list
    total: int
    capped: bool

    @property
    def more(self) -> int:
        return max(0, self.total - len(self.rows))


def home_agenda(user, *, today: date | None = None) -> dict:
    """Vandaag's deadlines by legal weight: overdue PIP deadlines first (the ten-week decision
    term), then the other overdue deadlines, then the rest of this week; oldest first in each.
    A deadline waiting for third-party information is never overdue: it is listed this week.

    Each list counts up to COUNT_CAP + 1 by (due date, id) only, and the rows shown (HOME_LIMIT
    of each) are read in one query with their case and municipality: loading up to 101 rows of
    each of the eight queries with three joined models and dropping all but ten of them in
    Python took about half of a team lead's Vandaag (808 deadlines for 30 shown)."""
    from .models import Kind

    today = today or timezone.localdate()
    week_end = today + timedelta(days=6 - today.weekday())
    lead_ids = led_municipality_ids(user)
    parts = _my_parts(user, lead_ids=lead_ids)

    def mine(*conditions):
        return _my_keys(parts, *conditions, limit=COUNT_CAP + 1)

    overdue = Q(due_date__lt=today, waiting_since__isnull=True)
    # This week's and the waiting ones apart, each from its index, merged by date: one OR of the
    # two read every active deadline of the municipality (212,000 at national size, 69 ms).
    due_this_week = mine(Q(due_date__gte=today, due_date__lte=week_end))
    waiting = mine(Q(waiting_since__isnull=False))
    keys = {
        "overdue_pip": mine(overdue, Q(kind=Kind.PIP_DUE)),
        "overdue_other": mine(overdue, ~Q(kind=Kind.PIP_DUE)),
        "this_week": _merged_keys(due_this_week, waiting)[: COUNT_CAP + 1],
    }
    shown = {pk for found in keys.values() for _due, pk in found[:HOME_LIMIT]}
    # The ids come from the queries above, each through the door.
    rows = (
        Deadline.objects.filter(pk__in=shown).select_related("inburgeraar", "municipality")
        if shown
        else []
    )
    by_pk = {row.pk: row for row in rows}
    return {
        name: HomeList(
            [by_pk[pk] for _due, pk in found[:HOME_LIMIT] if pk in by_pk],
            min(len(found), COUNT_CAP),
            len(found) > COUNT_CAP,
        )
        for name, found in keys.items()
    }


def _by_date(deadline) -> tuple:
    return (deadline.due_date, deadline.pk)


def _merged(*lists, key=_by_date) -> list:
    """Lists in (due date, id) order (`key` gives it: deadlines by default, or the keys
    themselves) as one, each id once."""
    merged, seen = [], set()
    for item in heapq.merge(*lists, key=key):
        pk = key(item)[1]
        if pk not in seen:
            seen.add(pk)
            merged.append(item)
    return merged


def _merged_keys(*lists) -> list[tuple]:
    """Lists of (due date, id) in that order as one, each id once."""
    return _merged(*lists, key=tuple)
