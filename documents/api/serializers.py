from rest_framework import serializers

from ..models import Document, DocumentKind


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

    inburgeraar = serializers.IntegerField()
    file = serializers.FileField()
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    document_date = serializers.DateField()
    description = serializers.CharField(max_length=200, required=False, default="")
    special_category = serializers.BooleanField(required=False, default=False)
    for_werksaam = serializers.BooleanField(required=False, default=False)
