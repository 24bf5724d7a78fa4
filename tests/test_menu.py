"""The header's menu: which items a user sees follows from their memberships, read once per
request (municipalities.selectors.request_memberships), never kept across requests."""

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from municipalities.models import Membership, Role
from municipalities.selectors import request_holds, request_memberships

from .factories import UserFactory
from .uitvoering_helpers import language_school, school_user

pytestmark = pytest.mark.django_db

MENU_ITEMS = {
    "werksaam": reverse("werksaam_bridge:dashboard"),
    "figures": reverse("reporting:figures"),
    "school": reverse("uitvoering:school-home"),
    "privacy": reverse("privacy:inzage"),
}


def menu_of(client, user):
    client.force_login(user)
    response = client.get(reverse("notifications"))
    assert response.status_code == 200
    html = response.content.decode()
    return {item for item, url in MENU_ITEMS.items() if f'href="{url}"' in html}


def membership_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in ctx.captured_queries if "municipalities_membership" in q["sql"]]


@pytest.mark.parametrize(
    ("slug", "role", "expected"),
    [
        ("hoorn", Role.KLANTMANAGER, set()),
        ("hoorn", Role.TEAMLEIDER, {"figures"}),
        ("hoorn", Role.BEHEERDER, {"figures"}),
        ("hoorn", Role.PRIVACY_OFFICER, {"privacy"}),
        ("hoorn", Role.AUDITOR, set()),
        ("werksaam", Role.WERKSAAM_MEDEWERKER, {"werksaam"}),
        # Figures are a municipality's: a team lead of WerkSaam's own organisation sees none.
        ("werksaam", Role.TEAMLEIDER, set()),
    ],
)
def test_menu_items_follow_the_memberships(client, member_of, slug, role, expected):
    assert menu_of(client, member_of(slug, role)) == expected


def test_the_taalschool_item_is_for_staff_of_a_course_provider(client, member_of):
    assert menu_of(client, school_user(language_school())) == {"school"}
    # The role in a municipality is not a course provider's.
    assert menu_of(client, member_of("hoorn", Role.TAALSCHOOL)) == set()


def test_an_inactive_membership_shows_no_item(client, member_of):
    assert menu_of(client, member_of("hoorn", Role.TEAMLEIDER, active=False)) == set()


def test_several_roles_show_several_items(client, member_of):
    user = member_of("hoorn", Role.TEAMLEIDER)
    member_of("hoorn", Role.PRIVACY_OFFICER, user=user)
    member_of("werksaam", Role.WERKSAAM_MEDEWERKER, user=user)
    assert menu_of(client, user) == {"figures", "privacy", "werksaam"}


@pytest.mark.parametrize("memberships", [1, 10])
def test_the_menu_reads_the_memberships_once_per_request(client, member_of, memberships):
    """The four items asked four queries of the same rows on every page; one now, however
    many memberships the user holds."""
    slugs = ("hoorn", "enkhuizen", "medemblik", "koggenland", "opmeer")
    held = [(slug, role) for role in (Role.TEAMLEIDER, Role.PRIVACY_OFFICER) for slug in slugs]
    user = UserFactory()
    for slug, role in held[:memberships]:
        member_of(slug, role, user=user)
    assert Membership.objects.filter(user=user).count() == memberships
    client.force_login(user)
    client.get(reverse("notifications"))  # the first request after a login writes the session
    assert len(membership_queries(client, reverse("notifications"))) == 1


def test_the_memberships_are_read_again_on_the_next_request(client, member_of):
    """Nothing is kept across requests: a role given between two pages shows on the second."""
    user = member_of("hoorn", Role.KLANTMANAGER)
    assert menu_of(client, user) == set()
    member_of("hoorn", Role.TEAMLEIDER, user=user)
    assert menu_of(client, user) == {"figures"}
    Membership.objects.filter(user=user, role=Role.TEAMLEIDER).update(is_active=False)
    assert menu_of(client, user) == set()


def test_the_memo_belongs_to_the_requests_user(member_of, django_assert_num_queries):
    lead = member_of("hoorn", Role.TEAMLEIDER)
    request = RequestFactory().get("/")
    request.user = lead
    with django_assert_num_queries(1):
        assert request_holds(request, {Role.TEAMLEIDER})
        assert request_holds(request, {Role.TEAMLEIDER}, kind="gemeente")
        assert not request_holds(request, {Role.TEAMLEIDER}, kind="werksaam")
        assert request_memberships(request) == {(Role.TEAMLEIDER, "gemeente")}
    # Another user on the same request (a login halfway through it) is read afresh.
    request.user = UserFactory()
    with django_assert_num_queries(1):
        assert not request_holds(request, {Role.TEAMLEIDER})


