import django_filters

from api.filters import ApiFilterSet
from cases.models import Inburgeraar


class InburgeraarFilter(ApiFilterSet):
    municipality = django_filters.CharFilter(field_name="municipality__cbs_code")

    class Meta:
        model = Inburgeraar
        fields = ["doelgroep", "status", "municipality"]
