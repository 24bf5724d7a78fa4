"""The dossier shell: Vandaag, the case list, registration, the dossier page with its registered
tabs, the BSN reveal and the transfer. Every read goes through cases.selectors (the one door);
every write through cases.services. A case outside the user's scope answers 404.

This module knows no feature app by name: tabs, home sections, case-list columns and header
facts are registered by their own apps (cases.registry)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from audit import events as audit
from common.bsn import looks_like_bsn
from common.parsing import parse_ids, parse_int
from municipalities.models import CASE_ROLES, Organisation, Role
from municipalities.selectors import case_organisation_ids, request_roles

from . import forms, registry, selectors, services, tabs
from .search import SEARCH_REFERENCE
from .search import filter_data as _filter_data
from .search import public_query as _public_query

PAGE_SIZE = 25
# The roles that work on cases day to day: they start at Vandaag.
CASEWORK_ROLES = {Role.KLANTMANAGER, Role.TEAMLEIDER}


def _recent_own_audit(user):
    """The user's own last entries in the trail (what they did recently in the admin)."""
    from audit.models import AuditEntry

    return AuditEntry.objects.filter(actor=user).order_by("-timestamp", "-id")[:5]


@login_required
def home(request):
    today = timezone.localdate()
    user = request.user
    # WerkSaam staff work from their own dashboard of shared cases.
    roles = request_roles(request)
    if Role.WERKSAAM_MEDEWERKER in roles and not roles & set(CASE_ROLES):
        return redirect("werksaam_bridge:dashboard")
    if roles & {Role.BEHEERDER, Role.AUDITOR} and not roles & CASEWORK_ROLES:
        # Beheerders and auditors have no caseload: their start is the admin and the audit trail.
        return render(
            request,
            "cases/home_staff.html",
            {
                "is_beheerder": Role.BEHEERDER in roles,
                "is_auditor": Role.AUDITOR in roles,
                "recent_audit": _recent_own_audit(user),
            },
        )
    sections = []
    waiting = False
    shown = []
    for section in registry.home_sections():
        context = section.context(request, today)
        if context is not None:
            shown += _records_in(context)
            # A section says whether something in it waits for the user ("waiting").
            waiting = waiting or bool(context.get("waiting"))
            sections.append(render_to_string(section.template, context, request=request))
    my_cases = list(selectors.cases_for(user).filter(caseworker=user).order_by("-updated_at")[:10])
    # One statement for the page: an entry per record the page shows (sections included).
    audit.listed(user, [*my_cases, *shown], part="vandaag", fields=["naam"])
    return render(
        request,
        "cases/home.html",
        {"sections": sections, "my_cases": my_cases, "nothing_waits": not waiting},
    )


def _records_in(context: dict) -> list:
    """The records a home section shows (in its lists), for the trail. Querysets are evaluated
    here once and left in the context as lists, so the template does not query again."""
    records = []
    for key, value in context.items():
        if isinstance(value, QuerySet):
            value = context[key] = list(value)
        if isinstance(value, list | tuple):
            records += [item for item in value if isinstance(item, Model) and item.pk]
    return records


@login_required
def case_list(request):
    user = request.user
    if request.method == "POST":
        query = _public_query(request, request.POST)
        url = f"{reverse('case-list')}?{query.urlencode()}" if query else reverse("case-list")
        if not request.htmx:
            return redirect(url)
    else:
        query = _public_query(request, request.GET)
        if SEARCH_REFERENCE in query and "q" in request.GET:
            # An old bookmark with ?q=<BSN>: on to the address without it.
            return redirect(f"{reverse('case-list')}?{query.urlencode()}")
        url = None
    data = _filter_data(request, query)
    municipalities = list(
        Organisation.objects.filter(pk__in=case_organisation_ids(user)).order_by("name")
    )
    form = forms.CaseFilterForm(
        data or None,
        user=user,
        caseworkers=selectors.caseworkers_for(user),
        municipalities=municipalities,
    )
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = {key: value or "" for key, value in filters.items()}
    cases = selectors.filter_cases(user, with_columns=False, **filters)
    page = selectors.PeekPage(
        cases,
        request.GET.get("page"),
        PAGE_SIZE,
        row_annotations=selectors.column_annotations(),
        page_ids=selectors.page_ids_for(user, **filters),
    )
    searched = filters.get("q", "")
    audit.listed(
        user,
        list(page),
        part=(
            audit.Reason.SEARCH_BSN
            if looks_like_bsn(searched)
            else audit.Reason.SEARCH
            if searched
            else "lijst"
        ),
        fields=["naam", "bsn (gemaskeerd)", "status"],
    )
    context = {
        "form": form,
        "page": page,
        "columns": registry.case_columns(),
        "querystring": query.urlencode(),
        "today": timezone.localdate(),
        # Inschrijven and the DUO import need a case role in a municipality (WerkSaam has none):
        # no links to pages the user cannot use.
        "may_register": selectors.may_register(request),
    }
    if selectors.may_assign_others(request):
        context["assignees"] = selectors.assignable_caseworkers(case_organisation_ids(user))
    template = (
        "cases/_case_table.html"
        if request.htmx and request.htmx.target == "case-results"
        else "cases/case_list.html"
    )
    response = render(request, template, context)
    if url is not None:
        response["HX-Push-Url"] = url
    return response


