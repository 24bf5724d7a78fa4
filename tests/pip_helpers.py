from intake import services as intake_services
from pip_plans.models import LanguageSchool, PipVersion

from .intake_helpers import filled_intake


def school(certified=True):
    return LanguageSchool.objects.get_or_create(
        name=f"Taalschool {'A' if certified else 'B'}", defaults={"certified": certified}
    )[0]


def draft_for(user, case, *, route="B1", score=30):
    """A completed intake and the PIP draft it opened, with a language school chosen."""
    intake = filled_intake(user, case, route=route, score=score)
    intake_services.complete_intake(user, intake, expected_version=intake.version)
    version = PipVersion.objects.get(pip__inburgeraar=case)
    PipVersion.objects.filter(pk=version.pk).update(language_school=school())
    return PipVersion.objects.get(pk=version.pk)
