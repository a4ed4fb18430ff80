"""One filterset per model: the list views, the API viewsets and the command line share them."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .choices import Stage
from .models import Application, ApprovedLender, BaseRate, RuleSetVersion


class YearFilter(django_filters.NumberFilter):
    """A calendar year: an integer within the range the database's dates hold."""

    field_class = forms.IntegerField


class ApplicationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices, label=_("Stage"))
    year = YearFilter(field_name="application_date__year", label=_("Year"), min_value=1900, max_value=9999)

    class Meta:
        model = Application
        fields = ["q", "stage", "industry", "lender_country", "currency", "year"]

    def search(self, queryset: QuerySet[Application], name: str, value: str) -> QuerySet[Application]:
        return queryset.filter(
            Q(title__icontains=value) | Q(reference__icontains=value) | Q(participants__name__icontains=value)
            | Q(bank__name__icontains=value)
        ).distinct()


class BaseRateFilterSet(django_filters.FilterSet):
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("From"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("To"))

    class Meta:
        model = BaseRate
        fields = ["country", "date_from", "date_to"]


class RuleSetFilterSet(django_filters.FilterSet):
    in_force_on = django_filters.DateFilter(method="in_force", label=_("In force on"))

    class Meta:
        model = RuleSetVersion
        fields = ["in_force_on", "day_count"]

    def in_force(self, queryset: QuerySet[RuleSetVersion], name: str, value: object) -> QuerySet[RuleSetVersion]:
        latest = queryset.filter(effective_from__lte=value).order_by("-effective_from").first()
        return queryset.filter(pk=latest.pk) if latest else queryset.none()


class ApprovedLenderFilterSet(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", label=_("Name"))

    class Meta:
        model = ApprovedLender
        fields = ["name", "country"]
