"""The privacy officer's page: the inzage export (AVG art. 15) of one person, found by BSN.

The BSN is posted, never put in the address. A BSN unknown to the officer's municipalities gets
the same answer whether it exists elsewhere or not at all.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .forms import InzageForm
from .selectors import case_for_privacy_officer, is_privacy_officer, privacy_municipalities
from .services import make_inzage


@login_required
@require_http_methods(["GET", "POST"])
def inzage(request):
    if not is_privacy_officer(request.user):
        raise PermissionDenied
    form = InzageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = case_for_privacy_officer(request.user, form.cleaned_data["bsn"])
        if case is None:
            form.add_error(
                "bsn", _("Er is geen inburgeraar met dit BSN bij uw gemeente(n) bekend.")
            )
        else:
            content, content_type, filename = make_inzage(
                request.user, case, fmt=form.cleaned_data["format"]
            )
            response = HttpResponse(content, content_type=content_type)
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
    status = 400 if form.errors else 200
    return render(
        request,
        "privacy/inzage.html",
        {"form": form, "municipalities": privacy_municipalities(request.user)},
        status=status,
    )
