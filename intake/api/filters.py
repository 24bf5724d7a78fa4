from api.filters import ApiFilterSet

from ..models import Intake


class IntakeFilter(ApiFilterSet):
    class Meta:
        model = Intake
        fields = ["inburgeraar", "state"]
