from celery import shared_task

from . import services


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def end_transfer_read_only_access() -> int:
    return services.end_transfer_read_only_access()
