"""Logging in as a person does: password, then the TOTP code computed from the device's key
(django-otp's own TOTP), or a recovery code."""

import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.second_factor import give_totp_device

# The test users' authenticator secret (base32), like DEMO_TOTP_SECRET for the demo users.
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DP"
LOGIN_URL = "/accounts/login/"


def totp_device(user, secret=TEST_TOTP_SECRET) -> TOTPDevice:
    """The user's TOTP device, ready for a new code (a code is accepted once per time step: two
    logins in one test within 30 seconds would otherwise be refused as a replay)."""
    device = give_totp_device(user, secret)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    device.refresh_from_db()
    return device


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def post_password(client, username, password, **extra):
    return client.post(
        LOGIN_URL,
        {
            "login_view-current_step": "auth",
            "auth-username": username,
            "auth-password": password,
        },
        **extra,
    )


def post_code(client, code, step="token"):
    return client.post(LOGIN_URL, {"login_view-current_step": step, f"{step}-otp_token": code})


def login_with_second_factor(client, user, password, secret=TEST_TOTP_SECRET):
    """The whole login: returns the last response (a redirect to Vandaag when it worked)."""
    device = totp_device(user, secret)
    response = post_password(client, user.username, password)
    if response.status_code != 200:
        return response
    return post_code(client, current_code(device))


def browser_login(page, base_url, user, password, *, check=None):
    """In the browser: username and password, then the current TOTP code. `check(page)` runs on
    each of the two login pages (the axe check)."""
    device = totp_device(user)
    page.goto(f"{base_url}{LOGIN_URL}")
    if check:
        check(page)
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    code_field = page.get_by_label("Code uit de authenticator-app")
    code_field.wait_for()
    if check:
        check(page)
    code_field.fill(current_code(device))
    page.get_by_role("button", name="Controleren").click()


def watch_for_csp_violations(page) -> list[str]:
    """The browser console's Content-Security-Policy reports on this page, as they come."""
    violations = []

    def on_console(message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    return violations
