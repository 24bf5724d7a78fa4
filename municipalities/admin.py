from django.contrib import admin

from .models import Membership, Organisation
from .services import sync_staff_access


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "cbs_code")
    search_fields = ("name", "cbs_code")
    readonly_fields = ("group",)

    def has_add_permission(self, request):
        # The seven municipalities and WerkSaam are created by a data migration.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "is_active")
    list_filter = ("organisation", "role", "is_active")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    autocomplete_fields = ("user", "organisation")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        sync_staff_access(obj.user)

    def delete_model(self, request, obj):
        user = obj.user
        super().delete_model(request, obj)
        sync_staff_access(user)
