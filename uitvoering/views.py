"""The Uitvoering tab's actions and the language school's own pages.

Case pages read through the one door (cases.selectors.get_case: 404 outside scope) and write
through uitvoering.services. A language school never reaches a case page: it has no case role and
no grant, so every dossier URL answers 404; its own pages read `Enrolment.objects.for_school`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from audit import events as audit
from cases import selectors as case_selectors
from cases.models import CaseStatus, Inburgeraar
from cases.services import ConcurrentEditError
from cases.views import render_tab
from duo_import.parsing import ImportFileError
from municipalities.models import Organisation

from . import csv_exams, csv_reports, forms, selectors, services
from .models import (
    Afronding,
    Attendance,
    Completion,
    DossierSummary,
    Enrolment,
    ExamDecision,
    ExamResult,
    ProgressReview,
    Verlenging,
    school_ids,
)

TAB = "uitvoering"
CLOSED = (CaseStatus.AFGEROND, CaseStatus.BEEINDIGD)


def _enrolment_initial(case, version) -> dict:
    if version is None:
        return {}
    school = None
    if version.language_school_id:
        school = Organisation.objects.filter(
            kind=Organisation.Kind.AANBIEDER, name=version.language_school.name
        ).first()
    return {
        "school": school,
        "aanmelding_date": timezone.localdate(),
        "contract_id": version.contract_id,
        "alfabetisering": version.alfabetisering,
        "taalschakeltraject": version.taalschakeltraject,
        "contact_name": version.contact_name,
        "contact_email": version.contact_email,
    }


def tab_context(request, case) -> dict:
    user = request.user
    version = services.latest_adopted_version(case)
    can_edit = case_selectors.can_edit(user, case) and case.status not in CLOSED
    # Each enrolment's twelve latest reports in one query (a window over the enrolments), and
    # the adopted version read once: both were a query per enrolment.
    enrolments = list(
        Enrolment.objects.visible_to(user)
        .filter(inburgeraar=case)
        .select_related("school")
        .prefetch_related(
            Prefetch("attendance", queryset=Attendance.objects.all()[:12], to_attr="reports")
        )
    )
    for enrolment in enrolments:
        enrolment.no_fault = services.no_fault_status(case, enrolment, version)
        enrolment.form = forms.EnrolmentForm(instance=enrolment, prefix=f"aanbod-{enrolment.pk}")
    afronding = Afronding.objects.visible_to(user).filter(inburgeraar=case).first()
    # Read once: the statuses are computed from them and the tab lists them (they were read
    # twice, once unscoped for the statuses and once through the door for the list; the case
    # is the user's, so both are all of the case's rows).
    results = list(ExamResult.objects.visible_to(user).filter(inburgeraar=case))
    decisions = list(ExamDecision.objects.visible_to(user).filter(inburgeraar=case))
    context = {
        "version": version,
        "can_edit": can_edit,
        "enrolments": enrolments,
        "statuses": services.statuses_for(
            case, version.route, results=results, decisions=decisions
        ).values()
        if version
        else [],
        "results": results,
        "decisions": decisions,
        "completions": Completion.objects.visible_to(user).filter(inburgeraar=case),
        "reviews": ProgressReview.objects.visible_to(user).filter(inburgeraar=case),
        "verlengingen": Verlenging.objects.visible_to(user).filter(inburgeraar=case),
        "afronding": afronding,
        "summary": DossierSummary.objects.visible_to(user).filter(inburgeraar=case).first(),
        "threshold": selectors.threshold_for(case.municipality_id),
    }
    if can_edit and version is not None:
        context.update(
            {
                "enrol_form": forms.EnrolmentForm(
                    prefix="aanbod", initial=_enrolment_initial(case, version)
                ),
                "review_form": forms.ReviewForm(prefix="gesprek"),
                "result_form": forms.ExamResultForm(prefix="examen"),
                "decision_form": forms.ExamDecisionForm(prefix="ontheffing"),
                "completion_form": forms.CompletionForm(prefix="mappvt"),
                "verlenging_form": forms.VerlengingRequestForm(prefix="verlenging"),
                "verlenging_decision_form": forms.VerlengingDecisionForm(prefix="besluit"),
                "afronding_form": forms.AfrondingForm(prefix="afronding"),
            }
        )
    elif can_edit:
        context["afronding_form"] = forms.AfrondingForm(prefix="afronding")
    return context


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            target = name if name in form.fields else None
            for message in messages_:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _editable_case(request, pk):
    case = case_selectors.get_case(request.user, pk)
    if not case_selectors.can_edit(request.user, case):
        raise Http404
    return case


def _handle(request, pk, form_class, prefix, context_key, action, success):
    """Validate the form, run the service, and either go back to the tab or show the tab again
    with the form's messages (nothing is saved then)."""
    case = _editable_case(request, pk)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            action(case, form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        except ConcurrentEditError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, success)
            return redirect("case-tab", pk=case.pk, tab=TAB)
    case = case_selectors.get_case(request.user, pk)
    context = {**tab_context(request, case), context_key: form}
    return render_tab(request, case, TAB, context, status=422)


