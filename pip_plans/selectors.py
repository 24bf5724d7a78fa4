"""Reads of the PIP, always from the one door."""

from django.utils import timezone

from intake.models import Intake, IntakeState

from . import rules
from .models import Pip, PipDocument, PipStatus, PipVersion


def pip_of(user, case) -> Pip | None:
    return Pip.objects.visible_to(user).filter(inburgeraar=case).first()


def versions_of(user, pip):
    return (
        PipVersion.objects.visible_to(user)
        .filter(pip=pip)
        .select_related("author", "adopted_by", "language_school", "submitted_by")
        .order_by("-number")
    )


def documents_of(user, version_ids):
    return (
        PipDocument.objects.visible_to(user)
        .filter(version_id__in=version_ids)
        .order_by("version_id", "kind")
    )


def pip_deadline_for(case):
    """The legal PIP deadline, visible from the start of the intake, and whether it was met."""
    intake = Intake.objects.filter(inburgeraar=case).exclude(state=IntakeState.GEANNULEERD).first()
    deadline = rules.pip_deadline(
        kennisgeving=case.datum_kennisgeving,
        brp=case.datum_inschrijving_brp,
        third_party_received=intake.third_party_info_received if intake else None,
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


def open_version(versions):
    return next((v for v in versions if v.status != PipStatus.VASTGESTELD), None)


def awaiting_adoption(user):
    """PIP versions waiting for this team lead: ter vaststelling, in the lead's municipalities,
    not written or submitted by the lead."""
    from municipalities.models import Role
    from municipalities.selectors import organisation_ids_with_role

    municipalities = organisation_ids_with_role(user, Role.TEAMLEIDER)
    return (
        PipVersion.objects.visible_to(user)
        .filter(
            status=PipStatus.TER_VASTSTELLING, pip__inburgeraar__municipality_id__in=municipalities
        )
        .exclude(author=user)
        .exclude(submitted_by=user)
        .select_related("pip__inburgeraar", "submitted_by")
        .order_by("submitted_at")
    )


def my_drafts(user):
    return (
        PipVersion.objects.visible_to(user)
        .filter(status=PipStatus.CONCEPT, pip__inburgeraar__caseworker=user)
        .select_related("pip__inburgeraar")
        .order_by("updated_at")
    )