@login_required
def register(request):
    form = forms.RegistrationForm(request.POST or None, user=request.user)
    if not form.fields["municipality"].queryset.exists():
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        data["caseworker"] = request.user
        case = services.register_inburgeraar(request.user, **data)
        messages.success(request, _("%(naam)s is ingeschreven.") % {"naam": case.full_name})
        return redirect("case-detail", pk=case.pk)
    return render(request, "cases/register.html", {"form": form})


@login_required
def case_detail(request, pk, tab="overzicht"):
    user = request.user
    case = selectors.get_case(user, pk)
    current = next((t for t in registry.visible_tabs(user, case) if t.slug == tab), None)
    if current is None:
        raise Http404
    context = {"case": case, **current.context(request, case)}
    fields = context.pop("audited_fields", [])
    audit.case_viewed(user, case, part=current.slug, fields=fields)
    if request.htmx and request.htmx.target == "tab-panel":
        return render(request, current.template, {"tab": current.slug, **context})
    return render_tab(request, case, current.slug, context)


def render_tab(request, case, slug: str, context: dict, *, status: int = 200):
    """A feature app's own action answers with the whole dossier page on its tab (without htmx),
    for instance to show a refused form with its messages."""
    user = request.user
    page = {
        "case": case,
        "tab": slug,
        "tabs": registry.visible_tabs(user, case),
        "tab_template": registry.tab(slug).template,
        "header_facts": [
            (fact.label, render_to_string(fact.template, fact.context(user, case), request=request))
            for fact in registry.header_facts()
        ],
        **context,
    }
    return render(request, "cases/case_detail.html", page, status=status)


@login_required
@require_POST
def reveal_bsn(request, pk):
    case = selectors.get_case(request.user, pk)
    audit.bsn_revealed(request.user, case)
    return HttpResponse(format_html('<span id="bsn-value">{}</span>', case.bsn))


@login_required
def transfer(request, pk):
    case = selectors.get_case(request.user, pk)
    if not selectors.can_edit(request.user, case):
        raise Http404
    form = forms.TransferForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.transfer_case(
                request.user,
                case,
                to_municipality=form.cleaned_data["to_municipality"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Het dossier is overgedragen aan %(gemeente)s.")
                % {"gemeente": form.cleaned_data["to_municipality"]},
            )
            return redirect("case-list")
    return render(request, "cases/transfer.html", {"case": case, "form": form})


# --- Assignment -------------------------------------------------------------------------------------


def _chosen_caseworker(request, value: str):
    """ "mij" (the user), "" (nobody) or a colleague's id among those a case may be given to."""
    if value == "mij":
        return request.user
    if not value:
        return None
    pk = parse_int(value)  # not str.isdigit: "²" is a digit to Python and no number to int()
    if pk is None:
        raise ValidationError(_("Kies een klantmanager."))
    chosen = (
        selectors.assignable_caseworkers(case_organisation_ids(request.user)).filter(pk=pk).first()
    )
    if chosen is None:
        raise ValidationError(_("Kies een klantmanager."))
    return chosen


@login_required
@require_POST
def assign(request, pk):
    """One case: "aan mij toewijzen" (a klantmanager) or to a colleague (a team lead)."""
    case = selectors.get_case(request.user, pk)
    try:
        caseworker = _chosen_caseworker(request, request.POST.get("caseworker", ""))
        services.assign_caseworker(request.user, case, caseworker)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        messages.error(request, _("U kunt dit dossier niet aan iemand anders toewijzen."))
    else:
        if caseworker is None:
            messages.success(request, _("Het dossier is niet meer toegewezen."))
        else:
            messages.success(
                request, _("Het dossier is toegewezen aan %(who)s.") % {"who": caseworker}
            )
    return redirect("case-detail", pk=case.pk)


@login_required
@require_POST
def assign_many(request):
    """A team lead gives the chosen cases of the list to one klantmanager: all or none."""
    back = request.POST.get("next", "")
    if not back.isprintable() or "/" in back or len(back) > 2000:
        back = ""  # the list's own query string only, never a header-breaking or foreign value
    target = reverse("case-list") + (f"?{back}" if back else "")
    ids = parse_ids(request.POST.getlist("cases"))
    if not ids:
        messages.error(request, _("Kies eerst een of meer dossiers."))
        return redirect(target)
    try:
        caseworker = _chosen_caseworker(request, request.POST.get("caseworker", ""))
        with transaction.atomic():
            cases = list(selectors.cases_for(request.user).filter(pk__in=ids))
            if len(cases) != len(set(ids)):
                raise Http404
            for case in cases:
                services.assign_caseworker(request.user, case, caseworker)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages) + " " + _("Er is niets gewijzigd."))
    except PermissionDenied:
        messages.error(
            request, _("U mag niet alle gekozen dossiers toewijzen. Er is niets gewijzigd.")
        )
    else:
        who = caseworker or _("niemand")
        messages.success(
            request,
            ngettext(
                "%(n)d dossier toegewezen aan %(who)s.",
                "%(n)d dossiers toegewezen aan %(who)s.",
                len(cases),
            )
            % {"n": len(cases), "who": who},
        )
    return redirect(target)


