"""The deadlines' places in the case's pages: the Termijnen tab, the agenda on Vandaag, the next
legal date as a case-list column (one subquery) and in the dossier header."""

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import registry

from . import rules, selectors


def tab_context(request, case) -> dict:
    return {
        "deadlines": list(selectors.case_deadlines(request.user, case.pk)),
        "today": timezone.localdate(),
        "manual_kinds": rules.MANUAL,
        "recorded_kinds": rules.RECORDED_IN_UITVOERING,
    }


def home_context(request, today) -> dict:
    lists = selectors.home_agenda(request.user, today=today)
    anything = any(item.rows for item in lists.values())
    return {**lists, "anything": anything, "waiting": anything}


def header_context(user, case) -> dict:
    return {"next_deadline": selectors.next_deadline(user, case.pk)}


def register() -> None:
    registry.register_tab(
        registry.Tab(
            slug="termijnen",
            label=_("Termijnen"),
            order=40,
            template="deadlines/tab.html",
            context=tab_context,
        )
    )
    registry.register_home_section(
        registry.HomeSection(
            slug="deadlines", order=10, template="deadlines/_home.html", context=home_context
        )
    )
    registry.register_case_column(
        registry.CaseColumn(
            slug="termijn",
            label=_("Volgende termijn"),
            order=10,
            cell_template="deadlines/_case_cell.html",
            annotations=lambda: {
                "next_due": selectors.next_due_subquery(),
                "next_due_kind": selectors.next_due_subquery("kind"),
            },
            sorts={
                "termijn": (_("Eerstvolgende termijn"), [F("next_due").asc(nulls_last=True), "id"])
            },
            page_ids={"termijn": selectors.next_due_page_ids},
        )
    )
    registry.register_header_fact(
        registry.HeaderFact(
            slug="termijn",
            label=_("Volgende termijn"),
            order=10,
            template="deadlines/_header_fact.html",
            context=header_context,
        )
    )
