"""The observation: one number of one indicator, with its dimensions and its provenance.

Every importer produces an Arrow table with :data:`OBSERVATION_SCHEMA`; the store writes such tables
as Parquet files and every query reads them through the same DuckDB view. Pure module: no Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import pyarrow as pa

#: EAEU member states (ISO 3166-1 alpha-2).
MEMBER_STATES: tuple[str, ...] = ("AM", "BY", "KG", "KZ", "RU")
#: Partner aggregates: third countries (everything outside the Union), the Union itself, the world.
THIRD_COUNTRIES = "XT"
UNION = "EAEU"
WORLD = "WLD"
AGGREGATE_PARTNERS: tuple[str, ...] = (THIRD_COUNTRIES, UNION, WORLD)
#: A product code meaning "all products" (a total row).
TOTAL = "TOTAL"

FLOWS: tuple[str, ...] = ("import", "export", "production", "other")
SCHEMES: tuple[str, ...] = ("hs", "nace", "other", "")
#: Units of measure. ``money`` needs a currency; every other unit must leave the currency empty.
UNITS: tuple[str, ...] = (
    "money",
    "percent",
    "count",
    "index",
    "ratio",
    "kg",
    "t",
    "u",
    "l",
    "m",
    "m2",
    "m3",
    "kwh",
)
#: Currencies accepted for ``money`` values (ISO 4217).
CURRENCIES: tuple[str, ...] = (
    "USD",
    "EUR",
    "RUB",
    "BYN",
    "KZT",
    "KGS",
    "AMD",
    "CNY",
    "UZS",
    "VND",
    "RSD",
    "IRR",
    "CUP",
    "MDL",
)
#: Scale words accepted in formats ("USD million").
SCALES: dict[str, float] = {
    "": 1.0,
    "1": 1.0,
    "unit": 1.0,
    "units": 1.0,
    "thousand": 1e3,
    "thousands": 1e3,
    "k": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "billions": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
    "trn": 1e12,
    "тыс": 1e3,
    "тыс.": 1e3,
    "млн": 1e6,
    "млн.": 1e6,
    "млрд": 1e9,
    "млрд.": 1e9,
    "трлн": 1e12,
    "трлн.": 1e12,
}

OBSERVATION_SCHEMA = pa.schema(
    [
        ("indicator", pa.string()),
        ("reporter", pa.string()),
        ("partner", pa.string()),
        ("scheme", pa.string()),
        ("product", pa.string()),
        ("flow", pa.string()),
        ("period", pa.string()),
        ("year", pa.int16()),
        ("period_kind", pa.string()),
        ("value", pa.float64()),
        ("unit", pa.string()),
        ("currency", pa.string()),
        ("source", pa.string()),
        ("document", pa.string()),
        ("locator", pa.string()),
        ("retrieved", pa.date32()),
        ("note", pa.string()),
        ("is_synthetic", pa.bool_()),
        # The classification edition of the product code (UN Comtrade H0..H6 for HS 1988/92 .. 2022).
        ("edition", pa.string()),
        # Breakdown dimensions: empty on a total. A row with any of them set is a breakdown of a total (by
        # second partner, customs procedure or mode of transport) and is never read as the total itself.
        ("partner2", pa.string()),
        ("customs", pa.string()),
        ("transport", pa.string()),
    ]
)
#: Columns that make an observation a breakdown when any is non-empty.
BREAKDOWN_COLUMNS: tuple[str, ...] = ("partner2", "customs", "transport")
COLUMNS: tuple[str, ...] = tuple(OBSERVATION_SCHEMA.names)

_YEAR = re.compile(r"^(?P<y>\d{4})$")
_QUARTER = re.compile(r"^(?P<y>\d{4})-?Q(?P<q>[1-4])$", re.IGNORECASE)
_MONTH = re.compile(r"^(?P<y>\d{4})-?M?(?P<m>0[1-9]|1[0-2])$", re.IGNORECASE)
_CODE = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")
_FREE_CODE = re.compile(r"^[A-Za-z0-9._-]{1,20}$")


class ObservationError(ValueError):
    """One field of one observation is wrong; the message names the field and says why."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(f"{column}: {message}")
        self.column = column
        self.message = message


