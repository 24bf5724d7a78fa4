"""Which deadlines a case has and when they fall due: every rule in this one module.

Pure functions over plain values (no queries): `case_deadlines(facts)` turns the dates of one case
into `Spec`s, `quarterly_report_due()` gives the CBS report's date, and `stages()` the days on which
the sweep reminds, marks overdue and escalates. The legal arithmetic itself (10 weeks, 3 years,
months on the calendar) comes from pip_plans.rules and common.dates, so a date means the same
everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from common.dates import add_months, add_weeks, last_day_of_months
from intake import rules as intake_rules
from letters import rules as letter_rules
from pip_plans import rules as pip_rules

from .models import Kind

VERLENGING_AFTER_MONTHS = 30  # a verlenging can be requested once the termijn has run 2.5 years
ONTZORGEN_MIN_MONTHS = 6  # Participatiewet art. 56a: at least six months from bijstand start
CBS_REPORT_WEEKS = 4  # Statistiek Wet Inburgering: within four weeks after the quarter
DEFAULT_PROGRESS_REVIEW_MONTHS = 3  # when the municipality has not configured its own interval
DEFAULT_SEND_TIME = time(8, 0)  # Europe/Amsterdam wall clock, when a policy sets none

# Kinds that ask the caseworker to do something: past the date they become overdue and may
# escalate. The others are windows that close (bezwaar, schakelen, ...): past the date they pass.
ACTIONABLE = frozenset(
    {
        Kind.PIP_DUE,
        Kind.INVITATION,
        Kind.COURSE_START,
        Kind.PROGRESS_REVIEW,
        Kind.CBS_REPORT,
        Kind.BESLISTERMIJN,
        Kind.HOORZITTING,
    }
)
# Kinds nothing in the system completes: the user marks them done. A voortgangsgesprek is not
# one of them: it is done only by its record (uitvoering), never by a click.
MANUAL = frozenset({Kind.CBS_REPORT})
# Kinds met by a record on the Uitvoering tab: the deadline lists link there instead.
RECORDED_IN_UITVOERING = frozenset({Kind.PROGRESS_REVIEW, Kind.COURSE_START})

# Region-wide defaults (also written by the data migration as editable ReminderPolicy rows):
# (days before the due date, escalate after this many overdue days or None).
DEFAULT_POLICIES: dict[str, tuple[tuple[int, ...], int | None]] = {
    Kind.PIP_DUE: ((14, 7, 3, 0), 3),
    Kind.INVITATION: ((3, 0), 2),
    Kind.BEZWAAR: ((7, 0), None),
    Kind.COURSE_START: ((30, 14, 0), 7),
    Kind.SCHAKEL: ((60, 14), None),
    Kind.TERMIJN_END: ((180, 90, 30, 0), None),
    Kind.VERLENGING: ((14, 0), None),
    Kind.ONTZORGEN_END: ((30, 14, 0), None),
    Kind.PROGRESS_REVIEW: ((7, 0), 14),
    Kind.CBS_REPORT: ((14, 3, 0), 3),
    Kind.BESLISTERMIJN: ((14, 7, 0), 1),
    Kind.HOORZITTING: ((7, 1), 3),
}


@dataclass(frozen=True)
class InvitationFacts:
    pk: int
    response_date: date
    attended_or_missed_on: date | None  # the conversation date once an outcome is recorded
    intake_cancelled: bool


@dataclass(frozen=True)
class AdoptedVersionFacts:
    number: int
    dagtekening: date
    bezwaar_deadline: date | None
    course_start_deadline: date | None
    course_start: date | None
    unburdening: bool
    unburdening_start: date | None


@dataclass(frozen=True)
class BezwaarFacts:
    pk: int
    window_end: date
    advisory_committee: bool
    extended: bool
    decided_on: date | None
    hearing_on: date | None = None  # the hoorzitting's day, Europe/Amsterdam
    hearing_reported: bool = False  # its verslag is recorded


@dataclass
class CaseFacts:
    """What the rules need to know about one case."""

    case_id: int
    municipality_id: int
    closed: bool  # afgerond or beëindigd: nothing is due any more
    kennisgeving: date | None = None
    brp: date | None = None
    third_party_received: date | None = None
    third_party_waiting_since: date | None = None  # requested and not yet received
    # A minor's duty postponed by leerplicht or kwalificatieplicht: it starts on this day.
    duty_start: date | None = None
    invitations: list[InvitationFacts] = field(default_factory=list)
    first_pip: date | None = None  # dagtekening of the initial PIP
    termijn_start: date | None = None
    termijn_end: date | None = None
    adopted: list[AdoptedVersionFacts] = field(default_factory=list)  # by number
    progress_review_months: int = DEFAULT_PROGRESS_REVIEW_MONTHS
    bezwaren: list[BezwaarFacts] = field(default_factory=list)
    # Bijstand start fed by another source (werksaam_bridge: the start of the bijstand under a
    # current ontzorgen record), wins over the PIP.
    unburdening_start: date | None = None
    # Fed by uitvoering (register_facts_source): the course's actual start date, and the
    # voortgangsgesprekken held as (held on, next review date or None), in date order.
    course_started_on: date | None = None
    reviews_held: list[tuple[date, date | None]] = field(default_factory=list)


@dataclass(frozen=True)
class Spec:
    kind: str
    key: str
    due_date: date
    done_on: date | None = None
    # The PIP deadline while waiting for third-party information: not yet known, never overdue.
    waiting_since: date | None = None


# --- unburdening start dates from elsewhere --------------------------------------------------------

UnburdeningSource = Callable[[list[int]], dict[int, date]]
_UNBURDENING_SOURCES: list[UnburdeningSource] = []


def register_unburdening_source(source: UnburdeningSource) -> None:
    """Feed bijstand start dates for ontzorgen from another app (werksaam_bridge).

    `source(case_ids)` returns {case_id: start date} for the cases it knows, set-based (one query
    for the whole list). Its date wins over the PIP's `unburdening_start`. Register it once, e.g.
    in an AppConfig.ready(), and call deadlines.services.recompute_for_case(case) in the same
    transaction as the change to a start date.
    """
    if source not in _UNBURDENING_SOURCES:
        _UNBURDENING_SOURCES.append(source)


def unregister_unburdening_source(source: UnburdeningSource) -> None:
    if source in _UNBURDENING_SOURCES:
        _UNBURDENING_SOURCES.remove(source)


def unburdening_starts(case_ids: list[int]) -> dict[int, date]:
    starts: dict[int, date] = {}
    for source in _UNBURDENING_SOURCES:
        starts.update({k: v for k, v in source(case_ids).items() if v is not None})
    return starts


# --- further facts from the apps built on the PIP (uitvoering) -------------------------------------

FactsSource = Callable[[list[int]], dict[int, dict]]
_FACTS_SOURCES: list[FactsSource] = []
FED_FACTS = ("course_started_on", "reviews_held")


def register_facts_source(source: FactsSource) -> None:
    """Feed facts of `FED_FACTS` from another app (uitvoering), so that deadlines never imports it.

    `source(case_ids)` returns {case_id: {fact: value}} set-based; register once from an
    AppConfig.ready(). The app calls cases.signals.facts_changed(case) in the same transaction
    as the change.
    """
    if source not in _FACTS_SOURCES:
        _FACTS_SOURCES.append(source)


def unregister_facts_source(source: FactsSource) -> None:
    if source in _FACTS_SOURCES:
        _FACTS_SOURCES.remove(source)


def fed_facts(case_ids: list[int]) -> dict[int, dict]:
    merged: dict[int, dict] = {}
    for source in _FACTS_SOURCES:
        for case_id, values in source(case_ids).items():
            merged.setdefault(case_id, {}).update(
                {k: v for k, v in values.items() if k in FED_FACTS}
            )
    return merged


# --- the rules ---------------------------------------------------------------------------------------


def pip_due(facts: CaseFacts) -> Spec | None:
    """10 weeks after the kennisgeving (or BRP registration if later), plus the extension while
    waiting for third-party information (intake.rules.pip_deadline, the one rule). While the
    municipality waits, the deadline waits too: no reminders, not overdue. Done when the first PIP
    is adopted."""
    due = intake_rules.pip_deadline(
        kennisgeving=facts.kennisgeving,
        brp=facts.brp,
        third_party_received=facts.third_party_received,
        duty_start=facts.duty_start,
    )
    if due is None:
        return None
    waiting = facts.third_party_waiting_since if facts.first_pip is None else None
    return Spec(Kind.PIP_DUE, "", due, facts.first_pip, waiting)


def invitation_response_dates(facts: CaseFacts) -> list[Spec]:
    """Each invitation's response date; done once its outcome (verschenen or not) is recorded."""
    return [
        Spec(Kind.INVITATION, str(inv.pk), inv.response_date, inv.attended_or_missed_on)
        for inv in facts.invitations
        if not inv.intake_cancelled or inv.attended_or_missed_on
    ]


