"""Reads of the PIP, always from the one door."""

from django.db.models import OuterRef, Subquery

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
        .select_related("version")  # the list names each document's version: no N+1
        .order_by("version_id", "kind")
    )


def open_version(versions):
    return next((v for v in versions if v.status != PipStatus.VASTGESTELD), None)


def awaiting_adoption(user):
    """PIP versions waiting for this team lead: ter vaststelling, in the lead's municipalities,
    not written or submitted by the lead."""
    from municipalities.models import Role
    from municipalities.selectors import organisation_ids_with_role

    municipalities = list(
        organisation_ids_with_role(user, Role.TEAMLEIDER).values_list("organisation_id", flat=True)
    )
    if not municipalities:
        # Not a team lead (Vandaag of every klantmanager): nothing to ask the database.
        return PipVersion.objects.none()
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
    """Concept versions of the user's own cases (through the cases' door: own_case_ids)."""
    from cases.selectors import own_case_ids

    return (
        PipVersion.objects.filter(status=PipStatus.CONCEPT, pip__inburgeraar__in=own_case_ids(user))
        .select_related("pip__inburgeraar")
        .order_by("updated_at")
    )


def latest_route_subquery(pip: str = "pip"):
    """Each case's route in its latest adopted PIP version, as a subquery (no query per row).

    Correlated on the case's Pip (`pip`: the lookup from the outer row to it, a LEFT JOIN there),
    not on the case through a join inside: per row one probe of unique_pip_version_number in
    number order and no sort (the join to pip_plans_pip and a sort ran for each of 20,000 cases
    of the WerkSaam dashboard's figures)."""
    return Subquery(
        PipVersion.objects.filter(pip_id=OuterRef(pip), status=PipStatus.VASTGESTELD)
        .order_by("-number")
        .values("route")[:1]
    )
