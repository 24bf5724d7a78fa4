from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from audit import events as audit

from . import parsing, selectors, services
from .forms import UploadForm
from .models import ImportRow

ROWS_PER_PAGE = 100


@login_required
def upload(request):
    allowed = selectors.import_municipalities(request.user)
    if not allowed:
        raise PermissionDenied
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if form.is_bound and form.is_valid():
        try:
            batch = services.parse_upload(request.user, form.cleaned_data["file"])
        except parsing.ImportFileError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("duo_import:preview", pk=batch.pk)
    context = {
        "form": form,
        "municipalities": sorted(allowed.values(), key=lambda organisation: organisation.name),
        "batches": selectors.batches_of(request.user)[:20],
        "required_columns": list(parsing.REQUIRED_COLUMNS),
        "optional_columns": list(parsing.OPTIONAL_COLUMNS),
    }
    return render(request, "duo_import/upload.html", context)


@login_required
def preview(request, pk):
    batch = selectors.get_batch(request.user, pk)
    only_errors = request.GET.get("toon") == "fouten"
    page = Paginator(selectors.rows_of(batch, only_errors=only_errors), ROWS_PER_PAGE).get_page(
        request.GET.get("pagina")
    )
    linked = {ImportRow.Outcome.EXISTING, ImportRow.Outcome.CREATED}
    case_ids = selectors.visible_case_ids(
        request.user, (row.bsn for row in page if row.outcome in linked)
    )
    rows = [(row, case_ids.get(row.bsn)) for row in page]
    audit.case_viewed(request.user, batch, part="DUO-import")
    context = {
        "batch": batch,
        "page": page,
        "rows": rows,
        "only_errors": only_errors,
        "earlier_uploads": selectors.earlier_uploads_of_same_file(batch)[:5],
    }
    return render(request, "duo_import/preview.html", context)


@require_POST
@login_required
def commit(request, pk):
    batch = selectors.get_batch(request.user, pk)
    try:
        result = services.commit_batch(request.user, batch)
    except services.BatchNotCommittable as exc:
        messages.error(request, exc.message)
    except IntegrityError:
        messages.error(
            request,
            _(
                "Er is tegelijk een andere import verwerkt met een of meer dezelfde BSN's. Er is "
                "niets geïmporteerd; upload het bestand opnieuw."
            ),
        )
    else:
        # The whole file's outcome: rows refused at the preview were not processed either.
        batch.refresh_from_db()
        messages.success(
            request,
            _("Import verwerkt: %(created)s, %(corrected)s, %(existing)s, %(errors)s.")
            % {
                "created": ngettext(
                    "%(n)s inburgeraar geregistreerd",
                    "%(n)s inburgeraars geregistreerd",
                    result["created"],
                )
                % {"n": result["created"]},
                "corrected": _("%(n)s gecorrigeerd") % {"n": result["corrected"]},
                "existing": _("%(n)s al geregistreerd") % {"n": batch.existing_count},
                "errors": ngettext(
                    "%(n)s regel niet verwerkt", "%(n)s regels niet verwerkt", batch.error_count
                )
                % {"n": batch.error_count},
            },
        )
    return redirect("duo_import:preview", pk=batch.pk)


@require_POST
@login_required
def cancel(request, pk):
    batch = selectors.get_batch(request.user, pk)
    try:
        services.cancel_batch(request.user, batch)
    except services.BatchNotCommittable as exc:
        messages.error(request, exc.message)
        return redirect("duo_import:preview", pk=batch.pk)
    messages.info(request, _("De import is geannuleerd; er is niets geïmporteerd."))
    return redirect("duo_import:upload")
