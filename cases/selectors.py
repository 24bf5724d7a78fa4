"""Reads of cases. Every queryset starts at `visible_to(user)`: the one door."""

from django.db.models import F, Q, QuerySet

from common.bsn import looks_like_bsn, normalise_bsn
from common.parsing import parse_page
from common.text import search_key

from . import registry
from .collation import by_name, by_name_unindexed
from .models import Inburgeraar


def cases_for(user) -> QuerySet[Inburgeraar]:
    """Every case the user may read (the API: WerkSaam's shared cases included)."""
    return Inburgeraar.objects.visible_to(user).select_related("municipality", "caseworker")


def own_case_ids(user) -> QuerySet:
    """A subquery of the ids of the user's own cases (klantmanager), through the one door.
    "My" intakes, PIP drafts and deadlines filter on it, a semi-join: their own visible_to with
    the caseworker on the join is an OR over the case that PostgreSQL answered with a hash join
    over the whole related table (a scan of 775,000 deadlines for a caseload of 168 cases)."""
    return Inburgeraar.objects.visible_to(user).filter(caseworker=user).values("pk")


def dossiers_for(user) -> QuerySet[Inburgeraar]:
    """The cases whose dossier the user may open: WerkSaam reads a shared case in its own
    shared view, never in the caseworker's dossier."""
    return Inburgeraar.objects.dossier_of(user).select_related("municipality", "caseworker")


def reads_dossier(user, case) -> bool:
    return Inburgeraar.objects.dossier_of(user).filter(pk=case.pk).exists()


def full_bsn_reason(user, case) -> str | None:
    """None when `user` may not see the case's full BSN; otherwise the reason for the trail:
    "" for the dossier's readers, or the legal basis of a reader outside it (WerkSaam)."""
    if reads_dossier(user, case):
        return ""
    return registry.full_bsn_basis(user, case) or None


def search_cases(user, query: str = "") -> QuerySet[Inburgeraar]:
    """Name (partial, accent-insensitive), BSN (exact) or V-nummer (exact)."""
    return matching(dossiers_for(user), query)


def matching(cases: QuerySet[Inburgeraar], query: str = "") -> QuerySet[Inburgeraar]:
    """Narrow an already scoped queryset of cases to a search: name, BSN or V-nummer."""
    query = (query or "").strip()
    if not query:
        return cases
    bsn = normalise_bsn(query)
    if looks_like_bsn(bsn):
        return cases.filter(Q(bsn=bsn) | Q(v_nummer=query))
    condition = Q(v_nummer__iexact=query)
    terms = search_key(query).split()
    name_match = Q()
    for term in terms:
        name_match &= Q(search_name__contains=term)
    return cases.filter(condition | name_match)