def bezwaar_windows(facts: CaseFacts) -> list[Spec]:
    """Each adopted version is a beschikking: bezwaar within 6 weeks of its dagtekening."""
    return [
        Spec(
            Kind.BEZWAAR,
            str(version.number),
            version.bezwaar_deadline or pip_rules.bezwaar_deadline(version.dagtekening),
        )
        for version in facts.adopted
    ]


def beslistermijnen(facts: CaseFacts) -> list[Spec]:
    """Awb 7:10: each bezwaarschrift is decided within six weeks (twelve with an advisory
    committee, once extended by six) after its bezwaar window ended; done when decided."""
    return [
        Spec(
            Kind.BESLISTERMIJN,
            str(bezwaar.pk),
            letter_rules.beslistermijn_end(
                bezwaar.window_end,
                advisory_committee=bezwaar.advisory_committee,
                extended=bezwaar.extended,
            ),
            bezwaar.decided_on,
        )
        for bezwaar in facts.bezwaren
    ]


def hoorzittingen(facts: CaseFacts) -> list[Spec]:
    """Each planned hoorzitting (Awb 7:2) as a date on the case: done once its verslag is
    recorded (on the day of the hearing) or the bezwaar is decided; past it without either, the
    caseworker is asked for the verslag."""
    return [
        Spec(
            Kind.HOORZITTING,
            str(bezwaar.pk),
            bezwaar.hearing_on,
            bezwaar.hearing_on if bezwaar.hearing_reported else bezwaar.decided_on,
        )
        for bezwaar in facts.bezwaren
        if bezwaar.hearing_on is not None
    ]


