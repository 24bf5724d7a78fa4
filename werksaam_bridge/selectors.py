"""Reads of the WerkSaam bridge. Every queryset of cases starts at `visible_to(user)`."""

from collections import Counter
from datetime import timedelta

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.collation import by_name
from cases.models import Inburgeraar
from cases.selectors import matching
from common.figures import labelled
from deadlines.models import Deadline
from intake.rules import Route
from municipalities.models import Organisation
from pip_plans.selectors import latest_route_subquery

from .models import Activity, Benefit, MapProgress, MapStatus, Share, Unburdening

ENDING_SOON = timedelta(weeks=4)

UNBURDENING_STATES = [
    ("geen", _("Geen ontzorgen")),
    ("actief", _("Actief")),
    ("eindigt", _("Eindigt binnen 4 weken")),
    ("beeindigd", _("Beëindigd")),
]


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


def full_bsn_basis(user, case) -> str:
    """WerkSaam needs the full BSN only where it runs the Participatiewet benefit (Suwinet, the
    benefit administration): a share on that basis, active now. On consent alone it stays
    masked. Returns the basis for the audit trail, or ""."""
    from .services import is_werksaam_staff

    if not is_werksaam_staff(user):
        return ""
    on_benefit = Share.objects.active().filter(inburgeraar_id=case.pk, basis=Share.Basis.BENEFIT)
    return "grondslag Participatiewet-uitkering" if on_benefit.exists() else ""


def shared_cases_for(user, *, today=None):
    """The cases shared with WerkSaam that the user may see (through the one door)."""
    return Inburgeraar.objects.visible_to(user).filter(
        pk__in=Share.objects.active(today).values("inburgeraar_id")
    )


def dashboard_cases(
    user, *, q="", municipality=None, route="", ontzorgen="", map_status="", open_deadlines=""
):
    cases = annotate_werksaam(shared_cases_for(user)).select_related("municipality")
    if q:
        cases = matching(cases, q)
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
    return cases.order_by(by_name("surname"), by_name("first_names"), "id")


def dashboard_figures(cases) -> dict:
    """The dashboard's counts per municipality, route, ontzorgen and MAP status from one GROUP BY
    over the four together, added up here: each count was its own pass over the shared cases
    through the access filter (a scan of every case with its subqueries, five times per page)."""
    municipalities = dict(
        Organisation.objects.filter(kind=Organisation.Kind.GEMEENTE)
        .order_by("name")
        .values_list("name", "name")
    )
    dimensions = ("municipality__name", "route", "unburdening_status", "map_status")
    totals = {dimension: Counter() for dimension in dimensions}
    for *values, n in cases.order_by().values_list(*dimensions).annotate(n=Count("pk")).order_by():
        for dimension, value in zip(dimensions, values, strict=True):
            totals[dimension][value] += n
    return {
        "total": sum(totals["route"].values()),
        "by_municipality": labelled(totals["municipality__name"], municipalities),
        "by_route": labelled(totals["route"], {**dict(Route.CHOICES), "geen": _("Nog geen PIP")}),
        "by_unburdening": labelled(totals["unburdening_status"], dict(UNBURDENING_STATES)),
        "by_map": labelled(totals["map_status"], dict(MapStatus.choices)),
    }


def records_of(user, case):
    """WerkSaam's records on a case, for WerkSaam and for the municipality's caseworker."""
    return {
        "benefits": list(Benefit.objects.visible_to(user).filter(inburgeraar=case)),
        "unburdenings": list(Unburdening.objects.visible_to(user).filter(inburgeraar=case)),
        "map_progress": list(MapProgress.objects.visible_to(user).filter(inburgeraar=case)),
        "activities": list(Activity.objects.visible_to(user).filter(inburgeraar=case)),
    }
