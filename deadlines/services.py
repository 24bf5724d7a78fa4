"""Writes on deadlines: the recompute, the sweep, sending a reminder, and the user's own actions.

* `recompute_for_case(case)` / `recompute_for_cases(ids)` derive every deadline of the cases from
  their current dates (deadlines.rules) in a constant number of queries per chunk of cases. They
  run inside the caller's transaction, so a rolled-back change leaves the old deadlines.
* `sweep()` reads only rows whose next action day has come (partial index), records each
  reminder under its unique (deadline, stage) key and moves states (overdue, passed). Re-running
  it records nothing twice; a sweep that did not run is caught up by the next, which still finds
  the rows.
* The reminder table is the outbox: `publish_outbox()` (run by every sweep) publishes
  `send_reminder` for each unsent reminder that was never published, whose message went
  unclaimed since an earlier sweep, or whose claim outlived its lease (the sending worker died),
  and stamps `queued_at` only after the broker took the message. A sweep killed between recording
  and publishing therefore delays a reminder by at most one sweep interval, not an hour.
* `send_reminder(id)` claims the reminder under a row lock while `sent_at` is empty, writes the
  inbox notifications and then emails them one by one, stamping each notification's
  `emailed_at` as its email leaves: a retried, duplicated or taken-over send repeats no email
  that went out, and sends the ones that did not.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit import events as audit
from cases.models import CaseStatus, Inburgeraar, postponed_duty_start
from intake import rules as intake_rules
from intake.models import Intake, IntakeState, Invitation
from letters.models import Bezwaar
from municipalities.models import Organisation, Role
from municipalities.selectors import is_member, members_with_role, organisation_ids_with_any_role

from . import rules
from .models import (
    ACTIVE_STATES,
    FROM_DATE_KINDS,
    LEAD_ROLES,
    MAX_ESCALATE_DAYS,
    CalendarFeed,
    Deadline,
    Kind,
    MunicipalityDeadlineSettings,
    Notification,
    Reminder,
    ReminderPolicy,
    State,
    date_label,
)

logger = logging.getLogger(__name__)

CHUNK = 500
SWEEP_BATCH = 2000
# The sweep runs every 15 minutes (settings.CELERY_BEAT_SCHEDULE). A message published by one
# sweep and still unclaimed at the next is published again (the send is idempotent, a duplicate
# finds the claim); a claim older than the lease belongs to a worker that died (the send task's
# hard time limit is 60 seconds) and is taken over by the next sweep's message.
REPUBLISH_AFTER = timedelta(minutes=10)
CLAIM_LEASE = timedelta(minutes=5)
CLOSED_STATUSES = (CaseStatus.AFGEROND, CaseStatus.BEEINDIGD)


# --- policies --------------------------------------------------------------------------------------


class Policies:
    """Every reminder policy, loaded once: the municipality's own rule, else the region's, else
    the built-in default."""

    def __init__(self):
        self._rules = {}
        for policy in ReminderPolicy.objects.all():
            try:
                offsets = policy.offset_days
                escalate = policy.escalate_after_days
                if escalate is not None and not 0 <= escalate <= MAX_ESCALATE_DAYS:
                    raise ValueError(escalate)
            except ValueError:
                # One stored value out of range (saved before the bounds, or past them) must not
                # stop every sweep: this policy falls back to the built-in default, loudly.
                logger.error(
                    "deadlines.policy_invalid",
                    extra={"policy": policy.pk, "kind": policy.kind, "offsets": policy.offsets},
                )
                default_offsets, escalate = rules.DEFAULT_POLICIES[policy.kind]
                offsets = list(default_offsets)
            self._rules[(policy.kind, policy.municipality_id)] = (
                offsets if policy.is_active else [],
                escalate if policy.is_active else None,
                policy.is_active,
            )
        self._send_times = {
            (policy.kind, policy.municipality_id): policy.send_time
            for policy in ReminderPolicy.objects.all()
        }

    def get(self, kind: str, municipality_id: int | None) -> tuple[list[int], int | None, bool]:
        found = self._rules.get((kind, municipality_id)) or self._rules.get((kind, None))
        if found is not None:
            return found
        offsets, escalate = rules.DEFAULT_POLICIES[kind]
        return list(offsets), escalate, True

    def send_time(self, kind: str, municipality_id: int | None):
        """The local time of day the reminders of this kind go out."""
        found = self._send_times.get((kind, municipality_id)) or self._send_times.get((kind, None))
        return found or rules.DEFAULT_SEND_TIME

    def stages(self, kind, municipality_id, due) -> list[rules.Stage]:
        offsets, escalate, _active = self.get(kind, municipality_id)
        return rules.stages(kind, due, offsets, escalate)


# --- recompute ---------------------------------------------------------------------------------------


def recompute_for_case(case) -> None:
    """Bring the deadlines of one case (an Inburgeraar or its id) in line with its dates, in the
    caller's transaction: a rolled-back change leaves the old deadlines."""
    recompute_for_cases([getattr(case, "pk", case)])


