"""What a municipality shares with WerkSaam, and what WerkSaam records on a shared case.

A `Share` is the legal basis (a Participatiewet benefit or the person's consent) on which WerkSaam
sees a case. The django-guardian grant to WerkSaam's organisation group follows the shares of a
case: it exists exactly while at least one share is active (see services.sync_werksaam_access).
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.access import VisibleQuerySet
from cases.models import Inburgeraar


class ShareQuerySet(VisibleQuerySet):
    def active(self, today: date | None = None):
        today = today or timezone.localdate()
        return self.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=today),
            ended_at__isnull=True,
            start_date__lte=today,
        )


class Share(models.Model):
    """A case shared with WerkSaam on a recorded legal basis (AVG art. 6), from start to end."""

    CASE_PATH = "inburgeraar"
    AUDIT_PLAIN_FIELDS = ("consent_scope", "end_reason")

    class Basis(models.TextChoices):
        BENEFIT = "uitkering", _("Participatiewet-uitkering (bijstand)")
        CONSENT = "toestemming", _("Toestemming van de inburgeraar")

    inburgeraar = models.ForeignKey(Inburgeraar, on_delete=models.CASCADE, related_name="shares")
    basis = models.CharField(_("grondslag"), max_length=20, choices=Basis.choices)
    consent_date = models.DateField(_("datum toestemming"), null=True, blank=True)
    consent_scope = models.CharField(
        _("reikwijdte toestemming"),
        max_length=300,
        blank=True,
        help_text=_("Waarvoor de inburgeraar toestemming gaf."),
    )
    consent_document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shares",
        verbose_name=_("toestemmingsformulier"),
        help_text=_("Het getekende formulier, geüpload bij Documenten van dit dossier."),
    )
    start_date = models.DateField(_("gedeeld vanaf"))
    end_date = models.DateField(
        _("gedeeld tot en met"), null=True, blank=True, help_text=_("Leeg: tot wederopzegging.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Ended by a caseworker (basis lost, consent revoked) or by the sweep when the end date passed.
    ended_at = models.DateTimeField(_("beëindigd op"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    end_reason = models.CharField(_("reden beëindiging"), max_length=300, blank=True)
    revoked = models.BooleanField(_("toestemming ingetrokken"), default=False)

    objects = ShareQuerySet.as_manager()

    class Meta:
        verbose_name = _("deling met WerkSaam")
        verbose_name_plural = _("delingen met WerkSaam")
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["ended_at", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="share_end_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(basis="toestemming") | Q(consent_date__isnull=False),
                name="share_consent_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.get_basis_display()} ({self.start_date:%d-%m-%Y})"

    @property
    def audit_label(self) -> str:
        return f"Deling #{self.pk} (inburgeraar #{self.inburgeraar_id})"

    def is_active(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.ended_at is None
            and self.start_date <= today
            and (self.end_date is None or self.end_date >= today)
        )

    def clean(self):
        super().clean()
        if self.basis == self.Basis.CONSENT and not self.consent_date:
            raise ValidationError(
                {"consent_date": _("Vul de datum in waarop de inburgeraar toestemming gaf.")}
            )
        if self.basis == self.Basis.CONSENT and not self.consent_scope:
            raise ValidationError(
                {"consent_scope": _("Beschrijf waarvoor de inburgeraar toestemming gaf.")}
            )
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("De einddatum ligt vóór de startdatum.")})


class WerksaamRecord(models.Model):
    """Common columns of what WerkSaam records on a shared case."""

    CASE_PATH = "inburgeraar"

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def audit_label(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk} (inburgeraar #{self.inburgeraar_id})"


class Benefit(WerksaamRecord):
    """A Participatiewet benefit (bijstand) paid by WerkSaam."""

    inburgeraar = models.ForeignKey(
        Inburgeraar, on_delete=models.CASCADE, related_name="werksaam_benefits"
    )
    start_date = models.DateField(_("bijstand vanaf"))
    end_date = models.DateField(_("bijstand tot en met"), null=True, blank=True)

    class Meta:
        verbose_name = _("bijstand")
        verbose_name_plural = _("bijstand")
        ordering = ["-start_date", "-id"]

    def __str__(self):
        return f"Bijstand vanaf {self.start_date:%d-%m-%Y}"

    def clean(self):
        super().clean()
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("De einddatum ligt vóór de startdatum.")})


class Unburdening(WerksaamRecord):
    """Ontzorgen (Participatiewet art. 56a): fixed costs paid from the benefit, at least 6 months."""

    inburgeraar = models.ForeignKey(
        Inburgeraar, on_delete=models.CASCADE, related_name="werksaam_unburdenings"
    )
    machtiging_date = models.DateField(_("machtiging getekend op"))
    start_date = models.DateField(_("ontzorgen vanaf"))
    planned_end = models.DateField(_("gepland einde"))
    rent = models.BooleanField(_("huur"), default=False)
    energy_water = models.BooleanField(_("energie en water"), default=False)
    health_insurance = models.BooleanField(_("zorgverzekering"), default=False)
    ended_on = models.DateField(_("beëindigd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("ontzorgen")
        verbose_name_plural = _("ontzorgen")
        ordering = ["-start_date", "-id"]

    def __str__(self):
        return f"Ontzorgen vanaf {self.start_date:%d-%m-%Y}"

    @property
    def costs(self) -> list[str]:
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in ("rent", "energy_water", "health_insurance")
            if getattr(self, name)
        ]

    def bijstand(self) -> "Benefit | None":
        """The bijstand this ontzorgen is paid from: the benefit that runs on its start date."""
        if not self.inburgeraar_id or not self.start_date:
            return None
        return bijstand_on(self.inburgeraar_id, self.start_date)

    def minimum_last_day(self) -> date | None:
        """Art. 56a: at least six months from the start of the right to bijstand, t/m this day."""
        from deadlines.rules import ontzorgen_minimum_last_day

        benefit = self.bijstand()
        return ontzorgen_minimum_last_day(benefit.start_date) if benefit else None

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.inburgeraar_id:
            benefit = self.bijstand()
            if benefit is None:
                errors["start_date"] = _(
                    "Er is geen bijstand vastgelegd die op %(date)s loopt. Ontzorgen (Participatiewet "
                    "art. 56a) hoort bij bijstand en telt vanaf het begin ervan: leg eerst de "
                    "bijstand vast."
                ) % {"date": self.start_date.strftime("%d-%m-%Y")}
            elif self.planned_end and self.planned_end < self.minimum_last_day():
                errors["planned_end"] = _(
                    "Ontzorgen duurt ten minste zes maanden vanaf het begin van de bijstand "
                    "(%(start)s): het geplande einde ligt op of na %(date)s."
                ) % {
                    "start": benefit.start_date.strftime("%d-%m-%Y"),
                    "date": self.minimum_last_day().strftime("%d-%m-%Y"),
                }
        if not (self.rent or self.energy_water or self.health_insurance):
            errors["rent"] = _(
                "Kies ten minste één vaste last: huur, energie en water of zorgverzekering."
            )
        if self.machtiging_date and self.start_date and self.machtiging_date > self.start_date:
            errors["machtiging_date"] = _("De machtiging moet er zijn vóór het ontzorgen begint.")
        if errors:
            raise ValidationError(errors)


def bijstand_on(case_id: int, day: date) -> Benefit | None:
    """The benefit of this case that runs on `day` (the latest to start, when more do)."""
    return (
        Benefit.objects.filter(inburgeraar_id=case_id, start_date__lte=day)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .order_by("-start_date", "-id")
        .first()
    )


def bijstand_starts_for_unburdening(case_ids: list[int]) -> dict[int, date]:
    """For ontzorgen's deadline (registered with deadlines.rules): per case with a current
    ontzorgen record (not ended), the start of the bijstand it is paid from. Two queries for the
    whole list."""
    current: dict[int, date] = {}
    for case_id, start in (
        Unburdening.objects.filter(inburgeraar_id__in=case_ids, ended_on__isnull=True)
        .order_by("inburgeraar_id", "start_date", "id")
        .values_list("inburgeraar_id", "start_date")
    ):
        current[case_id] = start  # the latest ontzorgen of the case
    starts: dict[int, date] = {}
    for case_id, start, end in (
        Benefit.objects.filter(inburgeraar_id__in=list(current))
        .order_by("inburgeraar_id", "start_date", "id")
        .values_list("inburgeraar_id", "start_date", "end_date")
    ):
        on = current[case_id]
        if start <= on and (end is None or end >= on):
            starts[case_id] = start
    return starts


class MapStatus(models.TextChoices):
    NIET_GESTART = "niet_gestart", _("Niet gestart")
    BEZIG = "bezig", _("Bezig")
    VOLDAAN = "voldaan", _("Afgerond: voldaan")
    NIET_VOLDAAN = "niet_voldaan", _("Afgerond: niet voldaan")


class MapProgress(WerksaamRecord):
    """Progress of the Module Arbeidsmarkt en Participatie (GGM MAP: Resultaat, DatumEindgesprekMAP)."""

    AUDIT_PLAIN_FIELDS = ("notes",)  # WerkSaam never holds special-category data

    inburgeraar = models.ForeignKey(
        Inburgeraar, on_delete=models.CASCADE, related_name="werksaam_map_progress"
    )
    status = models.CharField(_("status MAP"), max_length=20, choices=MapStatus.choices)
    hours_done = models.PositiveIntegerField(_("gevolgde uren"), default=0)
    final_conversation = models.DateField(_("datum eindgesprek"), null=True, blank=True)
    notes = models.CharField(_("toelichting"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("voortgang MAP")
        verbose_name_plural = _("voortgang MAP")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"MAP: {self.get_status_display()}"

    def clean(self):
        super().clean()
        done = (MapStatus.VOLDAAN, MapStatus.NIET_VOLDAAN)
        if self.status in done and not self.final_conversation:
            raise ValidationError(
                {"final_conversation": _("Een afgeronde MAP heeft een datum van het eindgesprek.")}
            )


class Activity(WerksaamRecord):
    """A work placement or a training arranged by WerkSaam."""

    class Kind(models.TextChoices):
        WERKPLEK = "werkplek", _("Werkplek of werkervaringsplaats")
        STAGE = "stage", _("Stage")
        TRAINING = "training", _("Training of cursus")
        OPLEIDING = "opleiding", _("Opleiding")

    inburgeraar = models.ForeignKey(
        Inburgeraar, on_delete=models.CASCADE, related_name="werksaam_activities"
    )
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("omschrijving"), max_length=200)
    provider = models.CharField(_("werkgever of aanbieder"), max_length=200, blank=True)
    start_date = models.DateField(_("vanaf"))
    end_date = models.DateField(_("tot en met"), null=True, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(_("uren per week"), null=True, blank=True)

    class Meta:
        verbose_name = _("werkplek of training")
        verbose_name_plural = _("werkplekken en trainingen")
        ordering = ["-start_date", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.name}"

    def clean(self):
        super().clean()
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("De einddatum ligt vóór de startdatum.")})
