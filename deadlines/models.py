"""Legal dates as rows: one `Deadline` per case and kind (plus a key for kinds that repeat),
reminders recorded once per (deadline, stage), notifications in an in-app inbox.

The due dates are derived by deadlines.rules from the case's dates and kept in step by
deadlines.services.recompute_for_case(s), called in the same transaction as the change that moves
a date. The sweep (deadlines.services.sweep) reads only rows whose `next_reminder_on` has come,
through a partial index on the open and overdue rows.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.access import VisibleQuerySet, case_access_q
from cases.models import Inburgeraar
from municipalities.models import Organisation, Role
from municipalities.selectors import organisation_ids_with_any_role


class Kind(models.TextChoices):
    PIP_DUE = "pip", _("PIP vaststellen")
    INVITATION = "uitnodiging", _("Reactiedatum uitnodiging intake")
    BEZWAAR = "bezwaar", _("Einde bezwaartermijn PIP")
    COURSE_START = "cursusstart", _("Start inburgeringscursus")
    SCHAKEL = "schakelen", _("Einde schakelperiode")
    TERMIJN_END = "termijn", _("Einde inburgeringstermijn")
    VERLENGING = "verlenging", _("Verlenging aan te vragen")
    ONTZORGEN_END = "ontzorgen", _("Einde ontzorgen (minimaal 6 maanden)")
    PROGRESS_REVIEW = "voortgang", _("Voortgangsgesprek")
    CBS_REPORT = "cbs", _("Kwartaalrapportage CBS (Statistiek Wet Inburgering)")
    BESLISTERMIJN = "beslistermijn", _("Beslissing op bezwaar (beslistermijn)")
    HOORZITTING = "hoorzitting", _("Hoorzitting bezwaarschrift")


class State(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Afgehandeld")
    OVERDUE = "overdue", _("Verstreken")
    CANCELLED = "cancelled", _("Vervallen")


ACTIVE_STATES = (State.OPEN, State.OVERDUE)
# Who sees and handles a municipality's own deadlines (the CBS report).
LEAD_ROLES = (Role.TEAMLEIDER, Role.BEHEERDER)

# Kinds whose date is the first day something may happen, not a last day: shown "vanaf".
# Every other kind's date is the last day included, shown "t/m" (DOMAIN.md).
FROM_DATE_KINDS = frozenset({Kind.VERLENGING})


def date_label(kind: str, day) -> str:
    """'t/m 10-06-2029' for a last day, 'vanaf 01-12-2028' for a first possible day."""
    if kind in FROM_DATE_KINDS:
        return gettext("vanaf %(date)s") % {"date": day.strftime("%d-%m-%Y")}
    return gettext("t/m %(date)s") % {"date": day.strftime("%d-%m-%Y")}


class DeadlineQuerySet(VisibleQuerySet):
    def visible_to(self, user):
        """Case deadlines through the one door; the municipality-wide ones (the CBS report) to the
        team leads and beheerders of that municipality."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        leads_of = organisation_ids_with_any_role(user, LEAD_ROLES)
        return self.filter(
            (Q(inburgeraar__isnull=False) & case_access_q(user, path="inburgeraar"))
            | Q(inburgeraar__isnull=True, municipality_id__in=leads_of)
        )

    def editable_by(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        leads_of = organisation_ids_with_any_role(user, LEAD_ROLES)
        return self.filter(
            (
                Q(inburgeraar__isnull=False)
                & case_access_q(user, for_change=True, path="inburgeraar")
            )
            | Q(inburgeraar__isnull=True, municipality_id__in=leads_of)
        )

    def active(self):
        return self.filter(state__in=ACTIVE_STATES)


KIND_LABELS = dict(Kind.choices)


class Deadline(models.Model):
    CASE_PATH = "inburgeraar"

    inburgeraar = models.ForeignKey(
        Inburgeraar,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deadlines",
        verbose_name=_("inburgeraar"),
    )
    # The case's municipality (kept in step by the recompute, so a transfer moves it), or the
    # municipality a case-less deadline (the CBS report) belongs to.
    municipality = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("gemeente")
    )
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    # Tells apart the rows of kinds that repeat: the invitation's id, the review's number, the
    # PIP version's number, the quarter ("2026-3").
    key = models.CharField(_("sleutel"), max_length=40, blank=True, default="")
    due_date = models.DateField(_("uiterlijk op"))
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.OPEN)
    done_on = models.DateField(_("afgehandeld op"), null=True, blank=True)
    # The day the sweep next has something to do for this row (a reminder stage, the overdue
    # switch, the escalation); null when nothing is left.
    next_reminder_on = models.DateField(_("volgende herinnering op"), null=True, blank=True)
    # The PIP deadline while the municipality waits for third-party information (since the
    # request): open, not reminded, never overdue, until the information arrives.
    waiting_since = models.DateField(_("wacht op derden sinds"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        verbose_name = _("termijn")
        verbose_name_plural = _("termijnen")
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["inburgeraar", "kind", "key"],
                condition=Q(inburgeraar__isnull=False),
                name="one_deadline_per_case_kind_key",
            ),
            models.UniqueConstraint(
                fields=["municipality", "kind", "key"],
                condition=Q(inburgeraar__isnull=True),
                name="one_deadline_per_municipality_kind_key",
            ),
        ]
        indexes = [
            # The sweep: only active rows, by the day something is due.
            models.Index(
                fields=["next_reminder_on"],
                condition=Q(state__in=["open", "overdue"]),
                name="deadline_sweep_due",
            ),
            # "Mijn termijnen" and the team view: active rows by due date.
            models.Index(
                fields=["municipality", "due_date"],
                condition=Q(state__in=["open", "overdue"]),
                name="deadline_active_by_due",
            ),
            # A case's next deadline (the case list's column and its sort): the first active row
            # of the case by due date, read from the index (no sort of the case's deadlines).
            models.Index(
                fields=["inburgeraar", "due_date", "id"],
                condition=Q(state__in=["open", "overdue"]),
                name="deadline_case_next_due",
            ),
            # Vandaag of a team lead: the municipality's overdue PIP deadlines by due date (the
            # by-due index read and dropped 41,000 overdue deadlines of other kinds first), and
            # those waiting for third-party information.
            models.Index(
                fields=["municipality", "kind", "due_date"],
                condition=Q(state__in=["open", "overdue"]),
                name="deadline_active_by_kind_due",
            ),
            models.Index(
                fields=["municipality", "due_date"],
                condition=Q(state__in=["open", "overdue"], waiting_since__isnull=False),
                name="deadline_active_waiting",
            ),
            # The case list sorted by next deadline, its first pages: active rows in due order,
            # the case as tiebreak (deadlines.selectors.next_due_page_ids).
            models.Index(
                fields=["due_date", "inburgeraar"],
                condition=Q(state__in=["open", "overdue"]),
                name="deadline_active_due_case",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.due_date:%d-%m-%Y}"

    def get_kind_display(self) -> str:
        """The kind's label. Django's own builds the dict of every choice, translated, on each
        call: 0.18 ms a row, 90 ms for a team lead's agenda of 500 deadlines."""
        return str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def audit_label(self) -> str:
        return f"Termijn #{self.pk} ({self.kind})"

    @property
    def date_label(self) -> str:
        return date_label(self.kind, self.due_date)

    @property
    def waiting_label(self) -> str:
        from intake.rules import third_party_waiting_label

        return third_party_waiting_label(self.waiting_since) if self.waiting_since else ""

    @property
    def on_time(self) -> bool | None:
        """Done on or before the due date (the PIP within 10 weeks); None while not done."""
        if self.state != State.DONE or self.done_on is None:
            return None
        return self.done_on <= self.due_date


# A reminder goes out at most two years before its date; an escalation at most a year after it.
# (An offset of 3650000 days once overflowed the date arithmetic and stopped every sweep.)
MAX_OFFSET_DAYS = 730
MAX_ESCALATE_DAYS = 365


def validate_offsets(value: str) -> None:
    try:
        parse_offsets(value)
    except ValueError:
        raise ValidationError(
            _(
                "Geef hele aantallen dagen (0 tot en met %(max)s), gescheiden door komma's, "
                "bijvoorbeeld 14,3,0."
            ),
            params={"max": MAX_OFFSET_DAYS},
        ) from None


def parse_offsets(value: str) -> list[int]:
    """'14, 3, 0' -> [14, 3, 0] (descending, unique); ValueError outside 0..MAX_OFFSET_DAYS."""
    parts = [part for part in value.replace(" ", "").split(",") if part != ""]
    if any(not (part.isascii() and part.isdigit()) for part in parts):
        raise ValueError(value)
    numbers = {int(part) for part in parts}
    if any(number > MAX_OFFSET_DAYS for number in numbers):
        raise ValueError(value)
    return sorted(numbers, reverse=True)


class ReminderPolicy(models.Model):
    """When reminders go out for a kind of deadline, region-wide or for one municipality."""

    kind = models.CharField(_("soort termijn"), max_length=20, choices=Kind.choices)
    municipality = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        limit_choices_to={"kind": Organisation.Kind.GEMEENTE},
        related_name="+",
        verbose_name=_("gemeente"),
        help_text=_(
            "Leeg: voor alle gemeenten in de regio, tenzij een gemeente een eigen regel heeft."
        ),
    )
    offsets = models.CharField(
        _("herinneren (dagen vooraf)"),
        max_length=100,
        default="14,3,0",
        validators=[validate_offsets],
        help_text=_("Aantal dagen vóór de datum, gescheiden door komma's; 0 is op de dag zelf."),
    )
    escalate_after_days = models.PositiveSmallIntegerField(
        _("escaleren naar teamleider na (dagen verstreken)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_ESCALATE_DAYS)],
        help_text=_("Leeg: niet escaleren."),
    )
    is_active = models.BooleanField(_("herinneringen versturen"), default=True)
    send_time = models.TimeField(
        _("versturen om"),
        default=datetime.time(8, 0),
        help_text=_(
            "Plaatselijke tijd (Nederland, zomer- en wintertijd). De herinneringen van een dag gaan "
            "uit bij de eerste ronde na dit tijdstip, of later als het systeem toen niet draaide."
        ),
    )

    class Meta:
        verbose_name = _("herinneringsregel")
        verbose_name_plural = _("herinneringsregels")
        ordering = ["kind", "municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=Q(municipality__isnull=True), name="one_region_policy"
            ),
            models.UniqueConstraint(
                fields=["kind", "municipality"],
                condition=Q(municipality__isnull=False),
                name="one_policy_per_municipality",
            ),
        ]

    def __str__(self):
        where = self.municipality or _("regio")
        return f"{self.get_kind_display()} ({where})"

    @property
    def offset_days(self) -> list[int]:
        return parse_offsets(self.offsets)