def recompute_for_cases(case_ids, *, today: date | None = None) -> dict[str, int]:
    """Set-based: a constant number of queries per chunk of cases, however many deadlines."""
    today = today or timezone.localdate()
    ids = sorted(set(case_ids))
    totals = {"created": 0, "updated": 0}
    if not ids:
        return totals
    policies = Policies()
    intervals = dict(
        MunicipalityDeadlineSettings.objects.values_list(
            "municipality_id", "progress_review_interval_months"
        )
    )
    with transaction.atomic():
        for start in range(0, len(ids), CHUNK):
            created, updated = _recompute_chunk(
                ids[start : start + CHUNK], today, policies, intervals
            )
            totals["created"] += created
            totals["updated"] += updated
    return totals


def _case_facts(ids: list[int], intervals: dict[int, int]) -> dict[int, rules.CaseFacts]:
    from pip_plans.models import Pip, PipStatus, PipVersion

    facts = {
        row["pk"]: rules.CaseFacts(
            case_id=row["pk"],
            municipality_id=row["municipality_id"],
            closed=row["status"] in CLOSED_STATUSES,
            kennisgeving=row["datum_kennisgeving"],
            brp=row["datum_inschrijving_brp"],
            progress_review_months=intervals.get(
                row["municipality_id"], rules.DEFAULT_PROGRESS_REVIEW_MONTHS
            ),
            duty_start=postponed_duty_start(row["leerplicht"], row["leerplicht_end"]),
        )
        for row in Inburgeraar.objects.filter(pk__in=ids).values(
            "pk",
            "municipality_id",
            "status",
            "datum_kennisgeving",
            "datum_inschrijving_brp",
            "leerplicht",
            "leerplicht_end",
        )
    }
    for case_id, requested, received in (
        Intake.objects.filter(inburgeraar_id__in=ids)
        .filter(
            Q(third_party_info_received__isnull=False) | Q(third_party_info_requested__isnull=False)
        )
        .exclude(state=IntakeState.GEANNULEERD)
        .values_list("inburgeraar_id", "third_party_info_requested", "third_party_info_received")
    ):
        facts[case_id].third_party_received = received
        facts[case_id].third_party_waiting_since = intake_rules.third_party_waiting_since(
            requested, received
        )
    for row in (
        Invitation.objects.filter(intake__inburgeraar_id__in=ids)
        .order_by("intake_id", "sequence")
        .values(
            "pk",
            "intake__inburgeraar_id",
            "intake__state",
            "response_date",
            "outcome",
            "conversation_at",
        )
    ):
        outcome_on = (
            timezone.localtime(row["conversation_at"]).date()
            if row["outcome"] != Invitation.Outcome.OPEN
            else None
        )
        facts[row["intake__inburgeraar_id"]].invitations.append(
            rules.InvitationFacts(
                pk=row["pk"],
                response_date=row["response_date"],
                attended_or_missed_on=outcome_on,
                intake_cancelled=row["intake__state"] == IntakeState.GEANNULEERD,
            )
        )
    for case_id, first, start, end in Pip.objects.filter(inburgeraar_id__in=ids).values_list(
        "inburgeraar_id", "dagtekening_initiele_pip", "termijn_start", "termijn_end"
    ):
        facts[case_id].first_pip = first
        facts[case_id].termijn_start = start
        facts[case_id].termijn_end = end
    for row in (
        PipVersion.objects.filter(pip__inburgeraar_id__in=ids, status=PipStatus.VASTGESTELD)
        .order_by("pip_id", "number")
        .values(
            "pip__inburgeraar_id",
            "number",
            "dagtekening",
            "bezwaar_deadline",
            "course_start_deadline",
            "course_start",
            "unburdening",
            "unburdening_start",
        )
    ):
        if row["dagtekening"] is None:
            continue
        facts[row["pip__inburgeraar_id"]].adopted.append(
            rules.AdoptedVersionFacts(
                number=row["number"],
                dagtekening=row["dagtekening"],
                bezwaar_deadline=row["bezwaar_deadline"],
                course_start_deadline=row["course_start_deadline"],
                course_start=row["course_start"],
                unburdening=row["unburdening"],
                unburdening_start=row["unburdening_start"],
            )
        )
    for row in Bezwaar.objects.filter(inburgeraar_id__in=ids).values(
        "pk",
        "inburgeraar_id",
        "window_end",
        "advisory_committee",
        "extended",
        "decided_on",
        "hearing_at",
        "hearing_notes",
    ):
        hearing = row["hearing_at"]
        facts[row["inburgeraar_id"]].bezwaren.append(
            rules.BezwaarFacts(
                pk=row["pk"],
                window_end=row["window_end"],
                advisory_committee=row["advisory_committee"],
                extended=row["extended"],
                decided_on=row["decided_on"],
                hearing_on=timezone.localtime(hearing).date() if hearing else None,
                hearing_reported=bool(row["hearing_notes"].strip()),
            )
        )
    for case_id, start in rules.unburdening_starts(ids).items():
        if case_id in facts:
            facts[case_id].unburdening_start = start
    for case_id, values in rules.fed_facts(ids).items():
        if case_id in facts:
            for name, value in values.items():
                setattr(facts[case_id], name, value)
    return facts


