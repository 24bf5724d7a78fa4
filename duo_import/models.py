"""An uploaded file of DUO kennisgevingen, parsed into rows, waiting to be committed.

The rows hold the values as they were in the file (personal data, BSN included): they live in the
database only, never in a log line. Cancelling a batch deletes its rows; the counts stay.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.models import Inburgeraar
from common.bsn import mask_bsn, normalise_bsn
from municipalities.models import Organisation


class ImportBatch(models.Model):
    class Status(models.TextChoices):
        PREVIEW = "preview", _("Te controleren")
        COMMITTED = "committed", _("Geïmporteerd")
        CANCELLED = "cancelled", _("Geannuleerd")

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="duo_import_batches",
        verbose_name=_("geüpload door"),
    )
    # The municipalities in which the uploader could register cases at upload time.
    municipalities = models.ManyToManyField(
        Organisation,
        related_name="+",
        blank=True,
        verbose_name=_("gemeenten"),
    )
    filename = models.CharField(_("bestandsnaam"), max_length=255)
    sha256 = models.CharField(_("SHA-256 van het bestand"), max_length=64, db_index=True)
    encoding = models.CharField(_("tekenset"), max_length=20)
    delimiter = models.CharField(_("scheidingsteken"), max_length=1)
    created_at = models.DateTimeField(_("geüpload op"), auto_now_add=True)
    committed_at = models.DateTimeField(_("geïmporteerd op"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PREVIEW
    )
    row_count = models.PositiveIntegerField(_("regels"), default=0)
    new_count = models.PositiveIntegerField(_("nieuw"), default=0)
    existing_count = models.PositiveIntegerField(_("al geregistreerd"), default=0)
    error_count = models.PositiveIntegerField(_("met fouten"), default=0)
    created_count = models.PositiveIntegerField(_("aangemaakt"), default=0)
    correction_count = models.PositiveIntegerField(_("correcties"), default=0)
    corrected_count = models.PositiveIntegerField(_("gecorrigeerd"), default=0)
    ignored_columns = models.JSONField(_("genegeerde kolommen"), default=list, blank=True)

    class Meta:
        verbose_name = _("DUO-import")
        verbose_name_plural = _("DUO-imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["uploaded_by", "created_at"])]

    def __str__(self):
        return self.audit_label

    @property
    def audit_label(self) -> str:
        # No file name: it may carry a person's name.
        return f"DUO-import #{self.pk}"

    @property
    def is_preview(self) -> bool:
        return self.status == self.Status.PREVIEW


class ImportRow(models.Model):
    class Outcome(models.TextChoices):
        NEW = "new", _("Nieuw")
        EXISTING = "existing", _("Al geregistreerd")
        # Registered in the user's scope, with a legal date that DUO now gives differently.
        CORRECTION = "correction", _("Correctie")
        CORRECTED = "corrected", _("Gecorrigeerd")
        ERROR = "error", _("Fout")
        CREATED = "created", _("Aangemaakt")

    # No index of its own: the unique (batch, row_number) constraint's index serves every lookup.
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.CASCADE, related_name="rows", db_index=False
    )
    # The row number as a spreadsheet shows it: the header is row 1.
    row_number = models.PositiveIntegerField(_("rij"))
    # The normalised BSN when it passed the 11-proef, otherwise empty (the raw value is in `data`).
    bsn = models.CharField(_("BSN"), max_length=9, blank=True)
    # The values of the known columns as they were in the file (trimmed), keyed by column name.
    data = models.JSONField(_("gegevens"), default=dict)
    # [{"column": "geboortedatum", "message": "..."}]; column is "" for a message about the row.
    errors = models.JSONField(_("meldingen"), default=list, blank=True)
    outcome = models.CharField(_("resultaat"), max_length=10, choices=Outcome.choices)
    # A correction's changes as {field: [old, new]} (ISO dates), shown in the preview.
    changes = models.JSONField(_("wijzigingen"), default=dict, blank=True)

    class Meta:
        verbose_name = _("DUO-importregel")
        verbose_name_plural = _("DUO-importregels")
        ordering = ["batch", "row_number"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "row_number"], name="unique_import_row_number")
        ]
        indexes = [models.Index(fields=["batch", "outcome", "row_number"])]

    def __str__(self):
        return f"{self.batch} rij {self.row_number}"

    @property
    def masked_bsn(self) -> str:
        return mask_bsn(self.bsn or normalise_bsn(self.data.get("bsn", "")))

    @property
    def change_rows(self) -> list[tuple[str, list]]:
        """The correction's changes with the field's label and dates as dd-mm-jjjj."""

        def shown(value):
            return date.fromisoformat(value).strftime("%d-%m-%Y") if value else None

        return [
            (
                str(Inburgeraar._meta.get_field(field).verbose_name),
                [shown(old), shown(new)],
            )
            for field, (old, new) in self.changes.items()
        ]

    @property
    def display_name(self) -> str:
        parts = (self.data.get(key, "") for key in ("voornamen", "tussenvoegsel", "achternaam"))
        return " ".join(part for part in parts if part)
