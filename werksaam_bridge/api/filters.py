from django.db.models import Q
from django.utils import timezone

from api.filters import ApiFilterSet, StrictBooleanFilter

from ..models import Activity, Benefit, MapProgress, Share, Unburdening


class ShareFilter(ApiFilterSet):
    active = StrictBooleanFilter(method="filter_active", label="actief")

    class Meta:
        model = Share
        fields = ["inburgeraar", "basis", "active"]

    def filter_active(self, queryset, name, value):
        today = timezone.localdate()
        active = Q(ended_at__isnull=True, start_date__lte=today) & (
            Q(end_date__isnull=True) | Q(end_date__gte=today)
        )
        return queryset.filter(active) if value else queryset.exclude(active)


def record_filter(record_model):
    meta = type("Meta", (), {"model": record_model, "fields": ["inburgeraar"]})
    return type(f"{record_model.__name__}Filter", (ApiFilterSet,), {"Meta": meta})


BenefitFilter = record_filter(Benefit)
UnburdeningFilter = record_filter(Unburdening)
MapProgressFilter = record_filter(MapProgress)
ActivityFilter = record_filter(Activity)
