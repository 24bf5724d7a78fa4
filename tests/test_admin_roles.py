"""Issue 11, point 2: a beheerder manages users, memberships and per-case grants within the role
model (no superusers, no staff status or permissions beside the roles), and every change of a
membership, a role or a grant in the admin is an audit event."""

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.urls import reverse
from guardian.shortcuts import assign_perm

from audit.models import AuditEntry
from cases.models import InburgeraarUserObjectPermission
from municipalities.models import Membership, Role
from municipalities.services import add_membership

from .factories import UserFactory, organisation
from .test_admin import admin_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def beheerder(member_of):
    return member_of("hoorn", Role.BEHEERDER)


@pytest.fixture
def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


def user_form_data(response):
    """admin_form_data, with the user's dates in the admin's split date/time fields."""
    data = admin_form_data(response)
    for name in ("date_joined", "last_login"):
        if name in data:
            data[f"{name}_0"], data[f"{name}_1"] = data.pop(name).split(" ")
    return data


def user_change_url(user):
    return reverse("admin:accounts_user_change", args=[user.pk])


def test_beheerder_cannot_make_anyone_superuser_staff_or_give_permissions(
    client, beheerder, caseworker_of
):
    target = caseworker_of("hoorn")
    client.force_login(beheerder)
    response = client.get(user_change_url(target))
    assert response.status_code == 200
    form_fields = response.context["adminform"].form.fields
    for name in ("is_superuser", "is_staff", "groups", "user_permissions"):
        assert name not in form_fields, name
    data = user_form_data(response)
    data.update(
        {
            "is_superuser": "on",
            "is_staff": "on",
            "user_permissions": [Permission.objects.get(codename="delete_auditentry").pk],
            "groups": [1],
            "first_name": "Nieuw",
        }
    )
    response = client.post(user_change_url(target), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    target.refresh_from_db()
    assert target.first_name == "Nieuw"
    assert not target.is_superuser
    assert not target.is_staff
    assert not target.user_permissions.exists()
    assert not target.groups.exists()


def test_beheerder_cannot_see_or_edit_superusers(client, beheerder, superuser):
    client.force_login(beheerder)
    assert client.get(user_change_url(superuser)).status_code == 302  # "does not exist"
    changelist = client.get(reverse("admin:accounts_user_changelist"))
    assert superuser.username not in changelist.content.decode()
    assert client.get(reverse("admin:municipalities_membership_changelist")).status_code == 200


def test_a_superuser_still_can(client, superuser, caseworker_of):
    client.force_login(superuser)
    response = client.get(user_change_url(caseworker_of("hoorn")))
    assert "is_superuser" in response.context["adminform"].form.fields


def test_staff_status_follows_the_roles_when_a_beheerder_adds_one(client, beheerder, caseworker_of):
    target = caseworker_of("hoorn")
    client.force_login(beheerder)
    response = client.get(user_change_url(target))
    data = user_form_data(response)
    prefix = response.context["inline_admin_formsets"][0].formset.prefix
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": str(total + 1),
            f"{prefix}-{total}-organisation": organisation("hoorn").pk,
            f"{prefix}-{total}-role": Role.AUDITOR,
            f"{prefix}-{total}-is_active": "on",
        }
    )
    response = client.post(user_change_url(target), data)
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.is_staff
    membership = Membership.objects.get(user=target, role=Role.AUDITOR)
    entry = AuditEntry.objects.filter(
        object_type="municipalities.membership", object_id=str(membership.pk), actor=beheerder
    ).get()
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.changes["role"] == [None, Role.AUDITOR]
    assert entry.reason == "lidmaatschap"


def test_changing_and_removing_a_membership_inline_is_audited(client, beheerder, caseworker_of):
    target = caseworker_of("hoorn")
    membership = Membership.objects.get(user=target)
    client.force_login(beheerder)
    response = client.get(user_change_url(target))
    data = user_form_data(response)
    prefix = response.context["inline_admin_formsets"][0].formset.prefix
    data[f"{prefix}-0-role"] = Role.TEAMLEIDER
    assert client.post(user_change_url(target), data).status_code == 302
    entry = AuditEntry.objects.filter(
        object_id=str(membership.pk), object_type="municipalities.membership", actor=beheerder
    ).get()
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.changes == {"role": [Role.KLANTMANAGER, Role.TEAMLEIDER]}

    data = user_form_data(client.get(user_change_url(target)))
    data[f"{prefix}-0-DELETE"] = "on"
    assert client.post(user_change_url(target), data).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEntry.objects.filter(
        object_id=str(membership.pk),
        object_type="municipalities.membership",
        action=AuditEntry.Action.DELETE,
    ).exists()


