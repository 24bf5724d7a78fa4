"""Reads of cases. Every queryset starts at `visible_to(user)`: the one door."""

from django.db.models import Q, QuerySet

from common.bsn import normalise_bsn
from common.text import search_key

from .models import Inburgeraar


def cases_for(user) -> QuerySet[Inburgeraar]:
    return Inburgeraar.objects.visible_to(user).select_related("municipality", "caseworker")


def search_cases(user, query: str = "") -> QuerySet[Inburgeraar]:
    """Name (partial, accent-insensitive), BSN (exact) or V-nummer (exact)."""
    cases = cases_for(user)
    query = (query or "").strip()
    if not query:
        return cases
    bsn = normalise_bsn(query)
    if bsn.isdigit() and len(bsn) == 9:
        return cases.filter(Q(bsn=bsn) | Q(v_nummer=query))
    condition = Q(v_nummer__iexact=query)
    terms = search_key(query).split()
    name_match = Q()
    for term in terms:
        name_match &= Q(search_name__contains=term)
    return cases.filter(condition | name_match)


def get_case(user, pk) -> Inburgeraar:
    """The case, or Http404 when it does not exist or is outside the user's scope."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(cases_for(user), pk=pk)
