"""API for bulk import: POST a file, get the same row-level report as the command line and the page."""
from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import api_view, parser_classes
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from ..importing import DEFAULT_SOURCE, import_organisations
from ..models import ImportRun
from ..views.imports import MAX_UPLOAD, can_import, import_rules

ImportUpload = inline_serializer("ImportUpload", fields={
    "file": serializers.FileField(),
    "source": serializers.CharField(required=False, default=DEFAULT_SOURCE),
    "dry_run": serializers.BooleanField(required=False, default=False),
})


@extend_schema(
    request={"multipart/form-data": ImportUpload},
    responses={200: OpenApiTypes.OBJECT, 400: OpenApiResponse(OpenApiTypes.OBJECT, description="invalid file"),
               403: OpenApiResponse(description="not allowed to import")},
    description="Import organisations from a CSV or XLSX file. The whole file is validated first; with any "
                "invalid row nothing is written and the answer is 400 with the row-level report.",
)
@api_view(["POST"])
@parser_classes([MultiPartParser, FormParser])
def import_organisations_api(request: Request) -> Response:
    if not can_import(request.user):
        raise PermissionDenied("Only administrators and national contact points import organisations.")
    upload = request.FILES.get("file")
    if upload is None:
        return Response({"file": ["Attach the CSV or XLSX file as 'file'."]}, status=status.HTTP_400_BAD_REQUEST)
    if upload.size > MAX_UPLOAD:
        return Response({"file": ["The file is larger than 512 MB."]}, status=status.HTTP_400_BAD_REQUEST)
    source = str(request.data.get("source") or DEFAULT_SOURCE)[:100]
    dry_run = str(request.data.get("dry_run", "")).lower() in ("1", "true", "yes", "on")
    result = import_organisations(upload.file, upload.name or "upload", source=source, user=request.user,
                                  dry_run=dry_run, rules=import_rules(request.user))
    return Response(result.as_dict(), status=status.HTTP_200_OK if result.ok else status.HTTP_400_BAD_REQUEST)


@extend_schema(responses={200: OpenApiTypes.OBJECT, 404: OpenApiResponse(description="no such import")})
@api_view(["GET"])
def import_run_api(request: Request, pk: int) -> Response:
    if not can_import(request.user):
        raise PermissionDenied("Only administrators and national contact points see imports.")
    run = ImportRun.objects.restrict(request.user).filter(pk=pk).first()
    if run is None:
        return Response({"detail": "No such import."}, status=status.HTTP_404_NOT_FOUND)
    data: dict[str, Any] = dict(run.report)
    data.update(run=run.pk, status=run.status, started=run.started, user=str(run.user or ""))
    return Response(data)


urlpatterns = [
    path("imports/", import_organisations_api, name="import-organisations"),
    path("imports/<int:pk>/", import_run_api, name="import-run"),
]
