"""API endpoints of the uitvoering, through the one door: a municipality (and WerkSaam on a
shared case) reads through `visible_to`; a language school's client reads its own enrolments and
their attendance, and reports attendance (scope taalschool:write). Exam results and progress
reviews are the municipality's: a school gets 404 on them as on every case it does not teach."""

from rest_framework import mixins, viewsets

from api.models import ApiScope
from api.viewsets import CaseApiMixin

from ..models import Attendance, Enrolment, ExamResult, ProgressReview
from . import filters, serializers


class EnrolmentViewSet(
    CaseApiMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Inburgeringsaanbod: the course with a language school. The school's client changes its
    own enrolments (PATCH: intake, actual start, planned end, hours per week; scope
    taalschool:write); any other enrolment is 404."""

    serializer_class = serializers.EnrolmentSerializer
    filterset_class = filters.EnrolmentFilter
    write_scope = ApiScope.TAALSCHOOL_WRITE
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return Enrolment.objects.visible_to(self.request.user).select_related(
            "inburgeraar", "school"
        )


class AttendanceViewSet(
    CaseApiMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Attendance and progress per period, reported by the language school."""

    serializer_class = serializers.AttendanceSerializer
    filterset_class = filters.AttendanceFilter
    write_scope = ApiScope.TAALSCHOOL_WRITE

    def get_queryset(self):
        return Attendance.objects.visible_to(self.request.user)


class ExamResultViewSet(CaseApiMixin, viewsets.ReadOnlyModelViewSet):
    """DUO's exam results per onderdeel."""

    serializer_class = serializers.ExamResultSerializer
    filterset_class = filters.ExamResultFilter

    def get_queryset(self):
        return ExamResult.objects.visible_to(self.request.user)


class ProgressReviewViewSet(CaseApiMixin, viewsets.ReadOnlyModelViewSet):
    """Voortgangsgesprekken."""

    serializer_class = serializers.ProgressReviewSerializer
    filterset_class = filters.ProgressReviewFilter

    def get_queryset(self):
        return ProgressReview.objects.visible_to(self.request.user)