def desired_state(
    kind: str, due: date, done_on: date | None, today: date, *, waiting: bool = False
) -> tuple[str, date | None]:
    """The state a deadline should be in today, and its done date. A deadline waiting for
    third-party information stays open: it is not overdue while its date is not yet known."""
    if done_on is not None:
        return State.DONE, done_on
    if waiting:
        return State.OPEN, None
    if due < today:
        if kind in rules.ACTIONABLE:
            return State.OVERDUE, None
        return State.DONE, due  # a window that has closed
    return State.OPEN, None


def _recompute_chunk(ids, today, policies, intervals) -> tuple[int, int]:
    facts = _case_facts(ids, intervals)
    existing = {
        (row.inburgeraar_id, row.kind, row.key): row
        for row in Deadline.objects.filter(inburgeraar_id__in=ids).only(
            "pk",
            "inburgeraar_id",
            "municipality_id",
            "kind",
            "key",
            "due_date",
            "state",
            "done_on",
            "next_reminder_on",
            "waiting_since",
        )
    }
    to_create: list[Deadline] = []
    to_update: list[Deadline] = []
    seen = set()
    now = timezone.now()
    for case_id, case_facts in facts.items():
        for spec in rules.case_deadlines(case_facts):
            ident = (case_id, spec.kind, spec.key)
            seen.add(ident)
            row = existing.get(ident)
            waiting = spec.waiting_since is not None
            if row is None:
                state, done_on = desired_state(
                    spec.kind, spec.due_date, spec.done_on, today, waiting=waiting
                )
                to_create.append(
                    Deadline(
                        inburgeraar_id=case_id,
                        municipality_id=case_facts.municipality_id,
                        kind=spec.kind,
                        key=spec.key,
                        due_date=spec.due_date,
                        state=state,
                        done_on=done_on,
                        waiting_since=spec.waiting_since,
                        next_reminder_on=None
                        if waiting
                        else _first_action(
                            policies, spec.kind, case_facts.municipality_id, spec.due_date, state
                        ),
                    )
                )
                continue
            done_on = spec.done_on
            if done_on is None and spec.kind in rules.MANUAL and row.state == State.DONE:
                done_on = row.done_on  # marked done by hand: stays done
            state, done_on = desired_state(
                spec.kind, spec.due_date, done_on, today, waiting=waiting
            )
            changed = (
                row.due_date != spec.due_date
                or row.state != state
                or row.done_on != done_on
                or row.municipality_id != case_facts.municipality_id
                or row.waiting_since != spec.waiting_since
            )
            if not changed:
                continue
            rearm = (
                row.due_date != spec.due_date
                or row.state not in ACTIVE_STATES
                or (row.waiting_since is not None and not waiting)  # the information arrived
            )
            row.due_date = spec.due_date
            row.done_on = done_on
            row.municipality_id = case_facts.municipality_id
            row.waiting_since = spec.waiting_since
            if state not in ACTIVE_STATES or waiting:
                row.next_reminder_on = None
            elif rearm:
                row.next_reminder_on = _first_action(
                    policies, spec.kind, case_facts.municipality_id, spec.due_date, state
                )
            row.state = state
            row.updated_at = now
            to_update.append(row)
    for ident, row in existing.items():
        if ident not in seen and row.state in ACTIVE_STATES:
            row.state = State.CANCELLED
            row.next_reminder_on = None
            row.updated_at = now
            to_update.append(row)
    Deadline.objects.bulk_create(to_create, batch_size=CHUNK)
    Deadline.objects.bulk_update(
        to_update,
        [
            "due_date",
            "state",
            "done_on",
            "municipality",
            "next_reminder_on",
            "waiting_since",
            "updated_at",
        ],
        batch_size=CHUNK,
    )
    return len(to_create), len(to_update)


