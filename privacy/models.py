"""The AVG lifecycle of a case: a legal hold that stops retention, and the record that retention ran.

Five years after the duty ended (`uitvoering.Afronding.retention_until`, the last day kept) the
retention sweep (privacy.retention) anonymises the case: its personal data and files go, the
facts the statistics count stay. A legal hold (a bezwaar or court case pending, an inzage
request being answered, a police request) stops it for that case until the hold is lifted.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.access import VisibleQuerySet
from cases.models import Inburgeraar


class LegalHold(models.Model):
    CASE_PATH = "inburgeraar"
    AUDIT_PLAIN_FIELDS = ("reason",)

    inburgeraar = models.OneToOneField(
        Inburgeraar,
        on_delete=models.PROTECT,
        related_name="legal_hold",
        verbose_name=_("inburgeraar"),
    )
    reason = models.CharField(
        _("grond"),
        max_length=500,
        help_text=_(
            "Waarom dit dossier langer bewaard moet worden, bijvoorbeeld een lopende procedure."
        ),
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    placed_at = models.DateTimeField(_("geplaatst op"), default=timezone.now, editable=False)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("bewaarplicht (legal hold)")
        verbose_name_plural = _("bewaarplichten (legal hold)")

    def __str__(self):
        return f"Legal hold inburgeraar #{self.inburgeraar_id}"


class Anonymisation(models.Model):
    """Retention ran for this case: when, and how much of what went (counts, no content)."""

    CASE_PATH = "inburgeraar"

    inburgeraar = models.OneToOneField(
        Inburgeraar,
        on_delete=models.PROTECT,
        related_name="anonymisation",
        verbose_name=_("inburgeraar"),
    )
    done_at = models.DateTimeField(_("geanonimiseerd op"), default=timezone.now)
    retention_until = models.DateField(_("bewaard tot en met"))
    removed = models.JSONField(_("verwijderd"), default=dict)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("anonimisering")
        verbose_name_plural = _("anonimiseringen")

    def __str__(self):
        return f"Anonimisering inburgeraar #{self.inburgeraar_id}"
