"""API shapes. Never a health or other special-category field, never a full BSN."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.filters import BIGINT_MAX

from .. import services
from ..models import Activity, Benefit, MapProgress, Share, Unburdening


class ShareSerializer(serializers.ModelSerializer):
    active = serializers.SerializerMethodField()

    class Meta:
        model = Share
        fields = [
            "id",
            "inburgeraar",
            "basis",
            "consent_date",
            "consent_scope",
            "start_date",
            "end_date",
            "ended_at",
            "end_reason",
            "revoked",
            "active",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.BooleanField())
    def get_active(self, share) -> bool:
        return share.is_active()


class RecordSerializer(serializers.ModelSerializer):
    """WerkSaam's records: created and changed through werksaam_bridge.services, which checks
    that the case is shared with WerkSaam now. A case the caller cannot see, or that is not
    shared with WerkSaam now, answers 404, as everywhere in the API."""

    inburgeraar = serializers.IntegerField(
        source="inburgeraar_id", min_value=1, max_value=BIGINT_MAX
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["inburgeraar"].read_only = True

    def create(self, validated_data):
        case_id = validated_data.pop("inburgeraar_id")
        return services.add_record(
            self.context["request"].user, case_id, self.Meta.model, **validated_data
        )

    def update(self, instance, validated_data):
        validated_data.pop("inburgeraar_id", None)
        return services.update_record(self.context["request"].user, instance, **validated_data)


RECORD_READ_ONLY = ["id", "created_at", "updated_at"]


class BenefitSerializer(RecordSerializer):
    class Meta:
        model = Benefit
        fields = ["id", "inburgeraar", "start_date", "end_date", "created_at", "updated_at"]
        read_only_fields = RECORD_READ_ONLY


class UnburdeningSerializer(RecordSerializer):
    class Meta:
        model = Unburdening
        fields = [
            "id",
            "inburgeraar",
            "machtiging_date",
            "start_date",
            "planned_end",
            "rent",
            "energy_water",
            "health_insurance",
            "ended_on",
            "created_at",
            "updated_at",
        ]
        read_only_fields = RECORD_READ_ONLY


class MapProgressSerializer(RecordSerializer):
    # Explicit bounds: the database's own integer range differs per backend (and with it the schema).
    hours_done = serializers.IntegerField(min_value=0, max_value=5000, required=False)

    class Meta:
        model = MapProgress
        fields = [
            "id",
            "inburgeraar",
            "status",
            "hours_done",
            "final_conversation",
            "notes",
            "created_at",
            "updated_at",
        ]
        read_only_fields = RECORD_READ_ONLY


class ActivitySerializer(RecordSerializer):
    hours_per_week = serializers.IntegerField(
        min_value=0, max_value=80, required=False, allow_null=True
    )

    class Meta:
        model = Activity
        fields = [
            "id",
            "inburgeraar",
            "kind",
            "name",
            "provider",
            "start_date",
            "end_date",
            "hours_per_week",
            "created_at",
            "updated_at",
        ]
        read_only_fields = RECORD_READ_ONLY
        # Not blank (the model's blank=False): said in the schema too, as minLength.
        extra_kwargs = {"name": {"min_length": 1}}
