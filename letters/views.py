"""The Brieven tab, the letter pages and the bezwaarschriften. Reads through letters.selectors
(the one door: 404 outside the case's scope), writes through letters.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit import events as audit
from cases import selectors as case_selectors

from . import forms, selectors, services
from .engine import IntegrityError, verified_bytes
from .models import Letter, Letterhead, LetterKind, LetterStatus


def _actions(user, case) -> list[dict]:
    """The letters the case's events call for, each a link to its concept form."""
    from intake.models import Invitation
    from pip_plans.models import PipStatus, PipVersion

    actions = []
    invitations = (
        Invitation.objects.visible_to(user)
        .filter(intake__inburgeraar=case)
        .order_by("intake_id", "sequence")
    )
    base = reverse("letters:new", args=[case.pk, "KIND"])
    for invitation in invitations:
        query = f"?uitnodiging={invitation.pk}"
        when = timezone.localtime(invitation.conversation_at).strftime("%d-%m-%Y")
        kinds = []
        if invitation.outcome == Invitation.Outcome.OPEN:
            kinds = [LetterKind.UITNODIGING]
        elif invitation.active_measure == Invitation.Measure.WARNING:
            kinds = [LetterKind.WAARSCHUWING]
        elif invitation.fine_is_voornemen:
            kinds = [LetterKind.VOORNEMEN_BOETE, LetterKind.BOETEBESCHIKKING]
        for kind in kinds:
            actions.append(
                {
                    "label": _("%(kind)s (uitnodiging %(n)s, %(when)s)")
                    % {"kind": LetterKind(kind).label, "n": invitation.sequence, "when": when},
                    "url": base.replace("KIND", kind) + query,
                }
            )
    for version in PipVersion.objects.visible_to(user).filter(
        pip__inburgeraar=case, status=PipStatus.VASTGESTELD, course_start_deadline__isnull=False
    ):
        started = version.course_start
        overdue = started is None and version.course_start_deadline < timezone.localdate()
        if overdue or (started is not None and started > version.course_start_deadline):
            actions.append(
                {
                    "label": _("%(kind)s (PIP versie %(n)s)")
                    % {"kind": LetterKind.VERKLARING_CURSUSSTART.label, "n": version.number},
                    "url": base.replace("KIND", LetterKind.VERKLARING_CURSUSSTART)
                    + f"?pip={version.pk}",
                }
            )
    actions.append(
        {
            "label": LetterKind.AFRONDING.label,
            "url": base.replace("KIND", LetterKind.AFRONDING),
        }
    )
    return actions


def letters_tab_context(request, case) -> dict:
    user = request.user
    bezwaren = list(selectors.bezwaren_of(user, case))
    for bezwaar in bezwaren:
        bezwaar.beslistermijn = services.beslistermijn(bezwaar)
    can_edit = case_selectors.can_edit(user, case)
    return {
        "letters": selectors.letters_of(user, case),
        "bezwaren": bezwaren,
        "can_edit": can_edit,
        "actions": _actions(user, case) if can_edit else [],
        "letterhead_missing": not Letterhead.objects.filter(
            organisation_id=case.municipality_id
        ).exists(),
    }


def _event(user, case, request):
    from intake.models import Invitation
    from pip_plans.models import PipVersion

    invitation = pip_version = None
    if "uitnodiging" in request.GET:
        invitation = (
            Invitation.objects.visible_to(user)
            .filter(pk=request.GET["uitnodiging"], intake__inburgeraar=case)
            .select_related("intake")
            .first()
        )
        if invitation is None:
            raise Http404
    if "pip" in request.GET:
        pip_version = (
            PipVersion.objects.visible_to(user)
            .filter(pk=request.GET["pip"], pip__inburgeraar=case)
            .select_related("pip")
            .first()
        )
        if pip_version is None:
            raise Http404
    return invitation, pip_version


