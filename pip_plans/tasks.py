"""Celery tasks of the PIP: thin wrappers around pip_plans.documents."""

import logging
from datetime import timedelta

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.db.models import Count, Q
from django.utils import timezone

from . import documents
from .models import PipDocument, PipStatus, PipVersion

logger = logging.getLogger(__name__)

# A lost database connection or a full/flaky disk is worth a retry; a template error is not.
TRANSIENT_ERRORS = (OperationalError, InterfaceError, OSError)


@shared_task(
    acks_late=True,
    time_limit=300,
    soft_time_limit=240,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=10,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def generate_pip_documents(version_pk: int) -> list[int]:
    """Render and store the beschikking and both summaries of an adopted version. Idempotent: a
    retry, a duplicate message or the sweep finds the stored documents and makes no second one."""
    return [document.pk for document in documents.generate_documents(version_pk)]


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def generate_missing_pip_documents(grace_minutes: int = 10, limit: int = 500) -> list[int]:
    """The sweep: queue every adopted version that lacks a document kind, so a crashed worker or a
    lost message loses nothing. Versions adopted in the last `grace_minutes` are left to the task
    that adoption queued."""
    cutoff = timezone.now() - timedelta(minutes=grace_minutes)
    version_pks = list(
        PipVersion.objects.filter(status=PipStatus.VASTGESTELD, adopted_at__lte=cutoff)
        .annotate(
            kinds=Count(
                "documents__kind",
                filter=Q(documents__kind__in=PipDocument.Kind.values),
                distinct=True,
            )
        )
        .filter(kinds__lt=len(PipDocument.Kind.values))
        .order_by("adopted_at")
        .values_list("pk", flat=True)[:limit]
    )
    for version_pk in version_pks:
        generate_pip_documents.delay(version_pk)
    if version_pks:
        logger.warning("queued missing PIP documents for %d version(s)", len(version_pks))
    return version_pks
