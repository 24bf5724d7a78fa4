"""Issue 11 point 9: nobody can wipe the trail, and a change by someone who could is detected.

The web, worker and beat processes connect as an app role that `grant_app_role` gives normal
rights everywhere and only INSERT and SELECT on the audit table: as that role TRUNCATE, ALTER TABLE
... DISABLE TRIGGER, DROP TRIGGER, UPDATE and DELETE all fail. A hash chain over the entries
(a trigger, under an advisory lock) lets `verify_audit_chain` find a row changed or deleted by a
superuser.
"""

import threading

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import close_old_connections, connection

from audit.management.commands.verify_audit_chain import chain_problems
from audit.models import AuditEntry
from audit.services import record
from cases.models import Inburgeraar

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="roles and the chain are PostgreSQL's"
)

APP_PASSWORD = "app-role-test-9f2c"


def app_role_name():
    return (connection.settings_dict["NAME"] + "_app")[:63]


def connect_as(role):
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        dbname=settings["NAME"],
        user=role,
        password=APP_PASSWORD,
    )


def write_entries(user, case, n):
    return [
        record(user, AuditEntry.Action.VIEW, case, fields=["naam"], reason=f"dossier: {i}")
        for i in range(n)
    ]


def as_superuser(sql, params=()):
    """What the table owner or a superuser can still do: switch the append-only trigger off."""
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_entry_append_only")


# --- the app role ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_app_role_cannot_wipe_disable_or_rewrite_the_trail(
    reference_data, caseworker_of, case_in
):
    user = caseworker_of("hoorn")
    case = case_in("hoorn")
    (entry,) = write_entries(user, case, 1)
    role = app_role_name()
    call_command("grant_app_role", role=role, password=APP_PASSWORD)
    call_command("grant_app_role", role=role, password=APP_PASSWORD)  # idempotent

    refused = [
        "TRUNCATE audit_auditentry",
        "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only",
        "ALTER TABLE audit_auditentry DISABLE TRIGGER ALL",
        "DROP TRIGGER audit_entry_append_only ON audit_auditentry",
        "DROP TRIGGER audit_entry_chain ON audit_auditentry",
        "DROP TABLE audit_auditentry",
        f"UPDATE audit_auditentry SET reason = 'weg' WHERE id = {entry.pk}",
        f"DELETE FROM audit_auditentry WHERE id = {entry.pk}",
        "CREATE TABLE audit_shadow (id int)",
    ]
    with connect_as(role) as conn:
        assert conn.execute("SELECT current_user").fetchone()[0] == role
        for statement in refused:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
            conn.rollback()

        # What the app needs still works: read and append the trail (the chain trigger runs as
        # the app role), and normal rights on the other tables.
        assert conn.execute("SELECT count(*) FROM audit_auditentry").fetchone()[0] >= 1
        conn.execute(
            "INSERT INTO audit_auditentry (timestamp, actor_username, action, object_type,"
            " object_id, object_repr, fields, changes, reason, prev_hash, hash)"
            " VALUES (now(), 'app', 'view', 'cases.inburgeraar', %s, '', '[]', '{}', 'test',"
            " '', '')",
            [str(case.pk)],
        )
        conn.execute("UPDATE cases_inburgeraar SET surname = surname WHERE id = %s", [case.pk])
        conn.commit()

    assert AuditEntry.objects.get(pk=entry.pk).reason == entry.reason
    assert Inburgeraar.objects.filter(pk=case.pk).exists()
    problems, (seq, _digest) = chain_problems()
    assert problems == []
    assert seq == AuditEntry.objects.count()


def test_grant_app_role_refuses_the_owner_itself(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
    with pytest.raises(CommandError, match="eigenaar"):
        call_command("grant_app_role", role=owner)


# --- the hash chain -------------------------------------------------------------------------------


def test_every_entry_joins_the_chain_and_the_chain_verifies(caseworker_of, case_in, capsys):
    entries = write_entries(caseworker_of("hoorn"), case_in("hoorn"), 4)
    rows = list(AuditEntry.objects.filter(pk__in=[e.pk for e in entries]).order_by("chain_seq"))
    assert all(len(row.hash) == 64 for row in rows)
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.chain_seq == before.chain_seq + 1
        assert after.prev_hash == before.hash
    call_command("verify_audit_chain")
    assert "De keten klopt" in capsys.readouterr().out


def test_verify_detects_a_row_modified_by_a_superuser(caseworker_of, case_in, capsys):
    entries = write_entries(caseworker_of("hoorn"), case_in("hoorn"), 4)
    victim = entries[1]
    as_superuser(
        "UPDATE audit_auditentry SET actor_username = 'iemand-anders' WHERE id = %s", [victim.pk]
    )
    with pytest.raises(CommandError, match="aangetast"):
        call_command("verify_audit_chain")
    out = capsys.readouterr().out
    assert f"auditregel {victim.pk} " in out
    assert "inhoud gewijzigd" in out


def test_verify_detects_a_row_modified_together_with_its_hash(caseworker_of, case_in):
    """Recomputing the row's own hash is not enough: the next entry's link breaks."""
    entries = write_entries(caseworker_of("hoorn"), case_in("hoorn"), 3)
    victim = entries[0]
    as_superuser("UPDATE audit_auditentry SET reason = 'niets' WHERE id = %s", [victim.pk])
    as_superuser(
        "UPDATE audit_auditentry a SET hash = audit_entry_digest(a) WHERE id = %s", [victim.pk]
    )
    problems, _head = chain_problems()
    assert (entries[1].pk, AuditEntry.objects.get(pk=entries[1].pk).chain_seq) in [
        (entry_id, seq) for entry_id, seq, problem in problems if "schakel" in problem
    ]


def test_verify_detects_a_deleted_row(caseworker_of, case_in, capsys):
    entries = write_entries(caseworker_of("hoorn"), case_in("hoorn"), 4)
    deleted_seq = AuditEntry.objects.get(pk=entries[1].pk).chain_seq
    as_superuser("DELETE FROM audit_auditentry WHERE id = %s", [entries[1].pk])
    with pytest.raises(CommandError):
        call_command("verify_audit_chain")
    out = capsys.readouterr().out
    assert f"auditregel {entries[2].pk} " in out
    assert f"regels {deleted_seq} t/m {deleted_seq} ontbreken" in out
    assert "schakel gebroken" in out


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_form_one_unbroken_chain(reference_data, caseworker_of, case_in):
    user = caseworker_of("hoorn")
    case = case_in("hoorn")
    errors = []

    def writer():
        try:
            from django.db import transaction

            for _ in range(10):
                with transaction.atomic():
                    write_entries(user, case, 2)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    problems, (seq, _digest) = chain_problems()
    assert problems == []
    assert seq == AuditEntry.objects.count() >= 80
