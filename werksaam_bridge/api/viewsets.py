"""API endpoints of the bridge. Every queryset starts at `visible_to(request.user)`: for a machine
client that is its service account in its organisation. A case outside the caller's scope is 404."""

from rest_framework import mixins, viewsets

from audit.models import AuditEntry
from audit.services import record
from intake.models import Intake
from pip_plans.models import Pip

from .. import services
from ..models import Activity, Benefit, MapProgress, Share, Unburdening
from . import filters, serializers
from .pagination import IdCursorPagination
from .permissions import WerksaamWrites


class BridgeViewSetMixin:
    pagination_class = IdCursorPagination

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # A share past its end date ends now, not at the next sweep.
        services.expire_all_due()


class AuditedRetrieveMixin:
    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        record(request.user, AuditEntry.Action.VIEW, instance, fields=["*"], reason="API")
        return super().retrieve(request, *args, **kwargs)


class IntakeViewSet(BridgeViewSetMixin, AuditedRetrieveMixin, viewsets.ReadOnlyModelViewSet):
    """Brede intakes (structured outcome only; never health data)."""

    serializer_class = serializers.IntakeSerializer
    filterset_class = filters.IntakeFilter

    def get_queryset(self):
        return Intake.objects.visible_to(self.request.user)


class PipViewSet(BridgeViewSetMixin, AuditedRetrieveMixin, viewsets.ReadOnlyModelViewSet):
    """PIP's with their versions."""

    serializer_class = serializers.PipSerializer
    filterset_class = filters.PipFilter

    def get_queryset(self):
        return Pip.objects.visible_to(self.request.user).prefetch_related("versions")


class ShareViewSet(BridgeViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Shares with WerkSaam (the legal basis of WerkSaam's access)."""

    serializer_class = serializers.ShareSerializer
    filterset_class = filters.ShareFilter

    def get_queryset(self):
        return Share.objects.visible_to(self.request.user)


class RecordViewSet(
    BridgeViewSetMixin,
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
