"""Pages of the WerkSaam bridge.

The municipality's side: the shares of a case (a page under the dossier, for those who may change
the case). WerkSaam's side: the dashboard over the shared cases, a shared case with WerkSaam's
records, and the exports. Team leads and beheerders: Stuurinformatie. Every read goes through
`visible_to`; a case outside the user's scope answers 404.
"""

import csv
import io
from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import AuditEntry
from audit.services import record, record_many
from intake import selectors as case_selectors
from intake.models import Inburgeraar
from intake.rules import Route
from intake.selectors import PeekPage

from . import forms, selectors, services
from .models import MapStatus, Share

PAGE_SIZE = 25


# --- the municipality's side: shares of a case -------------------------------------------------------


def _editable_case(request, pk):
    case = case_selectors.get_case(request.user, pk)
    if not case_selectors.can_edit(request.user, case):
        raise Http404
    return case


@login_required
def case_shares(request, pk):
    case = _editable_case(request, pk)
    services.expire_case_if_due(case.pk)
    form = forms.ShareForm(request.POST or None, initial={"start_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.start_share(request.user, case, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Het dossier is gedeeld met WerkSaam."))
            return redirect("werksaam_bridge:case-shares", pk=case.pk)
    shares = Share.objects.visible_to(request.user).filter(inburgeraar=case)
    context = {
        "case": case,
        "form": form,
        "shares": shares.select_related("created_by", "ended_by"),
        "end_form": forms.EndShareForm(),
        "today": timezone.localdate(),
        **selectors.records_of(request.user, case),
    }
    return render(
        request, "werksaam_bridge/case_shares.html", context, status=422 if form.errors else 200
    )


