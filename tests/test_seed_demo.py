"""The demo seed: a login for every role, realistic cases (with every kind of deadline),
idempotent. (That it never runs in production: tests/test_seed_demo_guard.py.)

Seeding takes seconds, so the demo is built once for this module (`seeded`) inside a transaction
that is rolled back when the module is done; each test runs in a savepoint inside it, as usual.
"""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from cases.models import Doelgroep, HouseholdLink, Inburgeraar
from deadlines.models import Deadline, Kind
from municipalities.models import Membership, Role

from .auth_helpers import login_with_second_factor
from .factories import MUNICIPALITY_SLUGS

# Under `make test` (two xdist workers, --dist load) each worker that runs tests of this module
# builds the demo once.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

DEMO_USERNAMES = [
    *(f"klantmanager.{slug}" for slug in MUNICIPALITY_SLUGS),
    *(f"teamleider.{slug}" for slug in MUNICIPALITY_SLUGS),
    "werksaam.medewerker",
    "beheerder",
    "auditor",
    "privacy",
]


FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as tests/conftest.py


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo, seeded once for the module and rolled back after its last test."""
    with django_db_blocker.unblock():
        module_transaction = transaction.atomic()
        module_transaction.__enter__()
        with override_settings(DEBUG=True, PASSWORD_HASHERS=FAST_HASHER):
            call_command("seed_demo")
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        module_transaction.__exit__(None, None, None)


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


def visible_count(username):
    return Inburgeraar.objects.visible_to(User.objects.get(username=username)).count()


def test_creates_every_demo_user(seeded):
    assert set(User.objects.values_list("username", flat=True)) >= set(DEMO_USERNAMES)
    assert len(DEMO_USERNAMES) == 18


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


def test_seed_is_idempotent(seeded, debug):
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


def test_second_run_keeps_passwords(seeded, debug, settings, client):
    call_command("seed_demo")
    assert demo_login(client, "klantmanager.hoorn", settings)


def test_demo_has_every_kind_of_deadline(seeded, debug):
    from demo.seed import seed_demo

    kinds = set(Deadline.objects.values_list("kind", flat=True))
    assert kinds == set(Kind.values)
    adopted = Deadline.objects.filter(kind=Kind.TERMIJN_END).select_related("inburgeraar")
    assert adopted.exists()
    for row in adopted:
        assert row.due_date == row.inburgeraar.pip.termijn_end
    count = Deadline.objects.count()
    seed_demo()  # idempotent
    assert Deadline.objects.count() == count


def test_uitvoering_demo(seeded, debug, client, settings):
    from uitvoering.models import Afronding, Attendance, Enrolment, ExamResult, ProgressReview

    for username in ("taalschool.taalhuis", "taalschool.debrug"):
        assert Membership.objects.filter(user__username=username, role=Role.TAALSCHOOL).exists()
        assert User.objects.get(username=username).check_password(settings.DEMO_PASSWORD)
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
