from django.contrib import admin

from cases.admin import CaseScopedAdmin

from .models import Document


@admin.register(Document)
class DocumentAdmin(CaseScopedAdmin):
    """Read-only: a document is added through the upload (scanned) and read through the audited
    download, never from here."""

    list_display = ("__str__", "inburgeraar", "special_category", "for_werksaam", "uploaded_at")
    exclude = ("file",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
