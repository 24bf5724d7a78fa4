"""Deadlines and reminders (issue 5): recompute in the caller's transaction, the sweep exactly
once, escalation, delivery (email and inbox), "mijn termijnen", the calendar feed."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from cases import services as case_services
from cases.models import CaseStatus
from deadlines import rules, selectors, services
from deadlines.models import (
    CalendarFeed,
    Deadline,
    Kind,
    MunicipalityDeadlineSettings,
    Notification,
    Reminder,
    ReminderPolicy,
    State,
)
from intake import services as intake_services
from municipalities.models import Role
from pip_plans import services as pip_services
from tests.factories import DeadlineFactory

from .intake_helpers import miss
from .pip_helpers import draft_for

AMS = ZoneInfo("Europe/Amsterdam")


def at(year, month, day, hour=9, minute=0):
    """A moment in Amsterdam local time, for time_machine."""
    return datetime(year, month, day, hour, minute, tzinfo=AMS)


@pytest.fixture(autouse=True)
def locmem_email(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://inburgering.example"


@pytest.fixture(autouse=True)
def quiet_cbs_report(db):
    """The sweep also creates the municipalities' CBS report deadlines; most tests are about a
    case's deadline, so the report's reminders are off unless a test turns them on."""
    ReminderPolicy.objects.filter(kind=Kind.CBS_REPORT).update(is_active=False)


@pytest.fixture(autouse=True)
def eager_celery():
    """Send tasks run in-process here even when REDIS_URL is set (the worker tests run a real
    worker)."""
    from westfriesland.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


@pytest.fixture(autouse=True)
def run_on_commit(django_capture_on_commit_callbacks):
    """Tests run inside a transaction: run what the services queue after commit."""
    original = services.sweep

    def sweep(*args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return original(*args, **kwargs)

    services.sweep = sweep
    yield
    services.sweep = original


@pytest.fixture
def worker(caseworker_of):
    return caseworker_of("hoorn")


@pytest.fixture
def lead(member_of):
    return member_of("hoorn", Role.TEAMLEIDER)


def deadline(case, kind, key=""):
    return Deadline.objects.get(inburgeraar=case, kind=kind, key=key)


def kinds_of(case):
    return set(Deadline.objects.filter(inburgeraar=case).values_list("kind", flat=True))


def register(user, slug="hoorn", **fields):
    from municipalities.models import Organisation

    values = {
        "bsn": fields.pop("bsn", "123456782"),
        "first_names": "Amal",
        "surname": "Haddad",
        "date_of_birth": date(1990, 1, 1),
        "doelgroep": "asielstatushouder",
        "municipality": Organisation.objects.get(slug=slug),
        "caseworker": user,
        "datum_kennisgeving": date(2026, 3, 2),
    }
    values.update(fields)
    return case_services.register_inburgeraar(user, **values)


def adopt_pip(author, lead, case, *, dagtekening, **draft_values):
    version = draft_for(author, case)
    if draft_values:
        version = pip_services.save_draft(
            author, version, expected_version=version.version, values=draft_values
        )
    version = pip_services.submit(author, version)
    return pip_services.adopt(lead, version, dagtekening=dagtekening)


# --- recompute -------------------------------------------------------------------------------------


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_registration_creates_the_pip_deadline(worker):
    case = register(worker)
    row = deadline(case, Kind.PIP_DUE)
    assert row.due_date == date(2026, 5, 11)
    assert row.state == State.OPEN
    assert row.municipality == case.municipality
    # The first reminder stage (14 days before) is the next thing the sweep looks at.
    assert row.next_reminder_on == date(2026, 4, 27)


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_third_party_information_moves_the_pip_deadline(worker):
    case = register(worker)
    intake = intake_services.plan_intake(worker, case)
    intake = intake_services.begin_intake(worker, intake)
    intake_services.save_intake_fields(
        worker,
        intake,
        expected_version=intake.version,
        values={
            "third_party_info": "Medisch advies",
            "third_party_info_received": date(2026, 5, 6),
        },
    )
    assert deadline(case, Kind.PIP_DUE).due_date == date(2026, 5, 20)


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_a_rolled_back_change_leaves_the_old_deadline(worker):
    case = register(worker)
    intake = intake_services.plan_intake(worker, case)
    intake = intake_services.begin_intake(worker, intake)

    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        intake_services.save_intake_fields(
            worker,
            intake,
            expected_version=intake.version,
            values={"third_party_info_received": date(2026, 6, 1)},
        )
        assert deadline(case, Kind.PIP_DUE).due_date == date(2026, 6, 15)
        raise Abort
    assert deadline(case, Kind.PIP_DUE).due_date == date(2026, 5, 11)


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_invitations_each_get_a_response_deadline_done_by_the_outcome(worker):
    case = register(worker)
    intake = intake_services.plan_intake(worker, case)
    invitation = intake_services.invite(
        worker, intake, conversation_at=at(2026, 3, 20, 10), response_date=date(2026, 3, 17)
    )
    row = deadline(case, Kind.INVITATION, str(invitation.pk))
    assert (row.due_date, row.state) == (date(2026, 3, 17), State.OPEN)
    with time_machine.travel(at(2026, 3, 20, 12), tick=False):  # after the conversation
        miss(worker, invitation)
    row.refresh_from_db()
    assert (row.state, row.done_on) == (State.DONE, date(2026, 3, 20))
    second = intake_services.invite(
        worker, intake, conversation_at=at(2026, 4, 2, 10), response_date=date(2026, 3, 30)
    )
    assert deadline(case, Kind.INVITATION, str(second.pk)).state == State.OPEN
    intake.refresh_from_db()
    intake_services.cancel_intake(worker, intake, reason="Verhuisd")
    assert deadline(case, Kind.INVITATION, str(second.pk)).state == State.CANCELLED
    assert deadline(case, Kind.INVITATION, str(invitation.pk)).state == State.DONE


def test_adoption_creates_every_pip_dependent_deadline(worker, lead):
    with time_machine.travel(at(2026, 1, 5), tick=False):
        case = register(worker, datum_kennisgeving=date(2025, 12, 1))
        adopt_pip(
            worker,
            lead,
            case,
            dagtekening=date(2026, 1, 31),
            unburdening=True,
            unburdening_rent=True,
            unburdening_start=date(2026, 2, 1),
        )
    pip_row = deadline(case, Kind.PIP_DUE)
    assert pip_row.state == State.DONE and pip_row.done_on == date(2026, 1, 31)
    assert pip_row.on_time is True  # 1 December + 10 weeks = 9 February
    assert deadline(case, Kind.BEZWAAR, "1").due_date == date(
        2026, 3, 16
    )  # Saturday 14-03: the Atw moves it to Monday
    assert deadline(case, Kind.COURSE_START).due_date == date(2026, 4, 30)
    assert deadline(case, Kind.SCHAKEL).due_date == date(2027, 7, 31)
    # Termijn 01-02-2026 t/m 31-01-2029: the dagtekening three years on.
    assert deadline(case, Kind.TERMIJN_END).due_date == date(2029, 1, 31)
    assert deadline(case, Kind.VERLENGING).due_date == date(2028, 8, 1)
    assert deadline(case, Kind.ONTZORGEN_END).due_date == date(2026, 7, 31)  # from 01-02, t/m
    reviews = Deadline.objects.filter(inburgeraar=case, kind=Kind.PROGRESS_REVIEW)
    # Every 3 months (the default): the 12th would fall on 01-02-2029, after the last day.
    assert reviews.count() == 11
    assert reviews.get(key="1").due_date == date(2026, 5, 1)
    assert case.deadlines.filter(state=State.OVERDUE).count() == 0


def test_a_late_pip_shows_it_was_not_within_ten_weeks(worker, lead):
    with time_machine.travel(at(2026, 3, 1), tick=False):
        case = register(worker, datum_kennisgeving=date(2025, 12, 1))
        assert deadline(case, Kind.PIP_DUE).state == State.OVERDUE
        adopt_pip(worker, lead, case, dagtekening=date(2026, 3, 1))
    row = deadline(case, Kind.PIP_DUE)
    assert row.state == State.DONE and row.on_time is False


def test_new_version_and_course_start(worker, lead):
    with time_machine.travel(at(2026, 1, 5), tick=False):
        case = register(worker, datum_kennisgeving=date(2025, 12, 1))
        first = adopt_pip(worker, lead, case, dagtekening=date(2026, 1, 31))
        version = pip_services.new_version(worker, first.pip, reason="overig")
        version = pip_services.save_draft(
            worker,
            version,
            expected_version=version.version,
            values={"course_start": date(2026, 3, 2)},
        )
        version = pip_services.submit(worker, version)
        pip_services.adopt(lead, version, dagtekening=date(2026, 3, 3))
    row = deadline(case, Kind.COURSE_START)
    assert row.due_date == date(2026, 6, 3)  # from the latest adopted version
    # A start planned in the PIP is not a start (issue 12): the deadline stays open.
    assert row.state == State.OPEN and row.done_on is None
    assert deadline(case, Kind.BEZWAAR, "2").due_date == date(2026, 4, 14)
    # The termijn never moves with a new version (t/m 31-01-2029).
    assert deadline(case, Kind.TERMIJN_END).due_date == date(2029, 1, 31)


def test_progress_review_interval_per_municipality(worker, lead, org):
    MunicipalityDeadlineSettings.objects.create(
        municipality=org("hoorn"), progress_review_interval_months=6
    )
    with time_machine.travel(at(2026, 1, 5), tick=False):
        case = register(worker, datum_kennisgeving=date(2025, 12, 1))
        adopt_pip(worker, lead, case, dagtekening=date(2026, 1, 31))
    reviews = Deadline.objects.filter(inburgeraar=case, kind=Kind.PROGRESS_REVIEW)
    # 01-08-2026 ... 01-08-2028; a 6th on 01-02-2029 would be after the last day, 31-01-2029.
    assert reviews.count() == 5
    assert reviews.get(key="1").due_date == date(2026, 8, 1)


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_transfer_moves_the_deadlines_to_the_new_municipality(worker, org):
    case = register(worker)
    case_services.transfer_case(worker, case, to_municipality=org("enkhuizen"))
    assert deadline(case, Kind.PIP_DUE).municipality == org("enkhuizen")


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_closed_case_cancels_open_deadlines(worker):
    case = register(worker)
    type(case).objects.filter(pk=case.pk).update(status=CaseStatus.BEEINDIGD)
    services.recompute_for_case(case)
    assert deadline(case, Kind.PIP_DUE).state == State.CANCELLED


def test_recompute_is_set_based(case_in, django_assert_max_num_queries):
    few = [case_in("hoorn", datum_kennisgeving=date(2026, 3, 2)).pk for _ in range(2)]
    many = [case_in("hoorn", datum_kennisgeving=date(2026, 3, 2)).pk for _ in range(40)]
    with CaptureQueriesContext(connection) as small:
        services.recompute_for_cases(few)
    with CaptureQueriesContext(connection) as large:
        services.recompute_for_cases(many)
    assert len(large) == len(small)
    assert Deadline.objects.filter(inburgeraar_id__in=many, kind=Kind.PIP_DUE).count() == 40


def test_duo_import_commit_creates_deadlines(caseworker_of):
    from duo_import import services as duo_services
    from tests.test_duo_import import make_bsns, make_csv, make_row, upload_file

    user = caseworker_of("hoorn")
    batch = duo_services.parse_upload(
        user, upload_file(make_csv([make_row(bsn) for bsn in make_bsns(3)]))
    )
    duo_services.commit_batch(user, batch)
    assert Deadline.objects.filter(kind=Kind.PIP_DUE, municipality__slug="hoorn").count() == 3


def test_quarterly_cbs_report_per_municipality():
    services.ensure_quarterly_reports(today=date(2026, 11, 29))
    services.ensure_quarterly_reports(today=date(2026, 11, 29))  # idempotent
    rows = Deadline.objects.filter(kind=Kind.CBS_REPORT)
    assert rows.count() == 14  # 7 municipalities × (last quarter, this quarter)
    q3 = rows.filter(key="2026-K3").first()
    assert q3.due_date == date(2026, 10, 28) and q3.state == State.OVERDUE
    assert rows.filter(key="2026-K4").first().due_date == date(2027, 1, 28)


# --- the sweep ---------------------------------------------------------------------------------------


def make_due(case, *, due, kind=Kind.PIP_DUE, key=""):
    """An open deadline whose first reminder stage lies 30 days before it is due."""
    return DeadlineFactory(inburgeraar=case, kind=kind, key=key, due_date=due)


def test_sweep_sends_each_reminder_once_even_when_duplicated(case_in, worker):
    case = case_in("hoorn", caseworker=worker)
    row = make_due(case, due=date(2026, 5, 11))
    services.sweep(today=date(2026, 5, 8))  # 3 days before
    services.sweep(today=date(2026, 5, 8))  # a duplicated beat tick
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [worker.email]
    assert message.subject == "Herinnering: PIP vaststellen t/m 11-05-2026"
    assert "Over 3 dagen" in message.body
    assert f"https://inburgering.example/inburgeraars/{case.pk}/termijnen/" in message.body
    assert case.bsn not in message.body and case.surname not in message.body
    assert Reminder.objects.filter(deadline=row).count() == 1
    assert Notification.objects.filter(user=worker).count() == 1
    row.refresh_from_db()
    assert row.next_reminder_on == date(2026, 5, 11)


def test_retried_send_task_sends_nothing_twice(case_in, worker):
    from deadlines.tasks import send_reminder

    case = case_in("hoorn", caseworker=worker)
    make_due(case, due=date(2026, 5, 11))
    services.sweep(today=date(2026, 5, 11), send=False)
    reminder = Reminder.objects.get()
    assert send_reminder.apply(args=[reminder.pk]).get() is True
    assert send_reminder.apply(args=[reminder.pk]).get() is False  # a retry or redelivery
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Vandaag: PIP vaststellen (t/m 11-05-2026)"


class Killed(BaseException):
    """Stands in for SIGKILL: nothing after it runs, no handler catches it."""


def raise_killed(*args, **kwargs):
    raise Killed()


def sweeps_later(count=1):
    """Move every reminder's timestamps back by `count` sweep intervals (15 minutes each)."""
    shift = timedelta(minutes=15 * count)
    for reminder in Reminder.objects.all():
        Reminder.objects.filter(pk=reminder.pk).update(
            queued_at=reminder.queued_at and reminder.queued_at - shift,
            claimed_at=reminder.claimed_at and reminder.claimed_at - shift,
        )


