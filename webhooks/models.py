"""The webhook outbox: subscribers (an organisation's own system) and one delivery per event."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from municipalities.models import Organisation


class WebhookSubscriber(models.Model):
    """An endpoint of an organisation's own system (e.g. WerkSaam's) that receives events."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="webhook_subscribers"
    )
    name = models.CharField(_("naam"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("geheim (HMAC-SHA256)"), max_length=200)
    event_types = models.JSONField(
        _("soorten gebeurtenissen"), default=list, blank=True, help_text=_("Leeg: alle.")
    )
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("webhook-abonnee")
        verbose_name_plural = _("webhook-abonnees")
        ordering = ["organisation", "name"]

    def __str__(self):
        return f"{self.name} ({self.organisation})"

    def wants(self, event_type: str) -> bool:
        return not self.event_types or event_type in self.event_types


class WebhookDelivery(models.Model):
    """One event for one subscriber: written in the transaction that caused it, sent by Celery.

    `event_key` makes an event once per subscriber (a repeated beat tick adds nothing); the
    `delivery_id` is sent as a header, so a receiver can drop a repeat after a crash.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Wacht op verzending")
        SENDING = "sending", _("Wordt verzonden")
        DELIVERED = "delivered", _("Afgeleverd")
        FAILED = "failed", _("Opgegeven")

    delivery_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subscriber = models.ForeignKey(
        WebhookSubscriber, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_type = models.CharField(_("soort"), max_length=50)
    event_key = models.CharField(max_length=200)
    payload = models.JSONField()
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(_("pogingen"), default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("webhook-aflevering")
        verbose_name_plural = _("webhook-afleveringen")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "event_key"], name="one_delivery_per_event"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.event_type} → {self.subscriber} ({self.get_status_display()})"
