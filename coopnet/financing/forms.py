"""Forms: the public eligibility checker, a bank's application, a stage decision, a monitoring report."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coopnet.logic.financing import contract
from coopnet.logic.financing.project import PARTICIPANT_ROLES
from coopnet.logic.financing.rules import MEMBER_STATES

from .choices import Currency
from .models import Application, Industry, MonitoringReport

LINES_HELP = {
    "participants": _("One per line: name; country code; role (lead, supplier, buyer, investor, partner)."),
    "drawdowns": _("One per line: date (YYYY-MM-DD); amount in the loan currency."),
    "repayments": _("One per line: date (YYYY-MM-DD); amount in the loan currency."),
    "base_rates": _("Optional scenario, one per line: date; rate in %. Replaces the stored history."),
}


def style(form: forms.BaseForm) -> None:
    """Bootstrap classes on every widget."""
    for field in form.fields.values():
        widget = field.widget
        css = "form-select form-select-sm" if isinstance(widget, forms.Select) else "form-control form-control-sm"
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def split_lines(text: str, field: str, width: int) -> list[list[str]]:
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(";")]
        if len(parts) < width - (1 if field == "participants" else 0) or len(parts) > width:
            raise forms.ValidationError(
                _("Line %(n)s: expected %(w)s values separated by ';': %(line)s"),
                params={"n": number, "w": width, "line": line.strip()},
            )
        rows.append(parts)
    return rows


def number(value: str) -> Decimal | str:
    """A number typed by a person ('1 000 000,50' too); the text itself when it is not one, so the
    contract's message names the field and the value."""
    cleaned = value.replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        return value


def flows(text: str, field: str) -> list[dict[str, Any]]:
    return [{"date": d, "amount": number(a)} for d, a in split_lines(text, field, 2)]


