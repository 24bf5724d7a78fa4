"""Issue 10: the law to the day. Worked dates of our own (DOMAIN.md, "How the law counts a
period"): the termijn's last day, deadlines inside the termijn, one "t/m" convention, the
reminders' send hour across DST, the wait for third-party information, the stuurinformatie figure
and the bezwaar clause."""

import html
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from deadlines import rules as deadline_rules
from deadlines.models import Deadline, Kind
from intake import rules as intake_rules
from municipalities.models import Role
from pip_plans import documents
from pip_plans import rules as pip_rules
from pip_plans import services as pip_services

from .pip_helpers import draft_for

AMS = ZoneInfo("Europe/Amsterdam")


def at(year, month, day, hour=9, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=AMS)


@pytest.fixture
def worker(caseworker_of):
    return caseworker_of("hoorn")


@pytest.fixture
def lead(member_of):
    return member_of("hoorn", Role.TEAMLEIDER)


@pytest.fixture
def case(case_in, worker):
    return case_in(
        "hoorn",
        date_of_birth=date(1990, 1, 1),
        doelgroep="asielstatushouder",
        caseworker=worker,
        datum_kennisgeving=date(2026, 4, 6),
    )


@pytest.fixture(autouse=True)
def eager_celery(settings, tmp_path):
    from westfriesland.celery import app

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


def adopt(worker, lead, case, dagtekening):
    version = pip_services.submit(worker, draft_for(worker, case))
    version = pip_services.adopt(lead, version, dagtekening=dagtekening)
    version.pip.refresh_from_db()
    return version


def page(user, url):
    client = Client()
    client.force_login(user)
    return " ".join(html.unescape(client.get(url).content.decode()).split())


# --- 1. the inburgeringstermijn ends on the dagtekening's date three years on ---------------------


@pytest.mark.parametrize(
    "dagtekening, first_day, last_day",
    [
        (date(2026, 6, 10), date(2026, 6, 11), date(2029, 6, 10)),  # the example
        (date(2028, 2, 29), date(2028, 3, 1), date(2031, 2, 28)),  # leap day: no 29-02-2031
        (date(2027, 2, 28), date(2027, 3, 1), date(2030, 2, 28)),
        (date(2026, 12, 31), date(2027, 1, 1), date(2029, 12, 31)),
    ],
)
def test_termijn_last_day_is_the_dagtekening_three_years_on(dagtekening, first_day, last_day):
    assert pip_rules.termijn(dagtekening) == (first_day, last_day)


def test_termijn_end_on_a_weekend_or_holiday_moves_only_with_the_setting(settings):
    # 10-06-2029 is a Sunday; 25-12-2029 is eerste kerstdag (a Tuesday), 26-12 tweede.
    settings.TERMIJN_END_ALGEMENE_TERMIJNENWET = False
    assert pip_rules.termijn(date(2026, 6, 10))[1] == date(2029, 6, 10)
    assert pip_rules.termijn(date(2026, 12, 25))[1] == date(2029, 12, 25)
    settings.TERMIJN_END_ALGEMENE_TERMIJNENWET = True
    assert pip_rules.termijn(date(2026, 6, 10))[1] == date(2029, 6, 11)
    assert pip_rules.termijn(date(2026, 12, 25))[1] == date(2029, 12, 27)
    assert pip_rules.termijn(date(2028, 2, 29))[1] == date(2031, 2, 28)  # a Friday: stays


