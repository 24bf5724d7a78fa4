from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """One of the seven municipalities of Westfriesland, WerkSaam Westfriesland, or a course
    provider (aanbieder) whose staff see only the people enrolled with it (uitvoering/)."""

    class Kind(models.TextChoices):
        GEMEENTE = "gemeente", _("Gemeente")
        WERKSAAM = "werksaam", _("WerkSaam")
        # A course provider (taalschool) the municipalities buy the inburgeringsaanbod from.
        AANBIEDER = "aanbieder", _("Aanbieder (taalschool)")

    name = models.CharField(_("naam"), max_length=100, unique=True)
    slug = models.SlugField(_("korte naam"), max_length=50, unique=True)
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    cbs_code = models.CharField(
        _("CBS-gemeentecode"), max_length=6, unique=True, null=True, blank=True, help_text="GM0405"
    )
    # Per-case grants to a whole organisation (a case shared with WerkSaam) go to this group,
    # so that every member sees the case through django-guardian's group permission table.
    group = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="organisation", null=True, blank=True
    )

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name

    @property
    def is_municipality(self) -> bool:
        return self.kind == self.Kind.GEMEENTE


class Role(models.TextChoices):
    KLANTMANAGER = "klantmanager", _("Klantmanager")
    TEAMLEIDER = "teamleider", _("Teamleider")
    WERKSAAM_MEDEWERKER = "werksaam_medewerker", _("Medewerker WerkSaam")
    BEHEERDER = "beheerder", _("Functioneel beheerder")
    AUDITOR = "auditor", _("Auditor")
    # The functionaris gegevensbescherming's office: answers a person's request for inzage
    # (AVG art. 15) for the cases of its municipality; no case role, no dossier pages.
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")
    # Staff of a course provider: no case role; uitvoering/ shows them their own enrolments only.
    TAALSCHOOL = "taalschool", _("Medewerker taalschool")


# Roles whose membership of a municipality gives access to that municipality's cases.
CASE_ROLES = (Role.KLANTMANAGER, Role.TEAMLEIDER, Role.BEHEERDER)
# Roles that work a case and so read its special-category (health) data: not the beheerder, who
# administers (corrects data in the admin) without reading health data.
WORK_ROLES = (Role.KLANTMANAGER, Role.TEAMLEIDER)
# The roles an organisation grant (a case shared with WerkSaam's group, or the sending
# municipality's read-only access after a transfer) reaches: the case roles of that organisation,
# never its auditor, beheerder or language-school staff.
GRANT_ROLES = (Role.KLANTMANAGER, Role.TEAMLEIDER, Role.WERKSAAM_MEDEWERKER)


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Membership(models.Model):
    """A user's role in an organisation. A user may hold several memberships."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("gebruiker"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisatie"),
    )
    role = models.CharField(_("rol"), max_length=30, choices=Role.choices)
    is_active = models.BooleanField(_("actief"), default=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="unique_membership_role"
            )
        ]
        indexes = [models.Index(fields=["user", "role", "is_active"])]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} ({self.organisation})"