def get_case(user, pk) -> Inburgeraar:
    """The case's dossier, or Http404 when it does not exist or is outside the user's scope
    (a case shared with WerkSaam is outside the dossier's scope for WerkSaam: its shared view
    is `werksaam_bridge`)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(dossiers_for(user), pk=pk)


SORT_FIELDS = {
    # Served by the index inburgeraar_name_order (migration cases/0006).
    "naam": [by_name("surname"), by_name("first_names"), "id"],
    "-kennisgeving": ["-datum_kennisgeving", "id"],
    "kennisgeving": ["datum_kennisgeving", "id"],
}

SEARCHED_BY_NAME = [by_name_unindexed("surname"), by_name_unindexed("first_names"), "id"]


def filter_cases(
    user,
    *,
    q="",
    status="",
    doelgroep="",
    caseworker="",
    municipality="",
    sort="naam",
    with_columns=True,
):
    """The case list's cases. `with_columns=False`: only the registered columns' annotations
    that the sort needs; the others are for the rows shown (`column_annotations()`, given to
    PeekPage), so a deep page does not run them for every row it skips."""
    cases = search_cases(user, q)
    if status:
        cases = cases.filter(status=status)
    if doelgroep:
        cases = cases.filter(doelgroep=doelgroep)
    if caseworker == "mij":
        cases = cases.filter(caseworker=user)
    elif caseworker == "geen":
        cases = cases.filter(caseworker__isnull=True)
    elif caseworker.isdigit():
        cases = cases.filter(caseworker_id=int(caseworker))
    if municipality.isdigit():
        cases = cases.filter(municipality_id=int(municipality))
    # Columns registered by other apps (e.g. the next legal date) annotate in the same SELECT:
    # one subquery each, no query per row.
    sorts = dict(SORT_FIELDS)
    for column in registry.case_columns():
        sorts.update({value: order for value, (_label, order) in column.sorts.items()})
    order = sorts.get(sort, SORT_FIELDS["naam"])
    if q and order is SORT_FIELDS["naam"]:
        # The same order, but not from the name index: a search is served by its own indexes
        # (trigram, BSN, V-nummer) and sorts the few rows it finds (collation.by_name_unindexed).
        order = SEARCHED_BY_NAME
    annotations = column_annotations()
    if not with_columns:
        used = _names_in(order)
        annotations = {name: value for name, value in annotations.items() if name in used}
    return cases.annotate(**annotations).order_by(*order)


def page_ids_for(user, *, sort="naam", **filters):
    """A registered column's shorter way to a page's ids in `sort` (CaseColumn.page_ids), for
    the list without filters or a search of a user with a case role in a municipality: the ones
    whose cases are many. Otherwise None: the list pages its sorted query (a few cases sort
    quickly, and a walk in the column's order would pass everyone else's rows to find them)."""
    from municipalities.selectors import case_organisation_ids

    if any(filters.values()):
        return None
    ways = {}
    for column in registry.case_columns():
        ways.update(column.page_ids)
    way = ways.get(sort)
    if way is None or not case_organisation_ids(user).exists():
        return None
    return way


def column_annotations() -> dict:
    """The registered case-list columns' annotations: {name: expression}."""
    annotations = {}
    for column in registry.case_columns():
        annotations.update(column.annotations())
    return annotations


def _names_in(order) -> set[str]:
    """The field and annotation names an order_by() list refers to."""
    names = set()
    for item in order:
        if isinstance(item, str):
            names.add(item.lstrip("-"))
            continue
        for expression in item.flatten():
            if isinstance(expression, F):
                names.add(expression.name)
    return names


class PeekPage:
    """A page of results without COUNT(*): fetch one row more than shown to know if there is a next.

    The number of results comes from the same query, never from a COUNT over the permission join:
    while the rows up to `cap` fit, the page fetches them all (at most cap + 1 rows) and knows the
    exact total; beyond that it says "more than `cap`".
    """

    def __init__(self, queryset, number, size, cap=50, row_annotations=None, page_ids=None):
        self.number = parse_page(number)
        offset = (self.number - 1) * size
        fetch = max(size + 1, cap + 1 - offset)
        if row_annotations:
            # The page's ids first, then its rows with the annotations: the OFFSET skips rows
            # without computing their subqueries (page 1000 ran the next-deadline subquery for
            # every one of the 25,000 rows before it). `page_ids`: a shorter way to the same
            # ids (page_ids_for), or None for this page.
            ids = page_ids(queryset, offset, fetch) if page_ids else None
            if ids is None:
                ids = list(queryset.values_list("pk", flat=True)[offset : offset + fetch])
            missing = {
                name: value
                for name, value in row_annotations.items()
                if name not in queryset.query.annotations
            }
            found = queryset.filter(pk__in=ids).annotate(**missing).order_by().in_bulk()
            rows = [found[pk] for pk in ids if pk in found]
        else:
            rows = list(queryset[offset : offset + fetch])
        self.object_list = rows[:size]
        self.has_next = len(rows) > size
        self.has_previous = self.number > 1
        self.next_page_number = self.number + 1
        self.previous_page_number = self.number - 1
        self.cap = cap
        seen = offset + len(rows)
        if rows or offset == 0:
            self.total = seen if seen <= cap else None
        else:
            self.total = None  # a page past the end: the total is not known from this query
        self.more_than_cap = seen > cap

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)