def parse_period(raw: str) -> tuple[str, int, str]:
    """'2024' -> ('2024', 2024, 'year'); '2024Q1'/'2024-Q1' -> quarter; '2024-03'/'2024M03' -> month."""
    text = (raw or "").strip()
    if text.endswith(".0") and _YEAR.match(text[:-2]):  # spreadsheets turn 2024 into 2024.0
        text = text[:-2]
    for pattern, kind in ((_YEAR, "year"), (_QUARTER, "quarter"), (_MONTH, "month")):
        match = pattern.match(text)
        if match:
            year = int(match.group("y"))
            if not 1900 <= year <= 2100:
                raise ObservationError("period", f"year {year} is out of range 1900-2100")
            if kind == "year":
                return f"{year}", year, kind
            if kind == "quarter":
                return f"{year}Q{match.group('q')}", year, kind
            return f"{year}-{match.group('m')}", year, kind
    raise ObservationError("period", f"{raw!r} is not a year (2024), quarter (2024Q1) or month (2024-03)")


def check_area(column: str, raw: str, *, allow_aggregates: bool) -> str:
    """A reporter or partner: 'BY', 'RU-PSK' (ISO 3166-2 region) or an aggregate (XT, EAEU, WLD)."""
    code = (raw or "").strip().upper()
    if allow_aggregates and code in AGGREGATE_PARTNERS:
        return code
    if not _CODE.match(code):
        allowed = "a country (BY), a region (RU-PSK)" + (" or XT, EAEU, WLD" if allow_aggregates else "")
        raise ObservationError(column, f"{raw!r} is not {allowed}")
    return code


def check_unit(unit: str, currency: str) -> tuple[str, str]:
    """Units and currencies must agree: money needs a known currency, other units take none."""
    unit = (unit or "").strip().lower()
    currency = (currency or "").strip().upper()
    if unit not in UNITS:
        raise ObservationError("unit", f"{unit!r} is not one of {', '.join(UNITS)}")
    if unit == "money":
        if not currency:
            raise ObservationError("currency", "a money value needs a currency (USD, RUB, ...)")
        if currency not in CURRENCIES:
            raise ObservationError("currency", f"{currency!r} is not one of {', '.join(CURRENCIES)}")
    elif currency:
        raise ObservationError("currency", f"unit {unit!r} takes no currency, got {currency!r}")
    return unit, currency