class MunicipalityDeadlineSettings(models.Model):
    """Per municipality: how often a progress review (voortgangsgesprek) is due."""

    municipality = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        limit_choices_to={"kind": Organisation.Kind.GEMEENTE},
        related_name="deadline_settings",
        verbose_name=_("gemeente"),
    )
    progress_review_interval_months = models.PositiveSmallIntegerField(
        _("voortgangsgesprek elke (maanden)"), default=3
    )

    class Meta:
        verbose_name = _("termijninstelling per gemeente")
        verbose_name_plural = _("termijninstellingen per gemeente")

    def __str__(self):
        return str(self.municipality)

    def clean(self):
        if not self.progress_review_interval_months:
            raise ValidationError(
                {"progress_review_interval_months": _("Kies ten minste één maand.")}
            )


class Reminder(models.Model):
    """One reminder stage of one deadline, recorded before it is sent: the unique key makes a
    duplicated sweep record nothing new. The table is the send outbox: `queued_at` is when the
    send task was last published (after the broker took it), `claimed_at` when a worker took the
    send (under a row lock; a claim older than the lease is taken over), `sent_at` when every
    email went out. Each notification's `emailed_at` records its own email, so a retried send
    repeats none."""

    class Stage(models.TextChoices):
        BEFORE = "before", _("Herinnering")
        OVERDUE = "overdue", _("Termijn verstreken")
        ESCALATION = "escalation", _("Escalatie naar teamleider")

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="reminders")
    # "<due date>:<stage>[:<days>]": a moved due date gets reminders of its own.
    stage = models.CharField(_("fase"), max_length=40)
    stage_kind = models.CharField(max_length=12, choices=Stage.choices)
    days_before = models.SmallIntegerField(null=True, blank=True)
    due_date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    # Stamped after the send task was published; empty: the sweep publishes it (the outbox).
    queued_at = models.DateTimeField(null=True, blank=True)
    # Set (and committed) by the send task before any email leaves: a second task finds it and
    # does nothing, until the lease lapses (its worker died) and the next sweep's task takes over.
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("herinnering")
        verbose_name_plural = _("herinneringen")
        constraints = [
            models.UniqueConstraint(fields=["deadline", "stage"], name="one_reminder_per_stage")
        ]
        indexes = [
            models.Index(
                fields=["queued_at"], condition=Q(sent_at__isnull=True), name="reminder_unsent"
            )
        ]

    def __str__(self):
        return f"{self.deadline_id}:{self.stage}"


