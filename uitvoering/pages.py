"""Uitvoering's places in the case's pages: the Uitvoering tab, the verzuim signals on Vandaag
(and, for a language school's staff, the way to their own page), the end state in the header."""

from django.utils.translation import gettext_lazy as _

from cases import registry
from municipalities.models import Role
from municipalities.selectors import request_holds

from . import selectors
from .models import Afronding, Organisation


def home_context(request, today):
    user = request.user
    # The twin of models.school_ids, from the request's memberships (the menu reads them too).
    if user.is_active and request_holds(
        request, {Role.TAALSCHOOL}, kind=Organisation.Kind.AANBIEDER
    ):
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
