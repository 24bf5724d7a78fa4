from celery import shared_task

from . import events


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def deliver_webhook(delivery_pk: int) -> str:
    return events.deliver(delivery_pk)


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def retry_webhooks() -> int:
    return events.retry_due()