def _values(data, names):
    return {name: data[name] for name in names if name in data}


@login_required
@require_POST
def enrol(request, pk):
    def action(case, data):
        services.enrol(
            request.user,
            case,
            school=data["school"],
            values=_values(data, services.ENROLMENT_FIELDS),
        )

    return _handle(
        request,
        pk,
        forms.EnrolmentForm,
        "aanbod",
        "enrol_form",
        action,
        _("Het inburgeringsaanbod is vastgelegd."),
    )


@login_required
@require_POST
def update_enrolment(request, pk, enrolment_pk):
    case = _editable_case(request, pk)
    enrolment = get_object_or_404(
        Enrolment.objects.visible_to(request.user), pk=enrolment_pk, inburgeraar=case
    )
    form = forms.EnrolmentForm(request.POST, instance=enrolment, prefix=f"aanbod-{enrolment.pk}")
    if form.is_valid():
        try:
            services.update_enrolment(
                request.user,
                enrolment,
                values=_values(form.cleaned_data, services.ENROLMENT_FIELDS),
            )
        except (ValidationError, ConcurrentEditError) as error:
            if isinstance(error, ValidationError):
                _add_errors(form, error)
            else:
                form.add_error(None, str(error))
        else:
            messages.success(request, _("Het inburgeringsaanbod is bijgewerkt."))
            return redirect("case-tab", pk=case.pk, tab=TAB)
    context = tab_context(request, case)
    for item in context["enrolments"]:
        if item.pk == enrolment.pk:
            item.form = form
    return render_tab(request, case, TAB, context, status=422)


@login_required
@require_POST
def review(request, pk):
    def action(case, data):
        services.record_review(request.user, case, values=_values(data, services.REVIEW_FIELDS))

    return _handle(
        request,
        pk,
        forms.ReviewForm,
        "gesprek",
        "review_form",
        action,
        _("Het voortgangsgesprek is vastgelegd."),
    )


@login_required
@require_POST
def exam_result(request, pk):
    def action(case, data):
        services.record_exam_result(request.user, case, values=data)

    return _handle(
        request,
        pk,
        forms.ExamResultForm,
        "examen",
        "result_form",
        action,
        _("Het examenresultaat is vastgelegd."),
    )


@login_required
@require_POST
def exam_decision(request, pk):
    def action(case, data):
        services.record_exam_decision(request.user, case, values=data)

    return _handle(
        request,
        pk,
        forms.ExamDecisionForm,
        "ontheffing",
        "decision_form",
        action,
        _("Het besluit van DUO is vastgelegd."),
    )


@login_required
@require_POST
def completion(request, pk):
    def action(case, data):
        part = data.pop("part")
        services.record_completion(request.user, case, part=part, values=data)

    return _handle(
        request,
        pk,
        forms.CompletionForm,
        "mappvt",
        "completion_form",
        action,
        _("De afronding van het onderdeel is vastgelegd."),
    )


@login_required
@require_POST
def verlenging(request, pk):
    def action(case, data):
        services.request_verlenging(request.user, case, **data)

    return _handle(
        request,
        pk,
        forms.VerlengingRequestForm,
        "verlenging",
        "verlenging_form",
        action,
        _("De aanvraag verlenging is vastgelegd."),
    )


@login_required
@require_POST
def verlenging_decision(request, pk, verlenging_pk):
    def action(case, data):
        item = get_object_or_404(
            Verlenging.objects.visible_to(request.user), pk=verlenging_pk, inburgeraar=case
        )
        services.decide_verlenging(request.user, item, **data)

    return _handle(
        request,
        pk,
        forms.VerlengingDecisionForm,
        "besluit",
        "verlenging_decision_form",
        action,
        _("Het besluit op de verlenging is vastgelegd."),
    )


@login_required
@require_POST
def afronden(request, pk):
    def action(case, data):
        services.close_case(request.user, case, **data)

    return _handle(
        request,
        pk,
        forms.AfrondingForm,
        "afronding",
        "afronding_form",
        action,
        _("Het dossier is afgesloten."),
    )


