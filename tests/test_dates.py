"""Calendar arithmetic and the Algemene termijnenwet."""

from datetime import date

import pytest

from common.dates import add_months, add_years, extend_to_working_day
from pip_plans.rules import bezwaar_deadline


def test_calendar_months_and_years():
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_years(date(2028, 2, 29), 3) == date(2031, 2, 28)


@pytest.mark.parametrize(
    ("deadline", "extended"),
    [
        (date(2027, 1, 10), date(2027, 1, 11)),  # Sunday
        (date(2027, 1, 9), date(2027, 1, 11)),  # Saturday
        (date(2027, 4, 27), date(2027, 4, 28)),  # Koningsdag
        (
            date(2025, 4, 26),
            date(2025, 4, 28),
        ),  # Koningsdag on Saturday 26 April (27th is a Sunday)
        (date(2026, 5, 5), date(2026, 5, 6)),  # 5 mei, also outside lustrum years
        (date(2026, 5, 14), date(2026, 5, 15)),  # Hemelvaartsdag
        (date(2026, 4, 6), date(2026, 4, 7)),  # tweede paasdag
        (date(2026, 5, 25), date(2026, 5, 26)),  # tweede pinksterdag
        (date(2026, 12, 25), date(2026, 12, 28)),  # Christmas, then the weekend
        (date(2027, 1, 1), date(2027, 1, 4)),  # Nieuwjaarsdag on a Friday
        (date(2026, 4, 3), date(2026, 4, 3)),  # Goede Vrijdag is not in the Atw
        (date(2026, 11, 30), date(2026, 11, 30)),  # an ordinary Monday
    ],
)
def test_algemene_termijnenwet(deadline, extended):
    assert extend_to_working_day(deadline) == extended


def test_bezwaar_deadline_never_on_a_weekend():
    # 29-11-2026 + 6 weeks is Sunday 10-01-2027: the period runs on to Monday.
    assert bezwaar_deadline(date(2026, 11, 29)) == date(2027, 1, 11)
