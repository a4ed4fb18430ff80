"""One filterset per model, shared by the register page, the REST API and the `plans` command."""
from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from coopnet.reference.models import Country

from .choices import DocumentKind, MeasureStatus
from .models import Document, Measure, StatusReport


class YearFilter(django_filters.NumberFilter):
    """A calendar year: a whole number the database's dates can hold (else a 400 that names the filter)."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 9998)
        super().__init__(*args, **kwargs)


class DocumentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Text"))
    kind = django_filters.MultipleChoiceFilter(choices=DocumentKind.choices, label=_("Kind"))
    party = django_filters.ModelMultipleChoiceFilter(field_name="parties", queryset=Country.objects.all(),
                                                     label=_("Party"), distinct=True)
    issuing_body = django_filters.CharFilter(lookup_expr="icontains", label=_("Issuing body"))
    active_in = YearFilter(method="filter_active_in", label=_("In force in year"))
    is_synthetic = django_filters.BooleanFilter(label=_("Synthetic"))
    ordering = django_filters.OrderingFilter(
        fields=(("period_start", "period_start"), ("signed", "signed"), ("title", "title"), ("kind", "kind")),
        label=_("Order by"),
    )

    class Meta:
        model = Document
        fields = ("q", "kind", "party", "issuing_body", "active_in", "is_synthetic")

    def filter_q(self, qs: QuerySet[Document], name: str, value: str) -> QuerySet[Document]:
        value = value.strip()
        if not value:
            return qs
        return qs.filter(Q(title__icontains=value) | Q(title_en__icontains=value) | Q(short_title__icontains=value)
                         | Q(number__icontains=value) | Q(other_parties__icontains=value)
                         | Q(issuing_body__icontains=value))

    def filter_active_in(self, qs: QuerySet[Document], name: str, value: Any) -> QuerySet[Document]:
        if value is None:
            return qs
        year = int(value)
        return qs.filter(
            Q(period_start__year__lte=year) | Q(period_start__isnull=True, signed__year__lte=year)
        ).filter(Q(period_end__year__gte=year) | Q(period_end__isnull=True))


class MeasureFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Text"))
    document = django_filters.ModelChoiceFilter(queryset=Document.objects.all(), label=_("Document"))
    status = django_filters.MultipleChoiceFilter(choices=MeasureStatus.choices, label=_("Status"))
    side = django_filters.CharFilter(field_name="responsible__side", lookup_expr="iexact", distinct=True,
                                     label=_("Responsible side"))
    body = django_filters.CharFilter(field_name="responsible__body", lookup_expr="icontains", distinct=True,
                                     label=_("Responsible body"))
    has_deadline = django_filters.BooleanFilter(field_name="deadline", lookup_expr="isnull", exclude=True,
                                                label=_("Has a deadline"))
    deadline_before = django_filters.DateFilter(field_name="deadline", lookup_expr="lte", label=_("Deadline by"))

    class Meta:
        model = Measure
        fields = ("q", "document", "status", "side", "body", "has_deadline", "deadline_before")

    def filter_q(self, qs: QuerySet[Measure], name: str, value: str) -> QuerySet[Measure]:
        value = value.strip()
        if not value:
            return qs
        return qs.filter(Q(text__icontains=value) | Q(text_en__icontains=value) | Q(number=value))


class StatusReportFilterSet(django_filters.FilterSet):
    measure = django_filters.ModelChoiceFilter(queryset=Measure.objects.all(), label=_("Measure"))
    document = django_filters.ModelChoiceFilter(field_name="measure__document", queryset=Document.objects.all(),
                                                label=_("Document"))
    status = django_filters.MultipleChoiceFilter(choices=MeasureStatus.choices, label=_("Status"))
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("From"))
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("To"))

    class Meta:
        model = StatusReport
        fields = ("measure", "document", "status", "date_from", "date_to")
