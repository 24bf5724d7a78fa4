from django.contrib import admin

from common.admin import ReadOnlyAdminMixin

from . import events
from .admin_reads import AuditedReadsAdmin
from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(AuditedReadsAdmin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: nobody adds, changes or deletes an audit entry through the admin. Reading the
    trail is itself on the trail: one entry per page, naming the entries shown."""

    def audit_list(self, request, rows, *, part):
        events.trail_read(request.user, rows, part=part)

    def _audit_object(self, request, object_id, part):
        obj = self.get_object(request, object_id) if object_id else None
        if obj is not None:
            events.trail_read(request.user, [obj], part=part)

    list_display = ("timestamp", "actor_username", "action", "object_type", "object_id", "reason")
    list_filter = ("action", "object_type")
    search_fields = ("actor_username", "object_id", "reason")
    date_hierarchy = "timestamp"
