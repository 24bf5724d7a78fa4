"""The in-process half of the page benchmark (`manage.py bench_pages --prepare OUT`), run with the
same production settings as the gunicorn that serves the pages.

* A signed-in session per demo user: the state a completed login with the second factor leaves
  (django.contrib.auth's keys, django-otp's verified device, the idle clock), created directly in
  the session store, so the benchmark does not depend on the login form's rate limits.
* A read-scoped API token for Hoorn (a new API client per run, named "bench ...").
* The pages, each with its user; for every page one warm-up and then one measured request with
  the Django test client under `CaptureQueriesContext`: the number of queries, the sum of their
  SQL time and the audit rows the page wrote (with their INSERT time).
"""

from __future__ import annotations

import time
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

USERS = (
    "klantmanager.hoorn",
    "teamleider.hoorn",
    "werksaam.medewerker",
    "beheerder",
    "auditor",
)
KM, TL, WERKSAAM, BEHEERDER, AUDITOR = USERS
# Pages not in the concurrent mix: the exports (a file download, not a page view).
NOT_IN_MIX = ("werksaam csv", "werksaam xlsx")


def signed_in_session(user) -> str:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.middleware import LAST_SEEN_KEY

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise RuntimeError(f"{user.username} heeft geen bevestigd TOTP-apparaat (seed_demo)")
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    store[LAST_SEEN_KEY] = int(time.time())
    store.save()
    return store.session_key


def api_token() -> str:
    from api.models import ApiScope
    from api.services import create_api_client
    from municipalities.models import Organisation

    _client, token = create_api_client(
        None,
        organisation=Organisation.objects.get(slug="hoorn"),
        name=f"bench {timezone.now():%Y-%m-%d %H:%M:%S}",
        scopes=[ApiScope.READ],
    )
    return token


def _case_for(user):
    """A Hoorn case of the klantmanager with an adopted PIP and an enrolment (every tab has
    content), else any case the user may open."""
    from cases.models import Inburgeraar
    from cases.selectors import dossiers_for

    cases = dossiers_for(user).filter(caseworker=user)
    rich = cases.filter(
        pip__versions__status="vastgesteld", enrolments__isnull=False, shares__isnull=False
    ).order_by("pk")
    return rich.first() or cases.order_by("pk").first() or Inburgeraar.objects.first()


def _later_cursor(client, url, headers, hops=5) -> str:
    """The address of the API list's page `hops` pages on (its `next` link)."""
    for _ in range(hops):
        response = client.get(url, secure=True, **headers)
        following = response.json().get("next") if response.status_code == 200 else None
        if not following:
            break
        url = following.split("://", 1)[-1].split("/", 1)[-1]
        url = "/" + url
    return url


def _searched(client, session, url) -> str:
    """A BSN search is never in the address: ?q=<BSN> redirects to a reference kept in the
    session; the page measured is the one it redirects to."""
    client.cookies[settings.SESSION_COOKIE_NAME] = session
    response = client.get(url, secure=True)
    return response["Location"] if response.status_code == 302 else url


