"""Worked examples for every deadline rule (deadlines.rules), and the reminder stages."""

from datetime import date

import pytest

from deadlines import rules
from deadlines.models import Kind, parse_offsets


def facts(**kwargs):
    return rules.CaseFacts(case_id=1, municipality_id=1, closed=False, **kwargs)


def adopted(number=1, dagtekening=date(2026, 1, 31), route_months=3, **kwargs):
    from common.dates import add_months
    from pip_plans import rules as pip_rules

    values = {
        "number": number,
        "dagtekening": dagtekening,
        "bezwaar_deadline": pip_rules.bezwaar_deadline(dagtekening),
        "course_start_deadline": add_months(dagtekening, route_months),
        "course_start": None,
        "unburdening": False,
        "unburdening_start": None,
    }
    values.update(kwargs)
    return rules.AdoptedVersionFacts(**values)


def by_kind(specs):
    return {(spec.kind, spec.key): spec for spec in specs}


# --- PIP due -----------------------------------------------------------------------------------------


def test_pip_due_ten_weeks_after_kennisgeving():
    spec = rules.pip_due(facts(kennisgeving=date(2026, 3, 2)))
    assert spec.due_date == date(2026, 5, 11)
    assert spec.done_on is None


def test_pip_due_counts_from_brp_registration_when_later():
    spec = rules.pip_due(facts(kennisgeving=date(2026, 3, 2), brp=date(2026, 3, 16)))
    assert spec.due_date == date(2026, 5, 25)


def test_pip_due_extended_to_two_weeks_after_third_party_information():
    spec = rules.pip_due(
        facts(kennisgeving=date(2026, 3, 2), third_party_received=date(2026, 5, 4))
    )
    assert spec.due_date == date(2026, 5, 18)
    # Information that arrived early does not shorten the deadline.
    early = rules.pip_due(
        facts(kennisgeving=date(2026, 3, 2), third_party_received=date(2026, 3, 10))
    )
    assert early.due_date == date(2026, 5, 11)


def test_pip_due_done_when_first_pip_adopted_and_none_without_dates():
    spec = rules.pip_due(facts(kennisgeving=date(2026, 3, 2), first_pip=date(2026, 5, 1)))
    assert spec.done_on == date(2026, 5, 1)
    assert rules.pip_due(facts()) is None


# --- invitations -------------------------------------------------------------------------------------


def test_each_invitation_has_its_response_date_done_once_outcome_recorded():
    specs = rules.invitation_response_dates(
        facts(
            invitations=[
                rules.InvitationFacts(7, date(2026, 4, 1), date(2026, 4, 3), False),
                rules.InvitationFacts(8, date(2026, 4, 20), None, False),
                rules.InvitationFacts(9, date(2026, 4, 25), None, True),  # intake cancelled
            ]
        )
    )
    assert [(s.key, s.due_date, s.done_on) for s in specs] == [
        ("7", date(2026, 4, 1), date(2026, 4, 3)),
        ("8", date(2026, 4, 20), None),
    ]


# --- after adoption ------------------------------------------------------------------------------------


def test_bezwaar_window_six_weeks_per_adopted_version():
    specs = rules.bezwaar_windows(
        facts(adopted=[adopted(1, date(2026, 1, 31)), adopted(2, date(2026, 6, 30))])
    )
    assert [(s.key, s.due_date) for s in specs] == [
        ("1", date(2026, 3, 16)),  # Saturday 14-03 runs on to Monday (Atw)
        ("2", date(2026, 8, 11)),
    ]


def test_course_start_three_months_and_six_for_onderwijsroute():
    # 31 January + 3 months = 30 April (the month's last day, as the law counts).
    spec = rules.course_start(facts(adopted=[adopted(1, date(2026, 1, 31))]))
    assert spec.due_date == date(2026, 4, 30)
    onderwijs = rules.course_start(facts(adopted=[adopted(1, date(2026, 8, 31), route_months=6)]))
    assert onderwijs.due_date == date(2027, 2, 28)


def test_course_start_done_only_when_the_actual_start_is_recorded():
    # Issue 12, honest status: a start planned in the PIP leaves the deadline open ...
    planned = facts(adopted=[adopted(1, course_start=date(2026, 3, 1)), adopted(2)])
    assert rules.course_start(planned).done_on is None
    # ... the actual start recorded on the enrolment (uitvoering) meets it.
    planned.course_started_on = date(2026, 3, 9)
    assert rules.course_start(planned).done_on == date(2026, 3, 9)


def test_schakel_termijn_and_verlenging_from_the_first_pip():
    case = facts(
        first_pip=date(2024, 2, 29),
        termijn_start=date(2024, 3, 1),
        termijn_end=date(2027, 3, 1),
        adopted=[adopted(1, date(2024, 2, 29))],
    )
    specs = by_kind(rules.case_deadlines(case))
    # 29 February + 18 months = 29 August; the termijn is set by pip_plans.rules.termijn.
    assert specs[(Kind.SCHAKEL, "")].due_date == date(2025, 8, 29)
    assert specs[(Kind.TERMIJN_END, "")].due_date == date(2027, 3, 1)
    # 2.5 years into the termijn.
    assert specs[(Kind.VERLENGING, "")].due_date == date(2026, 9, 1)