def parse_number(raw: Any, column: str = "value") -> float | None:
    """'1 072,6', '1,072.6', 1072.6 -> 1072.6; statistical 'no data' marks ('…', '-', 'x') -> None."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ObservationError(column, f"{raw!r} is not a number")
    if isinstance(raw, int | float):
        if raw != raw:  # NaN
            return None
        return float(raw)
    text = str(raw).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if text in {"", "-", "–", "—", "…", "...", "x", "X", "..", "n/a", "N/A"}:
        return None
    if "," in text and "." in text:
        text = text.replace(",", "")
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        raise ObservationError(column, f"{str(raw)!r} is not a number") from None


def parse_scale(raw: str) -> float:
    key = (raw or "").strip().lower()
    if key in SCALES:
        return SCALES[key]
    try:
        value = float(key)
    except ValueError:
        raise ObservationError("scale", f"{raw!r} is not a scale (thousand, million, billion or a number)") from None
    if value <= 0:
        raise ObservationError("scale", f"{raw!r} must be positive")
    return value


def parse_date(raw: Any) -> date | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw).strip()[:10])
    except ValueError:
        raise ObservationError("retrieved", f"{raw!r} is not a date (YYYY-MM-DD)") from None


@dataclass
class Observation:
    """One row of the store, validated. ``value`` is in base units (not thousands or millions)."""

    indicator: str
    reporter: str
    period: str
    value: float
    unit: str
    partner: str = ""
    scheme: str = ""
    product: str = TOTAL
    flow: str = "other"
    currency: str = ""
    source: str = ""
    document: str = ""
    locator: str = ""
    retrieved: date | None = None
    note: str = ""
    is_synthetic: bool = False
    edition: str = ""
    partner2: str = ""
    customs: str = ""
    transport: str = ""
    year: int = field(default=0)
    period_kind: str = field(default="year")

    def as_row(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in COLUMNS}


def make_observation(fields: dict[str, Any], *, scale: float = 1.0) -> Observation:
    """Validate a row of plain fields (as read from a file) into an :class:`Observation`.

    Raises :class:`ObservationError` naming the first wrong field.
    """
    indicator = str(fields.get("indicator") or "").strip()
    if not indicator or not re.fullmatch(r"[a-z][a-z0-9_]*", indicator):
        raise ObservationError("indicator", f"{indicator!r} must be lower-case letters, digits and _")
    reporter = check_area("reporter", str(fields.get("reporter") or ""), allow_aggregates=True)
    partner_raw = str(fields.get("partner") or "").strip()
    partner = check_area("partner", partner_raw, allow_aggregates=True) if partner_raw else ""
    scheme = str(fields.get("scheme") or "").strip().lower()
    if scheme not in SCHEMES:
        raise ObservationError("scheme", f"{scheme!r} is not one of hs, nace, other")
    product = str(fields.get("product") or "").strip() or TOTAL
    if scheme == "hs" and product != TOTAL:
        product = re.sub(r"[\s.]", "", product)
        if not product.isdigit() or len(product) not in (2, 4, 6, 8, 10):
            raise ObservationError("product", f"HS code {product!r} must have 2, 4, 6, 8 or 10 digits")
    if product != TOTAL and not scheme:
        raise ObservationError("scheme", f"product {product!r} needs a scheme (hs, nace or other)")
    flow = str(fields.get("flow") or "other").strip().lower()
    if flow not in FLOWS:
        raise ObservationError("flow", f"{flow!r} is not one of {', '.join(FLOWS)}")
    period, year, kind = parse_period(str(fields.get("period") or ""))
    value = parse_number(fields.get("value"))
    if value is None:
        raise ObservationError("value", "missing")
    unit, currency = check_unit(str(fields.get("unit") or ""), str(fields.get("currency") or ""))
    partner2_raw = str(fields.get("partner2") or "").strip()
    partner2 = check_area("partner2", partner2_raw, allow_aggregates=True) if partner2_raw else ""
    codes = {key: check_free_code(key, str(fields.get(key) or "")) for key in ("edition", "customs", "transport")}
    return Observation(
        indicator=indicator,
        reporter=reporter,
        partner=partner,
        scheme=scheme,
        product=product,
        flow=flow,
        period=period,
        year=year,
        period_kind=kind,
        value=_scaled(value, scale),
        unit=unit,
        currency=currency,
        source=str(fields.get("source") or "").strip(),
        document=str(fields.get("document") or "").strip(),
        locator=str(fields.get("locator") or "").strip(),
        retrieved=parse_date(fields.get("retrieved")),
        note=str(fields.get("note") or "").strip(),
        is_synthetic=str(fields.get("is_synthetic") or "").strip().lower() in {"1", "true", "yes"},
        edition=codes["edition"].upper(),
        partner2=partner2,
        customs=codes["customs"],
        transport=codes["transport"],
    )


def check_free_code(column: str, raw: str) -> str:
    """A short code (an edition H5, a customs procedure C01, a mode of transport 2100); empty is allowed."""
    code = (raw or "").strip()
    if code and not _FREE_CODE.match(code):
        raise ObservationError(column, f"{raw!r} is not a code (letters, digits, '.', '_' or '-', at most 20)")
    return code


def _scaled(value: float, scale: float) -> float:
    """value * scale without binary noise (1072.6 * 1e9 is 1072600000000, not ...599.9999)."""
    if scale == 1.0:
        return value
    return float(Decimal(repr(value)) * Decimal(repr(scale)))


def to_table(observations: list[Observation]) -> pa.Table:
    """Observations -> Arrow table in the store's schema."""
    columns: dict[str, list[Any]] = {name: [] for name in COLUMNS}
    for obs in observations:
        for name in COLUMNS:
            columns[name].append(getattr(obs, name))
    return pa.table(columns, schema=OBSERVATION_SCHEMA)
