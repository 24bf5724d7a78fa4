from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.filters import BIGINT_MAX

from ..models import Document, DocumentKind


@extend_schema_field(OpenApiTypes.BINARY)
class UploadedFileField(serializers.FileField):
    """The file itself, a part of the multipart body (`format: binary`), not the URI a FileField
    shows in a response."""


class DocumentSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "inburgeraar",
            "kind",
            "document_date",
            "description",
            "special_category",
            "for_werksaam",
            "content_type",
            "size",
            "sha256",
            "uploaded_at",
            "download",
        ]
        read_only_fields = fields

    def get_download(self, document) -> str:
        request = self.context.get("request")
        path = f"/api/v1/documents/{document.pk}/download/"
        return request.build_absolute_uri(path) if request else path


class DocumentUploadSerializer(serializers.Serializer):
    """multipart/form-data: the file and its facts. The file is scanned before anything is kept."""

    # A case the caller may not change, or that does not exist, is 404 (documents.services).
    inburgeraar = serializers.IntegerField(min_value=1, max_value=BIGINT_MAX)
    file = UploadedFileField()
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    document_date = serializers.DateField()
    description = serializers.CharField(max_length=200, required=False, default="")
    special_category = serializers.BooleanField(required=False, default=False)
    for_werksaam = serializers.BooleanField(required=False, default=False)