def _first_action(policies, kind, municipality_id, due, state) -> date | None:
    if state not in ACTIVE_STATES:
        return None
    return rules.first_action_on(policies.stages(kind, municipality_id, due))


def ensure_quarterly_reports(*, today: date | None = None) -> int:
    """The CBS report of the quarter just ended and of the current one, per municipality."""
    today = today or timezone.localdate()
    policies = Policies()
    rows = []
    for municipality_id in Organisation.objects.filter(kind=Organisation.Kind.GEMEENTE).values_list(
        "pk", flat=True
    ):
        for year, quarter in rules.reporting_quarters(today):
            due = rules.quarterly_report_due(year, quarter)
            state, done_on = desired_state(Kind.CBS_REPORT, due, None, today)
            rows.append(
                Deadline(
                    inburgeraar=None,
                    municipality_id=municipality_id,
                    kind=Kind.CBS_REPORT,
                    key=rules.quarter_key(year, quarter),
                    due_date=due,
                    state=state,
                    done_on=done_on,
                    next_reminder_on=_first_action(
                        policies, Kind.CBS_REPORT, municipality_id, due, state
                    ),
                )
            )
    before = Deadline.objects.filter(kind=Kind.CBS_REPORT, inburgeraar__isnull=True).count()
    Deadline.objects.bulk_create(rows, ignore_conflicts=True)
    return Deadline.objects.filter(kind=Kind.CBS_REPORT, inburgeraar__isnull=True).count() - before


def rearm_for_policy(policy: ReminderPolicy) -> int:
    """After a policy changes, let the sweep look at the deadlines it governs once more (what was
    recorded stays recorded: nothing is sent twice)."""
    rows = Deadline.objects.active().filter(kind=policy.kind, waiting_since__isnull=True)
    if policy.municipality_id:
        rows = rows.filter(municipality_id=policy.municipality_id)
    return rows.update(next_reminder_on=timezone.localdate())


# --- the sweep -----------------------------------------------------------------------------------------


