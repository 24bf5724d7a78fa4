"""Reads of the WerkSaam bridge. Every queryset of cases starts at `visible_to(user)`.

The one exception is the region's aggregate in the management figures: counts and a median over
all cases of the region, never a row, a name or an id (`region_figures`).
"""

import statistics
from datetime import timedelta

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deadlines.models import Deadline
from intake.models import CaseStatus, Inburgeraar
from intake.rules import Route
from municipalities.models import Membership, Organisation, Role

from .models import Activity, Benefit, MapProgress, MapStatus, Share, Unburdening

ENDING_SOON = timedelta(weeks=4)
PIP_WEEKS = 10

UNBURDENING_STATES = [
    ("geen", _("Geen ontzorgen")),
    ("actief", _("Actief")),
    ("eindigt", _("Eindigt binnen 4 weken")),
    ("beeindigd", _("Beëindigd")),
]

FIGURE_ROLES = (Role.TEAMLEIDER, Role.BEHEERDER)


def latest_route_subquery(path: str = "pk"):
    from pip_plans.models import PipStatus, PipVersion

    return Subquery(
        PipVersion.objects.filter(pip__inburgeraar=OuterRef(path), status=PipStatus.VASTGESTELD)
        .order_by("-number")
        .values("route")[:1]
    )


def annotate_werksaam(cases, *, today=None):
    """Route (latest adopted PIP version), ontzorgen status, MAP status and bijstand start:
    subqueries, so the number of queries does not grow with the number of cases."""
    today = today or timezone.localdate()
    current_unburdening = Unburdening.objects.filter(
        inburgeraar=OuterRef("pk"), ended_on__isnull=True, planned_end__gte=today
    )
    return cases.annotate(
        route=Coalesce(latest_route_subquery(), Value("geen"), output_field=CharField()),
        unburdening_status=Case(
            When(
                Exists(current_unburdening.filter(planned_end__lte=today + ENDING_SOON)),
                then=Value("eindigt"),
            ),
            When(Exists(current_unburdening), then=Value("actief")),
            When(
                Exists(Unburdening.objects.filter(inburgeraar=OuterRef("pk"))),
                then=Value("beeindigd"),
            ),
            default=Value("geen"),
            output_field=CharField(),
        ),
        unburdening_end=Subquery(
            current_unburdening.order_by("-planned_end").values("planned_end")[:1]
        ),
        map_status=Coalesce(
            Subquery(
                MapProgress.objects.filter(inburgeraar=OuterRef("pk"))
                .order_by("-created_at", "-id")
                .values("status")[:1]
            ),
            Value(MapStatus.NIET_GESTART),
            output_field=CharField(),
        ),
        benefit_start=Subquery(
            Benefit.objects.filter(inburgeraar=OuterRef("pk"))
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
            .order_by("-start_date")
            .values("start_date")[:1]
        ),
    )


def shared_cases_for(user, *, today=None):
    """The cases shared with WerkSaam that the user may see (through the one door)."""
    return Inburgeraar.objects.visible_to(user).filter(
        pk__in=Share.objects.active(today).values("inburgeraar_id")
    )


def dashboard_cases(
    user, *, municipality=None, route="", ontzorgen="", map_status="", open_deadlines=""
):
    cases = annotate_werksaam(shared_cases_for(user)).select_related("municipality")
    if municipality:
        cases = cases.filter(municipality=municipality)
    if route:
        cases = cases.filter(route=route)
    if ontzorgen:
        cases = cases.filter(unburdening_status=ontzorgen)
    if map_status:
        cases = cases.filter(map_status=map_status)
    if open_deadlines in ("ja", "nee"):
        open_ = Deadline.objects.active().filter(inburgeraar=OuterRef("pk"))
        cases = (
            cases.filter(Exists(open_)) if open_deadlines == "ja" else cases.exclude(Exists(open_))
        )
    return cases.order_by("surname", "first_names", "id")


def counts(cases, field: str, labels: dict) -> list[tuple[str, int]]:
    """[(label, count)] for each value of `field`, in the order of `labels`, zeros included."""
    found = dict(cases.order_by().values_list(field).annotate(n=Count("pk")))
    rows = [(str(label), found.pop(value, 0)) for value, label in labels.items()]
    rows.extend((str(value), n) for value, n in found.items())
    return rows


def dashboard_figures(cases) -> dict:
    municipalities = dict(
        Organisation.objects.filter(kind=Organisation.Kind.GEMEENTE)
        .order_by("name")
        .values_list("name", "name")
    )
    return {
        "total": cases.order_by().count(),
        "by_municipality": counts(cases, "municipality__name", municipalities),
        "by_route": counts(cases, "route", {**dict(Route.CHOICES), "geen": _("Nog geen PIP")}),
        "by_unburdening": counts(cases, "unburdening_status", dict(UNBURDENING_STATES)),
        "by_map": counts(cases, "map_status", dict(MapStatus.choices)),
    }


def records_of(user, case):
    """WerkSaam's records on a case, for WerkSaam and for the municipality's caseworker."""
    return {
        "benefits": list(Benefit.objects.visible_to(user).filter(inburgeraar=case)),
        "unburdenings": list(Unburdening.objects.visible_to(user).filter(inburgeraar=case)),
        "map_progress": list(MapProgress.objects.visible_to(user).filter(inburgeraar=case)),
        "activities": list(Activity.objects.visible_to(user).filter(inburgeraar=case)),
    }


# --- management figures (Stuurinformatie) --------------------------------------------------------


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
    from pip_plans.models import Pip

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
    }
    return figures


def _pip_within_deadline(cases, *, today) -> tuple[int, int]:
    """ "PIP binnen 10 weken": (PIPs adopted by their legal deadline, cases counted). Counted is
    every case that has a PIP or whose deadline has run out without one; a case that is still
    within its 10 weeks, or waiting for third-party information, is not (yet) counted. The
    deadline is pip_plans.rules.pip_deadline, the same rule as the case's own PIP deadline."""
    from intake.models import Intake, IntakeState
    from pip_plans import rules as pip_rules

    ids = cases.order_by().values("pk")
    third_party = {
        case_id: (requested, received)
        for case_id, requested, received in Intake.objects.filter(inburgeraar__in=ids)
        .exclude(state=IntakeState.GEANNULEERD)
        .values_list("inburgeraar_id", "third_party_info_requested", "third_party_info_received")
    }
    within = counted = 0
    for case_id, kennisgeving, brp, first_pip in cases.order_by().values_list(
        "pk", "datum_kennisgeving", "datum_inschrijving_brp", "pip__dagtekening_initiele_pip"
    ):
        requested, received = third_party.get(case_id, (None, None))
        deadline = pip_rules.pip_deadline(
            kennisgeving=kennisgeving, brp=brp, third_party_received=received
        )
        if deadline is None:
            continue  # no kennisgeving or BRP date: no 10 weeks to count
        if first_pip is not None:
            counted += 1
            within += first_pip <= deadline
        elif deadline < today and not pip_rules.third_party_waiting_since(requested, received):
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
