"""What the deadlines app does when the case tells it something changed."""


def recompute_on_facts_changed(sender, case_ids, **kwargs):
    """A dated fact of these cases changed: recompute their deadlines in the same transaction,
    so a rolled-back change leaves the old deadlines."""
    from .services import recompute_for_cases

    recompute_for_cases(case_ids)
