"""The PIP pages. Reads through the one door; writes through pip_plans.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.http.response import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit import events as audit
from cases import selectors as case_selectors
from cases.services import ConcurrentEditError
from cases.views import render_tab
from common.stored_files import IntegrityError as DocumentIntegrityError
from intake import selectors as intake_selectors
from municipalities.models import Role
from municipalities.selectors import has_role

from . import forms, rules, selectors, services
from .documents import (
    filename_for,
    record_download,
    render_concept,
    verified_file,
    visible_document,
)
from .models import PipStatus, PipVersion


def pip_tab_context(request, case) -> dict:
    """The dossier's PIP tab: the open version as a form with its rule messages, the versions,
    the documents, and the legal deadline."""
    user = request.user
    pip = selectors.pip_of(user, case)
    context = {
        "pip": pip,
        "pip_deadline": intake_selectors.pip_deadline_for(case),
        "can_edit": case_selectors.can_edit(user, case),
    }
    if pip is None:
        return context
    versions = list(selectors.versions_of(user, pip))
    current = selectors.open_version(versions)
    adopted = [v for v in versions if v.status == PipStatus.VASTGESTELD]
    context.update(
        {
            "versions": versions,
            "current": current,
            "latest_adopted": adopted[0] if adopted else None,
            "documents": list(selectors.documents_of(user, [v.pk for v in adopted])),
            "part_statuses": services.part_statuses(case.pk),
            "new_version_form": forms.NewVersionForm(),
        }
    )
    if current is not None:
        check = services.check_version(current)
        context.update(
            {
                "form": forms.PipDraftForm(instance=current, prefix="pip"),
                "rule_messages": rules.blocking_messages(check),
                "may_adopt": services.may_adopt(user, current),
                "is_team_lead": has_role(user, Role.TEAMLEIDER, organisation=case.municipality_id),
                "return_form": forms.ReturnForm(prefix="terug"),
            }
        )
    return context


def _case_and_version(request, pk, version_pk):
    case = case_selectors.get_case(request.user, pk)
    version = get_object_or_404(
        PipVersion.objects.visible_to(request.user), pk=version_pk, pip__inburgeraar=case
    )
    return case, version


def _back(pk):
    return redirect("case-tab", pk=pk, tab="pip")


def _report(request, error):
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            text = " ".join(m for msgs in error.message_dict.values() for m in msgs)
        else:
            text = " ".join(error.messages)
    else:
        text = str(error)
    messages.error(request, text)


@login_required
def draft(request, pk):
    case = case_selectors.get_case(request.user, pk)
    return redirect("case-tab", pk=case.pk, tab="pip")


@login_required
@require_POST
def save_draft(request, pk, version_pk):
    case, version = _case_and_version(request, pk, version_pk)
    if not case_selectors.can_edit(request.user, case):
        raise Http404
    form = forms.PipDraftForm(
        request.POST, instance=PipVersion.objects.get(pk=version.pk), prefix="pip"
    )
    submitting = "aanbieden" in request.POST
    if form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields if name in form.fields}
        try:
            version = services.save_draft(
                request.user, version, expected_version=form.cleaned_data["version"], values=values
            )
        except (ValidationError, ConcurrentEditError) as error:
            _report(request, error)
        else:
            if not submitting:
                messages.success(request, _("Concept opgeslagen."))
                return _back(pk)
            # "Ter vaststelling aanbieden" is a button of the draft's own form: what was typed is
            # saved first, then submitted; a rule that blocks leaves the saved draft.
            try:
                services.submit(request.user, version, base_url=_base_url(request))
            except ValidationError as error:
                messages.success(request, _("Concept opgeslagen."))
                _report(request, error)
            else:
                messages.success(
                    request, _("Het PIP is opgeslagen en ter vaststelling aangeboden.")
                )
            return _back(pk)
    else:
        messages.error(request, _("Niet opgeslagen: controleer de gemarkeerde velden."))
    return render_tab(
        request, case, "pip", {**pip_tab_context(request, case), "form": form}, status=422
    )


def _base_url(request) -> str:
    """The address this request came in on: links in the emails it causes point there."""
    return request.build_absolute_uri("/")


@login_required
@require_POST
def submit(request, pk, version_pk):
    _case, version = _case_and_version(request, pk, version_pk)
    try:
        services.submit(request.user, version, base_url=_base_url(request))
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("Het PIP is ter vaststelling aangeboden aan de teamleider."))
    return _back(pk)


def _adoption_preview(version):
    """What the adoption would set if it happened today, on unsaved copies (nothing is stored)."""
    import copy

    from django.utils import timezone

    today = timezone.localdate()
    preview = copy.copy(version)
    pip = copy.copy(version.pip)
    if pip.dagtekening_initiele_pip is None:
        pip.dagtekening_initiele_pip = today
        pip.termijn_start, pip.termijn_end = rules.termijn(today)
    preview.pip = pip
    preview.dagtekening = today
    preview.bezwaar_deadline = rules.bezwaar_deadline(today)
    preview.course_start_deadline = rules.course_start_deadline(today, version.route)
    return preview


@login_required
def adopt(request, pk, version_pk):
    """PIP vaststellen is irreversible: a GET (or a POST without `bevestigd`) shows what it will
    decide, with the concept of the beschikking; only the confirmed POST adopts."""
    case, version = _case_and_version(request, pk, version_pk)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if request.method == "GET" or request.POST.get("bevestigd") != "ja":
        if version.status != PipStatus.TER_VASTSTELLING or not services.may_adopt(
            request.user, version
        ):
            return _back(pk)
        check = services.check_version(version)
        return render(
            request,
            "pip_plans/adopt_confirm.html",
            {
                "case": case,
                "version": version,
                "preview": _adoption_preview(version),
                "rule_messages": rules.blocking_messages(check),
            },
        )
    try:
        services.adopt(request.user, version)
    except (ValidationError, PermissionDenied) as error:
        _report(request, error)
    else:
        messages.success(request, _("Het PIP is vastgesteld. De beschikking wordt aangemaakt."))
    return _back(pk)


@login_required
@require_POST
def withdraw(request, pk, version_pk):
    _case, version = _case_and_version(request, pk, version_pk)
    try:
        services.withdraw(request.user, version)
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("Het PIP is teruggenomen en is weer een concept."))
    return _back(pk)


@login_required
@require_POST
def return_to_author(request, pk, version_pk):
    _case, version = _case_and_version(request, pk, version_pk)
    form = forms.ReturnForm(request.POST, prefix="terug")
    if not form.is_valid():
        messages.error(request, _("Schrijf een opmerking bij het terugsturen."))
        return _back(pk)
    try:
        services.return_with_comment(request.user, version, comment=form.cleaned_data["comment"])
    except (ValidationError, PermissionDenied) as error:
        _report(request, error)
    else:
        messages.success(request, _("Het PIP is teruggestuurd naar de klantmanager."))
    return _back(pk)


@login_required
@require_POST
def new_version(request, pk):
    case = case_selectors.get_case(request.user, pk)
    pip = selectors.pip_of(request.user, case)
    form = forms.NewVersionForm(request.POST)
    if pip is None or not form.is_valid():
        messages.error(request, _("Kies de reden voor de nieuwe versie."))
        return _back(pk)
    try:
        services.new_version(request.user, pip, **form.cleaned_data)
    except ValidationError as error:
        _report(request, error)
    else:
        messages.success(request, _("Er is een nieuwe PIP-versie geopend."))
    return _back(pk)


@login_required
def compare(request, pk):
    case = case_selectors.get_case(request.user, pk)
    pip = selectors.pip_of(request.user, case)
    if pip is None:
        raise Http404
    versions = {v.number: v for v in selectors.versions_of(request.user, pip)}
    try:
        left, right = versions[int(request.GET["links"])], versions[int(request.GET["rechts"])]
    except (KeyError, ValueError):
        numbers = sorted(versions)
        if len(numbers) < 2:
            raise Http404 from None
        left, right = versions[numbers[-2]], versions[numbers[-1]]
    rows = services.compare(left, right)
    audit.case_viewed(
        request.user, case, part=f"pip vergelijken v{left.number}-v{right.number}", fields=["pip"]
    )
    return render(
        request,
        "pip_plans/compare.html",
        {
            "case": case,
            "left": left,
            "right": right,
            "rows": rows,
            "versions": sorted(versions.values(), key=lambda v: v.number),
        },
    )


@login_required
def concept_beschikking(request, pk, version_pk):
    """The beschikking as it would read if adopted today, rendered now and marked CONCEPT: never
    stored, never the decision. For the people working the case (the caseworker preparing it, the
    team lead before adopting); a reader of the case (WerkSaam) gets 404. Audited like any
    download."""
    case, version = _case_and_version(request, pk, version_pk)
    if not (
        case_selectors.can_edit(request.user, case) or services.may_adopt(request.user, version)
    ):
        raise Http404
    if version.status == PipStatus.VASTGESTELD:
        return _back(pk)  # the decision itself is the stored PDF
    data = render_concept(_adoption_preview(version), request.user)
    audit.document_downloaded(request.user, version, part="concept beschikking")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="concept-beschikking-PIP-{case.pk}-{version.number}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def documents_status(request, pk):
    """The PIP tab's documents block, polled by htmx while the PDFs are being made: it stops
    polling (no hx-trigger in the answer) once they are there."""
    case = case_selectors.get_case(request.user, pk)
    context = pip_tab_context(request, case)
    return render(request, "pip_plans/_documents.html", {"case": case, **context})


@login_required
def document_download(request, pk, document_pk):
    """A stored PIP PDF: found through the one door (404 for anyone else), checked against its
    SHA-256, audited, and served as stored. Never re-rendered."""
    document = visible_document(request.user, pk, document_pk)
    try:
        stored = verified_file(document)
    except DocumentIntegrityError:
        return render(
            request,
            "pip_plans/pdf/unavailable.html",
            {"case_pk": pk, "document": document},
            status=500,
        )
    record_download(request.user, document)
    response = FileResponse(
        stored,
        as_attachment=True,
        filename=filename_for(document.version, document.kind),
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response