@time_machine.travel(at(2026, 6, 1), tick=False)
def test_adopted_first_pip_shows_the_termijn_t_m_its_last_day(worker, lead, case):
    version = adopt(worker, lead, case, date(2026, 6, 10))
    pip = version.pip
    assert (pip.termijn_start, pip.termijn_end) == (date(2026, 6, 11), date(2029, 6, 10))
    assert Deadline.objects.get(inburgeraar=case, kind=Kind.TERMIJN_END).due_date == date(
        2029, 6, 10
    )
    tab = page(worker, reverse("case-tab", args=[case.pk, "pip"]))
    assert "11-06-2026 t/m 10-06-2029" in tab
    assert "11-06-2029" not in tab
    deadlines_page = page(worker, reverse("case-deadlines", args=[case.pk]))
    assert "t/m 10-06-2029" in deadlines_page
    beschikking = " ".join(documents.render_html(version, "beschikking").split())
    assert "11 juni 2026 t/m 10 juni 2029" in beschikking
    assert "11 juni 2029" not in beschikking
    nl = " ".join(documents.render_html(version, "samenvatting_nl").split())
    assert "t/m <strong>10-06-2029</strong>" in nl
    en = " ".join(documents.render_html(version, "samenvatting_en").split())
    assert "up to and including <strong>10-06-2029</strong>" in en


@time_machine.travel(at(2028, 2, 20), tick=False)
def test_first_pip_dated_on_a_leap_day(worker, lead, case_in):
    case = case_in(
        "hoorn",
        doelgroep="asielstatushouder",
        caseworker=worker,
        datum_kennisgeving=date(2028, 1, 3),
    )
    version = adopt(worker, lead, case, date(2028, 2, 29))
    assert (version.pip.termijn_start, version.pip.termijn_end) == (
        date(2028, 3, 1),
        date(2031, 2, 28),
    )
    assert "01-03-2028 t/m 28-02-2031" in page(worker, reverse("case-tab", args=[case.pk, "pip"]))


# --- 2. no deadline of the termijn after its last day ---------------------------------------------


def test_no_deadline_of_the_termijn_after_its_last_day():
    start, end = pip_rules.termijn(date(2026, 6, 10))  # 11-06-2026 t/m 10-06-2029
    facts = deadline_rules.CaseFacts(
        case_id=1,
        municipality_id=1,
        closed=False,
        first_pip=date(2026, 6, 10),
        termijn_start=start,
        termijn_end=end,
        progress_review_months=3,
        adopted=[
            deadline_rules.AdoptedVersionFacts(
                number=2,  # a new version late in the termijn (a move): 3 months runs past it
                dagtekening=date(2029, 4, 2),
                bezwaar_deadline=None,
                course_start_deadline=date(2029, 7, 2),
                course_start=None,
                unburdening=False,
                unburdening_start=None,
            )
        ],
    )
    specs = deadline_rules.case_deadlines(facts)
    reviews = [s for s in specs if s.kind == Kind.PROGRESS_REVIEW]
    assert len(reviews) == 11 and reviews[-1].due_date == date(2029, 3, 11)
    assert all(s.due_date <= end for s in specs if s.kind in deadline_rules.WITHIN_TERMIJN)
    course = next(s for s in specs if s.kind == Kind.COURSE_START)
    assert course.due_date == date(2029, 6, 10)  # the last day, not 02-07-2029
    assert next(s for s in specs if s.kind == Kind.TERMIJN_END).due_date == end


def test_monthly_reviews_from_a_leap_day_pip_stop_at_the_last_day():
    start, end = pip_rules.termijn(date(2028, 2, 29))  # 01-03-2028 t/m 28-02-2031
    facts = deadline_rules.CaseFacts(
        case_id=1,
        municipality_id=1,
        closed=False,
        termijn_start=start,
        termijn_end=end,
        progress_review_months=1,
    )
    reviews = deadline_rules.progress_reviews(facts)
    assert len(reviews) == 35  # the 36th would be 01-03-2031
    assert reviews[-1].due_date == date(2031, 2, 1)


# --- 3. one "last day" convention: t/m -------------------------------------------------------------


class _Version:
    def __init__(self, route):
        self.route = route


