"""Pages of the industrialisation map: dashboard, map, indicators, series, opportunities; table exports."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from coopnet.logic.stats.indicators import INDICATORS, lookup
from coopnet.logic.stats.schema import MEMBER_STATES

from . import exports, services
from .forms import StatsImportForm
from .models import Dataset, may_import

ACTIVITIES = {
    "TOTAL": "Industry, total (NACE B-E)",
    "B": "Mining and quarrying (B)",
    "C": "Manufacturing (C)",
    "D": "Electricity, gas, steam and air conditioning (D)",
    "E": "Water supply, sewerage, waste management (E)",
}


def _export(
    request: HttpRequest, title: str, columns: list[str], rows: list[dict[str, Any]], sources: list[str]
) -> HttpResponse | None:
    fmt = request.GET.get("export")
    if not fmt:
        return None
    if fmt not in exports.FORMATS:
        return HttpResponse(
            f"export must be one of {', '.join(exports.FORMATS)}", status=400, content_type="text/plain"
        )
    body = exports.export(fmt, title, columns, rows, sources)
    response = HttpResponse(body, content_type=exports.CONTENT_TYPES[fmt])
    slug = "".join(ch if ch.isalnum() else "-" for ch in title.lower()).strip("-")[:60] or "table"
    response["Content-Disposition"] = f'attachment; filename="{slug}.{fmt}"'
    return response


def _display(rows: list[dict[str, Any]], columns: list[str]) -> list[list[str]]:
    def show(v: Any) -> str:
        if v is None:
            return "—"
        if isinstance(v, float):
            return f"{v:,.4f}" if abs(v) < 1000 else f"{v:,.0f}"
        return str(v)

    return [[show(r.get(c)) for c in columns] for r in rows]


def _production() -> list[dict[str, Any]]:
    growth = {
        r["product"]: r for r in services.indicator("growth", series="industrial_production", reporter="EAEU")["rows"]
    }
    stated = {r["product"]: r for r in services.series("industrial_production_growth_stated", reporter="EAEU")}
    levels = services.series("industrial_production", reporter="EAEU")
    rows = []
    for code, label in ACTIVITIES.items():
        g = growth.get(code)
        s = stated.get(code)
        lv = {r["year"]: r for r in levels if r["product"] == code}
        first, last = lv.get(2017), lv.get(2024)
        rows.append(
            {
                "code": code,
                "activity": label,
                "value_2017": first["value"] / 1e9 if first else None,
                "value_2024": last["value"] / 1e9 if last else None,
                "growth_computed": round(g["growth"] * 100, 1) if g and g["growth"] is not None else None,
                "growth_stated": s["value"] if s else None,
                "source": "; ".join(sorted({f"{r['source']} {r['locator']}" for r in (first, last, s) if r})),
            }
        )
    return rows


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    production = _production()
    jv = services.series("joint_ventures", reporter="BY", partner="RU")
    jv_growth = services.indicator("growth", series="joint_ventures", reporter="BY", partner="RU")["rows"]
    orgs = services.series("organisations_foreign_capital", reporter="BY")
    owned = services.series("foreign_owned_companies", reporter="BY")
    conflicts = services.get_store().conflicts()
    regions = services.series("trade_turnover", partner="BY")
    structure = services.series("export_structure")
    exported = _export(
        request,
        "EAEU industrial production by activity 2017-2024",
        ["activity", "value_2017", "value_2024", "growth_computed", "growth_stated", "source"],
        production,
        [r["source"] for r in production if r["source"]],
    )
    if exported:
        return exported
    structure_chart = {}
    for r in structure:
        structure_chart.setdefault(f"{r['reporter']} → {r['partner']} ({r['period']})", []).append(
            {"label": (r["note"] or r["product"])[:45], "value": r["value"]}
        )
    opps = services.opportunities(limit=5)
    context = {
        "production": production,
        "jv": jv,
        "jv_growth": jv_growth[0] if jv_growth else None,
        "orgs": orgs,
        "owned": owned,
        "conflicts": conflicts,
        "regions": regions,
        "structure_chart": structure_chart,
        "structure_sources": exports.row_sources(structure),
        "jv_chart": [{"year": r["year"], "value": r["value"]} for r in jv],
        "opportunities": opps,
        "may_import_stats": may_import(request.user),
    }
    return render(request, "stats/dashboard.html", context)


@require_GET
def map_page(request: HttpRequest) -> HttpResponse:
    measures = services.measures()
    measure = request.GET.get("measure") or "trade_turnover"
    product = (request.GET.get("product") or "").strip()
    catalog = services.get_store().catalog()
    products = services.product_names(sorted({r["product"] for r in services.opportunities(limit=40)["rows"]}))
    context = {
        "measures": measures,
        "measure": measure,
        "product": product,
        "catalog": catalog,
        "products": sorted(products.items()),
    }
    return render(request, "stats/map.html", context)


@require_GET
def indicator_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "stats/indicator_list.html", {"indicators": [services.translated(i) for i in INDICATORS.values()]}
    )


def _indicator_params(request: HttpRequest, ind: Any) -> dict[str, Any]:
    q = request.GET
    params: dict[str, Any] = {}
    for key in ("reporter", "partner", "product", "series", "flow", "from", "to", "depth", "group"):
        if key in ind.params and q.get(key):
            params[key] = q.get(key).strip()
    return params


@require_GET
def indicator_detail(request: HttpRequest, name: str) -> HttpResponse:
    try:
        ind = services.translated(lookup(name))
    except ValueError:
        raise Http404(name) from None
    params = _indicator_params(request, ind)
    if ind.required and not params.get("series"):
        params.setdefault("series", "industrial_production")
    error = ""
    rows: list[dict[str, Any]] = []
    try:
        rows = services.indicator(ind.name, **params)["rows"]
    except services.StatsError as exc:
        error = str(exc)
    columns = [c for c in (rows[0].keys() if rows else []) if not isinstance(rows[0][c], list | dict)]
    sources = [f"{ind.title}: {ind.formula}", *exports.row_sources(rows)]
    if ind.trade:
        sources.append(_("Trade observations (indicator 'trade'); synthetic rows are labelled in the catalog."))
    exported = _export(request, ind.title, columns, rows, sources)
    if exported:
        return exported
    chart = [
        {
            "x": r.get("year"),
            "y": r.get("value"),
            "group": " ".join(str(r.get(k)) for k in ("reporter", "partner", "product") if r.get(k) is not None),
        }
        for r in rows[:3000]
        if r.get("value") is not None
    ]
    fields = [(k, params.get(k, "")) for k in ind.params if k != "level"]
    context = {
        "ind": ind,
        "fields": fields,
        "table": _display(rows[:500], columns),
        "total": len(rows),
        "columns": columns,
        "error": error,
        "chart_points": chart,
        "members": MEMBER_STATES,
        "query": request.GET.urlencode(),
    }
    return render(request, "stats/indicator_detail.html", context)


@require_GET
def series_page(request: HttpRequest, name: str) -> HttpResponse:
    q = request.GET
    filters = {k: q.get(k) or None for k in ("reporter", "partner", "product", "flow")}
    error = ""
    rows: list[dict[str, Any]] = []
    try:
        rows = services.series(name, **filters, limit=5000)
    except services.StatsError as exc:
        error = str(exc)
    columns = [
        "reporter",
        "partner",
        "scheme",
        "product",
        "flow",
        "period",
        "value",
        "unit",
        "currency",
        "source",
        "locator",
        "document",
        "note",
        "conflicts",
        "is_synthetic",
    ]
    exported = _export(request, name.replace("_", " "), columns, rows, exports.row_sources(rows))
    if exported:
        return exported
    chart = [
        {
            "x": r["period"],
            "y": r["value"],
            "group": f"{r['reporter']} {r['partner']} {r['product']}".strip()
            + (f" [{r['note'][:30]}]" if r["conflicts"] else ""),
        }
        for r in rows[:3000]
    ]
    context = {
        "name": name,
        "table": _display(rows[:1000], columns),
        "total": len(rows),
        "columns": columns,
        "error": error,
        "filters": filters,
        "chart_points": chart,
        "query": q.urlencode(),
        "sdmx_query": urlencode({"indicator": name, **{k: v for k, v in filters.items() if v}}),
        "catalog": services.get_store().catalog(),
    }
    return render(request, "stats/series.html", context)


@require_GET
def opportunity_list(request: HttpRequest) -> HttpResponse:
    q = request.GET
    error = ""
    out: dict[str, Any] = {"rows": [], "synthetic_data": False, "formula": "", "year": None, "depth": 6}
    try:
        depth = int(q["depth"]) if q.get("depth") else None
        limit = int(q.get("limit") or 50)
        out = services.opportunities(
            product=q.get("product") or None,
            reporter=q.get("reporter") or None,
            limit=limit,
            depth=depth,
            gaps=bool(q.get("gaps")),
        )
    except ValueError as exc:
        error = str(exc)
    rows = out["rows"]
    for r in rows:
        r["importers_text"] = ", ".join(f"{i['reporter']} {i['value']:,.0f}" for i in r["importers"] or [])
    columns = [
        "rank",
        "product",
        "name",
        "year",
        "value_at_stake",
        "imports_total",
        "dependence",
        "importers_text",
        "suppliers",
        "supplier_countries",
        "supplier_sample",
    ]
    sources = [
        out["formula"],
        _("Imports: trade observations in the store")
        + (_(" (include synthetic rows)") if out["synthetic_data"] else ""),
        _("Suppliers: the coopnet registry"),
    ]
    exported = _export(request, "Import-substitution opportunities", columns, rows, sources)
    if exported:
        return exported
    context = {"out": out, "rows": rows, "error": error, "members": MEMBER_STATES, "q": q, "query": q.urlencode()}
    return render(request, "stats/opportunity_list.html", context)


@require_GET
def opportunity_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        out = services.opportunities(product=code, depth=len(code) if len(code) <= 6 else 6, limit=1, gaps=True)
        suppliers = services.suppliers(code)
    except services.StatsError as exc:
        raise Http404(str(exc)) from None
    row = out["rows"][0] if out["rows"] else None
    name = services.product_names([code]).get(code, "")
    dependence = services.indicator("third_country_share", product=code)["rows"] if len(code) <= 6 else []
    latest = max((r["year"] for r in dependence), default=None)
    dependence = [r for r in dependence if r["year"] == latest and r["reporter"] in MEMBER_STATES]
    context = {
        "code": code,
        "name": name,
        "row": row,
        "suppliers": suppliers,
        "links": services.links(code),
        "dependence": dependence,
        "synthetic": out["synthetic_data"],
        "formula": out["formula"],
    }
    return render(request, "stats/opportunity_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    """Upload a statistics file (long CSV, Comtrade CSV, yearbook XLSX): analysts, the Commission, administrators.

    The file is checked whole first; with any error nothing is written to the store and the page lists the
    errors by line or cell, exactly as `coopnet stats import` prints them. The attempt is recorded either way.
    """
    if not may_import(request.user):
        raise PermissionDenied(_("Importing statistics needs the analyst, commission or administrator role."))
    form = StatsImportForm(request.POST or None, request.FILES or None)
    report: dict[str, Any] | None = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result, dataset = services.import_file(
                    upload,
                    form.cleaned_data["format"],
                    batch=form.cleaned_data["batch"] or None,
                    user=request.user,
                    defaults=form.defaults(),
                    sheet=form.cleaned_data["sheet"] or None,
                    retrieved=form.cleaned_data["retrieved"],
                    file_name=upload.name,
                )
            except services.StatsError as exc:
                form.add_error(None, str(exc))
                status = 400
            else:
                lines = services.report_lines(result, upload.name, dataset.batch, limit=len(result.errors))
                report = {"ok": result.ok, "lines": lines, "dataset": dataset, "summary": result.summary()}
                status = 200 if result.ok else 400
        else:
            status = 400
    context = {
        "form": form,
        "report": report,
        "datasets": Dataset.objects.select_related("imported_by")[:20],
        "may_import_stats": True,
    }
    return render(request, "stats/import.html", context, status=status)
