import django_filters

from ..models import Intake


class IntakeFilter(django_filters.FilterSet):
    class Meta:
        model = Intake
        fields = ["inburgeraar", "state"]
