"""API endpoints of WerkSaam's shares and records. Every queryset starts at `visible_to(request.user)`: for a machine
client that is its service account in its organisation. A case outside the caller's scope is 404."""

from rest_framework import mixins, viewsets

from api.viewsets import CaseApiMixin

from ..models import Activity, Benefit, MapProgress, Share, Unburdening
from . import filters, serializers
from .permissions import WerksaamWrites


class ShareViewSet(CaseApiMixin, viewsets.ReadOnlyModelViewSet):
    """Shares with WerkSaam (the legal basis of WerkSaam's access)."""

    serializer_class = serializers.ShareSerializer
    filterset_class = filters.ShareFilter

    def get_queryset(self):
        return Share.objects.visible_to(self.request.user)


class RecordViewSet(
    CaseApiMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """WerkSaam's records: read by whoever sees the case, written by WerkSaam on a shared case."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    model = None

    def get_permissions(self):
        return [*super().get_permissions(), WerksaamWrites()]

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)


class BenefitViewSet(RecordViewSet):
    """Bijstand (Participatiewet) paid by WerkSaam."""

    model = Benefit
    serializer_class = serializers.BenefitSerializer
    filterset_class = filters.BenefitFilter


class UnburdeningViewSet(RecordViewSet):
    """Ontzorgen (Participatiewet art. 56a)."""

    model = Unburdening
    serializer_class = serializers.UnburdeningSerializer
    filterset_class = filters.UnburdeningFilter


class MapProgressViewSet(RecordViewSet):
    """Progress and result of the MAP."""

    model = MapProgress
    serializer_class = serializers.MapProgressSerializer
    filterset_class = filters.MapProgressFilter


class ActivityViewSet(RecordViewSet):
    """Work placements and training."""

    model = Activity
    serializer_class = serializers.ActivitySerializer
    filterset_class = filters.ActivityFilter
