"""Counting the Stuurinformatie and storing it (FigureSnapshot): by Celery beat every few
minutes, and by the page itself for a scope that has no fresh figures (a new installation)."""

from django.db import transaction
from django.utils import timezone

from municipalities.models import Organisation

from . import selectors
from .models import FigureSnapshot


def store_figures(municipality=None, *, now=None) -> FigureSnapshot:
    """Count the figures of `municipality` (None: the region) and store them, replacing the
    previous count of that scope. Idempotent: counting twice stores the same figures."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    data = selectors.figures_data(selectors.scope_cases(municipality), today=today)
    with transaction.atomic():
        snapshot, _created = FigureSnapshot.objects.update_or_create(
            scope=selectors.snapshot_scope(municipality),
            defaults={"computed_at": now, "computed_on": today, "data": data},
        )
    return snapshot


def refresh_figures(*, now=None) -> int:
    """Every municipality's figures and the region's, counted now: the beat task."""
    municipalities = Organisation.objects.filter(kind=Organisation.Kind.GEMEENTE).order_by("pk")
    stored = [store_figures(municipality, now=now) for municipality in municipalities]
    stored.append(store_figures(None, now=now))
    return len(stored)


def figure_sets(user, *, now=None) -> tuple[list[tuple[str, dict]], object]:
    """[(name, figures)] for the user's municipalities and the region, and the moment the oldest
    of them was counted. Stored figures of today, at most FIGURES_MAX_AGE_MINUTES old, are used;
    a scope without them is counted now and stored."""
    from django.utils.translation import gettext as _

    now = now or timezone.now()
    scopes = [(m.name, m) for m in selectors.figure_municipalities(user)]
    scopes.append((_("Regio Westfriesland"), None))
    stored = selectors.fresh_snapshots(
        [selectors.snapshot_scope(municipality) for _name, municipality in scopes], now=now
    )
    sets, counted_at = [], now
    for name, municipality in scopes:
        snapshot = stored.get(selectors.snapshot_scope(municipality))
        if snapshot is None:
            snapshot = store_figures(municipality, now=now)
        counted_at = min(counted_at, snapshot.computed_at)
        sets.append((name, selectors.present(snapshot.data)))
    return sets, counted_at
