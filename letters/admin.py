"""The beheerder keeps each municipality's letterhead here. Letters and bezwaarschriften are
read-only in the admin: they change only through letters.services."""

from django.contrib import admin

from cases.admin import CaseScopedAdmin
from municipalities.models import Membership, Role

from .models import Bezwaar, Letter, Letterhead


@admin.register(Letterhead)
class LetterheadAdmin(admin.ModelAdmin):
    list_display = ("organisation", "phone", "email", "iban", "signatory_name")

    def get_queryset(self, request):
        """A beheerder keeps the letterheads of the municipalities they administer."""
        queryset = super().get_queryset(request).select_related("organisation")
        if request.user.is_superuser:
            return queryset
        own = Membership.objects.active().filter(user=request.user, role=Role.BEHEERDER)
        return queryset.filter(organisation_id__in=own.values("organisation_id"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "organisation" and not request.user.is_superuser:
            own = Membership.objects.active().filter(user=request.user, role=Role.BEHEERDER)
            field.queryset = field.queryset.filter(pk__in=own.values("organisation_id"))
        return field


class ReadOnlyCaseAdmin(CaseScopedAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Letter)
class LetterAdmin(ReadOnlyCaseAdmin):
    list_display = ("kenmerk", "kind", "status", "dagtekening")
    list_filter = ("kind", "status")
    exclude = ("facts", "recipient")


@admin.register(Bezwaar)
class BezwaarAdmin(ReadOnlyCaseAdmin):
    list_display = ("__str__", "received_on", "on_time", "decision")
