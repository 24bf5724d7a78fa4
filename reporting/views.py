"""Stuurinformatie: the figures page and its export, for team leads and beheerders."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from common.exports import tabular_response

from . import caseload as workload
from . import selectors, services


def _figure_sets(request):
    if not selectors.may_see_figures(request.user):
        raise PermissionDenied
    return services.figure_sets(request.user)


@login_required
def figures(request):
    sets, counted_at = _figure_sets(request)
    return render(
        request,
        "reporting/figures.html",
        {
            "sets": sets,
            "counted_at": counted_at,
            "refresh_minutes": settings.FIGURES_REFRESH_MINUTES,
            "pip_weeks": selectors.PIP_WEEKS,
        },
    )


@login_required
def figures_export(request):
    sets, _counted_at = _figure_sets(request)
    header = ["gebied", "onderdeel", "categorie", "waarde"]
    rows = []
    for name, data in sets:
        rows.append([name, "dossiers", "totaal", data["total"]])
        rows.extend([name, "fase", label, n] for label, n in data["stages"])
        rows.extend([name, "leerroute", label, n] for label, n in data["routes"])
        rows.append([name, "doorlooptijd", "PIP's vastgesteld", data["pips"]])
        rows.append(
            [
                name,
                "doorlooptijd",
                "mediaan dagen kennisgeving tot PIP",
                # A median can fall between two days: a decimal, 63,0 in the CSV.
                float(data["median_days"]) if data["median_days"] is not None else "",
            ]
        )
        rows.append(
            [
                name,
                "doorlooptijd",
                f"% binnen {selectors.PIP_WEEKS} weken",
                data["within_share"] if data["within_share"] is not None else "",
            ]
        )
        rows.append([name, "WerkSaam", "gedeelde dossiers", data["shares"]])
        rows.append([name, "termijnen", "verlopen", data["overdue"]])
        uv = data["uitvoering"]
        rows.append(
            [name, "uitvoering", "cursus gestart binnen 3 (6) maanden", uv["started_within"]]
        )
        rows.append([name, "uitvoering", "PIP's vastgesteld", uv["adopted"]])
        rows.append([name, "uitvoering", "uren aanwezig", uv["hours_present"]])
        rows.append([name, "uitvoering", "uren geoorloofd verzuim", uv["hours_excused"]])
        rows.append([name, "uitvoering", "uren ongeoorloofd verzuim", uv["hours_unexcused"]])
        rows.append([name, "uitvoering", "voldaan binnen de termijn", uv["voldaan_on_time"]])
        rows.extend(
            [name, "examens", f"{row['route']} {row['onderdeel']} {result}", row[result]]
            for row in uv["exams"]
            for result in ("behaald", "niet_behaald")
        )
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    stamp = timezone.localdate().strftime("%Y%m%d")
    return tabular_response(
        header, rows, fmt, f"stuurinformatie-{stamp}", "Stuurinformatie", "Stuurinformatie"
    )


@login_required
def caseload(request):
    """Werkverdeling for team leads: who carries what, and the cases nobody has yet."""
    if not selectors.may_see_figures(request.user):
        raise PermissionDenied
    municipalities = list(selectors.figure_municipalities(request.user))
    return render(
        request,
        "reporting/caseload.html",
        {
            "loads": workload.caseload(request.user, municipalities=municipalities),
            "municipalities": municipalities,
        },
    )
