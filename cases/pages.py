"""The case shell's own places on Vandaag: for a team lead, the cases that have no klantmanager."""

from . import registry, selectors

HOME_LIMIT = 10


def unassigned_context(request, today) -> dict | None:
    user = request.user
    rows = list(selectors.unassigned_cases(user)[:HOME_LIMIT])
    if not rows:
        return None
    total = selectors.unassigned_total(user)
    return {
        "unassigned": rows,
        "total": total,
        "more": max(0, total - len(rows)),
        "waiting": True,
    }


def register() -> None:
    registry.register_home_section(
        registry.HomeSection(
            slug="unassigned",
            order=5,
            template="cases/_home_unassigned.html",
            context=unassigned_context,
        )
    )
