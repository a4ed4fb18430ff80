"""Web pages: the public eligibility checker, applications, the Commission's queue, budget, register."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_tables2 import RequestConfig

from coopnet.accounts.roles import has_role, profile_of
from coopnet.logic.financing import contract, monitoring
from coopnet.registry.models import Organisation

from . import charts, services
from .choices import Decision, FlowKind, Stage
from .filtersets import ApplicationFilterSet
from .forms import ApplicationForm, CheckForm, MonitoringReportForm, TransitionForm, document_json
from .models import (
    Application,
    ApplicationDocument,
    ApplicationParticipant,
    BaseRate,
    BudgetEnvelope,
    LoanFlow,
)
from .tables import ApplicationTable, RegisterTable

#: criteria that need no loan terms (shown alone when a project's loan is not public)
PROJECT_CRITERIA = ("member_states", "industry")

EXAMPLE = {
    "title": "Rail transport components",
    "industry": "machine-building",
    "application_date": "2025-03-01",
    "start": "2025-03-01",
    "completion": "2029-12-31",
    "participants": [
        {"name": "NPO Voyage", "country": "RU", "role": "lead"},
        {"name": "Metallstroy", "country": "AM", "role": "supplier"},
        {"name": "Rukhservomotor", "country": "BY", "role": "supplier"},
    ],
    "loan": {"lender": "Sberbank", "lender_country": "RU", "currency": "RUB", "rate": 25.0,
             "drawdowns": [{"date": "2025-03-01", "amount": 1000000000}],
             "repayments": [{"date": "2027-03-01", "amount": 500000000}]},
}


@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    """Anyone, without an account: is a project eligible, and what subsidy would it get?"""
    result = None
    chart = None
    document = None
    if request.method == "POST":
        form = CheckForm(request.POST)
        if form.is_valid():
            document = form.cleaned_data["document"]
            try:
                result = services.check_payload(document)
            except contract.ContractError as exc:
                form.add_error(form.field_for(exc.field), str(exc))
            else:
                chart = charts.schedule_chart(result)
    else:
        form = CheckForm(initial={"payload": json.dumps(EXAMPLE, ensure_ascii=False, indent=2)})
    return render(request, "financing/check.html", {
        "form": form, "result": result, "chart": chart,
        "document": document_json(document) if document and result else "",
    })


def _visible(request: HttpRequest) -> Any:
    return Application.objects.restrict(request.user, "view")


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    qs = _visible(request).select_related("bank", "industry")
    filterset = ApplicationFilterSet(request.GET or None, queryset=qs)
    table = ApplicationTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(request, "financing/application_list.html", {
        "filter": filterset, "table": table, "can_submit": has_role(request.user, "bank"),
    })


def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visible = _visible(request).filter(pk=pk).first()
    app = visible or get_object_or_404(Application.objects.approved(), pk=pk)
    evaluation = services.evaluate(app)
    decisions = [(m.decision, Decision(m.decision).label) for m in services.available_decisions(app, request.user)]
    flags: list[monitoring.Flag] = []
    reports = list(app.reports.all())
    if app.stage == Stage.APPROVED:
        flags = _flags(app, reports, evaluation)
    can_report = visible is not None and app.stage == Stage.APPROVED and (
        has_role(request.user, "commission") or _is_own_bank(request.user, app)
    )
    loan_known = app.flows.exists()
    criteria = evaluation.criteria if loan_known else [c for c in evaluation.criteria if c.code in PROJECT_CRITERIA]
    return render(request, "financing/application_detail.html", {
        "app": app,
        "full": visible is not None,
        "evaluation": evaluation,
        "criteria": criteria,
        "loan_known": loan_known,
        "chart": charts.evaluation_chart(evaluation) if evaluation.schedule else None,
        "transitions": app.transitions.select_related("actor"),
        "transition_form": TransitionForm(decisions=decisions) if decisions else None,
        "reports": reports,
        "flags": flags,
        "report_form": MonitoringReportForm() if can_report else None,
        "shortfalls": services.budget_shortfalls(evaluation, exclude=app)
        if app.stage == Stage.COUNCIL_DECISION and evaluation.schedule else [],
        "unbudgeted": services.unbudgeted_years(evaluation)
        if app.stage == Stage.COUNCIL_DECISION and evaluation.schedule else [],
    })


@require_GET
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    """An application's document, for those who may see the application in full (its bank, its participants,
    the Commission, administrators) and for no one else (404). Always a download of opaque bytes, whatever the
    file holds: an HTML file must not run as a page of our origin."""
    document = get_object_or_404(ApplicationDocument.objects.exclude(file=""), pk=pk,
                                 application__in=_visible(request).values("pk"))
    response = FileResponse(document.file.open("rb"), as_attachment=True, filename=document.filename,
                            content_type="application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def _flags(app: Application, reports: list[Any], evaluation: services.Evaluation) -> list[monitoring.Flag]:
    plan = monitoring.Figures(
        output=app.planned_output_rub, jobs=Decimal(app.planned_jobs) if app.planned_jobs else None,
        mutual_supplies=app.planned_mutual_supplies_rub, taxes=app.planned_taxes_rub,
    )
    scheduled = evaluation.by_year_rub()
    flags: list[monitoring.Flag] = []
    for report in reports:
        actual = monitoring.Figures(
            output=report.output_rub, jobs=Decimal(report.jobs) if report.jobs is not None else None,
            mutual_supplies=report.mutual_supplies_rub, taxes=report.taxes_rub, subsidy_paid=report.subsidy_paid,
        )
        flags += monitoring.compare(report.year, plan, actual, scheduled.get(report.year))
    approved_year = app.stage_changed.year
    years = [y for y in scheduled if y >= approved_year] or [approved_year]
    flags += monitoring.overdue(years, [r.year for r in reports], timezone.localdate())
    return flags


def _is_own_bank(user: Any, app: Application) -> bool:
    profile = profile_of(user)
    return has_role(user, "bank") and profile is not None and profile.organisation_id == app.bank_id


@require_POST
@login_required
def application_transition(request: HttpRequest, pk: int) -> HttpResponse:
    app = get_object_or_404(_visible(request), pk=pk)
    decision = request.POST.get("decision", "")
    reason = request.POST.get("reason", "")
    try:
        record = services.transition(app, request.user, decision, reason)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(app.get_absolute_url(), status=303)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Decision recorded: %(d)s → %(s)s.") % {
            "d": record.get_decision_display(), "s": record.get_to_stage_display()})
    return HttpResponseRedirect(app.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def application_create(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, "bank"):
        raise PermissionDenied(_("Only an authorised bank submits an application."))
    profile = profile_of(request.user)
    bank = profile.organisation if profile is not None else None
    if request.method == "POST":
        form = ApplicationForm(request.POST, request.FILES)
        if form.is_valid():
            with transaction.atomic():
                app = form.save(commit=False)
                app.bank = bank
                app.submitted_by = request.user
                app.stage = Stage.SUBMITTED
                app.save()
                for row in form.cleaned_data["participants_text"]:
                    org = Organisation.objects.filter(name__iexact=row["name"], country_id=row["country"]).first()
                    ApplicationParticipant.objects.create(application=app, organisation=org, name=row["name"],
                                                          country_id=row["country"], role=row["role"])
                for kind, key in ((FlowKind.DRAWDOWN, "drawdowns_text"), (FlowKind.REPAYMENT, "repayments_text")):
                    for day, amount in form.cleaned_data[key]:
                        LoanFlow.objects.create(application=app, kind=kind, date=day, amount=amount)
                data = form.cleaned_data
                if data.get("document_file") or data.get("document_url"):
                    ApplicationDocument.objects.create(
                        application=app, title=data.get("document_title") or _("Application documents"),
                        file=data.get("document_file") or "", url=data.get("document_url") or "")
                services.record_submission(app, request.user)
            messages.success(request, _("Application %(ref)s submitted.") % {"ref": app.reference})
            return HttpResponseRedirect(app.get_absolute_url())
    else:
        form = ApplicationForm(initial={"lender_name": bank.name if bank else "", "currency": "RUB"})
    return render(request, "financing/application_form.html", {"form": form, "bank": bank})


@require_POST
@login_required
def report_create(request: HttpRequest, pk: int) -> HttpResponse:
    app = get_object_or_404(_visible(request), pk=pk, stage=Stage.APPROVED)
    if not (_is_own_bank(request.user, app) or has_role(request.user, "commission")):
        raise PermissionDenied(_("Only the lending bank or the Commission reports on a project."))
    form = MonitoringReportForm(request.POST)
    if form.is_valid():
        report = form.save(commit=False)
        if app.reports.filter(year=report.year).exists():
            messages.error(request, _("A report for %(y)s already exists.") % {"y": report.year})
        else:
            report.application = app
            report.submitted_by = request.user
            report.save()
            messages.success(request, _("Report for %(y)s recorded.") % {"y": report.year})
    else:
        messages.error(request, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
    return HttpResponseRedirect(app.get_absolute_url())


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The Commission's work: open applications grouped by stage, oldest first."""
    if not has_role(request.user, "commission"):
        raise PermissionDenied(_("The queue is the Commission's."))
    open_apps = Application.objects.restrict(request.user).filter(
        stage__in=[Stage.SUBMITTED, Stage.PRIMARY_EXPERTISE, Stage.CONSULTATIVE_COMMITTEE, Stage.COUNCIL_DECISION]
    ).select_related("bank", "industry").order_by("stage_changed")
    columns = [(stage, [a for a in open_apps if a.stage == stage]) for stage in
               (Stage.SUBMITTED, Stage.PRIMARY_EXPERTISE, Stage.CONSULTATIVE_COMMITTEE, Stage.COUNCIL_DECISION)]
    counts = dict(Application.objects.values_list("stage").annotate(n=Count("pk")))
    return render(request, "financing/queue.html", {
        "columns": [(s, Stage(s).label, apps) for s, apps in columns], "counts": counts,
    })


def budget(request: HttpRequest) -> HttpResponse:
    envelopes = list(BudgetEnvelope.objects.all())
    rows = [{"year": e.year, "revenue": e.duties_revenue_rub, "share": e.share_pct, "amount": e.amount,
             "committed": e.committed, "remaining": e.remaining, "source": e.source} for e in envelopes]
    return render(request, "financing/budget.html", {"rows": rows, "chart": charts.budget_chart(rows)})


def register(request: HttpRequest) -> HttpResponse:
    qs = Application.objects.approved().select_related("industry").prefetch_related("participants")
    table = RegisterTable(qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "financing/register.html", {"table": table})


def rates(request: HttpRequest) -> HttpResponse:
    rows = BaseRate.objects.select_related("country").order_by("country_id", "date")
    by_country: dict[str, list[BaseRate]] = {}
    for row in rows:
        by_country.setdefault(row.country_id, []).append(row)
    return render(request, "financing/rates.html", {
        "by_country": by_country, "chart": charts.rates_chart(by_country),
        "api": reverse("financing-baserate-list"),
    })
