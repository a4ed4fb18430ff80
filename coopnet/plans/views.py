"""Plans pages: the register, a document with its measures and flags, a measure with its reports,
plan-versus-plan comparison, the dashboard of flags across plans, and exports."""
from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from coopnet.accounts.roles import public_label
from coopnet.core.mixins import RestrictedQuerysetMixin
from coopnet.core.querysets import CHANGE
from coopnet.logic.plans.model import FLAG_CODES

from . import exports
from .adapter import check_document, compare_documents, today
from .choices import FLAG_LABELS, PLAN_KINDS, LinkKind
from .filtersets import DocumentFilterSet
from .forms import (
    ControlPointFormSet,
    DirectionFormSet,
    DocumentForm,
    LinkFormSet,
    MeasureForm,
    ResponsibleFormSet,
    StatusReportForm,
    sides_of,
    visible_projects,
)
from .models import Direction, Document, DocumentLink, Measure, StatusReport, may_create_documents
from .tables import DocumentTable


def _as_of(request: HttpRequest) -> date:
    raw = request.GET.get("as_of", "")
    try:
        return date.fromisoformat(raw) if raw else today()
    except ValueError:
        return today()


class RegisterView(RestrictedQuerysetMixin, SingleTableMixin, FilterView):
    model = Document
    table_class = DocumentTable
    filterset_class = DocumentFilterSet
    template_name = "plans/register.html"
    paginate_by = 50

    def get_queryset(self) -> Any:
        return (super().get_queryset().annotate(n_measures=Count("measures")).prefetch_related("parties")
                .order_by("-period_start", "-signed", "title", "pk"))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "can_add": may_create_documents(self.request.user)}


def _tree(check: Any) -> list[dict[str, Any]]:
    """Directions with their measures (sub-measures under their parent), each with its flags."""
    by_parent: dict[int | None, list[Measure]] = {}
    for m in check.measures:
        by_parent.setdefault(m.parent_id, []).append(m)

    def node(m: Measure) -> dict[str, Any]:
        flags = [{"code": f.code, "label": FLAG_LABELS.get(f.code, f.code), "message": f.message}
                 for f in check.by_measure.get(m.number, [])]
        return {"measure": m, "flags": flags, "children": [node(c) for c in by_parent.get(m.pk, [])]}

    groups: dict[Any, dict[str, Any]] = {}
    for d in check.document.directions.all():
        groups[d.pk] = {"direction": d, "items": []}
    loose: list[dict[str, Any]] = []
    for m in by_parent.get(None, []):
        (groups[m.direction_id]["items"] if m.direction_id in groups else loose).append(node(m))
    out = list(groups.values())
    if loose:
        out.append({"direction": None, "items": loose})
    return out


def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    doc = get_object_or_404(Document.objects.restrict(request.user).prefetch_related("parties", "directions"),
                            pk=pk)
    check = check_document(doc, _as_of(request))
    rate = check.rate()
    chart = {
        "timeline": check.timeline(),
        "directions": check.rates("direction"),
    }
    links = list(doc.links_out.select_related("to_document")) + list(doc.links_in.select_related("from_document"))
    return render(request, "plans/document_detail.html", {
        "doc": doc, "check": check, "tree": _tree(check), "summary": check.summary, "rate": rate,
        "rates_by_side": check.rates("side"), "rates_by_body": check.rates("body"), "chart": chart, "links": links,
        "previous": doc.previous_document(), "flag_labels": FLAG_LABELS, "as_of": check.plan.as_of,
        "can_change": Document.objects.restrict(request.user, CHANGE).filter(pk=doc.pk).exists(),
    })


