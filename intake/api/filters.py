from api.filters import FilterSet

from ..models import Intake


class IntakeFilter(FilterSet):
    class Meta:
        model = Intake
        fields = ["inburgeraar", "state"]