def pages(users, token, client, sessions) -> list[dict]:
    from cases import registry
    from cases.selectors import cases_for

    km = users[KM]
    case = _case_for(km)
    visible = cases_for(km).count()
    deep = max(1, min(1000, (visible + 24) // 25))
    result = [
        {"name": "vandaag", "url": reverse("home"), "user": KM},
        {"name": "vandaag tl", "url": reverse("home"), "user": TL},
        {"name": "case list", "url": reverse("case-list"), "user": KM},
        {"name": "name search", "url": reverse("case-list") + "?q=Haddad", "user": KM},
        {"name": "accented name", "url": reverse("case-list") + "?q=%C3%96zt%C3%BCrk", "user": KM},
        {
            "name": "bsn search",
            "url": _searched(client, sessions[KM], reverse("case-list") + f"?q={case.bsn}"),
            "user": KM,
        },
        {"name": "sort next deadline", "url": reverse("case-list") + "?sort=termijn", "user": KM},
        {"name": "deep page", "url": reverse("case-list") + f"?page={deep}", "user": KM},
        {"name": "dossier", "url": reverse("case-detail", args=[case.pk]), "user": KM},
    ]
    for tab in registry.visible_tabs(km, case):
        result.append(
            {
                "name": f"tab {tab.slug}",
                "url": reverse("case-tab", args=[case.pk, tab.slug]),
                "user": KM,
            }
        )
    result += [
        {"name": "mijn termijnen km", "url": reverse("my-deadlines"), "user": KM},
        {"name": "mijn termijnen tl", "url": reverse("my-deadlines"), "user": TL},
        {"name": "meldingen", "url": reverse("notifications"), "user": KM},
        {
            "name": "werksaam dashboard",
            "url": reverse("werksaam_bridge:dashboard"),
            "user": WERKSAAM,
        },
        {
            "name": "werksaam csv",
            "url": reverse("werksaam_bridge:dashboard-export", args=["csv"]),
            "user": WERKSAAM,
        },
        {
            "name": "werksaam xlsx",
            "url": reverse("werksaam_bridge:dashboard-export", args=["xlsx"]),
            "user": WERKSAAM,
        },
        {"name": "stuurinformatie", "url": reverse("reporting:figures"), "user": TL},
        {"name": "werkverdeling", "url": reverse("reporting:caseload"), "user": TL},
    ]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    for name, path in (
        ("api inburgeraars", "/api/v1/inburgeraars/"),
        ("api deadlines", "/api/v1/deadlines/"),
    ):
        result.append({"name": name, "url": path, "token": True})
        later = _later_cursor(client, path, headers)
        result.append({"name": f"{name} cursor", "url": later, "token": True})
    result += [
        {"name": "admin cases", "url": "/admin/cases/inburgeraar/", "user": BEHEERDER},
        {"name": "admin audit", "url": "/admin/audit/auditentry/", "user": AUDITOR},
    ]
    for page in result:
        page["mix"] = page["name"] not in NOT_IN_MIX
    return result


def measure(client, page, sessions, token) -> dict:
    """One warm-up, then one request under CaptureQueriesContext."""
    if page.get("token"):
        extra = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        client.cookies.clear()
    else:
        extra = {}
        client.cookies[settings.SESSION_COOKIE_NAME] = sessions[page["user"]]
    client.get(page["url"], secure=True, **extra)
    before = _audit_head()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page["url"], secure=True, **extra)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    queries = captured.captured_queries
    audit = [q for q in queries if q["sql"].startswith('INSERT INTO "audit_auditentry"')]
    return {
        "status": response.status_code,
        "queries": len(queries),
        "sql_ms": sum(float(q["time"]) for q in queries) * 1000,
        "audit_rows": _audit_head() - before,
        "audit_ms": sum(float(q["time"]) for q in audit) * 1000,
    }


def _audit_head() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM audit_auditentry")
        return cursor.fetchone()[0]


def prepare(only: str = "") -> dict:
    from accounts.models import User
    from cases.models import Inburgeraar

    users = {user.username: user for user in User.objects.filter(username__in=USERS)}
    missing = set(USERS) - set(users)
    if missing:
        raise RuntimeError(f"demogebruikers ontbreken: {sorted(missing)} (seed_demo)")
    sessions = {name: signed_in_session(user) for name, user in users.items()}
    token = api_token()
    # What beat does every few minutes: the Stuurinformatie counted and stored.
    from reporting.services import refresh_figures

    refresh_figures()
    client = Client()
    page_list = pages(users, token, client, sessions)
    if only:
        wanted = {name.strip() for name in only.split(",")}
        page_list = [page for page in page_list if page["name"] in wanted]
    measured = {page["name"]: measure(client, page, sessions, token) for page in page_list}
    return {
        "cases": Inburgeraar.objects.count(),
        "sessions": sessions,
        "token": token,
        "pages": page_list,
        "measured": measured,
    }
