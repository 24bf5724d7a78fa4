"""The audit trail: every view is recorded, entries are append-only and outlive their record."""

import json
import logging

import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import AuditEntry, AuditTrailIsAppendOnly
from audit.services import MASK, diff, record
from cases.models import Inburgeraar

pytestmark = pytest.mark.django_db


def case_views():
    return AuditEntry.objects.filter(object_type="cases.inburgeraar", action=AuditEntry.Action.VIEW)


@pytest.fixture
def entry(caseworker_of, case_in):
    user = caseworker_of("hoorn")
    return record(user, AuditEntry.Action.VIEW, case_in("hoorn"))


@pytest.fixture
def audit_log(caplog):
    """The records of the "audit" logger (which does not propagate to the root logger)."""
    logger = logging.getLogger("audit")
    logger.addHandler(caplog.handler)
    try:
        yield caplog
    finally:
        logger.removeHandler(caplog.handler)


def json_lines(records):
    """The records formatted as the configured stdout handler writes them."""
    formatter = logging.getLogger("audit").handlers[0].formatter
    return [formatter.format(record) for record in records]


def test_web_detail_view_writes_audit_entry(client, caseworker_of, case_in):
    user = caseworker_of("hoorn")
    case = case_in("hoorn")
    client.force_login(user)
    assert client.get(f"/inburgeraars/{case.pk}/").status_code == 200

    entry = case_views().get()
    assert entry.actor == user
    assert entry.actor_username == user.username
    assert entry.object_type == "cases.inburgeraar"
    assert entry.object_id == str(case.pk)
    assert list(AuditEntry.objects.for_object(case)) == [entry]


def test_api_detail_view_writes_audit_entry(api_client, caseworker_of, case_in):
    user = caseworker_of("hoorn")
    case = case_in("hoorn")
    api_client.force_authenticate(user)
    assert api_client.get(f"/api/v1/inburgeraars/{case.pk}/").status_code == 200

    entry = case_views().get()
    assert (entry.actor, entry.object_type, entry.object_id) == (
        user,
        "cases.inburgeraar",
        str(case.pk),
    )


def test_list_views_do_not_pretend_to_be_detail_views(client, caseworker_of, case_in):
    user = caseworker_of("hoorn")
    case_in("hoorn")
    client.force_login(user)
    client.get("/inburgeraars/")
    # Issue 11: the list is audited too, as a list (one entry per case shown), not as a dossier
    # view.
    assert [entry.reason for entry in case_views()] == ["dossier: lijst"]


def test_queryset_update_is_refused(entry):
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEntry.objects.update(reason="gewijzigd")
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="gewijzigd")
    entry.refresh_from_db()
    assert entry.reason == ""


def test_queryset_delete_is_refused(entry):
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEntry.objects.all().delete()
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_save_after_creation_is_refused(entry):
    entry.reason = "achteraf aangepast"
    with pytest.raises(AuditTrailIsAppendOnly):
        entry.save()
    entry.refresh_from_db()
    assert entry.reason == ""


def test_instance_delete_is_refused(entry):
    with pytest.raises(AuditTrailIsAppendOnly):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_bulk_update_is_refused(entry):
    entry.reason = "achteraf aangepast"
    with pytest.raises(AuditTrailIsAppendOnly):
        AuditEntry.objects.bulk_update([entry], ["reason"])


@pytest.fixture
def on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")


@pytest.mark.usefixtures("on_postgresql")
def test_raw_sql_update_is_refused_by_postgresql(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET reason = 'vervalst' WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.reason == ""


@pytest.mark.usefixtures("on_postgresql")
def test_raw_sql_delete_is_refused_by_postgresql(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_entries_outlive_the_record(client, caseworker_of, case_in):
    user = caseworker_of("hoorn")
    case = case_in("hoorn")
    client.force_login(user)
    client.get(f"/inburgeraars/{case.pk}/")
    pk = case.pk

    Inburgeraar.objects.filter(pk=pk).delete()

    assert not Inburgeraar.objects.filter(pk=pk).exists()
    entry = case_views().get()
    assert entry.object_id == str(pk)
    assert entry.actor == user


def test_entries_outlive_the_actor_account(caseworker_of, case_in):
    user = caseworker_of("hoorn")
    case = case_in("hoorn")
    entry = record(user, AuditEntry.Action.VIEW, case)
    username = user.username

    user_pk = user.pk

    user.delete()

    # The row is not rewritten either: on PostgreSQL the append-only trigger would refuse that.
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.actor_username == username
    assert entry.actor_id == user_pk


def test_diff_masks_bsn_and_keeps_other_changes(case_in):
    case = case_in("hoorn", bsn="123456782", surname="Oud")
    changes = diff(
        case,
        {"bsn": "123456782", "surname": "Oud", "city": "Hoorn"},
        {"bsn": "010000021", "surname": "Nieuw", "city": "Hoorn"},
    )
    assert changes == {"bsn": [MASK, MASK], "surname": ["Oud", "Nieuw"]}
    assert Inburgeraar.AUDIT_MASKED_FIELDS == ("bsn",)


def test_bsn_never_in_stored_entry_or_json_log(audit_log, caseworker_of, case_in):
    user = caseworker_of("hoorn")
    case = case_in("hoorn", bsn="123456782")
    audit_log.clear()

    entry = record(
        user,
        AuditEntry.Action.UPDATE,
        case,
        fields=["bsn"],
        changes=diff(case, {"bsn": "123456782"}, {"bsn": "010000021"}),
        reason="correctie",
    )

    stored = json.dumps(
        {
            "object_repr": entry.object_repr,
            "object_id": entry.object_id,
            "fields": entry.fields,
            "changes": entry.changes,
            "reason": entry.reason,
            "str": str(entry),
        }
    )
    assert "123456782" not in stored
    assert "010000021" not in stored
    assert entry.changes == {"bsn": [MASK, MASK]}

    records = [r for r in audit_log.records if r.name == "audit"]
    assert len(records) == 1
    lines = json_lines(records)
    for line in lines:
        assert "123456782" not in line
        assert "010000021" not in line
    logged = json.loads(lines[0])
    assert logged["action"] == "update"
    assert logged["object_type"] == "cases.inburgeraar"
    assert logged["object_id"] == str(case.pk)
    assert logged["actor"] == user.username
    assert logged["changed_fields"] == ["bsn"]


def test_viewing_a_case_logs_json_without_bsn_or_name(audit_log, client, caseworker_of, case_in):
    user = caseworker_of("hoorn")
    case = case_in("hoorn")
    client.force_login(user)
    audit_log.clear()

    client.get(f"/inburgeraars/{case.pk}/")
    client.get(f"/api/v1/inburgeraars/{case.pk}/")

    records = [r for r in audit_log.records if r.name == "audit"]
    assert len(records) == 2
    for line in json_lines(records):
        assert case.bsn not in line
        assert case.surname not in line
        assert json.loads(line)["object_id"] == str(case.pk)
    for entry in case_views():
        assert case.bsn not in entry.object_repr
        assert case.surname not in entry.object_repr
