"""API endpoints of the PIP."""

from rest_framework import viewsets

from api.viewsets import CaseApiMixin

from ..models import Pip
from . import filters, serializers


class PipViewSet(CaseApiMixin, viewsets.ReadOnlyModelViewSet):
    """PIP's with their versions."""

    serializer_class = serializers.PipSerializer
    filterset_class = filters.PipFilter

    def get_queryset(self):
        return Pip.objects.visible_to(self.request.user).prefetch_related("versions")
