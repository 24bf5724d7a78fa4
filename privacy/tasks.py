from celery import shared_task

from . import retention


@shared_task(acks_late=True, time_limit=3600, soft_time_limit=3500)
def retention_sweep() -> int:
    return retention.sweep()
