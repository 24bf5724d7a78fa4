from rest_framework import viewsets

from audit import events as audit
from cases import selectors

from .filters import InburgeraarFilter
from .serializers import InburgeraarDetailSerializer, InburgeraarListSerializer


class InburgeraarViewSet(viewsets.ReadOnlyModelViewSet):
    """Inburgeraars the caller may see; a case outside their scope answers 404."""

    filterset_class = InburgeraarFilter

    def get_queryset(self):
        return selectors.cases_for(self.request.user)

    def get_serializer_class(self):
        return InburgeraarListSerializer if self.action == "list" else InburgeraarDetailSerializer

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        audit.case_viewed(request.user, self.get_object(), part="api", fields=["*"])
        return response
