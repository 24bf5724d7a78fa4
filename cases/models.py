"""The case: the person with the duty to integrate, their household, what happened (timeline),
transfers between municipalities and the per-case grants. Every feature app builds on these."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.db.models.functions import Collate, Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from common.bsn import mask_bsn, normalise_bsn, validate_bsn
from common.dates import add_years
from common.text import search_key
from municipalities.models import Organisation

from .access import VisibleQuerySet
from .collation import NAME_COLLATION


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
# A legal representative (a minor's parent or guardian): letters go to them when recorded.
LEGAL_REPRESENTATIVE_FIELDS = (
    "legal_representative_name",
    "legal_representative_street",
    "legal_representative_house_number",
    "legal_representative_postal_code",
    "legal_representative_city",
)
# Minors (DOMAIN.md "Minors"): under 16 not inburgeringsplichtig; at 16 or 17, while leerplichtig
# or kwalificatieplichtig, the duty's start is postponed to the day after that ends (verify: the
# setting DUTY_POSTPONED_WHILE_LEERPLICHTIG).
MINIMUM_AGE = 16
ADULT_AGE = 18
LEERPLICHT_FIELDS = ("leerplicht", "leerplicht_end")


def age_on(born, day) -> int:
    """Completed years on `day` (a birthday today counts: born 03-12-2010, 16 on 03-12-2026)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class Leerplicht(models.TextChoices):
    ONBEKEND = "", _("Niet vastgelegd")
    GEEN = "geen", _("Niet leerplichtig of kwalificatieplichtig")
    LEERPLICHTIG = "leerplichtig", _("Leerplichtig")
    KWALIFICATIEPLICHTIG = "kwalificatieplichtig", _("Kwalificatieplichtig")


POSTPONING_LEERPLICHT = (Leerplicht.LEERPLICHTIG, Leerplicht.KWALIFICATIEPLICHTIG)


def postponed_duty_start(leerplicht: str, leerplicht_end):
    """The day the duty starts when leerplicht or kwalificatieplicht postpones it (the day after
    its last day), else None; None too when the setting turns the postponement off."""
    if leerplicht not in POSTPONING_LEERPLICHT or leerplicht_end is None:
        return None
    if not settings.DUTY_POSTPONED_WHILE_LEERPLICHTIG:
        return None
    return leerplicht_end + timedelta(days=1)


LEGAL_DATE_FIELDS = (
    "datum_start_inburgeringsplicht",
    "datum_kennisgeving",
    "datum_inschrijving_brp",
    "datum_koppeling",
)


class Inburgeraar(models.Model):
    """A person with the duty to integrate (inburgeringsplichtige), registered by BSN."""

    AUDIT_MASKED_FIELDS = ("bsn",)
    AUDIT_PLAIN_FIELDS = ("search_name",)

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

    legal_representative_name = models.CharField(
        _("naam wettelijk vertegenwoordiger"),
        max_length=200,
        blank=True,
        help_text=_("Voor een minderjarige: brieven gaan naar de wettelijk vertegenwoordiger."),
    )
    legal_representative_street = models.CharField(
        _("straat wettelijk vertegenwoordiger"), max_length=200, blank=True
    )
    legal_representative_house_number = models.CharField(
        _("huisnummer wettelijk vertegenwoordiger"), max_length=20, blank=True
    )
    legal_representative_postal_code = models.CharField(
        _("postcode wettelijk vertegenwoordiger"), max_length=7, blank=True
    )
    legal_representative_city = models.CharField(
        _("woonplaats wettelijk vertegenwoordiger"), max_length=100, blank=True
    )

    # A 16- or 17-year-old who is leerplichtig or kwalificatieplichtig: the duty starts the day
    # after leerplicht_end (the last day of that duty, "t/m"); no deadline counts from before.
    leerplicht = models.CharField(
        _("leerplicht"), max_length=30, choices=Leerplicht.choices, blank=True, default=""
    )
    leerplicht_end = models.DateField(
        _("leerplichtig of kwalificatieplichtig t/m"),
        null=True,
        blank=True,
        help_text=_(
            "De laatste dag van de leerplicht of kwalificatieplicht (uiterlijk de dag vóór de 18e "
            "verjaardag); de inburgeringsplicht begint de dag erna."
        ),
    )

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
        # Dutch order of names (cases/collation.py): Ö with O, Ş with S.
        ordering = [
            Collate(F("surname"), NAME_COLLATION),
            Collate(F("first_names"), NAME_COLLATION),
            "id",
        ]
        indexes = [
            models.Index(fields=["municipality", "status"]),
            # The search's `v_nummer__iexact` (UPPER(v_nummer) = UPPER(q)), ORed with the name:
            # both sides need an index for a bitmap OR, or the whole table is scanned. The name
            # side is a trigram index on PostgreSQL (migration 0005, not in the model state:
            # SQLite has no GIN).
            models.Index(Upper("v_nummer"), name="inburgeraar_v_nummer_upper"),
            # Counting the cases of a user's municipalities (cases.access.count_visible): the
            # access filter reads municipality and id only, so the count is an index-only scan
            # of those municipalities' entries.
            models.Index(fields=["municipality", "id"], name="inburgeraar_municipality_pk"),
        ]
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
        postponing = self.leerplicht in POSTPONING_LEERPLICHT
        if postponing and self.leerplicht_end is None:
            raise ValidationError(
                {
                    "leerplicht_end": _(
                        "Vul de laatste dag van de leerplicht of kwalificatieplicht in."
                    )
                }
            )
        if self.leerplicht_end and not postponing:
            raise ValidationError(
                {
                    "leerplicht_end": _(
                        "Een einddatum hoort alleen bij leerplichtig of kwalificatieplichtig."
                    )
                }
            )
        if postponing and self.date_of_birth:
            last = add_years(self.date_of_birth, ADULT_AGE) - timedelta(days=1)
            if self.leerplicht_end > last:
                raise ValidationError(
                    {
                        "leerplicht_end": _(
                            "De kwalificatieplicht eindigt uiterlijk de dag vóór de 18e "
                            "verjaardag: %(date)s."
                        )
                        % {"date": last.strftime("%d-%m-%Y")}
                    }
                )

    @property
    def is_minor(self) -> bool:
        return self.age_on(timezone.localdate()) < ADULT_AGE

    @property
    def duty_postponed(self) -> bool:
        return self.leerplicht in POSTPONING_LEERPLICHT and self.leerplicht_end is not None

    @property
    def postponed_duty_start(self):
        """The day the duty starts when leerplicht or kwalificatieplicht postpones it, else None."""
        return postponed_duty_start(self.leerplicht, self.leerplicht_end)

    @property
    def full_name(self) -> str:
        return " ".join(
            part for part in (self.first_names, self.surname_prefix, self.surname) if part
        )

    @property
    def audit_label(self) -> str:
        # Never the BSN: the trail names the person by record number only.
        return f"Inburgeraar #{self.pk}"

    def age_on(self, day) -> int:
        return age_on(self.date_of_birth, day)

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
    AUDIT_PLAIN_FIELDS = ("text",)  # written by the system from names and dates

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


class CaseTransfer(models.Model):
    """A warme overdracht to another municipality of the region when the person moves."""

    CASE_PATH = "inburgeraar"
    AUDIT_PLAIN_FIELDS = ("reason",)

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
