"""Read access for the municipality to its letters and bezwaarschriften, through the one door
(letters.selectors): outside the caller's scope everything is 404. A sent letter's PDF is served
as stored, checked against its SHA-256, and audited."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound

from api.viewsets import CaseApiMixin
from audit import events as audit

from .. import selectors
from ..engine import IntegrityError, verified_bytes
from . import serializers


class LetterViewSet(CaseApiMixin, viewsets.ReadOnlyModelViewSet):
    """Letters on the cases the caller works: concepts, checked and sent."""

    serializer_class = serializers.LetterSerializer
    filterset_fields = ["inburgeraar", "kind", "status"]

    def get_queryset(self):
        return selectors.letters_for_municipality(self.request.user)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        letter = self.get_object()
        if not letter.is_sent:
            raise NotFound("Deze brief is nog niet verzonden: er is geen vastgelegde PDF.")
        try:
            stored = verified_bytes(letter.file, sha256=letter.sha256, size=letter.size)
        except IntegrityError:
            return HttpResponse(
                "Dit document is niet beschikbaar: het opgeslagen bestand klopt niet meer.",
                status=500,
                content_type="text/plain; charset=utf-8",
            )
        audit.document_downloaded(request.user, letter, part="api")
        response = HttpResponse(stored.getvalue(), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="brief-{letter.kenmerk}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response


class BezwaarViewSet(CaseApiMixin, viewsets.ReadOnlyModelViewSet):
    """Bezwaarschriften on the cases the caller works, with their beslistermijn."""

    serializer_class = serializers.BezwaarSerializer
    filterset_fields = ["inburgeraar", "decision", "on_time"]

    def get_queryset(self):
        return selectors.bezwaren_for_municipality(self.request.user)
