"""The stats app's glue: where the store lives, the registry's capacity, imports with attribution,
indicators, opportunities with their links, and map values with coordinates.

All numbers come from the columnar store (coopnet.logic.stats.store) through its SQL files; the database
keeps the record of what was imported, by whom and with what result (Dataset, with history).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from coopnet.logic.stats import importers, sdmx
from coopnet.logic.stats.indicators import INDICATORS, Indicator, IndicatorError, compute, lookup
from coopnet.logic.stats.schema import AGGREGATE_PARTNERS, MEMBER_STATES
from coopnet.logic.stats.store import StatsStore, StoreError, capacity_table

_BATCH_SAFE = re.compile(r"[^A-Za-z0-9_.\-]+")


class StatsError(ValueError):
    """A request that cannot be served; the message is for the user (command line, API, page)."""


def store_dir() -> Path:
    return Path(getattr(settings, "STATS_DIR", settings.VAR_DIR / "stats"))


def get_store() -> StatsStore:
    return StatsStore(store_dir())


def country_codes() -> dict[str, str]:
    """ISO alpha-3 -> alpha-2 from the reference table, beside the Comtrade area table the importer ships."""
    from coopnet.reference.models import Country

    return {iso3.upper(): code for code, iso3 in Country.objects.values_list("code", "iso3") if iso3}


def area_names() -> dict[str, str]:
    """Country and region names in English and Russian -> code, for yearbook sheets that name places."""
    from coopnet.reference.models import Country, Region

    names: dict[str, str] = {}
    for model in (Country, Region):
        for code, name_en, name_ru in model.objects.values_list("code", "name_en", "name_ru"):
            for name in (name_en, name_ru):
                if name:
                    names.setdefault(importers.normalise_name(name), code)
    for code, aliases in importers.COUNTRY_ALIASES.items():
        for alias in aliases:
            names.setdefault(importers.normalise_name(alias), code)
    return names


def import_file(
    source: str | Path | IO[bytes],
    fmt: str,
    *,
    batch: str | None = None,
    user: Any = None,
    defaults: dict[str, str] | None = None,
    sheet: str | None = None,
    retrieved: date | None = None,
    file_name: str = "",
) -> tuple[importers.ImportResult, Any]:
    """Parse a file; write it as one batch only when it has no error. Records a Dataset either way."""
    from .choices import DatasetStatus
    from .models import Dataset

    if fmt not in importers.FORMATS:
        raise StatsError(f"unknown format {fmt!r}; expected one of {', '.join(importers.FORMATS)}")
    name = file_name or (
        Path(source).name if isinstance(source, str | Path) else Path(str(getattr(source, "name", "upload"))).name
    )
    result = importers.parse(
        fmt,
        source,
        retrieved=retrieved,
        source_name=name,
        defaults=defaults,
        country_codes=country_codes() if fmt == "comtrade" else None,
        sheet=sheet,
        area_names=area_names() if fmt == "yearbook" else None,
    )
    batch_id = batch or _BATCH_SAFE.sub("-", f"{fmt}-{Path(name).stem}").strip("-.")[:100] or fmt
    dataset = Dataset(
        batch=batch_id,
        format=fmt,
        file_name=name[:300],
        rows_read=result.rows_read,
        error_count=result.error_count,
        report=result.summary(),
        imported_by=user if getattr(user, "is_authenticated", False) else None,
    )
    if result.ok:
        try:
            written = get_store().write_result(batch_id, result, source=name, meta={"file": name})
        except StoreError as exc:
            raise StatsError(str(exc)) from None
        dataset.observations = written.rows
        dataset.status = DatasetStatus.WRITTEN
        dataset.is_synthetic = written.synthetic
    else:
        dataset.status = DatasetStatus.REJECTED
    dataset.save()
    return result, dataset


#: What `coopnet stats export`, the API and the series page write: SDMX data and coopnet's data structure.
EXPORT_FORMATS: tuple[str, ...] = ("sdmx-csv", "sdmx-ml", "sdmx-structure")
EXPORT_TYPES: dict[str, tuple[str, str]] = {
    "sdmx-csv": ("application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8", "csv"),
    "sdmx-ml": ("application/vnd.sdmx.structurespecificdata+xml; version=2.1", "xml"),
    "sdmx-structure": ("application/vnd.sdmx.structure+xml; version=2.1", "xml"),
}
#: Largest export (observations); bigger selections are narrowed with the filters.
MAX_EXPORT = 500_000


def export_observations(fmt: str, **filters: Any) -> tuple[bytes, int]:
    """The stored observations that match the filters, as SDMX (or the data structure itself)."""
    if fmt not in EXPORT_FORMATS:
        raise StatsError(f"unknown export format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")
    if fmt == "sdmx-structure":
        return sdmx.structure_message(), 0
    clean = {k: v for k, v in filters.items() if v not in (None, "")}
    for key in ("reporter", "partner"):
        if key in clean:
            clean[key] = str(clean[key]).strip().upper()
    if "indicator" in clean and not re.fullmatch(r"[a-z][a-z0-9_]*", str(clean["indicator"])):
        raise StatsError(f"{clean['indicator']!r} is not a series name")
    table = get_store().run_arrow("export", clean)
    if table.num_rows > MAX_EXPORT:
        raise StatsError(
            f"{table.num_rows:,} observations match; an export holds at most {MAX_EXPORT:,} "
            "(narrow it with the filters)"
        )
    return sdmx.export(fmt, table), table.num_rows


def report_lines(result: importers.ImportResult, name: str, batch: str, *, limit: int = 50) -> list[str]:
    """The row-level report of an import, as the command line prints it (and the upload page shows it)."""
    if result.ok:
        lines = [
            _("%(file)s: %(rows)d observations written as batch %(batch)s")
            % {"file": name, "rows": result.rows, "batch": batch}
        ]
        lines += [_("  warning %(issue)s") % {"issue": w} for w in result.warnings]
        return lines
    lines = [_("%(file)s: %(count)d error(s); nothing written") % {"file": name, "count": result.error_count}]
    lines += [f"  {e}" for e in result.errors[:limit]]
    if result.error_count > limit:
        lines.append(_("  ... %(count)d more") % {"count": result.error_count - limit})
    lines += [_("  warning %(issue)s") % {"issue": w} for w in result.warnings]
    return lines


def translated(ind: Indicator) -> Indicator:
    """The indicator with its title and meaning in the current language (the formulas are not translated)."""
    return replace(ind, title=_(ind.title), meaning=_(ind.meaning))


def indicator(name: str, **params: Any) -> dict[str, Any]:
    try:
        out = compute(get_store(), name, **params)
    except IndicatorError as exc:
        raise StatsError(str(exc)) from None
    out["title"], out["meaning"] = _(out["title"]), _(out["meaning"])
    return out


def indicator_catalog() -> list[dict[str, Any]]:
    return [
        {
            "name": i.name,
            "title": _(i.title),
            "formula": i.formula,
            "meaning": _(i.meaning),
            "parameters": list(i.params),
            "required": list(i.required),
        }
        for i in INDICATORS.values()
    ]


def registry_capacity() -> pa.Table:
    """One row per active organisation and HS code of its competencies (the registry's capacity)."""
    from coopnet.registry.models import CompetencyCode

    rows = CompetencyCode.objects.filter(scheme="hs", organisation__merged_into__isnull=True).values_list(
        "organisation_id",
        "organisation__public_id",
        "organisation__name",
        "organisation__name_en",
        "organisation__country_id",
        "organisation__region_id",
        "code",
        "competency__capacity_quantity",
        "competency__capacity_unit",
        "competency__capacity_period",
    )
    return capacity_table(
        {
            "org_id": oid,
            "public_id": pid,
            "name": name_en or name,
            "country": country,
            "region": region or "",
            "scheme": "hs",
            "code": code,
            "capacity_quantity": float(qty) if qty is not None else None,
            "capacity_unit": unit or "",
            "capacity_period": period or "",
        }
        for oid, pid, name, name_en, country, region, code, qty, unit, period in rows
    )


def _url(name: str, fallback: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return fallback


def product_names(codes: list[str]) -> dict[str, str]:
    """HS code -> name from the reference list, falling back to the nearest ancestor in the list."""
    from coopnet.reference.models import HSCode

    wanted = {c[:n] for c in codes for n in (2, 4, 6, 8, 10) if n <= len(c)}
    names = {c: n for c, n in ((h.code, h.name) for h in HSCode.objects.filter(code__in=wanted))}
    out = {}
    for code in codes:
        for n in (len(code), 10, 8, 6, 4, 2):
            if n <= len(code) and code[:n] in names:
                out[code] = names[code[:n]] if n == len(code) else f"{names[code[:n]]} ({code})"
                break
    return out


def links(code: str) -> dict[str, str]:
    search = _url("exchange:search", "/exchange/search/")
    consortium = _url("exchange:consortium", "/exchange/consortium/")
    return {
        "partner_search": f"{search}?hs={code}",
        "consortium": f"{consortium}?hs={code}",
        "detail": reverse("stats:opportunity", args=[code]),
        "api_suppliers": reverse("api-opportunity-suppliers", args=[code]),
    }


def opportunities(
    *,
    product: str | None = None,
    reporter: str | None = None,
    limit: int = 50,
    depth: int | None = None,
    year: int | None = None,
    gaps: bool = False,
) -> dict[str, Any]:
    if product is not None:
        product = product.strip().replace(".", "").replace(" ", "")
        if not re.fullmatch(r"\d{2}|\d{4}|\d{6}|\d{8}|\d{10}", product):
            raise StatsError(f"--product {product!r} is not an HS code (2, 4, 6, 8 or 10 digits)")
    if reporter is not None:
        reporter = reporter.strip().upper()
        if reporter not in MEMBER_STATES:
            raise StatsError(f"--reporter {reporter!r} is not a member state ({', '.join(MEMBER_STATES)})")
    if not 1 <= limit <= 1000:
        raise StatsError("--limit must be between 1 and 1000")
    if depth is None:
        depth = 6 if product is None or len(product) <= 6 else len(product)
    if depth not in (2, 4, 6):
        raise StatsError("--depth must be 2, 4 or 6 (trade data are at HS6)")
    if year is not None and not 1900 <= year <= 2100:
        raise StatsError(f"--year {year} is out of range")
    store = get_store()
    try:
        rows = store.opportunities(
            registry_capacity(),
            depth=depth,
            level=6,
            year=year,
            reporter=reporter,
            product=product,
            gaps=gaps,
            limit=limit,
        )
    except StoreError as exc:
        raise StatsError(str(exc)) from None
    names = product_names([r["product"] for r in rows])
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
        row["name"] = names.get(row["product"], "")
        row["links"] = links(row["product"])
    synthetic = any(b.synthetic and "trade" in b.indicators for b in store.batches())
    return {
        "formula": "value at stake(p) = sum over member states c of M(c, XT, p, year): imports from third "
        "countries; suppliers: organisations whose registered HS codes cover p",
        "depth": depth,
        "year": rows[0]["year"] if rows else year,
        "synthetic_data": synthetic,
        "rows": rows,
    }


def suppliers(product: str) -> list[dict[str, Any]]:
    product = product.strip()
    if not re.fullmatch(r"\d{2,10}", product):
        raise StatsError(f"{product!r} is not an HS code")
    rows = get_store().suppliers(registry_capacity(), product)
    for row in rows:
        row["url"] = reverse("registry:organisation", args=[row["public_id"]])
    return rows


def series(indicator_name: str, **filters: Any) -> list[dict[str, Any]]:
    if not re.fullmatch(r"[a-z][a-z0-9_]*", indicator_name or ""):
        raise StatsError(f"{indicator_name!r} is not a series name")
    return get_store().series(indicator_name, **filters)


MAP_INDICATORS = ("rca", "import_dependence", "third_country_share", "mutual_share")


def map_values(
    measure: str,
    *,
    product: str | None = None,
    year: int | None = None,
    partner: str | None = None,
    flow: str | None = None,
) -> dict[str, Any]:
    """Values per state or region with coordinates, for a series (as stored) or a trade indicator."""
    from coopnet.reference.models import Country, Region

    store = get_store()
    if measure in MAP_INDICATORS:
        params: dict[str, Any] = {"from": year, "to": year}
        if measure != "mutual_share":
            params["product"] = product or None
        out = indicator(measure, **params)
        rows = out["rows"]
        if measure != "mutual_share" and not product:
            rows = []
        if year is None and rows:
            last = max(r["year"] for r in rows)
            rows = [r for r in rows if r["year"] == last]
        trade_sources = sorted({src for c in store.catalog() if c["indicator"] == "trade" for src in c["sources"]})
        note = f"{out['title']}, from trade observations: " + "; ".join(trade_sources)
        values = [
            {
                "reporter": r["reporter"],
                "year": r["year"],
                "value": r["value"],
                "unit": "index",
                "sources": [note],
            }
            for r in rows
            if r["value"] is not None
        ]
        title = out["title"]
        formula = out["formula"]
    else:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", measure or ""):
            raise StatsError(f"{measure!r} is not a series name")
        values = store.map_values(
            measure, product=product or None, year=year, partner=partner or None, flow=flow or None
        )
        title, formula = measure.replace("_", " "), ""
    codes = [v["reporter"] for v in values]
    countries = {c.code: c for c in Country.objects.filter(code__in=codes)}
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    points = []
    for v in values:
        place = countries.get(v["reporter"]) or regions.get(v["reporter"])
        if place is None or place.lat is None or v["reporter"] in AGGREGATE_PARTNERS:
            continue
        points.append(
            {
                **v,
                "name": place.name,
                "lat": place.lat,
                "lon": place.lon,
                "kind": "country" if v["reporter"] in countries else "region",
            }
        )
    return {"measure": measure, "title": title, "formula": formula, "product": product, "points": points}


def measures() -> list[dict[str, str]]:
    """What the map can show: stored series (annual, by reporter) and the trade indicators."""
    catalog = get_store().catalog()
    names = sorted({c["indicator"] for c in catalog if c["indicator"] not in ("trade", "trade_quantity")})
    out = [{"value": n, "label": n.replace("_", " ")} for n in names]
    out += [{"value": m, "label": _(lookup(m).title)} for m in MAP_INDICATORS]
    return out
