"""Issue 11 point 16: retention. Five years after the duty ended a daily sweep anonymises the case
(personal data, free text, documents and files go; the statistics' facts and the trail stay);
a dry run first; a legal hold stops it, placed in the admin and audited."""

from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from audit.models import AuditEntry
from cases.models import Inburgeraar
from documents import services as document_services
from documents.models import Document
from intake import services as intake_services
from intake.models import Intake, IntakeTopic, TopicNote
from privacy import retention
from privacy.models import Anonymisation, LegalHold
from privacy.tasks import retention_sweep
from uitvoering.models import Afronding

from .factories import IntakeFactory, UserFactory
from .test_documents import PDF

ENDED = date(2020, 3, 1)
KEPT_UNTIL = date(2025, 3, 1)  # the last day kept
AFTER = date(2025, 3, 2)


@pytest.fixture
def worker(caseworker_of):
    return caseworker_of("hoorn", username="kees.klantmanager")


@pytest.fixture
def ended_case(case_in, worker, settings, tmp_path):
    settings.CLAMAV_SOCKET = settings.CLAMAV_HOST = ""
    settings.DOCUMENTS_ALLOW_UNSCANNED = True
    settings.DOCUMENTS_ROOT = tmp_path / "documents"

    def make(bsn, retention_until=KEPT_UNTIL):
        case = case_in(
            "hoorn", bsn=bsn, first_names="Amira", surname="Haddad", date_of_birth=date(1990, 6, 7)
        )
        intake = IntakeFactory(in_progress=True, inburgeraar=case)
        intake_services.save_intake_fields(
            worker,
            intake,
            expected_version=intake.version,
            values={"personal_circumstances": "zwanger, depressie", "motivation": "zorg"},
        )
        topic, _ = IntakeTopic.objects.get_or_create(name="Gezin")
        intake_services.save_topic_note(worker, intake, topic, "Twee kinderen")
        document_services.upload_document(
            worker, case, data=PDF, kind="overig", document_date=date(2020, 1, 1)
        )
        Afronding.objects.create(
            inburgeraar=case,
            outcome=Afronding.Outcome.VOLDAAN,
            on=ENDED,
            retention_until=retention_until,
            actor=worker,
        )
        return case

    return make


def test_dry_run_reports_and_changes_nothing(ended_case, capsys):
    case = ended_case("123456782")
    rows = retention.report(AFTER)
    assert [row["inburgeraar"] for row in rows] == [case.pk]
    removals = rows[0]["wordt_verwijderd"]
    assert removals["intake.intake"]["personal_circumstances"] == 1
    assert removals["intake.topicnote"]["notes"] == 1
    assert removals["documents.document"] == {"documenten": 1}

    call_command("retention_report", "--today", AFTER.isoformat())
    out = capsys.readouterr().out
    assert f"inburgeraar {case.pk} (Hoorn), bewaren t/m {KEPT_UNTIL.isoformat()}" in out
    assert "1 dossier(s) te anonimiseren" in out

    case.refresh_from_db()
    assert case.surname == "Haddad" and case.bsn == "123456782"
    assert Document.objects.filter(inburgeraar=case).exists()
    assert not Anonymisation.objects.exists()


def test_the_last_day_kept_is_not_yet_due(ended_case):
    ended_case("123456782")
    assert retention.report(KEPT_UNTIL) == []
    assert retention.sweep(KEPT_UNTIL) == 0


def test_sweep_anonymises_keeps_the_statistics_and_the_trail(ended_case, settings):
    case = ended_case("123456782")
    stored = Path(Document.objects.get(inburgeraar=case).file.path)
    assert stored.exists()
    trail_before = AuditEntry.objects.count()
    facts = (case.municipality_id, case.doelgroep, case.status, case.gender)

    assert retention.sweep(AFTER) == 1

    case = Inburgeraar.objects.get(pk=case.pk)
    assert case.bsn == f"A{case.pk:08d}"[-9:]
    assert case.first_names == case.surname == retention.ANONYMISED_NAME
    assert case.date_of_birth == date(1990, 1, 1)
    assert case.street == case.email == case.phone == ""
    assert (case.municipality_id, case.doelgroep, case.status, case.gender) == facts
    intake = Intake.objects.get(inburgeraar=case)
    assert intake.personal_circumstances == intake.motivation == ""
    assert TopicNote.objects.get(intake=intake).notes == ""
    assert not Document.objects.filter(inburgeraar=case).exists()
    assert not stored.exists()
    assert Afronding.objects.get(inburgeraar=case).outcome == Afronding.Outcome.VOLDAAN

    # The trail keeps every earlier entry and gains one that names what went, never values.
    assert AuditEntry.objects.count() == trail_before + 1
    entry = AuditEntry.objects.for_object(case).latest("id")
    assert entry.reason == "bewaartermijn verstreken"
    assert "intake.intake.personal_circumstances" in entry.fields
    assert "Haddad" not in str(entry.fields) + entry.object_repr
    assert Anonymisation.objects.get(inburgeraar=case).retention_until == KEPT_UNTIL

    # Idempotent: a second run, or the beat task, does nothing more.
    assert retention.sweep(AFTER) == 0
    # The task itself, run here (apply): the Celery app's eager flag is read once, at its start.
    assert retention_sweep.apply().get() == 0
    assert AuditEntry.objects.count() == trail_before + 1


def test_a_legal_hold_stops_the_sweep_until_lifted(ended_case, worker):
    held = ended_case("123456782")
    free = ended_case("010000021")
    LegalHold.objects.create(inburgeraar=held, reason="Beroep bij de rechtbank", placed_by=worker)

    rows = {row["inburgeraar"]: row for row in retention.report(AFTER)}
    assert rows[held.pk]["legal_hold"] == "Beroep bij de rechtbank"
    assert retention.sweep(AFTER) == 1
    assert Inburgeraar.objects.get(pk=held.pk).surname == "Haddad"
    assert Inburgeraar.objects.get(pk=free.pk).surname == retention.ANONYMISED_NAME

    LegalHold.objects.filter(inburgeraar=held).delete()
    assert retention.sweep(AFTER) == 1
    assert Inburgeraar.objects.get(pk=held.pk).surname == retention.ANONYMISED_NAME


def test_placing_and_lifting_a_legal_hold_in_the_admin_is_audited(client, case_in):
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    case = case_in("hoorn")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:privacy_legalhold_add"),
        {"inburgeraar": case.pk, "reason": "Bezwaar loopt"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    hold = LegalHold.objects.get(inburgeraar=case)
    assert hold.placed_by == admin_user
    placed = AuditEntry.objects.for_object(hold).get()
    assert (placed.action, placed.reason, placed.actor) == ("create", "legal hold", admin_user)

    from django.contrib.admin.sites import site

    model_admin = site._registry[LegalHold]
    request = type("Request", (), {"user": admin_user})()
    model_admin.delete_model(request, hold)
    assert not LegalHold.objects.exists()
    lifted = AuditEntry.objects.filter(object_type="privacy.legalhold", action="delete").get()
    assert lifted.actor == admin_user


def test_the_sweep_is_on_the_beat_schedule_and_safe_to_retry():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["privacy.retention-sweep"]
    assert entry["task"] == retention_sweep.name == "privacy.tasks.retention_sweep"
    assert retention_sweep.acks_late is True
    assert retention_sweep.soft_time_limit < retention_sweep.time_limit
