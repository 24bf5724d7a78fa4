from datetime import date

import pytest

from intake.rules import Route, advise_route, b1_haalbaar, learnability_cutoff


@pytest.mark.parametrize(
    ("test_date", "cutoff"),
    [
        (date(2023, 4, 11), 31),
        (date(2023, 4, 12), 28),
        (date(2022, 1, 1), 31),
        (date(2026, 11, 1), 28),
    ],
)
def test_cutoff_in_force_on_the_test_date(test_date, cutoff):
    assert learnability_cutoff(test_date) == cutoff


@pytest.mark.parametrize(
    ("score", "test_date", "haalbaar"),
    [
        (28, date(2023, 4, 12), True),
        (27, date(2023, 4, 12), False),
        (30, date(2023, 4, 11), False),
        (31, date(2023, 4, 11), True),
        (40, date(2020, 1, 1), True),
    ],
)
def test_b1_haalbaar(score, test_date, haalbaar):
    assert b1_haalbaar(score, test_date) is haalbaar


def advise(**overrides):
    values = {
        "test_score": 30,
        "test_date": date(2026, 10, 1),
        "test_exempt": False,
        "date_of_birth": date(1990, 5, 1),
        "highest_education": "basis",
        "on": date(2026, 11, 1),
    }
    values.update(overrides)
    return advise_route(**values)


def test_low_score_advises_z_route_with_reason_naming_the_cutoff():
    advice = advise(test_score=20)
    assert advice.route == Route.Z
    assert "28" in advice.reasons[0] and "20" in advice.reasons[0]


def test_young_and_study_ready_advises_onderwijsroute():
    advice = advise(date_of_birth=date(2002, 1, 1), highest_education="mbo")
    assert advice.route == Route.ONDERWIJS


def test_older_than_28_with_education_advises_b1():
    advice = advise(date_of_birth=date(1980, 1, 1), highest_education="hbo_wo")
    assert advice.route == Route.B1
    assert any("28" in reason for reason in advice.reasons)


def test_exempt_from_the_test_still_gets_advice():
    advice = advise(test_score=None, test_date=None, test_exempt=True)
    assert advice.route == Route.B1
    assert "beperking" in advice.reasons[0]


def test_no_advice_without_test():
    advice = advise(test_score=None, test_date=None)
    assert advice.route is None