def sweep(
    *,
    today: date | None = None,
    now=None,
    send: bool = True,
    batch_size: int = SWEEP_BATCH,
) -> dict:
    """Process every active deadline whose next action has come. Idempotent.

    A day's reminders go out at the first sweep after the policy's local send time (default
    08:00 Europe/Amsterdam), not at midnight: before that time a row due today waits, and a
    sweep that did not run at that hour is caught up by the next one. `today` (tests, manual
    runs) treats the send time of that day as come."""
    local_now = timezone.localtime(now or timezone.now())
    if today is None:
        today = local_now.date()
        explicit_day = None
    else:
        explicit_day = today
    ensure_quarterly_reports(today=today)
    policies = Policies()
    totals = {"deadlines": 0, "reminders": 0, "queued": 0}
    last_pk = 0
    while True:
        with transaction.atomic():
            rows = list(
                Deadline.objects.filter(
                    state__in=ACTIVE_STATES,
                    next_reminder_on__lte=today,
                    pk__gt=last_pk,
                    waiting_since__isnull=True,
                )
                .order_by("pk")
                .select_for_update(skip_locked=True)
                .only(
                    "pk",
                    "municipality_id",
                    "inburgeraar_id",
                    "kind",
                    "due_date",
                    "state",
                    "done_on",
                    "next_reminder_on",
                )[:batch_size]
            )
            if not rows:
                break
            last_pk = rows[-1].pk
            reminders = []
            stamp = timezone.now()
            processed = []
            escalated = _escalated(rows)
            for row in rows:
                day = explicit_day or rules.reminder_day(
                    local_now, policies.send_time(row.kind, row.municipality_id)
                )
                if row.next_reminder_on > day:
                    continue  # today's send time has not come yet: the row waits
                offsets, escalate, active = policies.get(row.kind, row.municipality_id)
                try:
                    all_stages = rules.stages(row.kind, row.due_date, offsets, escalate)
                    rules.next_action_on(all_stages, day)
                except (OverflowError, ValueError):
                    # A date at the edge of the calendar: this row is skipped, the sweep goes on.
                    logger.error("deadlines.sweep_row_failed", extra={"deadline": row.pk})
                    continue
                processed.append(row)
                if active:
                    for stage in rules.stages_to_record(all_stages, row.due_date, day):
                        if stage.kind == "before" and today > row.due_date:
                            continue  # caught up after the date: no "today" for a past day
                        if stage.kind == "escalation":
                            keys = _escalation_keys(row)
                            if keys & escalated:
                                continue  # one escalation per deadline, and per person and kind
                            escalated |= keys
                        reminders.append(
                            Reminder(
                                deadline_id=row.pk,
                                stage=stage.key,
                                stage_kind=stage.kind,
                                days_before=stage.days_before,
                                due_date=row.due_date,
                            )
                        )
                row.state, row.done_on = desired_state(row.kind, row.due_date, None, today)
                row.next_reminder_on = (
                    rules.next_action_on(all_stages, day) if row.state in ACTIVE_STATES else None
                )
                row.updated_at = stamp
            rows = processed
            Reminder.objects.bulk_create(reminders, batch_size=batch_size, ignore_conflicts=True)
            # One UPDATE per distinct outcome (a handful), not a CASE over thousands of ids.
            outcomes: dict[tuple, list[int]] = {}
            for row in rows:
                outcomes.setdefault((row.state, row.done_on, row.next_reminder_on), []).append(
                    row.pk
                )
            for (state, done_on, next_on), pks in outcomes.items():
                Deadline.objects.filter(pk__in=pks).update(
                    state=state, done_on=done_on, next_reminder_on=next_on, updated_at=stamp
                )
            totals["deadlines"] += len(rows)
            totals["reminders"] += len(reminders)
        if send:
            # After the batch committed: what it recorded, and anything an earlier sweep left.
            totals["queued"] += publish_outbox()
    if send:
        totals["queued"] += publish_outbox()
    logger.info("deadlines.sweep", extra=totals)
    return totals


def _escalation_keys(row) -> set:
    keys = {("deadline", row.pk)}
    if row.inburgeraar_id:
        keys.add(("case", row.inburgeraar_id, row.kind))
    return keys


def _escalated(rows) -> set:
    """What has been escalated already: each of these deadlines that ever was (a moved date does
    not escalate it again), and each person's kind with an escalated deadline still open (ten
    overdue voortgangsgesprekken of one person are one escalation, not ten)."""
    pks = [row.pk for row in rows]
    case_ids = {row.inburgeraar_id for row in rows if row.inburgeraar_id}
    done = {
        ("deadline", pk)
        for pk in Reminder.objects.filter(
            deadline_id__in=pks, stage_kind=Reminder.Stage.ESCALATION
        ).values_list("deadline_id", flat=True)
    }
    done |= {
        ("case", case_id, kind)
        for case_id, kind in Reminder.objects.filter(
            stage_kind=Reminder.Stage.ESCALATION,
            deadline__inburgeraar_id__in=case_ids,
            deadline__state__in=ACTIVE_STATES,
        ).values_list("deadline__inburgeraar_id", "deadline__kind")
    }
    return done


def _outbox():
    """Unsent reminders that need a message: never published, published before the last sweep
    and still unclaimed (a lost message), or claimed by a worker that died (a stale claim)."""
    now = timezone.now()
    return Reminder.objects.filter(sent_at__isnull=True).filter(
        Q(claimed_at__isnull=True)
        & (Q(queued_at__isnull=True) | Q(queued_at__lt=now - REPUBLISH_AFTER))
        | Q(claimed_at__lt=now - CLAIM_LEASE)
    )


