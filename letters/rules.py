"""The law of letters and bezwaar, as pure functions of dates (DOMAIN.md, "How the law counts a
period"): a period set from a letter starts the day after its dagtekening and ends on the same
weekday (weeks) after it; the bezwaar window and the beslistermijn run on past a weekend or
holiday of the Algemene termijnenwet."""

from datetime import date, timedelta

from common.dates import add_weeks, extend_to_working_day
from intake.rules import FINE_AMOUNT_EUR  # noqa: F401  (one amount: the ladder's)

BEZWAAR_WEEKS = 6  # Awb 6:7
POSTED_GRACE_DAYS = 7  # Awb 6:9 lid 2: posted in time and received within a week after the end
BESLISTERMIJN_WEEKS = 6  # Awb 7:10 lid 1
BESLISTERMIJN_COMMITTEE_WEEKS = 12  # Awb 7:10 lid 1, with an advisory committee (7:13)
VERDAGING_WEEKS = 6  # Awb 7:10 lid 3: once
ZIENSWIJZE_WEEKS = 2  # our practice: two weeks for a zienswijze before a fine (Awb 4:8, 5:53)
BEROEP_WEEKS = 6  # Awb 6:7: beroep against the beslissing op bezwaar
PAYMENT_WEEKS = 6  # Awb 4:87 lid 1: a sum of money is paid within six weeks


def bezwaar_window_end(dagtekening: date) -> date:
    """The last day for a bezwaarschrift (Awb 6:7, 6:8; Algemene termijnenwet)."""
    return extend_to_working_day(add_weeks(dagtekening, BEZWAAR_WEEKS))


def beroep_window_end(dagtekening: date) -> date:
    return extend_to_working_day(add_weeks(dagtekening, BEROEP_WEEKS))


def zienswijze_end(dagtekening: date, weeks: int = ZIENSWIJZE_WEEKS) -> date:
    """The last day to give a zienswijze on a voornemen."""
    return extend_to_working_day(add_weeks(dagtekening, weeks))


def posted_grace_end(window_end: date) -> date:
    return window_end + timedelta(days=POSTED_GRACE_DAYS)


def bezwaar_on_time(window_end: date, received_on: date, posted_on: date | None = None) -> bool:
    """Awb 6:9: on time when received by the last day, or posted by the last day and received
    within one week after it."""
    if received_on <= window_end:
        return True
    return (
        posted_on is not None
        and posted_on <= window_end
        and received_on <= posted_grace_end(window_end)
    )


def beslistermijn_end(window_end: date, *, advisory_committee: bool, extended: bool) -> date:
    """Awb 7:10: six weeks (twelve with an advisory committee) from the day after the bezwaar
    window ended, once extendable by six (lid 3). A statutory period: under the Algemene
    termijnenwet an end on a Saturday, Sunday or holiday runs on to the next working day, and the
    verdaging's six weeks count from that end."""
    weeks = BESLISTERMIJN_COMMITTEE_WEEKS if advisory_committee else BESLISTERMIJN_WEEKS
    end = extend_to_working_day(add_weeks(window_end, weeks))
    if extended:
        end = extend_to_working_day(add_weeks(end, VERDAGING_WEEKS))
    return end


def payment_end(dagtekening: date) -> date:
    """The last day to pay a fine ("t/m"): six weeks from the day after the dagtekening (Awb
    4:87), a statutory period, so past a weekend or holiday (Algemene termijnenwet)."""
    return extend_to_working_day(add_weeks(dagtekening, PAYMENT_WEEKS))
