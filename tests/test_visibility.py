"""The one door: Inburgeraar.objects.visible_to(user) and editable_by(user)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from guardian.shortcuts import assign_perm

from cases.models import HouseholdLink, Inburgeraar
from municipalities.models import Role

from .factories import (
    MUNICIPALITY_SLUGS,
    ORGANISATION_SLUGS,
    HouseholdLinkFactory,
    InburgeraarFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CASE_ROLES = {Role.KLANTMANAGER, Role.TEAMLEIDER, Role.BEHEERDER}


def visible_pks(user):
    return set(Inburgeraar.objects.visible_to(user).values_list("pk", flat=True))


def editable_pks(user):
    return set(Inburgeraar.objects.editable_by(user).values_list("pk", flat=True))


def other_municipality(slug):
    others = [s for s in MUNICIPALITY_SLUGS if s != slug]
    return others[0]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("slug", ORGANISATION_SLUGS)
def test_visibility_matrix(slug, role, member_of, case_in):
    user = member_of(slug, role)
    home_slug = slug if slug in MUNICIPALITY_SLUGS else "hoorn"
    own_case = case_in(home_slug)
    other_case = case_in(other_municipality(home_slug))

    sees_own = role in CASE_ROLES and slug in MUNICIPALITY_SLUGS
    expected = {own_case.pk} if sees_own else set()
    assert visible_pks(user) == expected
    assert other_case.pk not in visible_pks(user)
    # The same roles may correct the data of their own municipality's cases.
    assert editable_pks(user) == expected


@pytest.mark.parametrize("role", [Role.WERKSAAM_MEDEWERKER, Role.AUDITOR])
def test_roles_without_case_access_see_a_case_only_with_a_grant(role, member_of, case_in):
    user = member_of("werksaam" if role == Role.WERKSAAM_MEDEWERKER else "hoorn", role)
    granted = case_in("hoorn")
    case_in("hoorn")
    assert visible_pks(user) == set()

    assign_perm("view_inburgeraar", user, granted)
    assert visible_pks(user) == {granted.pk}


def test_membership_of_several_municipalities_sees_all_of_them(member_of, case_in):
    user = member_of("hoorn", Role.TEAMLEIDER)
    member_of("opmeer", Role.TEAMLEIDER, user=user)
    in_hoorn, in_opmeer = case_in("hoorn"), case_in("opmeer")
    case_in("enkhuizen")
    assert visible_pks(user) == {in_hoorn.pk, in_opmeer.pk}


def test_inactive_membership_gives_nothing(member_of, case_in):
    user = member_of("hoorn", Role.KLANTMANAGER, active=False)
    case_in("hoorn")
    assert visible_pks(user) == set()
    assert editable_pks(user) == set()


def test_inactive_user_sees_nothing(caseworker_of, case_in):
    user = caseworker_of("hoorn")
    case_in("hoorn")
    user.is_active = False
    user.save()
    assert visible_pks(user) == set()


def test_anonymous_and_none_see_nothing(case_in):
    case_in("hoorn")
    assert visible_pks(AnonymousUser()) == set()
    assert visible_pks(None) == set()


def test_user_without_membership_sees_nothing(case_in):
    case_in("hoorn")
    assert visible_pks(UserFactory()) == set()


def test_user_grant_colleague_standing_in(caseworker_of, case_in):
    colleague = caseworker_of("enkhuizen")
    case = case_in("hoorn")
    untouched = case_in("hoorn")
    own = case_in("enkhuizen")
    assert visible_pks(colleague) == {own.pk}

    assign_perm("view_inburgeraar", colleague, case)
    assert visible_pks(colleague) == {own.pk, case.pk}
    assert untouched.pk not in visible_pks(colleague)
    # A view grant does not allow changes.
    assert case.pk not in editable_pks(colleague)


def test_change_grant_makes_case_visible_and_editable(caseworker_of, case_in):
    colleague = caseworker_of("enkhuizen")
    case = case_in("hoorn")
    assign_perm("change_inburgeraar", colleague, case)
    assert case.pk in visible_pks(colleague)
    assert case.pk in editable_pks(colleague)


def test_grant_to_another_user_gives_nothing(caseworker_of, case_in):
    colleague, bystander = caseworker_of("enkhuizen"), caseworker_of("enkhuizen")
    case = case_in("hoorn")
    assign_perm("view_inburgeraar", colleague, case)
    assert case.pk not in visible_pks(bystander)


def test_unrelated_permission_grant_gives_nothing(caseworker_of, case_in):
    colleague = caseworker_of("enkhuizen")
    case = case_in("hoorn")
    assign_perm("delete_inburgeraar", colleague, case)
    assert case.pk not in visible_pks(colleague)


def test_organisation_group_grant_reaches_every_active_member(member_of, case_in, werksaam):
    first = member_of("werksaam", Role.WERKSAAM_MEDEWERKER)
    second = member_of("werksaam", Role.WERKSAAM_MEDEWERKER)
    former = member_of("werksaam", Role.WERKSAAM_MEDEWERKER, active=False)
    outsider = member_of("enkhuizen", Role.KLANTMANAGER)
    shared = case_in("hoorn")
    not_shared = case_in("hoorn")

    assign_perm("view_inburgeraar", werksaam.group, shared)

    assert visible_pks(first) == {shared.pk}
    assert visible_pks(second) == {shared.pk}
    assert visible_pks(former) == set()
    assert visible_pks(outsider) == set()
    assert not_shared.pk not in visible_pks(first)
    assert editable_pks(first) == set()


def test_organisation_group_change_grant_allows_edit(member_of, case_in, werksaam):
    member = member_of("werksaam", Role.WERKSAAM_MEDEWERKER)
    case = case_in("hoorn")
    assign_perm("change_inburgeraar", werksaam.group, case)
    assert editable_pks(member) == {case.pk}


def test_membership_of_group_without_organisation_role_does_not_count(case_in, werksaam):
    # Being put in the organisation's auth group directly is not a membership.
    user = UserFactory()
    user.groups.add(werksaam.group)
    case = case_in("hoorn")
    assign_perm("view_inburgeraar", werksaam.group, case)
    assert visible_pks(user) == set()


def test_grant_ends_when_revoked(member_of, case_in, werksaam):
    from guardian.shortcuts import remove_perm

    member = member_of("werksaam", Role.WERKSAAM_MEDEWERKER)
    case = case_in("hoorn")
    assign_perm("view_inburgeraar", werksaam.group, case)
    assert visible_pks(member) == {case.pk}
    remove_perm("view_inburgeraar", werksaam.group, case)
    assert visible_pks(member) == set()


def test_household_links_follow_the_case(caseworker_of, member_of, case_in, werksaam):
    hoorn_worker = caseworker_of("hoorn")
    enkhuizen_worker = caseworker_of("enkhuizen")
    werksaam_member = member_of("werksaam", Role.WERKSAAM_MEDEWERKER)
    link = HouseholdLinkFactory(inburgeraar=case_in("hoorn"))
    other = HouseholdLinkFactory(inburgeraar=case_in("enkhuizen"))

    def links(user):
        return set(HouseholdLink.objects.visible_to(user).values_list("pk", flat=True))

    assert links(hoorn_worker) == {link.pk}
    assert links(enkhuizen_worker) == {other.pk}
    assert links(werksaam_member) == set()

    assign_perm("view_inburgeraar", werksaam.group, link.inburgeraar)
    assert links(werksaam_member) == {link.pk}
    assert set(HouseholdLink.objects.editable_by(werksaam_member)) == set()


# Query counts: the door is one query, however many cases or grants there are.


def count_queries(func):
    with CaptureQueriesContext(connection) as ctx:
        result = func()
    return len(ctx.captured_queries), result


def test_visible_to_query_count_is_constant_in_number_of_cases(caseworker_of, hoorn):
    user = caseworker_of("hoorn")
    Inburgeraar.objects.bulk_create(InburgeraarFactory.build_batch(10, municipality=hoorn))
    few_queries, few = count_queries(lambda: list(Inburgeraar.objects.visible_to(user)))

    Inburgeraar.objects.bulk_create(InburgeraarFactory.build_batch(990, municipality=hoorn))
    many_queries, many = count_queries(lambda: list(Inburgeraar.objects.visible_to(user)))

    assert len(few) == 10
    assert len(many) == 1000
    assert few_queries == many_queries == 1


def test_visible_to_query_count_is_constant_in_number_of_grants(
    member_of, hoorn, enkhuizen, werksaam
):
    user = member_of("hoorn", Role.KLANTMANAGER)
    member_of("werksaam", Role.WERKSAAM_MEDEWERKER, user=user)
    InburgeraarFactory.create_batch(5, municipality=hoorn)
    none_queries, without_grants = count_queries(lambda: list(Inburgeraar.objects.visible_to(user)))

    granted = InburgeraarFactory.create_batch(100, municipality=enkhuizen)
    for index, case in enumerate(granted):
        assign_perm("view_inburgeraar", user if index % 2 else werksaam.group, case)
    grants_queries, with_grants = count_queries(lambda: list(Inburgeraar.objects.visible_to(user)))

    assert len(without_grants) == 5
    assert len(with_grants) == 105
    assert none_queries == grants_queries == 1
