"""Issue 10 point 6: ontzorgen (Participatiewet art. 56a) runs at least six months from the start of
the right to bijstand, WerkSaam's recorded bijstand start; a WerkSaam ontzorgen record creates the
deadline, and changing the bijstand or the ontzorgen moves it."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from common.dates import last_day_of_months
from deadlines import rules
from deadlines.models import Deadline, Kind, State
from municipalities.models import Role
from werksaam_bridge import services
from werksaam_bridge.models import Benefit, Share, Unburdening, bijstand_starts_for_unburdening

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 8, 20, 10, 0, tzinfo=AMS)


@pytest.fixture
def caseworker(caseworker_of):
    return caseworker_of("hoorn")


@pytest.fixture
def ws_user(member_of):
    return member_of("werksaam", Role.WERKSAAM_MEDEWERKER)


@pytest.fixture
def case(case_in, caseworker):
    case = case_in("hoorn")
    services.start_share(caseworker, case, basis=Share.Basis.BENEFIT, start_date=date(2026, 8, 1))
    return case


def ontzorgen(ws_user, case, *, start, planned_end, **values):
    return services.add_record(
        ws_user,
        case,
        Unburdening,
        machtiging_date=values.pop("machtiging_date", start),
        start_date=start,
        planned_end=planned_end,
        rent=True,
        **values,
    )


def ontzorgen_deadline(case):
    return Deadline.objects.get(inburgeraar=case, kind=Kind.ONTZORGEN_END, key="")


@pytest.mark.parametrize(
    ("first_day", "last_day"),
    [
        (date(2026, 3, 1), date(2026, 8, 31)),  # 1 March: t/m 31 August
        (date(2026, 1, 15), date(2026, 7, 14)),
        (date(2026, 8, 31), date(2027, 2, 28)),  # 31-02 does not exist: February's last day
        (date(2027, 8, 31), date(2028, 2, 29)),  # ... in a leap year the 29th
        (date(2027, 9, 1), date(2028, 2, 29)),  # 1 September: t/m the leap day
        (date(2028, 2, 29), date(2028, 8, 28)),  # from a leap day: the day before 29 August
    ],
)
def test_six_months_from_bijstand_start_end_on_their_last_day(first_day, last_day):
    assert last_day_of_months(first_day, 6) == last_day
    assert rules.ontzorgen_minimum_last_day(first_day) == last_day


def test_werksaam_source_is_registered_at_runtime():
    """Nothing in the test registers it: werksaam_bridge's AppConfig.ready() did."""
    assert bijstand_starts_for_unburdening in rules._UNBURDENING_SOURCES


@time_machine.travel(NOW, tick=False)
def test_an_ontzorgen_record_creates_the_deadline_from_bijstand_start(ws_user, case):
    """Bijstand from 31-08-2026 (a month-end), ontzorgen from 01-09-2026: the six months run from
    the bijstand start, t/m 28-02-2027 (shown as the last day, not "vanaf 01-03-2027")."""
    services.add_record(ws_user, case, Benefit, start_date=date(2026, 8, 31))
    assert not Deadline.objects.filter(inburgeraar=case, kind=Kind.ONTZORGEN_END).exists()
    ontzorgen(ws_user, case, start=date(2026, 9, 1), planned_end=date(2027, 3, 31))
    row = ontzorgen_deadline(case)
    assert row.due_date == date(2027, 2, 28)
    assert row.state == State.OPEN
    assert row.date_label == "t/m 28-02-2027"


@time_machine.travel(NOW, tick=False)
def test_bijstand_start_counts_not_the_ontzorgen_start(ws_user, case):
    """Bijstand from 01-08-2026, ontzorgen only from 15-08-2026: minimum t/m 31-01-2027."""
    services.add_record(ws_user, case, Benefit, start_date=date(2026, 8, 1))
    ontzorgen(ws_user, case, start=date(2026, 8, 15), planned_end=date(2027, 1, 31))
    assert ontzorgen_deadline(case).due_date == date(2027, 1, 31)


@time_machine.travel(NOW, tick=False)
def test_changing_bijstand_or_ontzorgen_moves_or_ends_the_deadline(
    client, caseworker, ws_user, case
):
    benefit = services.add_record(ws_user, case, Benefit, start_date=date(2026, 9, 1))
    item = ontzorgen(ws_user, case, start=date(2026, 9, 1), planned_end=date(2027, 6, 30))
    assert ontzorgen_deadline(case).due_date == date(2027, 2, 28)
    # The bijstand turns out to have started earlier (a correction by WerkSaam).
    services.update_record(ws_user, benefit, start_date=date(2026, 8, 1))
    assert ontzorgen_deadline(case).due_date == date(2027, 1, 31)
    # Shown as the last day, "t/m", on the dossier's Termijnen tab.
    client.force_login(caseworker)
    page = client.get(reverse("case-deadlines", args=[case.pk])).content.decode()
    assert "t/m 31-01-2027" in page
    # Ontzorgen ended: the deadline is no longer due.
    services.update_record(ws_user, item, ended_on=date(2027, 6, 30))
    assert ontzorgen_deadline(case).state == State.CANCELLED


@time_machine.travel(NOW, tick=False)
def test_ontzorgen_needs_a_recorded_bijstand_and_six_months_from_its_start(ws_user, case):
    with pytest.raises(ValidationError) as error:
        ontzorgen(ws_user, case, start=date(2026, 9, 1), planned_end=date(2027, 3, 31))
    assert "leg eerst de bijstand vast" in error.value.message_dict["start_date"][0]
    assert not Unburdening.objects.filter(inburgeraar=case).exists()
    services.add_record(ws_user, case, Benefit, start_date=date(2027, 9, 1))
    with pytest.raises(ValidationError) as error:
        ontzorgen(ws_user, case, start=date(2027, 9, 1), planned_end=date(2028, 2, 28))
    message = error.value.message_dict["planned_end"][0]
    assert "01-09-2027" in message and "29-02-2028" in message
    item = ontzorgen(ws_user, case, start=date(2027, 9, 1), planned_end=date(2028, 2, 29))
    assert item.minimum_last_day() == date(2028, 2, 29)
    assert ontzorgen_deadline(case).due_date == date(2028, 2, 29)
