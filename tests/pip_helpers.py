"""A PIP draft opened the real way: a completed intake (through intake.services) opens it."""

from intake import services as intake_services
from pip_plans.models import PipVersion

from .factories import IntakeFactory, LanguageSchoolFactory


def school(certified=True):
    return LanguageSchoolFactory(
        name=f"Taalschool {'A' if certified else 'B'}", certified=certified
    )


def draft_for(user, case, *, route="B1", score=30):
    """An intake with the legal minimum, completed by `user` through the services, and the PIP
    draft that opened, with a language school chosen."""
    intake = IntakeFactory(
        in_progress=True,
        legal_minimum=True,
        inburgeraar=case,
        chosen_route=route,
        test_score=score,
        updated_by=user,
    )
    intake_services.complete_intake(user, intake, expected_version=intake.version)
    version = PipVersion.objects.get(pip__inburgeraar=case)
    PipVersion.objects.filter(pk=version.pk).update(language_school=school())
    return PipVersion.objects.get(pk=version.pk)
