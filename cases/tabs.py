"""The case's own dossier tabs: Overzicht first, Tijdlijn last; the feature apps register theirs
in between (cases.registry)."""

from django.utils.translation import gettext_lazy as _

from . import forms, registry, selectors, services


def overview_context(request, case) -> dict:
    user = request.user
    can_edit = selectors.can_edit(user, case)
    context = {
        "household": selectors.household_of(user, case),
        "transfers": case.transfers.select_related("from_municipality", "to_municipality")[:5],
        "can_edit": can_edit,
        "household_form": forms.HouseholdAddForm(
            initial={"version": case.version}, user=user, case=case
        ),
        "may_take": False,
        "assignees": None,
    }
    if can_edit and services.may_assign(user, case, None):
        context["assignees"] = selectors.assignable_caseworkers([case.municipality_id])
    elif can_edit and case.caseworker_id is None:
        context["may_take"] = services.may_assign(user, case, user)
    return context


def timeline_context(request, case) -> dict:
    return {"events": selectors.timeline_of(request.user, case)}


def register_case_tabs() -> None:
    registry.register_tab(
        registry.Tab(
            slug="overzicht",
            label=_("Overzicht"),
            order=10,
            template="cases/tabs/overzicht.html",
            context=overview_context,
        )
    )
    registry.register_tab(
        registry.Tab(
            slug="tijdlijn",
            label=_("Tijdlijn"),
            order=90,
            template="cases/tabs/tijdlijn.html",
            context=timeline_context,
        )
    )