def test_membership_admin_changes_are_audited(client, beheerder):
    target = UserFactory()
    membership = add_membership(
        actor=None, user=target, organisation=organisation("hoorn"), role=Role.KLANTMANAGER
    )
    client.force_login(beheerder)
    url = reverse("admin:municipalities_membership_change", args=[membership.pk])
    data = admin_form_data(client.get(url))
    data["is_active"] = ""
    del data["is_active"]
    assert client.post(url, data).status_code == 302
    entry = AuditEntry.objects.filter(object_id=str(membership.pk), actor=beheerder).get()
    assert entry.changes == {"is_active": [True, False]}
    delete_url = reverse("admin:municipalities_membership_delete", args=[membership.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert AuditEntry.objects.filter(
        object_id=str(membership.pk), action=AuditEntry.Action.DELETE, actor=beheerder
    ).exists()


def test_grant_changes_in_the_admin_are_audited(client, beheerder, caseworker_of, case_in):
    case = case_in("hoorn")
    colleague = caseworker_of("enkhuizen")
    client.force_login(beheerder)
    add_url = reverse("admin:cases_inburgeraaruserobjectpermission_add")
    permission = Permission.objects.get(codename="view_inburgeraar")
    response = client.post(
        add_url, {"content_object": case.pk, "user": colleague.pk, "permission": permission.pk}
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    grant = InburgeraarUserObjectPermission.objects.get(content_object=case, user=colleague)
    entry = AuditEntry.objects.get(object_type=grant._meta.label_lower, object_id=str(grant.pk))
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == beheerder
    assert entry.changes["holder"] == [None, colleague.username]
    assert entry.reason == "toegang per dossier"
    delete_url = reverse("admin:cases_inburgeraaruserobjectpermission_delete", args=[grant.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert AuditEntry.objects.filter(
        object_type=grant._meta.label_lower, object_id=str(grant.pk), action="delete"
    ).exists()


def test_granting_in_code_still_works(caseworker_of, case_in):
    case = case_in("hoorn")
    assign_perm("view_inburgeraar", caseworker_of("enkhuizen"), case)


# --- issue 12: beheerder and auditor land on a page that helps them ---------------------------------


def test_beheerder_and_auditor_land_on_links_into_the_admin_not_an_empty_vandaag(
    client, beheerder, member_of
):
    client.force_login(beheerder)
    body = client.get(reverse("home")).content.decode()
    assert "Niets dat op u wacht" not in body and "Mijn inburgeraars" not in body
    for name in (
        "admin:index",
        "admin:audit_auditentry_changelist",
        "admin:accounts_user_changelist",
        "admin:municipalities_membership_changelist",
    ):
        assert reverse(name) in body, name
    client.logout()
    auditor = member_of("hoorn", Role.AUDITOR)
    client.force_login(auditor)
    body = client.get(reverse("home")).content.decode()
    assert reverse("admin:audit_auditentry_changelist") in body
    # Only what an auditor can use: no user administration.
    assert reverse("admin:accounts_user_changelist") not in body
    assert "Niets dat op u wacht" not in body
    # A team lead who is also beheerder keeps Vandaag.
    client.logout()
    both = member_of("hoorn", Role.TEAMLEIDER)
    member_of("hoorn", Role.BEHEERDER, user=both)
    client.force_login(both)
    assert "Mijn inburgeraars" in client.get(reverse("home")).content.decode()


def test_audit_rows_name_the_person_and_the_part_read_in_local_time(
    client, beheerder, caseworker_of, case_in
):
    from datetime import UTC, datetime

    from audit import events

    reader = caseworker_of("hoorn", first_name="Fatima", last_name="Bakker")
    case = case_in("hoorn")
    # 15 January 12:30 UTC is 13:30 in the Netherlands (winter time).
    with time_machine.travel(datetime(2026, 1, 15, 12, 30, tzinfo=UTC), tick=False):
        events.case_viewed(reader, case, part="intake", fields=["*"])
    client.force_login(beheerder)
    body = client.get(reverse("admin:audit_auditentry_changelist")).content.decode()
    assert f"Fatima Bakker ({reader.username})" in body
    assert "15-01-2026 13:30:00" in body
    assert '<td class="field-part">intake</td>' in body
