from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from audit import events as audit
from audit.api_reads import AuditedReadMixin
from cases import selectors
from municipalities.models import Role
from municipalities.selectors import has_role

from .filters import InburgeraarFilter
from .serializers import (
    InburgeraarAssignSerializer,
    InburgeraarDetailSerializer,
    InburgeraarListSerializer,
)


class TeamLeadAssigns(BasePermission):
    """Only a team lead of the case's municipality changes its klantmanager."""

    message = "Alleen een teamleider van de gemeente wijst dossiers toe."

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        return has_role(request.user, Role.TEAMLEIDER, obj.municipality)


class InburgeraarViewSet(AuditedReadMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Inburgeraars the caller may see; a case outside their scope answers 404. A team lead of
    the case's municipality assigns its klantmanager with PATCH."""

    filterset_class = InburgeraarFilter
    http_method_names = ["get", "patch", "head", "options"]

    def get_permissions(self):
        return [*super().get_permissions(), TeamLeadAssigns()]

    def get_queryset(self):
        return selectors.cases_for(self.request.user)

    def count_of(self, cases) -> int:
        """The list's `count`: the same number as cases.count(), mostly from an index."""
        from cases.access import count_visible

        return count_visible(cases, self.request.user)

    def get_serializer_class(self):
        if self.action == "list":
            return InburgeraarListSerializer
        if self.action == "partial_update":
            return InburgeraarAssignSerializer
        return InburgeraarDetailSerializer

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        case = self.get_object()
        basis = selectors.full_bsn_reason(request.user, case)
        if basis:
            # A reader outside the dossier (WerkSaam) got the full BSN on its legal basis.
            audit.bsn_revealed(request.user, case, why=f"api, {basis}")
        return response

    @extend_schema(request=InburgeraarAssignSerializer, responses=InburgeraarDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        case = self.get_object()
        serializer = InburgeraarAssignSerializer(
            case, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        if "caseworker" not in serializer.validated_data:
            raise ValidationError({"caseworker": [_("Dit veld is verplicht.")]})
        case = serializer.save()
        case.refresh_from_db()
        return Response(
            InburgeraarDetailSerializer(case, context=self.get_serializer_context()).data
        )
