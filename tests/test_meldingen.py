"""Meldingen are items (issue 12): the person's name, what is due and when, a link that works,
the days overdue computed when shown, one escalation per deadline, the recipient's own role, a
team lead told when a PIP is submitted, and links in email on the address the server runs on."""

import os
import shutil
import stat
import subprocess
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from deadlines import services
from deadlines.models import Kind, Notification, Reminder, ReminderPolicy
from municipalities.models import Role
from pip_plans.models import PipStatus, PipVersion
from tests.factories import DeadlineFactory

from .pip_helpers import draft_for

AMS = ZoneInfo("Europe/Amsterdam")
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://inburgering.example"


@pytest.fixture(autouse=True)
def quiet_cbs_report(db):
    ReminderPolicy.objects.filter(kind=Kind.CBS_REPORT).update(is_active=False)


@pytest.fixture(autouse=True)
def eager(django_capture_on_commit_callbacks, monkeypatch):
    from westfriesland.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    original = services.sweep

    def sweep(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return original(*args, **kwargs)

    monkeypatch.setattr(services, "sweep", sweep)
    yield
    app.conf.task_always_eager = saved


@pytest.fixture
def worker(caseworker_of):
    return caseworker_of("hoorn")


@pytest.fixture
def lead(member_of):
    return member_of("hoorn", Role.TEAMLEIDER)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def inbox(user):
    return client_for(user).get(reverse("notifications")).content.decode()


def test_an_item_names_the_person_what_and_when_with_a_working_link(case_in, worker):
    case = case_in("hoorn", caseworker=worker, first_names="Amina", surname="Haddou")
    DeadlineFactory(inburgeraar=case, kind=Kind.PIP_DUE, due_date=date(2026, 5, 11))
    services.sweep(today=date(2026, 5, 8))
    client = client_for(worker)
    page = client.get(reverse("notifications")).content.decode()
    assert "Amina Haddou" in page and "PIP vaststellen" in page and "t/m 11-05-2026" in page
    assert f"dossier #{case.pk}" not in page
    link = reverse("case-deadlines", args=[case.pk])
    assert f'href="{link}"' in page
    assert client.get(link).status_code == 200
    assert "klantmanager" in page and "teamleider" not in page


def test_days_overdue_are_computed_when_the_inbox_is_shown(case_in, worker, lead):
    case = case_in("hoorn", caseworker=worker)
    DeadlineFactory(inburgeraar=case, kind=Kind.PIP_DUE, due_date=date(2026, 5, 11))
    services.sweep(today=date(2026, 5, 14))  # overdue notice and escalation (3 days)
    assert Notification.objects.filter(user=lead).count() == 1
    with time_machine.travel(datetime(2026, 5, 14, 12, tzinfo=AMS), tick=False):
        assert "3 dagen verstreken" in inbox(lead)
    with time_machine.travel(datetime(2026, 6, 15, 12, tzinfo=AMS), tick=False):
        page = inbox(lead)
    assert "35 dagen verstreken" in page and "3 dagen verstreken" not in page
    assert "als teamleider" in page and "Escalatie naar teamleider" in page


def test_a_municipality_deadline_names_the_municipality(lead, org):
    """The CBS report belongs to no person: the item names the municipality."""
    from deadlines.models import Deadline

    ReminderPolicy.objects.filter(kind=Kind.CBS_REPORT).update(is_active=True)
    services.sweep(today=date(2026, 4, 20))
    assert Deadline.objects.filter(kind=Kind.CBS_REPORT, municipality=org("hoorn")).exists()
    page = inbox(lead)
    assert "Gemeente Hoorn" in page and "Kwartaalrapportage CBS" in page
    assert "niet meer in uw werkvoorraad" not in page
    assert f'href="{reverse("my-deadlines")}"' in page


def test_one_escalation_per_deadline_and_per_person(case_in, worker, lead):
    """Ten overdue voortgangsgesprekken of one person escalate once; a deadline whose date moves
    is not escalated a second time."""
    case = case_in("hoorn", caseworker=worker)
    for n in range(10):
        DeadlineFactory(
            inburgeraar=case, kind=Kind.PROGRESS_REVIEW, key=str(n + 1), due_date=date(2026, 3, 1)
        )
    services.sweep(today=date(2026, 4, 1))
    escalations = Reminder.objects.filter(stage_kind=Reminder.Stage.ESCALATION)
    assert escalations.count() == 1
    assert Notification.objects.filter(user=lead).count() == 1
    # Another person's overdue review still escalates on its own.
    other = case_in("hoorn", caseworker=worker)
    moved = DeadlineFactory(inburgeraar=other, kind=Kind.PIP_DUE, due_date=date(2026, 3, 1))
    services.sweep(today=date(2026, 4, 1))
    assert escalations.count() == 2
    # The date moves (still overdue): no second escalation for the same deadline.
    type(moved).objects.filter(pk=moved.pk).update(
        due_date=date(2026, 3, 10), next_reminder_on=date(2026, 4, 2)
    )
    services.sweep(today=date(2026, 4, 2))
    assert escalations.filter(deadline=moved).count() == 1


def test_each_recipient_is_told_their_own_role(case_in, worker, lead):
    case = case_in("hoorn", caseworker=worker)
    DeadlineFactory(inburgeraar=case, kind=Kind.PIP_DUE, due_date=date(2026, 5, 11))
    services.sweep(today=date(2026, 5, 14))
    escalation = [m for m in mail.outbox if m.subject.startswith("Escalatie")]
    body = {m.to[0]: m.body for m in escalation}
    assert "als klantmanager van deze inburgeraar" in body[worker.email]
    assert "teamleider" not in body[worker.email]
    assert "als teamleider van gemeente Hoorn" in body[lead.email]
    # Without a caseworker the team lead is told why it comes to them.
    unassigned = case_in("hoorn", caseworker=None)
    DeadlineFactory(inburgeraar=unassigned, kind=Kind.PIP_DUE, due_date=date(2026, 5, 20))
    services.sweep(today=date(2026, 5, 18))
    last = mail.outbox[-1]
    assert last.to == [lead.email] and "nog geen klantmanager" in last.body


def test_team_lead_is_notified_when_a_pip_is_submitted(
    case_in, worker, lead, member_of, django_capture_on_commit_callbacks
):
    other_lead = member_of("hoorn", Role.TEAMLEIDER)
    enkhuizen_lead = member_of("enkhuizen", Role.TEAMLEIDER)
    case = case_in(
        "hoorn",
        caseworker=worker,
        date_of_birth=date(1985, 3, 3),
        doelgroep="asielstatushouder",
        first_names="Yonas",
        surname="Tesfay",
    )
    version = draft_for(worker, case)
    client = client_for(worker)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("pip_plans:submit", args=[case.pk, version.pk]),
            HTTP_HOST="127.0.0.1:8123",
        )
    assert PipVersion.objects.get(pk=version.pk).status == PipStatus.TER_VASTSTELLING
    told = Notification.objects.filter(topic=Notification.Topic.PIP_SUBMITTED)
    assert set(told.values_list("user", flat=True)) == {lead.pk, other_lead.pk}
    assert not told.filter(user__in=[worker, enkhuizen_lead]).exists()
    page = inbox(lead)
    assert "Yonas Tesfay" in page and "PIP ter vaststelling aangeboden" in page
    assert reverse("case-tab", args=[case.pk, "pip"]) in page
    # The email links to the address the request came in on, not SITE_URL.
    message = next(m for m in mail.outbox if lead.email in m.to)
    assert f"http://127.0.0.1:8123/inburgeraars/{case.pk}/pip/" in message.body
    assert "inburgering.example" not in message.body
    assert case.surname not in message.body  # mail leaves the system: no name in it


