"""API endpoints of the brede intake."""

from rest_framework import viewsets

from api.viewsets import CaseApiMixin

from ..models import Intake
from . import filters, serializers


class IntakeViewSet(CaseApiMixin, viewsets.ReadOnlyModelViewSet):
    """Brede intakes (structured outcome only; never health data)."""

    serializer_class = serializers.IntakeSerializer
    filterset_class = filters.IntakeFilter

    def get_queryset(self):
        return Intake.objects.visible_to(self.request.user)
