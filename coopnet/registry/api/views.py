from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, viewsets
from rest_framework.decorators import api_view
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from coopnet.accounts.roles import has_role, profile_of
from coopnet.core.api.pagination import BoundedLimitOffsetPagination
from coopnet.core.querysets import CHANGE, VIEW

from .. import filtersets
from ..mapdata import competency_map_data
from ..models import Competency, Link, Organisation, Site
from . import serializers


class RestrictedViewSetMixin:
    """Reads see what `restrict(user, 'view')` allows, writes what `restrict(user, 'change')` allows."""

    request: Request
    pagination_class = BoundedLimitOffsetPagination

    def get_queryset(self) -> QuerySet[Any]:
        action = VIEW if self.request.method in permissions.SAFE_METHODS else CHANGE
        return super().get_queryset().restrict(self.request.user, action)  # type: ignore[misc]


class OrganisationViewSet(RestrictedViewSetMixin, viewsets.ModelViewSet):
    queryset = Organisation.objects.select_related("country", "region", "merged_into")
    filterset_class = filtersets.OrganisationFilterSet
    lookup_field = "public_id"
    ordering_fields = ["name", "country", "employees", "updated"]

    def get_serializer_class(self) -> type:
        return serializers.OrganisationListSerializer if self.action == "list" else serializers.OrganisationSerializer

    def get_queryset(self) -> QuerySet[Organisation]:
        qs = super().get_queryset()
        if self.action != "list":
            qs = qs.prefetch_related("names", "competencies",
                                     Prefetch("sites", queryset=Site.objects.select_related("partner")),
                                     Prefetch("links", queryset=Link.objects.select_related("partner")))
        return qs

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # who may add organisations at all is said before what they may write (403, not a 400 on a field)
        if not has_role(request.user, "admin", "contact_point"):
            raise PermissionDenied("Only national contact points and administrators add organisations.")
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer: serializers.OrganisationSerializer) -> None:
        profile = profile_of(self.request.user)
        country = serializer.validated_data["country"]
        if profile is not None and profile.role == "contact_point" and country.code != profile.country_id:
            raise PermissionDenied("A national contact point adds organisations of its own country.")
        serializer.save()

    def perform_destroy(self, instance: Organisation) -> None:
        """Only administrators delete an organisation (its lines, sites and links go with it); a record that
        others refer to (opportunities, applications) is kept: 409."""
        if not has_role(self.request.user, "admin"):
            raise PermissionDenied("Only administrators delete organisations; ask one to merge or retire it.")
        instance.delete()


class ChildViewSet(RestrictedViewSetMixin, viewsets.ModelViewSet):
    def perform_create(self, serializer: Any) -> None:
        org = serializer.validated_data["organisation"]
        if not Organisation.objects.restrict(self.request.user, CHANGE).filter(pk=org.pk).exists():
            raise PermissionDenied("You may not change this organisation.")
        serializer.save()


class CompetencyViewSet(ChildViewSet):
    queryset = Competency.objects.select_related("organisation")
    serializer_class = serializers.CompetencySerializer
    filterset_class = filtersets.CompetencyFilterSet


class SiteViewSet(ChildViewSet):
    queryset = Site.objects.select_related("organisation", "partner")
    serializer_class = serializers.SiteSerializer
    filterset_class = filtersets.SiteFilterSet


@extend_schema(
    parameters=[OpenApiParameter("scheme", str, enum=["hs", "nace"]), OpenApiParameter("code", str, required=True)],
    responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    description="Where a product is made: organisations per region and country for an HS or NACE code.",
)
@api_view(["GET"])
def competency_map(request: Request) -> Response:
    scheme = request.query_params.get("scheme", "hs")
    code = (request.query_params.get("code") or "").strip()
    if scheme not in ("hs", "nace") or not code:
        return Response({"error": "Give scheme=hs|nace and a code."}, status=400)
    data = competency_map_data(scheme, code)
    return Response(data, status=400 if data.get("error") else 200)
