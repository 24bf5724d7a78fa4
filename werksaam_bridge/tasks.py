from celery import shared_task

from . import services


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def expire_shares() -> int:
    return services.expire_shares()


@shared_task(acks_late=True, time_limit=300, soft_time_limit=240)
def unburdening_ending() -> int:
    return services.unburdening_ending()
