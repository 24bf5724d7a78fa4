"""API shapes of the brede intake: its structured outcome only, never free text or health."""

from rest_framework import serializers

from ..models import Intake


class IntakeSerializer(serializers.ModelSerializer):
    """The brede intake's structured outcome; free text and health stay in the dossier."""

    class Meta:
        model = Intake
        fields = [
            "id",
            "inburgeraar",
            "state",
            "startdatum",
            "einddatum",
            "test_date",
            "test_score",
            "test_exemption",
            "highest_education",
            "language_level",
            "digital_skills",
            "chosen_route",
            "pip_without_input",
            "updated_at",
        ]
        read_only_fields = fields
