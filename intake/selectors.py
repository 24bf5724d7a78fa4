"""Reads of the brede intake. Every queryset starts at `visible_to(user)`: the one door."""

from django.utils import timezone

from cases.selectors import own_case_ids

from . import rules
from .models import Intake, IntakeState, Invitation


def current_intake(user, case):

    return (
        Intake.objects.visible_to(user)
        .filter(inburgeraar=case)
        .exclude(state=IntakeState.GEANNULEERD)
        .select_related("updated_by", "inburgeraar")
        .first()
    )


def open_intakes_of(user):

    return (
        Intake.objects.filter(
            inburgeraar__in=own_case_ids(user),
            state__in=[IntakeState.GEPLAND, IntakeState.IN_UITVOERING],
        )
        .select_related("inburgeraar")
        .order_by("created_at")
    )


def invitations_needing_attention(user, *, today):
    """Invitations whose conversation has passed but whose outcome was not recorded yet."""

    return (
        Invitation.objects.filter(
            intake__inburgeraar__in=own_case_ids(user),
            outcome=Invitation.Outcome.OPEN,
            conversation_at__date__lt=today,
        )
        .select_related("intake__inburgeraar")
        .order_by("conversation_at")
    )


def pip_deadline_for(case):
    """The legal PIP deadline, visible from the start of the intake, and whether it was met."""
    intake = Intake.objects.filter(inburgeraar=case).exclude(state=IntakeState.GEANNULEERD).first()
    deadline = rules.pip_deadline(
        kennisgeving=case.datum_kennisgeving,
        brp=case.datum_inschrijving_brp,
        third_party_received=intake.third_party_info_received if intake else None,
        duty_start=case.postponed_duty_start,
    )
    pip = getattr(case, "pip", None) if hasattr(case, "pip") else None
    first = pip.dagtekening_initiele_pip if pip else None
    waiting_since = (
        rules.third_party_waiting_since(
            intake.third_party_info_requested, intake.third_party_info_received
        )
        if intake
        else None
    )
    return {
        "deadline": deadline,
        "first_dagtekening": first,
        "met": (first <= deadline) if (first and deadline) else None,
        # While waiting for third-party information the deadline is not yet known: no countdown.
        "days_left": (deadline - timezone.localdate()).days
        if deadline and not first and not waiting_since
        else None,
        "waiting_for_third_party": waiting_since is not None,
        "waiting_since": waiting_since,
        "waiting_label": rules.third_party_waiting_label(waiting_since) if waiting_since else "",
        "rule": rules.pip_deadline_rule_text(),
    }