class Notification(models.Model):
    """An in-app message to one user (the inbox with the unread count in the header). Shown as an
    item: the person (through the one door), what is due and when, and for an overdue deadline how
    many days it is overdue, all read from the deadline when the inbox is shown; `subject` and
    `text` keep what the email said."""

    class Topic(models.TextChoices):
        DEADLINE = "termijn", _("Termijn")
        PIP_SUBMITTED = "pip_aangeboden", _("PIP ter vaststelling")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    reminder = models.ForeignKey(
        Reminder, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    deadline = models.ForeignKey(
        Deadline, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    topic = models.CharField(
        _("soort"), max_length=20, choices=Topic.choices, default=Topic.DEADLINE
    )
    inburgeraar = models.ForeignKey(
        Inburgeraar, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The role the recipient gets it in ("klantmanager", "teamleider"), for the item's text.
    recipient_role = models.CharField(max_length=20, blank=True)
    subject = models.CharField(_("onderwerp"), max_length=200)
    text = models.TextField(_("bericht"))
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(_("gelezen op"), null=True, blank=True)
    # When this notification's email left (a reminder's send that is retried skips it).
    emailed_at = models.DateTimeField(_("gemaild op"), null=True, blank=True)

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["reminder", "user"], name="one_notification_per_reminder_user"
            )
        ]
        indexes = [
            # The inbox: a user's newest first, read in order (a scan of every notification and
            # a sort without it, 26 ms at 175,000 notifications).
            models.Index(fields=["user", "-created_at", "-id"], name="notification_inbox"),
            models.Index(
                fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
        ]

    def __str__(self):
        return self.subject


class CalendarFeed(models.Model):
    """A user's secret iCalendar address. Only a hash of the token is stored; a new token (or
    revoking) makes the old address answer 404."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("agenda-abonnement")
        verbose_name_plural = _("agenda-abonnementen")

    def __str__(self):
        return f"{self.user}"
