"""Reads for the privacy officer: the cases of the municipalities where the user holds that role."""

from cases.models import Inburgeraar
from municipalities.models import Organisation, Role
from municipalities.selectors import organisation_ids_with_role


def privacy_municipalities(user):
    return Organisation.objects.filter(
        pk__in=organisation_ids_with_role(user, Role.PRIVACY_OFFICER)
    )


def is_privacy_officer(user) -> bool:
    return user.is_authenticated and privacy_municipalities(user).exists()


def is_privacy_officer_of_request(request) -> bool:
    """`is_privacy_officer(request.user)` from the request's memberships (the menu asks it on
    every page; read once per request). The same rule: the privacy officer's role."""
    from municipalities.models import Role
    from municipalities.selectors import request_holds

    return request_holds(request, {Role.PRIVACY_OFFICER})


def case_for_privacy_officer(user, bsn: str) -> Inburgeraar | None:
    """The person with this BSN among the privacy officer's municipalities' cases, or None (the
    same answer whether the BSN is unknown or held by another municipality)."""
    return (
        Inburgeraar.objects.filter(
            bsn=bsn, municipality_id__in=organisation_ids_with_role(user, Role.PRIVACY_OFFICER)
        )
        .select_related("municipality")
        .first()
    )
