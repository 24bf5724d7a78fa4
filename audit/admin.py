from django.contrib import admin

from common.admin import ReadOnlyAdminMixin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: nobody adds, changes or deletes an audit entry through the admin."""

    list_display = ("timestamp", "actor_username", "action", "object_type", "object_id", "reason")
    list_filter = ("action", "object_type")
    search_fields = ("actor_username", "object_id", "reason")
    date_hierarchy = "timestamp"
