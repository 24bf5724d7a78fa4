import django_filters

from ..models import Pip


class PipFilter(django_filters.FilterSet):
    class Meta:
        model = Pip
        fields = ["inburgeraar"]
