from django.contrib import admin

from audit import events as audit
from cases.admin import CaseScopedAdmin

from .models import Anonymisation, LegalHold


@admin.register(LegalHold)
class LegalHoldAdmin(CaseScopedAdmin):
    """Placing or lifting a legal hold is audited; a hold is placed or lifted, never edited."""

    list_display = ("inburgeraar_id", "reason", "placed_by", "placed_at")
    raw_id_fields = ("inburgeraar",)

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        obj.placed_by = request.user
        super().save_model(request, obj, form, change)
        audit.legal_hold_changed(request.user, obj, placed=True)

    def delete_model(self, request, obj):
        audit.legal_hold_changed(request.user, obj, placed=False)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Anonymisation)
class AnonymisationAdmin(CaseScopedAdmin):
    list_display = ("inburgeraar_id", "retention_until", "done_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
