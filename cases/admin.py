"""The beheerder's view of cases. It reads through the one door and writes through the case's
write path (cases.services): a legal date changed here moves the deadlines like anywhere else.
Status and municipality are read-only: a transition or a transfer changes them."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from audit import events as audit
from audit.admin_reads import AuditedReadsAdmin
from common.admin import CappedCountPaginator

from . import services
from .models import (
    HouseholdLink,
    Inburgeraar,
    InburgeraarGroupObjectPermission,
    InburgeraarUserObjectPermission,
)


class CaseScopedAdmin(AuditedReadsAdmin, admin.ModelAdmin):
    """The admin reads and writes cases through the same door as every other path; every read
    is on the trail (AuditedReadsAdmin). The paginator counts at most CappedCountPaginator.cap
    rows: a COUNT of every case a beheerder may see was a scan of the whole table through the
    access filter on every page (50 ms at 100,000 cases)."""

    show_full_result_count = False
    paginator = CappedCountPaginator

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if allowed and obj is not None:
            return type(obj).objects.editable_by(request.user).filter(pk=obj.pk).exists()
        return allowed


class HouseholdLinkInline(admin.TabularInline):
    model = HouseholdLink
    fk_name = "inburgeraar"
    extra = 0
    raw_id_fields = ("relative",)


@admin.register(Inburgeraar)
class InburgeraarAdmin(CaseScopedAdmin):
    list_display = ("full_name", "masked_bsn", "doelgroep", "municipality", "status")
    list_filter = ("municipality", "doelgroep", "status")
    search_fields = ("=bsn", "=v_nummer", "search_name")
    raw_id_fields = ("caseworker",)
    readonly_fields = ("status", "municipality")
    inlines = [HouseholdLinkInline]

    def has_add_permission(self, request):
        # Cases are registered in the caseworker's screens or by the DUO import, with their checks.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        """Through the write path: permission, lock, audit, timeline, deadlines recomputed."""
        changed = set(form.changed_data)
        values = {f: form.cleaned_data[f] for f in changed if f in services.UPDATABLE_FIELDS}
        try:
            if values:
                services.update_case(request.user, obj.pk, values=values, reason=audit.Reason.ADMIN)
            if "caseworker" in changed:
                services.assign_caseworker(
                    request.user,
                    obj.pk,
                    form.cleaned_data["caseworker"],
                    reason=audit.Reason.ADMIN,
                )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        obj.refresh_from_db()


def grant_values(grant) -> dict:
    """What the audit trail records of a per-case grant: the case, to whom, which permission."""
    holder = getattr(grant, "user", None) or getattr(grant, "group", None)
    return {
        "case": grant.content_object_id,
        "holder": getattr(holder, "username", None) or getattr(holder, "name", None),
        "permission": grant.permission.codename if grant.permission_id else None,
    }


class GrantAdmin(AuditedReadsAdmin, admin.ModelAdmin):
    """Per-case grants; every one added, changed or removed here is an audit event."""

    list_display = ("content_object", "permission")
    raw_id_fields = ("content_object",)

    def get_queryset(self, request):
        visible = Inburgeraar.objects.visible_to(request.user).values("pk")
        return super().get_queryset(request).filter(content_object__in=visible)

    def save_model(self, request, obj, form, change):
        old = grant_values(type(obj).objects.get(pk=obj.pk)) if obj.pk else None
        super().save_model(request, obj, form, change)
        audit.grant_changed(request.user, obj, old=old, new=grant_values(obj))

    def delete_model(self, request, obj):
        audit.grant_changed(request.user, obj, old=grant_values(obj), new=None)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for grant in queryset:
            audit.grant_changed(request.user, grant, old=grant_values(grant), new=None)
        super().delete_queryset(request, queryset)


@admin.register(InburgeraarUserObjectPermission)
class InburgeraarUserGrantAdmin(GrantAdmin):
    list_display = ("content_object", "user", "permission")


@admin.register(InburgeraarGroupObjectPermission)
class InburgeraarGroupGrantAdmin(GrantAdmin):
    list_display = ("content_object", "group", "permission")
