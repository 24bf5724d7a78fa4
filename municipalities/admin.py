from django.contrib import admin

from audit import events as audit

from .models import Membership, Organisation
from .services import membership_values, sync_staff_access


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


class MembershipAuditMixin:
    """Every membership added, changed or removed in an inline writes an audit event."""

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        before = {
            m.pk: membership_values(m)
            for m in Membership.objects.filter(
                pk__in=[f.instance.pk for f in formset.forms if f.instance.pk]
            )
        }
        deleted = [
            (f.instance, before.get(f.instance.pk)) for f in formset.deleted_forms if f.instance.pk
        ]
        for membership, old in deleted:
            audit.membership_changed(request.user, membership, old=old, new=None)
        super().save_formset(request, form, formset, change)
        for membership in formset.new_objects:
            audit.membership_changed(
                request.user, membership, old=None, new=membership_values(membership)
            )
        for membership, _fields in formset.changed_objects:
            audit.membership_changed(
                request.user,
                membership,
                old=before.get(membership.pk),
                new=membership_values(membership),
            )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role", "is_active")
    list_filter = ("organisation", "role", "is_active")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    autocomplete_fields = ("user", "organisation")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not request.user.is_superuser:
            queryset = queryset.filter(user__is_superuser=False)
        return queryset

    def save_model(self, request, obj, form, change):
        old = membership_values(Membership.objects.get(pk=obj.pk)) if obj.pk else None
        super().save_model(request, obj, form, change)
        audit.membership_changed(request.user, obj, old=old, new=membership_values(obj))
        sync_staff_access(obj.user)

    def delete_model(self, request, obj):
        user = obj.user
        audit.membership_changed(request.user, obj, old=membership_values(obj), new=None)
        super().delete_model(request, obj)
        sync_staff_access(user)

    def delete_queryset(self, request, queryset):
        users = {m.user for m in queryset}
        for membership in queryset:
            audit.membership_changed(
                request.user, membership, old=membership_values(membership), new=None
            )
        super().delete_queryset(request, queryset)
        for user in users:
            sync_staff_access(user)
