"""What the municipality sends and receives on paper: its letterhead, the letters made from the
case's events (concept → gecontroleerd → verzonden, the PDF stored with its SHA-256 once sent),
and the bezwaarschriften against its decisions (a PIP version or a fine)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.access import VisibleQuerySet
from cases.models import Inburgeraar
from common.addresses import postal_code
from common.iban import compact, validate_dutch_iban
from municipalities.models import Organisation


class Letterhead(models.Model):
    """The municipality's letterhead, kept by the beheerder: what every letter and decision says
    about who sends it, where to call and where a bezwaarschrift goes."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="letterhead",
        limit_choices_to={"kind": Organisation.Kind.GEMEENTE},
        verbose_name=_("gemeente"),
    )
    logo = models.ImageField(
        _("logo"),
        upload_to="letterheads/",
        blank=True,
        help_text=_("PNG of JPEG; staat links boven op elke brief."),
    )
    department = models.CharField(
        _("afdeling"), max_length=100, default="Team Inburgering", blank=True
    )
    visiting_street = models.CharField(_("bezoekadres: straat en huisnummer"), max_length=200)
    visiting_postal_code = models.CharField(_("bezoekadres: postcode"), max_length=7)
    visiting_city = models.CharField(_("bezoekadres: plaats"), max_length=100)
    postbus = models.CharField(
        _("postadres: postbus"), max_length=20, help_text=_("Alleen het nummer, bijvoorbeeld 603.")
    )
    postal_postal_code = models.CharField(_("postadres: postcode"), max_length=7)
    postal_city = models.CharField(_("postadres: plaats"), max_length=100)
    phone = models.CharField(_("telefoonnummer"), max_length=30)
    email = models.EmailField(_("e-mailadres"))
    website = models.CharField(_("website"), max_length=200)
    signatory_name = models.CharField(_("naam ondertekenaar"), max_length=200)
    signatory_function = models.CharField(_("functie ondertekenaar"), max_length=200)
    court = models.CharField(
        _("rechtbank voor beroep"),
        max_length=100,
        default="Rechtbank Noord-Holland",
        help_text=_("Staat in de beslissing op bezwaar: waar iemand in beroep kan gaan."),
    )
    iban = models.CharField(
        _("IBAN"),
        max_length=34,
        blank=True,
        validators=[validate_dutch_iban],
        help_text=_(
            "De rekening waarop een boete wordt betaald; staat in elke boetebeschikking. "
            "Zonder IBAN gaat er geen boetebeschikking uit."
        ),
    )
    iban_name = models.CharField(
        _("rekening ten name van"),
        max_length=100,
        blank=True,
        help_text=_("Zoals de bank de naam kent, bijvoorbeeld Gemeente Hoorn."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("briefhoofd")
        verbose_name_plural = _("briefhoofden")
        ordering = ["organisation__name"]

    def __str__(self):
        return str(self.organisation)

    def save(self, *args, **kwargs):
        self.visiting_postal_code = postal_code(self.visiting_postal_code)
        self.postal_postal_code = postal_code(self.postal_postal_code)
        self.iban = compact(self.iban)
        super().save(*args, **kwargs)

    @property
    def account_name(self) -> str:
        return self.iban_name.strip() or f"Gemeente {self.organisation.name}"


class LetterKind(models.TextChoices):
    UITNODIGING = "uitnodiging", _("Uitnodiging brede intake")
    WAARSCHUWING = "waarschuwing", _("Waarschuwing na niet verschijnen")
    VOORNEMEN_BOETE = "voornemen_boete", _("Voornemen boete")
    BOETEBESCHIKKING = "boetebeschikking", _("Boetebeschikking")
    VERKLARING_CURSUSSTART = "verklaring_cursusstart", _("Verklaring: cursus niet op tijd gestart")
    AFRONDING = "afronding", _("Afrondingsbrief")
    BESLISSING_BEZWAAR = "beslissing_bezwaar", _("Beslissing op bezwaar")


class LetterStatus(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    GECONTROLEERD = "gecontroleerd", _("Gecontroleerd")
    VERZONDEN = "verzonden", _("Verzonden")


class Letter(models.Model):
    """One letter to the person (or their legal representative), made from an event on the case.

    `facts` holds what the caseworker added to the event (place, interpreter, the verwijtbaarheid
    assessment, ...). Once sent the letter never changes: the dagtekening is the date of sending,
    the recipient is frozen, the PDF is stored with its SHA-256 and served only as stored.
    """

    CASE_PATH = "inburgeraar"

    inburgeraar = models.ForeignKey(Inburgeraar, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(_("soort brief"), max_length=30, choices=LetterKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=LetterStatus.choices, default=LetterStatus.CONCEPT
    )
    invitation = models.ForeignKey(
        "intake.Invitation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letters",
        verbose_name=_("uitnodiging"),
    )
    pip_version = models.ForeignKey(
        "pip_plans.PipVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letters",
        verbose_name=_("PIP-versie"),
    )
    bezwaar = models.ForeignKey(
        "Bezwaar",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letters",
        verbose_name=_("bezwaarschrift"),
    )
    facts = models.JSONField(_("gegevens"), default=dict, blank=True)
    recipient = models.JSONField(_("geadresseerde bij verzending"), default=dict, blank=True)
    dagtekening = models.DateField(_("dagtekening (datum van verzending)"), null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    file = models.FileField(_("bestand"), upload_to="letters/%Y/%m/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("grootte (bytes)"), null=True, blank=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("brief")
        verbose_name_plural = _("brieven")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["inburgeraar", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="verzonden")
                | (models.Q(dagtekening__isnull=False) & ~models.Q(sha256="")),
                name="sent_letter_has_date_and_pdf",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.kenmerk})"

    @property
    def kenmerk(self) -> str:
        return f"INB-{self.inburgeraar_id}-{self.pk}"

    @property
    def audit_label(self) -> str:
        return f"Brief #{self.pk} (inburgeraar #{self.inburgeraar_id})"

    @property
    def is_sent(self) -> bool:
        return self.status == LetterStatus.VERZONDEN


class Decision(models.TextChoices):
    GEGROND = "gegrond", _("Gegrond")
    ONGEGROND = "ongegrond", _("Ongegrond")
    NIET_ONTVANKELIJK = "niet_ontvankelijk", _("Niet-ontvankelijk")


class Bezwaar(models.Model):
    """A bezwaarschrift against a decision of the municipality: a PIP version or a fine."""

    CASE_PATH = "inburgeraar"
    AUDIT_MASKED_FIELDS = ("grounds", "hearing_notes", "decision_reason")

    inburgeraar = models.ForeignKey(Inburgeraar, on_delete=models.CASCADE, related_name="bezwaren")
    pip_version = models.ForeignKey(
        "pip_plans.PipVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bezwaren",
        verbose_name=_("tegen PIP-versie"),
    )
    fine_letter = models.ForeignKey(
        Letter,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bezwaren",
        verbose_name=_("tegen boetebeschikking"),
    )
    decision_date = models.DateField(_("dagtekening van het besluit"))
    window_end = models.DateField(_("einde bezwaartermijn"))
    received_on = models.DateField(_("ontvangen op"))
    posted_on = models.DateField(
        _("op de post gedaan op"),
        null=True,
        blank=True,
        help_text=_("Datum van het poststempel, als het bezwaarschrift per post kwam."),
    )
    on_time = models.BooleanField(_("op tijd"))
    advisory_committee = models.BooleanField(
        _("bezwaaradviescommissie"),
        default=False,
        help_text=_("Een adviescommissie (Awb 7:13) geeft advies: de beslistermijn is 12 weken."),
    )
    extended = models.BooleanField(_("beslistermijn verdaagd (6 weken)"), default=False)
    grounds = models.TextField(_("gronden van het bezwaar"), blank=True)
    hearing_at = models.DateTimeField(_("hoorzitting"), null=True, blank=True)
    hearing_notes = models.TextField(_("verslag hoorzitting"), blank=True)
    decision = models.CharField(
        _("beslissing op bezwaar"), max_length=20, choices=Decision.choices, blank=True
    )
    decision_reason = models.TextField(_("motivering"), blank=True)
    decided_on = models.DateField(_("beslist op"), null=True, blank=True)
    new_pip_version = models.ForeignKey(
        "pip_plans.PipVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nieuwe PIP-versie"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("bezwaarschrift")
        verbose_name_plural = _("bezwaarschriften")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pip_version__isnull=True, fine_letter__isnull=False)
                | models.Q(pip_version__isnull=False, fine_letter__isnull=True),
                name="bezwaar_against_one_decision",
            )
        ]

    def __str__(self):
        return f"Bezwaarschrift #{self.pk}"

    @property
    def audit_label(self) -> str:
        return f"Bezwaarschrift #{self.pk} (inburgeraar #{self.inburgeraar_id})"

    @property
    def against_label(self) -> str:
        if self.pip_version_id:
            return _("PIP versie %(n)s") % {"n": self.pip_version.number}
        return _("Boetebeschikking %(kenmerk)s") % {"kenmerk": self.fine_letter.kenmerk}

    @property
    def is_decided(self) -> bool:
        return bool(self.decision)
