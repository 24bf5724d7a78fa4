"""The Documenten tab, the upload and the audited download. 404 outside the case's scope."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit import events as audit
from cases import selectors as case_selectors
from cases.views import render_tab

from . import forms, scanning, services
from .models import Document


def documents_tab_context(request, case, form=None) -> dict:
    user = request.user
    return {
        "documents": Document.objects.visible_to(user).filter(inburgeraar=case),
        "can_edit": case_selectors.can_edit(user, case),
        "upload_form": form or forms.UploadForm(),
        "scanner_status": scanning.scanner_status(),
    }


@login_required
@require_POST
def upload(request, pk):
    user = request.user
    case = case_selectors.get_case(user, pk)
    if not case_selectors.can_edit(user, case):
        raise Http404
    form = forms.UploadForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.upload_document(
                user,
                case,
                data=services.read_upload(data["file"]),
                kind=data["kind"],
                document_date=data["document_date"],
                description=data["description"],
                special_category=data["special_category"],
                for_werksaam=data["for_werksaam"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error("file", error)
        else:
            messages.success(request, _("Het document is gescand en bewaard."))
            return redirect("case-tab", pk=case.pk, tab="documenten")
    return render_tab(
        request, case, "documenten", documents_tab_context(request, case, form), status=400
    )


@login_required
def download(request, pk, document_pk):
    document = services.visible_document(request.user, pk, document_pk)
    data = services.verified_bytes(document)
    audit.document_downloaded(request.user, document)
    response = HttpResponse(data, content_type=document.content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="document-{document.inburgeraar_id}-{document.pk}.{document.extension}"'
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
