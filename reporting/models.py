"""Stored Stuurinformatie: the figures of a municipality, or of the region, as counted at one
moment. Counts only (no name, no id of a case): counting 100,000 cases takes seconds, so Celery
beat counts every few minutes and the page reads what it stored."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class FigureSnapshot(models.Model):
    # "regio", or "gemeente-<id>" (reporting.selectors.snapshot_scope).
    scope = models.CharField(_("gebied"), max_length=40, unique=True)
    computed_at = models.DateTimeField(_("geteld op"))
    # The day the figures were counted for: "verlopen" and "binnen 10 weken" depend on it.
    computed_on = models.DateField(_("peildatum"))
    data = models.JSONField(_("cijfers"), encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("stuurinformatie (opgeslagen)")
        verbose_name_plural = _("stuurinformatie (opgeslagen)")

    def __str__(self):
        return f"{self.scope} ({self.computed_at:%Y-%m-%d %H:%M})"
