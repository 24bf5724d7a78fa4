"""API shapes. Never a health or other special-category field, never a full BSN."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.models import Inburgeraar

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
    that the case is shared with WerkSaam now."""

    inburgeraar = serializers.PrimaryKeyRelatedField(queryset=Inburgeraar.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        field = self.fields["inburgeraar"]
        if request is not None:
            field.queryset = Inburgeraar.objects.visible_to(request.user)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            field.read_only = True

    def create(self, validated_data):
        case = validated_data.pop("inburgeraar")
        return services.add_record(
            self.context["request"].user, case, self.Meta.model, **validated_data
        )

    def update(self, instance, validated_data):
        validated_data.pop("inburgeraar", None)
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