@login_required
def new_letter(request, pk, kind):
    user = request.user
    case = case_selectors.get_case(user, pk)
    if kind not in forms.FORMS or not case_selectors.can_edit(user, case):
        raise Http404
    invitation, pip_version = _event(user, case, request)
    form_class = forms.FORMS[kind]
    initial = {}
    letterhead = Letterhead.objects.filter(organisation_id=case.municipality_id).first()
    if kind == LetterKind.UITNODIGING and letterhead:
        initial["place"] = f"{letterhead.visiting_street}, {letterhead.visiting_city}"
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            letter = services.create_letter(
                user,
                case,
                kind,
                invitation=invitation,
                pip_version=pip_version,
                facts=forms.facts_of(form),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Het concept is klaar. Lees het na en controleer het."))
            return redirect("letters:detail", pk=case.pk, letter_pk=letter.pk)
    return render(
        request,
        "letters/new.html",
        {
            "case": case,
            "form": form,
            "kind_label": LetterKind(kind).label,
            "invitation": invitation,
            "pip_version": pip_version,
        },
    )


@login_required
def letter_edit(request, pk, letter_pk):
    """Correct the text fields of a concept (or a checked letter, which then needs checking
    again) with the form it was made with."""
    user = request.user
    letter = selectors.visible_letter(user, pk, letter_pk)
    case = letter.inburgeraar
    if (
        letter.kind not in forms.FORMS
        or letter.status not in services.EDITABLE_STATUSES
        or not case_selectors.can_edit(user, case)
    ):
        raise Http404
    form_class = forms.FORMS[letter.kind]
    form = form_class(request.POST or None, initial=forms.initial_from(form_class, letter.facts))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_concept(user, letter, facts=forms.facts_of(form))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Het concept is aangepast. Lees het na en controleer het."))
            return _back(letter)
    return render(
        request,
        "letters/edit.html",
        {"case": case, "letter": letter, "form": form, "kind_label": letter.get_kind_display()},
    )


def _add_errors(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def letter_detail(request, pk, letter_pk):
    user = request.user
    letter = selectors.visible_letter(user, pk, letter_pk)
    case = letter.inburgeraar
    audit.case_viewed(user, letter, part="brief")
    return render(
        request,
        "letters/detail.html",
        {
            "case": case,
            "letter": letter,
            "can_edit": case_selectors.can_edit(user, case),
            "send_form": forms.SendForm(),
            "editable": letter.kind in forms.FORMS and letter.status in services.EDITABLE_STATUSES,
            "recipient": services.content.recipient_of(letter, on=timezone.localdate()),
        },
    )


@login_required
def letter_preview(request, pk, letter_pk):
    """The concept rendered now, marked CONCEPT: audited like any download, never stored."""
    letter = selectors.visible_letter(request.user, pk, letter_pk)
    if letter.is_sent:
        return redirect("letters:pdf", pk=pk, letter_pk=letter.pk)
    data = services.preview_pdf(letter)
    audit.document_downloaded(request.user, letter, part="concept")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="concept-{letter.kenmerk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def letter_pdf(request, pk, letter_pk):
    """The sent letter as stored, checked against its SHA-256, audited."""
    letter = selectors.visible_letter(request.user, pk, letter_pk)
    if not letter.is_sent:
        raise Http404
    try:
        stored = verified_bytes(letter.file, sha256=letter.sha256, size=letter.size)
    except IntegrityError:
        return HttpResponse(
            _("Dit document is niet beschikbaar: het opgeslagen bestand klopt niet meer."),
            status=500,
        )
    audit.document_downloaded(request.user, letter)
    response = HttpResponse(stored.getvalue(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="brief-{letter.kenmerk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def _back(letter):
    return redirect("letters:detail", pk=letter.inburgeraar_id, letter_pk=letter.pk)


@login_required
@require_POST
def letter_checked(request, pk, letter_pk):
    letter = selectors.visible_letter(request.user, pk, letter_pk)
    try:
        services.mark_checked(request.user, letter)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Gecontroleerd. Verstuur de brief en leg de datum vast."))
    return _back(letter)


@login_required
@require_POST
def letter_sent(request, pk, letter_pk):
    letter = selectors.visible_letter(request.user, pk, letter_pk)
    form = forms.SendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vul de verzenddatum in."))
        return _back(letter)
    try:
        services.mark_sent(request.user, letter, sent_on=form.cleaned_data["sent_on"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De brief is als verzonden vastgelegd en bewaard."))
    return _back(letter)


@login_required
@require_POST
def letter_discard(request, pk, letter_pk):
    letter = selectors.visible_letter(request.user, pk, letter_pk)
    try:
        services.discard_concept(request.user, letter)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back(letter)
    messages.success(request, _("Het concept is vervallen."))
    return redirect("case-tab", pk=pk, tab="brieven")


# --- bezwaar ------------------------------------------------------------------------------------


def _decisions(user, case) -> dict[str, object]:
    from pip_plans.models import PipStatus, PipVersion

    choices = {}
    for version in PipVersion.objects.visible_to(user).filter(
        pip__inburgeraar=case, status=PipStatus.VASTGESTELD, dagtekening__isnull=False
    ):
        choices[f"pip-{version.pk}"] = (
            _("PIP versie %(n)s, dagtekening %(date)s")
            % {"n": version.number, "date": version.dagtekening.strftime("%d-%m-%Y")},
            {"pip_version": version},
        )
    for letter in Letter.objects.visible_to(user).filter(
        inburgeraar=case, kind=LetterKind.BOETEBESCHIKKING, status=LetterStatus.VERZONDEN
    ):
        choices[f"boete-{letter.pk}"] = (
            _("Boetebeschikking %(kenmerk)s, dagtekening %(date)s")
            % {"kenmerk": letter.kenmerk, "date": letter.dagtekening.strftime("%d-%m-%Y")},
            {"fine_letter": letter},
        )
    return choices


@login_required
def new_bezwaar(request, pk):
    user = request.user
    case = case_selectors.get_case(user, pk)
    if not case_selectors.can_edit(user, case):
        raise Http404
    decisions = _decisions(user, case)
    form = forms.BezwaarForm(
        request.POST or None, choices=[(key, label) for key, (label, _x) in decisions.items()]
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            bezwaar = services.register_bezwaar(
                user,
                case,
                **decisions[data["against"]][1],
                received_on=data["received_on"],
                posted_on=data["posted_on"],
                advisory_committee=data["advisory_committee"],
                grounds=data["grounds"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Het bezwaarschrift is geregistreerd."))
            return redirect("letters:bezwaar", pk=case.pk, bezwaar_pk=bezwaar.pk)
    return render(
        request,
        "letters/bezwaar_new.html",
        {"case": case, "form": form, "has_decisions": bool(decisions)},
    )


@login_required
def bezwaar_detail(request, pk, bezwaar_pk):
    user = request.user
    bezwaar = selectors.visible_bezwaar(user, pk, bezwaar_pk)
    case = bezwaar.inburgeraar
    audit.case_viewed(user, bezwaar, part="bezwaar")
    return render(
        request,
        "letters/bezwaar_detail.html",
        {
            "case": case,
            "bezwaar": bezwaar,
            "beslistermijn": services.beslistermijn(bezwaar),
            "posted_grace_end": services.rules.posted_grace_end(bezwaar.window_end),
            "letters": bezwaar.letters.all(),
            "can_edit": case_selectors.can_edit(user, case),
            "hearing_form": forms.HearingForm(
                initial={"hearing_at": bezwaar.hearing_at, "hearing_notes": bezwaar.hearing_notes}
            ),
            "decision_form": forms.DecisionForm(),
        },
    )


def _back_to_bezwaar(bezwaar):
    return redirect("letters:bezwaar", pk=bezwaar.inburgeraar_id, bezwaar_pk=bezwaar.pk)


@login_required
@require_POST
def bezwaar_hearing(request, pk, bezwaar_pk):
    bezwaar = selectors.visible_bezwaar(request.user, pk, bezwaar_pk)
    form = forms.HearingForm(request.POST)
    if form.is_valid():
        try:
            services.plan_hearing(
                request.user,
                bezwaar,
                hearing_at=form.cleaned_data["hearing_at"],
                notes=form.cleaned_data["hearing_notes"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("De hoorzitting is vastgelegd."))
    else:
        messages.error(request, _("Vul de datum en tijd van de hoorzitting in."))
    return _back_to_bezwaar(bezwaar)


@login_required
@require_POST
def bezwaar_extend(request, pk, bezwaar_pk):
    bezwaar = selectors.visible_bezwaar(request.user, pk, bezwaar_pk)
    try:
        services.extend_beslistermijn(request.user, bezwaar)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De beslistermijn is met zes weken verdaagd."))
    return _back_to_bezwaar(bezwaar)


@login_required
@require_POST
def bezwaar_decide(request, pk, bezwaar_pk):
    bezwaar = selectors.visible_bezwaar(request.user, pk, bezwaar_pk)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies de beslissing en geef de motivering."))
        return _back_to_bezwaar(bezwaar)
    try:
        _bezwaar, letter = services.decide_bezwaar(
            request.user,
            bezwaar,
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["decision_reason"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back_to_bezwaar(bezwaar)
    messages.success(request, _("De beslissing is vastgelegd. Controleer de brief."))
    return redirect("letters:detail", pk=pk, letter_pk=letter.pk)
