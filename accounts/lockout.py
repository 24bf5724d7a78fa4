"""Brute-force protection with django-axes: the cool-off the beheerder sets, the lockout answer
(the login page with a clear message) and the audit entry of every lockout."""

from datetime import timedelta

from django.conf import settings
from django.shortcuts import render


def cool_off(request=None) -> timedelta:
    """AXES_COOLOFF_TIME: the minutes from the environment (AXES_COOLOFF_MINUTES)."""
    return timedelta(minutes=settings.AXES_COOLOFF_MINUTES)


def username_of(request, credentials=None) -> str | None:
    """The username axes counts: from authenticate()'s credentials, or from the login page's
    first step (its fields carry the wizard's prefix "auth-")."""
    if credentials and credentials.get("username"):
        return credentials["username"]
    if request is not None and request.method == "POST":
        return request.POST.get("auth-username") or request.POST.get("username")
    return None


def lockout_response(request, original_response=None, credentials=None, *args, **kwargs):
    """The login page again, with the reason and the wait, answered with 429."""
    from .views import empty_login_form

    return render(
        request,
        "two_factor/core/login.html",
        {
            "locked_out": True,
            "cool_off_minutes": settings.AXES_COOLOFF_MINUTES,
            **empty_login_form(request),
        },
        status=429,
    )


def on_user_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    from audit import events as audit

    audit.login_locked_out(username=username or "", ip_address=ip_address or "")