def role_questions(client, url):
    """The queries that ask which roles the user holds: an EXISTS on their memberships, or a
    read of their roles (not the access filter's subqueries inside a query of cases or
    organisations, nor a list of the municipalities a team lead leads)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return [
        q["sql"]
        for q in ctx.captured_queries
        if "municipalities_membership" in q["sql"]
        and q["sql"].startswith(('SELECT 1 AS "a"', 'SELECT "municipalities_membership"."role"'))
    ]


@pytest.mark.parametrize("rows", [10, 1000])
def test_the_case_list_asks_the_users_roles_once(client, member_of, hoorn, rows):
    """The register links, the assignment form and the menu: one read of the memberships (the
    register links and the assignment form were two more EXISTS queries)."""
    from .factories import InburgeraarFactory

    lead = member_of("hoorn", Role.TEAMLEIDER)
    InburgeraarFactory.create_batch(rows, municipality=hoorn)
    client.force_login(lead)
    client.get(reverse("case-list"))
    assert len(role_questions(client, reverse("case-list"))) == 1


@pytest.mark.parametrize(
    ("slug", "role", "register", "assign"),
    [
        ("hoorn", Role.KLANTMANAGER, True, False),
        ("hoorn", Role.TEAMLEIDER, True, True),
        ("hoorn", Role.BEHEERDER, True, True),
        ("werksaam", Role.WERKSAAM_MEDEWERKER, False, False),
        ("werksaam", Role.TEAMLEIDER, False, False),
    ],
)
def test_the_case_list_links_follow_the_roles(client, member_of, slug, role, register, assign):
    client.force_login(member_of(slug, role))
    response = client.get(reverse("case-list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert (f'href="{reverse("case-register")}"' in html) is register
    assert ('id="assign-form"' in html) is assign
    assert response.context["may_register"] is register


def test_vandaag_asks_the_users_roles_once(client, member_of):
    """Vandaag's own questions (WerkSaam, staff, the language school's section) and the menu's:
    one read of the memberships (three queries before)."""
    client.force_login(member_of("hoorn", Role.KLANTMANAGER))
    client.get(reverse("home"))
    assert len(role_questions(client, reverse("home"))) == 1


@pytest.mark.parametrize(
    ("role", "template"),
    [
        (Role.BEHEERDER, "cases/home_staff.html"),
        (Role.AUDITOR, "cases/home_staff.html"),
    ],
)
def test_vandaag_of_staff_without_a_caseload(client, member_of, role, template):
    client.force_login(member_of("hoorn", role))
    response = client.get(reverse("home"))
    assert template in [t.name for t in response.templates]


def test_vandaag_of_a_language_schools_staff_leads_to_their_page(client):
    client.force_login(school_user(language_school()))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert f'href="{reverse("uitvoering:school-home")}"' in response.content.decode()


def test_vandaag_sends_werksaam_staff_to_their_dashboard(client, member_of):
    client.force_login(member_of("werksaam", Role.WERKSAAM_MEDEWERKER))
    assert client.get(reverse("home")).url == reverse("werksaam_bridge:dashboard")


@pytest.mark.parametrize(("unread", "read", "badge"), [(0, 5, ""), (3, 10, "3"), (120, 10, "99+")])
def test_the_unread_badge_reads_the_unread_rows_without_sorting(member_of, unread, read, badge):
    """The header's badge on every page: at most 100 unread ids, in no order (the model's
    newest-first order made PostgreSQL walk the inbox index past the read rows)."""
    from django.utils import timezone

    from deadlines.models import Notification
    from deadlines.selectors import unread_count

    user = member_of("hoorn", Role.KLANTMANAGER)
    Notification.objects.bulk_create(
        Notification(user=user, subject="s", text="t", read_at=timezone.now() if i < read else None)
        for i in range(read + unread)
    )
    with CaptureQueriesContext(connection) as ctx:
        assert unread_count(user) == badge
    (sql,) = [q["sql"] for q in ctx.captured_queries]
    assert "ORDER BY" not in sql


MEMBERSHIP_KINDS = [
    ("hoorn", Role.KLANTMANAGER),
    ("hoorn", Role.TEAMLEIDER),
    ("hoorn", Role.BEHEERDER),
    ("hoorn", Role.PRIVACY_OFFICER),
    ("hoorn", Role.AUDITOR),
    ("hoorn", Role.TAALSCHOOL),
    ("werksaam", Role.WERKSAAM_MEDEWERKER),
    ("werksaam", Role.TEAMLEIDER),
]


@pytest.mark.parametrize(("slug", "role"), MEMBERSHIP_KINDS)
@pytest.mark.parametrize("active", [True, False])
def test_the_menus_answers_from_the_request_agree_with_the_pages_own_checks(
    member_of, slug, role, active
):
    """Each menu answer read from the request's memberships is the same rule as the check the
    page itself makes from the user (a query of its own): they cannot drift apart."""
    from privacy.selectors import is_privacy_officer, is_privacy_officer_of_request
    from reporting.selectors import may_see_figures, shows_figures
    from uitvoering.models import school_ids
    from uitvoering.selectors import works_for_a_school

    users = [member_of(slug, role, active=active), school_user(language_school())]
    for user in users:
        request = RequestFactory().get("/")
        request.user = user
        assert shows_figures(request) == may_see_figures(user)
        assert is_privacy_officer_of_request(request) == is_privacy_officer(user)
        assert works_for_a_school(request) == school_ids(user).exists()
