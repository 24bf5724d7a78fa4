"""Writes about organisations and memberships."""

from django.db import transaction

from audit import events as audit

from .models import Membership, Role
from .roles import STAFF_ROLE_GROUPS, role_group


@transaction.atomic
def add_membership(*, actor, user, organisation, role: Role) -> Membership:
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role
    )
    if not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    sync_staff_access(user)
    if created:
        audit.membership_changed(actor, membership, old=None, new=membership_values(membership))
    return membership


def membership_values(membership) -> dict:
    """What the audit trail records of a membership: who, where, which role, active or not."""
    return {
        "user": membership.user.username,
        "organisation": membership.organisation.slug,
        "role": membership.role,
        "is_active": membership.is_active,
    }


def sync_staff_access(user) -> None:
    """Beheerders and auditors use the Django admin: staff status and the role's admin group."""
    roles = set(Membership.objects.active().filter(user=user).values_list("role", flat=True))
    for role in STAFF_ROLE_GROUPS:
        group = role_group(role)
        if role in roles:
            user.groups.add(group)
        else:
            user.groups.remove(group)
    is_staff = bool(roles & set(STAFF_ROLE_GROUPS)) or user.is_superuser
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
