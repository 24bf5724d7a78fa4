"""Every page of a case's dossier is on the audit trail, one entry per page view.

Views that show a record write their own typed event (`audit.events.case_viewed` with the part
and fields). This middleware is the net under them: a GET that answered 200 on a URL of one case
(`inburgeraars/<pk>/...`, `werksaam/inburgeraars/<pk>/...`) and wrote no entry gets
`audit.events.page_read` for that case. A 200 means the view found the case through the one door,
so the reader had access; the case is looked up only when an entry is missing.
"""

from audit import events as audit
from audit.services import counting

CASE_ROUTES = ("inburgeraars/<int:pk>/", "werksaam/inburgeraars/<int:pk>/")


class CaseReadAuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with counting() as written:
            response = self.get_response(request)
        if request.method in ("GET", "HEAD") and response.status_code == 200 and not written[0]:
            self._audit_page(request)
        return response

    def _audit_page(self, request):
        from .models import Inburgeraar

        match = request.resolver_match
        user = getattr(request, "user", None)
        if match is None or user is None or not user.is_authenticated:
            return
        if not (match.route or "").startswith(CASE_ROUTES) or "pk" not in match.kwargs:
            return
        case = Inburgeraar.objects.filter(pk=match.kwargs["pk"]).first()
        if case is not None:
            audit.page_read(user, case, view_name=match.view_name)
