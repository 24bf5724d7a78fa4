"""Helpers to bring an intake into a given state for tests."""

from datetime import date, timedelta

from django.utils import timezone

from intake import services
from intake.models import Education, Intake


def filled_intake(user, case, *, route="B1", score=30):
    intake = services.plan_intake(user, case)
    intake = services.begin_intake(user, intake)
    values = {
        "test_date": date(2026, 10, 1),
        "test_score": score,
        "highest_education": "basis",
        "education_work_notes": "Zes jaar school in Aleppo.",
        "personal_circumstances": "Woont met partner en twee kinderen.",
        "physical_health": "Geen bijzonderheden.",
        "mental_health": "Geen bijzonderheden.",
        "chosen_route": route,
    }
    intake = services.save_intake_fields(
        user, intake, expected_version=intake.version, values=values
    )
    services.add_intake_item(
        user, intake, Education, name="Basisschool", country="Syrië", years=6, diploma=True
    )
    return Intake.objects.get(pk=intake.pk)


def future(days=7):
    return timezone.now() + timedelta(days=days)
