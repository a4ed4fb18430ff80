"""Importers: a file in, an Arrow table of observations out, or the list of what is wrong with it.

Five formats (documented in docs/stats-formats.md):

* ``long``     — our own long CSV, one observation per line;
* ``comtrade`` — UN Comtrade CSV in today's layout (reporterCode, partnerCode, partner2Code, customsCode,
  motCode, cmdCode, primaryValue, ...) or the classic one (Year, Reporter Code, ..., Trade Value (US$)),
  validated column-wise with Arrow so millions of rows stay fast (see comtrade.py);
* ``yearbook`` — an XLSX sheet laid out like a statistical yearbook: labels on the left, years across;
* ``sdmx-csv`` and ``sdmx-ml`` — SDMX-CSV 2.0 and SDMX-ML 2.1 in coopnet's data structure (see sdmx.py).

An importer never writes anything: it returns an :class:`ImportResult`; the caller writes the table
only when ``result.ok``. Every issue names the line (or cell) and the column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import IO, Any

from . import sdmx
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

FORMATS: tuple[str, ...] = ("long", "comtrade", "yearbook", *sdmx.FORMATS)
__all__ = [
    "FORMATS",
    "MAX_LISTED",
    "FileDecodeError",
    "ImportResult",
    "Issue",
    "decode_text",
    "normalise_name",
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


#: A footnote mark after a year, a label or a value: "2023 1)", "Беларусь2)", "12,5*", "2024¹", "(3)".
_FOOTNOTE = re.compile(r"\s*(\(?\d{1,2}\)|\*{1,3}|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)\s*$")
_YEAR = re.compile(r"\s*(?P<year>(19|20)\d{2})\s*(г\.?|гг\.?|год|year)?\s*")
#: Header words above year columns (a merged "Exports" over 2022, 2023) that say the flow.
YEARBOOK_FLOW_WORDS: dict[str, str] = {
    "export": "export",
    "exports": "export",
    "экспорт": "export",
    "import": "import",
    "imports": "import",
    "импорт": "import",
    "production": "production",
    "производство": "production",
}
#: Names of the aggregates in English and Russian (countries and regions come from the reference data).
AGGREGATE_NAMES: dict[str, str] = {
    "eaeu": "EAEU",
    "eaeu total": "EAEU",
    "eurasian economic union": "EAEU",
    "еаэс": "EAEU",
    "еаэс, всего": "EAEU",
    "евразийский экономический союз": "EAEU",
    "world": "WLD",
    "мир": "WLD",
    "всего": "WLD",
    "total": "WLD",
    "third countries": "XT",
    "третьи страны": "XT",
    "страны вне еаэс": "XT",
}
#: Official and short names of the member states the reference list does not carry (English, Russian).
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "AM": ("Republic of Armenia", "Республика Армения"),
    "BY": ("Republic of Belarus", "Республика Беларусь", "Белоруссия"),
    "KZ": ("Republic of Kazakhstan", "Республика Казахстан"),
    "KG": ("Kyrgyz Republic", "Kyrgyz Rep.", "Кыргызская Республика", "Киргизия", "Киргизская Республика"),
    "RU": ("Russian Federation", "Российская Федерация", "Russian Fed."),
}
#: What a statistical "no data" mark means, for the warning that names the cells.
NO_DATA_MARKS: dict[str, str] = {
    "": "empty",
    "-": "'-' (no such event)",
    "–": "'-' (no such event)",
    "—": "'-' (no such event)",
    "…": "'…' (no data)",
    "...": "'…' (no data)",
    "..": "'…' (no data)",
    "x": "'x' (confidential)",
    "X": "'x' (confidential)",
    "х": "'x' (confidential)",
    "n/a": "'n/a' (not available)",
    "N/A": "'n/a' (not available)",
}


def normalise_name(text: str) -> str:
    """A place name as looked up: lower case, single spaces, no footnote mark, 'ё' as 'е'."""
    return " ".join(_FOOTNOTE.sub("", str(text)).replace("ё", "е").replace("Ё", "Е").lower().split())


def split_footnote(cell: Any) -> tuple[Any, str]:
    """('2023', '1)') for '2023 1)'; cells without a mark come back as they are with ''."""
    if not isinstance(cell, str):
        return cell, ""
    match = _FOOTNOTE.search(cell)
    if not match or not cell[: match.start()].strip():
        return cell, ""
    return cell[: match.start()].strip(), match.group(1)


def _year_of(cell: Any) -> tuple[int, str] | None:
    """The year of a header cell and its footnote mark: 2023, '2023', '2023 г.', '2023 1)', '2023*'."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float) and float(cell).is_integer() and 1900 <= int(cell) <= 2100:
        return int(cell), ""
    if isinstance(cell, str):
        text, mark = split_footnote(cell)
        match = _YEAR.fullmatch(str(text))
        if match:
            return int(match.group("year")), mark
    return None


