"""Forms of the stats app: the statistics import (the same options as `coopnet stats import`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import DatasetFormat

#: Formats a person may upload (the generator and the seed are written by commands only).
UPLOAD_FORMATS = [
    (f.value, f.label)
    for f in (
        DatasetFormat.LONG,
        DatasetFormat.COMTRADE,
        DatasetFormat.YEARBOOK,
        DatasetFormat.SDMX_CSV,
        DatasetFormat.SDMX_ML,
    )
]
#: Yearbook fields a sheet may leave out; the form fills them in (like `--indicator` etc. on the command line).
DEFAULT_FIELDS: tuple[str, ...] = ("indicator", "reporter", "partner", "flow", "unit", "currency", "scale", "source")
#: Largest file accepted by the form (bytes); bigger files go through the command line.
MAX_UPLOAD = 200 * 1024 * 1024


class StatsImportForm(forms.Form):
    file = forms.FileField(label=_("File"))
    format = forms.ChoiceField(label=_("Format"), choices=UPLOAD_FORMATS)
    batch = forms.RegexField(
        label=_("Batch id"),
        regex=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}$",
        required=False,
        help_text=_("Default: the format and the file name. Importing the same batch id again replaces it."),
        error_messages={"invalid": _("Letters, digits, '.', '_' or '-' only (at most 100).")},
    )
    sheet = forms.CharField(label=_("Sheet (yearbook)"), max_length=100, required=False)
    retrieved = forms.DateField(
        label=_("Retrieved on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The date the figures were retrieved (YYYY-MM-DD), kept with every observation."),
    )
    indicator = forms.CharField(label=_("Indicator (yearbook)"), max_length=100, required=False)
    reporter = forms.CharField(label=_("Reporter (yearbook)"), max_length=20, required=False)
    partner = forms.CharField(label=_("Partner (yearbook)"), max_length=20, required=False)
    flow = forms.CharField(label=_("Flow (yearbook)"), max_length=30, required=False)
    unit = forms.CharField(label=_("Unit (yearbook)"), max_length=30, required=False)
    currency = forms.CharField(label=_("Currency (yearbook)"), max_length=10, required=False)
    scale = forms.CharField(label=_("Scale (yearbook)"), max_length=30, required=False)
    source = forms.CharField(label=_("Source (yearbook)"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB; import it with the command line.") % {"mb": MAX_UPLOAD >> 20}
            )
        return upload

    def defaults(self) -> dict[str, str]:
        return {k: str(self.cleaned_data[k]).strip() for k in DEFAULT_FIELDS if self.cleaned_data.get(k)}