def test_a_sweep_killed_before_publishing_is_published_by_the_next_sweep(
    case_in, worker, monkeypatch
):
    """Issue 11 point 15: the reminder was recorded (committed) but its task never published;
    the very next sweep publishes it, not an hour later, and it is sent exactly once."""
    from deadlines import tasks

    case = case_in("hoorn", caseworker=worker)
    make_due(case, due=date(2026, 5, 11))
    with monkeypatch.context() as patch:
        patch.setattr(tasks.send_reminder, "delay", raise_killed)
        with pytest.raises(Killed):
            services.sweep(today=date(2026, 5, 11))
    reminder = Reminder.objects.get()
    assert reminder.queued_at is None and reminder.claimed_at is None and mail.outbox == []
    services.sweep(today=date(2026, 5, 11))  # the next beat tick
    assert len(mail.outbox) == 1
    reminder.refresh_from_db()
    assert reminder.queued_at is not None and reminder.sent_at is not None
    sweeps_later(4)
    services.sweep(today=date(2026, 5, 11))
    assert len(mail.outbox) == 1


def test_a_lost_message_is_published_again_at_the_next_sweep_not_after_an_hour(
    case_in, worker, monkeypatch
):
    from deadlines import tasks

    case = case_in("hoorn", caseworker=worker)
    make_due(case, due=date(2026, 5, 11))
    with monkeypatch.context() as patch:
        patch.setattr(tasks.send_reminder, "delay", lambda *args, **kwargs: None)  # lost
        services.sweep(today=date(2026, 5, 11))
    assert mail.outbox == [] and Reminder.objects.get().queued_at is not None
    # A duplicated tick a moment later does not publish it again (it may still be in the queue).
    with monkeypatch.context() as patch:
        published = []
        patch.setattr(tasks.send_reminder, "delay", lambda pk: published.append(pk))
        services.sweep(today=date(2026, 5, 11))
    assert published == []
    sweeps_later(1)  # the next sweep, 15 minutes on
    services.sweep(today=date(2026, 5, 11))
    assert len(mail.outbox) == 1
    sweeps_later(1)
    services.sweep(today=date(2026, 5, 11))
    assert len(mail.outbox) == 1


