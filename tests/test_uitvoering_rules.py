"""Issue 13: the rules of the uitvoering with worked dates (pure functions, no database)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from deadlines import rules as deadline_rules
from uitvoering import rules


@dataclass
class R:
    onderdeel: str
    result: str
    exam_date: date


@dataclass
class D:
    onderdeel: str
    kind: str
    decided_on: date


@dataclass
class C:
    part: str
    result: str


def test_course_start_late_counts_from_the_last_day():
    # Course start t/m 10-09-2026: a start on that day is on time, the day after is late.
    assert not rules.course_start_late(date(2026, 9, 10), date(2026, 9, 10))
    assert rules.course_start_late(date(2026, 9, 10), date(2026, 9, 11))
    assert rules.days_late(date(2026, 9, 10), date(2026, 9, 21)) == 11


def test_no_fault_extension_only_for_a_statushouder_whose_course_started_late():
    deadline = date(2026, 9, 10)
    assert rules.no_fault_extension_applies("asielstatushouder", deadline, date(2026, 9, 11))
    assert not rules.no_fault_extension_applies("asielstatushouder", deadline, date(2026, 9, 10))
    assert not rules.no_fault_extension_applies("gezinsmigrant", deadline, date(2026, 9, 11))


def test_started_within_three_or_six_months_of_the_pip():
    # PIP dated 31-08-2026: 3 months end on 30-11-2026 (no 31 November), 6 months on 28-02-2027.
    assert rules.started_within(date(2026, 8, 31), date(2026, 11, 30), "B1")
    assert not rules.started_within(date(2026, 8, 31), date(2026, 12, 1), "B1")
    assert rules.started_within(date(2026, 8, 31), date(2027, 2, 28), "ONDERWIJS")
    assert not rules.started_within(date(2026, 8, 31), date(2027, 3, 1), "ONDERWIJS")


def test_verzuim_signal_only_above_the_threshold():
    assert not rules.verzuim_signal(Decimal("8.0"), Decimal("8"))
    assert rules.verzuim_signal(Decimal("8.5"), Decimal("8"))


def test_next_review_from_the_record_or_the_interval():
    # Held on 31-01-2027 with a 3-month interval: the next review falls on 30-04-2027.
    assert rules.next_review_date(date(2027, 1, 31), None, 3) == date(2027, 4, 30)
    assert rules.next_review_date(date(2027, 1, 31), date(2027, 3, 1), 3) == date(2027, 3, 1)


def _facts(**kwargs):
    return deadline_rules.CaseFacts(
        case_id=1,
        municipality_id=1,
        closed=False,
        termijn_start=date(2026, 6, 11),
        termijn_end=date(2029, 6, 10),
        progress_review_months=6,
        **kwargs,
    )


def test_review_records_meet_the_review_deadlines_and_move_the_schedule():
    # Without records: every 6 months from 11-06-2026: 11-12-2026, 11-06-2027, ...
    plain = deadline_rules.progress_reviews(_facts())
    assert [s.due_date for s in plain[:2]] == [date(2026, 12, 11), date(2027, 6, 11)]
    # Held on 01-12-2026 (no next date): review 1 is done that day, review 2 falls 6 months
    # after the record (01-06-2027) and then every 6 months.
    held = deadline_rules.progress_reviews(_facts(reviews_held=[(date(2026, 12, 1), None)]))
    assert held[0].due_date == date(2026, 12, 11) and held[0].done_on == date(2026, 12, 1)
    assert [s.due_date for s in held[1:3]] == [date(2027, 6, 1), date(2027, 12, 1)]
    assert all(s.done_on is None for s in held[1:])
    # An agreed next date wins: 15-02-2027, then 15-08-2027.
    agreed = deadline_rules.progress_reviews(
        _facts(reviews_held=[(date(2026, 12, 1), date(2027, 2, 15))])
    )
    assert [s.due_date for s in agreed[1:3]] == [date(2027, 2, 15), date(2027, 8, 15)]
    assert agreed[-1].due_date <= date(2029, 6, 10)


def test_actual_course_start_meets_the_course_start_deadline():
    version = deadline_rules.AdoptedVersionFacts(
        number=1,
        dagtekening=date(2026, 6, 10),
        bezwaar_deadline=None,
        course_start_deadline=date(2026, 9, 10),
        course_start=None,
        unburdening=False,
        unburdening_start=None,
    )
    spec = deadline_rules.course_start(_facts(adopted=[version]))
    assert spec.done_on is None
    spec = deadline_rules.course_start(
        _facts(adopted=[version], course_started_on=date(2026, 9, 1))
    )
    assert spec.due_date == date(2026, 9, 10) and spec.done_on == date(2026, 9, 1)


def test_part_statuses_decision_then_pass_then_fail():
    results = [
        R("lezen", "niet_behaald", date(2027, 3, 1)),
        R("lezen", "behaald", date(2027, 6, 1)),
        R("spreken", "niet_behaald", date(2027, 6, 1)),
    ]
    decisions = [D("schrijven", "ontheffing", date(2027, 5, 5))]
    statuses = rules.part_statuses("B1", results, decisions)
    assert statuses["lezen"].code == "behaald" and statuses["lezen"].on == date(2027, 6, 1)
    assert statuses["schrijven"].code == "ontheffing"
    assert statuses["spreken"].code == "niet_behaald"
    assert statuses["luisteren"].code == "open" and statuses["knm"].code == "open"


def test_voldaan_needs_every_part_map_and_pvt_or_the_z_final_conversation():
    passed = [R(p, "behaald", date(2027, 6, 1)) for p in rules.required_parts("B1")]
    statuses = rules.part_statuses("B1", passed, [])
    assert rules.voldaan_missing("B1", statuses, [C("pvt", "voldaan")], None) == ["de MAP"]
    both = [C("map", "voldaan"), C("pvt", "voldaan")]
    assert rules.voldaan_missing("B1", statuses, both, None) == []
    # Onderwijsroute: no MAP.
    assert rules.voldaan_missing("ONDERWIJS", statuses, [C("pvt", "voldaan")], None) == []
    # Z-route: the final conversation instead of exams.
    assert rules.voldaan_missing("Z", {}, both, None) == ["het eindgesprek van de Z-route"]
    assert rules.voldaan_missing("Z", {}, both, date(2028, 1, 1)) == []


def test_niet_voldaan_from_the_day_after_the_termijn():
    # Termijn t/m 10-06-2029.
    assert not rules.niet_voldaan_allowed(date(2029, 6, 10), date(2029, 6, 10))
    assert rules.niet_voldaan_allowed(date(2029, 6, 10), date(2029, 6, 11))


def test_retention_five_years_from_the_end_date():
    assert rules.retention_until(date(2029, 6, 11)) == date(2034, 6, 11)
    assert rules.retention_until(date(2028, 2, 29)) == date(2033, 2, 28)


def test_verlenging_from_two_and_a_half_years_into_the_termijn():
    # Termijn from 11-06-2026: a verlenging can be requested from 11-12-2028.
    assert rules.verlenging_from(date(2026, 6, 11)) == date(2028, 12, 11)
    assert not rules.verlenging_request_allowed(date(2026, 6, 11), date(2028, 12, 10))
    assert rules.verlenging_request_allowed(date(2026, 6, 11), date(2028, 12, 11))
