"""Reads about organisations and what a user's memberships allow."""

from django.db.models import QuerySet

from .models import CASE_ROLES, Membership, Organisation, Role


def municipalities() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=Organisation.Kind.GEMEENTE)


def organisations_of(user, roles=None) -> QuerySet[Organisation]:
    """The organisations in which the user holds an active membership with one of `roles`."""
    memberships = Membership.objects.active().filter(user=user)
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    return Organisation.objects.filter(pk__in=memberships.values("organisation_id"))


def case_organisation_ids(user):
    """A subquery of the municipalities whose cases the user works on: a plain WHERE, no join."""
    return (
        Membership.objects.active()
        .filter(user=user, role__in=CASE_ROLES, organisation__kind=Organisation.Kind.GEMEENTE)
        .values("organisation_id")
    )


def organisation_ids_with_role(user, role: Role):
    """A subquery of the organisations in which the user holds `role` (for a plain WHERE)."""
    return Membership.objects.active().filter(user=user, role=role).values("organisation_id")


def led_municipality_ids(user) -> list[int]:
    """The ids of the municipalities the user leads (team lead), as a list. A literal
    `IN (3)` lets PostgreSQL plan on the municipality's own statistics and partial indexes
    (the unassigned queue reads inburgeraar_unassigned in its order and stops after a page;
    the team's deadlines read deadline_active_by_due); `IN (subquery)` read and sorted the
    municipality's rows (7,005 unassigned cases in Hoorn at 100,000 cases)."""
    return list(
        organisation_ids_with_role(user, Role.TEAMLEIDER).values_list("organisation_id", flat=True)
    )


def has_role(user, role: Role, organisation=None) -> bool:
    if not user.is_authenticated:
        return False
    memberships = Membership.objects.active().filter(user=user, role=role)
    if organisation is not None:
        memberships = memberships.filter(organisation=organisation)
    return memberships.exists()


def roles_of(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(Membership.objects.active().filter(user=user).values_list("role", flat=True))


def organisation_ids_with_any_role(user, roles):
    """A subquery of the organisations in which the user holds one of `roles`."""
    return Membership.objects.active().filter(user=user, role__in=roles).values("organisation_id")


def is_member(user_id, organisation_id) -> bool:
    """Whether the user (by id) still holds any active membership of the organisation."""
    return (
        Membership.objects.active()
        .filter(user_id=user_id, organisation_id=organisation_id)
        .exists()
    )


def members_with_role(role, organisation_id):
    """The active users holding `role` in the organisation, in a stable order."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role=role,
            memberships__organisation_id=organisation_id,
        )
        .distinct()
        .order_by("pk")
    )


# The attribute on the request that holds its user's memberships (see `request_memberships`).
REQUEST_MEMBERSHIPS_ATTR = "_active_memberships"


def request_memberships(request) -> frozenset[tuple[str, str]]:
    """The (role, organisation kind) pairs of the request's user's active memberships.

    Read once per request and kept on the request: the header's menu asks four questions of the
    same rows on every page (WerkSaam, Stuurinformatie, taalschool, inzage), which were four
    queries. Kept on the request only, never across requests, and keyed on the user, so a login
    or logout halfway through a request reads again. Answers for the menu; access to a case is
    still decided by cases.access in SQL."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return frozenset()
    memo = getattr(request, REQUEST_MEMBERSHIPS_ATTR, None)
    if memo is not None and memo[0] == user.pk:
        return memo[1]
    pairs = frozenset(
        Membership.objects.active().filter(user=user).values_list("role", "organisation__kind")
    )
    setattr(request, REQUEST_MEMBERSHIPS_ATTR, (user.pk, pairs))
    return pairs


def request_holds(request, roles, kind=None) -> bool:
    """Whether the request's user holds an active membership in one of `roles` (in an
    organisation of `kind`, when given), from `request_memberships`."""
    return any(
        role in roles and (kind is None or organisation_kind == kind)
        for role, organisation_kind in request_memberships(request)
    )


def request_roles(request) -> set[str]:
    """The roles the request's user holds in any organisation (`roles_of`, from the request's
    memberships)."""
    return {role for role, _kind in request_memberships(request)}