def _cell_ref(row: int, col: int) -> str:
    letters = ""
    n = col
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row}"


def _text_of(cell: Any) -> str:
    return "" if cell is None else str(cell).strip()


def _no_data_warnings(result: ImportResult, sheet: str, skipped: dict[str, list[str]]) -> None:
    for kind, cells in skipped.items():
        shown = ", ".join(cells[:30]) + (f" and {len(cells) - 30} more" if len(cells) > 30 else "")
        result.warn(f"{sheet}", "", f"{len(cells)} cell(s) {kind}, no observation: {shown}")


def parse_yearbook_rows(
    rows: Iterable[Sequence[Any]],
    *,
    sheet: str = "Sheet1",
    defaults: Mapping[str, str] | None = None,
    retrieved: date | None = None,
    source_name: str = "",
    area_names: Mapping[str, str] | None = None,
) -> ImportResult:
    """The yearbook layout as rows of cell values (merged cells filled in); see :func:`parse_yearbook`.

    ``area_names`` maps normalised country and region names (English and Russian, see
    :func:`normalise_name`) to codes, so a sheet may say "Беларусь" or "Minsk Region" instead of BY, BY-MI.
    """
    result = ImportResult("yearbook")
    names = {**AGGREGATE_NAMES, **{normalise_name(k): v for k, v in (area_names or {}).items()}}
    meta: dict[str, str] = {}
    header_row = 0
    year_cols: dict[int, tuple[int, str]] = {}
    col_flow: dict[int, str] = {}
    dim_cols: dict[int, str] = {}
    above: tuple[Any, ...] = ()
    observations: list[Observation] = []
    skipped: dict[str, list[str]] = {}
    for r, row in enumerate(rows, start=1):
        cells = tuple(row)
        if not header_row:
            years = {i: y for i, c in enumerate(cells) if (y := _year_of(c)) is not None}
            if years:
                header_row, year_cols = r, years
                for i, c in enumerate(cells):
                    if i in years or not _text_of(c):
                        continue
                    label, _mark = split_footnote(_text_of(c))
                    key = YEARBOOK_HEADERS.get(str(label).strip().lower().rstrip(":"))
                    if key:
                        dim_cols[i] = key
                    else:
                        result.warn(f"{sheet}!{_cell_ref(r, i + 1)}", "", f"column {_text_of(c)!r} is not read")
                # A (merged) header cell above the years that names a flow: "Exports" over 2022 and 2023.
                for i in years:
                    word = normalise_name(_text_of(above[i])) if i < len(above) else ""
                    if word in YEARBOOK_FLOW_WORDS:
                        col_flow[i] = YEARBOOK_FLOW_WORDS[word]
                    elif word:
                        result.warn(
                            f"{sheet}!{_cell_ref(r - 1, i + 1)}", "", f"header {_text_of(above[i])!r} is not read"
                        )
                continue
            texts = [_text_of(c) for c in cells if _text_of(c)]
            above = cells
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
                above = ()
            continue
        if not any(_text_of(c) for c in cells):
            continue
        fields: dict[str, Any] = {**(defaults or {}), **meta}
        notes: list[str] = []
        for i, key in dim_cols.items():
            if i < len(cells) and _text_of(cells[i]):
                value, mark = split_footnote(_text_of(cells[i]))
                fields[key] = value
                if mark:
                    notes.append(f"footnote {mark} at {sheet}!{_cell_ref(r, i + 1)}")
        if not any(i < len(cells) and _text_of(cells[i]) for i in year_cols):
            continue  # a section title or a label without numbers
        result.rows_read += 1
        place_error = False
        for key in ("reporter", "partner"):
            value = str(fields.get(key) or "").strip()
            if value and not re.fullmatch(r"[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?|EAEU|WLD|XT", value):
                code = names.get(normalise_name(value))
                if code is None:
                    col = next((i for i, k in dim_cols.items() if k == key), None)
                    ref = f"{sheet}!{_cell_ref(r, col + 1)}" if col is not None else sheet
                    result.error(ref, key, f"{value!r} is not a country or region coopnet knows (code or name)")
                    place_error = True
                else:
                    fields[key] = code
        if place_error:
            continue
        try:
            scale = parse_scale(str(fields.get("scale", "")))
        except ObservationError as exc:
            result.error(f"{sheet}!{_cell_ref(header_row, 1)}", exc.column, exc.message)
            return result
        for i, (year, year_mark) in year_cols.items():
            ref = f"{sheet}!{_cell_ref(r, i + 1)}"
            cell = cells[i] if i < len(cells) else None
            cell, mark = split_footnote(cell)
            text = _text_of(cell)
            if isinstance(cell, str) and text in NO_DATA_MARKS or cell is None:
                skipped.setdefault(NO_DATA_MARKS.get(text, "empty"), []).append(ref)
                continue
            try:
                number = parse_number(cell)
            except ObservationError as exc:
                result.error(ref, str(year), exc.message)
                continue
            if number is None:
                skipped.setdefault("empty", []).append(ref)
                continue
            cell_notes = list(notes)
            if year_mark:
                cell_notes.append(f"footnote {year_mark} at {sheet}!{_cell_ref(header_row, i + 1)}")
            if mark:
                cell_notes.append(f"footnote {mark} at {ref}")
            values = {**fields, "period": str(year), "value": number}
            if i in col_flow:
                values["flow"] = col_flow[i]
            if cell_notes:
                values["note"] = "; ".join(filter(None, [str(fields.get("note") or "").strip(), *cell_notes]))
            try:
                obs = make_observation(values, scale=scale)
            except ObservationError as exc:
                result.error(ref, exc.column, exc.message)
                continue
            obs.source = obs.source or source_name
            obs.locator = obs.locator or ref
            obs.retrieved = obs.retrieved or retrieved
            observations.append(obs)
    if not header_row:
        result.error(sheet, "", "no header row with years (e.g. 2017, 2018, ...) found")
        return result
    _no_data_warnings(result, sheet, skipped)
    if result.error_count == 0:
        if not observations:
            result.error(sheet, "", "no values under the year columns")
        else:
            result.table = to_table(observations)
    return result


