from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.access import VisibleQuerySet
from cases.models import Inburgeraar
from municipalities.models import Organisation

from .rules import Route, b1_haalbaar, learnability_cutoff


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
    B2 = "B2", _("B2 of hoger")


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
    # The trail names these fields when they change, never their values (audit.services): the
    # health fields, and the free text that in practice holds health and circumstances.
    AUDIT_MASKED_FIELDS = SPECIAL_CATEGORY_FIELDS + (
        "personal_circumstances",
        "route_deviation_reason",
        "third_party_info",
    )
    AUDIT_PLAIN_FIELDS = ("education_work_notes", "motivation")

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
    AUDIT_PLAIN_FIELDS = ("description",)

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
    # A topic note holds whatever the conversation brought up ("zwanger, depressie").
    AUDIT_MASKED_FIELDS = ("notes",)

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
        SECOND_FINE = (
            "tweede_boete",
            _("Tweede boete van € 250; PIP vast te stellen zonder inbreng"),
        )

    CASE_PATH = "intake__inburgeraar"
    # What the person said about why they did not come may hold health or family matters: the
    # trail records that the assessment changed, never its words. The withdrawal reason is the
    # caseworker's own note on a mistaken record.
    AUDIT_MASKED_FIELDS = ("geldige_reden_toelichting", "verwijtbaar_toelichting")
    AUDIT_PLAIN_FIELDS = ("measure_withdrawal_reason",)

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="invitations")
    sequence = models.PositiveSmallIntegerField(_("uitnodiging nr."))
    conversation_at = models.DateTimeField(_("datum en tijd gesprek"))
    response_date = models.DateField(_("reageren t/m"))
    outcome = models.CharField(
        _("uitkomst"), max_length=20, choices=Outcome.choices, default=Outcome.OPEN
    )
    # Before any measure for a missed invitation: was there a valid reason, and is the absence
    # blameworthy (Awb 5:41: no fine without blame)? The letters read this assessment from here.
    geldige_reden = models.BooleanField(_("geldige reden"), null=True, blank=True)
    geldige_reden_toelichting = models.TextField(_("toelichting geldige reden"), blank=True)
    verwijtbaar = models.BooleanField(_("verwijtbaar (artikel 5:41 Awb)"), null=True, blank=True)
    verwijtbaar_toelichting = models.TextField(_("toelichting verwijtbaarheid"), blank=True)
    assessed_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    measure = models.CharField(
        _("maatregel"), max_length=20, choices=Measure.choices, blank=True, default=""
    )
    # A fine stays a voornemen (intention) until the boetebeschikking is sent: its dagtekening.
    fine_decided_on = models.DateField(_("boete opgelegd op"), null=True, blank=True)
    # A measure recorded by mistake is withdrawn, not erased: it stays visible as withdrawn.
    measure_withdrawn_at = models.DateTimeField(
        _("maatregel ingetrokken op"), null=True, blank=True
    )
    measure_withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    measure_withdrawal_reason = models.TextField(_("reden intrekking maatregel"), blank=True)
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

    FINE_MEASURES = ("boete", "tweede_boete")

    def __str__(self):
        return f"Uitnodiging {self.sequence}"

    @property
    def active_measure(self) -> str:
        """The measure in force: none once withdrawn."""
        return "" if self.measure_withdrawn_at else self.measure

    @property
    def is_fine(self) -> bool:
        return self.active_measure in self.FINE_MEASURES

    @property
    def fine_is_voornemen(self) -> bool:
        return self.is_fine and self.fine_decided_on is None

    @property
    def measure_label(self) -> str:
        """The measure as the screen shows it: a fine is a voornemen until the decision."""
        if not self.measure:
            return ""
        label = str(self.get_measure_display())
        if self.measure_withdrawn_at:
            return gettext("%(measure)s — ingetrokken") % {"measure": label}
        if self.measure in self.FINE_MEASURES:
            if self.fine_decided_on:
                return gettext("%(measure)s — opgelegd op %(date)s") % {
                    "measure": label,
                    "date": self.fine_decided_on.strftime("%d-%m-%Y"),
                }
            return gettext("%(measure)s — voornemen") % {"measure": label}
        return label
