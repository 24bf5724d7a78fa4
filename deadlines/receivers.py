"""What the deadlines app does when the case tells it something changed."""


def recompute_on_facts_changed(sender, case_ids, **kwargs):
    """A dated fact of these cases changed: recompute their deadlines in the same transaction,
    so a rolled-back change leaves the old deadlines."""
    from .services import recompute_for_cases

    recompute_for_cases(case_ids)


def notify_on_pip_submitted(sender, version_pk, actor_pk, base_url="", **kwargs):
    """A PIP was submitted for adoption (after commit): tell the team leads."""
    from .services import notify_pip_submitted

    notify_pip_submitted(version_pk, actor_pk, base_url)
