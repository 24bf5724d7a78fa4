"""The PIP (persoonlijk plan inburgering en participatie): a formal decision (beschikking).

A `Pip` belongs to one inburgeraar and holds the dates that never move (the first PIP's date and the
inburgeringstermijn). Its content lives in `PipVersion`s: a version is drafted, submitted, and
adopted by a team lead (four eyes). An adopted version is immutable by every path: the model, the
queryset, the admin, the API, and on PostgreSQL a database trigger. A change is a new version.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.access import VisibleQuerySet
from cases.models import Inburgeraar
from intake.rules import Route


class LanguageSchool(models.Model):
    """Reference data: course providers (taalscholen), kept by the beheerder."""

    name = models.CharField(_("naam"), max_length=200, unique=True)
    city = models.CharField(_("plaats"), max_length=100, blank=True)
    certified = models.BooleanField(_("gecertificeerd (keurmerk Blik op Werk)"), default=True)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("taalschool")
        verbose_name_plural = _("taalscholen")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Pip(models.Model):
    CASE_PATH = "inburgeraar"

    inburgeraar = models.OneToOneField(Inburgeraar, on_delete=models.PROTECT, related_name="pip")
    # GGM: DagtekeningInitielePIP; Inburgeringstermijn.DatumAanvang/DatumEinde. Set once, on the
    # first adoption; a new version never moves them.
    dagtekening_initiele_pip = models.DateField(
        _("dagtekening initiële PIP"), null=True, blank=True
    )
    termijn_start = models.DateField(_("start inburgeringstermijn"), null=True, blank=True)
    termijn_end = models.DateField(_("einde inburgeringstermijn"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("PIP")
        verbose_name_plural = _("PIP's")

    def __str__(self):
        return f"PIP #{self.pk}"

    @property
    def audit_label(self) -> str:
        return f"PIP #{self.pk} (inburgeraar #{self.inburgeraar_id})"


class PipStatus(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    TER_VASTSTELLING = "ter_vaststelling", _("Ter vaststelling")
    VASTGESTELD = "vastgesteld", _("Vastgesteld")


class VersionReason(models.TextChoices):
    INITIAL = "eerste", _("Eerste PIP")
    SCHAKELEN = "schakelen", _("Schakelen (andere leerroute)")
    AFSCHALEN = "afschalen", _("Afschalen")
    VERHUIZING = "verhuizing", _("Verhuizing")
    BEZWAAR = "bezwaar", _("Beslissing op bezwaar")
    OVERIG = "overig", _("Overig")


class Level(models.TextChoices):
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"


class Hoofddoel(models.TextChoices):
    WERK = "werk", _("Werk")
    ONDERWIJS = "onderwijs", _("Onderwijs")
    PARTICIPATIE = "participatie", _("Participatie")


class PipVersionQuerySet(VisibleQuerySet):
    def update(self, **kwargs):
        if self.filter(status=PipStatus.VASTGESTELD).exists():
            raise AdoptedPipIsImmutable(_("Een vastgestelde PIP-versie kan niet worden gewijzigd."))
        return super().update(**kwargs)

    def delete(self):
        if self.filter(status=PipStatus.VASTGESTELD).exists():
            raise AdoptedPipIsImmutable(
                _("Een vastgestelde PIP-versie kan niet worden verwijderd.")
            )
        return super().delete()


class AdoptedPipIsImmutable(Exception):
    pass


EXAM_PARTS = ("lezen", "luisteren", "schrijven", "spreken")


class PipVersion(models.Model):
    CASE_PATH = "pip__inburgeraar"
    AUDIT_MASKED_FIELDS = ("reason_text", "route_reason", "age_reason", "begeleiding")
    AUDIT_PLAIN_FIELDS = (
        "goal_language",
        "goal_work",
        "goal_participation",
        "development_goals",
        "childcare",
        "other_agreements",
        "return_comment",
    )

    pip = models.ForeignKey(Pip, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("versie"))
    status = models.CharField(
        _("status"), max_length=20, choices=PipStatus.choices, default=PipStatus.CONCEPT
    )
    reason = models.CharField(
        _("reden nieuwe versie"),
        max_length=20,
        choices=VersionReason.choices,
        default=VersionReason.INITIAL,
    )
    reason_text = models.TextField(_("toelichting op de nieuwe versie"), blank=True)

    # Leerroute (GGM Leerroute) and the advice from the brede intake.
    route = models.CharField(_("leerroute"), max_length=20, choices=Route.CHOICES)
    advised_route = models.CharField(
        _("advies uit de brede intake"), max_length=20, choices=Route.CHOICES, blank=True
    )
    route_reason = models.TextField(_("reden afwijking van het advies"), blank=True)
    age_reason = models.TextField(_("reden onderwijsroute boven 28 jaar"), blank=True)
    level_lezen = models.CharField(
        _("niveau lezen"), max_length=2, choices=Level.choices, blank=True
    )
    level_luisteren = models.CharField(
        _("niveau luisteren"), max_length=2, choices=Level.choices, blank=True
    )
    level_schrijven = models.CharField(
        _("niveau schrijven"), max_length=2, choices=Level.choices, blank=True
    )
    level_spreken = models.CharField(
        _("niveau spreken"), max_length=2, choices=Level.choices, blank=True
    )
    knm = models.BooleanField(_("KNM (Kennis van de Nederlandse Maatschappij)"), default=True)
    course_hours_followed = models.PositiveIntegerField(
        _("gevolgde lesuren bij een gecertificeerde school"),
        null=True,
        blank=True,
        help_text=_("Nodig voor afschalen naar A2: ten minste 600 uur."),
    )
    z_hours_language = models.PositiveIntegerField(
        _("Z-route: uren NT2 en KNM"), null=True, blank=True
    )
    z_hours_participation = models.PositiveIntegerField(
        _("Z-route: uren participatie"), null=True, blank=True
    )

    # MAP and PVT.
    map_hours = models.PositiveIntegerField(_("MAP: uren"), null=True, blank=True)
    map_intensity = models.CharField(_("MAP: intensiteit"), max_length=200, blank=True)
    pvt_hours = models.PositiveIntegerField(_("PVT: uren"), null=True, blank=True)
    pvt_planned_signing = models.DateField(_("PVT: geplande ondertekening"), null=True, blank=True)

    # Goals (GGM Hoofddoel) and parallel goals for language, work and participation.
    hoofddoel = models.CharField(
        _("hoofddoel"), max_length=20, choices=Hoofddoel.choices, blank=True
    )
    goal_language = models.CharField(_("doel taal"), max_length=300, blank=True)
    goal_language_date = models.DateField(_("doel taal: datum"), null=True, blank=True)
    goal_work = models.CharField(_("doel werk"), max_length=300, blank=True)
    goal_work_date = models.DateField(_("doel werk: datum"), null=True, blank=True)
    goal_participation = models.CharField(_("doel participatie"), max_length=300, blank=True)
    goal_participation_date = models.DateField(_("doel participatie: datum"), null=True, blank=True)
    development_goals = models.TextField(
        _("ontwikkelwensen, aandachtspunten en subdoelen"),
        blank=True,
        help_text=_("Overgenomen uit de brede intake; één punt per regel."),
    )

    # Inburgeringsaanbod (GGM InburgeringsAanbod).
    language_school = models.ForeignKey(
        LanguageSchool,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taalschool"),
    )
    course_start = models.DateField(_("startdatum cursus"), null=True, blank=True)
    alfabetisering = models.BooleanField(_("alfabetisering"), default=False)
    taalschakeltraject = models.BooleanField(_("taalschakeltraject"), default=False)
    contract_id = models.CharField(_("contractnummer"), max_length=50, blank=True)

    # Support and other agreements.
    begeleiding = models.TextField(_("begeleiding"), blank=True)
    maatschappelijke_begeleiding = models.BooleanField(
        _("maatschappelijke begeleiding"), default=False
    )
    unburdening = models.BooleanField(_("ontzorgen (Participatiewet art. 56a)"), default=False)
    unburdening_rent = models.BooleanField(_("ontzorgen: huur"), default=False)
    unburdening_energy = models.BooleanField(_("ontzorgen: energie en water"), default=False)
    unburdening_insurance = models.BooleanField(_("ontzorgen: zorgverzekering"), default=False)
    unburdening_start = models.DateField(_("ontzorgen: vanaf"), null=True, blank=True)
    childcare = models.TextField(_("kinderopvang en vve"), blank=True)
    contact_name = models.CharField(_("contactpersoon"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mail contactpersoon"), blank=True)
    other_agreements = models.TextField(_("overige afspraken"), blank=True)
    without_input = models.BooleanField(
        _("vastgesteld zonder inbreng van de inburgeraar"), default=False
    )

    # Workflow.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opgesteld door"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    return_comment = models.TextField(_("opmerking teamleider"), blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vastgesteld door"),
    )
    adopted_at = models.DateTimeField(null=True, blank=True)
    dagtekening = models.DateField(_("dagtekening"), null=True, blank=True)
    bezwaar_deadline = models.DateField(_("bezwaartermijn tot en met"), null=True, blank=True)
    course_start_deadline = models.DateField(
        _("cursus uiterlijk gestart op"), null=True, blank=True
    )

    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PipVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("PIP-versie")
        verbose_name_plural = _("PIP-versies")
        ordering = ["pip", "number"]
        constraints = [
            models.UniqueConstraint(fields=["pip", "number"], name="unique_pip_version_number"),
            models.UniqueConstraint(
                fields=["pip"],
                condition=~models.Q(status="vastgesteld"),
                name="one_open_pip_version",
            ),
        ]
        indexes = [
            # A case's route is its latest adopted version's (latest_route_subquery): one probe
            # per case of the WerkSaam dashboard's figures, rows and exports, 20,000 per page.
            # unique_pip_version_number gave the number order but read each version's heap row
            # for its status and route; this one answers from the index alone (index-only scan,
            # only adopted versions in it).
            models.Index(
                fields=["pip", "-number"],
                include=["route"],
                condition=models.Q(status="vastgesteld"),
                name="pipversion_adopted_route",
            ),
            # A team lead's Vandaag: the versions ter vaststelling, oldest submission first
            # (pip_plans.selectors.awaiting_adoption). Without it the planner read every open
            # version (one_open_pip_version, 10,000 at 100,210 cases) to find the few submitted.
            models.Index(
                fields=["submitted_at"],
                condition=models.Q(status="ter_vaststelling"),
                name="pipversion_awaiting_adoption",
            ),
        ]

    def __str__(self):
        return f"PIP versie {self.number}"

    def save(self, *args, **kwargs):
        if (
            self.pk is not None
            and type(self).objects.filter(pk=self.pk, status=PipStatus.VASTGESTELD).exists()
        ):
            raise AdoptedPipIsImmutable(_("Een vastgestelde PIP-versie kan niet worden gewijzigd."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status == PipStatus.VASTGESTELD:
            raise AdoptedPipIsImmutable(
                _("Een vastgestelde PIP-versie kan niet worden verwijderd.")
            )
        return super().delete(*args, **kwargs)

    @property
    def audit_label(self) -> str:
        return f"PIP-versie {self.number} (PIP #{self.pip_id})"

    @property
    def is_adopted(self) -> bool:
        return self.status == PipStatus.VASTGESTELD

    @property
    def is_editable(self) -> bool:
        return self.status == PipStatus.CONCEPT

    def levels(self) -> dict[str, str]:
        return {part: getattr(self, f"level_{part}") for part in EXAM_PARTS}


class PipDocument(models.Model):
    """A rendered PDF of an adopted version: the decision letter or a plain-language summary.

    One per (version, kind): a retried generation task finds it and makes no second document.
    """

    CASE_PATH = "version__pip__inburgeraar"

    class Kind(models.TextChoices):
        BESCHIKKING = "beschikking", _("Beschikking met plan")
        SAMENVATTING_NL = "samenvatting_nl", _("Samenvatting (Nederlands, B1)")
        SAMENVATTING_EN = "samenvatting_en", _("Summary (English)")

    version = models.ForeignKey(PipVersion, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("bestand"), upload_to="pip/%Y/%m/")
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("grootte (bytes)"))
    render_seconds = models.FloatField(_("rendertijd (s)"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("PIP-document")
        verbose_name_plural = _("PIP-documenten")
        constraints = [
            models.UniqueConstraint(fields=["version", "kind"], name="one_document_per_kind")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.version}"