@login_required
@require_POST
def share_end(request, pk, share_pk):
    case = _editable_case(request, pk)
    share = get_object_or_404(Share.objects.visible_to(request.user), pk=share_pk, inburgeraar=case)
    form = forms.EndShareForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Geef een reden voor het beëindigen."))
    else:
        try:
            services.end_share(request.user, share, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Het delen met WerkSaam is beëindigd."))
    return redirect("werksaam_bridge:case-shares", pk=case.pk)


# --- WerkSaam's side ---------------------------------------------------------------------------------


def _werksaam_only(request):
    if not services.is_werksaam_staff(request.user):
        raise PermissionDenied
    services.expire_all_due()


def _dashboard_filters(request):
    form = forms.DashboardFilterForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    return form, filters


@login_required
def dashboard(request):
    _werksaam_only(request)
    form, filters = _dashboard_filters(request)
    cases = selectors.dashboard_cases(request.user, **filters)
    page = PeekPage(cases, request.GET.get("page"), PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "querystring": query.urlencode(),
        "figures": selectors.dashboard_figures(cases),
        "unburdening_labels": dict(selectors.UNBURDENING_STATES),
        "map_labels": dict(MapStatus.choices),
        "route_labels": {**dict(Route.CHOICES), "geen": _("Nog geen PIP")},
    }
    return render(request, "werksaam_bridge/dashboard.html", context)


EXPORT_HEADER = [
    "dossier",
    "naam",
    "bsn (gemaskeerd)",
    "gemeente",
    "fase",
    "leerroute",
    "bijstand vanaf",
    "ontzorgen",
    "ontzorgen gepland einde",
    "MAP",
]


def _export_rows(cases):
    unburdening = dict(selectors.UNBURDENING_STATES)
    maps = dict(MapStatus.choices)
    for case in cases:
        yield [
            case.pk,
            case.full_name,
            case.masked_bsn,
            case.municipality.name,
            case.get_status_display(),
            Route.LABELS.get(case.route, _("Nog geen PIP")),
            case.benefit_start or "",
            str(unburdening.get(case.unburdening_status, "")),
            case.unburdening_end or "",
            str(maps.get(case.map_status, "")),
        ]


@login_required
def dashboard_export(request, fmt):
    """The filtered shared cases as CSV or Excel: no special-category data, BSN masked. Each
    exported case is recorded in the audit trail."""
    _werksaam_only(request)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _form, filters = _dashboard_filters(request)
    cases = list(selectors.dashboard_cases(request.user, **filters))
    reason = _("Export WerkSaam-dashboard (%(fmt)s)") % {"fmt": fmt}
    record_many(
        [
            AuditEntry(
                actor=request.user,
                actor_username=request.user.username,
                action=AuditEntry.Action.EXPORT,
                object_type=Inburgeraar._meta.label_lower,
                object_id=str(case.pk),
                object_repr=case.audit_label,
                fields=["naam", "status", "leerroute", "werksaam"],
                reason=reason,
            )
            for case in cases
        ]
    )
    rows = list(_export_rows(cases))
    stamp = timezone.localdate().strftime("%Y%m%d")
    return _tabular_response(
        EXPORT_HEADER, rows, fmt, f"werksaam-dossiers-{stamp}", "Dossiers", "WerkSaam-dossiers"
    )


EXCEL_DATE_FORMAT = "dd-mm-yyyy"
# A cell starting with one of these is a formula (or becomes one) in Excel, LibreOffice or Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\x00")


def _tabular_response(header, rows, fmt, filename, sheet, title):
    """Rows of Python values (text, numbers, dates) as CSV or Excel.

    CSV is written for a Dutch Excel: `;` between cells, dates as dd-mm-jjjj, decimals with a
    comma (63,0). Excel gets the values as they are, dates as real dates, under a title row, with
    the header row frozen and a filter on it."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(header)
        writer.writerows([[_csv_cell(v) for v in row] for row in rows])
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            _xlsx(header, rows, sheet, f"{title} — {timezone.localdate():%d-%m-%Y}"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _xlsx(header, rows, sheet, title) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    workbook.properties.title = title
    worksheet = workbook.create_sheet(sheet)
    worksheet.freeze_panes = "A3"  # title and header stay in view
    worksheet.auto_filter.ref = f"A2:{get_column_letter(len(header))}{len(rows) + 2}"

    def cell(value, **style):
        result = WriteOnlyCell(worksheet, value=_safe_cell(value))
        if isinstance(value, date):
            result.number_format = EXCEL_DATE_FORMAT
        for name, setting in style.items():
            setattr(result, name, setting)
        return result

    worksheet.append([cell(title, font=Font(bold=True, size=14))])
    worksheet.append([cell(name, font=Font(bold=True)) for name in header])
    for row in rows:
        worksheet.append([cell(value) for value in row])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _csv_cell(value):
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, float | Decimal):
        return str(value).replace(".", ",")
    return _safe_cell(value)


def _safe_cell(value):
    """No formula injection: a text cell never starts with = + - @, a tab, a carriage return or
    NUL (OWASP's list): it gets a leading apostrophe and stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _werksaam_case(request, pk):
    _werksaam_only(request)
    services.expire_case_if_due(pk)
    case = get_object_or_404(
        selectors.shared_cases_for(request.user).select_related("municipality"), pk=pk
    )
    return case


@login_required
def werksaam_case(request, pk):
    """A shared case as WerkSaam sees it: the basics (never health data) and its own records."""
    case = _werksaam_case(request, pk)
    record(request.user, AuditEntry.Action.VIEW, case, fields=["werksaam"], reason="WerkSaam")
    context = {
        "case": case,
        "annotated": selectors.annotate_werksaam(Inburgeraar.objects.filter(pk=case.pk)).first(),
        "editable": True,
        "record_forms": {
            kind: form_class(prefix=kind) for kind, form_class in forms.RECORD_FORMS.items()
        },
        **selectors.records_of(request.user, case),
    }
    return render(request, "werksaam_bridge/werksaam_case.html", context)


@login_required
@require_POST
def werksaam_record_add(request, pk, kind):
    case = _werksaam_case(request, pk)
    if kind not in forms.RECORD_FORMS:
        raise Http404
    form = forms.RECORD_FORMS[kind](request.POST, prefix=kind)
    if form.is_valid():
        try:
            services.add_record(
                request.user, case, services.RECORD_MODELS[kind], **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Vastgelegd."))
            return redirect("werksaam_bridge:case", pk=case.pk)
    record_forms = {k: f(prefix=k) for k, f in forms.RECORD_FORMS.items()}
    record_forms[kind] = form
    context = {
        "case": case,
        "annotated": selectors.annotate_werksaam(Inburgeraar.objects.filter(pk=case.pk)).first(),
        "editable": True,
        "record_forms": record_forms,
        "open_form": kind,
        **selectors.records_of(request.user, case),
    }
    return render(request, "werksaam_bridge/werksaam_case.html", context, status=422)


@login_required
def werksaam_record_edit(request, pk, kind, item_pk):
    """Change one of WerkSaam's records (an end date, a MAP result) on a shared case."""
    case = _werksaam_case(request, pk)
    if kind not in forms.RECORD_FORMS:
        raise Http404
    model = services.RECORD_MODELS[kind]
    item = get_object_or_404(model.objects.visible_to(request.user), pk=item_pk, inburgeraar=case)
    form_class = forms.RECORD_FORMS[kind]
    form = form_class(request.POST or None, instance=model.objects.get(pk=item.pk), prefix=kind)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form_class.Meta.fields}
        try:
            services.update_record(request.user, item, **values)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Gewijzigd."))
            return redirect("werksaam_bridge:case", pk=case.pk)
    return render(
        request,
        "werksaam_bridge/record_edit.html",
        {"case": case, "form": form, "item": item},
        status=422 if form.errors else 200,
    )


# --- Stuurinformatie -----------------------------------------------------------------------------------


def _figure_sets(request):
    if not selectors.may_see_figures(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    sets = [
        (municipality.name, selectors.municipality_figures(request.user, municipality, today=today))
        for municipality in selectors.figure_municipalities(request.user)
    ]
    sets.append((_("Regio Westfriesland"), selectors.region_figures(today=today)))
    return sets


@login_required
def figures(request):
    sets = _figure_sets(request)
    return render(
        request,
        "werksaam_bridge/figures.html",
        {"sets": sets, "pip_weeks": selectors.PIP_WEEKS},
    )


@login_required
def figures_export(request):
    sets = _figure_sets(request)
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
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    stamp = timezone.localdate().strftime("%Y%m%d")
    return _tabular_response(
        header, rows, fmt, f"stuurinformatie-{stamp}", "Stuurinformatie", "Stuurinformatie"
    )
