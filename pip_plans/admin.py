from django.contrib import admin

from .models import LanguageSchool, Pip, PipDocument, PipVersion


@admin.register(LanguageSchool)
class LanguageSchoolAdmin(admin.ModelAdmin):
    """Reference data: the course providers a PIP can name."""

    list_display = ("name", "city", "certified", "is_active")
    list_filter = ("certified", "is_active")
    search_fields = ("name", "city")


class ReadOnlyCaseAdmin(admin.ModelAdmin):
    """PIPs are decisions: the admin shows them through the one door and never changes them.
    Drafts change in the caseworker's screens, where the rules and four eyes apply."""

    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Pip)
class PipAdmin(ReadOnlyCaseAdmin):
    list_display = ("__str__", "dagtekening_initiele_pip", "termijn_start", "termijn_end")


@admin.register(PipVersion)
class PipVersionAdmin(ReadOnlyCaseAdmin):
    list_display = ("__str__", "pip", "status", "route", "dagtekening", "adopted_by")
    list_filter = ("status", "route")


@admin.register(PipDocument)
class PipDocumentAdmin(ReadOnlyCaseAdmin):
    list_display = ("__str__", "kind", "sha256", "size", "created_at")
    exclude = ("file",)
