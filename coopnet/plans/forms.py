from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import StatusReport


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
