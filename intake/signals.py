"""Events of the brede intake that apps built on it listen to, inside the writer's transaction."""

from django.dispatch import Signal

# Sent when an intake is completed (afgerond); arguments: actor, intake. The PIP app opens its
# draft, prefilled from the intake, in the same transaction.
intake_completed = Signal()
