"""Webhook events: an outbox of deliveries, sent by Celery, signed with HMAC-SHA256.

`emit` writes one WebhookDelivery per interested subscriber in the caller's transaction (so an
event exists exactly when the change that caused it committed) and queues the sending after
commit. `deliver` claims a delivery under select_for_update (status "sending" with a lease), so
two workers never both send it, POSTs outside the transaction and records the outcome; the beat
sweep `retry_due` picks up whatever failed or was never sent, with exponential backoff.

A payload names the case by id and municipality code only: never a BSN, a name or health data.
The receiver fetches what it may see through the API.

Signature: header `X-Signature: sha256=<hex>` where hex = HMAC-SHA256(secret,
"<X-Webhook-Timestamp>." + raw body); `X-Webhook-Id` is the delivery id (the same on every retry).
"""

import hashlib
import hmac
import json
import logging
import time
from datetime import timedelta

import httpx
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cases.models import InburgeraarGroupObjectPermission
from municipalities.models import Organisation

logger = logging.getLogger(__name__)

EVENT_TYPES = (
    "pip.adopted",
    "pip.route_switched",
    "share.started",
    "share.ended",
    "unburdening.ending",
    "exam_result.recorded",
    "afronding.recorded",
)
TIMEOUT_SECONDS = 10
LEASE = timedelta(seconds=TIMEOUT_SECONDS + 50)
MAX_BACKOFF = timedelta(hours=1)
GIVE_UP_AFTER = timedelta(days=7)


def _may_receive(subscriber, case, event_type: str) -> bool:
    """A subscriber hears about a case its organisation may see: its own municipality's cases, or
    a case granted to the organisation (for WerkSaam the grant exists exactly while a share is
    active), and the end of a share, so its system can drop the case."""
    organisation = subscriber.organisation
    if organisation.kind == Organisation.Kind.GEMEENTE:
        return case.municipality_id == organisation.pk
    if event_type.startswith("share."):
        return True
    return InburgeraarGroupObjectPermission.objects.filter(
        content_object_id=case.pk, group__organisation=organisation
    ).exists()


def emit(event_type: str, *, case, key: str, data: dict) -> list[int]:
    """Write the outbox rows for an event in the current transaction; send after commit."""
    from .models import WebhookDelivery, WebhookSubscriber

    assert event_type in EVENT_TYPES, event_type
    payload = {
        "type": event_type,
        "occurred_at": timezone.now().isoformat(),
        "inburgeraar": case.pk,
        "municipality": case.municipality.cbs_code,
        "data": data,
    }
    created = []
    for subscriber in WebhookSubscriber.objects.filter(is_active=True).select_related(
        "organisation"
    ):
        if not subscriber.wants(event_type) or not _may_receive(subscriber, case, event_type):
            continue
        try:
            with transaction.atomic():
                delivery = WebhookDelivery.objects.create(
                    subscriber=subscriber, event_type=event_type, event_key=key, payload=payload
                )
        except IntegrityError:
            continue  # this event was already written for this subscriber
        created.append(delivery.pk)
    if created:
        # robust: a broker that is down must not fail the change that caused the event; the
        # rows are in the outbox and the retry sweep sends them.
        transaction.on_commit(lambda: _queue(created), robust=True)
    return created


def _queue(pks):
    from .tasks import deliver_webhook

    for pk in pks:
        deliver_webhook.delay(pk)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def body_of(delivery) -> bytes:
    return json.dumps(
        {"delivery_id": str(delivery.delivery_id), **delivery.payload},
        separators=(",", ":"),
        sort_keys=True,
    ).encode()


def backoff(attempts: int) -> timedelta:
    return min(timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _claim(pk):
    """Lease the delivery to this worker, or None when it is delivered or another worker has it."""
    from .models import WebhookDelivery

    now = timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("subscriber")
            .filter(pk=pk)
            .first()
        )
        if delivery is None or delivery.status in (
            WebhookDelivery.Status.DELIVERED,
            WebhookDelivery.Status.FAILED,
        ):
            return None
        if delivery.status == WebhookDelivery.Status.SENDING and (
            delivery.locked_until and delivery.locked_until > now
        ):
            return None
        delivery.status = WebhookDelivery.Status.SENDING
        delivery.locked_until = now + LEASE
        delivery.attempts += 1
        delivery.save(update_fields=["status", "locked_until", "attempts"])
        return delivery


def deliver(pk) -> str:
    """Send one delivery. Returns its status afterwards ("skipped" when not ours to send)."""
    from .models import WebhookDelivery

    delivery = _claim(pk)
    if delivery is None:
        return "skipped"
    subscriber = delivery.subscriber
    body = body_of(delivery)
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "inburgering-westfriesland-webhooks/1",
        "X-Webhook-Id": str(delivery.delivery_id),
        "X-Webhook-Event": delivery.event_type,
        "X-Webhook-Timestamp": timestamp,
        "X-Signature": sign(subscriber.secret, timestamp, body),
    }
    status_code, error = None, ""
    try:
        response = httpx.post(
            subscriber.url, content=body, headers=headers, timeout=TIMEOUT_SECONDS
        )
        status_code = response.status_code
        if not 200 <= status_code < 300:
            error = f"HTTP {status_code}"
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
    now = timezone.now()
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=pk)
        delivery.last_status_code = status_code
        delivery.locked_until = None
        if not error:
            delivery.status = WebhookDelivery.Status.DELIVERED
            delivery.delivered_at = now
            delivery.last_error = ""
        else:
            delivery.last_error = error
            give_up = now - delivery.created_at > GIVE_UP_AFTER
            delivery.status = (
                WebhookDelivery.Status.FAILED if give_up else WebhookDelivery.Status.PENDING
            )
            delivery.next_attempt_at = now + backoff(delivery.attempts)
        delivery.save()
    logger.info(
        "webhook",
        extra={
            "delivery_id": str(delivery.delivery_id),
            "event": delivery.event_type,
            "status": delivery.status,
            "status_code": status_code,
            "attempts": delivery.attempts,
        },
    )
    return delivery.status


def due_deliveries(now=None):
    from .models import WebhookDelivery

    now = now or timezone.now()
    return WebhookDelivery.objects.filter(
        Q(status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now)
        | Q(status=WebhookDelivery.Status.SENDING, locked_until__lt=now)
    ).order_by("next_attempt_at", "id")


def retry_due(*, limit: int = 500) -> int:
    """The sweep: queue every delivery that is due (failed before, or never sent)."""
    pks = list(due_deliveries().values_list("pk", flat=True)[:limit])
    _queue(pks)
    return len(pks)
