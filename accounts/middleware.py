"""Session rules for people (not API clients): an idle timeout, and a verified second factor."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

LAST_SEEN_KEY = "last_seen"


def start_idle_clock(sender, request=None, user=None, **kwargs):
    """On login (user_logged_in): the idle clock starts with the session."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN_KEY] = int(time.time())


class IdleTimeoutMiddleware:
    """Logs out a session that was not used for SESSION_IDLE_TIMEOUT seconds. The absolute limit
    is SESSION_COOKIE_AGE (from the login, the session cookie's age)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                messages.info(
                    request,
                    _("U bent uitgelogd omdat u %(minutes)d minuten niets hebt gedaan.")
                    % {"minutes": settings.SESSION_IDLE_TIMEOUT // 60},
                )
                return redirect_to_login(request.get_full_path())
            # Write at most once a minute, not on every request.
            if last_seen is None or now - last_seen >= 60:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


def _exempt_paths():
    return (
        reverse("login"),
        reverse("logout"),
        reverse("two_factor:setup"),
        reverse("two_factor:qr"),
        reverse("two_factor:setup_complete"),
        reverse("two_factor:backup_tokens"),
        reverse("set_language"),
        settings.STATIC_URL,
        "/healthz",
        "/readyz",
    )


class SecondFactorRequiredMiddleware:
    """Every person's session needs a verified second factor (django-otp's `is_verified`). A user
    without a device is sent to set one up; a session that was logged in without the second
    factor (only possible outside the login page) is ended. API clients with a Bearer token are
    not session users and pass; the admin requires the same (AdminSiteOTPRequired in urls.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or user.is_verified()
            or request.path.startswith(_exempt_paths())
        ):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(
                {
                    "type": "about:blank",
                    "title": _("Tweede factor vereist"),
                    "status": 403,
                    "detail": _("Log in met uw tweede factor."),
                },
                status=403,
                content_type="application/problem+json",
            )
        from django_otp import devices_for_user

        if not any(devices_for_user(user, confirmed=True)):
            return redirect("two_factor:setup")
        logout(request)
        return redirect_to_login(request.get_full_path())
