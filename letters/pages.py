"""The letters' place in the case's pages: the Brieven tab (letters and bezwaarschriften)."""

from django.utils.translation import gettext_lazy as _

from cases import registry


def register() -> None:
    from .views import letters_tab_context

    registry.register_tab(
        registry.Tab(
            slug="brieven",
            label=_("Brieven"),
            order=60,
            template="letters/tab.html",
            context=letters_tab_context,
        )
    )
