"""Reads of personal data through the API, on the trail like every other read (used by
api.viewsets.CaseApiMixin and by the endpoints that page differently)."""

from . import events as audit


class AuditedReadMixin:
    """Every read of personal data through the API is on the trail: a list page as one entry
    per record shown, written in one statement (`audit.listed`), and a detail as one entry."""

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        shown = page if page is not None else list(queryset)
        audit.listed(self.request.user, shown, part=f"api: {self.basename}", fields=["*"])
        return page

    def get_object(self):
        obj = super().get_object()
        if self.action == "retrieve" and not getattr(self, "_detail_audited", False):
            self._detail_audited = True
            audit.case_viewed(self.request.user, obj, part="api", fields=["*"])
        return obj
