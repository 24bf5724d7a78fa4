"""API endpoints of the documents on a case: list, read, upload (scanned by ClamAV first) and
the audited download. Every queryset starts at `visible_to(request.user)`; outside the caller's
scope everything is 404."""

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from api.viewsets import CaseApiMixin
from audit import events as audit

from .. import services
from ..models import Document
from . import serializers


class DocumentViewSet(
    CaseApiMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Documents on a case. WerkSaam sees only documents marked for it, never special-category
    ones."""

    serializer_class = serializers.DocumentSerializer
    filterset_fields = ["inburgeraar", "kind"]
    parser_classes = [MultiPartParser]  # the upload: a file needs multipart/form-data

    def get_queryset(self):
        return Document.objects.visible_to(self.request.user)

    @extend_schema(
        request={"multipart/form-data": serializers.DocumentUploadSerializer},
        responses={201: serializers.DocumentSerializer},
    )
    def create(self, request, *args, **kwargs):
        upload = serializers.DocumentUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        data = upload.validated_data
        try:
            document = services.upload_document(
                request.user,
                data["inburgeraar"],
                data=services.read_upload(data["file"]),
                kind=data["kind"],
                document_date=data["document_date"],
                description=data["description"],
                special_category=data["special_category"],
                for_werksaam=data["for_werksaam"],
            )
        except ValidationError as error:
            detail = (
                error.message_dict if hasattr(error, "error_dict") else {"file": error.messages}
            )
            raise ApiValidationError(detail) from None
        body = serializers.DocumentSerializer(document, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        document = self.get_object()
        data = services.verified_bytes(document)
        audit.document_downloaded(request.user, document, part="api")
        response = HttpResponse(data, content_type=document.content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="document-{document.inburgeraar_id}-{document.pk}.'
            f'{document.extension}"'
        )
        response["Cache-Control"] = "private, no-store"
        return response