@login_required
def move_out(request, pk):
    case = _editable_case(request, pk)
    if case.status in CLOSED:
        raise Http404
    form = forms.MoveOutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.move_out_of_region(request.user, case, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Het dossier is overgedragen aan %(gemeente)s en is nu alleen-lezen.")
                % {"gemeente": form.cleaned_data["moved_to"]},
            )
            return redirect("case-tab", pk=case.pk, tab=TAB)
    return render(
        request,
        "uitvoering/move_out.html",
        {"case": case, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
def attendance(request, pk):
    """The case's attendance and verzuim: every period the school reported, with the totals."""
    case = case_selectors.get_case(request.user, pk)
    context = {"case": case, **selectors.case_attendance(request.user, case)}
    audit.case_viewed(
        request.user,
        case,
        part="presentie en verzuim",
        fields=["hours_present", "hours_excused", "hours_unexcused"],
    )
    return render(request, "uitvoering/attendance.html", context)


@login_required
def summary_download(request, pk):
    case = case_selectors.get_case(request.user, pk)
    summary = get_object_or_404(DossierSummary.objects.visible_to(request.user), inburgeraar=case)
    audit.document_downloaded(request.user, summary, part="dossieroverdracht")
    return FileResponse(
        summary.file.open("rb"),
        as_attachment=True,
        filename=f"dossieroverdracht-{case.pk}.pdf",
        content_type="application/pdf",
    )


# --- the language school's own pages ----------------------------------------------------------------


def _school_user(request):
    if (
        not request.user.is_authenticated
        or not Organisation.objects.filter(pk__in=school_ids(request.user)).exists()
    ):
        raise Http404
    return Organisation.objects.filter(pk__in=school_ids(request.user)).order_by("name")


@login_required
def school_home(request):
    schools = _school_user(request)
    enrolments = list(selectors.school_enrolments(request.user))
    audit.listed(
        request.user,
        [e.inburgeraar for e in enrolments],
        part="taalschool",
        fields=["first_names", "surname", "bsn"],
    )
    return render(
        request,
        "uitvoering/school_home.html",
        {"schools": schools, "enrolments": enrolments},
    )


SIGNER_SALT = "uitvoering.attendance-csv"


@login_required
def school_upload(request):
    schools = _school_user(request)
    form = forms.CsvUploadForm(request.POST or None, request.FILES or None)
    context = {
        "schools": schools,
        "form": form,
        "columns": csv_reports.REQUIRED + csv_reports.OPTIONAL,
    }
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["file"].read()
        try:
            rows = csv_reports.parse(raw, selectors.school_enrolments(request.user))
        except ImportFileError as error:
            form.add_error("file", error.message)
        else:
            context.update(
                {
                    "rows": rows,
                    "valid": sum(1 for row in rows if not row.errors),
                    "invalid": sum(1 for row in rows if row.errors),
                    "payload": signing.dumps(
                        raw.decode("utf-8", "replace"), salt=SIGNER_SALT, compress=True
                    ),
                }
            )
            return render(request, "uitvoering/school_preview.html", context)
    return render(
        request, "uitvoering/school_upload.html", context, status=422 if form.errors else 200
    )


@login_required
@require_POST
def school_upload_confirm(request):
    _school_user(request)
    try:
        text = signing.loads(request.POST.get("payload", ""), salt=SIGNER_SALT, max_age=3600)
        rows = csv_reports.parse(text.encode("utf-8"), selectors.school_enrolments(request.user))
    except (signing.BadSignature, ImportFileError):
        messages.error(request, _("Het bestand kon niet worden verwerkt; upload het opnieuw."))
        return redirect("uitvoering:school-upload")
    written = services.import_attendance(request.user, rows)
    messages.success(
        request,
        ngettext(
            "%(n)s regel met presentie en voortgang is verwerkt.",
            "%(n)s regels met presentie en voortgang zijn verwerkt.",
            written,
        )
        % {"n": written},
    )
    return redirect("uitvoering:school-home")


# --- DUO's exam results by CSV (the caseworker's import) ----------------------------------------------

EXAM_SIGNER_SALT = "uitvoering.exam-results-csv"


def _exam_importer(request):
    """The cases the user may record results on; 404 for anyone without one (a language school,
    WerkSaam, a reader)."""
    cases = csv_exams.cases_for(request.user)
    if not cases.exists():
        raise Http404
    return cases


@login_required
def exam_import(request):
    cases = _exam_importer(request)
    form = forms.ExamCsvUploadForm(request.POST or None, request.FILES or None)
    context = {"form": form, "required": csv_exams.REQUIRED, "optional": csv_exams.OPTIONAL}
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["file"].read()
        try:
            rows = csv_exams.parse(raw, cases)
        except ImportFileError as error:
            form.add_error("file", error.message)
        else:
            matched = Inburgeraar.objects.filter(
                pk__in={row.case_id for row in rows if row.case_id}
            )
            audit.listed(
                request.user, matched, part="examenresultaten-import", fields=["bsn", "naam"]
            )
            context.update(
                {
                    "rows": rows,
                    "valid": sum(1 for row in rows if not row.errors),
                    "invalid": sum(1 for row in rows if row.errors),
                    "payload": signing.dumps(
                        raw.decode("utf-8", "replace"), salt=EXAM_SIGNER_SALT, compress=True
                    ),
                }
            )
            return render(request, "uitvoering/exam_preview.html", context)
    return render(
        request, "uitvoering/exam_import.html", context, status=422 if form.errors else 200
    )


@login_required
@require_POST
def exam_import_confirm(request):
    cases = _exam_importer(request)
    try:
        text = signing.loads(request.POST.get("payload", ""), salt=EXAM_SIGNER_SALT, max_age=3600)
        rows = csv_exams.parse(text.encode("utf-8"), cases)
    except (signing.BadSignature, ImportFileError):
        messages.error(request, _("Het bestand kon niet worden verwerkt; upload het opnieuw."))
        return redirect("uitvoering:exam-import")
    written = services.import_exam_results(request.user, rows)
    messages.success(request, _("%(n)s examenresultaten zijn vastgelegd.") % {"n": written})
    return redirect("uitvoering:exam-import")