# --- Correcting the record: the Overzicht's blocks ------------------------------------------------

EDIT_BLOCKS = {
    "contact": forms.ContactForm,
    "datums": forms.DatesForm,
    "minderjarig": forms.MinorForm,
}


def _block_response(request, case, block: str, context: dict, *, status: int = 200):
    """The block alone for htmx (it replaces itself), else the whole Overzicht around it."""
    context = {"case": case, "can_edit": True, **context}
    if request.htmx:
        context["oob"] = True
        return render(request, f"cases/blocks/{block}.html", context, status=status)
    page = {**tabs.overview_context(request, case), **context}
    return render_tab(request, case, "overzicht", page, status=status)


@login_required
def edit_block(request, pk, block):
    """ "wijzigen" on an Overzicht block: the form in place of the block, saved through
    cases.services.update_case with the version it was opened at."""
    form_class = EDIT_BLOCKS.get(block)
    if form_class is None:
        raise Http404
    case = selectors.get_case(request.user, pk)
    if not selectors.can_edit(request.user, case):
        raise Http404
    if request.method == "GET" and "annuleren" in request.GET:
        return _block_response(request, case, block, {})
    # Its own ids: the Overzicht holds other forms with a `version` field (Nu Html Checker:
    # duplicate id "id_version").
    form = form_class(
        request.POST or None,
        instance=case,
        initial={"version": case.version},
        auto_id=f"id_{block}_%s",
    )
    if not form.is_bound:
        first = next(f for f in form.fields.values() if not f.widget.is_hidden)
        first.widget.attrs["autofocus"] = True
    if request.method == "POST" and form.is_valid():
        values = {
            name: form.cleaned_data[name] for name in form._meta.fields if name in form.fields
        }
        try:
            case = services.update_case(
                request.user, case, values=values, expected_version=form.cleaned_data["version"]
            )
        except services.ConcurrentEditError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            message = _("De gegevens zijn opgeslagen.")
            if not request.htmx:
                messages.success(request, message)
                return redirect("case-detail", pk=case.pk)
            return _block_response(request, case, block, {"saved": message, "saved_block": block})
    status = 422 if form.is_bound else 200
    return _block_response(request, case, block, {"form": form, "editing": block}, status=status)


@login_required
@require_POST
def household(request, pk):
    """Add a member to the household (by BSN) or remove one, on the Overzicht."""
    case = selectors.get_case(request.user, pk)
    if not selectors.can_edit(request.user, case):
        raise Http404
    form = forms.HouseholdAddForm(request.POST, user=request.user, case=case)
    context = {}
    try:
        if "remove" in request.POST:
            version = parse_int(request.POST.get("version"), default=0) or None
            services.remove_household_member(
                request.user,
                case,
                parse_int(request.POST["remove"], default=0),
                expected_version=version,
            )
            context["saved"] = _("Het gezinslid is verwijderd.")
            context["saved_block"] = "huishouden"
        elif form.is_valid():
            services.add_household_member(
                request.user,
                case,
                form.relative,
                form.cleaned_data["relation"],
                expected_version=form.cleaned_data["version"],
            )
            context["saved"] = _("Het gezinslid is toegevoegd.")
            context["saved_block"] = "huishouden"
        else:
            context.update(household_form=form, editing="huishouden")
    except (services.ConcurrentEditError, ValidationError) as error:
        message = str(error) if isinstance(error, services.ConcurrentEditError) else error
        if "remove" in request.POST:
            context["block_error"] = " ".join(ValidationError(message).messages)
        else:
            form.add_error(None, message)
            context.update(household_form=form, editing="huishouden")
    case = selectors.get_case(request.user, pk)
    context["household"] = selectors.household_of(request.user, case)
    context.setdefault(
        "household_form",
        forms.HouseholdAddForm(initial={"version": case.version}, user=request.user, case=case),
    )
    if "saved" in context and not request.htmx:
        messages.success(request, context["saved"])
        return redirect("case-detail", pk=case.pk)
    status = 422 if context.get("editing") or context.get("block_error") else 200
    return _block_response(request, case, "huishouden", context, status=status)
