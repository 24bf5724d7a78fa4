"""Documents kept on the case: scanned by ClamAV before they are kept, stored outside the web
root with their SHA-256, served only through the audited download."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

from cases.access import VisibleQuerySet, case_access_q, case_work_q
from cases.models import Inburgeraar


@deconstructible
class DocumentStorage(FileSystemStorage):
    """settings.DOCUMENTS_ROOT, read when used (tests point it at a temporary directory); no
    base URL: nothing here is ever served by the web server."""

    def __init__(self):
        super().__init__(location=None, base_url=None)

    @property
    def base_location(self):
        return settings.DOCUMENTS_ROOT

    @property
    def location(self):
        return str(settings.DOCUMENTS_ROOT)

    def url(self, name):
        raise ValueError("documents are served only through the audited download")


document_storage = DocumentStorage()


class DocumentKind(models.TextChoices):
    PIP_ONDERTEKEND = "pip_ondertekend", _("Ondertekend PIP")
    PARTICIPATIEVERKLARING = "participatieverklaring", _("Participatieverklaring")
    TOESTEMMING = "toestemming", _("Toestemmingsformulier (WerkSaam)")
    DIPLOMA = "diploma", _("Diploma of certificaat")
    MEDISCH = "medisch", _("Medische verklaring")
    BEZWAARSCHRIFT = "bezwaarschrift", _("Bezwaarschrift")
    OVERIG = "overig", _("Overig")


class DocumentQuerySet(VisibleQuerySet):
    def visible_to(self, user):
        """Through the one door. Those who work the case see every document; an organisation
        grant (WerkSaam, or the sending municipality after a transfer) sees only documents marked
        for WerkSaam, and never special-category ones."""
        return self.filter(case_access_q(user, path="inburgeraar")).filter(
            case_work_q(user, path="inburgeraar") | Q(for_werksaam=True, special_category=False)
        )

    def editable_by(self, user):
        return self.filter(case_access_q(user, for_change=True, path="inburgeraar")).filter(
            case_work_q(user, path="inburgeraar")
        )


class Document(models.Model):
    CASE_PATH = "inburgeraar"
    # A description says what the document is ("verklaring psychiater"): never in the trail.
    AUDIT_MASKED_FIELDS = ("description",)

    inburgeraar = models.ForeignKey(Inburgeraar, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("soort"), max_length=30, choices=DocumentKind.choices)
    document_date = models.DateField(_("datum van het document"))
    description = models.CharField(_("omschrijving"), max_length=200, blank=True)
    special_category = models.BooleanField(
        _("bijzondere persoonsgegevens"),
        default=False,
        help_text=_("Bijvoorbeeld gezondheid (AVG art. 9). WerkSaam ziet deze nooit."),
    )
    for_werksaam = models.BooleanField(
        _("zichtbaar voor WerkSaam"),
        default=False,
        help_text=_("Alleen bij een actieve deling, en nooit bij bijzondere persoonsgegevens."),
    )
    file = models.FileField(_("bestand"), storage=document_storage, upload_to="%Y/%m/")
    content_type = models.CharField(_("bestandstype"), max_length=100)
    size = models.PositiveIntegerField(_("grootte (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    scanned_by = models.CharField(
        _("virusscan"), max_length=200, help_text=_("Welke scanner het bestand schoon verklaarde.")
    )
    uploaded_at = models.DateTimeField(_("geüpload op"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documenten")
        ordering = ["-document_date", "-id"]
        indexes = [models.Index(fields=["inburgeraar", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(special_category=True, for_werksaam=True),
                name="special_category_never_for_werksaam",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.document_date:%d-%m-%Y})"

    @property
    def audit_label(self) -> str:
        return f"Document #{self.pk} (inburgeraar #{self.inburgeraar_id})"

    @property
    def extension(self) -> str:
        return ALLOWED_TYPES.get(self.content_type, "bin")


# What may be kept, read from the content (never from the name): MIME type → extension.
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}


def _delete_stored_file(sender, instance, **kwargs):
    """Retention follows the case: when a document row goes (with its case, at the end of the
    retention period), its stored file goes too."""
    if instance.file:
        instance.file.storage.delete(instance.file.name)


models.signals.post_delete.connect(
    _delete_stored_file, sender=Document, dispatch_uid="documents.delete_stored_file"
)
