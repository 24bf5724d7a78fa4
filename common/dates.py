"""Calendar arithmetic as the law words it: weeks, months and years on the calendar.

A month or year later on a day that does not exist falls back to the month's last day:
31 January + 1 month = 28 (or 29) February; 29 February + 3 years = 28 February.
"""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta


def add_weeks(start: date, weeks: int) -> date:
    return start + timedelta(weeks=weeks)


def add_months(start: date, months: int) -> date:
    return start + relativedelta(months=months)


def add_years(start: date, years: int) -> date:
    return start + relativedelta(years=years)


def latest(*dates: date | None) -> date | None:
    present = [d for d in dates if d is not None]
    return max(present) if present else None
