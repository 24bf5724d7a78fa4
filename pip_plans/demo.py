"""Demo reference data for the PIP: course providers in the region (fictional names)."""

from .models import LanguageSchool

DEMO_SCHOOLS = [
    ("Taalhuis Westfriesland", "Hoorn", True),
    ("NT2 Opleidingen Noord-Holland Noord", "Hoorn", True),
    ("Taalschool De Brug", "Enkhuizen", True),
    ("Leerwerkplaats Medemblik", "Medemblik", False),
]


def seed_language_schools() -> int:
    created = 0
    for name, city, certified in DEMO_SCHOOLS:
        _school, was_created = LanguageSchool.objects.get_or_create(
            name=name, defaults={"city": city, "certified": certified}
        )
        created += was_created
    return created