def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    measure = get_object_or_404(Measure.objects.restrict(request.user).select_related("document", "direction",
                                                                                      "parent"), pk=pk)
    can_report = Measure.objects.restrict(request.user, CHANGE).filter(pk=measure.pk).exists()
    form = StatusReportForm()
    if request.method == "POST":
        if not can_report:
            raise PermissionDenied(_("You may not report on this measure."))
        form = StatusReportForm(request.POST)
        if form.is_valid():
            report: StatusReport = form.save(commit=False)
            report.measure = measure
            report.author = request.user
            report.author_name = public_label(request.user)
            report.save()
            messages.success(request, _("Report added."))
            return redirect(measure.get_absolute_url())
    check = check_document(measure.document, _as_of(request))
    flags = [{"code": f.code, "label": FLAG_LABELS.get(f.code, f.code), "message": f.message, **f.details}
             for f in check.by_measure.get(measure.number, [])]
    linked = list(measure.projects.order_by("-application_date", "pk"))
    shown = set(visible_projects(request.user).filter(pk__in=[p.pk for p in linked]).values_list("pk", flat=True))
    return render(request, "plans/measure_detail.html", {
        "measure": measure, "doc": measure.document, "flags": flags, "form": form, "can_report": can_report,
        "projects": [p for p in linked if p.pk in shown], "hidden_projects": len(linked) - len(shown),
        "reports": measure.reports.select_related("author").order_by("-date", "-pk"),
        "responsible": measure.responsible.all(), "control_points": measure.control_points.all(),
        "rate": check.rate(),
    })


def compare_view(request: HttpRequest) -> HttpResponse:
    docs = Document.objects.restrict(request.user)
    current_id, previous_id = request.GET.get("current"), request.GET.get("previous")
    result = current = previous = None
    if current_id and current_id.isdigit():
        current = docs.filter(pk=int(current_id)).first()
        if current and not (previous_id and previous_id.isdigit()):
            previous = current.previous_document()
        elif previous_id and previous_id.isdigit():
            previous = docs.filter(pk=int(previous_id)).first()
    if current and previous:
        result = compare_documents(previous, current)
    pairs = [(link.from_document, link.to_document) for link in
             DocumentLink.objects.filter(kind=LinkKind.REPLACES).select_related("from_document", "to_document")]
    return render(request, "plans/compare.html", {
        "current": current, "previous": previous, "result": result, "pairs": pairs,
        "documents": docs.annotate(n=Count("measures")).filter(n__gt=0).order_by("title"),
    })


def dashboard(request: HttpRequest) -> HttpResponse:
    as_of = _as_of(request)
    code = request.GET.get("code", "")
    if code and code not in FLAG_CODES:
        raise Http404(_("Unknown flag."))
    docs = (Document.objects.restrict(request.user).filter(kind__in=PLAN_KINDS)
            .annotate(n=Count("measures")).filter(n__gt=0).prefetch_related("parties", "directions"))
    rows, totals, listed = [], dict.fromkeys(FLAG_CODES, 0), []
    measures_total = flagged_total = 0
    for doc in docs:
        check = check_document(doc, as_of)
        s = check.summary
        measures_total += s["measures"]
        flagged_total += s["measures_flagged"]
        for c, n in s["flags_by_code"].items():
            totals[c] += n
        rows.append({"doc": doc, "summary": s, "counts": [s["flags_by_code"][c] for c in FLAG_CODES],
                     "rate": check.rate()})
        if code:
            by_number = {m.number: m for m in check.measures}
            listed += [{"doc": doc, "measure": by_number[f.measure], "flag": f} for f in check.flags
                       if f.code == code and f.measure in by_number]
    return render(request, "plans/dashboard.html", {
        "rows": rows, "codes": [(c, FLAG_LABELS[c]) for c in FLAG_CODES], "totals": [totals[c] for c in FLAG_CODES],
        "code": code, "code_label": FLAG_LABELS.get(code, ""), "listed": listed, "as_of": as_of,
        "measures_total": measures_total, "flagged_total": flagged_total,
    })


