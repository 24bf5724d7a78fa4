"""Webhooks of the WerkSaam bridge: an outbox written with the change, signed POSTs to a real local
HTTP receiver, a delivery log, and a retry sweep that resumes after the receiver failed."""

import hashlib
import hmac
import json
import threading
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction
from django.utils import timezone

from municipalities.models import Role
from pip_plans import services as pip_services
from pip_plans.models import PipStatus
from webhooks import events
from webhooks.models import WebhookDelivery, WebhookSubscriber
from werksaam_bridge import services
from werksaam_bridge.models import Benefit, Share, Unburdening

from .factories import PipFactory, PipVersionFactory, organisation
from .pip_helpers import draft_for

pytestmark = pytest.mark.django_db

SECRET = "test-geheim-van-werksaam"


class Receiver:
    """A small threaded HTTP server on 127.0.0.1 that records requests and answers with the next
    status code from `statuses` (the last one repeats)."""

    def __init__(self, statuses=(200,)):
        self.statuses = list(statuses)
        self.requests = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append({"headers": dict(self.headers), "body": body})
                status = (
                    receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                )
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def verify(request, secret=SECRET) -> bool:
    """What WerkSaam's system does with a request."""
    timestamp = request["headers"]["X-Webhook-Timestamp"]
    expected = hmac.new(
        secret.encode(), timestamp.encode() + b"." + request["body"], hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(request["headers"]["X-Signature"], f"sha256={expected}")


@pytest.fixture(autouse=True)
def eager_celery():
    """Deliveries are sent in the test, also when REDIS_URL is set (the PostgreSQL run)."""
    from westfriesland.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def caseworker(caseworker_of):
    return caseworker_of("hoorn")


@pytest.fixture
def case(case_in):
    return case_in("hoorn")


def subscriber(url, slug="werksaam", **kwargs):
    return WebhookSubscriber.objects.create(
        organisation=organisation(slug), name=f"Systeem {slug}", url=url, secret=SECRET, **kwargs
    )


def test_share_event_is_signed_and_verifiable(caseworker, case, django_capture_on_commit_callbacks):
    with Receiver() as receiver:
        subscriber(receiver.url)
        with django_capture_on_commit_callbacks(execute=True):
            share = services.start_share(caseworker, case, basis=Share.Basis.BENEFIT)
        assert len(receiver.requests) == 1
        request = receiver.requests[0]
    assert verify(request)
    assert not verify(request, secret="een ander geheim")
    delivery = WebhookDelivery.objects.get()
    assert request["headers"]["X-Webhook-Id"] == str(delivery.delivery_id)
    assert request["headers"]["X-Webhook-Event"] == "share.started"
    payload = json.loads(request["body"])
    assert payload["type"] == "share.started"
    assert payload["delivery_id"] == str(delivery.delivery_id)
    assert payload["inburgeraar"] == case.pk and payload["municipality"] == "GM0405"
    assert payload["data"]["share"] == share.pk
    # No personal data in the event: the receiver fetches what it may see through the API.
    assert case.bsn.encode() not in request["body"]
    assert case.surname.encode() not in request["body"]
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert delivery.attempts == 1 and delivery.last_status_code == 200 and delivery.delivered_at


def test_delivery_resumes_after_the_receiver_failed(
    caseworker, case, django_capture_on_commit_callbacks
):
    with Receiver(statuses=[500, 200]) as receiver:
        subscriber(receiver.url)
        with django_capture_on_commit_callbacks(execute=True):
            services.start_share(caseworker, case, basis=Share.Basis.BENEFIT)
        delivery = WebhookDelivery.objects.get()
        assert delivery.status == WebhookDelivery.Status.PENDING
        assert delivery.attempts == 1 and delivery.last_status_code == 500
        assert delivery.last_error == "HTTP 500"
        assert delivery.next_attempt_at > timezone.now()
        # Not due yet: the sweep leaves it.
        assert events.retry_due() == 0
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        assert events.retry_due() == 1
        delivery.refresh_from_db()
        assert delivery.status == WebhookDelivery.Status.DELIVERED and delivery.attempts == 2
        # Delivered once: another sweep sends nothing.
        assert events.retry_due() == 0
        assert len(receiver.requests) == 2
    first, second = receiver.requests
    assert first["headers"]["X-Webhook-Id"] == second["headers"]["X-Webhook-Id"]
    assert first["body"] == second["body"]
    assert verify(second)


def test_a_subscriber_down_for_a_day_loses_nothing(
    caseworker, case, django_capture_on_commit_callbacks
):
    # Nothing listens on this port: every attempt fails with a connection error.
    with Receiver() as closed:
        url = closed.url
    sub = subscriber(url)
    with django_capture_on_commit_callbacks(execute=True):
        services.start_share(caseworker, case, basis=Share.Basis.BENEFIT)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.PENDING and "Connect" in delivery.last_error
    # A day of failures: the backoff is capped, the delivery is still waiting.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        created_at=timezone.now() - timedelta(days=1), attempts=20, next_attempt_at=timezone.now()
    )
    events.retry_due()
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert delivery.next_attempt_at <= timezone.now() + events.MAX_BACKOFF
    with Receiver() as receiver:
        WebhookSubscriber.objects.filter(pk=sub.pk).update(url=receiver.url)
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        events.retry_due()
        assert len(receiver.requests) == 1 and verify(receiver.requests[0])
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED


