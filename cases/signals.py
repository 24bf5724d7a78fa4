"""What the case tells the apps built on it, synchronously, inside the writer's transaction.

`case_facts_changed` is sent by every service that changes a fact a legal date depends on (the
case's own dates, status or municipality; an intake, an invitation, a PIP version, a WerkSaam
record). The deadlines app listens and recomputes in the same transaction, so a rolled-back
change leaves the old deadlines. `cases` never imports the apps that listen.
"""

from django.dispatch import Signal

# Arguments: case_ids (a list of Inburgeraar ids).
case_facts_changed = Signal()


def facts_changed(*cases) -> None:
    """Tell the listeners that these cases (Inburgeraars or ids) changed a dated fact."""
    ids = sorted({getattr(case, "pk", case) for case in cases if case is not None})
    if ids:
        case_facts_changed.send(sender=None, case_ids=ids)


# Sent by the API before it reads (no arguments): an app whose grants end on a date (WerkSaam's
# shares) ends what is due now, not at its next sweep.
before_case_read = Signal()
