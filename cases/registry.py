"""Where the apps built on the case plug into its pages, so the shell knows none of them by name.

Each app registers from its `AppConfig.ready()`:
- a dossier **tab** (slug, label, order, who may see it, the function that gives its context and
  the template that renders it);
- a **home section** on Vandaag (order, template, context function);
- a **case-list column** (an annotation on the case queryset, an optional sort key, the template
  of its cell);
- a **header fact** in the dossier's sticky header (label and a function that gives its value).

Registration is idempotent by slug: `ready()` may run twice in tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


def _always(user, case) -> bool:
    return True


@dataclass(frozen=True)
class Tab:
    slug: str
    label: Any
    order: int
    template: str
    # (request, case) -> context for the template; it may hold "audited_fields", the fields the
    # tab shows that its audit entry must name (health data).
    context: Callable[..., dict]
    visible: Callable[..., bool] = _always


@dataclass(frozen=True)
class HomeSection:
    slug: str
    order: int
    template: str
    # (request, today) -> context, or None when the section has nothing to say to this user. A
    # context with "waiting": True tells Vandaag that something waits for the user.
    context: Callable[..., dict | None]


@dataclass(frozen=True)
class CaseColumn:
    slug: str
    label: Any
    order: int
    cell_template: str
    # () -> {name: expression}: annotations on the case list queryset (one subquery each).
    annotations: Callable[[], dict] = dict
    # The list's ?sort= values this column offers: {value: (label, order_by expressions)}.
    sorts: dict[str, tuple] = field(default_factory=dict)
    # A shorter way to a page's ids in one of those sorts, for the unfiltered list:
    # {value: (cases, offset, limit) -> the ids of cases.order_by(<its order>)[offset:offset+limit],
    # or None when it has no shorter way for that page}. Same ids, same order.
    page_ids: dict[str, Callable] = field(default_factory=dict)


@dataclass(frozen=True)
class HeaderFact:
    slug: str
    label: Any
    order: int
    template: str
    # (user, case) -> context for the template.
    context: Callable[..., dict]


_tabs: dict[str, Tab] = {}
_home: dict[str, HomeSection] = {}
_columns: dict[str, CaseColumn] = {}
_facts: dict[str, HeaderFact] = {}
# (user, case) -> the legal basis (a short text) on which a reader without the dossier needs the
# full BSN, or "" (WerkSaam on a Participatiewet share: werksaam_bridge registers it).
_bsn_bases: dict[str, Callable[..., str]] = {}


def register_tab(tab: Tab) -> None:
    _tabs[tab.slug] = tab


def register_home_section(section: HomeSection) -> None:
    _home[section.slug] = section


def register_case_column(column: CaseColumn) -> None:
    _columns[column.slug] = column


def register_header_fact(fact: HeaderFact) -> None:
    _facts[fact.slug] = fact


def tabs() -> list[Tab]:
    return sorted(_tabs.values(), key=lambda tab: (tab.order, tab.slug))


def tab(slug: str) -> Tab | None:
    return _tabs.get(slug)


def visible_tabs(user, case) -> list[Tab]:
    return [tab for tab in tabs() if tab.visible(user, case)]


def home_sections() -> list[HomeSection]:
    return sorted(_home.values(), key=lambda section: (section.order, section.slug))


def case_columns() -> list[CaseColumn]:
    return sorted(_columns.values(), key=lambda column: (column.order, column.slug))


def header_facts() -> list[HeaderFact]:
    return sorted(_facts.values(), key=lambda fact: (fact.order, fact.slug))


def register_full_bsn_basis(slug: str, basis: Callable[..., str]) -> None:
    _bsn_bases[slug] = basis


def full_bsn_basis(user, case) -> str:
    """Why `user`, reading `case` outside its dossier, may see the full BSN ("" if not)."""
    for basis in _bsn_bases.values():
        reason = basis(user, case)
        if reason:
            return reason
    return ""
