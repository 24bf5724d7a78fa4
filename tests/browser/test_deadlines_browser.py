"""Deadlines in a real browser (issue 5): the header's unread count, mijn termijnen, the inbox,
the calendar address and a case's deadlines, each checked with axe-core."""

import pytest
from django.utils import timezone

from deadlines import services
from deadlines.models import Deadline, Kind, Notification, Reminder
from tests.factories import DeadlineFactory

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def reminder_policies(transactional_db):
    """Earlier transactional tests flush the region's reminder policies; put them back."""
    from importlib import import_module

    from django.apps import apps

    import_module("deadlines.migrations.0002_default_reminder_policies").create_defaults(apps, None)


def test_deadline_pages(login, live_server, caseworker_of, case_in, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = caseworker_of("hoorn")
    case = case_in("hoorn", caseworker=user, surname="Termijnzaak")
    today = timezone.localdate()
    DeadlineFactory(due_this_week=True, inburgeraar=case, kind=Kind.PROGRESS_REVIEW, key="1")
    services.sweep(today=today, send=False)
    for reminder_id in Reminder.objects.values_list("pk", flat=True):
        services.send_reminder(reminder_id)

    page = login(user)
    page.get_by_role("link", name="Mijn termijnen").click()
    page.wait_for_selector("h1")
    assert "Termijnzaak" in page.content()
    assert_accessible(page)

    page.get_by_role("link", name="Meldingen").click()
    page.wait_for_selector("h1")
    assert "Voortgangsgesprek" in page.content() and case.full_name in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Alles als gelezen markeren").click()
    page.wait_for_selector("h1")
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()
    assert page.locator('[data-testid="unread-count"]').count() == 0

    page.goto(f"{live_server.url}/termijnen/agenda/")
    page.get_by_role("button", name="Agenda-adres maken").click()
    page.wait_for_selector('[data-testid="feed-url"]')
    assert_accessible(page)

    page.goto(f"{live_server.url}/inburgeraars/{case.pk}/termijnen/")
    assert_accessible(page)
    # A voortgangsgesprek is done only with its record (issue 12): no "Afgehandeld" button, a
    # link to the Uitvoering tab where the conversation is recorded.
    assert page.get_by_role("button", name="Afgehandeld").count() == 0
    page.get_by_role("link", name="Gesprek vastleggen").click()
    page.wait_for_url(f"**/inburgeraars/{case.pk}/uitvoering/")
    assert Deadline.objects.get(inburgeraar=case, kind=Kind.PROGRESS_REVIEW).done_on is None
