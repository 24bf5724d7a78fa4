"""Pages of the WerkSaam bridge.

The municipality's side: the shares of a case (a page under the dossier, for those who may change
the case). WerkSaam's side: the dashboard over the shared cases, a shared case with WerkSaam's
records, and the exports. Every read goes through
`visible_to`; a case outside the user's scope answers 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit import events as audit
from cases import selectors as case_selectors
from cases.models import Inburgeraar
from cases.search import filter_data, public_query
from cases.selectors import PeekPage
from common.bsn import looks_like_bsn
from common.exports import streaming_tabular_response
from documents.models import Document, DocumentKind
from intake.rules import Route

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
    consent_documents = Document.objects.visible_to(request.user).filter(
        inburgeraar=case, kind=DocumentKind.TOESTEMMING
    )
    form = forms.ShareForm(
        request.POST or None,
        initial={"start_date": timezone.localdate()},
        consent_documents=consent_documents,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.start_share(request.user, case, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Het dossier is gedeeld met WerkSaam."))
            return redirect("werksaam_bridge:case-shares", pk=case.pk)
    shares = Share.objects.visible_to(request.user).filter(inburgeraar=case)
    if request.method == "GET":
        audit.case_viewed(request.user, case, part="delen met WerkSaam", fields=["shares"])
    shares = list(shares.select_related("created_by", "ended_by", "consent_document"))
    for share in shares:
        # One end form per share on the page: ids of their own, so no duplicate ids.
        share.end_form = forms.EndShareForm(auto_id=f"id_end_{share.pk}_%s")
    context = {
        "case": case,
        "form": form,
        "shares": shares,
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
    """The filters and the search, from the address; a BSN searched for is there only as a
    reference to this session (cases/search.py), never itself."""
    data = filter_data(request, public_query(request, request.GET))
    form = forms.DashboardFilterForm(data or None)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    return form, filters


@login_required
def dashboard(request):
    _werksaam_only(request)
    if request.method == "POST" or looks_like_bsn(request.GET.get("q", "")):
        # The form posts (a BSN stays out of the address); on to the address with a reference.
        query = public_query(request, request.POST if request.method == "POST" else request.GET)
        url = reverse("werksaam_bridge:dashboard")
        return redirect(f"{url}?{query.urlencode()}" if query else url)
    form, filters = _dashboard_filters(request)
    cases = selectors.dashboard_cases(request.user, **filters)
    # The page's ids in name order first, then the WerkSaam columns for its rows only. One row
    # more than shown says whether there is a next page (cap=0): the page shows no count of its
    # own (the figures' total is the count), so fetching up to 51 rows to know an exact total
    # of at most 50 ran the WerkSaam subqueries for twice the rows shown.
    page = PeekPage(
        cases,
        request.GET.get("page"),
        PAGE_SIZE,
        cap=0,
        row_annotations=selectors.werksaam_annotations(),
    )
    if filters.get("q"):
        audit.searched(
            request.user,
            page.object_list,
            part=_("WerkSaam-dashboard"),
            by="bsn" if looks_like_bsn(filters["q"]) else "naam",
        )
    else:
        audit.listed(
            request.user,
            list(page),
            part=f"{audit.Reason.SHARED_VIEW}: dashboard",
            fields=["naam", "bsn (gemaskeerd)", "status", "werksaam"],
        )
    # The figures are one pass over all the shared cases (with the filters): read by the
    # shares' ids. A search finds its few matches by its own indexes: the semi-join then.
    figure_cases = (
        cases
        if filters.get("q")
        else selectors.dashboard_cases(request.user, by_share_ids=True, **filters)
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "querystring": query.urlencode(),
        "figures": selectors.dashboard_figures(figure_cases),
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


EXPORT_FIELDS = (
    "id",
    "first_names",
    "surname_prefix",
    "surname",
    "bsn",
    "status",
    "municipality__name",
)


def _export_rows(cases):
    """One row per case. The labels are translated once per export, not once per cell (the
    lazy strings' gettext and get_status_display's choices hashed per row were half of the
    Python time of 20,000 rows)."""
    status = {
        value: str(label) for value, label in Inburgeraar._meta.get_field("status").flatchoices
    }
    routes = {value: str(label) for value, label in Route.LABELS.items()}
    no_pip = _("Nog geen PIP")
    unburdening = {value: str(label) for value, label in selectors.UNBURDENING_STATES}
    maps = {value: str(label) for value, label in MapStatus.choices}
    for case in cases:
        yield [
            case.pk,
            case.full_name,
            case.masked_bsn,
            case.municipality.name,
            status.get(case.status, case.status),
            routes.get(case.route, no_pip),
            case.benefit_start or "",
            unburdening.get(case.unburdening_status, ""),
            case.unburdening_end or "",
            maps.get(case.map_status, ""),
        ]


@login_required
def dashboard_export(request, fmt):
    """The filtered shared cases as CSV or Excel: no special-category data, BSN masked. Each
    exported case is recorded in the audit trail."""
    _werksaam_only(request)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _form, filters = _dashboard_filters(request)
    cases = selectors.annotate_werksaam(selectors.dashboard_cases(request.user, **filters)).only(
        *EXPORT_FIELDS
    )
    part = _("WerkSaam-dashboard (%(fmt)s)") % {"fmt": fmt}
    stamp = timezone.localdate().strftime("%Y%m%d")
    return streaming_tabular_response(
        EXPORT_HEADER,
        _export_rows(_exported(request.user, cases, part=part)),
        fmt,
        f"werksaam-dossiers-{stamp}",
        "Dossiers",
        "WerkSaam-dossiers",
    )


EXPORT_CHUNK = 2000


def _exported(user, cases, *, part):
    """The cases, read from the database EXPORT_CHUNK at a time; each chunk is on the trail (one
    entry per case, one INSERT per chunk) before its rows are written. Memory holds one chunk,
    never the whole export."""
    chunk = []
    for case in cases.iterator(chunk_size=EXPORT_CHUNK):
        chunk.append(case)
        if len(chunk) == EXPORT_CHUNK:
            yield from _audited(user, chunk, part)
            chunk = []
    if chunk:
        yield from _audited(user, chunk, part)


def _audited(user, chunk, part):
    audit.export_made(
        user,
        chunk,
        part=part,
        fields=["naam", "status", "leerroute", "werksaam"],
        batch_size=EXPORT_CHUNK,
    )
    return chunk


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
    audit.case_viewed(request.user, case, part=audit.Reason.SHARED_VIEW, fields=["werksaam"])
    context = {
        "case": case,
        "annotated": selectors.annotate_werksaam(Inburgeraar.objects.filter(pk=case.pk)).first(),
        "editable": True,
        "record_forms": {
            kind: form_class(prefix=kind) for kind, form_class in forms.RECORD_FORMS.items()
        },
        "bsn_basis": selectors.full_bsn_basis(request.user, case),
        "bsn_form": forms.RevealBsnForm(),
        **selectors.records_of(request.user, case),
    }
    return render(request, "werksaam_bridge/werksaam_case.html", context)


@login_required
@require_POST
def werksaam_reveal_bsn(request, pk):
    """The full BSN on a shared case, only where the share's basis requires it (a
    Participatiewet benefit), with the reader's reason in the audit trail."""
    case = _werksaam_case(request, pk)
    basis = selectors.full_bsn_basis(request.user, case)
    if not basis:
        raise PermissionDenied
    form = forms.RevealBsnForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "werksaam_bridge/_reveal_bsn.html",
            {"case": case, "bsn_form": form, "bsn_basis": basis},
            status=422,
        )
    audit.bsn_revealed(request.user, case, why=f"{basis}; {form.cleaned_data['reason']}")
    return HttpResponse(format_html('<span id="bsn-value">{}</span>', case.bsn))


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
    if request.method == "GET":
        audit.case_viewed(request.user, item, part=f"{audit.Reason.SHARED_VIEW}: {kind}")
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
