"""The law of the uitvoering, as pure functions of dates and facts (no queries).

Periods are counted as DOMAIN.md says ("How the law counts a period"): a period of months or
years ends on the same date, a date that does not exist falls back to the month's last day, and
a date is shown as the last day included ("t/m").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from cases.models import Doelgroep
from common.dates import add_months, add_years
from intake.rules import Route

from .models import LANGUAGE_PARTS, Completion, ExamDecision, ExamResult, Onderdeel

VERLENGING_AFTER_MONTHS = 30  # a verlenging is requested once the termijn has run 2.5 years
RETENTION_YEARS = 5  # DOMAIN.md: 5 years after the inburgeringsplicht ends
COURSE_START_MONTHS = {Route.ONDERWIJS: 6}
COURSE_START_MONTHS_DEFAULT = 3
DEFAULT_VERZUIM_THRESHOLD = Decimal("8")


# --- 1. the course start ---------------------------------------------------------------------------


def course_start_late(deadline: date | None, actual_start: date | None) -> bool:
    """Late when the course started after the last day of the course-start period."""
    return bool(deadline and actual_start and actual_start > deadline)


def no_fault_extension_applies(doelgroep: str, deadline: date | None, actual_start) -> bool:
    """A statushouder whose course started late is not to blame: the no-fault extension applies
    and the municipality issues a statement (DOMAIN.md, course start)."""
    return doelgroep == Doelgroep.ASIELSTATUSHOUDER and course_start_late(deadline, actual_start)


def days_late(deadline: date | None, actual_start: date | None) -> int:
    return (actual_start - deadline).days if course_start_late(deadline, actual_start) else 0


def started_within(dagtekening: date, actual_start: date | None, route: str) -> bool:
    """For the figures: the course started within 3 months of the PIP (6 for the onderwijsroute)."""
    if actual_start is None:
        return False
    months = COURSE_START_MONTHS.get(route, COURSE_START_MONTHS_DEFAULT)
    return actual_start <= add_months(dagtekening, months)


# --- 2. verzuim --------------------------------------------------------------------------------------


def verzuim_signal(hours_unexcused, threshold) -> bool:
    """Ongeoorloofd verzuim above the municipality's threshold (strictly more) is a signal."""
    return Decimal(str(hours_unexcused)) > Decimal(str(threshold))


# --- 3. voortgangsgesprekken -------------------------------------------------------------------------


def next_review_date(held_on: date, next_review_on: date | None, interval_months: int) -> date:
    """The next review: the date agreed in the record, else the day held + the interval."""
    return next_review_on or add_months(held_on, max(1, interval_months))


# --- 4. exams ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartStatus:
    part: str
    code: str  # behaald, ontheffing, vrijstelling, niet_behaald, open
    label: str
    on: date | None = None

    @property
    def done(self) -> bool:
        return self.code in ("behaald", "ontheffing", "vrijstelling")


def required_parts(route: str) -> tuple[str, ...]:
    """The exam parts a route ends with; the Z-route has none (it ends with a final conversation)."""
    return () if route == Route.Z else (*LANGUAGE_PARTS, Onderdeel.KNM)


def part_statuses(route: str, results, decisions) -> dict[str, PartStatus]:
    """Per onderdeel: a DUO decision (ontheffing, vrijstelling) wins, then any passed result, then
    the latest failed one; otherwise open. `results` and `decisions` are model instances or
    objects with the same attributes."""
    labels = dict(Onderdeel.choices)
    by_part: dict[str, PartStatus] = {}
    for part in required_parts(route) or tuple(labels):
        decision = next((d for d in decisions if d.onderdeel == part), None)
        own = [r for r in results if r.onderdeel == part]
        passed = sorted(
            (r for r in own if r.result == ExamResult.Result.BEHAALD), key=lambda r: r.exam_date
        )
        if decision is not None:
            code = decision.kind
            label = str(dict(ExamDecision.Kind.choices)[decision.kind])
            on = decision.decided_on
        elif passed:
            code, label, on = "behaald", _("Behaald"), passed[0].exam_date
        elif own:
            latest = max(own, key=lambda r: r.exam_date)
            code, label, on = "niet_behaald", _("Niet behaald"), latest.exam_date
        else:
            code, label, on = "open", _("Nog geen resultaat"), None
        by_part[part] = PartStatus(str(labels[part]), code, label, on)
    return by_part


# --- 5-7. MAP, PVT and afronding ------------------------------------------------------------------


def needs_map(route: str) -> bool:
    return route != Route.ONDERWIJS


def voldaan_missing(
    route: str, statuses: dict[str, PartStatus], completions, z_final_conversation_on
) -> list[str]:
    """What stands between the case and "voldaan": every exam part passed (or exempt) or, in the
    Z-route, the final conversation held; and the MAP (not in the onderwijsroute) and the PVT
    completed with "voldaan". Empty when the case may close as voldaan."""
    missing = []
    if route == Route.Z:
        if z_final_conversation_on is None:
            missing.append(_("het eindgesprek van de Z-route"))
    else:
        missing += [
            status.part
            for part, status in statuses.items()
            if part in required_parts(route) and not status.done
        ]
    done = {c.part for c in completions if c.result == Completion.Result.VOLDAAN}
    if needs_map(route) and Completion.Part.MAP not in done:
        missing.append(_("de MAP"))
    if Completion.Part.PVT not in done:
        missing.append(_("het PVT (participatieverklaring)"))
    return missing


def niet_voldaan_allowed(termijn_end: date | None, on: date) -> bool:
    """Niet voldaan is established once the termijn is over: from the day after its last day."""
    return termijn_end is not None and on > termijn_end


def retention_until(ended_on: date) -> date:
    """The record is kept 5 years after the duty ended: the last day is the same date 5 years on."""
    return add_years(ended_on, RETENTION_YEARS)


# --- 6. verlenging ---------------------------------------------------------------------------------


def verlenging_from(termijn_start: date) -> date:
    """The first day a verlenging can be requested: the termijn has run 2.5 years."""
    return add_months(termijn_start, VERLENGING_AFTER_MONTHS)


def verlenging_request_allowed(termijn_start: date | None, requested_on: date) -> bool:
    return termijn_start is not None and requested_on >= verlenging_from(termijn_start)
