from django.contrib import admin

from .models import ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
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
    show_full_result_count = False
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

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}
