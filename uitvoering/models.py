"""Uitvoering: the three years after the PIP, in GGM's names.

- `Enrolment` (InburgeringsAanbod): the course with a language school (an Organisation of kind
  aanbieder), with the MAP and PVT providers and their dates;
- `Attendance`: what the school reports per period: hours present, geoorloofd and ongeoorloofd
  verzuim, and progress (level per skill, exam readiness);
- `VerzuimThreshold`: per municipality, the ongeoorloofd verzuim that becomes a signal;
- `ProgressReview` (voortgangsgesprek);
- `ExamResult` (Examenonderdeel) and `ExamDecision` (Ontheffing / Vrijstelling per onderdeel);
- `Completion`: the MAP's eindgesprek and the PVT's signing, or "niet (succesvol) voldaan";
- `Verlenging` (Aanvraag verlenging) and DUO's decision;
- `Afronding`: voldaan, niet voldaan or beëindigd, the only way a case is closed;
- `DossierSummary`: the PDF for a municipality outside the region when the person moves away.

A language school reads through `for_school(user)`: its own enrolments only, never the case.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.access import VisibleQuerySet, case_access_q
from cases.models import Inburgeraar
from municipalities.models import Membership, Organisation, Role
from pip_plans.models import Level, Pip


def school_ids(user):
    """A subquery of the course providers the user works for (an active taalschool role)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Organisation.objects.none().values("pk")
    return (
        Membership.objects.active()
        .filter(user=user, role=Role.TAALSCHOOL, organisation__kind=Organisation.Kind.AANBIEDER)
        .values("organisation_id")
    )


class Onderdeel(models.TextChoices):
    LEZEN = "lezen", _("Lezen")
    LUISTEREN = "luisteren", _("Luisteren")
    SCHRIJVEN = "schrijven", _("Schrijven")
    SPREKEN = "spreken", _("Spreken")
    KNM = "knm", _("KNM")


LANGUAGE_PARTS = ("lezen", "luisteren", "schrijven", "spreken")


class SchoolScopedQuerySet(VisibleQuerySet):
    """The one door, plus the school's own enrolments for a taalschool user. `SCHOOL_PATH` is the
    lookup from the model to the enrolment's school."""

    def for_school(self, user):
        return self.filter(**{f"{self.model.SCHOOL_PATH}__in": school_ids(user)})

    def visible_to(self, user):
        return self.filter(
            case_access_q(user, path=self._case_path())
            | Q(**{f"{self.model.SCHOOL_PATH}__in": school_ids(user)})
        )


