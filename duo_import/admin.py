from django.contrib import admin

from audit.admin_reads import AuditedReadsAdmin
from common.admin import ReadOnlyAdminMixin

from .models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(AuditedReadsAdmin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only overview of uploads. The rows (with BSNs) are not shown here."""

    list_display = (
        "id",
        "created_at",
        "uploaded_by",
        "status",
        "row_count",
        "created_count",
        "existing_count",
        "error_count",
    )
    list_filter = ("status",)
    date_hierarchy = "created_at"
    fields = (
        "uploaded_by",
        "municipalities",
        "filename",
        "sha256",
        "encoding",
        "delimiter",
        "ignored_columns",
        "created_at",
        "committed_at",
        "status",
        "row_count",
        "new_count",
        "existing_count",
        "error_count",
        "created_count",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")
