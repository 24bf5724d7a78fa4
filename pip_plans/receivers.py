"""What the PIP app does when its own events fire. Imported from PipPlansConfig.ready()."""

import logging

from django.dispatch import receiver

from .signals import pip_adopted
from .tasks import generate_pip_documents

logger = logging.getLogger(__name__)


@receiver(pip_adopted, dispatch_uid="pip_plans.queue_pip_documents")
def queue_pip_documents(sender, version_pk, **kwargs):
    """Adoption committed: queue the PDFs. A failure here (broker down, or an error while the
    task runs eagerly) must not undo or fail the adoption: it is logged, and the periodic sweep
    generate_missing_pip_documents queues the version again."""
    try:
        generate_pip_documents.delay(version_pk)
    except Exception:
        logger.exception(
            "could not queue PIP documents for version %s; the sweep retries", version_pk
        )


def open_draft_on_intake_completed(sender, actor, intake, **kwargs):
    """The brede intake was completed: open the PIP draft, prefilled from it, in the same
    transaction (a failure rolls the completion back too)."""
    from .services import open_draft_from_intake

    open_draft_from_intake(actor, intake)
