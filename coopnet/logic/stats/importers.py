"""Importers: a file in, an Arrow table of observations out, or the list of what is wrong with it.

Three formats (documented in docs/stats-formats.md):

* ``long``     — our own long CSV, one observation per line;
* ``comtrade`` — UN Comtrade CSV in today's layout (reporterCode, partnerCode, partner2Code, customsCode,
  motCode, cmdCode, primaryValue, ...) or the classic one (Year, Reporter Code, ..., Trade Value (US$)),
  validated column-wise with Arrow so millions of rows stay fast (see comtrade.py);
* ``yearbook`` — an XLSX sheet laid out like a statistical yearbook: labels on the left, years across.

An importer never writes anything: it returns an :class:`ImportResult`; the caller writes the table
only when ``result.ok``. Every issue names the line (or cell) and the column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import IO, Any

from .comtrade import parse_comtrade
from .reading import MAX_LISTED, FileDecodeError, ImportResult, Issue, decode_text, read_text
from .schema import (
    Observation,
    ObservationError,
    make_observation,
    parse_number,
    parse_period,
    parse_scale,
    to_table,
)

FORMATS: tuple[str, ...] = ("long", "comtrade", "yearbook")
__all__ = [
    "FORMATS",
    "MAX_LISTED",
    "FileDecodeError",
    "ImportResult",
    "Issue",
    "decode_text",
    "parse",
    "parse_comtrade",
    "parse_long",
    "parse_yearbook",
    "parse_yearbook_rows",
]


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
    "edition",
    "partner2",
    "customs",
    "transport",
)


def parse_long(
    source: str | Path | IO[str] | IO[bytes], *, retrieved: date | None = None, source_name: str = ""
) -> ImportResult:
    """Our long CSV: a header line, then one observation per line (see docs/stats-formats.md).

    Rows without a ``source`` get the file name and ``line N`` as provenance.
    """
    result = ImportResult("long")
    read = read_text(source, result)
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
