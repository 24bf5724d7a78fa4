from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from common.bsn import mask_bsn, normalise_bsn, validate_bsn
from common.text import search_key
from municipalities.models import Organisation

from .rules import Route, b1_haalbaar, learnability_cutoff
from .visibility import VisibleQuerySet


class Doelgroep(models.TextChoices):
    ASIELSTATUSHOUDER = "asielstatushouder", _("Asielstatushouder")
    GEZINSMIGRANT = "gezinsmigrant", _("Gezinsmigrant")
    OVERIGE_MIGRANT = "overige_migrant", _("Overige migrant")


class Gender(models.TextChoices):
    MAN = "m", _("Man")
    VROUW = "v", _("Vrouw")
    ANDERS = "x", _("Anders")
    ONBEKEND = "o", _("Onbekend")


class CaseStatus(models.TextChoices):
    AANGEMELD = "aangemeld", _("Aangemeld")
    INTAKE = "intake", _("Brede intake")
    PIP = "pip", _("PIP in voorbereiding")
    UITVOERING = "uitvoering", _("Uitvoering")
    AFGEROND = "afgerond", _("Afgerond")
    BEEINDIGD = "beeindigd", _("Beëindigd")


# The person's own data, as registered by hand and shown in the API, and the dates the law hangs on.
PERSON_FIELDS = (
    "bsn",
    "v_nummer",
    "first_names",
    "surname_prefix",
    "surname",
    "date_of_birth",
    "gender",
    "nationality",
    "languages",
    "phone",
    "email",
    "street",
    "house_number",
    "postal_code",
    "city",
)
LEGAL_DATE_FIELDS = (
    "datum_start_inburgeringsplicht",
    "datum_kennisgeving",
    "datum_inschrijving_brp",
    "datum_koppeling",
)