def test_a_worker_killed_after_claiming_is_taken_over_by_the_next_sweep_once(
    case_in, worker, monkeypatch
):
    """Killed after the claim committed and before the email left: the claim stays, a
    redelivered task within the lease does nothing, and the next sweep sends it exactly once."""
    from django.core.mail.backends.locmem import EmailBackend

    case = case_in("hoorn", caseworker=worker)
    make_due(case, due=date(2026, 5, 11))
    services.sweep(today=date(2026, 5, 11), send=False)
    reminder = Reminder.objects.get()
    with monkeypatch.context() as patch:  # the task, published, runs in a worker that dies
        patch.setattr(EmailBackend, "send_messages", raise_killed)
        with pytest.raises(Killed):
            services.send_reminder(reminder.pk)
    reminder.refresh_from_db()
    assert reminder.claimed_at is not None and reminder.sent_at is None
    assert Notification.objects.filter(reminder=reminder).count() == 1  # the inbox has it
    # The redelivered task (acks_late) and a sweep within the lease find the claim.
    assert services.send_reminder(reminder.pk) is False
    services.sweep(today=date(2026, 5, 11))
    assert mail.outbox == []
    sweeps_later(1)  # the next sweep: the lease has lapsed
    services.sweep(today=date(2026, 5, 11))
    assert [m.subject for m in mail.outbox] == ["Vandaag: PIP vaststellen (t/m 11-05-2026)"]
    reminder.refresh_from_db()
    assert reminder.sent_at is not None
    assert Notification.objects.get(reminder=reminder).emailed_at is not None
    sweeps_later(4)
    services.sweep(today=date(2026, 5, 11))
    assert services.send_reminder(reminder.pk) is False
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(reminder=reminder).count() == 1


