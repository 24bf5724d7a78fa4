"""Bezwaar (issue 14): a bezwaarschrift against a PIP version or a fine, on time by Awb 6:7-6:9,
its beslistermijn (Awb 7:10) as a deadline, a hoorzitting, and the beslissing op bezwaar with its
letter; gegrond on a PIP opens a new version with reason "bezwaar"."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from deadlines.models import Deadline, Kind, State
from letters import services
from letters.models import LetterKind
from municipalities.models import Role
from pip_plans import services as pip_services
from pip_plans.models import PipStatus, VersionReason

from .letter_helpers import letterhead, local, pdf_text
from .pip_helpers import draft_for
from .test_letters import BLAME, send, voornemen_sent


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def worker(caseworker_of):
    return caseworker_of("hoorn")


@pytest.fixture
def lead(member_of):
    return member_of("hoorn", Role.TEAMLEIDER)


@pytest.fixture
def case(case_in):
    letterhead("hoorn")
    return case_in("hoorn", first_names="Yonas", surname="Tesfay", gender="m")


@pytest.fixture
def adopted(worker, lead, case, django_capture_on_commit_callbacks):
    version = pip_services.submit(worker, draft_for(worker, case))
    with django_capture_on_commit_callbacks(execute=False):
        # Monday 2 March 2026: the bezwaar window ends on Monday 13 April 2026.
        return pip_services.adopt(lead, version, dagtekening=date(2026, 3, 2))


def beslistermijn_deadline(bezwaar):
    return Deadline.objects.get(inburgeraar=bezwaar.inburgeraar, kind=Kind.BESLISTERMIJN)


def test_bezwaar_on_time_and_its_beslistermijn_as_a_deadline(worker, case, adopted):
    with time_machine.travel(local(2026, 4, 20, 9, 0), tick=False):
        bezwaar = services.register_bezwaar(
            worker, case, pip_version=adopted, received_on=date(2026, 4, 10)
        )
        assert bezwaar.window_end == date(2026, 4, 13)
        assert bezwaar.on_time
        deadline = beslistermijn_deadline(bezwaar)
        # 6 weeks after the window ended is Monday 25 May 2026, tweede pinksterdag: under the
        # Algemene termijnenwet the beslistermijn runs on to Tuesday 26 May.
        assert deadline.due_date == date(2026, 5, 26)
        assert deadline.state == State.OPEN
        services.extend_beslistermijn(worker, bezwaar)
        # Verdaagd once, by six weeks from that end.
        assert beslistermijn_deadline(bezwaar).due_date == date(2026, 7, 7)
        with pytest.raises(ValidationError, match="één keer"):
            services.extend_beslistermijn(worker, bezwaar)


def test_advisory_committee_gives_twelve_weeks(worker, case, adopted):
    with time_machine.travel(local(2026, 4, 20, 9, 0), tick=False):
        bezwaar = services.register_bezwaar(
            worker,
            case,
            pip_version=adopted,
            received_on=date(2026, 4, 10),
            advisory_committee=True,
        )
        assert beslistermijn_deadline(bezwaar).due_date == date(2026, 7, 6)


def test_posted_in_time_and_received_within_a_week_is_on_time(worker, case, adopted):
    with time_machine.travel(local(2026, 4, 30, 9, 0), tick=False):
        posted = services.register_bezwaar(
            worker,
            case,
            pip_version=adopted,
            received_on=date(2026, 4, 20),
            posted_on=date(2026, 4, 13),
        )
        assert posted.on_time
        late = services.register_bezwaar(
            worker, case, pip_version=adopted, received_on=date(2026, 4, 14)
        )
        assert not late.on_time
        too_late = services.register_bezwaar(
            worker,
            case,
            pip_version=adopted,
            received_on=date(2026, 4, 21),
            posted_on=date(2026, 4, 13),
        )
        assert not too_late.on_time


def test_hearing_and_gegrond_on_a_pip_opens_a_new_version(worker, case, adopted):
    with time_machine.travel(local(2026, 4, 20, 9, 0), tick=False):
        bezwaar = services.register_bezwaar(
            worker, case, pip_version=adopted, received_on=date(2026, 4, 10)
        )
        services.plan_hearing(worker, bezwaar, hearing_at=local(2026, 4, 28, 14, 0))
    with time_machine.travel(local(2026, 5, 4, 9, 0), tick=False):
        bezwaar, letter = services.decide_bezwaar(
            worker,
            bezwaar,
            decision="gegrond",
            reason="De leerroute hield geen rekening met uw opleiding als verpleegkundige.",
        )
        assert bezwaar.new_pip_version.reason == VersionReason.BEZWAAR
        assert bezwaar.new_pip_version.status == PipStatus.CONCEPT
        assert beslistermijn_deadline(bezwaar).state == State.DONE
        assert letter.kind == LetterKind.BESLISSING_BEZWAAR
        letter = send(worker, letter, date(2026, 5, 4))
    text = pdf_text(letter.file.path)
    assert "Beslissing op uw bezwaarschrift" in text
    assert "10 april 2026" in text and "2 maart 2026" in text
    assert "28 april 2026" in text  # the hoorzitting
    assert "gegrond" in text
    assert "opleiding als verpleegkundige" in text
    assert "nieuwe versie van uw PIP" in text
    assert "Rechtbank Noord-Holland" in text
    # Beroep: six weeks from Monday 4 May 2026 → Monday 15 June 2026.
    assert "15 juni 2026" in text


def hoorzitting_deadline(bezwaar):
    return Deadline.objects.get(
        inburgeraar=bezwaar.inburgeraar, kind=Kind.HOORZITTING, key=str(bezwaar.pk)
    )


def test_hoorzitting_is_a_date_on_the_case_until_its_verslag(worker, case, adopted):
    with time_machine.travel(local(2026, 4, 20, 9, 0), tick=False):
        bezwaar = services.register_bezwaar(
            worker, case, pip_version=adopted, received_on=date(2026, 4, 10)
        )
        assert not Deadline.objects.filter(inburgeraar=case, kind=Kind.HOORZITTING).exists()
        with pytest.raises(ValidationError, match="vóór de ontvangst"):
            services.plan_hearing(worker, bezwaar, hearing_at=local(2026, 4, 9, 14, 0))
        services.plan_hearing(worker, bezwaar, hearing_at=local(2026, 4, 28, 14, 0))
        deadline = hoorzitting_deadline(bezwaar)
        assert deadline.due_date == date(2026, 4, 28) and deadline.state == State.OPEN
        # Moved: the date follows.
        services.plan_hearing(worker, bezwaar, hearing_at=local(2026, 4, 29, 10, 0))
        assert hoorzitting_deadline(bezwaar).due_date == date(2026, 4, 29)
    with time_machine.travel(local(2026, 4, 29, 16, 0), tick=False):
        services.plan_hearing(
            worker,
            bezwaar,
            hearing_at=local(2026, 4, 29, 10, 0),
            notes="Meneer Tesfay lichtte zijn opleiding toe.",
        )
        deadline = hoorzitting_deadline(bezwaar)
        assert deadline.state == State.DONE and deadline.done_on == date(2026, 4, 29)


def test_ongegrond_against_a_fine(worker, case):
    from intake import services as intake_services

    intake = intake_services.plan_intake(worker, case)
    second = voornemen_sent(worker, case, intake)
    with time_machine.travel(local(2026, 12, 16, 9, 0), tick=False):
        fine = send(
            worker,
            services.create_letter(
                worker, case, LetterKind.BOETEBESCHIKKING, invitation=second, facts=BLAME
            ),
            date(2026, 12, 16),
        )
    with time_machine.travel(local(2027, 1, 5, 9, 0), tick=False):
        bezwaar = services.register_bezwaar(
            worker, case, fine_letter=fine, received_on=date(2027, 1, 5)
        )
        assert bezwaar.window_end == date(2027, 1, 27) and bezwaar.on_time
        bezwaar, letter = services.decide_bezwaar(
            worker, bezwaar, decision="ongegrond", reason="U had geen geldige reden."
        )
        assert bezwaar.new_pip_version is None
        letter = send(worker, letter, date(2027, 1, 5))
    text = pdf_text(letter.file.path)
    assert "ongegrond" in text and "de boete (kenmerk" in text
    assert "16 december 2026" in text


def test_a_bezwaar_needs_one_decision_on_its_own_case(worker, case, adopted, case_in):
    with pytest.raises(ValidationError):
        services.register_bezwaar(worker, case, received_on=date(2026, 4, 10))
    other = case_in("hoorn")
    from django.http import Http404

    with pytest.raises(Http404):
        services.register_bezwaar(worker, other, pip_version=adopted, received_on=date(2026, 4, 10))


def test_decide_needs_a_reason_and_decides_once(worker, case, adopted):
    with time_machine.travel(local(2026, 4, 20, 9, 0), tick=False):
        bezwaar = services.register_bezwaar(
            worker, case, pip_version=adopted, received_on=date(2026, 4, 10)
        )
        with pytest.raises(ValidationError):
            services.decide_bezwaar(worker, bezwaar, decision="ongegrond", reason=" ")
        services.decide_bezwaar(worker, bezwaar, decision="niet_ontvankelijk", reason="Te laat.")
        with pytest.raises(ValidationError):
            services.decide_bezwaar(worker, bezwaar, decision="ongegrond", reason="x")


def test_bezwaar_pages_and_404_outside_scope(worker, case, adopted, client, caseworker_of):
    with time_machine.travel(local(2026, 4, 20, 9, 0), tick=False):
        client.force_login(worker)
        response = client.post(
            reverse("letters:new-bezwaar", args=[case.pk]),
            {"against": f"pip-{adopted.pk}", "received_on": "2026-04-10", "grounds": "Oneens."},
        )
        assert response.status_code == 302
        bezwaar = case.bezwaren.get()
        page = client.get(reverse("letters:bezwaar", args=[case.pk, bezwaar.pk])).content.decode()
        assert "t/m 13-04-2026" in page and "t/m 26-05-2026" in page
        outsider = caseworker_of("enkhuizen")
        client.force_login(outsider)
        assert client.get(reverse("letters:new-bezwaar", args=[case.pk])).status_code == 404
        assert client.get(reverse("letters:bezwaar", args=[case.pk, bezwaar.pk])).status_code == 404
        for name in ("bezwaar-hearing", "bezwaar-extend", "bezwaar-decide"):
            url = reverse(f"letters:{name}", args=[case.pk, bezwaar.pk])
            assert client.post(url).status_code == 404