class Enrolment(models.Model):
    """GGM InburgeringsAanbod: the course bought from a language school for a PIP."""

    CASE_PATH = "inburgeraar"
    SCHOOL_PATH = "school_id"
    AUDIT_MASKED_FIELDS = ("no_fault_statement",)

    inburgeraar = models.ForeignKey(
        Inburgeraar, on_delete=models.PROTECT, related_name="enrolments"
    )
    pip = models.ForeignKey(Pip, on_delete=models.PROTECT, related_name="enrolments")
    school = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="enrolments",
        limit_choices_to={"kind": Organisation.Kind.AANBIEDER},
        verbose_name=_("taalschool"),
    )
    # GGM: DatumInburgeringsAanbod (the aanmelding), the school's intake, the actual start.
    aanmelding_date = models.DateField(_("datum aanmelding"))
    school_intake_date = models.DateField(_("intake bij de taalschool"), null=True, blank=True)
    actual_start = models.DateField(_("werkelijke startdatum cursus"), null=True, blank=True)
    planned_end = models.DateField(_("geplande einddatum cursus"), null=True, blank=True)
    contract_id = models.CharField(_("contractnummer"), max_length=50, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(_("lesuren per week"), null=True, blank=True)
    taalschakeltraject = models.BooleanField(_("taalschakeltraject"), default=False)
    alfabetisering = models.BooleanField(_("alfabetisering"), default=False)
    contact_name = models.CharField(_("contactpersoon gemeente"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mail contactpersoon"), blank=True)
    # MAP and PVT providers.
    map_provider = models.CharField(_("MAP: aanbieder"), max_length=200, blank=True)
    map_start = models.DateField(_("MAP: start"), null=True, blank=True)
    map_end = models.DateField(_("MAP: gepland einde"), null=True, blank=True)
    pvt_provider = models.CharField(_("PVT: aanbieder"), max_length=200, blank=True)
    pvt_start = models.DateField(_("PVT: start"), null=True, blank=True)
    pvt_end = models.DateField(_("PVT: gepland einde"), null=True, blank=True)
    # A late start for a statushouder: the no-fault extension and the municipality's statement.
    no_fault_statement_on = models.DateField(
        _("verklaring geen verwijtbaarheid afgegeven op"), null=True, blank=True
    )
    no_fault_statement = models.TextField(_("verklaring geen verwijtbaarheid"), blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("inburgeringsaanbod")
        verbose_name_plural = _("inburgeringsaanbod")
        ordering = ["-aanmelding_date", "-id"]

    def __str__(self):
        return f"{self.school} — {self.contract_id or self.pk}"

    @property
    def audit_label(self) -> str:
        return f"Inburgeringsaanbod #{self.pk} (inburgeraar #{self.inburgeraar_id})"


class Attendance(models.Model):
    """What the school reports for one period: attendance and progress."""

    CASE_PATH = "enrolment__inburgeraar"
    SCHOOL_PATH = "enrolment__school_id"

    class Source(models.TextChoices):
        HAND = "hand", _("Handmatig")
        CSV = "csv", _("CSV-upload")
        API = "api", _("API")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    period_start = models.DateField(_("periode van"))
    period_end = models.DateField(_("periode tot en met"))
    hours_present = models.DecimalField(_("uren aanwezig"), max_digits=6, decimal_places=1)
    hours_excused = models.DecimalField(
        _("uren geoorloofd verzuim"), max_digits=6, decimal_places=1, default=0
    )
    hours_unexcused = models.DecimalField(
        _("uren ongeoorloofd verzuim"), max_digits=6, decimal_places=1, default=0
    )
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
    exam_ready = models.BooleanField(_("examenklaar"), default=False)
    source = models.CharField(_("bron"), max_length=10, choices=Source.choices, default=Source.HAND)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now=True)

    objects = SchoolScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("presentie en voortgang")
        verbose_name_plural = _("presentie en voortgang")
        ordering = ["-period_start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "period_start", "period_end"], name="one_report_per_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="attendance_period_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.period_start:%d-%m-%Y} t/m {self.period_end:%d-%m-%Y}"


class VerzuimThreshold(models.Model):
    """Set by the beheerder per municipality: ongeoorloofd verzuim in one reported period above
    this many hours becomes a signal for the klantmanager on Vandaag."""

    municipality = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="verzuim_threshold",
        limit_choices_to={"kind": Organisation.Kind.GEMEENTE},
        verbose_name=_("gemeente"),
    )
    max_unexcused_hours = models.DecimalField(
        _("signaal boven uren ongeoorloofd verzuim per periode"),
        max_digits=5,
        decimal_places=1,
        default=8,
    )

    class Meta:
        verbose_name = _("verzuimdrempel")
        verbose_name_plural = _("verzuimdrempels")

    def __str__(self):
        return f"{self.municipality}: > {self.max_unexcused_hours} uur"


class ProgressReview(models.Model):
    """A voortgangsgesprek: who took part, per PIP goal what was discussed and agreed, follow-up
    actions with dates, and the next review date."""

    CASE_PATH = "inburgeraar"
    AUDIT_MASKED_FIELDS = (
        "participants",
        "language_discussed",
        "language_agreed",
        "work_discussed",
        "work_agreed",
        "participation_discussed",
        "participation_agreed",
        "actions",
    )

    inburgeraar = models.ForeignKey(
        Inburgeraar, on_delete=models.PROTECT, related_name="progress_reviews"
    )
    held_on = models.DateField(_("datum gesprek"))
    participants = models.CharField(_("deelnemers"), max_length=300)
    language_discussed = models.TextField(_("taal: besproken"), blank=True)
    language_agreed = models.TextField(_("taal: afgesproken"), blank=True)
    work_discussed = models.TextField(_("werk: besproken"), blank=True)
    work_agreed = models.TextField(_("werk: afgesproken"), blank=True)
    participation_discussed = models.TextField(_("participatie: besproken"), blank=True)
    participation_agreed = models.TextField(_("participatie: afgesproken"), blank=True)
    actions = models.TextField(
        _("vervolgacties"),
        blank=True,
        help_text=_("Eén actie per regel: datum (dd-mm-jjjj) en wat."),
    )
    next_review_on = models.DateField(
        _("volgend gesprek"),
        null=True,
        blank=True,
        help_text=_("Leeg: na het interval van de gemeente."),
    )
    new_pip_version = models.BooleanField(_("leidt tot een nieuwe PIP-versie"), default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("voortgangsgesprek")
        verbose_name_plural = _("voortgangsgesprekken")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.held_on:%d-%m-%Y}"


class ExamResult(models.Model):
    """GGM Examenonderdeel: DUO's result for one part, by hand or from a CSV."""

    CASE_PATH = "inburgeraar"

    class Result(models.TextChoices):
        BEHAALD = "behaald", _("Behaald")
        NIET_BEHAALD = "niet_behaald", _("Niet behaald")

    inburgeraar = models.ForeignKey(
        Inburgeraar, on_delete=models.PROTECT, related_name="exam_results"
    )
    onderdeel = models.CharField(_("onderdeel"), max_length=10, choices=Onderdeel.choices)
    level = models.CharField(_("niveau"), max_length=2, choices=Level.choices, blank=True)
    score = models.DecimalField(
        _("behaalde score"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    exam_date = models.DateField(_("examendatum"))
    result = models.CharField(_("resultaat"), max_length=15, choices=Result.choices)
    registered_on = models.DateField(_("datum registratie uitslag"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("examenresultaat")
        verbose_name_plural = _("examenresultaten")
        ordering = ["onderdeel", "-exam_date", "-id"]

    def __str__(self):
        return f"{self.get_onderdeel_display()} {self.level}: {self.get_result_display()}"


class ExamDecision(models.Model):
    """DUO's ontheffing or vrijstelling for one onderdeel, with its date and reason."""

    CASE_PATH = "inburgeraar"
    AUDIT_MASKED_FIELDS = ("reason",)  # an ontheffing is often medical

    class Kind(models.TextChoices):
        ONTHEFFING = "ontheffing", _("Ontheffing")
        VRIJSTELLING = "vrijstelling", _("Vrijstelling")

    inburgeraar = models.ForeignKey(
        Inburgeraar, on_delete=models.PROTECT, related_name="exam_decisions"
    )
    onderdeel = models.CharField(_("onderdeel"), max_length=10, choices=Onderdeel.choices)
    kind = models.CharField(_("soort"), max_length=15, choices=Kind.choices)
    decided_on = models.DateField(_("datum besluit DUO"))
    reason = models.CharField(_("reden"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("ontheffing of vrijstelling")
        verbose_name_plural = _("ontheffingen en vrijstellingen")
        constraints = [
            models.UniqueConstraint(
                fields=["inburgeraar", "onderdeel"], name="one_decision_per_part"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.get_onderdeel_display()}"


class Completion(models.Model):
    """GGM MAP / PVT: the MAP's eindgesprek or the participatieverklaring's signing, or "niet
    (succesvol) voldaan" with its reason and whether that is verwijtbaar."""

    CASE_PATH = "inburgeraar"
    AUDIT_MASKED_FIELDS = ("reason_not_met",)

    class Part(models.TextChoices):
        MAP = "map", _("MAP")
        PVT = "pvt", _("PVT")

    class Result(models.TextChoices):
        VOLDAAN = "voldaan", _("Voldaan")
        NIET_VOLDAAN = "niet_voldaan", _("Niet (succesvol) voldaan")

    inburgeraar = models.ForeignKey(
        Inburgeraar, on_delete=models.PROTECT, related_name="completions"
    )
    part = models.CharField(_("onderdeel"), max_length=3, choices=Part.choices)
    on = models.DateField(_("datum eindgesprek of ondertekening"))
    result = models.CharField(_("resultaat"), max_length=15, choices=Result.choices)
    reason_not_met = models.CharField(
        _("reden niet (succesvol) voldaan"), max_length=300, blank=True
    )
    verwijtbaar = models.BooleanField(_("verwijtbaar"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("afronding MAP of PVT")
        verbose_name_plural = _("afronding MAP en PVT")
        constraints = [
            models.UniqueConstraint(fields=["inburgeraar", "part"], name="one_completion_per_part")
        ]

    def __str__(self):
        return f"{self.get_part_display()}: {self.get_result_display()}"


class Verlenging(models.Model):
    """GGM Aanvraag verlenging: the request at DUO and DUO's decision with the new end date."""

    CASE_PATH = "inburgeraar"
    AUDIT_MASKED_FIELDS = ("toelichting",)  # the grond is often illness

    class Grond(models.TextChoices):
        ZIEKTE = "ziekte", _("Ziekte of andere omstandigheden van 3 maanden of langer")
        OPLEIDING = "opleiding", _("Opleiding die langer duurt")
        OVERIG = "overig", _("Andere reden")

    class Decision(models.TextChoices):
        OPEN = "open", _("Aangevraagd")
        TOEGEKEND = "toegekend", _("Toegekend")
        AFGEWEZEN = "afgewezen", _("Afgewezen")

    inburgeraar = models.ForeignKey(
        Inburgeraar, on_delete=models.PROTECT, related_name="verlengingen"
    )
    grond = models.CharField(_("verlengingsgrond"), max_length=20, choices=Grond.choices)
    toelichting = models.CharField(_("toelichting"), max_length=500, blank=True)
    requested_on = models.DateField(_("aangevraagd bij DUO op"))
    decision = models.CharField(
        _("beoordeling"), max_length=10, choices=Decision.choices, default=Decision.OPEN
    )
    decided_on = models.DateField(_("datum besluit DUO"), null=True, blank=True)
    previous_end = models.DateField(_("einde termijn voor de verlenging"), null=True, blank=True)
    new_end = models.DateField(_("nieuwe einddatum termijn"), null=True, blank=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("aanvraag verlenging")
        verbose_name_plural = _("aanvragen verlenging")
        ordering = ["-requested_on", "-id"]

    def __str__(self):
        return f"{self.get_grond_display()} ({self.get_decision_display()})"


class Afronding(models.Model):
    """How the duty ended for this case, and when: the date the retention period starts."""

    CASE_PATH = "inburgeraar"
    AUDIT_PLAIN_FIELDS = ("notes",)

    class Outcome(models.TextChoices):
        VOLDAAN = "voldaan", _("Voldaan")
        NIET_VOLDAAN = "niet_voldaan", _("Niet voldaan aan het einde van de termijn")
        BEEINDIGD = "beeindigd", _("Beëindigd")

    class EndReason(models.TextChoices):
        VERHUISD = "verhuisd", _("Verhuisd buiten de regio")
        GEEMIGREERD = "geemigreerd", _("Geëmigreerd")
        OVERLEDEN = "overleden", _("Overleden")
        GENATURALISEERD = "genaturaliseerd", _("Genaturaliseerd")
        PLICHT_BEEINDIGD = "plicht_beeindigd", _("Inburgeringsplicht beëindigd door DUO")

    inburgeraar = models.OneToOneField(
        Inburgeraar, on_delete=models.PROTECT, related_name="afronding"
    )
    outcome = models.CharField(_("uitkomst"), max_length=15, choices=Outcome.choices)
    on = models.DateField(_("datum"))
    end_reason = models.CharField(
        _("reden beëindiging"), max_length=20, choices=EndReason.choices, blank=True
    )
    moved_to = models.CharField(_("verhuisd naar gemeente"), max_length=100, blank=True)
    handed_to_handhaving = models.BooleanField(_("overgedragen aan handhaving"), default=False)
    z_final_conversation_on = models.DateField(
        _("Z-route: eindgesprek gehouden op"), null=True, blank=True
    )
    notes = models.CharField(_("toelichting"), max_length=500, blank=True)
    retention_until = models.DateField(_("bewaren tot en met"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("afronding")
        verbose_name_plural = _("afrondingen")

    def __str__(self):
        return f"{self.get_outcome_display()} ({self.on:%d-%m-%Y})"


class DossierSummary(models.Model):
    """The PDF dossier summary for the receiving municipality outside the region."""

    CASE_PATH = "inburgeraar"

    inburgeraar = models.OneToOneField(
        Inburgeraar, on_delete=models.PROTECT, related_name="dossier_summary"
    )
    receiving_municipality = models.CharField(_("ontvangende gemeente"), max_length=100)
    file = models.FileField(_("bestand"), upload_to="uitvoering/%Y/%m/")
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("grootte (bytes)"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossieroverdracht (PDF)")
        verbose_name_plural = _("dossieroverdrachten (PDF)")

    def __str__(self):
        return f"{self.receiving_municipality} ({self.created_at:%d-%m-%Y})"
