from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.admin import CappedCountPaginator, ReadOnlyAdminMixin

from . import events
from .admin_reads import AuditedReadsAdmin
from .models import AuditEntry

# The reasons a read carries its part in ("dossier: intake", "zoeken: WerkSaam-dashboard").
_PART_PREFIXES = ("dossier: ", "gezondheidsgegevens: ", "zoeken: ", "export: ", "download: ")


class ObjectTypeFilter(admin.SimpleListFilter):
    """The kind of record, offered from the installed models (an entry's `object_type` is a
    model's label): Django's own filter for a plain field runs SELECT DISTINCT over the whole
    trail on every page (a sequential scan of millions of rows)."""

    title = _("soort object")
    parameter_name = "object_type"

    def lookups(self, request, model_admin):
        models = sorted(apps.get_models(), key=lambda model: str(model._meta.verbose_name))
        return [(model._meta.label_lower, model._meta.verbose_name) for model in models]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(object_type=self.value())
        return queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(AuditedReadsAdmin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: nobody adds, changes or deletes an audit entry through the admin. Reading the
    trail is itself on the trail: one entry per page, naming the entries shown.

    Each row names the person who acted (name and username; the username stays when the
    account is gone) and the part of the record read, at a local time in one format."""

    def audit_list(self, request, rows, *, part):
        events.trail_read(request.user, rows, part=part)

    def _audit_object(self, request, object_id, part):
        obj = self.get_object(request, object_id) if object_id else None
        if obj is not None:
            events.trail_read(request.user, [obj], part=part)

    list_display = ("local_time", "person", "action", "object_repr", "part", "reason")
    # No date_hierarchy: it asks the database for the distinct years (then months, days) of
    # every entry, a sequential scan of the whole trail per page. The date filter's choices
    # (today, the past 7 days, this month, this year) are fixed ranges on the timestamp index;
    # the filters offer their choices without a query, and the paginator counts at most
    # CappedCountPaginator.cap rows.
    list_filter = (("timestamp", admin.DateFieldListFilter), "action", ObjectTypeFilter)
    paginator = CappedCountPaginator
    search_fields = (
        "actor_username",
        "actor__first_name",
        "actor__last_name",
        "object_id",
        "reason",
    )
    list_select_related = ("actor",)

    @admin.display(description=_("tijdstip"), ordering="timestamp")
    def local_time(self, entry):
        return timezone.localtime(entry.timestamp).strftime("%d-%m-%Y %H:%M:%S")

    @admin.display(description=_("door"), ordering="actor_username")
    def person(self, entry):
        try:
            actor = entry.actor
        except ObjectDoesNotExist:  # the account is gone; the trail keeps its username
            actor = None
        name = actor.get_full_name() if actor else ""
        username = entry.actor_username or (actor.username if actor else "")
        if name and username:
            return f"{name} ({username})"
        return name or username or _("systeem")

    @admin.display(description=_("deel"))
    def part(self, entry):
        for prefix in _PART_PREFIXES:
            if entry.reason.startswith(prefix):
                return entry.reason[len(prefix) :]
        return "—"