def test_a_send_killed_between_two_emails_repeats_none_and_sends_the_rest(
    case_in, worker, lead, monkeypatch
):
    """The escalation goes to the caseworker and the team lead; the worker dies after the
    first email left. The takeover sends only the second."""
    from django.core.mail.backends.locmem import EmailBackend

    case = case_in("hoorn", caseworker=worker)
    make_due(case, due=date(2026, 5, 11))
    for day in (11, 12, 13):
        services.sweep(today=date(2026, 5, day))
    mail.outbox = []
    services.sweep(today=date(2026, 5, 14), send=False)
    escalation = Reminder.objects.get(stage_kind=Reminder.Stage.ESCALATION)
    original = EmailBackend.send_messages
    calls = []

    def first_then_killed(self, messages):
        calls.append(messages)
        if len(calls) > 1:
            raise Killed()
        return original(self, messages)

    with monkeypatch.context() as patch:
        patch.setattr(EmailBackend, "send_messages", first_then_killed)
        with pytest.raises(Killed):
            services.send_reminder(escalation.pk)
    assert len(mail.outbox) == 1
    first = mail.outbox[0].to
    sweeps_later(1)
    services.sweep(today=date(2026, 5, 14))
    assert sorted(to for m in mail.outbox for to in m.to) == sorted([worker.email, lead.email])
    assert len(mail.outbox) == 2 and mail.outbox[1].to != first
    # Each email carries the fixed Message-ID of its reminder and person.
    assert mail.outbox[1].extra_headers["Message-ID"].startswith(f"<reminder-{escalation.pk}-")
    sweeps_later(4)
    services.sweep(today=date(2026, 5, 14))
    assert len(mail.outbox) == 2


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SELECT ... FOR UPDATE SKIP LOCKED is PostgreSQL's: SQLite locks the whole file",
)
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_publish_each_reminder_once(
    reference_data, case_in, caseworker_of, monkeypatch
):
    """The outbox rows are locked with SKIP LOCKED: a second sweep running while the first
    publishes skips what the first holds (committed data: the other sweep has its own
    connection)."""
    worker = caseworker_of("hoorn")
    from deadlines import tasks

    case = case_in("hoorn", caseworker=worker)
    make_due(case, due=date(2026, 5, 11))
    services.sweep(today=date(2026, 5, 11), send=False)
    published = []

    def publish(pk):
        published.append(pk)
        if len(published) == 1:
            # The other sweep, on its own connection, while this one holds the row.
            import threading

            def other():
                try:
                    published.append(("other", services.publish_outbox()))
                finally:
                    connection.close()

            thread = threading.Thread(target=other)
            thread.start()
            thread.join(timeout=10)
            assert not thread.is_alive()

    monkeypatch.setattr(tasks.send_reminder, "delay", publish)
    # The case's other deadlines may have reminders of their own that day: count them all.
    reminders = sorted(Reminder.objects.values_list("pk", flat=True))
    assert reminders
    assert services.publish_outbox() == len(reminders)
    assert published[1] == ("other", 0)  # the other sweep found every row locked
    assert sorted(pk for pk in published if not isinstance(pk, tuple)) == reminders


def test_a_sweep_that_did_not_run_catches_up_with_one_reminder(case_in, worker):
    case = case_in("hoorn", caseworker=worker)
    make_due(case, due=date(2026, 5, 11))
    # Nothing ran from 27 April to 10 May: one reminder (the 3-day one), not three.
    services.sweep(today=date(2026, 5, 10))
    assert len(mail.outbox) == 1 and "Over 3 dagen" in mail.outbox[0].body


