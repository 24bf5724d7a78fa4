"""Logging in (issue 11): brute-force lockout (django-axes), the second factor for every login
(TOTP and recovery codes, the beheerder's reset, the admin), passwords and the idle timeout."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEntry
from municipalities.models import Role

from .auth_helpers import (
    current_code,
    login_with_second_factor,
    post_code,
    post_password,
    totp_device,
)
from .conftest import PLAIN_FORCE_LOGIN
from .factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def logged_in_as(client):
    return client.session.get("_auth_user_id")


# --- 5. lockout ----------------------------------------------------------------------------------


def test_wrong_passwords_lock_the_account_until_the_cool_off_has_passed(
    client, caseworker_of, settings
):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_COOLOFF_MINUTES = 15
    user = caseworker_of("hoorn")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            post_password(client, user.username, "fout-wachtwoord-123")
        response = login_with_second_factor(client, user, TEST_PASSWORD)
        assert response.status_code == 429
        body = response.content.decode()
        assert "Te veel mislukte inlogpogingen" in body
        assert "15 minuten" in body
        assert logged_in_as(client) is None
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert login_with_second_factor(client, user, TEST_PASSWORD).status_code == 429
    with time_machine.travel(start + timedelta(minutes=30), tick=False):
        response = login_with_second_factor(client, user, TEST_PASSWORD)
        assert response.status_code == 302, response.content.decode()[:500]
        assert logged_in_as(client) == str(user.pk)


def test_lockout_is_per_username_from_any_address(client, caseworker_of, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = caseworker_of("hoorn")
    for number in range(3):
        post_password(client, user.username, "fout", REMOTE_ADDR=f"10.0.0.{number}")
    other_machine = Client(REMOTE_ADDR="10.9.9.9")
    assert login_with_second_factor(other_machine, user, TEST_PASSWORD).status_code == 429


def test_lockout_is_per_address_across_usernames(client, caseworker_of, settings):
    settings.AXES_FAILURE_LIMIT = 3
    victim = caseworker_of("hoorn")
    for number in range(3):
        post_password(client, f"geraden{number}", "fout", REMOTE_ADDR="10.1.1.1")
    same_machine = Client(REMOTE_ADDR="10.1.1.1")
    assert login_with_second_factor(same_machine, victim, TEST_PASSWORD).status_code == 429
    elsewhere = Client(REMOTE_ADDR="10.2.2.2")
    assert login_with_second_factor(elsewhere, victim, TEST_PASSWORD).status_code == 302


def test_a_lockout_is_audited(client, caseworker_of, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = caseworker_of("hoorn")
    for _ in range(3):
        post_password(client, user.username, "fout")
    entry = AuditEntry.objects.get(reason__startswith="inloggen geblokkeerd")
    assert entry.object_type == "accounts.user"
    assert entry.object_id == str(user.pk)
    assert entry.changes == {"locked_out": [False, True]}


def test_cool_off_comes_from_the_environment_setting(settings):
    from axes.helpers import get_cool_off

    settings.AXES_COOLOFF_MINUTES = 42
    assert get_cool_off() == timedelta(minutes=42)


# --- 6. second factor ----------------------------------------------------------------------------


def test_password_alone_does_not_log_in(client, caseworker_of):
    user = caseworker_of("hoorn")
    totp_device(user)
    response = post_password(client, user.username, TEST_PASSWORD)
    assert response.status_code == 200
    assert "authenticator-app" in response.content.decode()
    assert logged_in_as(client) is None
    assert client.get("/").status_code == 302


def test_a_wrong_code_is_refused_and_the_right_one_logs_in(client, caseworker_of):
    user = caseworker_of("hoorn")
    device = totp_device(user)
    post_password(client, user.username, TEST_PASSWORD)
    response = post_code(client, "000000" if current_code(device) != "000000" else "111111")
    assert response.status_code == 200
    assert "niet juist" in response.content.decode()
    assert logged_in_as(client) is None
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    response = post_code(client, current_code(device))
    assert response.status_code == 302
    assert response.url == "/"
    assert client.get("/").status_code == 200


@pytest.mark.parametrize(
    "role",
    [
        Role.KLANTMANAGER,
        Role.TEAMLEIDER,
        Role.WERKSAAM_MEDEWERKER,
        Role.BEHEERDER,
        Role.AUDITOR,
    ],
)
def test_every_role_needs_the_second_factor(client, member_of, role):
    slug = "werksaam" if role == Role.WERKSAAM_MEDEWERKER else "hoorn"
    user = member_of(slug, role)
    totp_device(user)
    post_password(client, user.username, TEST_PASSWORD)
    assert logged_in_as(client) is None


def test_a_user_without_a_device_sets_one_up_before_anything_else(client, caseworker_of):
    user = caseworker_of("hoorn")
    response = post_password(client, user.username, TEST_PASSWORD)
    assert response.status_code == 302
    # Logged in with the password, but every page sends to the set-up of the second factor.
    response = client.get("/inburgeraars/")
    assert response.status_code == 302
    assert response.url == reverse("two_factor:setup")
    assert client.get(reverse("two_factor:setup")).status_code == 200
    assert client.get("/api/v1/inburgeraars/").status_code == 403


def test_a_session_without_the_second_factor_is_ended(client, caseworker_of):
    user = caseworker_of("hoorn")
    totp_device(user)
    PLAIN_FORCE_LOGIN(client, user)
    response = client.get("/inburgeraars/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert logged_in_as(client) is None


def test_a_recovery_code_logs_in_once(client, caseworker_of):
    user = caseworker_of("hoorn")
    totp_device(user)
    backup = StaticDevice.objects.create(user=user, name="backup")
    StaticToken.objects.create(device=backup, token="herstel12")
    post_password(client, user.username, TEST_PASSWORD)
    response = client.post(
        "/accounts/login/", {"login_view-current_step": "token", "wizard_goto_step": "backup"}
    )
    assert "herstelcodes" in response.content.decode()
    response = post_code(client, "herstel12", step="backup")
    assert response.status_code == 302
    assert logged_in_as(client) == str(user.pk)
    client.logout()
    post_password(client, user.username, TEST_PASSWORD)
    client.post(
        "/accounts/login/", {"login_view-current_step": "token", "wizard_goto_step": "backup"}
    )
    assert post_code(client, "herstel12", step="backup").status_code == 200
    assert logged_in_as(client) is None


def test_recovery_codes_page_makes_codes(client, caseworker_of):
    user = caseworker_of("hoorn")
    client.force_login(user)
    response = client.post(reverse("two_factor:backup_tokens"), follow=True)
    assert response.status_code == 200
    assert StaticToken.objects.filter(device__user=user).count() == 10


def test_beheerder_resets_a_users_second_factor_audited(client, member_of, caseworker_of):
    beheerder = member_of("hoorn", Role.BEHEERDER)
    user = caseworker_of("hoorn")
    totp_device(user)
    StaticDevice.objects.create(user=user, name="backup")
    client.force_login(beheerder)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [user.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    entry = AuditEntry.objects.get(reason="tweede factor hersteld")
    assert entry.actor == beheerder
    assert entry.object_id == str(user.pk)


def test_the_admin_needs_the_verified_second_factor(client, member_of):
    beheerder = member_of("hoorn", Role.BEHEERDER)
    totp_device(beheerder)
    PLAIN_FORCE_LOGIN(client, beheerder)
    assert client.get("/admin/").status_code == 302
    # The admin's own login page sends to ours (password and code), not a password-only form.
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    client.force_login(beheerder)
    assert client.get("/admin/").status_code == 200


def test_the_admin_does_not_show_totp_secrets(client, member_of):
    from django.contrib import admin

    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)


def test_api_clients_keep_their_bearer_tokens(api_client, hoorn):
    from api.services import create_api_client

    _client, token = create_api_client(None, organisation=hoorn, name="Koppeling", scopes=["read"])
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api_client.get("/api/v1/inburgeraars/").status_code == 200


# --- 7. passwords and sessions ---------------------------------------------------------------------


def test_passwords_need_twelve_characters():
    with pytest.raises(ValidationError):
        validate_password("pentestuse9")  # 11 characters
    validate_password("een-lange-zin-als-wachtwoord")


def test_the_admin_add_form_requires_a_password(client, member_of):
    from accounts.admin import UserAddForm

    assert "usable_password" not in UserAddForm.base_fields
    form = UserAddForm(data={"username": "zonderwachtwoord"})
    assert not form.is_valid()
    assert "password1" in form.errors
    form = UserAddForm(data={"username": "kort", "password1": "kort1", "password2": "kort1"})
    assert not form.is_valid()
    beheerder = member_of("hoorn", Role.BEHEERDER)
    client.force_login(beheerder)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {"username": "zonderwachtwoord", "usable_password": "false"},
    )
    assert response.status_code == 200
    from accounts.models import User

    assert not User.objects.filter(username="zonderwachtwoord").exists()


def test_a_user_without_a_usable_password_cannot_log_in(client):
    user = UserFactory()
    user.set_unusable_password()
    user.save()
    response = post_password(client, user.username, "")
    assert response.status_code == 200
    assert logged_in_as(client) is None


def test_idle_session_is_logged_out(client, caseworker_of, settings):
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    user = caseworker_of("hoorn")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(user)
        assert client.get("/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=58), tick=False):
        assert client.get("/").status_code == 200  # 29 minutes after the last request
    with time_machine.travel(start + timedelta(minutes=89), tick=False):
        response = client.get("/")
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
        assert logged_in_as(client) is None


def test_idle_timeout_default_is_thirty_minutes_and_absolute_age_stays():
    from django.conf import settings

    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert settings.SESSION_COOKIE_AGE == 9 * 60 * 60


def test_behind_the_proxy_each_client_has_its_own_address(client, caseworker_of, settings):
    """Production runs behind one TLS proxy (TRUSTED_PROXY_COUNT=1): every request comes from the
    proxy's address, so the lockout must count the client's address from X-Forwarded-For, or
    five wrong passwords from anyone would lock everyone out."""
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_IPWARE_PROXY_COUNT = 0
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    victim = caseworker_of("hoorn")
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for number in range(3):
        post_password(
            client, f"geraden{number}", "fout", HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy
        )
    attacker = Client(HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    assert login_with_second_factor(attacker, victim, TEST_PASSWORD).status_code == 429
    colleague = Client(HTTP_X_FORWARDED_FOR="198.51.100.20", **proxy)
    assert login_with_second_factor(colleague, victim, TEST_PASSWORD).status_code == 302


def test_without_a_proxy_a_forged_forwarded_header_does_not_dodge_the_lockout(
    client, caseworker_of, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    victim = caseworker_of("hoorn")
    for number in range(3):
        post_password(
            client,
            f"geraden{number}",
            "fout",
            REMOTE_ADDR="10.1.1.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number}",
        )
    forged = Client(REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert login_with_second_factor(forged, victim, TEST_PASSWORD).status_code == 429