def _filled_rows(ws: Any) -> list[list[Any]]:
    """The sheet's values with every merged range filled with its top-left value (as a reader sees it)."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    for merged in ws.merged_cells.ranges:
        value = ws.cell(merged.min_row, merged.min_col).value
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                if r - 1 < len(rows):
                    row = rows[r - 1]
                    row.extend([None] * (c - len(row)))
                    row[c - 1] = value
    return rows


#: Largest sheet the yearbook importer reads (cells); a statistical table is far smaller.
MAX_YEARBOOK_CELLS = 2_000_000


def parse_yearbook(
    source: str | Path | IO[bytes],
    *,
    sheet: str | None = None,
    defaults: Mapping[str, str] | None = None,
    retrieved: date | None = None,
    source_name: str = "",
    area_names: Mapping[str, str] | None = None,
) -> ImportResult:
    """An XLSX sheet laid out like a statistical yearbook.

    Optional ``Key: value`` lines on top (indicator, unit, currency, scale, source, ...), then a header
    row whose year cells (2017, '2018 г.', '2023 1)') become periods and whose other cells name the label
    columns (Country/Region -> reporter, Code/Activity -> product, ...), then one row per series. A merged
    header above the years may name the flow (Exports / Импорт). Merged cells count for every cell they
    cover. Places may be codes or names (``area_names``). ``defaults`` fill whatever the sheet does not
    say. '…', '-', 'x' and empty cells mean no data: they give no observation and a warning names them;
    footnote marks are kept in the note.
    """
    from openpyxl import load_workbook  # openpyxl is a runtime dependency; imported when needed

    name = Path(source).name if isinstance(source, str | Path) else Path(str(getattr(source, "name", "upload"))).name
    try:
        book = load_workbook(source, read_only=False, data_only=True)
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
        if ws.max_row * ws.max_column > MAX_YEARBOOK_CELLS:
            result = ImportResult("yearbook")
            result.error(
                ws.title,
                "",
                f"the sheet has {ws.max_row:,} rows x {ws.max_column:,} columns; a yearbook table has at most "
                f"{MAX_YEARBOOK_CELLS:,} cells (split it, or use the long CSV format)",
            )
            return result
        return parse_yearbook_rows(
            _filled_rows(ws),
            sheet=ws.title,
            defaults=defaults,
            retrieved=retrieved,
            source_name=source_name or name,
            area_names=area_names,
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
    area_names: Mapping[str, str] | None = None,
) -> ImportResult:
    """Dispatch on the format name (``long``, ``comtrade``, ``yearbook``, ``sdmx-csv``, ``sdmx-ml``)."""
    if fmt == "long":
        return parse_long(source, retrieved=retrieved, source_name=source_name)
    if fmt == "comtrade":
        return parse_comtrade(source, country_codes=country_codes, retrieved=retrieved, source_name=source_name)
    if fmt in sdmx.FORMATS:
        return sdmx.parse(fmt, source, retrieved=retrieved, source_name=source_name)
    if fmt == "yearbook":
        return parse_yearbook(
            source, sheet=sheet, defaults=defaults, retrieved=retrieved, source_name=source_name, area_names=area_names
        )
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def parse_period_safe(raw: str) -> str | None:
    """A period string normalised, or None when it is not one (for command-line arguments)."""
    try:
        return parse_period(raw)[0]
    except ObservationError:
        return None
