"""API shapes of the uitvoering. Never intake or health data; a full BSN only for the language
school's own students (it is the key of the exchange, VNG), masked for everyone else in lists."""

from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound

from .. import services
from ..models import Attendance, Enrolment, ExamResult, ProgressReview, school_ids

HOURS = {"max_digits": 6, "decimal_places": 1, "min_value": 0, "max_value": 1000}


class VisibleEnrolmentField(serializers.PrimaryKeyRelatedField):
    """An enrolment the caller may see, else 404 (as a detail URL would answer): a school learns
    nothing about an enrolment that is not its own, whether or not it exists."""

    def to_internal_value(self, data):
        try:
            return self.get_queryset().get(pk=int(data))
        except (TypeError, ValueError):
            self.fail("incorrect_type", data_type=type(data).__name__)
        except ObjectDoesNotExist:
            raise NotFound() from None


class EnrolmentSerializer(serializers.ModelSerializer):
    """Read for the municipality and WerkSaam where shared. A language school's client (scope
    taalschool:write) changes its own enrolments' intake date, actual start, planned end and hours
    per week (PATCH), through uitvoering.services.school_update_enrolment."""

    school = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    student_name = serializers.CharField(source="inburgeraar.full_name", read_only=True)
    bsn = serializers.SerializerMethodField()
    hours_per_week = serializers.IntegerField(
        min_value=0, max_value=80, allow_null=True, required=False
    )

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "inburgeraar",
            "student_name",
            "bsn",
            "school",
            "aanmelding_date",
            "school_intake_date",
            "actual_start",
            "planned_end",
            "contract_id",
            "hours_per_week",
            "taalschakeltraject",
            "alfabetisering",
            "contact_name",
            "contact_email",
        ]
        read_only_fields = [f for f in fields if f not in services.SCHOOL_ENROLMENT_FIELDS]

    def update(self, instance, validated_data):
        return services.school_update_enrolment(
            self.context["request"].user, instance, values=validated_data
        )

    @extend_schema_field(serializers.CharField())
    def get_bsn(self, enrolment) -> str:
        request = self.context.get("request")
        own = getattr(self, "_own_schools", None)
        if own is None and request is not None:
            own = self._own_schools = set(
                school_ids(request.user).values_list("organisation_id", flat=True)
            )
        if own and enrolment.school_id in own:
            return enrolment.inburgeraar.bsn
        return enrolment.inburgeraar.masked_bsn


class AttendanceSerializer(serializers.ModelSerializer):
    """Created by the school (its API client with scope taalschool:write) on its own enrolments,
    through uitvoering.services.report_attendance; the same period again replaces the report."""

    enrolment = VisibleEnrolmentField(queryset=Enrolment.objects.none())
    hours_present = serializers.DecimalField(**HOURS)
    hours_excused = serializers.DecimalField(**HOURS, required=False)
    hours_unexcused = serializers.DecimalField(**HOURS, required=False)

    class Meta:
        model = Attendance
        fields = [
            "id",
            "enrolment",
            "period_start",
            "period_end",
            "hours_present",
            "hours_excused",
            "hours_unexcused",
            "level_lezen",
            "level_luisteren",
            "level_schrijven",
            "level_spreken",
            "exam_ready",
            "source",
            "reported_at",
        ]
        read_only_fields = ["id", "source", "reported_at"]
        validators = []  # one report per period: a repeat replaces it (services)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["enrolment"].queryset = Enrolment.objects.visible_to(request.user)

    def create(self, validated_data):
        enrolment = validated_data.pop("enrolment")
        start = validated_data.pop("period_start")
        end = validated_data.pop("period_end")
        return services.report_attendance(
            self.context["request"].user,
            enrolment,
            period_start=start,
            period_end=end,
            values=validated_data,
            source=Attendance.Source.API,
        )


class ExamResultSerializer(serializers.ModelSerializer):
    score = serializers.DecimalField(
        max_digits=5, decimal_places=1, min_value=0, max_value=1000, allow_null=True, read_only=True
    )

    class Meta:
        model = ExamResult
        fields = [
            "id",
            "inburgeraar",
            "onderdeel",
            "level",
            "score",
            "exam_date",
            "result",
            "registered_on",
            "created_at",
        ]
        read_only_fields = fields


class ProgressReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgressReview
        fields = [
            "id",
            "inburgeraar",
            "held_on",
            "participants",
            "language_agreed",
            "work_agreed",
            "participation_agreed",
            "actions",
            "next_review_on",
            "new_pip_version",
            "created_at",
        ]
        read_only_fields = fields