def test_two_workers_never_both_send(caseworker, case):
    with Receiver() as receiver:
        subscriber(receiver.url)
        services.start_share(caseworker, case, basis=Share.Basis.BENEFIT)  # on_commit not run
        delivery = WebhookDelivery.objects.get()
        claimed = events._claim(delivery.pk)  # worker 1 holds the lease
        assert claimed is not None
        assert events.deliver(delivery.pk) == "skipped"  # worker 2
        assert receiver.requests == []
        # A crashed worker's lease runs out; then the sweep sends it.
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            locked_until=timezone.now() - timedelta(seconds=1)
        )
        assert events.retry_due() == 1
        assert len(receiver.requests) == 1
        assert events.deliver(delivery.pk) == "skipped"
        assert len(receiver.requests) == 1


def test_outbox_rows_roll_back_with_the_change(caseworker, case):
    subscriber("http://127.0.0.1:9/hook")
    with pytest.raises(RuntimeError), transaction.atomic():
        services.start_share(caseworker, case, basis=Share.Basis.BENEFIT)
        raise RuntimeError
    assert not WebhookDelivery.objects.exists()


def test_share_end_event_and_only_interested_subscribers(caseworker, case, case_in):
    werksaam_sub = subscriber("http://127.0.0.1:9/ws")
    hoorn_sub = subscriber("http://127.0.0.1:9/hoorn", slug="hoorn")
    enkhuizen_sub = subscriber("http://127.0.0.1:9/enk", slug="enkhuizen")
    only_pips = subscriber("http://127.0.0.1:9/pips", slug="hoorn", event_types=["pip.adopted"])
    share = services.start_share(caseworker, case, basis=Share.Basis.BENEFIT)
    services.end_share(caseworker, share, reason="Geen uitkering meer")
    got = {(row.subscriber_id, row.event_type) for row in WebhookDelivery.objects.all()}
    assert got == {
        (werksaam_sub.pk, "share.started"),
        (werksaam_sub.pk, "share.ended"),
        (hoorn_sub.pk, "share.started"),
        (hoorn_sub.pk, "share.ended"),
    }
    assert enkhuizen_sub.pk not in {s for s, _ in got} and only_pips.pk not in {s for s, _ in got}


def _adopted_version(pip, number, route, author):
    return PipVersionFactory(
        adopted=True,
        pip=pip,
        number=number,
        route=route,
        author=author,
        dagtekening=date(2026, 3, number),
    )


def test_pip_adopted_and_route_switch_events(caseworker, case, case_in):
    werksaam_sub = subscriber("http://127.0.0.1:9/ws")
    services.start_share(caseworker, case, basis=Share.Basis.BENEFIT)
    pip = PipFactory(inburgeraar=case)
    first = _adopted_version(pip, 1, "B1", caseworker)
    pip_services.adoption_events(first, case)
    second = _adopted_version(pip, 2, "Z", caseworker)
    pip_services.adoption_events(second, case)
    pip_services.adoption_events(second, case)  # a repeated event adds nothing
    rows = WebhookDelivery.objects.filter(subscriber=werksaam_sub).exclude(
        event_type="share.started"
    )
    assert sorted(rows.values_list("event_type", flat=True)) == [
        "pip.adopted",
        "pip.adopted",
        "pip.route_switched",
    ]
    switch = rows.get(event_type="pip.route_switched")
    assert (
        switch.payload["data"]["route"] == "Z" and switch.payload["data"]["previous_route"] == "B1"
    )
    # WerkSaam hears nothing about a case that is not shared with it.
    other = case_in("hoorn")
    other_pip = PipFactory(inburgeraar=other)
    pip_services.adoption_events(_adopted_version(other_pip, 1, "B1", caseworker), other)
    assert not WebhookDelivery.objects.filter(payload__inburgeraar=other.pk).exists()


