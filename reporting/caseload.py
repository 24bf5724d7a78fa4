"""Werkverdeling: per klantmanager of the team lead's municipalities, what is on their plate.

Open cases, intakes in progress, PIPs in preparation (concept or ter vaststelling) and overdue
deadlines, each counted with one grouped query over the cases the user may see in the
municipalities they lead; a row for the cases that have no klantmanager yet. The feature apps
are read here, never from `cases` (dependencies run one way).
"""

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from cases.models import CaseStatus, Inburgeraar
from cases.selectors import assignable_caseworkers
from deadlines.models import Deadline
from intake.models import Intake, IntakeState
from pip_plans.models import PipStatus, PipVersion

from .selectors import figure_municipalities

OPEN_INTAKE_STATES = (IntakeState.GEPLAND, IntakeState.IN_UITVOERING)
PREPARING_PIP = (PipStatus.CONCEPT, PipStatus.TER_VASTSTELLING)
CLOSED = (CaseStatus.AFGEROND, CaseStatus.BEEINDIGD)


@dataclass
class Load:
    caseworker: object  # a User, or None for the unassigned row
    open_cases: int = 0
    intakes: int = 0
    pips: int = 0
    overdue: int = 0
    municipalities: list = field(default_factory=list)


def _grouped(queryset, path: str) -> dict:
    return {row[path]: row["n"] for row in queryset.order_by().values(path).annotate(n=Count("pk"))}


def caseload(user, *, today=None) -> list[Load]:
    today = today or timezone.localdate()
    municipalities = figure_municipalities(user)
    cases = Inburgeraar.objects.visible_to(user).filter(municipality__in=municipalities)
    open_cases = cases.exclude(status__in=CLOSED)
    case_ids = cases.order_by().values("pk")
    by_case = _grouped(open_cases, "caseworker")
    by_intake = _grouped(
        Intake.objects.filter(inburgeraar__in=case_ids, state__in=OPEN_INTAKE_STATES),
        "inburgeraar__caseworker",
    )
    by_pip = _grouped(
        PipVersion.objects.filter(pip__inburgeraar__in=case_ids, status__in=PREPARING_PIP),
        "pip__inburgeraar__caseworker",
    )
    by_overdue = _grouped(
        Deadline.objects.active().filter(inburgeraar__in=case_ids, due_date__lt=today),
        "inburgeraar__caseworker",
    )
    rows = []
    for person in assignable_caseworkers(municipalities.values("pk")):
        rows.append(
            Load(
                person,
                open_cases=by_case.get(person.pk, 0),
                intakes=by_intake.get(person.pk, 0),
                pips=by_pip.get(person.pk, 0),
                overdue=by_overdue.get(person.pk, 0),
            )
        )
    rows.sort(key=lambda load: (-load.overdue, -load.open_cases, str(load.caseworker)))
    rows.append(
        Load(
            None,
            open_cases=by_case.get(None, 0),
            intakes=by_intake.get(None, 0),
            pips=by_pip.get(None, 0),
            overdue=by_overdue.get(None, 0),
        )
    )
    return rows
