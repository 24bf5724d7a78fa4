"""Stuurinformatie: figures per municipality for its team leads and beheerders, and for the region.

The figures of a municipality are counts over all of its cases: the people who may see them (its
team leads and beheerders, `figure_municipalities`) hold a case role there and so read every one
of those cases through `visible_to`. The region's aggregate is counts and a median over all cases
of the region, never a row, a name or an id (`region_figures`).

Counting 100,000 cases takes seconds, so the page reads stored figures (`FigureSnapshot`,
refreshed by Celery beat every few minutes, `services.refresh_figures`); `figures_data` computes
them, `present` labels them in the reader's language.
"""

import statistics
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Case, Count, DateField, Exists, F, FilteredRelation, OuterRef, Q, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import POSTPONING_LEERPLICHT, CaseStatus, Inburgeraar
from common.date_sql import AddDays, DaysBetween, latest_of
from common.figures import labelled
from deadlines.models import Deadline
from intake import rules as intake_rules
from intake.models import IntakeState
from intake.rules import Route
from municipalities.models import Membership, Organisation, Role
from pip_plans.models import Pip, PipStatus, PipVersion
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


def shows_figures(request) -> bool:
    """`may_see_figures(request.user)` from the request's memberships (the menu asks it on
    every page; read once per request). The same rule: FIGURE_ROLES in a municipality."""
    from municipalities.selectors import request_holds

    return request_holds(request, FIGURE_ROLES, kind=Organisation.Kind.GEMEENTE)


def figures_data(cases, *, today) -> dict:
    """The figures over `cases` as plain data (codes, numbers, strings): what a snapshot
    stores. `present` labels them."""
    ids = cases.order_by().values("pk")
    stages = dict(cases.order_by().values_list("status").annotate(n=Count("pk")))
    lead_times = Pip.objects.filter(
        inburgeraar__in=ids,
        dagtekening_initiele_pip__isnull=False,
        inburgeraar__datum_kennisgeving__isnull=False,
    ).annotate(days=DaysBetween("dagtekening_initiele_pip", "inburgeraar__datum_kennisgeving"))
    pips = lead_times.count()
    within, counted = _pip_within_deadline(cases, today=today)
    figures = {
        "total": cases.order_by().count(),
        "stages": stages,
        "pips": pips,
        "median_days": _as_number(_median(lead_times, "days", pips)),
        "within_share": round(100 * within / counted) if counted else None,
        "routes": _latest_routes(ids),
        "shares": Share.objects.active(today)
        .filter(inburgeraar__in=ids)
        .values("inburgeraar")
        .distinct()
        .count(),
        "overdue": Deadline.objects.active()
        .filter(
            inburgeraar__in=ids,
            due_date__lt=today,
            waiting_since__isnull=True,  # waiting for third-party information is not overdue
        )
        .count(),
        "uitvoering": uitvoering_selectors.figures(cases),
    }
    return figures


def _as_number(value):
    """A median as JSON keeps it: an int, or a float for a day and a half (63.5)."""
    if value is None or isinstance(value, int):
        return value
    return int(value) if value == int(value) else float(value)


HOURS = ("hours_present", "hours_excused", "hours_unexcused")


def present(data: dict) -> dict:
    """Stored figures as the page and the export show them: categories labelled in the reader's
    language, in their fixed order with zeros; hours as decimals again."""
    uitvoering = dict(data["uitvoering"])
    for key in HOURS:
        uitvoering[key] = Decimal(str(uitvoering[key]))
    uitvoering["exams"] = uitvoering_selectors.labelled_exams(uitvoering["exams"])
    return {
        **data,
        "stages": labelled(data["stages"], dict(CaseStatus.choices)),
        "routes": labelled(data["routes"], {**dict(Route.CHOICES), "geen": _("Nog geen PIP")}),
        "uitvoering": uitvoering,
    }


def _median(queryset, field: str, count: int):
    """The median of `field` over `count` rows, sorted by the database: only the middle one or
    two values come to Python (statistics.median of them: a day and a half is 63.5)."""
    if not count:
        return None
    middle = queryset.order_by(field).values_list(field, flat=True)[
        (count - 1) // 2 : count // 2 + 1
    ]
    return statistics.median(list(middle))


def _latest_routes(ids) -> dict[str, int]:
    """Cases per route of their latest adopted PIP version, "Nog geen PIP" for the rest: one
    GROUP BY over the adopted versions that no later adopted version follows (an anti-join), not
    a subquery per case."""
    adopted = PipVersion.objects.filter(status=PipStatus.VASTGESTELD)
    latest = (
        adopted.filter(pip__inburgeraar__in=ids)
        .exclude(Exists(adopted.filter(pip=OuterRef("pip"), number__gt=OuterRef("number"))))
        .order_by()
        .values_list("route")
        .annotate(n=Count("pip_id"))
    )
    found = dict(latest)
    found["geen"] = Inburgeraar.objects.filter(pk__in=ids).count() - sum(found.values())
    return found


