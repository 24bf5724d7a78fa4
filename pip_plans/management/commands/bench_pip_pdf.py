"""Time the PIP PDFs: render each kind N times (default 5) and print min/median/max seconds.

Builds a realistic adopted version (a Hoorn asielstatushouder, completed brede intake, a full
B1-route plan, four-eyes adoption) through the services, inside one transaction that is rolled
back at the end: no users, cases, audit entries or files are left behind. `--out DIR` also writes
one PDF of each kind there, to look at.
"""

import random
import statistics
import uuid
from datetime import date
from pathlib import Path
from time import perf_counter

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from cases import services as case_services
from cases.models import Inburgeraar
from common.bsn import generate_bsn
from intake import services as intake_services
from intake.models import DevelopmentPoint, Education, WorkExperience
from municipalities.models import Organisation, Role
from municipalities.services import add_membership
from pip_plans import documents, services
from pip_plans.models import LanguageSchool, PipDocument, PipVersion


class Rollback(Exception):
    pass


def _user(org, role, first, last):
    user = User.objects.create_user(
        username=f"bench-{uuid.uuid4().hex[:10]}",
        first_name=first,
        last_name=last,
        email=f"{first.lower()}.{last.lower().replace(' ', '')}@hoorn.example",
    )
    add_membership(actor=None, user=user, organisation=org, role=role)
    return user


def _unused_bsn() -> str:
    rng = random.Random(405)
    while Inburgeraar.objects.filter(bsn=(bsn := generate_bsn(rng))).exists():
        pass
    return bsn


def build_adopted_version() -> PipVersion:
    """A complete, realistic adopted PIP version, built the way a caseworker and team lead would."""
    hoorn = Organisation.objects.get(slug="hoorn")
    author = _user(hoorn, Role.KLANTMANAGER, "Sanne", "de Vries")
    lead = _user(hoorn, Role.TEAMLEIDER, "Marieke", "van der Meer")
    case = case_services.register_inburgeraar(
        author,
        bsn=_unused_bsn(),
        v_nummer="3012345678",
        first_names="Fatima",
        surname="Al-Hassan",
        date_of_birth=date(1991, 5, 14),
        gender="v",
        nationality="Syrisch",
        languages="Arabisch, Engels",
        street="Grote Noord",
        house_number="42",
        postal_code="1621 KE",
        city="Hoorn",
        doelgroep="asielstatushouder",
        municipality=hoorn,
        caseworker=author,
        datum_kennisgeving=date(2026, 9, 1),
    )
    intake = intake_services.plan_intake(author, case)
    intake = intake_services.begin_intake(author, intake)
    intake = intake_services.save_intake_fields(
        author,
        intake,
        expected_version=intake.version,
        values={
            "test_date": date(2026, 10, 1),
            "test_score": 33,
            "highest_education": "voortgezet",
            "education_work_notes": "Middelbare school in Aleppo; vijf jaar apothekersassistent.",
            "personal_circumstances": "Woont met haar man en twee kinderen (4 en 7 jaar).",
            "physical_health": "Geen bijzonderheden.",
            "mental_health": "Geen bijzonderheden.",
            "chosen_route": "B1",
        },
    )
    intake_services.add_intake_item(
        author, intake, Education, name="Middelbare school", country="Syrië", years=6, diploma=True
    )
    intake_services.add_intake_item(
        author, intake, WorkExperience, occupation="Apothekersassistent", country="Syrië", years=5
    )
    for kind, text in [
        ("ontwikkelwens", "Werken in de zorg, als apothekersassistent"),
        ("ontwikkelwens", "Rijbewijs B halen"),
        ("aandachtspunt", "Kinderopvang regelen tijdens de lessen"),
    ]:
        intake_services.add_intake_item(
            author, intake, DevelopmentPoint, kind=kind, description=text
        )
    intake = intake.__class__.objects.get(pk=intake.pk)
    intake_services.complete_intake(author, intake, expected_version=intake.version)
    version = PipVersion.objects.get(pip__inburgeraar=case)
    school, _created = LanguageSchool.objects.get_or_create(
        name="Taalhuis Westfriesland", defaults={"city": "Hoorn", "certified": True}
    )
    version = services.save_draft(
        author,
        version,
        expected_version=version.version,
        values={
            "map_intensity": "twee dagdelen per week, met een snuffelstage",
            "pvt_planned_signing": date(2027, 6, 15),
            "hoofddoel": "werk",
            "goal_language": "Examen B1 in alle vier onderdelen",
            "goal_language_date": date(2028, 12, 1),
            "goal_work": "Betaald werk als apothekersassistent",
            "goal_work_date": date(2029, 6, 1),
            "goal_participation": "Vrijwilligerswerk bij de voedselbank",
            "goal_participation_date": date(2027, 9, 1),
            "language_school": school,
            "course_start": date(2027, 1, 11),
            "contract_id": "WF-2026-0417",
            "begeleiding": "Een klantmanager begeleidt u; elke drie maanden is er een "
            "voortgangsgesprek.",
            "unburdening": True,
            "unburdening_rent": True,
            "unburdening_energy": True,
            "unburdening_insurance": True,
            "unburdening_start": date(2026, 12, 1),
            "childcare": "Peuteropvang (vve) voor de jongste, drie ochtenden per week tijdens de "
            "lessen.",
            "other_agreements": "U meldt ziekte en afwezigheid vóór 9.00 uur bij de taalschool.",
        },
    )
    version = services.submit(author, version)
    return services.adopt(lead, version, dagtekening=date(2026, 11, 30))


class Command(BaseCommand):
    help = "Render each PIP PDF kind N times and print min/median/max seconds per kind."

    def add_arguments(self, parser):
        parser.add_argument("-n", "--times", type=int, default=5)
        parser.add_argument("--out", type=Path, help="write one PDF of each kind to this folder")

    def handle(self, *args, times, out, **options):
        try:
            with transaction.atomic():
                version = PipVersion.objects.select_related(
                    "pip__inburgeraar__municipality", "language_school", "adopted_by"
                ).get(pk=build_adopted_version().pk)
                # The first render loads fonts and templates: report it apart.
                started = perf_counter()
                documents.render(version, PipDocument.Kind.BESCHIKKING)
                self.stdout.write(f"warm-up (fonts, templates): {perf_counter() - started:.3f} s")
                self.stdout.write(f"{'kind':<18} {'min':>7} {'median':>7} {'max':>7}   size")
                for kind in documents.KINDS:
                    timings = []
                    for _i in range(times):
                        started = perf_counter()
                        data = documents.render(version, kind)
                        timings.append(perf_counter() - started)
                    self.stdout.write(
                        f"{kind:<18} {min(timings):7.3f} {statistics.median(timings):7.3f} "
                        f"{max(timings):7.3f}   {len(data):,} bytes ({times}×)"
                    )
                    if out:
                        out.mkdir(parents=True, exist_ok=True)
                        (out / f"{kind}.pdf").write_bytes(data)
                raise Rollback
        except Rollback:
            pass
