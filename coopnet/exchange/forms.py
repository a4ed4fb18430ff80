from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coopnet.logic.matching import MatchRequestError, parse_request

from .choices import Outcome
from .models import Interest, Opportunity

COUNTRY_CHOICES = [
    ("", "—"),
    ("AM", "AM"),
    ("BY", "BY"),
    ("KG", "KG"),
    ("KZ", "KZ"),
    ("RU", "RU"),
    ("UZ", "UZ"),
    ("CN", "CN"),
    ("VN", "VN"),
    ("RS", "RS"),
    ("IR", "IR"),
    ("MD", "MD"),
    ("CU", "CU"),
]


class SearchForm(forms.Form):
    """The partner search: one text box and filters; validation shared with the API and the CLI."""

    text = forms.CharField(
        label=_("What do you need?"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. нужны тракторные двигатели")}),
    )
    hs = forms.CharField(label=_("HS / TN VED codes"), required=False)
    nace = forms.CharField(label=_("NACE codes"), required=False)
    countries = forms.CharField(label=_("Partner countries"), required=False, help_text=_("e.g. BY, KZ"))
    exclude_countries = forms.CharField(label=_("Exclude countries"), required=False)
    buyer_country = forms.ChoiceField(label=_("Your country"), required=False, choices=COUNTRY_CHOICES)
    quantity = forms.CharField(label=_("Quantity"), required=False)
    certification = forms.CharField(label=_("Certification required"), required=False)
    limit = forms.IntegerField(label=_("Results"), required=False, min_value=1, max_value=100, initial=10)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        params = {k: v for k, v in data.items() if v not in (None, "")}
        if not params:
            return data
        try:
            data["request"] = parse_request(params)
        except MatchRequestError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return data


class OpportunityForm(forms.ModelForm):
    class Meta:
        model = Opportunity
        fields = [
            "kind",
            "direction",
            "title",
            "description",
            "hs_codes",
            "nace_codes",
            "quantity",
            "unit",
            "certifications",
            "countries_wanted",
            "countries_excluded",
            "part_name",
            "drawing_ref",
            "material",
            "tolerances",
            "deadline",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "deadline": forms.DateInput(attrs={"type": "date"}),
        }


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve and publish")), ("changes", _("Ask for changes")), ("reject", _("Reject"))],
        label=_("Decision"),
    )
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") in ("changes", "reject") and not (data.get("reason") or "").strip():
            raise forms.ValidationError(_("Give a reason when asking for changes or rejecting."))
        return data


class InterestForm(forms.ModelForm):
    class Meta:
        model = Interest
        fields = ["message", "anonymous", "brokered"]
        widgets = {"message": forms.Textarea(attrs={"rows": 3})}


class AnswerForm(forms.Form):
    accept = forms.TypedChoiceField(
        choices=[("1", _("Accept: share contacts")), ("0", _("Decline"))], coerce=lambda v: v == "1", label=_("Answer")
    )
    reply = forms.CharField(label=_("Message"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=Outcome.choices, label=_("Outcome"), widget=forms.Select(attrs={"class": "form-select form-select-sm"})
    )
    partner = forms.ChoiceField(
        choices=[],
        required=False,
        label=_("Agreement partner"),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.TextInput(attrs={"class": "form-control form-control-sm"})
    )

    def __init__(self, *args: Any, partners: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [("", "—"), *(partners or [])]


class ConsortiumForm(forms.Form):
    lines = forms.CharField(
        label=_("Component lines"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One per line: text, or hs:8408, or nace:29.32."),
    )
    bom = forms.FileField(label=_("or a BOM CSV file (component, hs, nace, quantity)"), required=False)
    min_countries = forms.IntegerField(label=_("Member states at least"), min_value=1, max_value=5, initial=3)
    exclude_countries = forms.CharField(label=_("Exclude countries"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("lines") or "").strip() and not data.get("bom"):
            raise forms.ValidationError(_("Give component lines or a BOM file."))
        return data
