import django_filters

from api.filters import ApiFilterSet

from ..models import Attendance, Enrolment, ExamResult, ProgressReview


class EnrolmentFilter(ApiFilterSet):
    class Meta:
        model = Enrolment
        fields = ["inburgeraar", "contract_id"]


class AttendanceFilter(ApiFilterSet):
    period_from = django_filters.DateFilter(field_name="period_end", lookup_expr="gte")

    class Meta:
        model = Attendance
        fields = ["enrolment", "period_from"]


class ExamResultFilter(ApiFilterSet):
    class Meta:
        model = ExamResult
        fields = ["inburgeraar", "onderdeel", "result"]


class ProgressReviewFilter(ApiFilterSet):
    class Meta:
        model = ProgressReview
        fields = ["inburgeraar"]
