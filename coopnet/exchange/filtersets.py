"""One filterset per model, shared by the board, the REST API and the command line."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from coopnet.reference.models import Country

from .choices import Direction, InterestStatus, OpportunityKind, Outcome, Status
from .models import Interest, Opportunity


class OpportunityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Text"))
    kind = django_filters.MultipleChoiceFilter(choices=OpportunityKind.choices, label=_("Type"))
    direction = django_filters.ChoiceFilter(choices=Direction.choices, label=_("Request or offer"))
    status = django_filters.MultipleChoiceFilter(choices=Status.choices, label=_("Status"))
    country = django_filters.ModelMultipleChoiceFilter(queryset=Country.objects.all(), label=_("Country"))
    hs = django_filters.CharFilter(field_name="hs_codes", lookup_expr="icontains", label=_("HS / TN VED code"))
    nace = django_filters.CharFilter(field_name="nace_codes", lookup_expr="icontains", label=_("NACE code"))
    outcome = django_filters.MultipleChoiceFilter(choices=Outcome.choices, label=_("Outcome"))
    organisation = django_filters.CharFilter(field_name="organisation__public_id", label=_("Organisation (public ID)"))

    class Meta:
        model = Opportunity
        fields = ["q", "kind", "direction", "status", "country", "hs", "nace", "outcome", "organisation"]

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        for word in value.split()[:8]:
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(description__icontains=word) | Q(part_name__icontains=word)
            )
        return queryset


class InterestFilterSet(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=InterestStatus.choices, label=_("Status"))
    opportunity = django_filters.NumberFilter(field_name="opportunity_id", label=_("Opportunity"))

    class Meta:
        model = Interest
        fields = ["status", "opportunity"]
