"""Werkverdeling: per klantmanager of the team lead's municipalities, what is on their plate.

Open cases, intakes in progress, PIPs in preparation (concept or ter vaststelling) and overdue
deadlines, each counted with one grouped query over the cases the user may see in the
municipalities they lead; a row for the cases that have no klantmanager yet. The feature apps
are read here, never from `cases` (dependencies run one way).

Each count joins its rows to their case and filters that case through the access filter and
the municipalities as a literal list, never `IN (the visible cases' ids)`: that semi-join made
PostgreSQL build the 30,000 visible ids of Hoorn at 100,000 cases and probe the related table
once per case (the overdue deadlines: 30,030 index probes, 190-300 ms). The overdue deadlines
are read by their own municipality (deadline_active_by_due; the recompute keeps a case's
deadlines in its municipality): 36 ms.
"""

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from cases.access import case_access_q
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


def caseload(user, *, today=None, municipalities=None) -> list[Load]:
    """`municipalities`: figure_municipalities(user), when the caller has them already."""
    today = today or timezone.localdate()
    if municipalities is None:
        municipalities = figure_municipalities(user)
    ids = [municipality.pk for municipality in municipalities]
    cases = Inburgeraar.objects.visible_to(user).filter(municipality_id__in=ids)
    by_case = _grouped(cases.exclude(status__in=CLOSED), "caseworker")
    by_intake = _grouped(
        Intake.objects.visible_to(user).filter(
            inburgeraar__municipality_id__in=ids, state__in=OPEN_INTAKE_STATES
        ),
        "inburgeraar__caseworker",
    )
    by_pip = _grouped(
        PipVersion.objects.visible_to(user).filter(
            pip__inburgeraar__municipality_id__in=ids, status__in=PREPARING_PIP
        ),
        "pip__inburgeraar__caseworker",
    )
    # The case deadlines only (the CBS report has no klantmanager), through the cases' door.
    by_overdue = _grouped(
        Deadline.objects.active()
        .filter(case_access_q(user, path="inburgeraar"))
        .filter(
            municipality_id__in=ids,
            inburgeraar__municipality_id__in=ids,
            due_date__lt=today,
            waiting_since__isnull=True,  # waiting for third-party information is not overdue
        ),
        "inburgeraar__caseworker",
    )
    rows = []
    for person in assignable_caseworkers(ids):
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
