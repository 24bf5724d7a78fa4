from api.filters import FilterSet

from ..models import Pip


class PipFilter(FilterSet):
    class Meta:
        model = Pip
        fields = ["inburgeraar"]
