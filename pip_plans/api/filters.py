from api.filters import ApiFilterSet

from ..models import Pip


class PipFilter(ApiFilterSet):
    class Meta:
        model = Pip
        fields = ["inburgeraar"]
