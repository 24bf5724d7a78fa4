import django_filters

from ..models import Attendance, Enrolment, ExamResult, ProgressReview


class EnrolmentFilter(django_filters.FilterSet):
    class Meta:
        model = Enrolment
        fields = ["inburgeraar", "contract_id"]


class AttendanceFilter(django_filters.FilterSet):
    period_from = django_filters.DateFilter(field_name="period_end", lookup_expr="gte")

    class Meta:
        model = Attendance
        fields = ["enrolment", "period_from"]


class ExamResultFilter(django_filters.FilterSet):
    class Meta:
        model = ExamResult
        fields = ["inburgeraar", "onderdeel", "result"]


class ProgressReviewFilter(django_filters.FilterSet):
    class Meta:
        model = ProgressReview
        fields = ["inburgeraar"]
