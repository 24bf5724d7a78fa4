"""The intake's places in the case's pages: its dossier tab and its sections on Vandaag."""

from django.utils.translation import gettext_lazy as _

from cases import registry

from . import selectors


def attention_context(request, today) -> dict | None:
    attention = list(selectors.invitations_needing_attention(request.user, today=today)[:20])
    return {"attention": attention, "waiting": True} if attention else None


def open_intakes_context(request, today) -> dict:
    open_intakes = list(selectors.open_intakes_of(request.user)[:20])
    return {"open_intakes": open_intakes, "waiting": bool(open_intakes)}


def register() -> None:
    from .views import intake_tab_context

    registry.register_tab(
        registry.Tab(
            slug="intake",
            label=_("Brede intake"),
            order=20,
            template="intake/tab.html",
            context=intake_tab_context,
        )
    )
    registry.register_home_section(
        registry.HomeSection(
            slug="intake-attention",
            order=20,
            template="intake/_home_attention.html",
            context=attention_context,
        )
    )
    registry.register_home_section(
        registry.HomeSection(
            slug="intake-open",
            order=50,
            template="intake/_home_intakes.html",
            context=open_intakes_context,
        )
    )
