"""What every API endpoint of a case has in common: cursor paging, access refreshed before a
read, and every read audited (each list page and each detail). Every queryset starts at
`visible_to(request.user)`: for a machine client that is its service account in its organisation.
A case outside the caller's scope is 404."""

from audit.api_reads import AuditedReadMixin
from cases.signals import before_case_read

from .pagination import IdCursorPagination


class CaseApiMixin(AuditedReadMixin):
    pagination_class = IdCursorPagination

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # A grant past its end date (a WerkSaam share) ends now, not at the next sweep.
        before_case_read.send(sender=type(self))
