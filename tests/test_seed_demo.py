"""The demo seed: a login for every role, realistic cases, idempotent, never in production."""

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from cases.models import Doelgroep, HouseholdLink, Inburgeraar
from municipalities.models import Membership, Role

from .auth_helpers import login_with_second_factor
from .factories import MUNICIPALITY_SLUGS

pytestmark = pytest.mark.django_db

DEMO_USERNAMES = [
    *(f"klantmanager.{slug}" for slug in MUNICIPALITY_SLUGS),
    *(f"teamleider.{slug}" for slug in MUNICIPALITY_SLUGS),
    "werksaam.medewerker",
    "beheerder",
    "auditor",
]


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_demo")


def visible_count(username):
    return Inburgeraar.objects.visible_to(User.objects.get(username=username)).count()


def test_creates_every_demo_user(seeded):
    assert set(User.objects.values_list("username", flat=True)) >= set(DEMO_USERNAMES)
    assert len(DEMO_USERNAMES) == 17


def demo_login(client, username, settings):
    """The demo login with the password and the code from DEMO_TOTP_SECRET's authenticator."""
    user = User.objects.get(username=username)
    response = login_with_second_factor(
        client, user, settings.DEMO_PASSWORD, secret=settings.DEMO_TOTP_SECRET
    )
    logged_in = response.status_code == 302 and client.session.get("_auth_user_id") == str(user.pk)
    client.logout()
    return logged_in


def test_every_demo_user_can_log_in(seeded, client, settings):
    # One seed for all 17 logins (seeding takes seconds); the message names any that fails.
    refused = [u for u in DEMO_USERNAMES if not demo_login(client, u, settings)]
    assert refused == []


def test_demo_users_get_the_documented_totp_secret(seeded, settings):
    from accounts.second_factor import hex_key_from_base32

    assert settings.DEMO_TOTP_SECRET == "INBURGERINGWESTFRIESLAND"  # README, "Demo logins"
    key = hex_key_from_base32(settings.DEMO_TOTP_SECRET)
    devices = TOTPDevice.objects.filter(user__username__in=DEMO_USERNAMES, name="default")
    assert devices.count() == len(DEMO_USERNAMES)
    assert set(devices.values_list("key", flat=True)) == {key}
    assert all(devices.values_list("confirmed", flat=True))


def test_roles_and_memberships(seeded):
    for slug in MUNICIPALITY_SLUGS:
        assert Membership.objects.filter(
            user__username=f"klantmanager.{slug}",
            organisation__slug=slug,
            role=Role.KLANTMANAGER,
            is_active=True,
        ).exists()
        assert Membership.objects.filter(
            user__username=f"teamleider.{slug}", organisation__slug=slug, role=Role.TEAMLEIDER
        ).exists()
    assert Membership.objects.filter(
        user__username="werksaam.medewerker",
        organisation__slug="werksaam",
        role=Role.WERKSAAM_MEDEWERKER,
    ).exists()
    assert User.objects.get(username="beheerder").is_staff
    assert User.objects.get(username="auditor").is_staff
    assert not User.objects.get(username="klantmanager.hoorn").is_staff


def test_cases_in_every_municipality_with_all_doelgroepen(seeded):
    for slug in MUNICIPALITY_SLUGS:
        assert Inburgeraar.objects.filter(municipality__slug=slug).exists(), slug
    assert set(Inburgeraar.objects.values_list("doelgroep", flat=True)) == set(Doelgroep.values)
    assert HouseholdLink.objects.exists()


def test_demo_users_see_what_their_role_allows(seeded):
    total = Inburgeraar.objects.count()
    in_hoorn = Inburgeraar.objects.filter(municipality__slug="hoorn").count()
    assert visible_count("klantmanager.hoorn") == in_hoorn < total
    assert visible_count("teamleider.hoorn") == in_hoorn
    assert visible_count("beheerder") == total
    # WerkSaam sees exactly the cases shared with it (werksaam_bridge.demo).
    from werksaam_bridge.models import Share

    shared = Share.objects.active().values("inburgeraar").distinct().count()
    assert visible_count("werksaam.medewerker") == shared > 0
    assert visible_count("auditor") == 0


def test_seed_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (
        User.objects.count(),
        Inburgeraar.objects.count(),
        Membership.objects.count(),
        HouseholdLink.objects.count(),
    )
    call_command("seed_demo")
    assert (
        User.objects.count(),
        Inburgeraar.objects.count(),
        Membership.objects.count(),
        HouseholdLink.objects.count(),
    ) == counts
    assert counts[1] > 0


def test_second_run_keeps_passwords(settings, client):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    assert demo_login(client, "klantmanager.hoorn", settings)


def test_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.filter(username="beheerder").exists()
    assert not Inburgeraar.objects.exists()


def test_uitvoering_demo(seeded, client, settings):
    from uitvoering.models import Afronding, Attendance, Enrolment, ExamResult, ProgressReview

    for username in ("taalschool.taalhuis", "taalschool.debrug"):
        assert Membership.objects.filter(user__username=username, role=Role.TAALSCHOOL).exists()
        assert client.login(username=username, password=settings.DEMO_PASSWORD)
    # Every demo case whose PIP is adopted and that is still running has its course.
    running = Inburgeraar.objects.filter(
        status="uitvoering", pip__dagtekening_initiele_pip__isnull=False
    )
    assert running.count() >= 7
    assert not running.filter(enrolments__isnull=True).exists()
    assert Attendance.objects.exists() and ProgressReview.objects.exists()
    assert ExamResult.objects.exists()
    outcomes = set(Afronding.objects.values_list("outcome", flat=True))
    assert outcomes == {"voldaan", "niet_voldaan", "beeindigd"}
    assert Afronding.objects.filter(moved_to="Amsterdam").exists()
    before = Enrolment.objects.count()
    call_command("seed_demo")
    assert Enrolment.objects.count() == before
