"""The PIP pages. Reads through the one door; writes through pip_plans.services."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from intake import selectors


@login_required
def draft(request, pk):
    case = selectors.get_case(request.user, pk)
    return redirect("case-tab", pk=case.pk, tab="pip")