def publish_outbox(*, chunk: int = CHUNK) -> int:
    """Publish `send_reminder` for each reminder in the outbox; stamp `queued_at` after the
    broker took it. Rows are locked with SKIP LOCKED, so two sweeps at once publish each reminder
    once; a crash before the stamp publishes it again at the next sweep (harmless: the send is
    idempotent). A broker error stops the pass; the rest waits for the next sweep."""
    from .tasks import send_reminder

    published, last_pk = 0, 0
    while True:
        with transaction.atomic():
            ids = list(
                _outbox()
                .filter(pk__gt=last_pk)
                .order_by("pk")
                .select_for_update(skip_locked=True)
                .values_list("pk", flat=True)[:chunk]
            )
            if not ids:
                return published
            last_pk = ids[-1]
            done = []
            for pk in ids:
                try:
                    send_reminder.delay(pk)
                except Exception:
                    logger.exception("deadlines.publish_failed", extra={"reminder_id": pk})
                    break
                done.append(pk)
            Reminder.objects.filter(pk__in=done).update(queued_at=timezone.now())
            published += len(done)
            if len(done) < len(ids):
                return published


# --- sending -------------------------------------------------------------------------------------------


def team_leads(municipality_id: int) -> list:
    return list(members_with_role(Role.TEAMLEIDER, municipality_id))


CASEWORKER, TEAM_LEAD = "klantmanager", "teamleider"


def recipients_for(deadline: Deadline, reminder: Reminder) -> list[tuple]:
    """(person, role) pairs: the caseworker (or, with none, the team leads); escalations go to
    the team leads too. The role is the one the person gets this message in."""
    caseworker = None
    case = deadline.inburgeraar
    if (
        case is not None
        and case.caseworker_id
        and case.caseworker.is_active
        and is_member(case.caseworker_id, case.municipality_id)
    ):
        caseworker = case.caseworker
    people = [(caseworker, CASEWORKER)] if caseworker else []
    if reminder.stage_kind == Reminder.Stage.ESCALATION or caseworker is None:
        people += [
            (lead, TEAM_LEAD) for lead in team_leads(deadline.municipality_id) if lead != caseworker
        ]
    return people


def site_url(base_url: str = "") -> str:
    """The address links in email start with: the address the request came in on when there is
    one, else SITE_URL (which `make run` sets to the address it serves on)."""
    return (base_url or settings.SITE_URL).rstrip("/")


def role_sentence(role: str, deadline: Deadline) -> str:
    if role == CASEWORKER:
        return _("U ontvangt dit bericht als klantmanager van deze inburgeraar.")
    if deadline.inburgeraar_id and not deadline.inburgeraar.caseworker_id:
        return _(
            "U ontvangt dit bericht als teamleider van gemeente %(gemeente)s: deze inburgeraar "
            "heeft nog geen klantmanager."
        ) % {"gemeente": deadline.municipality}
    return _("U ontvangt dit bericht als teamleider van gemeente %(gemeente)s.") % {
        "gemeente": deadline.municipality
    }


def message_for(deadline: Deadline, reminder: Reminder, role: str = CASEWORKER) -> tuple[str, str]:
    """Subject and body of the email, in Dutch, for a recipient in `role`. Names no person: the
    dossier number only (mail leaves the system); the inbox shows the person's name."""
    label = deadline.get_kind_display()
    due = deadline.due_date.strftime("%d-%m-%Y")
    when = date_label(deadline.kind, deadline.due_date)  # "t/m <last day>" or "vanaf <day>"
    from_date = deadline.kind in FROM_DATE_KINDS
    where = (
        _("dossier #%(case)s (%(gemeente)s)")
        % {"case": deadline.inburgeraar_id, "gemeente": deadline.municipality}
        if deadline.inburgeraar_id
        else _("gemeente %(gemeente)s, %(key)s")
        % {"gemeente": deadline.municipality, "key": deadline.key}
    )
    if reminder.stage_kind == Reminder.Stage.BEFORE:
        if reminder.days_before:
            subject = _("Herinnering: %(label)s %(when)s") % {"label": label, "when": when}
            if from_date:
                lead = _("Over %(days)s dagen, vanaf %(due)s, is dit mogelijk.")
            else:
                lead = _("Over %(days)s dagen, op %(due)s, is de laatste dag van deze termijn.")
            lead = lead % {"days": reminder.days_before, "due": due}
        else:
            subject = _("Vandaag: %(label)s (%(when)s)") % {"label": label, "when": when}
            if from_date:
                lead = _("Vanaf vandaag, %(due)s, is dit mogelijk.") % {"due": due}
            else:
                lead = _("Vandaag, %(due)s, is de laatste dag van deze termijn.") % {"due": due}
    elif reminder.stage_kind == Reminder.Stage.OVERDUE:
        subject = _("Termijn verstreken: %(label)s (%(when)s)") % {"label": label, "when": when}
        lead = _("De laatste dag van deze termijn was %(due)s en hij is nog niet afgehandeld.") % {
            "due": due
        }
    else:
        subject = _("Escalatie: %(label)s (%(when)s) is verstreken") % {
            "label": label,
            "when": when,
        }
        lead = _("De laatste dag van deze termijn was %(due)s en hij is nog niet afgehandeld.") % {
            "due": due
        }
    link = site_url() + (
        reverse("case-deadlines", args=[deadline.inburgeraar_id])
        if deadline.inburgeraar_id
        else reverse("my-deadlines")
    )
    body = "\n\n".join(
        [
            _("%(label)s — %(where)s") % {"label": label, "where": where},
            lead,
            role_sentence(role, deadline),
            _("Bekijk de termijnen: %(link)s") % {"link": link},
            _("Dit bericht is automatisch verstuurd door Inburgering Westfriesland."),
        ]
    )
    return subject, body


