import django_filters

from api.filters import FilterSet

from ..models import Attendance, Enrolment, ExamResult, ProgressReview


class EnrolmentFilter(FilterSet):
    class Meta:
        model = Enrolment
        fields = ["inburgeraar", "contract_id"]


class AttendanceFilter(FilterSet):
    period_from = django_filters.DateFilter(field_name="period_end", lookup_expr="gte")

    class Meta:
        model = Attendance
        fields = ["enrolment", "period_from"]


class ExamResultFilter(FilterSet):
    class Meta:
        model = ExamResult
        fields = ["inburgeraar", "onderdeel", "result"]


class ProgressReviewFilter(FilterSet):
    class Meta:
        model = ProgressReview
        fields = ["inburgeraar"]
