import django_filters

from cases.models import Inburgeraar


class InburgeraarFilter(django_filters.FilterSet):
    """No filter on a related record here (so no existence oracle; see api.filters)."""

    municipality = django_filters.CharFilter(field_name="municipality__cbs_code")

    class Meta:
        model = Inburgeraar
        fields = ["doelgroep", "status", "municipality"]