class Inburgeraar(models.Model):
    """A person with the duty to integrate (inburgeringsplichtige), registered by BSN."""

    AUDIT_MASKED_FIELDS = ("bsn",)

    bsn = models.CharField(
        _("BSN"),
        max_length=9,
        unique=True,
        validators=[validate_bsn],
        error_messages={"unique": _("Dit BSN is al geregistreerd in de regio.")},
    )
    v_nummer = models.CharField(_("V-nummer"), max_length=10, blank=True, db_index=True)
    first_names = models.CharField(_("voornamen"), max_length=200)
    surname_prefix = models.CharField(_("tussenvoegsel"), max_length=20, blank=True)
    surname = models.CharField(_("achternaam"), max_length=200)
    # Lowercased name without accents, filled on save, for accent-insensitive search on any database.
    search_name = models.CharField(max_length=450, editable=False, db_index=True, default="")
    date_of_birth = models.DateField(_("geboortedatum"))
    gender = models.CharField(
        _("geslacht"), max_length=1, choices=Gender.choices, default=Gender.ONBEKEND
    )
    nationality = models.CharField(_("nationaliteit"), max_length=100, blank=True)
    languages = models.CharField(
        _("talen"), max_length=200, blank=True, help_text=_("Gescheiden door komma's")
    )
    phone = models.CharField(_("telefoonnummer"), max_length=30, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    street = models.CharField(_("straat"), max_length=200, blank=True)
    house_number = models.CharField(_("huisnummer"), max_length=20, blank=True)
    postal_code = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("woonplaats"), max_length=100, blank=True)

    doelgroep = models.CharField(_("doelgroep"), max_length=30, choices=Doelgroep.choices)
    gedetailleerde_doelgroep = models.CharField(
        _("gedetailleerde doelgroep"), max_length=100, blank=True
    )
    municipality = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="inburgeraars",
        limit_choices_to={"kind": Organisation.Kind.GEMEENTE},
        verbose_name=_("verantwoordelijke gemeente"),
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("klantmanager"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.AANGEMELD
    )

    # The dates the law hangs on (GGM: Inburgeringsplicht.DatumStart; DUO kennisgeving; COA koppeling).
    datum_start_inburgeringsplicht = models.DateField(
        _("startdatum inburgeringsplicht"), null=True, blank=True
    )
    datum_kennisgeving = models.DateField(_("datum kennisgeving DUO"), null=True, blank=True)
    datum_inschrijving_brp = models.DateField(_("datum inschrijving BRP"), null=True, blank=True)
    datum_koppeling = models.DateField(_("datum koppeling (COA)"), null=True, blank=True)

    created_at = models.DateTimeField(_("geregistreerd op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    # Optimistic locking: a save with a stale version is refused (see intake/services.py).
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("inburgeraar")
        verbose_name_plural = _("inburgeraars")
        ordering = ["surname", "first_names", "id"]
        indexes = [models.Index(fields=["municipality", "status"])]
        default_permissions = ("add", "change", "delete", "view")

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.bsn = normalise_bsn(self.bsn)
        self.search_name = search_key(self.full_name)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.bsn:
            self.bsn = normalise_bsn(self.bsn)

    @property
    def full_name(self) -> str:
        return " ".join(
            part for part in (self.first_names, self.surname_prefix, self.surname) if part
        )

    @property
    def audit_label(self) -> str:
        # Never the BSN: the trail names the person by record number only.
        return f"Inburgeraar #{self.pk}"

    @property
    def masked_bsn(self) -> str:
        return mask_bsn(self.bsn)


class HouseholdLink(models.Model):
    """A partner or child relation between two inburgeraars."""

    class Relation(models.TextChoices):
        PARTNER = "partner", _("Partner")
        KIND = "kind", _("Kind")
        OUDER = "ouder", _("Ouder")

    inburgeraar = models.ForeignKey(
        Inburgeraar, on_delete=models.CASCADE, related_name="household_links"
    )
    relative = models.ForeignKey(
        Inburgeraar, on_delete=models.CASCADE, related_name="+", verbose_name=_("gezinslid")
    )
    relation = models.CharField(_("relatie"), max_length=20, choices=Relation.choices)

    CASE_PATH = "inburgeraar"

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("gezinsrelatie")
        verbose_name_plural = _("gezinsrelaties")
        constraints = [
            models.UniqueConstraint(
                fields=["inburgeraar", "relative"], name="unique_household_link"
            ),
            models.CheckConstraint(
                condition=~models.Q(inburgeraar=models.F("relative")), name="household_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.get_relation_display()}"


# django-guardian's direct foreign-key tables: a per-case grant is a row with a real FK to the case,
# so `visible_to` is a plain indexed subquery instead of a generic object_pk text join.
class InburgeraarUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Inburgeraar, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("toegang per dossier (gebruiker)")
        verbose_name_plural = _("toegang per dossier (gebruikers)")


class InburgeraarGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Inburgeraar, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("toegang per dossier (organisatie)")
        verbose_name_plural = _("toegang per dossier (organisaties)")


class TimelineEvent(models.Model):
    """What happened on a case, in words a caseworker reads: invitations, intake steps, transfers."""

    CASE_PATH = "inburgeraar"

    inburgeraar = models.ForeignKey(Inburgeraar, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField(_("tijdstip"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("soort"), max_length=40)
    text = models.CharField(_("omschrijving"), max_length=500)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("tijdlijngebeurtenis")
        verbose_name_plural = _("tijdlijn")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["inburgeraar", "at"])]

    def __str__(self):
        return self.text


class IntakeTopic(models.Model):
    """A further intake topic, configured by the beheerder per municipality (or for the region).

    The legal minimum (leerbaarheidstoets; education and work experience in the country of origin;
    personal circumstances including health) is built into the intake itself and cannot be removed.
    """

    municipality = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        limit_choices_to={"kind": Organisation.Kind.GEMEENTE},
        related_name="intake_topics",
        verbose_name=_("gemeente"),
        help_text=_("Leeg: voor alle gemeenten in de regio."),
    )
    name = models.CharField(_("onderwerp"), max_length=100)
    guidance = models.CharField(_("gespreksleidraad"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=100)
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("intakeonderwerp")
        verbose_name_plural = _("intakeonderwerpen")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="unique_topic_per_municipality"
            )
        ]

    def __str__(self):
        return self.name


class IntakeState(models.TextChoices):
    GEPLAND = "gepland", _("Gepland")
    IN_UITVOERING = "in_uitvoering", _("In uitvoering")
    AFGEROND = "afgerond", _("Afgerond")
    GEANNULEERD = "geannuleerd", _("Geannuleerd")


class EducationLevel(models.TextChoices):
    GEEN = "geen", _("Geen of weinig onderwijs")
    BASIS = "basis", _("Basisonderwijs")
    VOORTGEZET = "voortgezet", _("Voortgezet onderwijs afgerond")
    MBO = "mbo", _("Beroepsonderwijs (mbo-niveau)")
    HBO_WO = "hbo_wo", _("Hoger onderwijs (hbo/wo)")


class LanguageLevel(models.TextChoices):
    GEEN = "geen", _("Geen Nederlands")
    A0 = "A0", "A0"
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2 of hoger"


class DigitalSkills(models.TextChoices):
    GEEN = "geen", _("Geen")
    BASIS = "basis", _("Basis (telefoon, berichten)")
    GEMIDDELD = "gemiddeld", _("Gemiddeld (DigiD, e-mail, formulieren)")
    GOED = "goed", _("Goed (computer, kantoorprogramma's)")


class Intake(models.Model):
    """The brede intake (GGM: Brede Intake) with its leerbaarheidstoets and route advice."""

    CASE_PATH = "inburgeraar"
    # Special-category data (AVG art. 9): only the case's own municipality reads it; every read is
    # audited and values never reach the trail.
    SPECIAL_CATEGORY_FIELDS = ("physical_health", "mental_health")
    AUDIT_MASKED_FIELDS = SPECIAL_CATEGORY_FIELDS

    class TestExemption(models.TextChoices):
        VISUEEL = "visueel", _("Visuele beperking")
        AUDITIEF = "auditief", _("Auditieve beperking")

    inburgeraar = models.ForeignKey(Inburgeraar, on_delete=models.CASCADE, related_name="intakes")
    state = models.CharField(
        _("status"), max_length=20, choices=IntakeState.choices, default=IntakeState.GEPLAND
    )
    startdatum = models.DateField(_("startdatum"), null=True, blank=True)
    einddatum = models.DateField(_("einddatum"), null=True, blank=True)

    # Leerbaarheidstoets (GGM: UitkomstLeerbaarheidstoets; geenLeerbaarheidstoetsZB).
    test_date = models.DateField(_("datum leerbaarheidstoets"), null=True, blank=True)
    test_score = models.PositiveSmallIntegerField(
        _("score leerbaarheidstoets"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(40)],
        help_text=_("Aantal goede antwoorden, 0 tot en met 40."),
    )
    test_exemption = models.CharField(
        _("vrijgesteld van de toets wegens"),
        max_length=20,
        choices=TestExemption.choices,
        blank=True,
    )

    # Education and work experience in the country of origin (legal minimum), with structure below.
    highest_education = models.CharField(
        _("hoogst gevolgde opleiding"), max_length=20, choices=EducationLevel.choices, blank=True
    )
    education_work_notes = models.TextField(_("toelichting opleiding en werkervaring"), blank=True)
    # Personal circumstances including physical and mental health (legal minimum).
    personal_circumstances = models.TextField(_("persoonlijke omstandigheden"), blank=True)
    physical_health = models.TextField(_("lichamelijke gezondheid"), blank=True)
    mental_health = models.TextField(_("psychische gezondheid"), blank=True)
    # Further structured topics (Divosa pilots, GGM).
    language_level = models.CharField(
        _("taalniveau Nederlands"), max_length=10, choices=LanguageLevel.choices, blank=True
    )
    other_languages = models.CharField(_("andere talen"), max_length=200, blank=True)
    digital_skills = models.CharField(
        _("digitale vaardigheden"), max_length=20, choices=DigitalSkills.choices, blank=True
    )
    motivation = models.TextField(_("motivatie en interesses"), blank=True)

    # Route: the caseworker's choice, with a reason when it differs from the advice.
    chosen_route = models.CharField(
        _("gekozen leerroute"), max_length=20, choices=Route.CHOICES, blank=True
    )
    route_deviation_reason = models.TextField(_("reden afwijking van het advies"), blank=True)

    # Waiting for third-party information (from the request until receipt) extends the PIP
    # deadline to at most two weeks after it arrives (the one rule: pip_plans.rules.pip_deadline).
    third_party_info = models.CharField(
        _("wachten op informatie van derden"),
        max_length=300,
        blank=True,
        help_text=_("Welke informatie, van wie."),
    )
    third_party_info_requested = models.DateField(
        _("informatie van derden opgevraagd op"), null=True, blank=True
    )
    third_party_info_received = models.DateField(
        _("informatie van derden ontvangen op"), null=True, blank=True
    )

    # The third missed invitation: the PIP is set without the person's input.
    pip_without_input = models.BooleanField(
        _("PIP zonder inbreng van de inburgeraar"), default=False
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("laatst gewijzigd"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("brede intake")
        verbose_name_plural = _("brede intakes")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["inburgeraar"],
                condition=~models.Q(state="geannuleerd"),
                name="one_open_intake_per_case",
            ),
            models.CheckConstraint(
                condition=models.Q(test_score__lte=40), name="test_score_max_40"
            ),
        ]

    def __str__(self):
        return f"Brede intake #{self.pk}"

    @property
    def audit_label(self) -> str:
        return f"Brede intake #{self.pk} (inburgeraar #{self.inburgeraar_id})"

    @property
    def test_exempt(self) -> bool:
        return bool(self.test_exemption)

    @property
    def test_cutoff(self) -> int | None:
        return learnability_cutoff(self.test_date) if self.test_date else None

    @property
    def b1_haalbaar(self) -> bool | None:
        if self.test_score is None or self.test_date is None:
            return None
        return b1_haalbaar(self.test_score, self.test_date)

    @property
    def is_open(self) -> bool:
        return self.state in (IntakeState.GEPLAND, IntakeState.IN_UITVOERING)


class Education(models.Model):
    """GGM Educatie: an education followed, with country and diploma."""

    CASE_PATH = "intake__inburgeraar"

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="educations")
    name = models.CharField(_("opleiding"), max_length=200)
    country = models.CharField(_("land"), max_length=100)
    years = models.PositiveSmallIntegerField(_("aantal jaren"), null=True, blank=True)
    diploma = models.BooleanField(_("diploma behaald"), default=False)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("opleiding")
        verbose_name_plural = _("opleidingen")

    def __str__(self):
        return self.name


class WorkExperience(models.Model):
    """GGM Werk: work experience, in the country of origin or elsewhere."""

    CASE_PATH = "intake__inburgeraar"

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="work_experiences")
    occupation = models.CharField(_("beroep of functie"), max_length=200)
    country = models.CharField(_("land"), max_length=100)
    years = models.PositiveSmallIntegerField(_("aantal jaren"), null=True, blank=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("werkervaring")
        verbose_name_plural = _("werkervaring")

    def __str__(self):
        return self.occupation


class DevelopmentPoint(models.Model):
    """GGM Ontwikkelwens or Aandachtspunt, carried into the PIP."""

    class Kind(models.TextChoices):
        ONTWIKKELWENS = "ontwikkelwens", _("Ontwikkelwens")
        AANDACHTSPUNT = "aandachtspunt", _("Aandachtspunt")

    CASE_PATH = "intake__inburgeraar"

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="development_points")
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("omschrijving"), max_length=300)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("ontwikkelwens of aandachtspunt")
        verbose_name_plural = _("ontwikkelwensen en aandachtspunten")
        ordering = ["kind", "id"]

    def __str__(self):
        return self.description


