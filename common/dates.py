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


def last_day_of_months(first_day: date, months: int) -> date:
    """The last day (included) of a period of `months` that starts on `first_day` (included).

    It is the day before the same date `months` later; when that date does not exist, the
    period ends on that month's last day: from 01-03-2026 six months run t/m 31-08-2026, from
    31-08-2026 t/m 28-02-2027, from 29-02-2028 t/m 28-08-2028.
    """
    same_date = first_day + relativedelta(months=months)
    if same_date.day != first_day.day:  # fell back to the month's last day: that day is the end
        return same_date
    return same_date - timedelta(days=1)


def latest(*dates: date | None) -> date | None:
    present = [d for d in dates if d is not None]
    return max(present) if present else None


def algemene_termijnenwet_holidays(year: int) -> set[date]:
    """The days the Algemene termijnenwet (art. 3) treats like a Sunday, besides the weekend:
    Nieuwjaarsdag, tweede paas- en pinksterdag, Hemelvaartsdag, beide kerstdagen, Koningsdag and
    5 mei (every year, unlike the national holiday calendar)."""
    from dateutil.easter import easter

    easter_sunday = easter(year)
    kingsday = date(year, 4, 27)
    if kingsday.weekday() == 6:  # on a Sunday Koningsdag is celebrated on the Saturday before
        kingsday = date(year, 4, 26)
    return {
        date(year, 1, 1),
        easter_sunday + timedelta(days=1),
        easter_sunday + timedelta(days=39),
        easter_sunday + timedelta(days=50),
        kingsday,
        date(year, 5, 5),
        date(year, 12, 25),
        date(year, 12, 26),
    }


def extend_to_working_day(deadline: date) -> date:
    """A statutory period that ends on a Saturday, Sunday or holiday of the Algemene termijnenwet
    runs on to the next day that is none of these (art. 1)."""
    while deadline.weekday() >= 5 or deadline in algemene_termijnenwet_holidays(deadline.year):
        deadline += timedelta(days=1)
    return deadline