def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    doc = get_object_or_404(Document.objects.restrict(request.user), pk=pk)
    check = check_document(doc, _as_of(request))
    name = f"plan-{doc.pk}-{check.plan.as_of.isoformat()}"
    if fmt == "xlsx":
        resp = HttpResponse(exports.to_xlsx(check),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    elif fmt == "pdf":
        try:
            resp = HttpResponse(exports.to_pdf(check), content_type="application/pdf")
        except exports.FontMissing as exc:
            return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    elif fmt == "json":
        resp = HttpResponse(json.dumps(check.as_json(), ensure_ascii=False, indent=1),
                            content_type="application/json")
    else:
        raise Http404(_("Unknown export format."))
    resp["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return resp


# --- editing ------------------------------------------------------------------------------------------------

def _changeable_document(request: HttpRequest, pk: int) -> Document:
    """The document if the user may change it; a 404 otherwise, as for any object outside one's scope."""
    if not request.user.is_authenticated:
        raise PermissionDenied(_("Log in to edit documents."))
    return get_object_or_404(Document.objects.restrict(request.user, CHANGE), pk=pk)


def _flag_codes(check: Any, number: str | None = None) -> set[str]:
    flags = check.flags if number is None else check.by_measure.get(number, [])
    return {f.code for f in flags}


def _report_flag_change(request: HttpRequest, before: set[str], after: set[str]) -> None:
    """Tell the user which quality flags the edit cleared and which it raised."""
    cleared = [str(FLAG_LABELS.get(c, c)) for c in sorted(before - after)]
    raised = [str(FLAG_LABELS.get(c, c)) for c in sorted(after - before)]
    if cleared:
        messages.info(request, _("Flags cleared: %(flags)s.") % {"flags": ", ".join(cleared)})
    if raised:
        messages.warning(request, _("Flags raised: %(flags)s.") % {"flags": ", ".join(raised)})


@login_required
def document_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create or edit a document: its fields, its parties and periods, and its links to other documents."""
    if pk is None:
        if not may_create_documents(request.user):
            raise PermissionDenied(_("You may not add documents."))
        doc = Document()
    else:
        doc = _changeable_document(request, pk)
    # Counted before the form writes the posted values into `doc`.
    before = len(check_document(doc).flags) if pk and request.method == "POST" else 0
    form = DocumentForm(request.POST or None, instance=doc, user=request.user)
    links = LinkFormSet(request.POST or None, instance=doc, prefix="links")
    if request.method == "POST" and form.is_valid() and links.is_valid():
        with transaction.atomic():
            doc = form.save()
            links.instance = doc
            links.save()
        messages.success(request, _("Document saved.") if pk else _("Document added."))
        if pk:
            messages.info(request, _("Quality flags recomputed: %(before)d before the edit, %(after)d now.")
                          % {"before": before, "after": len(check_document(doc).flags)})
        return redirect(doc.get_absolute_url())
    return render(request, "plans/document_form.html", {
        "form": form, "links": links, "doc": doc if pk else None,
        "title": _("Edit the document") if pk else _("New document"),
    })


@login_required
def directions_edit(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _changeable_document(request, pk)
    formset = DirectionFormSet(request.POST or None, instance=doc, prefix="directions",
                               queryset=Direction.objects.restrict(request.user, CHANGE).filter(document=doc))
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            formset.save()
        messages.success(request, _("Directions saved."))
        return redirect(doc.get_absolute_url())
    return render(request, "plans/directions_form.html", {"doc": doc, "formset": formset})


@login_required
def measure_edit(request: HttpRequest, pk: int | None = None, document_pk: int | None = None) -> HttpResponse:
    """Create or edit a measure with its responsible bodies (per side) and control points."""
    if pk is None:
        doc = _changeable_document(request, document_pk or 0)
        measure = Measure(document=doc)
    else:
        measure = get_object_or_404(Measure.objects.restrict(request.user, CHANGE).select_related("document"),
                                    pk=pk)
        doc = measure.document
    old_number = measure.number
    data = request.POST or None
    form = MeasureForm(data, instance=measure, document=doc, user=request.user)
    responsible = ResponsibleFormSet(data, instance=measure, prefix="responsible",
                                     form_kwargs={"sides": sides_of(doc)})
    control_points = ControlPointFormSet(data, instance=measure, prefix="control_points")
    if request.method == "POST" and all([form.is_valid(), responsible.is_valid(), control_points.is_valid()]):
        before = _flag_codes(check_document(doc), old_number) if pk else set()
        with transaction.atomic():
            measure = form.save()
            for formset in (responsible, control_points):
                formset.instance = measure
                formset.save()
        after = _flag_codes(check_document(doc), measure.number)
        messages.success(request, _("Measure saved.") if pk else _("Measure added."))
        _report_flag_change(request, before, after)
        return redirect(measure.get_absolute_url())
    return render(request, "plans/measure_form.html", {
        "form": form, "responsible": responsible, "control_points": control_points, "doc": doc,
        "measure": measure if pk else None,
        "title": _("Edit measure %(number)s") % {"number": measure.number} if pk else _("New measure"),
    })
