"""The PIP's places in the case's pages: its dossier tab and its section on Vandaag."""

from django.utils.translation import gettext_lazy as _

from cases import registry

from . import selectors


def home_context(request, today) -> dict | None:
    user = request.user
    context = {
        "pip_drafts": list(selectors.my_drafts(user)[:20]),
        "awaiting_adoption": list(selectors.awaiting_adoption(user)[:20]),
    }
    context["waiting"] = bool(context["pip_drafts"] or context["awaiting_adoption"])
    return context


def register() -> None:
    from .views import pip_tab_context

    registry.register_tab(
        registry.Tab(
            slug="pip",
            label=_("PIP"),
            order=30,
            template="pip_plans/_pip_tab.html",
            context=pip_tab_context,
        )
    )
    registry.register_home_section(
        registry.HomeSection(
            slug="pip", order=30, template="pip_plans/_home.html", context=home_context
        )
    )
