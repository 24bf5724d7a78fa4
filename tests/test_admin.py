"""The Django admin: beheerders see their municipalities' cases only; the audit trail is read-only."""

import datetime

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.utils.html import escape
from guardian.shortcuts import assign_perm

from audit.models import AuditEntry
from audit.services import MASK, record
from cases.models import Inburgeraar, InburgeraarUserObjectPermission
from municipalities.models import Role

from .factories import UserFactory

pytestmark = pytest.mark.django_db

CASES_URL = "/admin/cases/inburgeraar/"
AUDIT_URL = "/admin/audit/auditentry/"


@pytest.fixture
def beheerder(member_of):
    return member_of("hoorn", Role.BEHEERDER)


@pytest.fixture
def auditor(member_of):
    return member_of("hoorn", Role.AUDITOR)


@pytest.fixture
def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


def admin_form_data(response):
    """The POST data of an admin change form, as the browser would send it unchanged."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data = {}
    for form in forms:
        for bound in form:
            value = bound.value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            elif isinstance(value, datetime.datetime):
                value = value.strftime("%Y-%m-%d %H:%M:%S")
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            data[bound.html_name] = value
    return data


def test_beheerder_is_staff_and_opens_admin(client, beheerder):
    assert beheerder.is_staff
    client.force_login(beheerder)
    assert client.get("/admin/").status_code == 200


def test_klantmanager_cannot_open_admin(client, caseworker_of):
    client.force_login(caseworker_of("hoorn"))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_changelist_shows_own_municipalities_only(client, beheerder, case_in):
    own = [case_in("hoorn"), case_in("hoorn")]
    other = case_in("enkhuizen")
    client.force_login(beheerder)
    response = client.get(CASES_URL)
    assert response.status_code == 200
    shown = {case.pk for case in response.context["cl"].result_list}
    assert shown == {case.pk for case in own}
    content = response.content.decode()
    assert escape(other.full_name) not in content
    for case in own:
        assert case.bsn not in content  # masked in the list


def test_changelist_search_never_finds_other_municipalities(client, beheerder, case_in):
    other = case_in("enkhuizen")
    own = case_in("hoorn")
    client.force_login(beheerder)
    response = client.get(CASES_URL, {"q": other.bsn})
    assert list(response.context["cl"].result_list) == []
    response = client.get(CASES_URL, {"q": own.bsn})
    assert [case.pk for case in response.context["cl"].result_list] == [own.pk]


def test_opening_change_page_writes_view_entry(client, beheerder, case_in):
    case = case_in("hoorn")
    client.force_login(beheerder)
    response = client.get(f"{CASES_URL}{case.pk}/change/")
    assert response.status_code == 200
    entry = AuditEntry.objects.for_object(case).get()
    assert entry.action == AuditEntry.Action.VIEW
    assert entry.actor == beheerder


def test_case_of_other_municipality_is_not_found_in_admin(client, beheerder, case_in):
    other = case_in("enkhuizen")
    client.force_login(beheerder)
    response = client.get(f"{CASES_URL}{other.pk}/change/")
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert response.url == "/admin/"
    assert escape(other.full_name) not in response.content.decode()
    assert not AuditEntry.objects.for_object(other).exists()

    response = client.post(f"{CASES_URL}{other.pk}/change/", {"surname": "Gewijzigd"})
    assert response.status_code in (302, 403, 404)
    other.refresh_from_db()
    assert other.surname != "Gewijzigd"


def test_beheerder_cannot_add_or_delete_cases(client, beheerder, case_in):
    case = case_in("hoorn")
    client.force_login(beheerder)
    assert client.get(f"{CASES_URL}add/").status_code == 403
    assert client.post(f"{CASES_URL}{case.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Inburgeraar.objects.filter(pk=case.pk).exists()


def test_bsn_change_in_admin_is_audited_masked(client, beheerder, case_in):
    case = case_in("hoorn", bsn="123456782", surname="Oudenaam")
    client.force_login(beheerder)
    url = f"{CASES_URL}{case.pk}/change/"
    data = admin_form_data(client.get(url))
    data.update(bsn="10000021", surname="Nieuwenaam")

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    case.refresh_from_db()
    assert case.bsn == "010000021"
    assert case.surname == "Nieuwenaam"
    update = AuditEntry.objects.for_object(case).get(action=AuditEntry.Action.UPDATE)
    assert update.actor == beheerder
    assert update.changes["bsn"] == [MASK, MASK]
    assert update.changes["surname"] == ["Oudenaam", "Nieuwenaam"]
    for entry in AuditEntry.objects.all():
        text = f"{entry.object_repr} {entry.fields} {entry.changes} {entry.reason}"
        assert "123456782" not in text
        assert "010000021" not in text


def test_grant_admin_is_scoped(client, beheerder, caseworker_of, case_in):
    colleague = caseworker_of("opmeer")
    own_grant_case, other_grant_case = case_in("hoorn"), case_in("enkhuizen")
    assign_perm("view_inburgeraar", colleague, own_grant_case)
    assign_perm("view_inburgeraar", colleague, other_grant_case)
    client.force_login(beheerder)
    response = client.get("/admin/cases/inburgeraaruserobjectpermission/")
    assert response.status_code == 200
    shown = {grant.content_object_id for grant in response.context["cl"].result_list}
    assert shown == {own_grant_case.pk}
    assert InburgeraarUserObjectPermission.objects.count() == 2


def test_auditor_reads_audit_trail(client, auditor, case_in, caseworker_of):
    entry = record(caseworker_of("hoorn"), AuditEntry.Action.VIEW, case_in("hoorn"))
    client.force_login(auditor)
    assert client.get("/admin/").status_code == 200
    response = client.get(AUDIT_URL)
    assert response.status_code == 200
    assert entry.pk in {row.pk for row in response.context["cl"].result_list}


def test_auditor_cannot_add_change_or_delete_entries(client, auditor, case_in, caseworker_of):
    entry = record(caseworker_of("hoorn"), AuditEntry.Action.VIEW, case_in("hoorn"))
    client.force_login(auditor)
    assert client.get(f"{AUDIT_URL}add/").status_code == 403
    assert client.post(f"{AUDIT_URL}add/", {"action": "view"}).status_code == 403
    assert client.post(f"{AUDIT_URL}{entry.pk}/change/", {"reason": "x"}).status_code == 403
    assert client.post(f"{AUDIT_URL}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.reason == ""


def test_auditor_sees_no_cases_in_admin(client, auditor, case_in):
    case_in("hoorn")
    client.force_login(auditor)
    assert client.get(CASES_URL).status_code == 403


@pytest.mark.parametrize("user_fixture", ["superuser", "beheerder", "auditor"])
def test_nobody_changes_audit_entries_through_admin(request, user_fixture, client, case_in):
    user = request.getfixturevalue(user_fixture)
    entry = record(user, AuditEntry.Action.VIEW, case_in("hoorn"))
    model_admin = site._registry[AuditEntry]
    http_request = RequestFactory().get(AUDIT_URL)
    http_request.user = user
    assert model_admin.has_add_permission(http_request) is False
    assert model_admin.has_change_permission(http_request) is False
    assert model_admin.has_change_permission(http_request, entry) is False
    assert model_admin.has_delete_permission(http_request, entry) is False
    assert model_admin.get_actions(http_request) == {}

    client.force_login(user)
    response = client.post(
        f"{AUDIT_URL}{entry.pk}/change/", {"reason": "vervalst", "action": "delete"}
    )
    assert response.status_code == 403
    assert client.post(f"{AUDIT_URL}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    response = client.post(
        AUDIT_URL, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    )
    assert response.status_code in (200, 302, 403)
    entry.refresh_from_db()
    assert (entry.reason, entry.action) == ("", AuditEntry.Action.VIEW)