def send_reminder(reminder_id: int) -> bool:
    """Send one recorded reminder, never an email twice. True when this call sent it.

    Under a row lock, an unsent reminder that nobody holds (no claim, or a claim older than
    `CLAIM_LEASE`: its worker died) is claimed; the first claim decides the recipients and writes
    their inbox notifications, which keep what each email says. That commits before any email
    leaves. Then each notification not yet emailed is emailed and stamped `emailed_at`, and at the
    end the reminder's `sent_at` is set. A duplicated or redelivered task finds the claim and does
    nothing; an email error releases the claim so the retry sends; a worker killed after the claim
    leaves it to lapse, and the next sweep's message takes it over and sends only the emails that
    did not go out. (The one email an SMTP server accepted in the instant before its stamp
    committed cannot be told apart from one never sent; it carries a fixed Message-ID, so a mail
    client shows a repeat as the same message.)
    """
    now = timezone.now()
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update()
            .filter(pk=reminder_id, sent_at__isnull=True)
            .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_LEASE))
            .first()
        )
        if reminder is None:
            return False
        taken_over = reminder.claimed_at is not None
        decided = reminder.notifications.exists()
        if not decided:
            deadline = Deadline.objects.select_related(
                "inburgeraar__caseworker", "municipality"
            ).get(pk=reminder.deadline_id)
            people = []
            # Done or cancelled since, or now waiting for third-party information: nothing to
            # remind.
            if deadline.state in ACTIVE_STATES and deadline.waiting_since is None:
                people = recipients_for(deadline, reminder)
            notifications = []
            with translation.override(settings.LANGUAGE_CODE):  # the emails are in Dutch
                for person, role in people:
                    subject, body = message_for(deadline, reminder, role)
                    notifications.append(
                        Notification(
                            user=person,
                            reminder=reminder,
                            deadline=deadline,
                            inburgeraar_id=deadline.inburgeraar_id,
                            recipient_role=role,
                            subject=subject,
                            text=body,
                        )
                    )
            Notification.objects.bulk_create(notifications, ignore_conflicts=True)
            reminder.recipients = [person.pk for person, _role in people]
        reminder.claimed_at = now
        if not reminder.recipients:
            reminder.sent_at = now
        reminder.save(update_fields=["claimed_at", "sent_at", "recipients"])
    if taken_over:
        logger.warning("deadlines.reminder_claim_taken_over", extra={"reminder_id": reminder_id})
    if reminder.sent_at is None:
        pending = list(
            Notification.objects.filter(reminder_id=reminder_id, emailed_at__isnull=True)
            .exclude(user__email="")
            .select_related("user")
            .order_by("pk")
        )
        try:
            if pending:
                _email_notifications(reminder_id, pending)
        except Exception:
            Reminder.objects.filter(pk=reminder_id, sent_at__isnull=True).update(claimed_at=None)
            raise
        Reminder.objects.filter(pk=reminder_id, sent_at__isnull=True).update(sent_at=timezone.now())
    logger.info(
        "deadlines.reminder_sent",
        extra={
            "reminder_id": reminder_id,
            "stage": reminder.stage_kind,
            "recipients": len(reminder.recipients),
        },
    )
    return bool(reminder.recipients)


def _email_notifications(reminder_id: int, notifications) -> None:
    """Email each notification over one connection, stamping it as its email leaves."""
    connection = get_connection()
    connection.open()
    try:
        for notification in notifications:
            message = EmailMessage(
                notification.subject,
                notification.text,
                settings.DEFAULT_FROM_EMAIL,
                [notification.user.email],
                connection=connection,
                headers={
                    "Message-ID": f"<reminder-{reminder_id}-{notification.user_id}@{DNS_NAME}>"
                },
            )
            connection.send_messages([message])
            Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    finally:
        connection.close()


