from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from cases import services
from cases.models import LEGAL_DATE_FIELDS, PERSON_FIELDS, Inburgeraar


class InburgeraarListSerializer(serializers.ModelSerializer):
    """Lists never carry a full BSN."""

    bsn = serializers.CharField(source="masked_bsn", read_only=True)
    municipality = serializers.CharField(source="municipality.cbs_code", read_only=True)

    class Meta:
        model = Inburgeraar
        fields = [
            "id",
            "bsn",
            "v_nummer",
            "first_names",
            "surname_prefix",
            "surname",
            "doelgroep",
            "municipality",
            "status",
            "datum_kennisgeving",
        ]


class InburgeraarDetailSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.cbs_code", read_only=True)
    caseworker = serializers.CharField(source="caseworker.username", read_only=True, default=None)

    class Meta:
        model = Inburgeraar
        fields = [
            "id",
            *PERSON_FIELDS,
            "doelgroep",
            "gedetailleerde_doelgroep",
            "municipality",
            "caseworker",
            "status",
            *LEGAL_DATE_FIELDS,
            "created_at",
            "updated_at",
        ]

    def to_representation(self, instance):
        """The full BSN only for the dossier's readers, or a reader whose legal basis requires
        it (WerkSaam on a Participatiewet share); everyone else gets it masked."""
        from cases import selectors

        data = super().to_representation(instance)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if "bsn" in data and selectors.full_bsn_reason(user, instance) is None:
            data["bsn"] = instance.masked_bsn
        return data


class InburgeraarAssignSerializer(serializers.ModelSerializer):
    """PATCH: give the case to a klantmanager of its municipality (by username), or null."""

    caseworker = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True),
        allow_null=True,
    )

    class Meta:
        model = Inburgeraar
        fields = ["caseworker"]

    def update(self, instance, validated_data):
        try:
            return services.assign_caseworker(
                self.context["request"].user, instance, validated_data["caseworker"]
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError({"caseworker": error.messages}) from error
