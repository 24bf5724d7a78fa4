"""The brede intake's pages: its dossier tab and its actions. Reads through the one door
(cases.selectors, intake.selectors); writes through intake.services. A case outside the user's
scope answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases import selectors as case_selectors
from cases.access import can_read_special_category
from cases.services import ConcurrentEditError
from cases.views import render_tab
from common.parsing import parse_int

from . import forms, selectors, services
from .models import DevelopmentPoint, Education, Intake, IntakeTopic, Invitation, WorkExperience


def intake_tab_context(request, case) -> dict:
    """The dossier's Brede intake tab."""
    user = request.user
    intake = selectors.current_intake(user, case)
    can_edit = case_selectors.can_edit(user, case)
    context = {
        "intake": intake,
        "can_edit": can_edit,
        "pip_deadline": selectors.pip_deadline_for(case),
    }
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


# Each section's legend and button, as the tab shows them (the saved fragment shows them again).
SECTION_TEXT = {
    "toets": (gettext_lazy("Leerbaarheidstoets"), gettext_lazy("Toets opslaan")),
    "herkomst": (
        gettext_lazy("Opleiding en werkervaring"),
        gettext_lazy("Opleiding en werk opslaan"),
    ),
    "omstandigheden": (
        gettext_lazy("Persoonlijke omstandigheden"),
        gettext_lazy("Omstandigheden opslaan"),
    ),
    "gezondheid": (gettext_lazy("Gezondheid"), gettext_lazy("Gezondheid opslaan")),
    "vaardigheden": (gettext_lazy("Vaardigheden"), gettext_lazy("Vaardigheden opslaan")),
    "derden": (
        gettext_lazy("Informatie van derden"),
        gettext_lazy("Informatie van derden opslaan"),
    ),
    "route": (gettext_lazy("Leerroute"), gettext_lazy("Leerroute opslaan")),
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


# --- Brede intake actions -------------------------------------------------------------------------


def _intake_for_post(request, pk):
    case = case_selectors.get_case(request.user, pk)
    intake = selectors.current_intake(request.user, case)
    if intake is None or not case_selectors.can_edit(request.user, case):
        raise Http404
    return case, intake


def _back_to_intake(pk):
    return redirect(reverse("case-tab", kwargs={"pk": pk, "tab": "intake"}))


@login_required
@require_POST
def intake_plan(request, pk):
    case = case_selectors.get_case(request.user, pk)
    if not case_selectors.can_edit(request.user, case):
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
        except ConcurrentEditError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error(None, error)
    if saved and not request.htmx:
        messages.success(request, _("Opgeslagen."))
        return _back_to_intake(pk)
    if request.htmx:
        # Only this section's form is swapped, so nothing typed in another section is touched.
        # Beside it, out of band: the status in the section's live region, and after a save the
        # new version in the other sections' forms (their next save is not refused as stale),
        # the progress, the test outcome and the route advice.
        context = {"case": case, **intake_tab_context(request, case)}
        title, button = SECTION_TEXT[section]
        context.update(
            {
                "name": section,
                "form": context["sections"][section] if saved else form,
                "title": title,
                "button": button,
                "saved": saved,
            }
        )
        return render(request, "intake/_section_saved.html", context, status=200 if saved else 422)
    context = intake_tab_context(request, case)
    context["sections"][section] = form
    return render_tab(request, case, "intake", context, status=200 if saved else 422)


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
    notes = request.POST.get("notes", "")
    error_text = ""
    try:
        services.save_topic_note(request.user, intake, topic, notes)
    except ValidationError as error:
        error_text = " ".join(error.messages)
    if request.htmx:
        # Only this topic's form is swapped; the status goes to its live region.
        return render(
            request,
            "intake/_topic_saved.html",
            {
                "case": _case,
                "topic": topic,
                "notes": notes,
                "editable": True,
                "error_text": error_text,
            },
            status=422 if error_text else 200,
        )
    if error_text:
        messages.error(request, error_text)
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


def _invitation_for(request, pk, invitation_pk):
    case, intake = _intake_for_post(request, pk)
    invitation = get_object_or_404(
        Invitation.objects.visible_to(request.user), pk=invitation_pk, intake=intake
    )
    return case, intake, invitation


@login_required
@require_POST
def intake_attendance(request, pk, invitation_pk):
    """Verschenen, in one click. "Niet verschenen" goes through intake_missed."""
    _case, _intake, invitation = _invitation_for(request, pk, invitation_pk)
    if request.POST.get("attended") != "ja":
        return redirect("intake-missed", pk=pk, invitation_pk=invitation.pk)
    try:
        services.record_attendance(request.user, invitation, attended=True)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back_to_intake(pk)


@login_required
def intake_missed(request, pk, invitation_pk):
    """Niet verschenen in three steps: the assessment (geldige reden, verwijtbaarheid), then a
    confirmation that names the consequence, then the record. Nothing is saved before "bevestigen"."""
    case, _intake, invitation = _invitation_for(request, pk, invitation_pk)
    if invitation.outcome != Invitation.Outcome.OPEN:
        messages.error(request, _("De uitkomst van deze uitnodiging is al vastgelegd."))
        return _back_to_intake(pk)
    form = forms.MissedAssessmentForm(request.POST or None)
    consequence = None
    if request.method == "POST" and form.is_valid():
        assessment = form.assessment()
        if assessment["geldige_reden"] and assessment["verwijtbaar"]:
            form.add_error(
                "verwijtbaar",
                _(
                    "Met een geldige reden is het niet verschijnen niet verwijtbaar (artikel 5:41 Awb)."
                ),
            )
        else:
            consequence = services.missed_preview(
                invitation,
                geldige_reden=assessment["geldige_reden"],
                verwijtbaar=assessment["verwijtbaar"],
            )
            if request.POST.get("confirm") == "1":
                try:
                    services.record_missed(
                        request.user,
                        invitation,
                        confirmed_measure=request.POST.get("measure", ""),
                        **assessment,
                    )
                except ValidationError as error:
                    if hasattr(error, "error_dict"):
                        for field, errors in error.error_dict.items():
                            form.add_error(field if field in form.fields else None, errors)
                    else:
                        form.add_error(None, error)
                    consequence = None
                else:
                    messages.success(
                        request,
                        _("Niet verschenen vastgelegd. Gevolg: %(text)s")
                        % {"text": consequence.text},
                    )
                    return _back_to_intake(pk)
    return render(
        request,
        "intake/missed.html",
        {"case": case, "invitation": invitation, "form": form, "consequence": consequence},
        status=422 if request.method == "POST" and not form.is_valid() else 200,
    )


@login_required
@require_POST
def intake_withdraw_measure(request, pk, invitation_pk):
    _case, _intake, invitation = _invitation_for(request, pk, invitation_pk)
    form = forms.WithdrawMeasureForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Geef de reden voor het intrekken van de maatregel."))
        return _back_to_intake(pk)
    try:
        services.withdraw_measure(request.user, invitation, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De maatregel is ingetrokken."))
    return _back_to_intake(pk)


@login_required
@require_POST
def intake_complete(request, pk):
    _case, intake = _intake_for_post(request, pk)
    try:
        services.complete_intake(
            request.user, intake, expected_version=parse_int(request.POST.get("version"), default=0)
        )
    except (ValidationError, ConcurrentEditError) as error:
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
