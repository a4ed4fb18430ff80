from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from coopnet.logic.financing import contract

from .. import services
from ..filtersets import ApplicationFilterSet, ApprovedLenderFilterSet, BaseRateFilterSet, RuleSetFilterSet
from ..models import Application, ApprovedLender, BaseRate, BudgetEnvelope, RuleSetVersion
from .serializers import (
    ApplicationSerializer,
    ApprovedLenderSerializer,
    BaseRateSerializer,
    BudgetEnvelopeSerializer,
    CheckRequestSerializer,
    RuleSetSerializer,
    TransitionRequestSerializer,
    TransitionSerializer,
)


class ProjectCheckView(APIView):
    """Eligibility and subsidy schedule of a project: the `coopnet projects check` contract over HTTP."""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        request=CheckRequestSerializer,
        responses={200: OpenApiResponse(description="eligible, criteria, subsidy (amounts as strings)"),
                   400: OpenApiResponse(description='{"error": "<field>: <problem>", "field": "<field>"}')},
    )
    def post(self, request: Request) -> Response:
        try:
            result = services.check_payload(request.body)
        except contract.ContractError as exc:
            return Response({"error": str(exc), "field": exc.field}, status=status.HTTP_400_BAD_REQUEST)
        return Response(result)


class ApplicationViewSet(viewsets.ReadOnlyModelViewSet):
    """Applications the user may see (a bank its own, an enterprise those it takes part in, the EEC all)."""

    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilterSet
    queryset = Application.objects.none()

    def get_queryset(self) -> QuerySet[Application]:
        return (
            Application.objects.restrict(self.request.user, "view")
            .select_related("bank")
            .prefetch_related("participants", "flows", "transitions")
        )

    @extend_schema(request=TransitionRequestSerializer, responses={200: TransitionSerializer})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def transition(self, request: Request, pk: str | None = None) -> Response:
        app = self.get_object()
        body = TransitionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            record = services.transition(app, request.user, body.validated_data["decision"],
                                         body.validated_data["reason"])
        except PermissionDenied as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_403_FORBIDDEN)
        except ValidationError as exc:
            return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(TransitionSerializer(record).data)


class RuleSetViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RuleSetSerializer
    filterset_class = RuleSetFilterSet
    queryset = RuleSetVersion.objects.prefetch_related("industries")


class BaseRateViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = BaseRateSerializer
    filterset_class = BaseRateFilterSet
    queryset = BaseRate.objects.all()


class ApprovedLenderViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ApprovedLenderSerializer
    filterset_class = ApprovedLenderFilterSet
    queryset = ApprovedLender.objects.all()


class BudgetEnvelopeViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = BudgetEnvelopeSerializer
    queryset = BudgetEnvelope.objects.all()
    lookup_field = "year"
