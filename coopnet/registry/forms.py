from django import forms
from django.utils.translation import gettext_lazy as _

from coopnet.core.forms import FieldRulesFormMixin
from coopnet.reference.models import Region

from .models import Competency, Link, Organisation, OrganisationName, Site


class OrganisationForm(FieldRulesFormMixin, forms.ModelForm):
    website = forms.URLField(label=_("website"), max_length=300, required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ["name", "name_en", "legal_form", "kind", "country", "region", "city", "lat", "lon", "tax_id",
                  "employees", "size", "website", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.select_related("country")
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class StyledModelForm(FieldRulesFormMixin, forms.ModelForm):
    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                continue
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class CompetencyForm(StyledModelForm):
    class Meta:
        model = Competency
        fields = ["description", "description_en", "hs_codes", "nace_codes", "capacity_quantity", "capacity_unit",
                  "capacity_period", "certifications", "source"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2}),
                   "description_en": forms.Textarea(attrs={"rows": 2})}


class SiteForm(StyledModelForm):
    class Meta:
        model = Site
        fields = ["kind", "country", "region", "city", "lat", "lon", "partner", "description", "year", "source"]


class LinkForm(StyledModelForm):
    class Meta:
        model = Link
        fields = ["partner", "kind", "description", "year", "source"]


class OrganisationNameForm(StyledModelForm):
    class Meta:
        model = OrganisationName
        fields = ["name", "language", "kind"]


class CompetencyMapForm(forms.Form):
    scheme = forms.ChoiceField(choices=[("hs", _("HS / TN VED")), ("nace", _("NACE / OKVED2"))], initial="hs",
                               label=_("Classification"))
    code = forms.CharField(max_length=13, label=_("Product or activity code"), required=False)
