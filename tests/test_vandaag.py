"""Vandaag by legal weight: overdue PIP deadlines first, then other overdue deadlines, then this
week; totals and "+N meer"; "Niets dat op u wacht" only when nothing waits."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from deadlines.models import Deadline, Kind, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(caseworker_of):
    return caseworker_of("hoorn")


def main_of(response) -> str:
    body = response.content.decode()
    return body[body.index("<main") : body.index("</main>")]


def deadline(case, kind, days, key=""):
    return Deadline.objects.create(
        inburgeraar=case,
        municipality=case.municipality,
        kind=kind,
        key=key,
        due_date=timezone.localdate() + timedelta(days=days),
        state=State.OVERDUE if days < 0 else State.OPEN,
    )


def test_overdue_pip_deadline_comes_before_older_overdue_reviews(client, user, case_in):
    person = case_in("hoorn", caseworker=user, surname="Reviews")
    urgent = case_in("hoorn", caseworker=user, surname="Pipurgent")
    Deadline.objects.all().delete()
    for n in range(12):
        deadline(person, Kind.PROGRESS_REVIEW, -40 - n, key=str(n))
    deadline(urgent, Kind.PIP_DUE, -2, key="1")
    deadline(person, Kind.COURSE_START, 0)
    client.force_login(user)
    main = main_of(client.get(reverse("home")))
    pip_at = main.index("Pipurgent")
    assert pip_at < main.index("Reviews")
    assert "Verstreken: PIP vaststellen" in main and "(1)" in main
    assert "Andere verstreken termijnen" in main and "(12)" in main
    assert "+2 meer" in main
    assert "Deze week" in main
    assert "Niets dat op u wacht" not in main


def test_nothing_waits_only_when_nothing_waits(client, user):
    client.force_login(user)
    assert "Niets dat op u wacht" in main_of(client.get(reverse("home")))


def test_an_open_intake_means_something_waits(client, user, case_in):
    from intake import services

    case = case_in("hoorn", caseworker=user)
    services.plan_intake(user, case)
    Deadline.objects.all().delete()
    client.force_login(user)
    main = main_of(client.get(reverse("home")))
    assert "Niets dat op u wacht" not in main
