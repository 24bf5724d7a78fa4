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

from cases.models import CaseStatus, Inburgeraar
from common.figures import counts
from deadlines.models import Deadline
from intake.rules import PIP_DEADLINE_WEEKS as PIP_WEEKS
from intake.rules import Route
from municipalities.models import Membership, Organisation, Role
from pip_plans.models import Pip
from pip_plans.selectors import latest_route_subquery
from werksaam_bridge.models import Share

FIGURE_ROLES = (Role.TEAMLEIDER, Role.BEHEERDER)


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
    within = sum(1 for days in lead_times if days <= PIP_WEEKS * 7)
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
        "within_share": round(100 * within / len(lead_times)) if lead_times else None,
        "routes": routes,
        "shares": Share.objects.active(today)
        .filter(inburgeraar__in=cases.order_by().values("pk"))
        .values("inburgeraar")
        .distinct()
        .count(),
        "overdue": Deadline.objects.active()
        .filter(inburgeraar__in=cases.order_by().values("pk"), due_date__lt=today)
        .count(),
    }
    return figures


def municipality_figures(user, municipality, *, today=None) -> dict:
    today = today or timezone.localdate()
    cases = Inburgeraar.objects.visible_to(user).filter(municipality=municipality)
    return _figures(cases, today=today)


def region_figures(*, today=None) -> dict:
    """Aggregates over the whole region for team leads: counts only, never personal data."""
    today = today or timezone.localdate()
    return _figures(Inburgeraar.objects.all(), today=today)
