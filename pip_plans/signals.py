"""Events of the PIP that other parts of the system listen to (PDFs, deadlines, WerkSaam)."""

from django.dispatch import Signal

# Sent after the transaction that adopted a version committed; argument: version_pk.
pip_adopted = Signal()
