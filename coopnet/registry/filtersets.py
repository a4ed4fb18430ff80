"""One filterset per model, shared by the list page, the REST API and the command line."""
from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Case, Q, QuerySet, When
from django.utils.translation import gettext_lazy as _

from coopnet.logic.codes import CodeError, hs_range, normalise_hs, normalise_nace
from coopnet.reference.models import Country, Region

from .choices import LegalForm, OrganisationKind, SizeClass
from .models import Competency, CompetencyCode, Organisation, Site


def organisations_with_code(scheme: str, raw: str) -> QuerySet[CompetencyCode]:
    """Organisation ids having a competency code equal to or under `raw` (index range scan)."""
    code = normalise_hs(raw) if scheme == "hs" else normalise_nace(raw)
    lo, hi = hs_range(code)
    rows = CompetencyCode.objects.filter(scheme=scheme, code__gte=lo, code__lt=hi)
    if scheme == "nace" and "." not in code:  # '29' must not match '290' (no such NACE code, but be exact)
        rows = rows.filter(Q(code=code) | Q(code__startswith=f"{code}."))
    return rows.values("organisation_id")


# A code list longer than this is not a search (20 codes of at most 12 characters, with separators).
CODE_LIST_MAX_LENGTH = 400


def _code_list(value: str) -> list[str]:
    return [c.strip() for c in value.replace(",", ";").split(";") if c.strip()][:20]


def _check_length(value: str) -> None:
    if len(value) > CODE_LIST_MAX_LENGTH:
        raise forms.ValidationError(_("Give at most %(max)d characters of codes."),
                                    params={"max": CODE_LIST_MAX_LENGTH})


def code_error(exc: Exception) -> forms.ValidationError:
    """The code's problem as a message taken as it is (a "%" in the code must not be read as a placeholder,
    which django-filter does with every message of the API's 400)."""
    return forms.ValidationError("%(problem)s", params={"problem": str(exc)})


def validate_hs_list(value: str) -> None:
    _check_length(value)
    for code in _code_list(value):
        try:
            normalise_hs(code)
        except CodeError as exc:
            raise code_error(exc) from exc


def validate_nace_list(value: str) -> None:
    _check_length(value)
    for code in _code_list(value):
        try:
            normalise_nace(code)
        except CodeError as exc:
            raise code_error(exc) from exc


class OrganisationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label=_("Text"))
    country = django_filters.ModelMultipleChoiceFilter(queryset=Country.objects.all(), label=_("Country"))
    region = django_filters.ModelMultipleChoiceFilter(queryset=Region.objects.all(), label=_("Region"))
    kind = django_filters.MultipleChoiceFilter(choices=OrganisationKind.choices, label=_("Type"))
    legal_form = django_filters.MultipleChoiceFilter(choices=LegalForm.choices, label=_("Legal form"))
    size = django_filters.MultipleChoiceFilter(choices=SizeClass.choices, label=_("Size class"))
    hs = django_filters.CharFilter(method="filter_hs", label=_("HS / TN VED code"), validators=[validate_hs_list])
    nace = django_filters.CharFilter(method="filter_nace", label=_("NACE / OKVED2 code"),
                                     validators=[validate_nace_list])
    certification = django_filters.CharFilter(method="filter_certification", label=_("Certification"))
    is_synthetic = django_filters.BooleanFilter(label=_("Synthetic"))
    include_merged = django_filters.BooleanFilter(method="filter_include_merged", label=_("Include merged"))
    ordering = django_filters.OrderingFilter(
        fields=(("name", "name"), ("country", "country"), ("employees", "employees"), ("updated", "updated")),
        label=_("Sort by"),
    )

    class Meta:
        model = Organisation
        fields = ["q", "country", "region", "kind", "legal_form", "size", "hs", "nace", "certification",
                  "is_synthetic"]

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        members_first = Case(When(status="member", then=0), When(status="observer", then=1), default=2)
        self.filters["country"].queryset = Country.objects.order_by(members_first, "code")
        self.form.fields["country"].queryset = self.filters["country"].queryset
        for field in self.form.fields.values():
            select = isinstance(field.widget, forms.Select)
            css = "form-select form-select-sm" if select else "form-control form-control-sm"
            field.widget.attrs.setdefault("class", css)

    @property
    def qs(self) -> QuerySet[Organisation]:
        queryset = super().qs
        if not getattr(self.form, "cleaned_data", {}).get("include_merged"):
            queryset = queryset.filter(merged_into__isnull=True)
        return queryset

    def filter_include_merged(self, queryset: QuerySet[Organisation], name: str, value: bool) -> QuerySet:
        return queryset

    def filter_q(self, queryset: QuerySet[Organisation], name: str, value: str) -> QuerySet:
        value = value.strip()[:200]
        if not value:
            return queryset
        match = (Q(name__icontains=value) | Q(name_en__icontains=value) | Q(public_id__iexact=value)
                 | Q(ref__iexact=value) | Q(tax_id=value) | Q(city__icontains=value))
        names = Organisation.objects.filter(names__name__icontains=value).values("pk")
        products = Competency.objects.filter(
            Q(description__icontains=value) | Q(description_en__icontains=value)
        ).values("organisation_id")
        return queryset.filter(match | Q(pk__in=names) | Q(pk__in=products))

    def _filter_code(self, queryset: QuerySet[Organisation], scheme: str, value: str) -> QuerySet:
        codes = _code_list(value)
        if not codes:
            return queryset
        condition = Q()
        for code in codes:
            condition |= Q(pk__in=organisations_with_code(scheme, code))
        return queryset.filter(condition)

    def filter_hs(self, queryset: QuerySet[Organisation], name: str, value: str) -> QuerySet:
        return self._filter_code(queryset, "hs", value)

    def filter_nace(self, queryset: QuerySet[Organisation], name: str, value: str) -> QuerySet:
        return self._filter_code(queryset, "nace", value)

    def filter_certification(self, queryset: QuerySet[Organisation], name: str, value: str) -> QuerySet:
        value = value.strip()[:100]
        if not value:
            return queryset
        holders = Competency.objects.filter(certifications__icontains=value).values("organisation_id")
        return queryset.filter(pk__in=holders)


class CompetencyFilterSet(django_filters.FilterSet):
    organisation = django_filters.CharFilter(field_name="organisation__public_id", label=_("Organisation"))
    country = django_filters.CharFilter(field_name="organisation__country_id", label=_("Country"))
    hs = django_filters.CharFilter(method="filter_hs", label=_("HS / TN VED code"), validators=[validate_hs_list])
    nace = django_filters.CharFilter(method="filter_nace", label=_("NACE / OKVED2 code"),
                                     validators=[validate_nace_list])
    certification = django_filters.CharFilter(field_name="certifications", lookup_expr="icontains")

    class Meta:
        model = Competency
        fields = ["organisation", "country", "hs", "nace", "certification"]

    def _codes(self, queryset: QuerySet[Competency], scheme: str, value: str) -> QuerySet:
        condition = Q()
        for raw in _code_list(value):
            code = normalise_hs(raw) if scheme == "hs" else normalise_nace(raw)
            lo, hi = hs_range(code)
            condition |= Q(pk__in=CompetencyCode.objects.filter(scheme=scheme, code__gte=lo, code__lt=hi)
                           .values("competency_id"))
        return queryset.filter(condition) if condition else queryset

    def filter_hs(self, queryset: QuerySet[Competency], name: str, value: str) -> QuerySet:
        return self._codes(queryset, "hs", value)

    def filter_nace(self, queryset: QuerySet[Competency], name: str, value: str) -> QuerySet:
        return self._codes(queryset, "nace", value)


class SiteFilterSet(django_filters.FilterSet):
    organisation = django_filters.CharFilter(field_name="organisation__public_id")

    class Meta:
        model = Site
        fields = ["organisation", "kind", "country"]
