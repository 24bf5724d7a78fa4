"""The caseworker's pages. Every read goes through intake.selectors (the one door); every write
through intake.services. A case outside the user's scope answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import AuditEntry
from audit.services import record
from deadlines import selectors as deadline_selectors
from municipalities.models import CASE_ROLES, Organisation, Role
from municipalities.selectors import case_organisation_ids, roles_of
from pip_plans import selectors as pip_selectors

from . import forms, selectors, services
from .models import DevelopmentPoint, Education, Intake, IntakeTopic, Invitation, WorkExperience
from .visibility import can_read_special_category

PAGE_SIZE = 25


@login_required
def home(request):
    today = timezone.localdate()
    user = request.user
    # WerkSaam staff work from their own dashboard of shared cases.
    roles = roles_of(user)
    if Role.WERKSAAM_MEDEWERKER in roles and not roles & set(CASE_ROLES):
        return redirect("werksaam_bridge:dashboard")
    context = {
        "my_cases": selectors.cases_for(user).filter(caseworker=user).order_by("-updated_at")[:10],
        "open_intakes": selectors.open_intakes_of(user)[:20],
        "attention": selectors.invitations_needing_attention(user, today=today)[:20],
        "pip_drafts": pip_selectors.my_drafts(user)[:20],
        "awaiting_adoption": pip_selectors.awaiting_adoption(user)[:20],
        "agenda": deadline_selectors.agenda(user, today=today),
    }
    return render(request, "intake/home.html", context)


@login_required
def case_list(request):
    user = request.user
    municipalities = list(
        Organisation.objects.filter(pk__in=case_organisation_ids(user)).order_by("name")
    )
    form = forms.CaseFilterForm(
        request.GET or None,
        user=user,
        caseworkers=selectors.caseworkers_for(user),
        municipalities=municipalities,
    )
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    cases = selectors.filter_cases(user, **{k: v or "" for k, v in filters.items()})
    page = selectors.PeekPage(cases, request.GET.get("page"), PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "querystring": query.urlencode(),
        "today": timezone.localdate(),
    }
    template = (
        "intake/_case_table.html"
        if request.htmx and request.htmx.target == "case-results"
        else "intake/case_list.html"
    )
    return render(request, template, context)


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
    return render(request, "intake/register.html", {"form": form})


TABS = [
    ("overzicht", "Overzicht"),
    ("intake", "Brede intake"),
    ("pip", "PIP"),
    ("termijnen", "Termijnen"),
    ("tijdlijn", "Tijdlijn"),
]


@login_required
def case_detail(request, pk, tab="overzicht"):
    case = selectors.get_case(request.user, pk)
    if tab not in dict(TABS):
        raise Http404
    context = {"case": case, "tab": tab, "tabs": TABS, **_tab_context(request, case, tab)}
    fields = context.pop("audited_fields", [])
    record(request.user, AuditEntry.Action.VIEW, case, fields=fields, reason=f"dossier: {tab}")
    if request.htmx and request.htmx.target == "tab-panel":
        return render(request, f"intake/tabs/{tab}.html", context)
    context["next_deadline"] = deadline_selectors.next_deadline(request.user, case.pk)
    return render(request, "intake/case_detail.html", context)


def _tab_context(request, case, tab) -> dict:
    user = request.user
    if tab == "overzicht":
        return {
            "household": selectors.household_of(user, case),
            "transfers": case.transfers.select_related("from_municipality", "to_municipality")[:5],
            "can_edit": selectors.can_edit(user, case),
        }
    if tab == "tijdlijn":
        return {"events": selectors.timeline_of(user, case)}
    if tab == "termijnen":
        from deadlines import rules as deadline_rules

        return {
            "deadlines": list(deadline_selectors.case_deadlines(user, case.pk)),
            "today": timezone.localdate(),
            "manual_kinds": deadline_rules.MANUAL,
        }
    if tab == "pip":
        from pip_plans.views import pip_tab_context

        return pip_tab_context(request, case)
    return _intake_context(request, case)


def _intake_context(request, case) -> dict:
    user = request.user
    intake = selectors.current_intake(user, case)
    from pip_plans.selectors import pip_deadline_for

    can_edit = selectors.can_edit(user, case)
    context = {"intake": intake, "can_edit": can_edit, "pip_deadline": pip_deadline_for(case)}
    if intake is None:
        return context
    context["editable"] = can_edit and intake.is_open
    context["now"] = timezone.now()
    special = can_read_special_category(user, case)
    if not special:
        # WerkSaam, or the municipality that handed the case over, sees that there is an intake
        # and its outcome, not the conversation itself (free text can hold anything).
        context["restricted"] = True
        return context
    advice = services.route_advice(intake)
    context.update(
        {
            "show_special": special,
            "advice": advice,
            "missing": services.missing_legal_minimum(intake),
            "invitations": intake.invitations.all(),
            "educations": intake.educations.all(),
            "work_experiences": intake.work_experiences.all(),
            "development_points": intake.development_points.all(),
            "topics": _topics_with_notes(intake),
            "sections": _section_forms(intake, advice, special),
            "invitation_form": forms.InvitationForm(),
            "education_form": forms.EducationForm(),
            "work_form": forms.WorkExperienceForm(),
            "point_form": forms.DevelopmentPointForm(),
            "cancel_form": forms.CancelForm(),
            # Reading the health fields is audited with the fields named.
            "audited_fields": ["intake." + f for f in Intake.SPECIAL_CATEGORY_FIELDS]
            if special
            else [],
        }
    )
    return context


SECTION_FORMS = {
    "toets": forms.LearnabilityTestForm,
    "herkomst": forms.EducationWorkForm,
    "omstandigheden": forms.CircumstancesForm,
    "gezondheid": forms.HealthForm,
    "vaardigheden": forms.SkillsForm,
    "derden": forms.ThirdPartyForm,
    "route": forms.RouteForm,
}


def _section_forms(intake, advice, special) -> dict:
    sections = {}
    for name, form_class in SECTION_FORMS.items():
        if name == "gezondheid" and not special:
            continue
        kwargs = {"instance": intake, "prefix": name}
        if name == "route":
            kwargs["advice"] = advice
        sections[name] = form_class(**kwargs)
    return sections


def _topics_with_notes(intake):
    from django.db.models import Q

    topics = IntakeTopic.objects.filter(is_active=True).filter(
        Q(municipality__isnull=True) | Q(municipality_id=intake.inburgeraar.municipality_id)
    )
    notes = {note.topic_id: note.notes for note in intake.topic_notes.all()}
    return [(topic, notes.get(topic.pk, "")) for topic in topics]


@login_required
@require_POST
def reveal_bsn(request, pk):
    case = selectors.get_case(request.user, pk)
    record(request.user, AuditEntry.Action.VIEW, case, fields=["bsn"], reason="BSN getoond")
    return HttpResponse(f'<span id="bsn-value">{case.bsn}</span>')


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
    return render(request, "intake/transfer.html", {"case": case, "form": form})


# --- Brede intake actions -------------------------------------------------------------------------


def _intake_for_post(request, pk):
    case = selectors.get_case(request.user, pk)
    intake = selectors.current_intake(request.user, case)
    if intake is None or not selectors.can_edit(request.user, case):
        raise Http404
    return case, intake


def _back_to_intake(pk):
    return redirect(reverse("case-tab", kwargs={"pk": pk, "tab": "intake"}))


@login_required
@require_POST
def intake_plan(request, pk):
    case = selectors.get_case(request.user, pk)
    if not selectors.can_edit(request.user, case):
        raise Http404
    try:
        services.plan_intake(request.user, case)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back_to_intake(pk)


@login_required
@require_POST
def intake_begin(request, pk):
    _case, intake = _intake_for_post(request, pk)
    try:
        services.begin_intake(request.user, intake)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back_to_intake(pk)


@login_required
@require_POST
def intake_section(request, pk, section):
    case, intake = _intake_for_post(request, pk)
    form_class = SECTION_FORMS.get(section)
    if form_class is None:
        raise Http404
    special = can_read_special_category(request.user, case)
    if section == "gezondheid" and not special:
        raise Http404
    advice = services.route_advice(intake)
    kwargs = {"advice": advice} if section == "route" else {}
    form = form_class(
        request.POST, instance=Intake.objects.get(pk=intake.pk), prefix=section, **kwargs
    )
    saved = False
    if form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            intake = services.save_intake_fields(
                request.user, intake, expected_version=form.cleaned_data["version"], values=values
            )
            saved = True
        except services.ConcurrentEditError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error(None, error)
    if saved and not request.htmx:
        messages.success(request, _("Opgeslagen."))
        return _back_to_intake(pk)
    if request.htmx:
        # A saved section re-renders the whole intake panel, so the version, progress and advice
        # that depend on it are current; a refused save shows its form with the messages.
        context = {"case": case, **_intake_context(request, case)}
        if not saved:
            context["sections"][section] = form
        context["saved_section"] = section if saved else ""
        return render(request, "intake/tabs/intake.html", context)
    context = {"case": case, "tab": "intake", "tabs": TABS, **_intake_context(request, case)}
    context["sections"][section] = form
    return render(request, "intake/case_detail.html", context, status=200 if saved else 422)


ITEM_FORMS = {
    "opleiding": (forms.EducationForm, Education),
    "werk": (forms.WorkExperienceForm, WorkExperience),
    "punt": (forms.DevelopmentPointForm, DevelopmentPoint),
}


@login_required
@require_POST
def intake_item_add(request, pk, kind):
    _case, intake = _intake_for_post(request, pk)
    if kind not in ITEM_FORMS:
        raise Http404
    form_class, model = ITEM_FORMS[kind]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            services.add_intake_item(request.user, intake, model, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Niet toegevoegd: vul de verplichte velden in."))
    return _back_to_intake(pk)


@login_required
@require_POST
def intake_item_remove(request, pk, kind, item_pk):
    _case, intake = _intake_for_post(request, pk)
    if kind not in ITEM_FORMS:
        raise Http404
    item = get_object_or_404(
        ITEM_FORMS[kind][1].objects.visible_to(request.user), pk=item_pk, intake=intake
    )
    try:
        services.remove_intake_item(request.user, intake, item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back_to_intake(pk)


@login_required
@require_POST
def intake_topic_note(request, pk, topic_pk):
    _case, intake = _intake_for_post(request, pk)
    topic = get_object_or_404(IntakeTopic, pk=topic_pk, is_active=True)
    try:
        services.save_topic_note(request.user, intake, topic, request.POST.get("notes", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Opgeslagen."))
    return _back_to_intake(pk)


@login_required
@require_POST
def intake_invite(request, pk):
    _case, intake = _intake_for_post(request, pk)
    form = forms.InvitationForm(request.POST)
    if form.is_valid():
        try:
            services.invite(request.user, intake, **form.cleaned_data)
            messages.success(request, _("De uitnodiging is vastgelegd."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return _back_to_intake(pk)


@login_required
@require_POST
def intake_attendance(request, pk, invitation_pk):
    _case, intake = _intake_for_post(request, pk)
    invitation = get_object_or_404(
        Invitation.objects.visible_to(request.user), pk=invitation_pk, intake=intake
    )
    attended = request.POST.get("attended") == "ja"
    try:
        services.record_attendance(request.user, invitation, attended=attended)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back_to_intake(pk)


@login_required
@require_POST
def intake_complete(request, pk):
    _case, intake = _intake_for_post(request, pk)
    try:
        services.complete_intake(
            request.user, intake, expected_version=int(request.POST.get("version", 0))
        )
    except (ValidationError, services.ConcurrentEditError) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
    else:
        messages.success(request, _("De brede intake is afgerond."))
    return _back_to_intake(pk)


@login_required
@require_POST
def intake_cancel(request, pk):
    _case, intake = _intake_for_post(request, pk)
    form = forms.CancelForm(request.POST)
    if form.is_valid():
        services.cancel_intake(request.user, intake, reason=form.cleaned_data["reason"])
        messages.success(request, _("De brede intake is geannuleerd."))
    else:
        messages.error(request, _("Geef een reden voor het annuleren."))
    return _back_to_intake(pk)
