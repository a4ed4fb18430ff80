from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from coopnet.logic.matching import MatchRequestError, run_consortium, run_match

from .. import engine
from ..filtersets import InterestFilterSet, OpportunityFilterSet
from ..models import Interest, Opportunity
from . import serializers


class OpportunityViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Opportunity.objects.select_related("organisation", "country")
    serializer_class = serializers.OpportunitySerializer
    filterset_class = OpportunityFilterSet

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().restrict(self.request.user, "view")  # type: ignore[attr-defined]


class InterestViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Interest.objects.select_related("organisation", "opportunity")
    serializer_class = serializers.InterestSerializer
    filterset_class = InterestFilterSet

    def get_queryset(self) -> QuerySet[Any]:
        return super().get_queryset().restrict(self.request.user, "view")  # type: ignore[attr-defined]


def _body(request: Request) -> dict[str, Any] | None:
    data = request.data
    return dict(data.items()) if hasattr(data, "items") else None


@extend_schema(
    request=serializers.MatchRequestSerializer,
    responses=serializers.MatchResponseSerializer,
    summary="Rank partner organisations for a request (text RU/EN, codes, filters), with reasons",
)
@api_view(["POST"])
@permission_classes([AllowAny])
def match(request: Request) -> Response:
    body = _body(request)
    if body is None:
        return Response({"detail": "send a JSON object"}, status=400)
    try:
        return Response(run_match(engine.get_index(), body, strict=True))
    except MatchRequestError as exc:
        return Response({"detail": str(exc)}, status=400)
    except engine.IndexNotReady as exc:
        return _not_ready(exc)


@extend_schema(
    request=serializers.ConsortiumRequestSerializer,
    responses=dict,
    summary="Propose consortia from at least N member states covering every component line",
)
@api_view(["POST"])
@permission_classes([AllowAny])
def consortium(request: Request) -> Response:
    body = _body(request)
    if body is None:
        return Response({"detail": "send a JSON object"}, status=400)
    try:
        return Response(run_consortium(engine.get_index(), body))
    except MatchRequestError as exc:
        return Response({"detail": str(exc)}, status=400)
    except engine.IndexNotReady as exc:
        return _not_ready(exc)


def _not_ready(exc: Exception) -> Response:
    """503 with Retry-After: no shared index yet and the registry is too large to index in a request."""
    return Response({"detail": f"{exc}; try again shortly"}, status=503, headers={"Retry-After": "30"})