def test_schakel_window_message_names_its_last_allowed_day():
    first = date(2026, 3, 20)  # 18 months on: 20-09-2027, still allowed
    assert pip_rules.schakel_window_end(first) == date(2027, 9, 20)
    on_last_day = pip_rules.RuleResult()
    pip_rules._check_switch(_Version("Z"), _Version("B1"), first, on_last_day, on=date(2027, 9, 20))
    assert on_last_day.ok
    day_after = pip_rules.RuleResult()
    pip_rules._check_switch(_Version("Z"), _Version("B1"), first, day_after, on=date(2027, 9, 21))
    (message,) = day_after.errors["route"]
    assert "(t/m 20-09-2027)" in message and "tot " not in message


@time_machine.travel(at(2026, 3, 10), tick=False)
def test_invitation_reply_date_is_its_last_day_everywhere(worker, case):
    from deadlines import services as deadline_services
    from deadlines.models import State
    from intake import services as intake_services

    intake = intake_services.plan_intake(worker, case)
    invitation = intake_services.invite(
        worker, intake, conversation_at=at(2026, 3, 20, 10), response_date=date(2026, 3, 17)
    )
    tab = page(worker, reverse("case-tab", args=[case.pk, "intake"]))
    assert "Reageren t/m" in tab and "vóór" not in tab
    assert "t/m 17-03-2026" in page(worker, reverse("case-deadlines", args=[case.pk]))
    row = Deadline.objects.get(inburgeraar=case, kind=Kind.INVITATION, key=str(invitation.pk))
    deadline_services.recompute_for_cases([case.pk], today=date(2026, 3, 17))
    row.refresh_from_db()
    assert row.state == State.OPEN  # 17-03 is still allowed
    deadline_services.recompute_for_cases([case.pk], today=date(2026, 3, 18))
    row.refresh_from_db()
    assert row.state == State.OVERDUE


# --- 4. reminders at the policy's local send hour, across DST -------------------------------------

UTC = ZoneInfo("UTC")


