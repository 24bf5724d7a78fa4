"""API shapes of the PIP and its versions."""

from rest_framework import serializers

from ..models import Pip, PipVersion


class PipVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = PipVersion
        fields = [
            "number",
            "status",
            "reason",
            "route",
            "level_lezen",
            "level_luisteren",
            "level_schrijven",
            "level_spreken",
            "map_hours",
            "pvt_hours",
            "hoofddoel",
            "course_start",
            "unburdening",
            "dagtekening",
            "bezwaar_deadline",
        ]
        read_only_fields = fields


class PipSerializer(serializers.ModelSerializer):
    versions = PipVersionSerializer(many=True, read_only=True)

    class Meta:
        model = Pip
        fields = [
            "id",
            "inburgeraar",
            "dagtekening_initiele_pip",
            "termijn_start",
            "termijn_end",
            "versions",
        ]
        read_only_fields = fields