def course_start(facts: CaseFacts) -> Spec | None:
    """The course starts within 3 months after the PIP (6 for the onderwijsroute), as the latest
    adopted version sets it; done only on the course's actual start date (uitvoering's
    enrolment). A start date planned in the PIP is a plan, not a start: the deadline stays open."""
    if not facts.adopted:
        return None
    latest = facts.adopted[-1]
    if latest.course_start_deadline is None:
        return None
    return Spec(Kind.COURSE_START, "", latest.course_start_deadline, facts.course_started_on)


def schakel_window(facts: CaseFacts) -> Spec | None:
    if facts.first_pip is None:
        return None
    return Spec(Kind.SCHAKEL, "", pip_rules.schakel_window_end(facts.first_pip))


def termijn_end(facts: CaseFacts) -> Spec | None:
    if facts.termijn_end is None:
        return None
    return Spec(Kind.TERMIJN_END, "", facts.termijn_end)


def verlenging_possible(facts: CaseFacts) -> Spec | None:
    """From 2.5 years into the termijn a verlenging can be requested at DUO."""
    if facts.termijn_start is None:
        return None
    return Spec(Kind.VERLENGING, "", add_months(facts.termijn_start, VERLENGING_AFTER_MONTHS))


def ontzorgen_minimum_last_day(bijstand_start: date) -> date:
    """Participatiewet art. 56a: ontzorgen lasts at least six months from the start of the right
    to bijstand; the last day of those six months (bijstand from 01-03-2026: t/m 31-08-2026)."""
    return last_day_of_months(bijstand_start, ONTZORGEN_MIN_MONTHS)


def ontzorgen_end(facts: CaseFacts) -> Spec | None:
    """The last day of the minimum six months of ontzorgen, counted from bijstand start: WerkSaam's
    recorded bijstand start (a registered source) when it records ontzorgen, else the start the
    latest adopted PIP version gives."""
    start = facts.unburdening_start
    if start is None:
        with_unburdening = [v for v in facts.adopted if v.unburdening and v.unburdening_start]
        if facts.adopted and facts.adopted[-1].unburdening and with_unburdening:
            start = with_unburdening[-1].unburdening_start
    if start is None:
        return None
    return Spec(Kind.ONTZORGEN_END, "", ontzorgen_minimum_last_day(start))


def progress_reviews(facts: CaseFacts) -> list[Spec]:
    """A voortgangsgesprek every N months (per municipality) from the start of the termijn to its
    end: without records, review n falls on termijn start + n·N months. Each review held (a
    record) meets the next open one on its date; the schedule then runs from that record: its
    own next review date, or the day it was held + N months, and every N months after that."""
    if facts.termijn_start is None or facts.termijn_end is None:
        return []
    months = max(1, facts.progress_review_months)
    specs = []
    n = 1
    anchor, step = facts.termijn_start, 1
    for held_on, next_on in sorted(facts.reviews_held, key=lambda review: review[0]):
        due = add_months(anchor, step * months) if step else anchor
        specs.append(Spec(Kind.PROGRESS_REVIEW, str(n), due, held_on))
        n += 1
        anchor, step = (next_on, 0) if next_on else (held_on, 1)
    k = step
    while (due := add_months(anchor, k * months) if k else anchor) <= facts.termijn_end:
        specs.append(Spec(Kind.PROGRESS_REVIEW, str(n), due))
        n += 1
        k += 1
    return specs


# Deadlines that belong to the inburgeringstermijn: none falls after its last day.
WITHIN_TERMIJN = frozenset({Kind.PROGRESS_REVIEW, Kind.VERLENGING, Kind.SCHAKEL, Kind.COURSE_START})


