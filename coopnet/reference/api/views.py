from rest_framework import viewsets

from coopnet.core.api.pagination import BoundedLimitOffsetPagination

from .. import filtersets
from ..models import Country, HSCode, NACECode, Region
from . import serializers


class CountryViewSet(viewsets.ReadOnlyModelViewSet):
    pagination_class = BoundedLimitOffsetPagination
    queryset = Country.objects.all()
    serializer_class = serializers.CountrySerializer
    filterset_class = filtersets.CountryFilterSet


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    pagination_class = BoundedLimitOffsetPagination
    queryset = Region.objects.select_related("country")
    serializer_class = serializers.RegionSerializer
    filterset_class = filtersets.RegionFilterSet


class HSCodeViewSet(viewsets.ReadOnlyModelViewSet):
    pagination_class = BoundedLimitOffsetPagination
    queryset = HSCode.objects.all()
    serializer_class = serializers.HSCodeSerializer
    filterset_class = filtersets.HSCodeFilterSet


class NACECodeViewSet(viewsets.ReadOnlyModelViewSet):
    pagination_class = BoundedLimitOffsetPagination
    queryset = NACECode.objects.all()
    serializer_class = serializers.NACECodeSerializer
    filterset_class = filtersets.NACECodeFilterSet