def caseworkers_for(user):
    """Colleagues whose cases the user can filter on: klantmanagers of the user's municipalities."""
    from accounts.models import User
    from municipalities.models import Membership, Role
    from municipalities.selectors import case_organisation_ids

    colleague_ids = (
        Membership.objects.active()
        .filter(organisation_id__in=case_organisation_ids(user), role=Role.KLANTMANAGER)
        .values("user_id")
    )
    return User.objects.filter(pk__in=colleague_ids, is_active=True).order_by(
        "first_name", "last_name"
    )


def household_of(user, case):
    from .models import HouseholdLink

    return (
        HouseholdLink.objects.visible_to(user)
        .filter(inburgeraar=case, relative__in=Inburgeraar.objects.visible_to(user))
        .select_related("relative")
    )


def timeline_of(user, case, limit=200):
    from .models import TimelineEvent

    return (
        TimelineEvent.objects.visible_to(user)
        .filter(inburgeraar=case)
        .select_related("actor")[:limit]
    )


def can_edit(user, case) -> bool:
    return Inburgeraar.objects.editable_by(user).filter(pk=case.pk).exists()


CLOSED_STATUSES = ("afgerond", "beeindigd")


def unassigned_cases(user, led_ids=None):
    """Open cases without a klantmanager in the municipalities the user leads; oldest
    kennisgeving first (the PIP deadline runs from it). `led_ids`: the municipalities the user
    leads (municipalities.selectors.led_municipality_ids), when the caller has them already.
    Served by the partial index inburgeraar_unassigned (cases/0008)."""
    if led_ids is None:
        from municipalities.selectors import led_municipality_ids

        led_ids = led_municipality_ids(user)
    return (
        cases_for(user)
        .filter(municipality_id__in=led_ids, caseworker__isnull=True)
        .exclude(status__in=CLOSED_STATUSES)
        .order_by(F("datum_kennisgeving").asc(nulls_last=True), by_name("surname"), "id")
    )


def unassigned_total(user, led_ids=None) -> int:
    """How many: a plain WHERE on the led municipalities (a team lead sees all of them), no
    permission join; an index-only scan of inburgeraar_unassigned."""
    if led_ids is None:
        from municipalities.selectors import led_municipality_ids

        led_ids = led_municipality_ids(user)
    return (
        Inburgeraar.objects.filter(municipality_id__in=led_ids, caseworker__isnull=True)
        .exclude(status__in=CLOSED_STATUSES)
        .count()
    )


def may_assign_others(request) -> bool:
    """Team leads and beheerders give cases to others (checked per case in the service). From
    the request's memberships, which the menu reads as well: one query per request."""
    from municipalities.models import Organisation
    from municipalities.selectors import request_holds

    from .services import ASSIGNING_ROLES

    return request_holds(request, ASSIGNING_ROLES, kind=Organisation.Kind.GEMEENTE)


def assignable_caseworkers(municipality_ids):
    """Klantmanagers and team leads of these municipalities: whom a case may be given to."""
    from accounts.models import User
    from municipalities.models import Membership, Role

    ids = (
        Membership.objects.active()
        .filter(organisation_id__in=municipality_ids, role__in=(Role.KLANTMANAGER, Role.TEAMLEIDER))
        .values("user_id")
    )
    return User.objects.filter(pk__in=ids, is_active=True).order_by("first_name", "last_name")


def may_register(request) -> bool:
    """Whether the user registers cases (by hand or from DUO): a case role in a municipality.
    From the request's memberships (the links only: the register view and the import check
    the user's municipalities themselves)."""
    from municipalities.models import CASE_ROLES, Organisation
    from municipalities.selectors import request_holds

    return request_holds(request, CASE_ROLES, kind=Organisation.Kind.GEMEENTE)
