"""Admin building blocks shared by the apps."""

from django.contrib import admin
from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedCountPaginator(Paginator):
    """A changelist paginator that never counts a big table to the end: it counts at most `cap`
    rows (`SELECT COUNT(*) FROM (SELECT ... LIMIT cap)`), so a page of a table of millions of
    rows costs the rows shown plus a bounded count, not a scan of the table. Past the cap the
    pages stop: narrow the list with a filter or the search to reach older rows."""

    cap = 10_000

    @cached_property
    def count(self):
        return self.object_list.order_by()[: self.cap].count()


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
