"""Stuurinformatie: figures per municipality for its team leads and beheerders, and for the region.

Per municipality the cases go through `visible_to(user)`. The one exception is the region's
aggregate: counts and a median over all cases of the region, never a row, a name or an id
(`region_figures`).
"""

import statistics

from django.db.models import CharField, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import CaseStatus, Inburgeraar, postponed_duty_start
from common.figures import counts
from deadlines.models import Deadline
from intake import rules as intake_rules
from intake.models import Intake, IntakeState
from intake.rules import Route
from municipalities.models import Membership, Organisation, Role
from pip_plans.models import Pip
from pip_plans.selectors import latest_route_subquery
from uitvoering import selectors as uitvoering_selectors
from werksaam_bridge.models import Share

FIGURE_ROLES = (Role.TEAMLEIDER, Role.BEHEERDER)
PIP_WEEKS = intake_rules.PIP_DEADLINE_WEEKS


def figure_municipalities(user):
    """The municipalities in which the user is team lead or beheerder."""
    return Organisation.objects.filter(
        kind=Organisation.Kind.GEMEENTE,
        pk__in=Membership.objects.active()
        .filter(user=user, role__in=FIGURE_ROLES)
        .values("organisation_id"),
    ).order_by("name")


def may_see_figures(user) -> bool:
    return user.is_authenticated and figure_municipalities(user).exists()


def _figures(cases, *, today) -> dict:
    stages = counts(cases, "status", dict(CaseStatus.choices))
    lead_times = [
        (adopted - notified).days
        for notified, adopted in Pip.objects.filter(
            inburgeraar__in=cases.order_by().values("pk"),
            dagtekening_initiele_pip__isnull=False,
            inburgeraar__datum_kennisgeving__isnull=False,
        ).values_list("inburgeraar__datum_kennisgeving", "dagtekening_initiele_pip")
    ]
    within, counted = _pip_within_deadline(cases, today=today)
    routes = counts(
        cases.annotate(
            route=Coalesce(latest_route_subquery(), Value("geen"), output_field=CharField())
        ),
        "route",
        {**dict(Route.CHOICES), "geen": _("Nog geen PIP")},
    )
    figures = {
        "total": cases.order_by().count(),
        "stages": stages,
        "pips": len(lead_times),
        "median_days": statistics.median(lead_times) if lead_times else None,
        "within_share": round(100 * within / counted) if counted else None,
        "routes": routes,
        "shares": Share.objects.active(today)
        .filter(inburgeraar__in=cases.order_by().values("pk"))
        .values("inburgeraar")
        .distinct()
        .count(),
        "overdue": Deadline.objects.active()
        .filter(
            inburgeraar__in=cases.order_by().values("pk"),
            due_date__lt=today,
            waiting_since__isnull=True,  # waiting for third-party information is not overdue
        )
        .count(),
        "uitvoering": uitvoering_selectors.figures(cases),
    }
    return figures


def _pip_within_deadline(cases, *, today) -> tuple[int, int]:
    """ "PIP binnen 10 weken": (PIPs adopted by their legal deadline, cases counted). Counted is
    every case that has a PIP or whose deadline has run out without one; a case that is still
    within its 10 weeks, or waiting for third-party information, is not (yet) counted. The
    deadline is intake.rules.pip_deadline, the same rule as the case's own PIP deadline."""
    ids = cases.order_by().values("pk")
    third_party = {
        case_id: (requested, received)
        for case_id, requested, received in Intake.objects.filter(inburgeraar__in=ids)
        .exclude(state=IntakeState.GEANNULEERD)
        .values_list("inburgeraar_id", "third_party_info_requested", "third_party_info_received")
    }
    within = counted = 0
    for (
        case_id,
        kennisgeving,
        brp,
        first_pip,
        leerplicht,
        leerplicht_end,
    ) in cases.order_by().values_list(
        "pk",
        "datum_kennisgeving",
        "datum_inschrijving_brp",
        "pip__dagtekening_initiele_pip",
        "leerplicht",
        "leerplicht_end",
    ):
        requested, received = third_party.get(case_id, (None, None))
        deadline = intake_rules.pip_deadline(
            kennisgeving=kennisgeving,
            brp=brp,
            third_party_received=received,
            duty_start=postponed_duty_start(leerplicht, leerplicht_end),
        )
        if deadline is None:
            continue  # no kennisgeving or BRP date: no 10 weeks to count
        if first_pip is not None:
            counted += 1
            within += first_pip <= deadline
        elif deadline < today and not intake_rules.third_party_waiting_since(requested, received):
            counted += 1
    return within, counted


def municipality_figures(user, municipality, *, today=None) -> dict:
    today = today or timezone.localdate()
    cases = Inburgeraar.objects.visible_to(user).filter(municipality=municipality)
    return _figures(cases, today=today)


def region_figures(*, today=None) -> dict:
    """Aggregates over the whole region for team leads: counts only, never personal data."""
    today = today or timezone.localdate()
    return _figures(Inburgeraar.objects.all(), today=today)
