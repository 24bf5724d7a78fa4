from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import services
from ..models import Bezwaar, Letter


class LetterSerializer(serializers.ModelSerializer):
    kenmerk = serializers.CharField(read_only=True)
    facts = serializers.JSONField(
        read_only=True, help_text="What the caseworker added to the event for this letter."
    )
    pdf = serializers.SerializerMethodField(
        help_text="The stored PDF of a sent letter (null while it is a concept)."
    )

    class Meta:
        model = Letter
        fields = [
            "id",
            "kenmerk",
            "inburgeraar",
            "kind",
            "status",
            "invitation",
            "pip_version",
            "bezwaar",
            "facts",
            "dagtekening",
            "created_at",
            "checked_at",
            "sha256",
            "size",
            "pdf",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_pdf(self, letter) -> str | None:
        if not letter.is_sent:
            return None
        request = self.context.get("request")
        path = f"/api/v1/letters/{letter.pk}/pdf/"
        return request.build_absolute_uri(path) if request else path


class BezwaarSerializer(serializers.ModelSerializer):
    beslistermijn = serializers.SerializerMethodField(
        help_text="Last day (t/m) to decide: Awb 7:10, Algemene termijnenwet."
    )
    letters = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Bezwaar
        fields = [
            "id",
            "inburgeraar",
            "pip_version",
            "fine_letter",
            "decision_date",
            "window_end",
            "received_on",
            "posted_on",
            "on_time",
            "advisory_committee",
            "extended",
            "beslistermijn",
            "grounds",
            "hearing_at",
            "decision",
            "decision_reason",
            "decided_on",
            "new_pip_version",
            "letters",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.DATE)
    def get_beslistermijn(self, bezwaar) -> str:
        return services.beslistermijn(bezwaar).isoformat()
