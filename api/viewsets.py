"""What every API endpoint of a case has in common: cursor paging, access refreshed before a
read, and every read audited (each list page and each detail). Every queryset starts at
`visible_to(request.user)`: for a machine client that is its service account in its organisation.
A case outside the caller's scope is 404."""

from audit import events as audit
from cases.signals import before_case_read

from .pagination import IdCursorPagination


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


class CaseApiMixin(AuditedReadMixin):
    pagination_class = IdCursorPagination

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # A grant past its end date (a WerkSaam share) ends now, not at the next sweep.
        before_case_read.send(sender=type(self))