class CheckForm(forms.Form):
    """Either a pasted project file (JSON) or the same facts field by field."""

    payload = forms.CharField(label=_("Project file (JSON)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 8, "class": "font-monospace"}),
                              help_text=_("Paste a file in the `coopnet projects check` format, or fill "
                                          "in the fields below."))
    title = forms.CharField(label=_("Project title"), required=False, max_length=500)
    industry = forms.ChoiceField(label=_("Industry"), required=False)
    application_date = forms.DateField(label=_("Application date"), required=False,
                                       widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.DateField(label=_("Start"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    completion = forms.DateField(label=_("Completion"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    participants = forms.CharField(label=_("Participants"), required=False, help_text=LINES_HELP["participants"],
                                   widget=forms.Textarea(attrs={"rows": 4}))
    lender = forms.CharField(label=_("Lender"), required=False, max_length=300)
    lender_country = forms.ChoiceField(label=_("Lender's country"), required=False,
                                       choices=[(c, c) for c in MEMBER_STATES], initial="RU")
    currency = forms.ChoiceField(label=_("Loan currency"), required=False, choices=Currency.choices,
                                 initial=Currency.RUB)
    rate = forms.DecimalField(label=_("Borrower's rate, % a year"), required=False)
    drawdowns = forms.CharField(label=_("Drawdowns"), required=False, help_text=LINES_HELP["drawdowns"],
                                widget=forms.Textarea(attrs={"rows": 3}))
    repayments = forms.CharField(label=_("Repayments"), required=False, help_text=LINES_HELP["repayments"],
                                 widget=forms.Textarea(attrs={"rows": 3}))
    base_rates = forms.CharField(label=_("Base-rate scenario"), required=False, help_text=LINES_HELP["base_rates"],
                                 widget=forms.Textarea(attrs={"rows": 3}))
    fx_rub = forms.DecimalField(label=_("RUB per unit of the loan currency"), required=False,
                                help_text=_("Needed for a loan not in roubles (for the cap)."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["industry"].choices = [("", "—")] + [(i.code, str(i)) for i in Industry.objects.all()]
        style(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        text = (data.get("payload") or "").strip()
        if text:
            try:
                data["document"] = contract.loads(text)
            except contract.ContractError as exc:
                raise forms.ValidationError(str(exc)) from None
            return data
        document: dict[str, Any] = {}
        for key in ("title", "industry", "application_date", "start", "completion"):
            value = data.get(key)
            if value:
                document[key] = value.isoformat() if isinstance(value, date) else value
        try:
            document["participants"] = [
                {"name": row[0], "country": row[1], **({"role": row[2]} if len(row) > 2 and row[2] else {})}
                for row in split_lines(data.get("participants") or "", "participants", 3)
            ]
        except forms.ValidationError as exc:
            self.add_error("participants", exc)
        loan: dict[str, Any] = {"lender": data.get("lender") or None, "lender_country": data.get("lender_country"),
                                "currency": data.get("currency") or None, "rate": data.get("rate")}
        for key in ("drawdowns", "repayments"):
            try:
                loan[key] = flows(data.get(key) or "", key)
            except forms.ValidationError as exc:
                self.add_error(key, exc)
        document["loan"] = loan
        try:
            scenario = [{"date": d, "rate": number(r)} for d, r in split_lines(data.get("base_rates") or "",
                                                                               "base_rates", 2)]
            if scenario:
                document["base_rates"] = scenario
        except forms.ValidationError as exc:
            self.add_error("base_rates", exc)
        if data.get("fx_rub") is not None:
            document["fx_rub"] = data["fx_rub"]
        data["document"] = document
        return data

    def field_for(self, path: str) -> str | None:
        """The form field a contract error's path points to (``loan.drawdowns[0].date`` -> drawdowns)."""
        if (self.cleaned_data.get("payload") or "").strip():
            return "payload"
        head = path.split(".")[1] if path.startswith("loan.") else path
        head = head.split("[")[0].split(".")[0]
        return {"lender": "lender", "rate": "rate"}.get(head, head) if head in self.fields else None


def document_json(document: dict[str, Any]) -> str:
    return json.dumps(document, default=str, ensure_ascii=False, indent=2)


class ApplicationForm(forms.ModelForm):
    """A bank's application: the project, its participants and the loan schedule."""

    participants_text = forms.CharField(label=_("Participants"), help_text=LINES_HELP["participants"],
                                        widget=forms.Textarea(attrs={"rows": 4}))
    drawdowns_text = forms.CharField(label=_("Drawdowns"), help_text=LINES_HELP["drawdowns"],
                                     widget=forms.Textarea(attrs={"rows": 3}))
    repayments_text = forms.CharField(label=_("Repayments"), help_text=LINES_HELP["repayments"], required=False,
                                      widget=forms.Textarea(attrs={"rows": 3}))
    document_title = forms.CharField(label=_("Document title"), required=False, max_length=300)
    document_file = forms.FileField(label=_("Document file"), required=False)
    document_url = forms.URLField(label=_("Document link"), required=False, assume_scheme="https")

    class Meta:
        model = Application
        fields = [
            "title", "description", "industry", "lender_name", "lender_country", "currency", "loan_rate",
            "fx_rub", "cost_rub", "partner_supply_share", "application_date", "start", "completion", "maturity",
            "planned_output_rub", "planned_jobs", "planned_mutual_supplies_rub", "planned_taxes_rub",
        ]
        widgets = {
            "application_date": forms.DateInput(attrs={"type": "date"}),
            "start": forms.DateInput(attrs={"type": "date"}),
            "completion": forms.DateInput(attrs={"type": "date"}),
            "maturity": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)

    def clean_participants_text(self) -> list[dict[str, str]]:
        rows = split_lines(self.cleaned_data["participants_text"], "participants", 3)
        result = []
        for name, country, *rest in rows:
            role = (rest[0] if rest else "partner").lower() or "partner"
            if role not in PARTICIPANT_ROLES:
                raise forms.ValidationError(_("Unknown role %(role)s for %(name)s."),
                                            params={"role": role, "name": name})
            result.append({"name": name, "country": country.upper(), "role": role})
        if not result:
            raise forms.ValidationError(_("Name at least one participant."))
        return result

    def _flows(self, key: str) -> list[tuple[date, Decimal]]:
        result = []
        for day, amount in split_lines(self.cleaned_data.get(key) or "", key, 2):
            try:
                parsed = date.fromisoformat(day)
            except ValueError:
                raise forms.ValidationError(_("Not a date (YYYY-MM-DD): %(v)s"), params={"v": day}) from None
            value = number(amount)
            if not isinstance(value, Decimal) or value <= 0:
                raise forms.ValidationError(_("Not a positive amount: %(v)s"), params={"v": amount})
            result.append((parsed, value))
        return result

    def clean_drawdowns_text(self) -> list[tuple[date, Decimal]]:
        rows = self._flows("drawdowns_text")
        if not rows:
            raise forms.ValidationError(_("Give at least one drawdown."))
        return rows

    def clean_repayments_text(self) -> list[tuple[date, Decimal]]:
        return self._flows("repayments_text")


class TransitionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"))
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, decisions: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = decisions or []
        style(self)


class MonitoringReportForm(forms.ModelForm):
    class Meta:
        model = MonitoringReport
        fields = ["year", "subsidy_paid", "output_rub", "jobs", "mutual_supplies_rub", "taxes_rub", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)
