from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from audit.models import AuditEntry
from audit.services import record

from . import selectors

PAGE_SIZE = 25


@login_required
def home(request):
    my_cases = selectors.cases_for(request.user).filter(caseworker=request.user)[:10]
    return render(request, "intake/home.html", {"my_cases": my_cases})


@login_required
def case_list(request):
    query = request.GET.get("q", "")
    cases = selectors.search_cases(request.user, query)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "intake/case_list.html", {"page": page, "query": query})


@login_required
def case_detail(request, pk):
    case = selectors.get_case(request.user, pk)
    record(request.user, AuditEntry.Action.VIEW, case)
    return render(request, "intake/case_detail.html", {"case": case})