def within_termijn(specs: list[Spec], termijn_end: date | None) -> list[Spec]:
    """No deadline of the termijn after its last day: a course start the PIP puts later is due on
    the last day; a review, the verlenging date or the schakel window after it is dropped."""
    if termijn_end is None:
        return specs
    kept = []
    for spec in specs:
        if spec.kind in WITHIN_TERMIJN and spec.due_date > termijn_end:
            if spec.kind != Kind.COURSE_START:
                continue
            spec = Spec(spec.kind, spec.key, termijn_end, spec.done_on, spec.waiting_since)
        kept.append(spec)
    return kept


def case_deadlines(facts: CaseFacts) -> list[Spec]:
    """Every deadline of one case. A closed case has none left (open ones are cancelled)."""
    if facts.closed:
        return []
    specs: list[Spec | None] = [
        pip_due(facts),
        course_start(facts),
        schakel_window(facts),
        termijn_end(facts),
        verlenging_possible(facts),
        ontzorgen_end(facts),
    ]
    specs += invitation_response_dates(facts)
    specs += bezwaar_windows(facts)
    specs += beslistermijnen(facts)
    specs += hoorzittingen(facts)
    specs += progress_reviews(facts)
    return within_termijn([spec for spec in specs if spec is not None], facts.termijn_end)


# --- the quarterly CBS report ------------------------------------------------------------------------


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_end(year: int, quarter: int) -> date:
    first_of_next = date(year + (quarter == 4), 1 if quarter == 4 else quarter * 3 + 1, 1)
    return first_of_next - timedelta(days=1)


def quarterly_report_due(year: int, quarter: int) -> date:
    """Statistiek Wet Inburgering: within 4 weeks after the quarter ends."""
    return add_weeks(quarter_end(year, quarter), CBS_REPORT_WEEKS)


def quarter_key(year: int, quarter: int) -> str:
    return f"{year}-K{quarter}"


def reporting_quarters(today: date) -> list[tuple[int, int]]:
    """The quarter that just ended (its report may still be due) and the current one."""
    year, quarter = quarter_of(today)
    previous = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return [previous, (year, quarter)]


# --- reminder stages ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Stage:
    on: date
    key: str
    kind: str  # "before", "overdue", "escalation", or "passed" (a window closes: no message)
    days_before: int | None = None


def stages(kind: str, due: date, offsets: Iterable[int], escalate_after: int | None) -> list[Stage]:
    """The days on which something happens for a deadline due on `due`. Keys carry the due date,
    so a deadline whose date moves is reminded again for the new date."""
    stamp = due.strftime("%Y%m%d")
    result = [
        Stage(due - timedelta(days=n), f"{stamp}:before:{n}", "before", n) for n in set(offsets)
    ]
    if kind in ACTIONABLE:
        result.append(Stage(due + timedelta(days=1), f"{stamp}:overdue", "overdue"))
        if escalate_after:
            result.append(
                Stage(
                    due + timedelta(days=escalate_after),
                    f"{stamp}:escalation",
                    "escalation",
                    -escalate_after,  # days after the date, for the message
                )
            )
    else:
        result.append(Stage(due + timedelta(days=1), f"{stamp}:passed", "passed"))
    return sorted(result, key=lambda stage: (stage.on, stage.key))


def stages_to_record(all_stages: list[Stage], due: date, today: date) -> list[Stage]:
    """The stages to record on `today`. Of the reminders before the date only the latest that has
    come (a sweep that catches up sends one reminder, not three), and none once the date has
    passed; the overdue notice and the escalation once their day has come."""
    arrived = [stage for stage in all_stages if stage.on <= today]
    before = [stage for stage in arrived if stage.kind == "before"]
    chosen = [max(before, key=lambda stage: stage.on)] if before and today <= due else []
    chosen += [stage for stage in arrived if stage.kind in ("overdue", "escalation")]
    return chosen


def reminder_day(local_now: datetime, send_time: time) -> date:
    """The last day whose reminders are due at `local_now` (Europe/Amsterdam wall-clock time):
    today once today's send time has come, else yesterday. On the wall clock, so 08:00 is 08:00
    in summer and winter time; a send time that a spring-forward night skips comes at 03:00."""
    today = local_now.date()
    return (
        today if local_now.time().replace(tzinfo=None) >= send_time else today - timedelta(days=1)
    )


def next_action_on(all_stages: list[Stage], today: date) -> date | None:
    return min((stage.on for stage in all_stages if stage.on > today), default=None)


def first_action_on(all_stages: list[Stage]) -> date | None:
    return min((stage.on for stage in all_stages), default=None)
