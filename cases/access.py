"""Who sees which case: the one door.

Every read of personal data goes through `visible_to(user)` (and every write through
`editable_by(user)`) on the model's queryset. Access comes from two places, combined in one query:

1. a membership of the case's municipality in a case role (klantmanager, teamleider, beheerder):
   a plain `WHERE municipality_id IN (subquery)`, constant however many cases there are;
2. django-guardian per-case grants in its direct foreign-key tables, to the user (a colleague
   standing in) or to an organisation's group (a case shared with WerkSaam, or a sending
   municipality's read-only access after a transfer). An organisation grant reaches only the
   members of that organisation in a case role (`GRANT_ROLES`): never its auditor or beheerder.

Special-category (health) data is for those who work the case (`WORK_ROLES`: klantmanager,
teamleider, or a colleague standing in): not the beheerder, never an organisation grant.

Models related to a case declare `CASE_PATH`, the lookup from them to their Inburgeraar.
"""

from django.db import models
from django.db.models import BooleanField, F, Func, Q, Subquery

from municipalities.models import CASE_ROLES, GRANT_ROLES, WORK_ROLES, Membership, Organisation

VIEW_CODENAMES = ("view_inburgeraar", "change_inburgeraar")
CHANGE_CODENAMES = ("change_inburgeraar",)


class InArray(Func):
    """`expression = ANY(ARRAY(subquery))` on PostgreSQL, `expression IN (subquery)` elsewhere.

    The same rows as `__in`, but PostgreSQL computes the subquery first (an InitPlan) and looks
    the values up by index. As `IN (subquery)` it plans the join on the column's statistics: every
    organisation grant is WerkSaam's (20,021 rows in one group at national size), so for any group
    it expected all of them and scanned and hashed the whole table, 5-28 ms in every query of the
    access filter that got that far, for a klantmanager whose groups have no grant at all
    (0.04 ms by the group index)."""

    output_field = BooleanField()

    def __init__(self, expression, subquery):
        super().__init__(expression, Subquery(subquery))

    def as_sql(self, compiler, connection, **extra_context):
        lhs, lhs_params = compiler.compile(self.source_expressions[0])
        rhs, rhs_params = compiler.compile(self.source_expressions[1])
        return f"{lhs} IN {rhs}", (*lhs_params, *rhs_params)

    def as_postgresql(self, compiler, connection, **extra_context):
        lhs, lhs_params = compiler.compile(self.source_expressions[0])
        rhs, rhs_params = compiler.compile(self.source_expressions[1])
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


def case_access_q(user, *, for_change: bool = False, path: str = "", dossier: bool = False) -> Q:
    """A Q on the case at `path` that holds for exactly the cases `user` may read (or change).

    `dossier=True`: only the cases whose caseworker's dossier the user may open. An organisation
    grant counts there only when it is a municipality's (the sender after a transfer): a case
    shared with WerkSaam is read in WerkSaam's own shared view, not in the dossier."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    prefix = f"{path}__" if path else ""
    own_municipalities, user_grants, organisation_grants = _access_parts(
        user, for_change=for_change, dossier=dossier
    )
    return (
        Q(**{f"{prefix}municipality_id__in": own_municipalities})
        | Q(**{f"{prefix}pk__in": user_grants})
        | Q(**{f"{prefix}pk__in": organisation_grants})
    )


def _access_parts(user, *, for_change: bool = False, dossier: bool = False):
    """The three subqueries of `case_access_q`: the user's municipalities in a case role, the
    cases granted to the user, the cases granted to the user's organisations."""
    from .models import InburgeraarGroupObjectPermission, InburgeraarUserObjectPermission

    roles = CASE_ROLES
    codenames = CHANGE_CODENAMES if for_change else VIEW_CODENAMES

    own_municipalities = (
        Membership.objects.active()
        .filter(user=user, role__in=roles, organisation__kind=Organisation.Kind.GEMEENTE)
        .values("organisation_id")
    )
    user_grants = InburgeraarUserObjectPermission.objects.filter(
        user=user, permission__codename__in=codenames
    ).values("content_object_id")
    # One filter() call: user, active and role hold for the same membership row. The groups first
    # (an organisation has one group), then their grants by the group index (InArray).
    groups = Organisation.objects.filter(
        memberships__user=user,
        memberships__is_active=True,
        memberships__role__in=GRANT_ROLES,
        group__isnull=False,
    )
    if dossier:
        groups = groups.filter(kind=Organisation.Kind.GEMEENTE)
    organisation_grants = InburgeraarGroupObjectPermission.objects.filter(
        InArray(F("group_id"), groups.order_by().values("group_id")),
        permission__codename__in=codenames,
    )
    organisation_grants = organisation_grants.values("content_object_id")
    return own_municipalities, user_grants, organisation_grants