def test_overdue_and_escalation_to_the_team_lead(case_in, worker, lead):
    case = case_in("hoorn", caseworker=worker)
    row = make_due(case, due=date(2026, 5, 11))
    services.sweep(today=date(2026, 5, 11))
    services.sweep(today=date(2026, 5, 12))
    row.refresh_from_db()
    assert row.state == State.OVERDUE
    assert [m.subject for m in mail.outbox][
        -1
    ] == "Termijn verstreken: PIP vaststellen (t/m 11-05-2026)"
    assert all(lead.email not in m.to for m in mail.outbox)
    services.sweep(today=date(2026, 5, 13))
    assert len(mail.outbox) == 2  # escalation only after 3 overdue days (the default)
    services.sweep(today=date(2026, 5, 14))
    escalations = [m for m in mail.outbox if m.subject.startswith("Escalatie")]
    assert sorted(to for m in escalations for to in m.to) == sorted([worker.email, lead.email])
    assert escalations[0].subject == "Escalatie: PIP vaststellen (t/m 11-05-2026) is verstreken"
    # Each recipient is told the role they get it in (issue 12).
    by_to = {m.to[0]: m.body for m in escalations}
    assert "als klantmanager" in by_to[worker.email] and "teamleider" not in by_to[worker.email]
    assert "als teamleider van gemeente Hoorn" in by_to[lead.email]
    services.sweep(today=date(2026, 5, 20))
    assert len(mail.outbox) == 4
    assert Notification.objects.filter(user=lead).count() == 1


def test_policy_per_municipality_overrides_the_region(case_in, worker, org, lead):
    ReminderPolicy.objects.create(
        kind=Kind.PIP_DUE, municipality=org("hoorn"), offsets="1", escalate_after_days=1
    )
    case = case_in("hoorn", caseworker=worker)
    make_due(case, due=date(2026, 5, 11))
    services.sweep(today=date(2026, 5, 8))
    assert mail.outbox == []  # Hoorn reminds one day before only
    services.sweep(today=date(2026, 5, 10))
    services.sweep(today=date(2026, 5, 12))
    subjects = [m.subject for m in mail.outbox]
    assert subjects[0].startswith("Herinnering") and any(
        s.startswith("Escalatie") for s in subjects
    )


def test_region_default_policies_exist_for_every_kind():
    region = ReminderPolicy.objects.filter(municipality=None)
    assert set(region.values_list("kind", flat=True)) == set(Kind.values)
    assert region.get(kind=Kind.TERMIJN_END).offset_days == [180, 90, 30, 0]


def test_no_reminder_for_a_deadline_done_in_the_meantime(case_in, worker):
    case = case_in("hoorn", caseworker=worker)
    row = make_due(case, due=date(2026, 5, 11))
    services.sweep(today=date(2026, 5, 11), send=False)
    Deadline.objects.filter(pk=row.pk).update(state=State.DONE)
    assert services.send_reminder(Reminder.objects.get().pk) is False
    assert mail.outbox == []
    assert Reminder.objects.get().sent_at is not None


def test_without_caseworker_the_team_leads_are_reminded(case_in, lead):
    case = case_in("hoorn", caseworker=None)
    make_due(case, due=date(2026, 5, 11))
    services.sweep(today=date(2026, 5, 11))
    assert [m.to for m in mail.outbox] == [[lead.email]]


def test_windows_pass_without_overdue(case_in, worker):
    case = case_in("hoorn", caseworker=worker)
    row = make_due(case, due=date(2026, 3, 14), kind=Kind.BEZWAAR, key="1")
    services.sweep(today=date(2026, 3, 20))
    row.refresh_from_db()
    assert (row.state, row.done_on, row.next_reminder_on) == (State.DONE, date(2026, 3, 14), None)
    assert mail.outbox == []


def test_a_moved_date_is_reminded_again(case_in, worker):
    case = case_in("hoorn", caseworker=worker, datum_kennisgeving=date(2026, 3, 2))
    services.recompute_for_case(case)
    services.sweep(today=date(2026, 5, 11))
    assert len(mail.outbox) == 1
    from intake.models import Inburgeraar

    Inburgeraar.objects.filter(pk=case.pk).update(datum_inschrijving_brp=date(2026, 3, 9))
    with time_machine.travel(at(2026, 5, 11, 12), tick=False):
        services.recompute_for_case(case)
    row = deadline(case, Kind.PIP_DUE)
    assert row.due_date == date(2026, 5, 18) and row.state == State.OPEN
    services.sweep(today=date(2026, 5, 15))
    assert len(mail.outbox) == 2 and "18-05-2026" in mail.outbox[1].subject


def test_cbs_report_reminds_the_team_leads(lead, worker):
    ReminderPolicy.objects.filter(kind=Kind.CBS_REPORT).update(is_active=True)
    services.sweep(today=date(2026, 10, 25))  # Q3 report due 28 October: 3 days before
    assert [m.to for m in mail.outbox] == [[lead.email]]
    assert "Kwartaalrapportage CBS" in mail.outbox[0].subject


def test_sweep_reads_only_due_rows_through_the_index(case_in, worker):
    case = case_in("hoorn", caseworker=worker)
    make_due(case, due=date(2026, 5, 11))
    services.ensure_quarterly_reports(today=date(2026, 5, 1))
    with CaptureQueriesContext(connection) as queries:
        services.sweep(today=date(2026, 5, 1), send=False)
    selects = [
        q["sql"]
        for q in queries
        if 'FROM "deadlines_deadline"' in q["sql"] and "next_reminder_on" in q["sql"]
    ]
    assert selects and all('"next_reminder_on" <=' in sql for sql in selects)


# --- dates: Europe/Amsterdam across DST and leap days ------------------------------------------------


