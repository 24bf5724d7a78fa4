"""The case shell's own places on Vandaag: for a team lead, the cases that have no klantmanager."""

from municipalities.selectors import led_municipality_ids

from . import registry, selectors

HOME_LIMIT = 10


def unassigned_context(request, today) -> dict | None:
    user = request.user
    led_ids = led_municipality_ids(user)
    if not led_ids:
        return None  # not a team lead (every klantmanager's Vandaag): nothing to ask
    rows = list(selectors.unassigned_cases(user, led_ids)[:HOME_LIMIT])
    if not rows:
        return None
    total = selectors.unassigned_total(user, led_ids)
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
