"""Reads of personal data in the Django admin, on the trail like every other read.

`AuditedReadsAdmin` is mixed into every ModelAdmin that shows a person's record (a case, its PIP
and PIP versions, documents, letters, shares, imports, the audit trail itself): a changelist page,
searched or not, writes one entry per row shown in one statement; a change page and a history
page write one entry. A test (tests/test_audit_reads.py) fails on a registered ModelAdmin of
personal data without it.
"""

from django.contrib.admin.utils import unquote

from . import events


class AuditedReadsAdmin:
    def audit_list(self, request, rows, *, part: str) -> None:
        events.listed(request.user, rows, part=part, fields=["*"])

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", None) and response.context_data.get("cl")
        if changelist is not None:
            searched = changelist.query
            part = f"{events.Reason.ADMIN}: {'zoeken' if searched else 'lijst'}"
            self.audit_list(request, list(changelist.result_list), part=part)
        return response

    def _audit_object(self, request, object_id, part):
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        if obj is not None:
            events.case_viewed(request.user, obj, part=part)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            self._audit_object(request, object_id, events.Reason.ADMIN)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._audit_object(request, object_id, f"{events.Reason.ADMIN}: geschiedenis")
        return super().history_view(request, object_id, extra_context)
