"""Events of the PIP that its own after-commit work listens to.

`pip_adopted` is sent after the adoption committed; the PDFs are queued from it
(pip_plans.receivers). Deadlines recompute inside the adoption's transaction through
`cases.signals`, and webhook events are written to the outbox in the same transaction
(pip_plans.services.adopt): neither listens here.
"""

from django.dispatch import Signal

# Sent after the transaction that adopted a version committed; argument: version_pk.
pip_adopted = Signal()

# Sent after the transaction that submitted a version for adoption committed; arguments:
# version_pk, actor_pk and base_url (the address the request came in on, for links in email).
# The deadlines app notifies the municipality's team leads (deadlines.receivers).
pip_submitted = Signal()
