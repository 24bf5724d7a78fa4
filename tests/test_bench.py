"""Issue 15: the national-size bench database (demo/bench.py) and the page benchmark's in-process
half (demo/bench_pages.py)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count
from django.test import override_settings

from audit.management.commands.verify_audit_chain import chain_problems
from audit.models import AuditEntry
from cases.models import Inburgeraar
from deadlines.models import Deadline, Notification, Reminder
from demo import bench
from intake.models import Intake
from municipalities.models import Membership
from pip_plans.models import PipVersion
from tests.factories import InburgeraarFactory
from werksaam_bridge.models import Share

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the bench database is PostgreSQL's"
)


@pytest.mark.django_db
def test_bench_build_refuses_sqlite_and_a_database_with_real_cases():
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="PostgreSQL"):
            call_command("bench_build", "--cases", "10")
        return
    InburgeraarFactory()
    with pytest.raises(CommandError, match="geen benchmarkdatabase"):
        call_command("bench_build", "--cases", "10")


@postgres_only
@pytest.mark.slow
@pytest.mark.django_db
@override_settings(DEBUG=True)  # the demo seed refuses to run with DEBUG off
def test_bench_build_makes_the_national_mix_keeps_the_chain_and_every_page_answers(monkeypatch):
    monkeypatch.setattr(bench, "SHARES", 10)
    monkeypatch.setattr(bench, "CASELOAD", 10)
    bench.build(200, log=lambda line: None, audit_per_case=5)
    cases = Inburgeraar.objects.filter(v_nummer__startswith="B")
    assert cases.count() == 200
    # A klantmanager carries a caseload, not the municipality: Hoorn's cases are spread over
    # the demo's klantmanager and klantmanager.hoorn.1, .2, ... (about CASELOAD each).
    hoorn = cases.filter(municipality__slug="hoorn", caseworker__isnull=False)
    loads = list(hoorn.values("caseworker").annotate(n=Count("pk")).values_list("n", flat=True))
    assert len(loads) >= 3 and max(loads) <= 2 * 10
    assert hoorn.filter(caseworker__username="klantmanager.hoorn").exists()
    assert Membership.objects.filter(
        user__username="klantmanager.hoorn.1", role="klantmanager", organisation__slug="hoorn"
    ).exists()
    assert 45 <= cases.filter(municipality__slug="hoorn").count() <= 75  # about 30%
    assert Intake.objects.filter(inburgeraar__in=cases).count() == 140  # 70%
    adopted = cases.filter(pip__versions__status="vastgesteld").distinct()
    assert adopted.count() == 100  # 50%
    assert PipVersion.objects.filter(
        pip__inburgeraar__in=cases, number=3, status="vastgesteld"
    ).exists()
    assert Share.objects.filter(inburgeraar__in=cases).count() == 10
    assert Deadline.objects.filter(inburgeraar__in=cases).count() > 5 * 200
    assert Reminder.objects.filter(deadline__inburgeraar__in=cases).exists()
    assert Notification.objects.filter(inburgeraar__in=cases).exists()
    assert (
        AuditEntry.objects.filter(
            object_id__in=[str(pk) for pk in cases.values_list("pk", flat=True)]
        ).count()
        >= 5 * 200
    )
    problems, (head, _hash) = chain_problems()
    assert problems == []
    assert head == AuditEntry.objects.count()
    assert bench.is_built(200)
    # The builder's next run changes nothing, and a later entry still joins the chain.
    before = AuditEntry.objects.count()
    call_command("bench_build", "--cases", "200")
    assert AuditEntry.objects.count() == before
    with pytest.raises(CommandError, match="gebouwd voor 200"):
        call_command("bench_build", "--cases", "300")

    from demo.bench_pages import prepare

    prepared = prepare()
    statuses = {name: result["status"] for name, result in prepared["measured"].items()}
    assert set(statuses.values()) == {200}, statuses
    names = set(statuses)
    assert {
        "vandaag",
        "vandaag tl",
        "werkverdeling",
        "case list",
        "name search",
        "accented name",
        "bsn search",
        "sort next deadline",
        "deep page",
        "dossier",
        "tab pip",
        "mijn termijnen km",
        "mijn termijnen tl",
        "meldingen",
        "werksaam dashboard",
        "werksaam csv",
        "werksaam xlsx",
        "stuurinformatie",
        "api inburgeraars cursor",
        "api deadlines cursor",
        "admin cases",
        "admin audit",
    } <= names
    assert all(result["queries"] > 0 for result in prepared["measured"].values())
    problems, _head = chain_problems()
    assert problems == []


def test_bench_pages_warms_every_worker_on_every_page_of_the_mix():
    """Before timing, as many sessions at once as gunicorn has workers each ask every page of
    the mix once (not the exports): a worker's first request of a page is not timed."""
    import http.server
    import threading

    from demo.management.commands.bench_pages import Command

    asked = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            asked.append((self.path, self.headers.get("Cookie")))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    prepared = {
        "token": "t",
        "sessions": {"km": "s-km", "tl": "s-tl"},
        "pages": [
            {"name": "vandaag", "url": "/", "user": "km", "mix": True},
            {"name": "vandaag tl", "url": "/?tl", "user": "tl", "mix": True},
            {"name": "werksaam csv", "url": "/export.csv", "user": "km", "mix": False},
        ],
    }
    try:
        Command()._warm_workers(f"http://127.0.0.1:{server.server_port}", prepared, 3)
    finally:
        server.shutdown()
        server.server_close()
    assert sorted(asked) == sorted([("/", "sessionid=s-km")] * 3 + [("/?tl", "sessionid=s-tl")] * 3)