@pytest.mark.parametrize(
    "moment, expected_day",
    [
        # DST starts 29 March 2026 at 02:00: just after midnight local is still the 29th.
        (datetime(2026, 3, 28, 23, 30, tzinfo=ZoneInfo("UTC")), date(2026, 3, 29)),
        # DST ends 25 October 2026 at 03:00: 23:30 UTC on the 24th is 01:30 on the 25th.
        (datetime(2026, 10, 24, 23, 30, tzinfo=ZoneInfo("UTC")), date(2026, 10, 25)),
        # 22:30 UTC on 25 October is 23:30 local (winter time): still the 25th.
        (datetime(2026, 10, 25, 22, 30, tzinfo=ZoneInfo("UTC")), date(2026, 10, 25)),
    ],
)
def test_the_sweep_uses_the_amsterdam_day_across_dst(case_in, worker, moment, expected_day):
    # Send time 00:00, so the day itself is what is tested (the send hour: test_law_counting).
    ReminderPolicy.objects.filter(kind=Kind.PIP_DUE).update(send_time="00:00")
    case = case_in("hoorn", caseworker=worker)
    make_due(case, due=expected_day)
    with time_machine.travel(moment, tick=False):
        services.sweep()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("Vandaag")


def test_leap_day_pip_gives_28_february_termijn_end(worker, lead):
    with time_machine.travel(at(2024, 2, 1), tick=False):
        case = register(worker, datum_kennisgeving=date(2024, 1, 2))
        adopt_pip(worker, lead, case, dagtekening=date(2024, 2, 28))
    # Termijn from 29 February 2024, three years: 28 February 2027.
    assert deadline(case, Kind.TERMIJN_END).due_date == date(2027, 2, 28)
    # 28 February 2024 + 3 months.
    assert deadline(case, Kind.COURSE_START).due_date == date(2024, 5, 28)


def test_31_january_plus_one_month_in_progress_reviews(worker, lead, org):
    MunicipalityDeadlineSettings.objects.create(
        municipality=org("hoorn"), progress_review_interval_months=1
    )
    with time_machine.travel(at(2026, 1, 20), tick=False):
        case = register(worker, datum_kennisgeving=date(2025, 12, 1))
        adopt_pip(worker, lead, case, dagtekening=date(2026, 1, 30))
    # Termijn starts 31 January; one month later is 28 February.
    assert deadline(case, Kind.PROGRESS_REVIEW, "1").due_date == date(2026, 2, 28)
    assert deadline(case, Kind.PROGRESS_REVIEW, "2").due_date == date(2026, 3, 31)


# --- pages -------------------------------------------------------------------------------------------------


def login(client, user):
    client.force_login(user)  # with the second factor (tests/conftest.py)
    return client


@time_machine.travel(at(2026, 5, 6), tick=False)  # a Wednesday
def test_my_deadlines_sections_and_scoping(client, case_in, worker, caseworker_of, lead):
    colleague = caseworker_of("hoorn")
    outsider = caseworker_of("enkhuizen")
    mine = case_in("hoorn", caseworker=worker)
    theirs = case_in("hoorn", caseworker=colleague)
    elsewhere = case_in("enkhuizen", caseworker=outsider)
    make_due(mine, due=date(2026, 5, 1))
    make_due(mine, due=date(2026, 5, 9), kind=Kind.COURSE_START)
    make_due(mine, due=date(2026, 5, 20), kind=Kind.TERMIJN_END)
    make_due(mine, due=date(2026, 8, 20), kind=Kind.SCHAKEL)  # beyond four weeks
    make_due(theirs, due=date(2026, 5, 7))
    make_due(elsewhere, due=date(2026, 5, 7))
    agenda = selectors.agenda(worker)
    assert [d.kind for d in agenda.overdue] == [Kind.PIP_DUE]
    assert [d.kind for d in agenda.this_week] == [Kind.COURSE_START]
    assert [d.kind for d in agenda.next_weeks] == [Kind.TERMIJN_END]

    team = selectors.agenda(lead)
    cases = {d.inburgeraar_id for d in team.overdue + team.this_week + team.next_weeks}
    assert cases == {mine.pk, theirs.pk}  # the team's, never another municipality's

    response = login(client, worker).get(reverse("my-deadlines"))
    assert response.status_code == 200
    content = response.content.decode()
    from django.utils.html import escape  # a generated name may hold an apostrophe ('s Gravensande)

    assert escape(mine.full_name) in content and escape(theirs.full_name) not in content
    assert escape(elsewhere.full_name) not in content
    assert "01-05-2026" in content


@time_machine.travel(at(2026, 5, 6), tick=False)
def test_my_deadlines_query_count_is_constant(client, case_in, lead):
    login(client, lead)

    def queries_for(n):
        for _ in range(n):
            make_due(case_in("hoorn"), due=date(2026, 5, 10))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("my-deadlines")).status_code == 200
        return len(ctx)

    assert queries_for(1) == queries_for(10) == queries_for(30)


def test_case_deadlines_page_is_404_outside_scope(client, case_in, caseworker_of):
    case = case_in("hoorn")
    services.recompute_for_case(case)
    login(client, caseworker_of("enkhuizen"))
    assert client.get(reverse("case-deadlines", args=[case.pk])).status_code == 404
    login(client, caseworker_of("hoorn"))
    response = client.get(reverse("case-deadlines", args=[case.pk]))
    assert response.status_code == 200 and "PIP vaststellen" in response.content.decode()