def count_visible(cases, user) -> int:
    """COUNT(*) of `cases`, a queryset of Inburgeraar already behind `visible_to(user)`.

    One COUNT over the access filter's OR reads every case of the country and checks the
    subqueries on each (24-54 ms at 100,000 cases per API page). Without grants to the user's
    organisations (everyone but WerkSaam and a sender after a transfer) the number is the cases
    of the user's municipalities (an index-only scan of their entries in
    inburgeraar_municipality_pk) plus those granted to the user outside them: each case counted
    once. With such grants, the one COUNT as before."""
    if user is None or not user.is_authenticated or not user.is_active:
        return 0
    own_municipalities, user_grants, organisation_grants = _access_parts(user)
    cases = cases.order_by()
    if organisation_grants.exists():
        return cases.count()
    total = cases.filter(municipality_id__in=own_municipalities).count()
    if user_grants.exists():
        total += (
            cases.filter(pk__in=user_grants).exclude(municipality_id__in=own_municipalities).count()
        )
    return total


def case_work_q(user, *, path: str = "") -> Q:
    """A Q on the case at `path` for the cases `user` works on: a case role in the case's own
    municipality, or a personal grant to change it (a colleague standing in). The set-based twin
    of `can_read_special_category`; organisation grants (WerkSaam, a sending municipality after a
    transfer) never count."""
    from .models import InburgeraarUserObjectPermission

    if user is None or not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    prefix = f"{path}__" if path else ""
    own_municipalities = (
        Membership.objects.active()
        .filter(user=user, role__in=WORK_ROLES, organisation__kind=Organisation.Kind.GEMEENTE)
        .values("organisation_id")
    )
    standing_in = InburgeraarUserObjectPermission.objects.filter(
        user=user, permission__codename__in=CHANGE_CODENAMES
    ).values("content_object_id")
    return Q(**{f"{prefix}municipality_id__in": own_municipalities}) | Q(
        **{f"{prefix}pk__in": standing_in}
    )


class VisibleQuerySet(models.QuerySet):
    def _case_path(self) -> str:
        return getattr(self.model, "CASE_PATH", "")

    def visible_to(self, user):
        return self.filter(case_access_q(user, path=self._case_path()))

    def editable_by(self, user):
        return self.filter(case_access_q(user, for_change=True, path=self._case_path()))

    def dossier_of(self, user):
        """The cases whose dossier (the caseworker's pages) the user may open: `visible_to`
        without WerkSaam's shares, which have their own shared view."""
        return self.filter(case_access_q(user, path=self._case_path(), dossier=True))


def can_read_special_category(user, case) -> bool:
    """Health and other AVG art. 9 data: only the people working the case.

    That is a case role in the case's own municipality, or a personal grant to change the case
    (a colleague standing in). Never an organisation grant: WerkSaam, or the municipality that
    handed the case over, do not read it.
    """
    from .models import InburgeraarUserObjectPermission

    if user is None or not user.is_authenticated or not user.is_active:
        return False
    own_municipality = Membership.objects.active().filter(
        user=user, role__in=WORK_ROLES, organisation_id=case.municipality_id
    )
    standing_in = InburgeraarUserObjectPermission.objects.filter(
        user=user, content_object_id=case.pk, permission__codename__in=CHANGE_CODENAMES
    )
    return own_municipality.exists() or standing_in.exists()
