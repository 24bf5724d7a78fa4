"""Read access to the deadlines, through their one door."""

import django_filters
from rest_framework import serializers, viewsets

from api.filters import ApiFilterSet
from api.pagination import IdCursorPagination
from audit.api_reads import AuditedReadMixin

from ..models import Deadline


class DeadlineSerializer(serializers.ModelSerializer):
    class Meta:
        model = Deadline
        fields = ["id", "inburgeraar", "municipality", "kind", "due_date", "state", "done_on"]
        read_only_fields = fields


class DeadlineFilter(ApiFilterSet):
    due_before = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")
    due_after = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")

    class Meta:
        model = Deadline
        fields = ["inburgeraar", "kind", "state", "due_before", "due_after"]


class DeadlineViewSet(AuditedReadMixin, viewsets.ReadOnlyModelViewSet):
    """Legal deadlines of the cases the caller may see."""

    serializer_class = DeadlineSerializer
    filterset_class = DeadlineFilter
    pagination_class = IdCursorPagination

    def get_queryset(self):
        return Deadline.objects.visible_to(self.request.user)