@pytest.fixture
def sweep(db, django_capture_on_commit_callbacks):
    from deadlines import services as deadline_services
    from deadlines.models import ReminderPolicy

    ReminderPolicy.objects.filter(kind=Kind.CBS_REPORT).update(is_active=False)

    def run(moment):
        with (
            time_machine.travel(moment, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            deadline_services.sweep()

    return run


def due_today_row(case, due, key=""):
    """A PIP deadline whose earlier reminders are behind it: next up is the day itself."""
    return Deadline.objects.create(
        inburgeraar=case,
        municipality=case.municipality,
        kind=Kind.PIP_DUE,
        key=key,
        due_date=due,
        next_reminder_on=due,
    )


def subjects():
    from django.core import mail

    return [message.subject for message in mail.outbox]


@pytest.mark.parametrize(
    "due, before, at_send_hour",
    [
        # Summer time starts Sunday 29-03-2026 02:00: 08:00 local is 06:00 UTC.
        (
            date(2026, 3, 29),
            datetime(2026, 3, 29, 5, 59, tzinfo=UTC),
            datetime(2026, 3, 29, 6, 0, tzinfo=UTC),
        ),
        # Winter time starts Sunday 25-10-2026 03:00: 08:00 local is 07:00 UTC.
        (
            date(2026, 10, 25),
            datetime(2026, 10, 25, 6, 59, tzinfo=UTC),
            datetime(2026, 10, 25, 7, 0, tzinfo=UTC),
        ),
        # A leap day, winter time.
        (
            date(2028, 2, 29),
            datetime(2028, 2, 29, 6, 59, tzinfo=UTC),
            datetime(2028, 2, 29, 7, 0, tzinfo=UTC),
        ),
    ],
)
def test_reminders_go_out_at_eight_local_not_at_midnight(sweep, case, due, before, at_send_hour):
    due_today_row(case, due)
    sweep(datetime.combine(due, datetime.min.time(), AMS).replace(minute=15))  # 00:15 local
    sweep(before)  # 07:59 local
    assert subjects() == []
    sweep(at_send_hour)  # 08:00 local
    sweep(at_send_hour.replace(minute=15))  # the next beat tick
    assert subjects() == [f"Vandaag: PIP vaststellen (t/m {due:%d-%m-%Y})"]


def test_a_send_time_the_night_skips_or_repeats(sweep, case):
    from deadlines.models import ReminderPolicy

    ReminderPolicy.objects.filter(kind=Kind.PIP_DUE, municipality=None).update(send_time="02:30")
    due_today_row(case, date(2026, 3, 29))  # 02:30 does not exist that night
    sweep(datetime(2026, 3, 29, 0, 59, tzinfo=UTC))  # 01:59 winter time
    assert subjects() == []
    sweep(datetime(2026, 3, 29, 1, 0, tzinfo=UTC))  # 03:00 summer time
    assert len(subjects()) == 1
    due_today_row(case, date(2026, 10, 25), key="2")  # 02:30 happens twice that night
    sweep(datetime(2026, 10, 25, 0, 30, tzinfo=UTC))  # the first 02:30 (summer time)
    sweep(datetime(2026, 10, 25, 1, 30, tzinfo=UTC))  # the second 02:30 (winter time)
    assert [s for s in subjects() if "25-10-2026" in s] == [
        "Vandaag: PIP vaststellen (t/m 25-10-2026)"
    ]  # once, not twice


def test_a_sweep_that_missed_the_hour_sends_at_the_next_one_and_only_once(sweep, case):
    due_today_row(case, date(2026, 5, 11))  # a Monday
    sweep(at(2026, 5, 11, 13, 0))  # the machine was down at 08:00
    assert subjects() == ["Vandaag: PIP vaststellen (t/m 11-05-2026)"]
    sweep(at(2026, 5, 12, 0, 15))  # after midnight: the overdue notice waits for 08:00
    assert len(subjects()) == 1
    sweep(at(2026, 5, 12, 8, 0))
    assert subjects()[1] == "Termijn verstreken: PIP vaststellen (t/m 11-05-2026)"
    sweep(at(2026, 5, 12, 9, 0))
    assert len(subjects()) == 2


def test_a_day_missed_entirely_sends_no_today_message_the_day_after(sweep, case):
    row = due_today_row(case, date(2026, 5, 11))
    sweep(at(2026, 5, 12, 0, 15))  # down all of 11-05: the day's reminder is no longer "today"
    sweep(at(2026, 5, 12, 8, 5))
    assert subjects() == ["Termijn verstreken: PIP vaststellen (t/m 11-05-2026)"]
    row.refresh_from_db()
    assert row.state == "overdue"


def test_a_municipality_sets_its_own_send_time(sweep, case):
    from deadlines.models import ReminderPolicy

    ReminderPolicy.objects.create(
        kind=Kind.PIP_DUE, municipality=case.municipality, offsets="0", send_time="10:30"
    )
    due_today_row(case, date(2026, 7, 1))
    sweep(at(2026, 7, 1, 8, 0))
    assert subjects() == []
    sweep(at(2026, 7, 1, 10, 30))
    assert len(subjects()) == 1


# --- 9. the PIP deadline while waiting for third-party information --------------------------------


@pytest.mark.parametrize(
    "received, deadline",
    [
        (None, date(2026, 6, 15)),  # 06-04-2026 + 10 weeks
        (date(2026, 5, 20), date(2026, 6, 15)),  # + 2 weeks = 03-06: never before the 10 weeks
        (date(2026, 6, 10), date(2026, 6, 24)),  # + 2 weeks after receipt
    ],
)
def test_one_rule_for_the_pip_deadline_with_third_party_information(received, deadline):
    assert (
        intake_rules.pip_deadline(
            kennisgeving=date(2026, 4, 6), brp=None, third_party_received=received
        )
        == deadline
    )


def test_waiting_only_between_request_and_receipt():
    assert intake_rules.third_party_waiting_since(date(2026, 5, 4), None) == date(2026, 5, 4)
    assert intake_rules.third_party_waiting_since(date(2026, 5, 4), date(2026, 6, 10)) is None
    assert intake_rules.third_party_waiting_since(None, None) is None


def test_the_waiting_deadline_is_not_overdue_and_moves_on_receipt(worker, case):
    from django.core import mail

    from deadlines import services as deadline_services
    from deadlines.models import State
    from intake import services as intake_services

    with time_machine.travel(at(2026, 5, 4), tick=False):
        intake = intake_services.plan_intake(worker, case)
        intake = intake_services.begin_intake(worker, intake)
        intake = intake_services.save_intake_fields(
            worker,
            intake,
            expected_version=intake.version,
            values={
                "third_party_info": "Medisch advies huisarts",
                "third_party_info_requested": date(2026, 5, 4),
            },
        )
    row = Deadline.objects.get(inburgeraar=case, kind=Kind.PIP_DUE)
    assert row.waiting_since == date(2026, 5, 4) and row.next_reminder_on is None
    # 10 weeks ran out on 15-06-2026; still waiting on 01-07: open, not overdue, no reminder.
    deadline_services.recompute_for_cases([case.pk], today=date(2026, 7, 1))
    with time_machine.travel(at(2026, 7, 1, 9), tick=False):
        deadline_services.sweep(send=False)
        row.refresh_from_db()
        assert (row.state, row.waiting_since) == (State.OPEN, date(2026, 5, 4))
        assert not row.reminders.exists() and mail.outbox == []
        label = "wacht op informatie van derden (sinds 04-05-2026)"
        assert label in page(worker, reverse("case-deadlines", args=[case.pk]))
        tab = page(worker, reverse("case-tab", args=[case.pk, "pip"]))
        assert label in tab and "over de termijn" not in tab
        assert label in page(worker, reverse("case-tab", args=[case.pk, "intake"]))
        intake_services.save_intake_fields(
            worker,
            intake,
            expected_version=intake.version,
            values={"third_party_info_received": date(2026, 7, 1)},
        )
    row.refresh_from_db()
    assert row.waiting_since is None and row.due_date == date(2026, 7, 15)
    assert row.state == State.OPEN and row.next_reminder_on is not None


@time_machine.travel(at(2026, 5, 4), tick=False)
def test_the_rule_is_one_sentence_on_every_screen(worker, case):
    from intake import services as intake_services

    intake_services.plan_intake(worker, case)
    sentence = " ".join(intake_rules.pip_deadline_rule_text().split())
    assert sentence.count(".") == 1 and "2 weken na ontvangst" in sentence
    intake_tab = page(worker, reverse("case-tab", args=[case.pk, "intake"]))
    pip_tab = page(worker, reverse("case-tab", args=[case.pk, "pip"]))
    assert intake_tab.count(sentence) == 1 and pip_tab.count(sentence) == 1
    for old in (
        "verlengd met wachttijd op informatie van derden",
        "de termijn loopt door tot twee weken na ontvangst",
        "Dan verlengt de PIP-termijn tot twee weken na ontvangst",
    ):
        assert old not in intake_tab and old not in pip_tab


def test_third_party_form_records_the_request_date():
    from intake.forms import ThirdPartyForm

    form = ThirdPartyForm(
        data={"third_party_info": "Schoolrapport", "third_party_info_received": "2026-05-01"}
    )
    assert not form.is_valid() and "third_party_info_requested" in form.errors
    form = ThirdPartyForm(
        data={
            "third_party_info": "Schoolrapport",
            "third_party_info_requested": "2026-05-04",
            "third_party_info_received": "2026-05-01",
        }
    )
    assert not form.is_valid() and "third_party_info_received" in form.errors


# --- 10. stuurinformatie: "PIP binnen 10 weken" counts the cases without a PIP too ---------------


def test_pip_within_ten_weeks_counts_cases_past_ten_weeks_without_a_pip(case_in, lead):
    from datetime import timedelta

    from intake.models import Intake
    from pip_plans.models import Pip
    from reporting import selectors

    kennisgeving = date(2026, 1, 5)  # 10 weeks: t/m 16-03-2026
    on_time = case_in("hoorn", datum_kennisgeving=kennisgeving)
    Pip.objects.create(inburgeraar=on_time, dagtekening_initiele_pip=date(2026, 3, 16))
    late = case_in("hoorn", datum_kennisgeving=kennisgeving)
    Pip.objects.create(inburgeraar=late, dagtekening_initiele_pip=date(2026, 3, 17))
    for _ in range(4):  # past 10 weeks, no PIP
        case_in("hoorn", datum_kennisgeving=kennisgeving)
    case_in("hoorn", datum_kennisgeving=date(2026, 2, 2))  # 10 weeks t/m 13-04: not yet
    waiting = case_in("hoorn", datum_kennisgeving=kennisgeving)
    Intake.objects.create(
        inburgeraar=waiting,
        third_party_info="Rapport school",
        third_party_info_requested=date(2026, 3, 1),
    )
    hoorn = selectors.figure_municipalities(lead).get()
    figures = selectors.municipality_figures(lead, hoorn, today=date(2026, 3, 17))
    assert figures["pips"] == 2
    assert figures["within_share"] == round(100 * 1 / 6)  # 1 on time of 2 PIPs + 4 without
    # The day the last 10 weeks run out it is still within: not counted on 13-04, counted after.
    assert selectors.municipality_figures(lead, hoorn, today=date(2026, 4, 13))[
        "within_share"
    ] == round(100 * 1 / 6)
    assert selectors.municipality_figures(lead, hoorn, today=date(2026, 4, 14))[
        "within_share"
    ] == round(100 * 1 / 7)
    assert timedelta(weeks=10) == date(2026, 3, 16) - kennisgeving


# --- 11. the bezwaar clause: Awb 6:9 and where to send it ------------------------------------------


@time_machine.travel(at(2027, 3, 10), tick=False)
def test_bezwaar_clause_accepts_a_posted_bezwaarschrift_and_names_the_address(worker, lead, case):
    from .letter_helpers import letterhead

    # The letterhead the beheerder keeps is the one source of the postal address.
    letterhead("hoorn", postbus="9999", postal_postal_code="1620zz", postal_city="Hoorn")
    # 16-03-2027 + 6 weeks = Koningsdag, Tuesday 27-04-2027: the Algemene termijnenwet moves it.
    version = adopt(worker, lead, case, date(2027, 3, 16))
    assert version.bezwaar_deadline == date(2027, 4, 28)
    version.pip.inburgeraar.municipality.refresh_from_db()
    text = " ".join(documents.render_html(version, "beschikking").split())
    assert "loopt t/m <strong>28 april 2027</strong>" in text
    assert "artikel 6:9 Awb" in text
    assert "uiterlijk op die dag op de post doet en wij het niet later dan een week daarna" in text
    assert (
        "Het college van burgemeester en wethouders van Hoorn<br>Postbus 9999<br>1620 ZZ HOORN"
        in text
    )
    assert "Telefoon</th><td>0229 252 200" in text  # and a phone number to call
    assert "moet uiterlijk op" not in text  # the old "must be received by" wording


@time_machine.travel(at(2027, 3, 10), tick=False)
def test_bezwaar_clause_without_an_address_names_the_college(worker, lead, case):
    version = adopt(worker, lead, case, date(2027, 3, 16))
    text = " ".join(documents.render_html(version, "beschikking").split())
    assert "Het college van burgemeester en wethouders van Hoorn</address>" in text
    assert "Postbus" not in text