def test_make_run_gives_links_on_its_own_port(tmp_path):
    """bin/run-dev (make run) sets SITE_URL to the address it serves on, so the reminders its
    worker sends link to that port. Run with stand-ins for celery and python that record it.

    Each stand-in writes its own file (written aside, then renamed, so a reader never sees a
    half-written one), and the web server's stand-in waits for the worker's record before it
    returns: run-dev stops the background worker as soon as the web server ends, which on a busy
    machine could otherwise come before the worker had written anything."""
    venv = tmp_path / "venv" / "bin"
    venv.mkdir(parents=True)
    records = tmp_path / "records"
    # The record's name is the subcommand: celery's worker or call, manage.py's rundev.
    name_it = 'case " $* " in *" worker "*) n=worker;; *" call "*) n=call;; *) n=rundev;; esac'
    record_it = f'printf "%s" "$SITE_URL" > "{records}/.$$" && mv "{records}/.$$" "{records}/$n-$$"'
    wait_for_worker = (
        f'for _ in $(seq 300); do ls "{records}"/worker-* >/dev/null 2>&1 && break; sleep 0.1; done'
    )
    (venv / "celery").write_text(f"#!/bin/sh\n{name_it}\n{record_it}\n")
    (venv / "python").write_text(f"#!/bin/sh\n{name_it}\n{wait_for_worker}\n{record_it}\n")
    for script in venv.iterdir():
        script.chmod(script.stat().st_mode | stat.S_IEXEC)
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "REDIS_URL")}
    env.update({"VENV": str(tmp_path / "venv"), "HOST": "127.0.0.1", "PORT": "8123"})

    def recorded_by_run_dev():
        shutil.rmtree(records, ignore_errors=True)
        records.mkdir()
        subprocess.run(["sh", "bin/run-dev"], cwd=REPO, env=env, check=True, timeout=60)
        return {path.name.split("-")[0]: path.read_text() for path in records.iterdir()}

    assert recorded_by_run_dev() == {
        "worker": "http://127.0.0.1:8123",
        "call": "http://127.0.0.1:8123",
        "rundev": "http://127.0.0.1:8123",
    }
    env["SITE_URL"] = "https://inburgering.westfriesland.example"
    assert set(recorded_by_run_dev().values()) == {"https://inburgering.westfriesland.example"}