class TopicNote(models.Model):
    """Notes on a configured further topic."""

    CASE_PATH = "intake__inburgeraar"

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="topic_notes")
    topic = models.ForeignKey(IntakeTopic, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(_("aantekeningen"), blank=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["intake", "topic"], name="unique_topic_note")
        ]

    def __str__(self):
        return str(self.topic)


class Invitation(models.Model):
    """An invitation to an intake conversation, and what happened: the enforcement ladder."""

    class Outcome(models.TextChoices):
        OPEN = "open", _("Nog niet geweest")
        ATTENDED = "verschenen", _("Verschenen")
        MISSED = "niet_verschenen", _("Niet verschenen")

    class Measure(models.TextChoices):
        NONE = "", _("Geen")
        WARNING = "waarschuwing", _("Schriftelijke waarschuwing en tweede uitnodiging")
        FINE = "boete", _("Boete van € 250 en derde uitnodiging")
        SECOND_FINE = "tweede_boete", _("Tweede boete van € 250; PIP zonder inbreng vastgesteld")

    CASE_PATH = "intake__inburgeraar"

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="invitations")
    sequence = models.PositiveSmallIntegerField(_("uitnodiging nr."))
    conversation_at = models.DateTimeField(_("datum en tijd gesprek"))
    response_date = models.DateField(_("reageren t/m"))
    outcome = models.CharField(
        _("uitkomst"), max_length=20, choices=Outcome.choices, default=Outcome.OPEN
    )
    measure = models.CharField(
        _("maatregel"), max_length=20, choices=Measure.choices, blank=True, default=""
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["intake", "sequence"], name="unique_invitation_sequence"
            )
        ]

    def __str__(self):
        return f"Uitnodiging {self.sequence}"


class CaseTransfer(models.Model):
    """A warme overdracht to another municipality of the region when the person moves."""

    CASE_PATH = "inburgeraar"

    inburgeraar = models.ForeignKey(Inburgeraar, on_delete=models.CASCADE, related_name="transfers")
    from_municipality = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("van")
    )
    to_municipality = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("naar")
    )
    reason = models.CharField(_("toelichting"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    read_only_until = models.DateField(_("alleen-lezen tot en met"))
    read_only_ended_at = models.DateTimeField(null=True, blank=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("overdracht")
        verbose_name_plural = _("overdrachten")
        ordering = ["-at"]
        indexes = [
            models.Index(
                fields=["read_only_until"],
                condition=models.Q(read_only_ended_at__isnull=True),
                name="transfer_open_read_only",
            )
        ]

    def __str__(self):
        return f"{self.from_municipality} → {self.to_municipality}"
