"""The audit trail: append-only, and it outlives the records it describes.

There is no foreign key to the described object (only its type and id as text), so deleting a
person never deletes or nulls their trail. Updates and deletes are refused by the model and the
queryset; on PostgreSQL a trigger refuses them in the database as well, the web, worker and beat
processes connect as a role with only INSERT and SELECT on this table (`grant_app_role`), and a
hash chain over the entries makes a change by anyone else detectable (`verify_audit_chain`).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditTrailIsAppendOnly(Exception):
    pass


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditTrailIsAppendOnly("Audit entries cannot be changed.")

    def delete(self):
        raise AuditTrailIsAppendOnly("Audit entries cannot be deleted.")

    def for_object(self, obj):
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", _("Bekeken")
        CREATE = "create", _("Aangemaakt")
        UPDATE = "update", _("Gewijzigd")
        DELETE = "delete", _("Verwijderd")
        EXPORT = "export", _("Geëxporteerd")
        DOWNLOAD = "download", _("Gedownload")

    timestamp = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)
    # DO_NOTHING: deleting an account must not rewrite the trail (on PostgreSQL the append-only
    # trigger would refuse SET_NULL's UPDATE, so the account could not be deleted at all).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        verbose_name=_("gebruiker"),
    )
    # A copy of the username, so the entry still says who it was after the account is gone.
    actor_username = models.CharField(_("gebruikersnaam"), max_length=150, blank=True)
    action = models.CharField(_("actie"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("soort object"), max_length=100)
    object_id = models.CharField(_("object-id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    fields = models.JSONField(_("velden"), default=list, blank=True)
    changes = models.JSONField(_("wijzigingen"), default=dict, blank=True)
    reason = models.CharField(_("reden"), max_length=500, blank=True)
    # The hash chain (PostgreSQL): a trigger sets these on INSERT, under an advisory lock, so
    # concurrent writers form one chain. `hash` is the SHA-256 of the previous entry's hash and this
    # entry's canonical content (audit_entry_digest in migration 0003); `verify_audit_chain`
    # recomputes it, so a changed or deleted row is found.
    chain_seq = models.BigIntegerField(
        _("volgnummer keten"), null=True, unique=True, editable=False
    )
    prev_hash = models.CharField(_("vorige hash"), max_length=64, blank=True, editable=False)
    hash = models.CharField(_("hash"), max_length=64, blank=True, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("audittrail")
        ordering = ["-timestamp", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "timestamp"]),
            # The auditor's list filtered on an action, newest first: a rare action (delete,
            # download) otherwise walks the whole timestamp index (2M entries: 561 -> 3 ms).
            models.Index(fields=["action", "timestamp"], name="audit_action_timestamp"),
        ]

    def __str__(self):
        return f"{self.timestamp:%d-%m-%Y %H:%M} {self.actor_username} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditTrailIsAppendOnly("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTrailIsAppendOnly("Audit entries cannot be deleted.")
