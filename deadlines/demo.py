"""Demo deadlines: a few demo cases taken through intake and PIP adoption (through the services,
a team lead adopting a caseworker's draft) so every kind of deadline appears, then one set-based
recompute of every case and the municipalities' CBS reports. Idempotent: a case that already has a
PIP is left alone."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from cases import services as case_services
from cases.models import Doelgroep, Inburgeraar
from intake import services as intake_services
from intake.models import Education, Intake, IntakeState, Invitation
from municipalities.selectors import municipalities
from pip_plans import services as pip_services
from pip_plans.models import LanguageSchool, Pip, PipVersion

from . import services

# Days between the first PIP's dagtekening and today, per demo PIP of a municipality: a recent PIP
# (bezwaar window about to close, course start and ontzorgen ahead) and one 2.5 years old
# (verlenging possible soon, the end of the termijn in sight).
PIP_AGES = (40, 2 * 365 + 160)


def seed_deadlines(users: dict) -> dict:
    today = timezone.localdate()
    adopted = 0
    invited = 0
    for org in municipalities().order_by("name"):
        caseworker = users.get(f"klantmanager.{org.slug}")
        lead = users.get(f"teamleider.{org.slug}")
        if caseworker is None or lead is None:
            continue
        candidates = list(
            Inburgeraar.objects.filter(
                municipality=org,
                caseworker=caseworker,
                doelgroep=Doelgroep.ASIELSTATUSHOUDER,
            )
            .filter(Q(pip__isnull=False) | Q(intakes__isnull=True))
            .distinct()
            .order_by("pk")[: len(PIP_AGES) + 1]
        )
        for case, age in zip(candidates, (*PIP_AGES, None), strict=False):
            if not Pip.objects.filter(inburgeraar=case).exists():
                # The last one waits for the team lead: submitted today, not adopted.
                dagtekening = today - timedelta(days=age) if age is not None else today
                _adopted_pip(case, caseworker, lead, dagtekening=dagtekening, adopt=age is not None)
                adopted += age is not None
        invited += _open_invitation(org, caseworker, today)
    case_ids = list(Inburgeraar.objects.values_list("pk", flat=True))
    services.recompute_for_cases(case_ids)
    services.ensure_quarterly_reports(today=today)
    return {"adopted_pips": adopted, "invitations": invited}


def _adopted_pip(case, caseworker, lead, *, dagtekening, adopt=True):
    # Dates that fit together: DUO's kennisgeving nine weeks before the PIP (on time), the BRP
    # registration and the duty's start before it, the COA koppeling before that.
    kennisgeving = dagtekening - timedelta(weeks=9)
    case = case_services.update_case(
        caseworker,
        case,
        values={
            "datum_kennisgeving": kennisgeving,
            "datum_inschrijving_brp": kennisgeving - timedelta(days=12),
            "datum_start_inburgeringsplicht": kennisgeving - timedelta(days=20),
            "datum_koppeling": kennisgeving - timedelta(days=45),
        },
    )
    start = dagtekening - timedelta(days=35)
    intake = intake_services.plan_intake(caseworker, case)
    intake = intake_services.begin_intake(caseworker, intake, on=start)
    intake = intake_services.save_intake_fields(
        caseworker,
        intake,
        expected_version=intake.version,
        values={
            "test_date": start + timedelta(days=7),
            "test_score": 30,
            "highest_education": "voortgezet",
            "education_work_notes": "Middelbare school afgerond; werkte als kok.",
            "personal_circumstances": "Woont met partner en twee kinderen.",
            "physical_health": "Geen bijzonderheden.",
            "mental_health": "Geen bijzonderheden.",
            "chosen_route": "B1",
            "route_deviation_reason": "Demo: de B1-route past bij opleiding en werkervaring.",
        },
    )
    intake_services.add_intake_item(
        caseworker, intake, Education, name="Middelbare school", country="Syrië", years=6
    )
    intake.refresh_from_db()
    intake_services.complete_intake(
        caseworker, intake, expected_version=intake.version, on=dagtekening - timedelta(days=7)
    )
    version = PipVersion.objects.get(pip__inburgeraar=case)
    school = LanguageSchool.objects.filter(is_active=True, certified=True).order_by("pk").first()
    if school is None:
        school = LanguageSchool.objects.create(name="Taalhuis Westfriesland", city="Hoorn")
    version = pip_services.save_draft(
        caseworker,
        version,
        expected_version=version.version,
        values={
            "language_school": school,
            "route_reason": "Demo: de B1-route past bij opleiding en werkervaring.",
            "unburdening": True,
            "unburdening_rent": True,
            "unburdening_energy": True,
            "unburdening_start": dagtekening - timedelta(days=140),
        },
    )
    version = pip_services.submit(caseworker, version)
    if adopt:
        pip_services.adopt(lead, version, dagtekening=dagtekening)


def _open_invitation(org, caseworker, today) -> int:
    """One case with a planned intake gets an open invitation whose response date is near
    (idempotent: a municipality whose demo already has an invitation gets no second one)."""
    if Invitation.objects.filter(intake__inburgeraar__municipality=org).exists():
        return 0
    intake = (
        Intake.objects.filter(
            inburgeraar__municipality=org,
            inburgeraar__caseworker=caseworker,
            state=IntakeState.GEPLAND,
        )
        .order_by("pk")
        .first()
    )
    if intake is None:
        return 0
    conversation = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0)
    intake_services.invite(
        caseworker,
        intake,
        conversation_at=conversation + timedelta(days=8),
        response_date=today + timedelta(days=5),
    )
    return 1
