"""Thin Celery wrappers. `acks_late` (a task that dies is redelivered), time limits; the work is
idempotent in the services (unique reminder keys, `sent_at` under a row lock)."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, time_limit=600, soft_time_limit=540)
def sweep() -> dict:
    return services.sweep()


@shared_task(
    acks_late=True,
    time_limit=60,
    soft_time_limit=50,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_reminder(reminder_id: int) -> bool:
    return services.send_reminder(reminder_id)