def test_adoption_writes_its_event_in_its_own_transaction(
    member_of, caseworker, case, django_capture_on_commit_callbacks
):
    """The outbox row exists once the adoption's transaction commits, before any after-commit
    work has run (no signal -> task -> task chain that a broker outage could break)."""
    subscriber("http://127.0.0.1:9/hoorn", slug="hoorn")
    lead = member_of("hoorn", Role.TEAMLEIDER)
    version = pip_services.submit(caseworker, draft_for(caseworker, case))
    with django_capture_on_commit_callbacks(execute=False):
        pip_services.adopt(lead, version)
        assert WebhookDelivery.objects.filter(event_type="pip.adopted").count() == 1


def test_unburdening_nearing_its_end_is_announced_once(caseworker, case, member_of):
    ws_user = member_of("werksaam", Role.WERKSAAM_MEDEWERKER)
    sub = subscriber("http://127.0.0.1:9/ws")
    services.start_share(caseworker, case, basis=Share.Basis.BENEFIT)
    today = timezone.localdate()
    services.add_record(ws_user, case, Benefit, start_date=today - timedelta(days=190))
    item = services.add_record(
        ws_user,
        case,
        Unburdening,
        machtiging_date=today - timedelta(days=200),
        start_date=today - timedelta(days=190),
        planned_end=today + timedelta(days=20),
        rent=True,
    )
    assert services.unburdening_ending(today=today - timedelta(days=30)) == 0
    assert services.unburdening_ending(today=today) == 1
    assert services.unburdening_ending(today=today + timedelta(days=1)) == 0
    row = WebhookDelivery.objects.get(subscriber=sub, event_type="unburdening.ending")
    assert row.payload["data"] == {
        "unburdening": item.pk,
        "planned_end": item.planned_end.isoformat(),
    }


@pytest.fixture
def broken_broker():
    """Celery publishing to a broker that does not answer (nothing listens on port 1), failing
    at once instead of retrying: what adoption meets when Redis is down."""
    from westfriesland.celery import app

    saved = {
        key: app.conf[key]
        for key in (
            "task_always_eager",
            "broker_url",
            "task_publish_retry",
            "broker_transport_options",
        )
    }
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    app.conf.task_publish_retry = False
    app.conf.broker_transport_options = {"socket_connect_timeout": 1}
    _fresh_connections(app)
    yield app
    for key, value in saved.items():
        app.conf[key] = value
    _fresh_connections(app)


def _fresh_connections(app):
    """Drop Celery's cached connection and producer pools, so the next publish connects to the
    broker_url now configured."""
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.mark.django_db(transaction=True)
def test_adoption_with_the_broker_down_commits_and_its_event_is_delivered_later(
    reference_data, member_of, caseworker, case, broken_broker
):
    """The adoption commits although nothing can be queued; the pip.adopted row is in the
    outbox, and the retry sweep delivers it once the broker is back."""
    lead = member_of("hoorn", Role.TEAMLEIDER)
    with Receiver() as receiver:
        subscriber(receiver.url, slug="hoorn")
        version = pip_services.submit(caseworker, draft_for(caseworker, case))
        adopted = pip_services.adopt(lead, version)  # no exception reaches the team lead
        adopted.refresh_from_db()
        assert adopted.status == PipStatus.VASTGESTELD
        delivery = WebhookDelivery.objects.get(event_type="pip.adopted")
        assert delivery.status == WebhookDelivery.Status.PENDING and receiver.requests == []

        # The broker is back (tasks run again); the sweep finds the delivery and sends it.
        broken_broker.conf.task_always_eager = True
        assert events.retry_due() == 1
        delivery.refresh_from_db()
        assert delivery.status == WebhookDelivery.Status.DELIVERED
        assert len(receiver.requests) == 1 and verify(receiver.requests[0])
        assert json.loads(receiver.requests[0]["body"])["type"] == "pip.adopted"
