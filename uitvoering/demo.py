"""Demo uitvoering: two language schools with a user each, enrolments, attendance, reviews and
exam results for the demo cases whose PIP is adopted, and a few cases at each end state (voldaan,
niet voldaan, beëindigd, verhuisd). Everything goes through the services; idempotent: a case that
already has an enrolment (or an afronding) is left alone."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from cases.models import CaseStatus, Doelgroep, Inburgeraar
from municipalities.models import Organisation, Role
from municipalities.selectors import municipalities
from municipalities.services import add_membership
from pip_plans.models import Pip

from . import services
from .models import Afronding, Enrolment

# (organisation slug, name, demo user)
DEMO_SCHOOLS = [
    ("taalhuis", "Taalhuis Westfriesland", "taalschool.taalhuis", "Tamara", "Taalhuis"),
    ("debrug", "Taalschool De Brug", "taalschool.debrug", "Bas", "De Brug"),
]


def seed_schools() -> dict:
    schools = {}
    for slug, name, username, first, last in DEMO_SCHOOLS:
        group, _ = Group.objects.get_or_create(name=f"Organisatie: {name}")
        school, _ = Organisation.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": Organisation.Kind.AANBIEDER, "group": group}
        )
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        if created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
        add_membership(actor=None, user=user, organisation=school, role=Role.TAALSCHOOL)
        schools[slug] = (school, user)
    return schools


def seed_uitvoering(users: dict) -> dict:
    today = timezone.localdate()
    schools = seed_schools()
    counts = {"enrolments": 0, "closed": 0}
    # One case at each end state, in the first municipalities that have a case to spare (none
    # when the demo already has them: idempotent).
    end_states = [] if Afronding.objects.exists() else [0, 1, 2, 3]
    for index, org in enumerate(municipalities().order_by("name")):
        caseworker = users.get(f"klantmanager.{org.slug}")
        lead = users.get(f"teamleider.{org.slug}")
        if caseworker is None:
            continue
        school, teacher = list(schools.values())[index % 2]
        cases = Inburgeraar.objects.filter(
            municipality=org,
            status=CaseStatus.UITVOERING,
            pip__dagtekening_initiele_pip__isnull=False,
        ).order_by("pk")
        for case in cases:
            if Enrolment.objects.filter(inburgeraar=case).exists():
                continue
            _run_course(case, caseworker, school, teacher, today)
            counts["enrolments"] += 1
        if end_states and _end_state(end_states[0], org, caseworker, lead, school, teacher, today):
            end_states.pop(0)
            counts["closed"] += 1
    return counts


def _run_course(case, caseworker, school, teacher, today):
    pip = Pip.objects.get(inburgeraar=case)
    first = pip.dagtekening_initiele_pip
    start = first + timedelta(days=45)
    enrolment = services.enrol(
        caseworker,
        case,
        school=school,
        values={
            "aanmelding_date": first + timedelta(days=10),
            "school_intake_date": first + timedelta(days=25),
            "contract_id": f"WF-{case.pk:05d}",
            "hours_per_week": 12,
            "contact_name": caseworker.get_full_name(),
            "contact_email": caseworker.email,
            "map_provider": "WerkSaam Westfriesland",
            "pvt_provider": school.name,
        },
    )
    if start > today:
        return
    enrolment = services.update_enrolment(
        caseworker,
        enrolment,
        values={"actual_start": start, "planned_end": start + timedelta(days=700)},
    )
    month = start
    reported = 0
    while month + timedelta(days=29) < today and reported < 8:
        services.report_attendance(
            teacher,
            enrolment,
            period_start=month,
            period_end=month + timedelta(days=29),
            values={
                "hours_present": Decimal(44 + (case.pk + reported) % 8),
                "hours_excused": Decimal(2),
                "hours_unexcused": Decimal(10 if (case.pk + reported) % 7 == 0 else 1),
                "level_lezen": "A2" if reported > 3 else "A1",
                "exam_ready": reported > 6,
            },
        )
        month += timedelta(days=30)
        reported += 1
    if first + timedelta(days=120) < today:
        services.record_review(
            caseworker,
            case,
            values={
                "held_on": first + timedelta(days=100),
                "participants": "inburgeraar, klantmanager, docent taalschool",
                "language_discussed": "Voortgang lezen en spreken.",
                "language_agreed": "Extra spreekuur op woensdag.",
                "work_discussed": "Oriëntatie op werk in de zorg.",
                "actions": "Aanmelden voor een meeloopdag bij een zorginstelling.",
            },
        )
    if first + timedelta(days=700) < today:
        for part in ("lezen", "luisteren", "schrijven", "spreken", "knm"):
            services.record_exam_result(
                caseworker,
                case,
                values={
                    "onderdeel": part,
                    "level": "B1" if part != "knm" else "",
                    "exam_date": first + timedelta(days=650),
                    "result": "niet_behaald" if part == "spreken" else "behaald",
                    "registered_on": first + timedelta(days=670),
                },
            )


def _end_state(index, org, caseworker, lead, school, teacher, today) -> int:
    """One case of `org` taken to end state number `index`; 0 when it has no case to spare."""
    if lead is None:
        return 0
    from deadlines.demo import _adopted_pip

    candidates = (
        Inburgeraar.objects.filter(
            municipality=org, status=CaseStatus.AANGEMELD, intakes__isnull=True
        )
        .filter(doelgroep=Doelgroep.ASIELSTATUSHOUDER)
        .order_by("pk")
    )
    case = candidates.first()
    if case is None:
        return 0
    if index == 0:  # voldaan: every part passed, MAP and PVT done, three years after the PIP
        _adopted_pip(case, caseworker, lead, dagtekening=today - timedelta(days=3 * 365 - 20))
        case.refresh_from_db()
        _run_course(case, caseworker, school, teacher, today)
        for part in ("lezen", "luisteren", "schrijven", "spreken", "knm"):
            services.record_exam_result(
                caseworker,
                case,
                values={
                    "onderdeel": part,
                    "level": "B1",
                    "exam_date": today - timedelta(days=60),
                    "result": "behaald",
                },
            )
        for part in ("map", "pvt"):
            services.record_completion(
                caseworker,
                case,
                part=part,
                values={"on": today - timedelta(days=40), "result": "voldaan"},
            )
        services.close_case(caseworker, case, outcome="voldaan", on=today - timedelta(days=10))
    elif index == 1:  # niet voldaan: the termijn is over
        _adopted_pip(case, caseworker, lead, dagtekening=today - timedelta(days=3 * 365 + 40))
        case.refresh_from_db()
        _run_course(case, caseworker, school, teacher, today)
        services.close_case(caseworker, case, outcome="niet_voldaan", on=today - timedelta(days=2))
    elif index == 2:  # beëindigd: naturalised
        _adopted_pip(case, caseworker, lead, dagtekening=today - timedelta(days=500))
        case.refresh_from_db()
        services.close_case(
            caseworker,
            case,
            outcome="beeindigd",
            on=today - timedelta(days=5),
            end_reason="genaturaliseerd",
        )
    else:  # moved out of the region: the PDF dossier summary, then read-only
        _adopted_pip(case, caseworker, lead, dagtekening=today - timedelta(days=300))
        case.refresh_from_db()
        services.move_out_of_region(
            caseworker, case, moved_to="Amsterdam", on=today - timedelta(days=3)
        )
    return 1
