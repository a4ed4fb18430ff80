from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopnet.core.querysets import VIEW
from coopnet.reference.models import Country

from .models import ControlPoint, Direction, Document, DocumentLink, Measure, ResponsibleBody, StatusReport, own_country


class StatusReportForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = StatusReport
        fields = ("date", "status", "evidence")
        widgets = {
            "date": forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}),
            "status": forms.Select(attrs={"class": "form-select form-select-sm"}),
            "evidence": forms.Textarea(attrs={"rows": 3, "class": "form-control form-control-sm"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()

    def clean_date(self) -> Any:
        value = self.cleaned_data["date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("A report cannot be dated in the future."))
        return value


class CompareForm(forms.Form):
    previous = forms.IntegerField(label=_("Previous document"))
    current = forms.IntegerField(label=_("Current document"))


# --- editing documents, directions and measures -------------------------------------------------------------

def _style(form: forms.BaseForm) -> None:
    """Bootstrap classes on every widget (checkbox lists and checkboxes keep their own look)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            continue
        css = "form-select form-select-sm" if isinstance(widget, forms.Select) else "form-control form-control-sm"
        widget.attrs.setdefault("class", css)


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def visible_projects(user: Any) -> Any:
    """Joint projects a user may link and see: those the financing app shows them, and every approved one."""
    from coopnet.financing.models import Application

    visible = Application.objects.restrict(user, VIEW).values("pk")
    return Application.objects.filter(Q(pk__in=visible) | Q(pk__in=Application.objects.approved().values("pk")))


class DocumentForm(forms.ModelForm):  # type: ignore[type-arg]
    url = forms.URLField(label=_("link to the text"), max_length=500, required=False, assume_scheme="https")

    class Meta:
        model = Document
        fields = ("kind", "title", "title_en", "short_title", "number", "issuing_body", "parties", "other_parties",
                  "signed", "in_force", "period_start", "period_end", "reporting_period_months", "url", "summary",
                  "declared_measures", "declared_done_share", "declared_as_of")
        widgets = {
            "parties": forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
            "signed": DATE, "in_force": DATE, "period_start": DATE, "period_end": DATE, "declared_as_of": DATE,
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.own_country = own_country(user)
        rank = Case(*(When(status=s, then=Value(i)) for i, s in enumerate(("member", "observer", "partner"))),
                    default=Value(9))
        self.fields["parties"].queryset = Country.objects.annotate(rank=rank).order_by("rank", "code")
        self.fields["parties"].label_from_instance = lambda c: f"{c.code} · {c.name}"
        _style(self)

    def clean_parties(self) -> Any:
        parties = self.cleaned_data["parties"]
        if self.own_country and self.own_country not in {c.code for c in parties}:
            raise forms.ValidationError(
                _("Your country (%(country)s) must stay a party, or you could no longer edit the document."),
                params={"country": self.own_country})
        return parties


class DocumentLinkForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = DocumentLink
        fields = ("kind", "to_document")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = Document.objects.order_by("title")
        if self.instance.from_document_id:
            others = others.exclude(pk=self.instance.from_document_id)
        self.fields["to_document"].queryset = others
        _style(self)
        self.fields["kind"].widget.attrs["style"] = "min-width: 9rem"


class BaseLinkFormSet(forms.BaseInlineFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        super().clean()
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            target = form.cleaned_data.get("to_document")
            if target is not None and self.instance.pk and target.pk == self.instance.pk:
                form.add_error("to_document", _("A document cannot be linked to itself."))
            key = (form.cleaned_data.get("kind"), target)
            if key in seen:
                form.add_error("to_document", _("This link is listed twice."))
            seen.add(key)


LinkFormSet = forms.inlineformset_factory(Document, DocumentLink, form=DocumentLinkForm, formset=BaseLinkFormSet,
                                          fk_name="from_document", extra=1, can_delete=True)


class DirectionForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Direction
        fields = ("number", "title", "title_en", "order")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


DirectionFormSet = forms.inlineformset_factory(Document, Direction, form=DirectionForm, extra=2, can_delete=True)


class MeasureForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Measure
        fields = ("number", "direction", "parent", "text", "text_en", "deadline", "expected_result", "indicator",
                  "risk_assessment", "projects", "linked_projects", "order")
        widgets = {
            "deadline": DATE,
            "text": forms.Textarea(attrs={"rows": 3}), "text_en": forms.Textarea(attrs={"rows": 2}),
            "expected_result": forms.Textarea(attrs={"rows": 2}), "indicator": forms.Textarea(attrs={"rows": 2}),
            "risk_assessment": forms.Textarea(attrs={"rows": 2}), "linked_projects": forms.Textarea(attrs={"rows": 2}),
            "projects": forms.SelectMultiple(attrs={"size": 6}),
        }
        labels = {"linked_projects": _("Other projects (not in the financing register)")}

    def __init__(self, *args: Any, document: Document, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.document = document
        self.instance.document = document
        self.fields["direction"].queryset = document.directions.all()
        parents = document.measures.all()
        if self.instance.pk:
            parents = parents.exclude(pk__in=[self.instance.pk, *self._descendants(self.instance)])
        self.fields["parent"].queryset = parents
        projects = visible_projects(user)
        if self.instance.pk:  # links made by someone who could see more stay possible to keep
            projects = projects | self.instance.projects.all()
        self.fields["projects"].queryset = projects.distinct().order_by("-application_date", "pk")
        _style(self)

    @staticmethod
    def _descendants(measure: Measure) -> list[int]:
        out, todo = [], [measure.pk]
        while todo:
            children = list(Measure.objects.filter(parent__in=todo).values_list("pk", flat=True))
            out += children
            todo = children
        return out

    def clean_number(self) -> str:
        number = self.cleaned_data["number"].strip()
        taken = self.document.measures.filter(number=number).exclude(pk=self.instance.pk or 0)
        if number and taken.exists():
            raise forms.ValidationError(_("This document already has a measure %(number)s."),
                                        params={"number": number})
        return number


class ResponsibleBodyForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ResponsibleBody
        fields = ("side", "body")

    def __init__(self, *args: Any, sides: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = list(sides or [])
        current = self.instance.side if self.instance.pk else ""
        if current and current not in {c for c, _label in choices}:
            choices.append((current, current))
        self.fields["side"] = forms.ChoiceField(label=_("side"), choices=[("", "—"), *choices],
                                                required=True)
        _style(self)


ResponsibleFormSet = forms.inlineformset_factory(Measure, ResponsibleBody, form=ResponsibleBodyForm, extra=2,
                                                 can_delete=True)


class ControlPointForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ControlPoint
        fields = ("date", "description")
        widgets = {"date": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


ControlPointFormSet = forms.inlineformset_factory(Measure, ControlPoint, form=ControlPointForm, extra=2,
                                                  can_delete=True)


def sides_of(document: Document) -> list[tuple[str, str]]:
    """The choices of a responsible body's side: the document's parties."""
    return [(c.code, f"{c.code} · {c.name}") for c in document.parties.order_by("code")]
