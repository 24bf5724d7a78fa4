"""Reminders through real Celery workers: the filesystem transport of `make run`, and an
end-to-end run against the real Redis (CI sets REDIS_URL)."""

import json
import os
import subprocess
import sys
import time
from datetime import time as datetime_time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

BASE_DIR = Path(settings.BASE_DIR)


def settings_in_subprocess(env_overrides: dict) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "REDIS_URL"))}
    env.update(env_overrides)
    env["DJANGO_SETTINGS_MODULE"] = "westfriesland.settings"
    code = (
        "import json, django; django.setup(); from django.conf import settings as s;"
        "print(json.dumps({'broker': s.CELERY_BROKER_URL, 'eager': s.CELERY_TASK_ALWAYS_EAGER,"
        "'options': getattr(s, 'CELERY_BROKER_TRANSPORT_OPTIONS', None)}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_filesystem_broker_setting(tmp_path):
    configured = settings_in_subprocess(
        {"CELERY_FILESYSTEM_BROKER": "1", "CELERY_FILESYSTEM_DIR": str(tmp_path)}
    )
    assert configured["broker"] == "filesystem://"
    assert configured["eager"] is False
    assert configured["options"]["data_folder_in"] == str(tmp_path / "queue")
    assert configured["options"]["data_folder_out"] == str(tmp_path / "queue")
    assert (tmp_path / "queue").is_dir() and (tmp_path / "processed").is_dir()
    # Without the flag and without Redis: eager, as before.
    plain = settings_in_subprocess({})
    assert plain["eager"] is True and plain["options"] is None


@pytest.mark.worker
@pytest.mark.slow
def test_a_worker_on_the_filesystem_transport_runs_a_task(tmp_path):
    """What `make run` relies on: a task sent by one process, run by a worker in another."""
    from celery import Celery

    queue = tmp_path / "queue"
    queue.mkdir()
    sender = Celery(
        "sender",
        broker="filesystem://",
        broker_transport_options={
            "data_folder_in": str(queue),
            "data_folder_out": str(queue),
            "control_folder": str(queue.parent / "control"),
        },
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "REDIS_URL"))}
    env.update(
        {
            "CELERY_FILESYSTEM_BROKER": "1",
            "CELERY_FILESYSTEM_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        }
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        timeout=300,
        capture_output=True,
    )
    sender.send_task("deadlines.tasks.sweep")
    sent = set(queue.iterdir())
    assert len(sent) == 1
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        worker = subprocess.Popen(
            [
                str(BASE_DIR / ".venv" / "bin" / "celery"),
                "-A",
                "westfriesland",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                f"--hostname=fs-test-{os.getpid()}@%h",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if "succeeded" in log.read_text():
                break
            time.sleep(0.5)
        text = log.read_text()
        assert "Task deadlines.tasks.sweep" in text and "succeeded" in text, text[-3000:]
        assert not sent & set(queue.iterdir())  # consumed (the sweep may have queued more)
    finally:
        worker.terminate()
        worker.wait(timeout=30)


# --- end to end against Redis ---------------------------------------------------------------------


@pytest.fixture
def reference_data(transactional_db):
    """Transactional tests flush the database: restore the organisations (as the browser tests
    do) and the region's reminder policies."""
    from importlib import import_module

    from django.apps import apps
    from django.contrib.auth.models import Group

    from municipalities.models import Organisation
    from municipalities.reference import ensure_organisations

    ensure_organisations(Organisation, Group)
    import_module("deadlines.migrations.0002_default_reminder_policies").create_defaults(apps, None)


@pytest.fixture
def redis_celery_app():
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: the end-to-end worker test needs a real Redis broker")
    from westfriesland.celery import app

    saved = {
        key: app.conf[key]
        for key in (
            "broker_url",
            "task_always_eager",
            "result_backend",
            "broker_connection_retry",
            "broker_connection_retry_on_startup",
        )
    }
    app.conf.update(
        broker_url=settings.REDIS_URL,
        task_always_eager=False,
        result_backend=None,
        broker_connection_retry=False,
        # Said explicitly: left unset, Celery 5 warns (CPendingDeprecationWarning) when a worker
        # reconnects, and the suite runs with no warnings.
        broker_connection_retry_on_startup=False,
    )
    # Start from fresh connection and producer pools: kombu keeps them in process-wide registries,
    # and a test that ran before in this process (on this xdist worker) may have closed one.
    from kombu import pools

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    app.connection_for_write().connect()  # fails fast when Redis is down
    with app.connection_for_write() as connection:
        app.control.purge(connection=connection)
    yield app
    app.conf.update(saved)


@pytest.mark.worker
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_end_to_end_real_worker_sends_exactly_one_email(
    redis_celery_app, reference_data, settings, caseworker_of, case_in
):
    from celery.contrib.testing.worker import start_worker

    from deadlines.models import Kind, Notification, Reminder
    from deadlines.tasks import sweep
    from tests.factories import DeadlineFactory

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    worker_user = caseworker_of("hoorn")
    case = case_in("hoorn", caseworker=worker_user)
    DeadlineFactory(
        due_this_week=True,
        inburgeraar=case,
        kind=Kind.PIP_DUE,
        next_reminder_on=timezone.localdate() - timedelta(days=1),
    )
    from deadlines.models import ReminderPolicy

    ReminderPolicy.objects.filter(kind=Kind.CBS_REPORT).delete()
    ReminderPolicy.objects.create(kind=Kind.CBS_REPORT, offsets="0", is_active=False)
    # Today's reminder is due from its policy's send time (08:00 by default): before that, at
    # night, the sweep sends yesterday's "Herinnering" instead. The real clock runs in the
    # worker's thread, so the policy sends from midnight.
    ReminderPolicy.objects.filter(kind=Kind.PIP_DUE).update(send_time=datetime_time(0, 0))
    assert ReminderPolicy.objects.filter(kind=Kind.PIP_DUE, send_time=datetime_time(0, 0)).exists()

    with start_worker(
        redis_celery_app,
        pool="solo",
        concurrency=1,
        perform_ping_check=False,
        shutdown_timeout=30,
        loglevel="WARNING",
    ):
        sweep.delay()
        sweep.delay()  # a duplicated beat tick
        limit = time.monotonic() + 60
        while time.monotonic() < limit and not mail.outbox:
            time.sleep(0.2)
        time.sleep(3)  # anything that would send twice has had time to do so
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [worker_user.email]
    assert mail.outbox[0].subject.startswith("Vandaag: PIP vaststellen")
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 1
    assert Notification.objects.filter(user=worker_user).count() == 1


@pytest.mark.worker
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_real_worker_recovers_a_crashed_sweep_and_a_crashed_send_exactly_once(
    redis_celery_app, reference_data, settings, caseworker_of, case_in, monkeypatch
):
    """Issue 11 point 15, through Redis and a real worker: one reminder recorded by a sweep that
    died before publishing, one claimed by a send worker that died before its email left. The
    next sweep publishes the first and takes over the second: one email each, none twice."""
    from celery.contrib.testing.worker import start_worker
    from django.core.mail.backends.locmem import EmailBackend
    from django.core.mail.utils import DNS_NAME

    from deadlines import services
    from deadlines.models import Kind, Notification, Reminder, ReminderPolicy
    from deadlines.tasks import sweep
    from tests.factories import DeadlineFactory

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    worker_user = caseworker_of("hoorn")
    for _n in range(2):
        DeadlineFactory(
            due_this_week=True,
            inburgeraar=case_in("hoorn", caseworker=worker_user),
            kind=Kind.PIP_DUE,
            next_reminder_on=timezone.localdate() - timedelta(days=1),
        )
    ReminderPolicy.objects.filter(kind=Kind.CBS_REPORT).delete()
    ReminderPolicy.objects.create(kind=Kind.CBS_REPORT, offsets="0", is_active=False)
    services.sweep(send=False)  # recorded and committed, never published: the sweep died
    unpublished, claimed = Reminder.objects.order_by("pk")

    class Killed(BaseException):
        pass

    def killed(self, messages):
        raise Killed()

    with monkeypatch.context() as patch:
        patch.setattr(EmailBackend, "send_messages", killed)
        with pytest.raises(Killed):
            services.send_reminder(claimed.pk)  # the send worker died after its claim
    Reminder.objects.filter(pk=claimed.pk).update(
        claimed_at=timezone.now() - services.CLAIM_LEASE - timedelta(seconds=1)
    )
    assert mail.outbox == [] and Reminder.objects.filter(queued_at__isnull=True).count() == 2

    with start_worker(
        redis_celery_app,
        pool="solo",
        concurrency=1,
        perform_ping_check=False,
        shutdown_timeout=30,
        loglevel="WARNING",
    ):
        sweep.delay()
        sweep.delay()  # a duplicated beat tick
        limit = time.monotonic() + 60
        while time.monotonic() < limit and len(mail.outbox) < 2:
            time.sleep(0.2)
        time.sleep(3)  # anything that would send twice has had time to do so
    assert len(mail.outbox) == 2
    assert all(m.to == [worker_user.email] for m in mail.outbox)
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 2
    assert Notification.objects.filter(user=worker_user, emailed_at__isnull=False).count() == 2
    assert {m.extra_headers["Message-ID"] for m in mail.outbox} == {
        f"<reminder-{reminder.pk}-{worker_user.pk}@{DNS_NAME}>"
        for reminder in (unpublished, claimed)
    }