def test_termijn_from_leap_day_pip_falls_back_to_28_february():
    from pip_plans import rules as pip_rules

    start, end = pip_rules.termijn(date(2024, 2, 28))
    assert (start, end) == (date(2024, 2, 29), date(2027, 2, 28))


def test_ontzorgen_at_least_six_months_from_bijstand_start():
    case = facts(
        adopted=[
            adopted(1, unburdening=True, unburdening_start=date(2026, 8, 31)),
        ]
    )
    assert rules.ontzorgen_end(case).due_date == date(2027, 2, 28)
    # A later version without ontzorgen ends it.
    stopped = facts(
        adopted=[
            adopted(1, unburdening=True, unburdening_start=date(2026, 8, 31)),
            adopted(2),
        ]
    )
    assert rules.ontzorgen_end(stopped) is None


@pytest.mark.django_db  # werksaam_bridge's own source is registered too (it reads the database)
def test_ontzorgen_start_from_a_registered_source_wins():
    def source(case_ids):
        return dict.fromkeys(case_ids, date(2026, 1, 15))

    rules.register_unburdening_source(source)
    try:
        assert rules.unburdening_starts([1, 2]) == {1: date(2026, 1, 15), 2: date(2026, 1, 15)}
    finally:
        rules.unregister_unburdening_source(source)
    assert rules.unburdening_starts([1]) == {}
    case = facts(unburdening_start=date(2026, 1, 15))
    assert rules.ontzorgen_end(case).due_date == date(2026, 7, 14)  # six months t/m 14-07


def test_progress_reviews_every_interval_within_the_termijn():
    case = facts(
        termijn_start=date(2026, 1, 31), termijn_end=date(2029, 1, 31), progress_review_months=6
    )
    specs = rules.progress_reviews(case)
    assert [s.key for s in specs] == ["1", "2", "3", "4", "5", "6"]
    assert specs[0].due_date == date(2026, 7, 31)
    assert specs[1].due_date == date(2027, 1, 31)
    assert specs[-1].due_date == date(2029, 1, 31)
    case.progress_review_months = 3
    assert len(rules.progress_reviews(case)) == 12


def test_closed_case_has_no_deadlines():
    case = facts(kennisgeving=date(2026, 3, 2))
    case.closed = True
    assert rules.case_deadlines(case) == []


# --- CBS report ------------------------------------------------------------------------------------------


def test_quarterly_report_four_weeks_after_the_quarter():
    assert rules.quarter_end(2026, 1) == date(2026, 3, 31)
    assert rules.quarter_end(2026, 4) == date(2026, 12, 31)
    assert rules.quarterly_report_due(2026, 1) == date(2026, 4, 28)
    assert rules.quarterly_report_due(2026, 4) == date(2027, 1, 28)
    assert rules.reporting_quarters(date(2027, 1, 10)) == [(2026, 4), (2027, 1)]
    assert rules.quarter_key(2026, 3) == "2026-K3"


# --- stages -----------------------------------------------------------------------------------------------


def test_stages_of_an_actionable_deadline():
    stages = rules.stages(Kind.PIP_DUE, date(2026, 5, 11), [14, 3, 0], 3)
    assert [(s.on, s.kind) for s in stages] == [
        (date(2026, 4, 27), "before"),
        (date(2026, 5, 8), "before"),
        (date(2026, 5, 11), "before"),
        (date(2026, 5, 12), "overdue"),
        (date(2026, 5, 14), "escalation"),
    ]
    assert all(s.key.startswith("20260511:") for s in stages)


def test_windows_pass_without_overdue_or_escalation():
    stages = rules.stages(Kind.BEZWAAR, date(2026, 3, 14), [7, 0], 3)
    assert [s.kind for s in stages] == ["before", "before", "passed"]


def test_catching_up_records_only_the_latest_reminder_before_the_date():
    stages = rules.stages(Kind.PIP_DUE, date(2026, 5, 11), [14, 3, 0], 3)
    chosen = rules.stages_to_record(stages, date(2026, 5, 11), date(2026, 5, 9))
    assert [s.days_before for s in chosen] == [3]
    late = rules.stages_to_record(stages, date(2026, 5, 11), date(2026, 5, 20))
    assert [s.kind for s in late] == ["overdue", "escalation"]
    assert rules.next_action_on(stages, date(2026, 5, 9)) == date(2026, 5, 11)
    assert rules.next_action_on(stages, date(2026, 5, 20)) is None


def test_offsets_parse():
    assert parse_offsets("3, 14,0,14") == [14, 3, 0]
