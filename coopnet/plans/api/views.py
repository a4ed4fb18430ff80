from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from coopnet.accounts.roles import public_label
from coopnet.core.querysets import CHANGE, VIEW
from coopnet.logic.plans import ContractError, check

from .. import filtersets
from ..adapter import check_document, compare_documents, today
from ..models import Document, Measure, StatusReport, may_create_documents
from . import serializers

AS_OF = OpenApiParameter("as_of", OpenApiTypes.DATE, description="Date the flags and rates are computed at "
                         "(default: today).")


def _as_of(request: Request) -> date:
    raw = request.query_params.get("as_of", "")
    if not raw:
        return today()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationError({"as_of": "not a date (YYYY-MM-DD)"}) from None


class RestrictedViewSetMixin:
    request: Request

    def get_queryset(self) -> QuerySet[Any]:
        act = VIEW if self.request.method in permissions.SAFE_METHODS else CHANGE
        return super().get_queryset().restrict(self.request.user, act)  # type: ignore[misc]


class DocumentViewSet(RestrictedViewSetMixin, viewsets.ModelViewSet):
    """Agreements, programmes, main directions, action plans and roadmaps. Administrators and the Commission
    add and edit every document; a ministry or a national contact point the documents its country is a
    party to (and it must stay one). Every change is kept in the history."""

    queryset = Document.objects.prefetch_related("parties", "directions", "links_out")
    serializer_class = serializers.DocumentSerializer
    filterset_class = filtersets.DocumentFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def perform_create(self, serializer: serializers.DocumentSerializer) -> None:
        if not may_create_documents(self.request.user):
            raise PermissionDenied("You may not add documents.")
        serializer.save()

    @extend_schema(parameters=[AS_OF], responses=OpenApiTypes.OBJECT,
                   description="Quality flags, summary and implementation rate of the document's measures.")
    @action(detail=True, methods=["get"])
    def flags(self, request: Request, pk: str | None = None) -> Response:
        return Response(check_document(self.get_object(), _as_of(request)).as_json())

    @extend_schema(responses=OpenApiTypes.OBJECT,
                   description="The document against the one it replaces: kept, reworded, dropped, added.")
    @action(detail=True, methods=["get"])
    def comparison(self, request: Request, pk: str | None = None) -> Response:
        doc = self.get_object()
        previous = doc.previous_document()
        if previous is None:
            return Response({"detail": "This document replaces no other document."}, status=404)
        return Response({"previous": previous.pk, "current": doc.pk, **compare_documents(previous, doc)})


class MeasureViewSet(RestrictedViewSetMixin, viewsets.ModelViewSet):
    """Measures with their responsible bodies and control points (a list sent replaces the stored one) and
    the joint projects of the financing register they link to. Written by whoever may change the document;
    the status follows the status reports."""

    queryset = Measure.objects.select_related("document", "direction").prefetch_related("responsible",
                                                                                         "control_points",
                                                                                         "projects")
    serializer_class = serializers.MeasureSerializer
    filterset_class = filtersets.MeasureFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def perform_create(self, serializer: serializers.MeasureSerializer) -> None:
        document = serializer.validated_data["document"]
        if not Document.objects.restrict(self.request.user, CHANGE).filter(pk=document.pk).exists():
            raise PermissionDenied("You may not change this document.")
        serializer.save()


class StatusReportViewSet(RestrictedViewSetMixin, viewsets.ModelViewSet):
    """Status reports: the history of each measure's status. Ministries and national contact points
    report on the documents their country is a party to; administrators and the Commission on all."""

    queryset = StatusReport.objects.select_related("measure", "author")
    serializer_class = serializers.StatusReportSerializer
    filterset_class = filtersets.StatusReportFilterSet
    http_method_names = ["get", "post", "delete", "head", "options"]

    def perform_create(self, serializer: serializers.StatusReportSerializer) -> None:
        user = self.request.user
        measure = serializer.validated_data["measure"]
        if not user.is_authenticated or not Measure.objects.restrict(user, CHANGE).filter(pk=measure.pk).exists():
            raise PermissionDenied("You may not report on this measure.")
        serializer.save(author=user, author_name=public_label(user))


CHECK_EXAMPLE = {
    "title": "Plan 2024–2026", "period": {"start": "2024-01-01", "end": "2026-12-31"}, "as_of": "2025-06-30",
    "sides": ["RU", "BY"], "reporting_period_months": 6,
    "measures": [{"id": "4.1", "text": "Practical implementation of agreements on the recognition of "
                  "technological operations", "responsible": [{"side": "RU", "body": "Minpromtorg"}],
                  "deadline": None, "control_points": [], "status": "in_progress"}],
    "previous": {"title": "Plan 2021–2023", "measures": [{"id": "7", "text": "mutual recognition of "
                                                           "technological operations"}]},
}


@extend_schema(
    request=OpenApiTypes.OBJECT,
    responses={200: OpenApiTypes.OBJECT, 400: OpenApiResponse(OpenApiTypes.OBJECT,
                                                              description="{field: message} for each error")},
    examples=[OpenApiExample("A plan", value=CHECK_EXAMPLE, request_only=True)],
    description="Check a plan given as JSON (the contract of `coopnet plans check`): quality flags per measure "
                "and a summary. Nothing is stored.",
)
@api_view(["POST"])
@permission_classes([permissions.AllowAny])
def check_plan(request: Request) -> Response:
    try:
        return Response(check(request.data))
    except ContractError as exc:
        return Response(exc.as_dict(), status=status.HTTP_400_BAD_REQUEST)
