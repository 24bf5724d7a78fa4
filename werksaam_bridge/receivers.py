"""What the WerkSaam bridge does when the case tells it something."""


def expire_due_shares(sender, **kwargs):
    """Before the API reads: a share past its end date ends now, not at the next sweep."""
    from .services import expire_all_due

    expire_all_due()
