from celery import shared_task

from . import events, services


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def deliver_webhook(delivery_pk: int) -> str:
    return events.deliver(delivery_pk)


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def retry_webhooks() -> int:
    return events.retry_due()


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def expire_shares() -> int:
    return services.expire_shares()


@shared_task(acks_late=True, time_limit=300, soft_time_limit=240)
def unburdening_ending() -> int:
    return events.unburdening_ending()


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def pip_adopted_events(version_pk: int) -> None:
    """The outbox rows for an adopted PIP version (idempotent: one row per event and subscriber)."""
    events.on_pip_adopted(None, version_pk=version_pk)