def pip_deadline_expression():
    """intake.rules.pip_deadline as a query expression on a case (the same rule, per row in the
    database): the latest of kennisgeving, BRP registration and a postponed duty start, plus
    PIP_DEADLINE_WEEKS; when third-party information arrived, never before two weeks after it.
    Needs `third_party_received` aliased on the cases (`_with_pip_deadline`);
    tests/test_scale_queries.py compares it with the rule case by case."""
    weeks = intake_rules.PIP_DEADLINE_WEEKS * 7
    extension = intake_rules.THIRD_PARTY_EXTENSION_WEEKS * 7
    starts = [F("datum_kennisgeving"), F("datum_inschrijving_brp")]
    if settings.DUTY_POSTPONED_WHILE_LEERPLICHTIG:
        starts.append(
            Case(
                When(
                    leerplicht__in=POSTPONING_LEERPLICHT,
                    leerplicht_end__isnull=False,
                    then=AddDays(F("leerplicht_end"), 1),
                ),
                default=None,
                output_field=DateField(),
            )
        )
    ten_weeks = AddDays(latest_of(*starts), weeks)
    after_information = AddDays(F("third_party_received"), extension)
    return Case(
        # No kennisgeving and no BRP date: no 10 weeks to count (a duty start alone is not one).
        When(datum_kennisgeving__isnull=True, datum_inschrijving_brp__isnull=True, then=None),
        default=latest_of(ten_weeks, after_information),
        output_field=DateField(),
    )


def _with_pip_deadline(cases):
    """The cases with their PIP deadline: the open intake (one per case at most, a unique
    constraint) and the PIP joined, not a subquery per case."""
    return (
        cases.alias(
            open_intake=FilteredRelation(
                "intakes", condition=~Q(intakes__state=IntakeState.GEANNULEERD)
            )
        )
        .annotate(
            third_party_requested=F("open_intake__third_party_info_requested"),
            third_party_received=F("open_intake__third_party_info_received"),
        )
        .annotate(
            pip_deadline=pip_deadline_expression(), first_pip=F("pip__dagtekening_initiele_pip")
        )
    )


def _pip_within_deadline(cases, *, today) -> tuple[int, int]:
    """ "PIP binnen 10 weken": (PIPs adopted by their legal deadline, cases counted). Counted is
    every case that has a PIP or whose deadline has run out without one; a case that is still
    within its 10 weeks, or waiting for third-party information, is not (yet) counted. The
    deadline is intake.rules.pip_deadline, the same rule as the case's own PIP deadline, here
    computed by the database (`pip_deadline_expression`): one aggregate, not every case in
    Python."""
    waiting = Q(third_party_requested__isnull=False, third_party_received__isnull=True)
    result = _with_pip_deadline(cases.order_by()).aggregate(
        within=Count("pk", filter=Q(first_pip__isnull=False, first_pip__lte=F("pip_deadline"))),
        counted=Count(
            "pk",
            filter=Q(pip_deadline__isnull=False)
            & (Q(first_pip__isnull=False) | (Q(pip_deadline__lt=today) & ~waiting)),
        ),
    )
    return result["within"], result["counted"]


def municipality_figures(user, municipality, *, today=None) -> dict:
    """The municipality's figures as the user sees them, counted now."""
    today = today or timezone.localdate()
    cases = Inburgeraar.objects.visible_to(user).filter(municipality=municipality)
    return present(figures_data(cases, today=today))


def region_figures(*, today=None) -> dict:
    """Aggregates over the whole region for team leads: counts only, never personal data."""
    today = today or timezone.localdate()
    return present(figures_data(scope_cases(None), today=today))


def scope_cases(municipality=None):
    """The cases a snapshot counts: all of a municipality's (its team leads and beheerders, the
    only readers of its figures, hold a case role there and so see every one), or the region's."""
    cases = Inburgeraar.objects.all()
    return cases if municipality is None else cases.filter(municipality=municipality)


REGION = "regio"


def snapshot_scope(municipality=None) -> str:
    """The key of a snapshot: "regio", or "gemeente-<id>"."""
    return REGION if municipality is None else f"gemeente-{municipality.pk}"


def fresh_snapshots(scopes, *, now=None) -> dict:
    """{scope: FigureSnapshot} of the stored figures of today that are at most
    FIGURES_MAX_AGE_MINUTES old; a scope without one is missing."""
    from .models import FigureSnapshot

    now = now or timezone.now()
    oldest = now - timedelta(minutes=settings.FIGURES_MAX_AGE_MINUTES)
    rows = FigureSnapshot.objects.filter(
        scope__in=scopes, computed_on=timezone.localdate(now), computed_at__gte=oldest
    )
    return {row.scope: row for row in rows}
