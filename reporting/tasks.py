from celery import shared_task

from . import services


@shared_task(acks_late=True, time_limit=300, soft_time_limit=240)
def refresh_figures() -> int:
    """Count the Stuurinformatie of every municipality and of the region (idempotent)."""
    return services.refresh_figures()
