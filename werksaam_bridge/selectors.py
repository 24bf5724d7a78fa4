"""Reads of the WerkSaam bridge. Every queryset of cases starts at `visible_to(user)`."""

from collections import Counter
from datetime import timedelta

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.access import InArray
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


def werksaam_annotations(*, today=None) -> dict:
    """Route (latest adopted PIP version), ontzorgen status and planned end, MAP status and
    bijstand start, by name: subqueries, so the number of queries does not grow with the number
    of cases.

    Where a case has a record is asked first (an EXISTS PostgreSQL answers from one hash of the
    record table per query); the latest record is looked up only for the cases that have one:
    a lookup with a sort for each of 20,000 shared cases was most of the dashboard's figures
    and of the exports."""
    today = today or timezone.localdate()
    current_unburdening = Unburdening.objects.filter(
        inburgeraar=OuterRef("pk"), ended_on__isnull=True, planned_end__gte=today
    )
    map_progress = MapProgress.objects.filter(inburgeraar=OuterRef("pk"))
    current_benefit = Benefit.objects.filter(inburgeraar=OuterRef("pk")).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )
    return {
        "route": Coalesce(latest_route_subquery(), Value("geen"), output_field=CharField()),
        "unburdening_status": Case(
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
        "unburdening_end": Case(
            When(
                Exists(current_unburdening),
                then=Subquery(
                    current_unburdening.order_by("-planned_end").values("planned_end")[:1]
                ),
            ),
            default=None,
            output_field=DateField(),
        ),
        "map_status": Case(
            When(
                Exists(map_progress),
                then=Subquery(map_progress.order_by("-created_at", "-id").values("status")[:1]),
            ),
            default=Value(MapStatus.NIET_GESTART),
            output_field=CharField(),
        ),
        "benefit_start": Case(
            When(
                Exists(current_benefit),
                then=Subquery(current_benefit.order_by("-start_date").values("start_date")[:1]),
            ),
            default=None,
            output_field=DateField(),
        ),
    }


def annotate_werksaam(cases, *, today=None, only=None):
    """`cases` with the annotations of `werksaam_annotations` (those named in `only`), leaving
    out those the queryset has already."""
    if only is not None and all(name in cases.query.annotations for name in only):
        # Nothing to add (the dashboard without filters asks for none): building the ten
        # subquery expressions was Python work for nothing, twice per page.
        return cases
    annotations = werksaam_annotations(today=today)
    return cases.annotate(
        **{
            name: expression
            for name, expression in annotations.items()
            if (only is None or name in only) and name not in cases.query.annotations
        }
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


def shared_cases_for(user, *, today=None, by_share_ids=False):
    """The cases shared with WerkSaam that the user may see (through the one door).

    `by_share_ids` (PostgreSQL; for a pass over all of them, the figures): the cases are read
    by the active shares' ids, one pkey probe per share. As a semi-join (`pk IN (shares)`) the
    planner read all 100,000 cases of the country and checked the access filter on each to keep
    the 20,000 shared. Not for the name-ordered list: it walks the name index and stops after a
    page, where the probes would read all 20,000 and sort them."""
    shared = Share.objects.active(today).values("inburgeraar_id")
    cases = Inburgeraar.objects.visible_to(user)
    if by_share_ids and connection.vendor == "postgresql":
        return cases.filter(InArray(F("pk"), shared))
    return cases.filter(pk__in=shared)


def dashboard_cases(
    user,
    *,
    q="",
    municipality=None,
    route="",
    ontzorgen="",
    map_status="",
    open_deadlines="",
    by_share_ids=False,
):
    """The shared cases the user may see, filtered and in name order, annotated only with what
    the filters ask for: the list page adds the rest to the rows it shows
    (`PeekPage(row_annotations=werksaam_annotations())`), the figures the three they count,
    the export all of them (`annotate_werksaam`). `by_share_ids`: see `shared_cases_for`."""
    filtered = {"route": route, "unburdening_status": ontzorgen, "map_status": map_status}
    cases = annotate_werksaam(
        shared_cases_for(user, by_share_ids=by_share_ids),
        only=[name for name, value in filtered.items() if value],
    ).select_related("municipality")
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
    organisations = list(Organisation.objects.order_by("name").values_list("pk", "name", "kind"))
    names = {pk: name for pk, name, _kind in organisations}
    municipalities = {
        name: name for _pk, name, kind in organisations if kind == Organisation.Kind.GEMEENTE
    }
    # Grouped by the municipality's id, named here: a join to the organisations for each of the
    # 20,000 rows before the GROUP BY otherwise.
    dimensions = ("municipality_id", "route", "unburdening_status", "map_status")
    cases = annotate_werksaam(cases, only=dimensions)
    totals = {dimension: Counter() for dimension in dimensions}
    rows = cases.order_by().values_list(*dimensions).annotate(n=Count("pk")).order_by()
    for *values, n in rows:
        for dimension, value in zip(dimensions, values, strict=True):
            totals[dimension][value] += n
    per_municipality = Counter()
    for pk, n in totals["municipality_id"].items():
        per_municipality[names.get(pk, pk)] += n
    return {
        "total": sum(totals["route"].values()),
        "by_municipality": labelled(per_municipality, municipalities),
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