def test_a_progress_review_is_not_marked_done_by_hand(client, case_in, worker, caseworker_of):
    """Issue 12, honest status: a voortgangsgesprek is done only with its record (uitvoering),
    never by a button; the CBS report is still marked delivered by hand."""
    case = case_in("hoorn", caseworker=worker)
    row = make_due(case, due=date(2026, 5, 1), kind=Kind.PROGRESS_REVIEW, key="1")
    login(client, caseworker_of("enkhuizen"))
    assert client.post(reverse("deadline-complete", args=[row.pk])).status_code == 404
    login(client, worker)
    response = client.post(
        reverse("deadline-complete", args=[row.pk]), {"next": "https://evil.example/"}
    )
    assert response.url == reverse("my-deadlines")  # never redirected to another site
    row.refresh_from_db()
    assert row.state != State.DONE and row.done_on is None
    page = client.get(reverse("case-deadlines", args=[case.pk])).content.decode()
    assert reverse("deadline-complete", args=[row.pk]) not in page
    assert reverse("case-tab", args=[case.pk, "uitvoering"]) in page  # "Gesprek vastleggen"
    services.recompute_for_case(case)
    pip_row = deadline(case, Kind.PIP_DUE)
    client.post(reverse("deadline-complete", args=[pip_row.pk]))
    pip_row.refresh_from_db()
    assert pip_row.state in (State.OPEN, State.OVERDUE)  # done only by adopting the PIP


def test_inbox_unread_count_in_header_and_mark_read(client, case_in, worker):
    case = case_in("hoorn", caseworker=worker)
    make_due(case, due=date(2026, 5, 11))
    services.sweep(today=date(2026, 5, 11))
    login(client, worker)
    home = client.get(reverse("home")).content.decode()
    assert 'data-testid="unread-count">1' in home
    page = client.get(reverse("notifications")).content.decode()
    assert escape(case.full_name) in page and "PIP vaststellen" in page and "t/m 11-05-2026" in page
    client.post(reverse("notifications"), {"all": "1"})
    assert 'data-testid="unread-count"' not in client.get(reverse("home")).content.decode()
    assert Notification.objects.get().read_at is not None


@time_machine.travel(at(2026, 5, 1), tick=False)
def test_calendar_feed_content_and_revocation(client, case_in, worker):
    from icalendar import Calendar

    case = case_in("hoorn", caseworker=worker)
    make_due(case, due=date(2026, 5, 11))
    make_due(case_in("enkhuizen"), due=date(2026, 5, 12))
    login(client, worker)
    page = client.post(reverse("calendar-settings"), {"action": "new"}).content.decode()
    url = page.split('data-testid="feed-url">')[1].split("<")[0]
    path = url.replace("http://testserver", "")
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    assert CalendarFeed.objects.get(user=worker).token_hash == services.token_hash(token)
    assert token not in CalendarFeed.objects.get(user=worker).token_hash

    client.logout()
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert event.decoded("dtstart") == date(2026, 5, 11)
    assert str(event["summary"]) == f"PIP vaststellen — dossier #{case.pk}"
    assert escape(case.surname) not in response.content.decode()

    login(client, worker)
    client.post(reverse("calendar-settings"), {"action": "new"})
    client.logout()
    assert client.get(path).status_code == 404  # a new address retires the old one
    login(client, worker)
    client.post(reverse("calendar-settings"), {"action": "revoke"})
    assert not CalendarFeed.objects.filter(user=worker).exists()


@time_machine.travel(at(2026, 5, 1), tick=False)
def test_calendar_feed_follows_access(client, case_in, worker):
    from municipalities.models import Membership

    make_due(case_in("hoorn", caseworker=worker), due=date(2026, 5, 11))
    token = services.new_calendar_token(worker)
    path = reverse("calendar-feed", args=[token])
    assert client.get(path).content.count(b"BEGIN:VEVENT") == 1
    Membership.objects.filter(user=worker).update(is_active=False)
    assert client.get(path).content.count(b"BEGIN:VEVENT") == 0
    worker.is_active = False
    worker.save()
    assert client.get(path).status_code == 404


def test_calendar_feed_is_stable_across_fetches_and_dtstamp_is_the_last_change(
    client, case_in, worker
):
    """RFC 5545 §3.8.7.2: with no METHOD, DTSTAMP is the last change of the event, so a
    client that fetches twice gets the same body (issue 16)."""
    from icalendar import Calendar

    with time_machine.travel(at(2026, 4, 20, 10, 15), tick=False):
        row = make_due(case_in("hoorn", caseworker=worker), due=date(2026, 5, 11))
        token = services.new_calendar_token(worker)
    path = reverse("calendar-feed", args=[token])
    with time_machine.travel(at(2026, 5, 1), tick=False):
        first = client.get(path).content
    with time_machine.travel(at(2026, 5, 2, 14, 30), tick=False):
        second = client.get(path).content
    assert first == second
    event = Calendar.from_ical(first).walk("VEVENT")[0]
    row.refresh_from_db()
    assert event.decoded("dtstamp") == row.updated_at == event.decoded("last-modified")
    assert event.decoded("dtstamp") == at(2026, 4, 20, 10, 15)


@time_machine.travel(at(2026, 5, 1), tick=False)
def test_calendar_feed_parses_in_icalendar_and_vobject(client, case_in, worker):
    import vobject
    from icalendar import Calendar

    case = case_in("hoorn", caseworker=worker)
    make_due(case, due=date(2026, 5, 11))
    make_due(case, due=date(2026, 6, 1), kind=Kind.PROGRESS_REVIEW, key="1")
    body = client.get(reverse("calendar-feed", args=[services.new_calendar_token(worker)])).content
    assert len(list(Calendar.from_ical(body).walk("VEVENT"))) == len(
        Deadline.objects.filter(inburgeraar=case)
    )
    parsed = vobject.readOne(body.decode())
    parsed.validate()
    assert {str(e.uid.value) for e in parsed.vevent_list} == {
        f"termijn-{pk}@inburgering-westfriesland"
        for pk in Deadline.objects.filter(inburgeraar=case).values_list("pk", flat=True)
    }
    for event in parsed.vevent_list:
        assert event.dtstamp.value.tzinfo is not None  # DTSTAMP is UTC (RFC 5545)
        assert event.dtstamp.value.utcoffset() == timedelta(0)


