"""Uitvoering's places in the case's pages: the Uitvoering tab, the verzuim signals on Vandaag
(and, for a language school's staff, the way to their own page), the end state in the header."""

from django.utils.translation import gettext_lazy as _

from cases import registry

from . import selectors
from .models import Afronding


def home_context(request, today):
    user = request.user
    if selectors.works_for_a_school(request):
        return {"school_user": True}
    signals = selectors.verzuim_signals(user, today=today)
    if not signals:
        return None
    return {"signals": signals}


def header_context(user, case) -> dict:
    afronding = (
        Afronding.objects.filter(inburgeraar=case).first()
        if case.status
        in (
            "afgerond",
            "beeindigd",
        )
        else None
    )
    return {"afronding": afronding}


def register() -> None:
    from .views import tab_context

    registry.register_tab(
        registry.Tab(
            slug="uitvoering",
            label=_("Uitvoering"),
            order=35,
            template="uitvoering/tab.html",
            context=tab_context,
        )
    )
    registry.register_home_section(
        registry.HomeSection(
            slug="uitvoering-verzuim",
            order=15,
            template="uitvoering/_home.html",
            context=home_context,
        )
    )
    registry.register_header_fact(
        registry.HeaderFact(
            slug="afronding",
            label=_("Afronding"),
            order=90,
            template="uitvoering/_header_fact.html",
            context=header_context,
        )
    )
