import django_filters
from django.db.models import Q

from .models import Country, HSCode, NACECode, Region


class CountryFilterSet(django_filters.FilterSet):
    class Meta:
        model = Country
        fields = ["status"]


class RegionFilterSet(django_filters.FilterSet):
    class Meta:
        model = Region
        fields = ["country"]


class ClassificationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    parent = django_filters.CharFilter(field_name="parent_id")

    def search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(Q(code__startswith=value) | Q(name_en__icontains=value) | Q(name_ru__icontains=value))


class HSCodeFilterSet(ClassificationFilterSet):
    class Meta:
        model = HSCode
        fields = ["level", "parent"]


class NACECodeFilterSet(ClassificationFilterSet):
    class Meta:
        model = NACECode
        fields = ["level", "parent"]
