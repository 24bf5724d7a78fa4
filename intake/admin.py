from django.contrib import admin

from audit.models import AuditEntry
from audit.services import diff, record

from .models import (
    HouseholdLink,
    Inburgeraar,
    InburgeraarGroupObjectPermission,
    InburgeraarUserObjectPermission,
    IntakeTopic,
)


class CaseScopedAdmin(admin.ModelAdmin):
    """The admin reads and writes cases through the same door as every other path."""

    show_full_result_count = False

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
    inlines = [HouseholdLinkInline]

    def has_add_permission(self, request):
        # Cases are registered in the caseworker's screens or by the DUO import, with their checks.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and request.method == "GET":
            record(request.user, AuditEntry.Action.VIEW, obj, reason="beheer")
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        old = Inburgeraar.objects.filter(pk=obj.pk).values(*form.changed_data).first() or {}
        super().save_model(request, obj, form, change)
        new = {field: form.cleaned_data.get(field) for field in form.changed_data}
        new = {k: (v.pk if hasattr(v, "pk") else v) for k, v in new.items()}
        record(
            request.user,
            AuditEntry.Action.UPDATE,
            obj,
            changes=diff(obj, old, new),
            reason="beheer",
        )


class GrantAdmin(admin.ModelAdmin):
    list_display = ("content_object", "permission")
    raw_id_fields = ("content_object",)

    def get_queryset(self, request):
        from .models import Inburgeraar

        visible = Inburgeraar.objects.visible_to(request.user).values("pk")
        return super().get_queryset(request).filter(content_object__in=visible)


@admin.register(InburgeraarUserObjectPermission)
class InburgeraarUserGrantAdmin(GrantAdmin):
    list_display = ("content_object", "user", "permission")


@admin.register(InburgeraarGroupObjectPermission)
class InburgeraarGroupGrantAdmin(GrantAdmin):
    list_display = ("content_object", "group", "permission")


@admin.register(IntakeTopic)
class IntakeTopicAdmin(admin.ModelAdmin):
    """Reference data: the further intake topics per municipality (the legal minimum is fixed)."""

    list_display = ("name", "municipality", "order", "is_active")
    list_filter = ("municipality", "is_active")
    search_fields = ("name",)