# --- the user's own actions --------------------------------------------------------------------------


@transaction.atomic
def complete_deadline(actor, deadline: Deadline, *, on: date | None = None) -> Deadline:
    """Mark a CBS report delivered (the kind nothing else completes; a voortgangsgesprek is done
    only by its record in uitvoering)."""
    try:
        deadline = (
            Deadline.objects.editable_by(actor).select_for_update(of=("self",)).get(pk=deadline.pk)
        )
    except Deadline.DoesNotExist:
        raise Http404 from None
    if deadline.kind not in rules.MANUAL:
        raise ValidationError(_("Deze termijn wordt vanzelf afgehandeld."))
    if deadline.state not in ACTIVE_STATES:
        raise ValidationError(_("Deze termijn is al afgehandeld."))
    if (
        deadline.inburgeraar_id is None
        and not organisation_ids_with_any_role(actor, LEAD_ROLES)
        .filter(organisation_id=deadline.municipality_id)
        .exists()
    ):
        raise PermissionDenied
    old = deadline.state
    deadline.state = State.DONE
    deadline.done_on = on or timezone.localdate()
    deadline.next_reminder_on = None
    deadline.save(update_fields=["state", "done_on", "next_reminder_on", "updated_at"])
    audit.transitioned(actor, deadline, field="state", old=old, new=State.DONE)
    return deadline


def mark_notifications_read(user, ids=None) -> int:
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def new_calendar_token(user) -> str:
    """A new secret address for the user's calendar; the old one stops working."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(user=user, defaults={"token_hash": token_hash(token)})
    audit.calendar_feed_changed(user, reason=_("agenda-adres aangemaakt"))
    return token


@transaction.atomic
def revoke_calendar_token(user) -> bool:
    deleted, _rows = CalendarFeed.objects.filter(user=user).delete()
    if deleted:
        audit.calendar_feed_changed(user, reason=_("agenda-adres ingetrokken"))
    return bool(deleted)


def feed_user(token: str):
    """The active user whose calendar address this is, or None."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=token_hash(token), user__is_active=True)
        .first()
    )
    if feed is None:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed.user


# --- other events the inbox tells about --------------------------------------------------------------


def notify_pip_submitted(version_pk: int, actor_pk: int, base_url: str = "") -> int:
    """A PIP was submitted for adoption: each team lead of the case's municipality who may adopt
    it (not the one who submitted it) gets an item in the inbox and an email. Returns how many."""
    from pip_plans.models import PipVersion

    version = (
        PipVersion.objects.select_related("pip__inburgeraar__municipality", "submitted_by")
        .filter(pk=version_pk)
        .first()
    )
    if version is None:
        return 0
    case = version.pip.inburgeraar
    leads = [lead for lead in team_leads(case.municipality_id) if lead.pk != actor_pk]
    link = site_url(base_url) + reverse("case-tab", args=[case.pk, "pip"])
    submitter = version.submitted_by
    who = (submitter.get_full_name() or submitter.username) if submitter else ""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("PIP ter vaststelling: dossier #%(case)s (%(gemeente)s)") % {
            "case": case.pk,
            "gemeente": case.municipality,
        }
        body = "\n\n".join(
            [
                _("%(who)s heeft versie %(n)s van het PIP ter vaststelling aangeboden.")
                % {"who": who, "n": version.number},
                _("U ontvangt dit bericht als teamleider van gemeente %(gemeente)s.")
                % {"gemeente": case.municipality},
                _("Bekijk het PIP: %(link)s") % {"link": link},
                _("Dit bericht is automatisch verstuurd door Inburgering Westfriesland."),
            ]
        )
    Notification.objects.bulk_create(
        [
            Notification(
                user=lead,
                topic=Notification.Topic.PIP_SUBMITTED,
                inburgeraar=case,
                recipient_role=TEAM_LEAD,
                subject=subject,
                text=body,
            )
            for lead in leads
        ]
    )
    messages = [
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [lead.email])
        for lead in leads
        if lead.email
    ]
    if messages:
        try:
            get_connection().send_messages(messages)
        except Exception:  # the inbox has it; a mail server hiccup must not fail the request
            logger.exception("could not email the team leads about PIP version %s", version_pk)
    return len(leads)
