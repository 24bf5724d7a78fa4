import django_filters

from cases.models import Inburgeraar


class InburgeraarFilter(django_filters.FilterSet):
    municipality = django_filters.CharFilter(field_name="municipality__cbs_code")

    class Meta:
        model = Inburgeraar
        fields = ["doelgroep", "status", "municipality"]
