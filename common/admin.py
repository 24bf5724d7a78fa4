"""Admin building blocks shared by the apps."""

from django.contrib import admin


class ReadOnlyAdminMixin:
    """Records the admin shows but never adds, changes or deletes: the audit trail, imports,
    decisions, derived deadlines. Their changes go through the services, with their rules."""

    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}


class CaseScopedReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only records of a case, listed through the one door (`visible_to`)."""

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)
