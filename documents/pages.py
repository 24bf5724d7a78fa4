"""The documents' place in the case's pages: the Documenten tab."""

from django.utils.translation import gettext_lazy as _

from cases import registry


def register() -> None:
    from .views import documents_tab_context

    registry.register_tab(
        registry.Tab(
            slug="documenten",
            label=_("Documenten"),
            order=70,
            template="documents/tab.html",
            context=documents_tab_context,
        )
    )
