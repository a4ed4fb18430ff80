"""Importers: a file in, an Arrow table of observations out, or the list of what is wrong with it.

Three formats (documented in docs/stats-formats.md):

* ``long``     — our own long CSV, one observation per line;
* ``comtrade`` — the UN Comtrade bulk CSV layout (refYear, reporterISO, partnerISO, flowCode, cmdCode,
  primaryValue, qty, qtyUnitAbbr, ...), validated column-wise with Arrow so millions of rows stay fast;
* ``yearbook`` — an XLSX sheet laid out like a statistical yearbook: labels on the left, years across.

An importer never writes anything: it returns an :class:`ImportResult`; the caller writes the table
only when ``result.ok``. Every issue names the line (or cell) and the column.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from coopnet.logic.textfiles import BINARY_SIGNATURES

from .schema import (
    COLUMNS,
    OBSERVATION_SCHEMA,
    TOTAL,
    WORLD,
    Observation,
    ObservationError,
    make_observation,
    parse_number,
    parse_period,
    parse_scale,
    to_table,
)

FORMATS: tuple[str, ...] = ("long", "comtrade", "yearbook")
#: At most this many issues are listed; the count is always exact.
MAX_LISTED = 200


@dataclass(frozen=True)
class Issue:
    """One problem: where (line or cell), which column, what."""

    where: str
    column: str
    message: str

    def __str__(self) -> str:
        column = f" [{self.column}]" if self.column else ""
        return f"{self.where}{column}: {self.message}"


@dataclass
class ImportResult:
    format: str
    rows_read: int = 0
    table: pa.Table | None = None
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0 and self.table is not None

    @property
    def rows(self) -> int:
        return 0 if self.table is None else self.table.num_rows

    def error(self, where: str, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_LISTED:
            self.errors.append(Issue(where, column, message))

    def warn(self, where: str, column: str, message: str) -> None:
        if len(self.warnings) < MAX_LISTED:
            self.warnings.append(Issue(where, column, message))

    def summary(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "ok": self.ok,
            "rows_read": self.rows_read,
            "observations": self.rows,
            "error_count": self.error_count,
            "errors": [str(e) for e in self.errors],
            "warnings": [str(w) for w in self.warnings],
        }




class FileDecodeError(ValueError):
    """A file that is not text we can read; the message says why."""


def decode_text(raw: bytes) -> tuple[str, str, bool]:
    """Decode a text file: (text, encoding, is_fallback).

    A UTF-8 BOM means UTF-8; otherwise the whole file must decode as UTF-8, else it is read as Windows-1251
    (``is_fallback``: the caller warns). Binary files (known signatures, NUL bytes) are refused with
    :class:`FileDecodeError`, as the registry importer does.
    """
    head = raw[:4096]
    if head.startswith(BINARY_SIGNATURES):
        kind = "an XLSX/ZIP archive" if head.startswith(b"PK") else "a binary file"
        raise FileDecodeError(f"{kind}, not a CSV text file")
    if head.startswith(codecs.BOM_UTF8):
        body = raw[len(codecs.BOM_UTF8) :]
        if b"\x00" in body[:4096]:
            raise FileDecodeError("the file contains NUL bytes (binary data?), not a CSV text file")
        try:
            return body.decode("utf-8"), "utf-8-sig", False
        except UnicodeDecodeError as exc:
            raise FileDecodeError(
                f"starts with a UTF-8 mark but is not UTF-8 ({exc.reason} at byte {exc.start + 3})"
            ) from None
    if b"\x00" in head:
        raise FileDecodeError("the file contains NUL bytes (binary data or UTF-16?), not a CSV text file")
    try:
        return raw.decode("utf-8"), "utf-8", False
    except UnicodeDecodeError:
        pass
    text = raw.decode("cp1251", errors="replace")
    # Bytes cp1251 leaves undefined (0x98) or control characters mean this is not text at all.
    controls = sum(1 for ch in text[:4096] if (ch < " " and ch not in "\t\r\n") or ch == "\ufffd")
    if controls:
        raise FileDecodeError("neither UTF-8 nor Windows-1251 text (binary data?), not a CSV text file")
    return text, "cp1251", True


def _read_raw(source: str | Path | IO[str] | IO[bytes]) -> tuple[bytes | str, str]:
    """The content of a path or a file object, and its display name."""
    if isinstance(source, str | Path):
        path = Path(source)
        return path.read_bytes(), path.name
    data = source.read()
    return data, Path(str(getattr(source, "name", "upload"))).name


def _text(source: str | Path | IO[str] | IO[bytes], result: ImportResult) -> tuple[str, str] | None:
    """Read a path or a file object as text; returns (text, display name), or None after a file error."""
    data, name = _read_raw(source)
    if isinstance(data, str):
        return data.lstrip("\ufeff"), name
    try:
        text, _encoding, fallback = decode_text(data)
    except FileDecodeError as exc:
        result.error("file", "", str(exc))
        return None
    if fallback:
        result.warn("file", "", "the file is not valid UTF-8; read as Windows-1251 (cp1251)")
    return text, name


# ----------------------------------------------------------------------------------------------- long

LONG_REQUIRED: tuple[str, ...] = ("indicator", "reporter", "period", "value", "unit")
LONG_OPTIONAL: tuple[str, ...] = (
    "partner",
    "scheme",
    "product",
    "flow",
    "currency",
    "scale",
    "source",
    "document",
    "locator",
    "retrieved",
    "note",
    "is_synthetic",
)


def parse_long(
    source: str | Path | IO[str] | IO[bytes], *, retrieved: date | None = None, source_name: str = ""
) -> ImportResult:
    """Our long CSV: a header line, then one observation per line (see docs/stats-formats.md).

    Rows without a ``source`` get the file name and ``line N`` as provenance.
    """
    result = ImportResult("long")
    read = _text(source, result)
    if read is None:
        return result
    text, name = read
    name = source_name or name
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in LONG_REQUIRED if c not in header]
    if missing:
        result.error("line 1", ",".join(missing), f"missing column(s): {', '.join(missing)}")
        return result
    unknown = [h for h in header if h not in LONG_REQUIRED + LONG_OPTIONAL]
    if unknown:
        result.warn("line 1", ",".join(unknown), "unknown column(s) ignored")
    reader.fieldnames = header
    observations: list[Observation] = []
    for raw in reader:
        line = reader.line_num
        result.rows_read += 1
        row = {k: (v or "").strip() for k, v in raw.items() if k is not None and isinstance(v, str | None)}
        if not any(row.values()):
            continue
        try:
            scale = parse_scale(row.get("scale", ""))
            obs = make_observation(row, scale=scale)
        except ObservationError as exc:
            result.error(f"line {line}", exc.column, exc.message)
            continue
        if not obs.source:
            obs.source = name
        if not obs.locator:
            obs.locator = f"line {line}"
        if obs.retrieved is None:
            obs.retrieved = retrieved
        observations.append(obs)
    if result.error_count == 0:
        if not observations:
            result.error("file", "", "no observations")
        else:
            result.table = to_table(observations)
    return result


# ------------------------------------------------------------------------------------------- comtrade

COMTRADE_REQUIRED: tuple[str, ...] = (
    "refYear",
    "reporterISO",
    "partnerISO",
    "flowCode",
    "cmdCode",
    "primaryValue",
)
COMTRADE_OPTIONAL: tuple[str, ...] = (
    "refMonth",
    "period",
    "freqCode",
    "qty",
    "qtyUnitAbbr",
    "classificationCode",
)
#: Comtrade flow codes we import; others (re-exports, re-imports, ...) are skipped with a warning.
COMTRADE_FLOWS: dict[str, str] = {"M": "import", "X": "export"}
#: Comtrade quantity units -> (our unit, factor to it).
COMTRADE_UNITS: dict[str, tuple[str, float]] = {
    "kg": ("kg", 1.0),
    "u": ("u", 1.0),
    "2u": ("u", 2.0),
    "12u": ("u", 12.0),
    "1000u": ("u", 1000.0),
    "l": ("l", 1.0),
    "1000l": ("l", 1000.0),
    "m": ("m", 1.0),
    "m2": ("m2", 1.0),
    "m²": ("m2", 1.0),
    "m3": ("m3", 1.0),
    "m³": ("m3", 1.0),
    "1000m3": ("m3", 1000.0),
    "kwh": ("kwh", 1.0),
    "1000kwh": ("kwh", 1000.0),
    "carat": ("kg", 0.0002),
    "t": ("t", 1.0),
}
#: Comtrade "no quantity" marks.
COMTRADE_NO_UNIT = {"", "n/a", "na", "-1", "-"}

#: ISO 3166-1 alpha-3 -> alpha-2 for the Union, its partners and the largest trading partners. The app
#: passes the full table from the reference data; this default keeps the pure module self-sufficient.
ISO3_TO_ISO2: dict[str, str] = {
    "ARM": "AM",
    "BLR": "BY",
    "KAZ": "KZ",
    "KGZ": "KG",
    "RUS": "RU",
    "UZB": "UZ",
    "CUB": "CU",
    "MDA": "MD",
    "VNM": "VN",
    "SRB": "RS",
    "IRN": "IR",
    "CHN": "CN",
    "SGP": "SG",
    "EGY": "EG",
    "IND": "IN",
    "IDN": "ID",
    "MNG": "MN",
    "TJK": "TJ",
    "TKM": "TM",
    "AZE": "AZ",
    "GEO": "GE",
    "UKR": "UA",
    "TUR": "TR",
    "DEU": "DE",
    "FRA": "FR",
    "ITA": "IT",
    "ESP": "ES",
    "NLD": "NL",
    "BEL": "BE",
    "POL": "PL",
    "CZE": "CZ",
    "SVK": "SK",
    "HUN": "HU",
    "AUT": "AT",
    "CHE": "CH",
    "SWE": "SE",
    "FIN": "FI",
    "NOR": "NO",
    "DNK": "DK",
    "GBR": "GB",
    "IRL": "IE",
    "PRT": "PT",
    "GRC": "GR",
    "LTU": "LT",
    "LVA": "LV",
    "EST": "EE",
    "ROU": "RO",
    "BGR": "BG",
    "USA": "US",
    "CAN": "CA",
    "MEX": "MX",
    "BRA": "BR",
    "ARG": "AR",
    "JPN": "JP",
    "KOR": "KR",
    "PRK": "KP",
    "TWN": "TW",
    "HKG": "HK",
    "THA": "TH",
    "MYS": "MY",
    "PHL": "PH",
    "PAK": "PK",
    "AFG": "AF",
    "ARE": "AE",
    "SAU": "SA",
    "ISR": "IL",
    "ZAF": "ZA",
    "AUS": "AU",
    "NZL": "NZ",
    "SVN": "SI",
    "HRV": "HR",
    "BIH": "BA",
    "MNE": "ME",
    "MKD": "MK",
    "ALB": "AL",
    "LUX": "LU",
    "CYP": "CY",
    "MLT": "MT",
    "ISL": "IS",
    "DZA": "DZ",
    "MAR": "MA",
    "TUN": "TN",
    "NGA": "NG",
    "ETH": "ET",
    "KEN": "KE",
    "BGD": "BD",
    "LKA": "LK",
    "VEN": "VE",
    "CHL": "CL",
    "COL": "CO",
    "PER": "PE",
}
#: Comtrade partner codes that are aggregates.
COMTRADE_AGGREGATES: dict[str, str] = {"W00": WORLD, "WLD": WORLD, "_X": "XT"}

_NUMERIC = r"^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$"


def _where_lines(mask: pa.Array | pa.ChunkedArray, limit: int = 5) -> tuple[int, list[int]]:
    """Count of true values in a boolean mask and the first file lines (header is line 1) where true."""
    flat = mask.combine_chunks() if isinstance(mask, pa.ChunkedArray) else mask
    filled = pc.fill_null(flat, False)
    idx = pc.indices_nonzero(filled)
    count = len(idx)
    return count, [int(i) + 2 for i in idx.slice(0, limit).to_pylist()]


def parse_comtrade(
    source: str | Path | IO[bytes],
    *,
    country_codes: Mapping[str, str] | None = None,
    retrieved: date | None = None,
    source_name: str = "",
    quantities: bool = True,
) -> ImportResult:
    """UN Comtrade bulk CSV (comma or tab separated). Values are US dollars (``primaryValue``).

    Nothing is returned when any row is bad: a missing column, text in a number, a flow, reporter or
    partner we cannot place, or a commodity whose quantity unit changes within the file.
    """
    result = ImportResult("comtrade")
    codes = dict(ISO3_TO_ISO2 if country_codes is None else country_codes)
    data, name = _read_raw(source)
    name = source_name or name
    if isinstance(data, str):
        raw = data.lstrip("\ufeff").encode("utf-8")
    else:
        try:
            text, encoding, fallback = decode_text(data)
        except FileDecodeError as exc:
            result.error("file", "", str(exc))
            return result
        if fallback:
            result.warn("file", "", "the file is not valid UTF-8; read as Windows-1251 (cp1251)")
        # Arrow reads UTF-8 only: a BOM or a Windows-1251 file is handed over re-encoded.
        raw = data if encoding == "utf-8" else text.encode("utf-8")
    head = raw[:4096].decode("utf-8", errors="replace")
    delimiter = "\t" if head.count("\t") > head.count(",") else ","
    first_line = head.splitlines()[0] if head else ""
    names = [c.strip().lstrip("\ufeff") for c in next(csv.reader([first_line], delimiter=delimiter), [])]
    try:
        table = pacsv.read_csv(
            io.BytesIO(raw),
            read_options=pacsv.ReadOptions(use_threads=True),
            parse_options=pacsv.ParseOptions(delimiter=delimiter),
            # Every column as text: numbers are checked here so the report can say which line is wrong.
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowKeyError) as exc:
        result.error("file", "", f"not a readable CSV: {exc}")
        return result
    header = [c.lstrip("\ufeff") for c in table.column_names]
    table = table.rename_columns(header)
    missing = [c for c in COMTRADE_REQUIRED if c not in header]
    if missing:
        result.error("line 1", ",".join(missing), f"missing column(s): {', '.join(missing)}")
        return result
    table = table.cast(pa.schema([(c, pa.string()) for c in header]))
    result.rows_read = table.num_rows
    if table.num_rows == 0:
        result.error("file", "", "no data rows")
        return result

    def col(name: str) -> pa.Array:
        return pc.utf8_trim_whitespace(table.column(name).combine_chunks())

    def bad_number(name: str, *, allow_empty: bool) -> None:
        values = col(name)
        ok = pc.match_substring_regex(values, _NUMERIC)
        if allow_empty:
            ok = pc.or_(ok, pc.equal(values, ""))
        count, lines = _where_lines(pc.invert(ok))
        if count:
            shown = ", ".join(f"line {n} ({values[n - 2].as_py()!r})" for n in lines)
            result.error(f"{count} line(s)", name, f"not a number: {shown}")

    bad_number("primaryValue", allow_empty=False)
    bad_number("refYear", allow_empty=False)
    if not result.error_count:
        years = pc.cast(col("refYear"), pa.float64())
        in_range = pc.and_(
            pc.and_(pc.greater_equal(years, 1900), pc.less_equal(years, 2100)),
            pc.equal(pc.floor(years), years),
        )
        count, lines = _where_lines(pc.invert(in_range))
        if count:
            shown = ", ".join(f"line {n} ({col('refYear')[n - 2].as_py()!r})" for n in lines)
            result.error(f"{count} line(s)", "refYear", f"not a year between 1900 and 2100: {shown}")
    if "qty" in header:
        bad_number("qty", allow_empty=True)
    if "refMonth" in header:
        bad_number("refMonth", allow_empty=True)

    flow_code = pc.utf8_upper(col("flowCode"))
    known_flow = pc.is_in(flow_code, value_set=pa.array(list(COMTRADE_FLOWS)))
    skipped, skip_lines = _where_lines(pc.invert(known_flow))
    if skipped:
        result.warn(f"{skipped} line(s)", "flowCode", f"flows other than M and X skipped, e.g. lines {skip_lines}")

    def area(name: str, *, partner: bool) -> pa.Array:
        values = pc.utf8_upper(col(name))
        mapping = dict(codes)
        if partner:
            mapping.update(COMTRADE_AGGREGATES)
        keys = pa.array(list(mapping), pa.string())
        idx = pc.index_in(values, value_set=keys)
        unknown = pc.and_(pc.is_null(idx), known_flow)
        count, lines = _where_lines(unknown)
        if count:
            shown = ", ".join(f"line {n} ({values[n - 2].as_py()!r})" for n in lines)
            result.error(f"{count} line(s)", name, f"unknown country code: {shown}")
        return pc.take(pa.array(list(mapping.values()), pa.string()), idx)

    reporter = area("reporterISO", partner=False)
    partner = area("partnerISO", partner=True)

    commodity = col("cmdCode")
    is_total = pc.equal(pc.utf8_upper(commodity), TOTAL)
    hs_ok = pc.or_(is_total, pc.match_substring_regex(commodity, r"^(\d{2}|\d{4}|\d{6}|\d{8}|\d{10})$"))
    count, lines = _where_lines(pc.invert(hs_ok))
    if count:
        shown = ", ".join(f"line {n} ({commodity[n - 2].as_py()!r})" for n in lines)
        result.error(f"{count} line(s)", "cmdCode", f"not an HS code (2-10 digits) or TOTAL: {shown}")
    commodity = pc.if_else(is_total, pa.scalar(TOTAL), commodity)

    qty_unit: pa.Array | None = None
    qty_factor: pa.Array | None = None
    if quantities and "qty" in header and "qtyUnitAbbr" in header:
        units = pc.replace_substring(pc.utf8_lower(col("qtyUnitAbbr")), " ", "")
        no_unit = pc.is_in(units, value_set=pa.array(sorted(COMTRADE_NO_UNIT)))
        known_keys = pa.array(list(COMTRADE_UNITS), pa.string())
        unit_idx = pc.index_in(units, value_set=known_keys)
        unknown_unit = pc.and_(pc.and_(pc.is_null(unit_idx), pc.invert(no_unit)), known_flow)
        count, lines = _where_lines(unknown_unit)
        if count:
            shown = ", ".join(f"line {n} ({units[n - 2].as_py()!r})" for n in lines)
            result.error(f"{count} line(s)", "qtyUnitAbbr", f"unknown quantity unit: {shown}")
        qty_unit = pc.take(pa.array([v[0] for v in COMTRADE_UNITS.values()]), unit_idx)
        qty_factor = pc.take(pa.array([v[1] for v in COMTRADE_UNITS.values()]), unit_idx)
        # One commodity, one unit: a file that reports 870120 in kg on one line and in u on another is bad.
        pairs = pa.table({"cmd": commodity, "unit": qty_unit, "line": pa.array(range(2, table.num_rows + 2))})
        pairs = pairs.filter(pc.and_(pc.is_valid(pairs["unit"]), known_flow))
        grouped = pairs.group_by("cmd").aggregate([("unit", "count_distinct"), ("unit", "distinct"), ("line", "min")])
        mixed = grouped.filter(pc.greater(grouped["unit_count_distinct"], 1))
        for row in mixed.slice(0, 10).to_pylist():
            units_seen = sorted(u for u in row["unit_distinct"] if u)
            lines_of = pairs.filter(pc.equal(pairs["cmd"], row["cmd"]))
            first_lines: dict[str, int] = {}
            for unit, line in zip(lines_of["unit"].to_pylist(), lines_of["line"].to_pylist(), strict=True):
                first_lines.setdefault(unit, line)
            where = ", ".join(f"{u} at line {first_lines[u]}" for u in units_seen)
            result.error(
                f"line {max(first_lines.values())}",
                "qtyUnitAbbr",
                f"unit mismatch for commodity {row['cmd']}: {where}",
            )
        result.error_count += max(0, mixed.num_rows - 10)

    if result.error_count:
        return result

    keep = known_flow
    year = pc.cast(pc.cast(col("refYear"), pa.float64()), pa.int16())
    period = pc.cast(year, pa.string())
    kind = pa.array(["year"] * table.num_rows, pa.string())
    if "refMonth" in header:
        month_text = col("refMonth")
        month_value = pc.cast(pc.if_else(pc.equal(month_text, ""), "52", month_text), pa.float64())
        monthly = pc.and_(
            pc.and_(pc.greater_equal(month_value, 1), pc.less_equal(month_value, 12)),
            pc.equal(pc.floor(month_value), month_value),
        )
        month = pc.cast(pc.if_else(monthly, month_value, 0.0), pa.int16())
        month_str = pc.utf8_lpad(pc.cast(month, pa.string()), 2, "0")
        period = pc.if_else(monthly, pc.binary_join_element_wise(period, month_str, "-"), period)
        kind = pc.if_else(monthly, pa.scalar("month"), kind)
    n = table.num_rows
    values = pc.cast(col("primaryValue"), pa.float64())

    def const(value: Any, typ: pa.DataType) -> pa.Array:
        return pa.array([value] * n, typ) if n < 1000 else pa.repeat(pa.scalar(value, typ), n)

    locator = pc.binary_join_element_wise(pa.scalar("line "), pc.cast(pa.array(range(2, n + 2)), pa.string()), "")
    flows = pc.take(
        pa.array(list(COMTRADE_FLOWS.values())),
        pc.index_in(flow_code, value_set=pa.array(list(COMTRADE_FLOWS))),
    )
    base = {
        "reporter": reporter,
        "partner": partner,
        "scheme": const("hs", pa.string()),
        "product": commodity,
        "flow": flows,
        "period": period,
        "year": year,
        "period_kind": kind,
        "source": const(name, pa.string()),
        "document": const("UN Comtrade bulk", pa.string()),
        "locator": locator,
        "retrieved": const(retrieved, pa.date32()),
        "note": const("", pa.string()),
        "is_synthetic": const(False, pa.bool_()),
    }
    parts = [
        pa.table(
            {
                **base,
                "indicator": const("trade", pa.string()),
                "value": values,
                "unit": const("money", pa.string()),
                "currency": const("USD", pa.string()),
            }
        ).filter(keep)
    ]
    if qty_unit is not None and qty_factor is not None:
        qty_text = col("qty")
        has_qty = pc.and_(pc.and_(keep, pc.is_valid(qty_unit)), pc.not_equal(qty_text, ""))
        qty = pc.multiply(pc.cast(pc.if_else(pc.equal(qty_text, ""), "0", qty_text), pa.float64()), qty_factor)
        parts.append(
            pa.table(
                {
                    **base,
                    "indicator": const("trade_quantity", pa.string()),
                    "value": qty,
                    "unit": qty_unit,
                    "currency": const("", pa.string()),
                }
            ).filter(has_qty)
        )
    out = pa.concat_tables([p.select(list(COLUMNS)).cast(OBSERVATION_SCHEMA) for p in parts])
    result.table = out
    return result


# ------------------------------------------------------------------------------------------- yearbook

#: Header words (lower case, English and Russian) -> observation field.
YEARBOOK_HEADERS: dict[str, str] = {
    "reporter": "reporter",
    "country": "reporter",
    "region": "reporter",
    "state": "reporter",
    "страна": "reporter",
    "регион": "reporter",
    "государство": "reporter",
    "partner": "partner",
    "партнер": "partner",
    "партнёр": "partner",
    "product": "product",
    "code": "product",
    "hs": "product",
    "nace": "product",
    "код": "product",
    "indicator": "indicator",
    "показатель": "indicator",
    "flow": "flow",
    "поток": "flow",
    "unit": "unit",
    "currency": "currency",
    "scheme": "scheme",
    "scale": "scale",
    "note": "note",
}
#: Keys accepted in "Key: value" lines above the header.
YEARBOOK_META = (
    "indicator",
    "reporter",
    "partner",
    "scheme",
    "product",
    "flow",
    "unit",
    "currency",
    "scale",
    "source",
    "document",
    "note",
    "retrieved",
)


def _year_of(cell: Any) -> int | None:
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float) and float(cell).is_integer() and 1900 <= int(cell) <= 2100:
        return int(cell)
    if isinstance(cell, str) and re.fullmatch(r"\s*(19|20)\d{2}\s*(г\.?)?\s*", cell):
        return int(re.sub(r"\D", "", cell))
    return None


def _cell_ref(row: int, col: int) -> str:
    letters = ""
    n = col
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row}"


def parse_yearbook_rows(
    rows: Iterable[tuple[Any, ...]],
    *,
    sheet: str = "Sheet1",
    defaults: Mapping[str, str] | None = None,
    retrieved: date | None = None,
    source_name: str = "",
) -> ImportResult:
    """The yearbook layout as rows of cell values (what openpyxl yields); see :func:`parse_yearbook`."""
    result = ImportResult("yearbook")
    meta: dict[str, str] = {}
    header: tuple[Any, ...] | None = None
    header_row = 0
    year_cols: dict[int, int] = {}
    dim_cols: dict[int, str] = {}
    observations: list[Observation] = []
    for r, row in enumerate(rows, start=1):
        cells = tuple(row)
        if header is None:
            years = {i: y for i, c in enumerate(cells) if (y := _year_of(c)) is not None}
            if years:
                header, header_row, year_cols = cells, r, years
                for i, c in enumerate(cells):
                    if i in years or c is None:
                        continue
                    key = YEARBOOK_HEADERS.get(str(c).strip().lower().rstrip(":"))
                    if key:
                        dim_cols[i] = key
                continue
            texts = [str(c).strip() for c in cells if c is not None and str(c).strip()]
            if not texts:
                continue
            if ":" in texts[0]:
                key, _, value = texts[0].partition(":")
                value = value.strip() or (texts[1] if len(texts) > 1 else "")
            elif len(texts) >= 2:
                key, value = texts[0], texts[1]
            else:
                continue
            key = key.strip().lower()
            if key in YEARBOOK_META:
                meta[key] = value.strip()
            continue
        if not any(c is not None and str(c).strip() for c in cells):
            continue
        fields: dict[str, Any] = {**(defaults or {}), **meta}
        for i, key in dim_cols.items():
            if i < len(cells) and cells[i] is not None and str(cells[i]).strip():
                fields[key] = str(cells[i]).strip()
        if not any(i < len(cells) and cells[i] is not None and str(cells[i]).strip() != "" for i in year_cols):
            continue  # a section title or a label without numbers
        result.rows_read += 1
        try:
            scale = parse_scale(str(fields.get("scale", "")))
        except ObservationError as exc:
            result.error(f"{sheet}!{_cell_ref(header_row, 1)}", exc.column, exc.message)
            return result
        for i, year in year_cols.items():
            ref = f"{sheet}!{_cell_ref(r, i + 1)}"
            cell = cells[i] if i < len(cells) else None
            try:
                number = parse_number(cell)
            except ObservationError as exc:
                result.error(ref, str(year), exc.message)
                continue
            if number is None:
                continue
            try:
                obs = make_observation({**fields, "period": str(year), "value": number}, scale=scale)
            except ObservationError as exc:
                result.error(ref, exc.column, exc.message)
                continue
            obs.source = obs.source or source_name
            obs.locator = obs.locator or ref
            obs.retrieved = obs.retrieved or retrieved
            observations.append(obs)
    if header is None:
        result.error(sheet, "", "no header row with years (e.g. 2017, 2018, ...) found")
        return result
    if result.error_count == 0:
        if not observations:
            result.error(sheet, "", "no values under the year columns")
        else:
            result.table = to_table(observations)
    return result


def parse_yearbook(
    source: str | Path | IO[bytes],
    *,
    sheet: str | None = None,
    defaults: Mapping[str, str] | None = None,
    retrieved: date | None = None,
    source_name: str = "",
) -> ImportResult:
    """An XLSX sheet laid out like a statistical yearbook.

    Optional ``Key: value`` lines on top (indicator, unit, currency, scale, source, ...), then a header
    row whose year cells (2017, 2018, ...) become periods and whose other cells name the label columns
    (Country/Region -> reporter, Code/Activity -> product, ...), then one row per series. ``defaults``
    fill whatever the sheet does not say (from the command line). '…', '-', 'x' mean no data.
    """
    from openpyxl import load_workbook  # openpyxl is a runtime dependency; imported when needed

    name = Path(source).name if isinstance(source, str | Path) else Path(str(getattr(source, "name", "upload"))).name
    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is not XLSX
        result = ImportResult("yearbook")
        result.error("file", "", f"not a readable XLSX workbook: {type(exc).__name__}: {exc}")
        return result
    try:
        if sheet is not None and sheet not in book.sheetnames:
            result = ImportResult("yearbook")
            result.error("file", "", f"no sheet {sheet!r}; sheets: {', '.join(book.sheetnames)}")
            return result
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        return parse_yearbook_rows(
            ws.iter_rows(values_only=True),
            sheet=ws.title,
            defaults=defaults,
            retrieved=retrieved,
            source_name=source_name or name,
        )
    finally:
        book.close()


def parse(
    fmt: str,
    source: str | Path | IO[bytes],
    *,
    retrieved: date | None = None,
    source_name: str = "",
    defaults: Mapping[str, str] | None = None,
    country_codes: Mapping[str, str] | None = None,
    sheet: str | None = None,
) -> ImportResult:
    """Dispatch on the format name (``long``, ``comtrade``, ``yearbook``)."""
    if fmt == "long":
        return parse_long(source, retrieved=retrieved, source_name=source_name)
    if fmt == "comtrade":
        return parse_comtrade(source, country_codes=country_codes, retrieved=retrieved, source_name=source_name)
    if fmt == "yearbook":
        return parse_yearbook(source, sheet=sheet, defaults=defaults, retrieved=retrieved, source_name=source_name)
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def parse_period_safe(raw: str) -> str | None:
    """A period string normalised, or None when it is not one (for command-line arguments)."""
    try:
        return parse_period(raw)[0]
    except ObservationError:
        return None