@time_machine.travel(at(2026, 5, 1), tick=False)
def test_calendar_feed_speaks_the_users_language_not_the_clients(client, case_in, worker):
    make_due(case_in("hoorn", caseworker=worker), due=date(2026, 5, 11))
    path = reverse("calendar-feed", args=[services.new_calendar_token(worker)])
    # A Dutch user whose calendar client asks for English still gets Dutch.
    response = client.get(path, headers={"accept-language": "en"})
    assert b"PIP vaststellen" in response.content and b"Termijnen inburgering" in response.content
    assert response["Content-Language"] == "nl"
    # The user's own setting decides, whatever the client asks.
    worker.language = "en"
    worker.save(update_fields=["language"])
    response = client.get(path, headers={"accept-language": "nl"})
    assert b"PIP vaststellen" not in response.content
    assert b"Integration deadlines" in response.content
    assert response["Content-Language"] == "en"


def test_switching_language_stores_it_on_the_user(client, worker):
    login(client, worker)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    worker.refresh_from_db()
    assert worker.language == "en"
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    worker.refresh_from_db()
    assert worker.language == "en"  # an unknown language changes nothing
    client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    worker.refresh_from_db()
    assert worker.language == "nl"


def test_policy_change_in_admin_rearms_the_sweep(client, member_of, case_in, worker):
    beheerder = member_of("hoorn", Role.BEHEERDER)
    row = make_due(case_in("hoorn", caseworker=worker), due=date(2027, 5, 11))
    policy = ReminderPolicy.objects.get(kind=Kind.PIP_DUE, municipality=None)
    login(client, beheerder)
    response = client.post(
        reverse("admin:deadlines_reminderpolicy_change", args=[policy.pk]),
        {
            "kind": Kind.PIP_DUE,
            "municipality": "",
            "offsets": "400",
            "escalate_after_days": "3",
            "send_time": "09:30",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    policy.refresh_from_db()
    assert policy.send_time.strftime("%H:%M") == "09:30"  # the beheerder sets the send hour
    row.refresh_from_db()
    from django.utils import timezone

    assert row.next_reminder_on == timezone.localdate()
    settings_url = reverse("admin:deadlines_municipalitydeadlinesettings_add")
    assert client.get(settings_url).status_code == 200


def test_rules_module_defaults_match_the_data_migration():
    from importlib import import_module

    defaults = {}
    for name in (
        "0002_default_reminder_policies",
        "0004_beslistermijn_kind",
        "0005_hoorzitting_kind",
    ):
        defaults.update(import_module(f"deadlines.migrations.{name}").DEFAULTS)
    assert {
        kind: (tuple(int(n) for n in offsets.split(",")), escalate)
        for kind, (offsets, escalate) in defaults.items()
    } == {str(kind): value for kind, value in rules.DEFAULT_POLICIES.items()}


def test_bench_command_runs_small_and_cleans_up():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("bench_deadlines", rows=2000, stdout=out)
    text = out.getvalue()
    assert "20 vandaag aan de beurt" in text and "RESULTAAT: sweep" in text
    assert "tweede sweep (dubbele beat): 0 termijnen" in text
    assert not Deadline.objects.filter(key__startswith="bench-").exists()
    assert not Deadline.objects.filter(kind=Kind.CBS_REPORT).exists()


def test_an_email_error_releases_the_claim_and_the_retry_sends_once(case_in, worker, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    case = case_in("hoorn", caseworker=worker)
    make_due(case, due=date(2026, 5, 11))
    services.sweep(today=date(2026, 5, 11), send=False)
    reminder = Reminder.objects.get()
    with monkeypatch.context() as patch:
        patch.setattr(
            EmailBackend,
            "send_messages",
            lambda self, messages: (_ for _ in ()).throw(OSError("smtp down")),
        )
        with pytest.raises(OSError):
            services.send_reminder(reminder.pk)
    reminder.refresh_from_db()
    assert reminder.claimed_at is None and reminder.sent_at is None
    assert services.send_reminder(reminder.pk) is True
    assert services.send_reminder(reminder.pk) is False
    assert len(mail.outbox) == 1
    assert Notification.objects.filter(reminder=reminder).count() == 1


def test_tasks_ack_late_with_time_limits_and_the_sweep_is_scheduled_in_code(settings):
    from deadlines import tasks

    for task in (tasks.sweep, tasks.send_reminder):
        assert task.acks_late is True
        assert task.time_limit and task.soft_time_limit and task.soft_time_limit < task.time_limit
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    assert settings.CELERY_BEAT_SCHEDULE["deadlines.sweep"]["task"] == "deadlines.tasks.sweep"


def test_pages_in_english_and_emails_always_in_dutch(client, case_in, worker):
    from django.conf import settings as django_settings
    from django.utils import translation

    login(client, worker)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override(django_settings.LANGUAGE_CODE):  # the request leaves "en" active
        page = client.get(reverse("my-deadlines")).content.decode()
    assert "My deadlines" in page and "Mijn termijnen" not in page
    case = case_in("hoorn", caseworker=worker)
    make_due(case, due=date(2026, 5, 11))
    with translation.override("en"):
        services.sweep(today=date(2026, 5, 11))
    assert mail.outbox[0].subject == "Vandaag: PIP vaststellen (t/m 11-05-2026)"
