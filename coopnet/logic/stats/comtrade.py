"""UN Comtrade files as they really come: today's API/bulk layout and the classic layout.

Both layouts are read into the same canonical columns (today's names: ``refYear``, ``reporterCode``,
``partnerCode``, ``partner2Code``, ``customsCode``, ``motCode``, ``flowCode``, ``cmdCode``,
``classificationCode``, ``primaryValue``, ...), then checked column-wise with Arrow, so millions of rows
stay fast. What the reader keeps (docs/stats-formats.md):

* reporters and partners by their numeric Comtrade/M49 code (``reporterCode``), resolved with the
  Comtrade reference table shipped in ``data/comtrade_areas.csv``, or by the ISO alpha-3 column where
  there is no code; ``0``/``W00`` is the world;
* **breakdown rows** — by second partner (``partner2Code`` not 0), customs procedure (``customsCode`` not
  C00) or mode of transport (``motCode`` not 0) — as breakdowns (columns partner2, customs, transport),
  never as totals: the indicators read totals only;
* the HS edition (``classificationCode`` H0..H6) on every observation;
* estimation and reporting flags (``legacyEstimationFlag``/``Flag``, ``isQtyEstimated``, ``isReported``,
  ``isAggregate``, ...) as the observation's note.

Pure module: no Django.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .reading import ImportResult, read_utf8
from .schema import COLUMNS, OBSERVATION_SCHEMA, TOTAL, WORLD

AREAS_FILE = Path(__file__).with_name("data") / "comtrade_areas.csv"

#: The classic layout's column titles (and the older bulk files' titles) -> today's column names.
CLASSIC_COLUMNS: dict[str, str] = {
    "classification": "classificationCode",
    "year": "refYear",
    "period": "period",
    "aggregate level": "aggrLevel",
    "is leaf code": "isLeaf",
    "trade flow code": "flowCode",
    "trade flow": "flowDesc",
    "reporter code": "reporterCode",
    "reporter": "reporterDesc",
    "reporter iso": "reporterISO",
    "partner code": "partnerCode",
    "partner": "partnerDesc",
    "partner iso": "partnerISO",
    "2nd partner code": "partner2Code",
    "2nd partner": "partner2Desc",
    "2nd partner iso": "partner2ISO",
    "customs proc. code": "customsCode",
    "customs": "customsDesc",
    "mode of transport code": "motCode",
    "mode of transport": "motDesc",
    "commodity code": "cmdCode",
    "commodity": "cmdDesc",
    "qty unit code": "qtyUnitCode",
    "quantity unit code": "qtyUnitCode",
    "qty unit": "qtyUnitAbbr",
    "qty": "qty",
    "supplementary quantity": "qty",
    "netweight (kg)": "netWgt",
    "gross weight (kg)": "grossWgt",
    "trade value (us$)": "primaryValue",
    "value": "primaryValue",
    "cif trade value (us$)": "cifvalue",
    "fob trade value (us$)": "fobvalue",
    "flag": "legacyEstimationFlag",
    "estimation code": "legacyEstimationFlag",
}
#: Today's column names, matched without regard to case ("primaryvalue" is "primaryValue").
CURRENT_COLUMNS: tuple[str, ...] = (
    "typeCode", "freqCode", "refPeriodId", "refYear", "refMonth", "period", "reporterCode", "reporterISO",
    "reporterDesc", "flowCode", "flowDesc", "partnerCode", "partnerISO", "partnerDesc", "partner2Code",
    "partner2ISO", "partner2Desc", "classificationCode", "classificationSearchCode", "isOriginalClassification",
    "cmdCode", "cmdDesc", "aggrLevel", "isLeaf", "customsCode", "customsDesc", "mosCode", "motCode", "motDesc",
    "qtyUnitCode", "qtyUnitAbbr", "qty", "isQtyEstimated", "altQtyUnitCode", "altQtyUnitAbbr", "altQty",
    "isAltQtyEstimated", "netWgt", "isNetWgtEstimated", "grossWgt", "isGrossWgtEstimated", "cifvalue",
    "fobvalue", "primaryValue", "legacyEstimationFlag", "isReported", "isAggregate",
)  # fmt: skip

#: Comtrade flow codes (today's letters and the classic numbers) -> our flow; others are skipped with a
#: warning (re-exports RX/3, re-imports RM/4, domestic exports DX, foreign imports FM, processing flows:
#: components or variants of X and M, not to be added to them).
COMTRADE_FLOWS: dict[str, str] = {"M": "import", "X": "export", "1": "import", "2": "export"}
#: Comtrade quantity units -> (our unit, factor to it). Abbreviations (today) and descriptions (classic).
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
    "weightinkilograms": ("kg", 1.0),
    "numberofitems": ("u", 1.0),
    "numberofpairs": ("u", 2.0),
    "dozenofitems": ("u", 12.0),
    "thousandsofitems": ("u", 1000.0),
    "volumeinlitres": ("l", 1.0),
    "lengthinmetres": ("m", 1.0),
    "areainsquaremetres": ("m2", 1.0),
    "volumeincubicmeters": ("m3", 1.0),
    "volumeincubicmetres": ("m3", 1.0),
    "electricalenergyinthousandsofkilowatt-hours": ("kwh", 1000.0),
    "weightincarats": ("kg", 0.0002),
}
#: Comtrade "no quantity" marks.
COMTRADE_NO_UNIT = {"", "n/a", "na", "-1", "-", "noquantity"}
#: Values meaning "not broken down" in the breakdown columns.
WHOLE_PARTNER2 = {"", "0", "W00", "WLD"}
WHOLE_CUSTOMS = {"", "C00"}
WHOLE_TRANSPORT = {"", "0"}
#: Legacy estimation flags (``legacyEstimationFlag``, classic ``Flag``): 0 = none.
LEGACY_FLAGS: dict[str, str] = {
    "2": "quantity estimated",
    "4": "net weight estimated",
    "6": "quantity and net weight estimated",
}
#: Boolean flag columns -> the note when true (``isReported`` is noted when false).
TRUE_FLAGS: dict[str, str] = {
    "isQtyEstimated": "quantity estimated",
    "isAltQtyEstimated": "alternative quantity estimated",
    "isNetWgtEstimated": "net weight estimated",
    "isGrossWgtEstimated": "gross weight estimated",
    "isAggregate": "aggregate computed by UN Comtrade",
}
_NUMERIC = r"^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$"
_EDITION = re.compile(r"^H[0-6]$")


@dataclass(frozen=True)
class Area:
    code: str
    iso2: str
    iso3: str
    name: str
    reporter_group: bool
    partner_group: bool


@lru_cache(maxsize=1)
def areas() -> dict[str, Area]:
    """The Comtrade reference table of reporter and partner areas, by numeric code (see data/README.md)."""
    with AREAS_FILE.open(encoding="utf-8", newline="") as handle:
        return {
            row["code"]: Area(
                row["code"],
                row["iso2"],
                row["iso3"].strip(),
                row["name"],
                row["reporter_group"] == "1",
                row["partner_group"] == "1",
            )
            for row in csv.DictReader(handle)
        }


def area_code(area: Area) -> str:
    """Our code for a Comtrade area: the world WLD, a country's alpha-2, else ``XX-<code>`` (an area
    Comtrade reports without a country: Areas nes 899, Bunkers 837, Free zones 838, ...)."""
    if area.code == "0":
        return WORLD
    return area.iso2 or f"XX-{area.code}"


def iso3_codes(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """ISO alpha-3 (and Comtrade's own alpha codes such as W00, _X) -> our area code."""
    out: dict[str, str] = {}
    seen: dict[str, int] = {}
    for area in areas().values():
        if area.iso3:
            seen[area.iso3] = seen.get(area.iso3, 0) + 1
            out.setdefault(area.iso3, area_code(area))
    for iso3, n in seen.items():
        # An alpha code Comtrade gives two areas (A79) cannot name one of them; a country code stays.
        if n > 1 and out[iso3].startswith("XX-"):
            del out[iso3]
    out.update({"W00": WORLD, "WLD": WORLD})
    out.update({k.upper(): v for k, v in (extra or {}).items()})
    return out


def _canonical(names: list[str]) -> list[str]:
    current = {c.lower(): c for c in CURRENT_COLUMNS}
    out = []
    for raw in names:
        key = raw.strip().lstrip("\ufeff").strip().lower()
        out.append(current.get(key) or CLASSIC_COLUMNS.get(key) or raw.strip())
    return out


def _where_lines(mask: pa.Array | pa.ChunkedArray, limit: int = 5) -> tuple[int, list[int]]:
    """Count of true values in a boolean mask and the first file lines (header is line 1) where true."""
    flat = mask.combine_chunks() if isinstance(mask, pa.ChunkedArray) else mask
    idx = pc.indices_nonzero(pc.fill_null(flat, False))
    return len(idx), [int(i) + 2 for i in idx.slice(0, limit).to_pylist()]


def _shown(values: pa.Array, lines: list[int]) -> str:
    return ", ".join(f"line {n} ({values[n - 2].as_py()!r})" for n in lines)


def _read_table(raw: bytes, result: ImportResult) -> pa.Table | None:
    head = raw[:65536].decode("utf-8", errors="replace")
    delimiter = "\t" if head.count("\t") > head.count(",") else ","
    sample = list(csv.reader(io.StringIO(head), delimiter=delimiter))
    if not sample or not any(c.strip() for c in sample[0]):
        result.error("file", "", "empty file: no header line")
        return None
    names = _canonical(sample[0])
    # Files saved from the Comtrade site end every data line with a delimiter the header line lacks.
    extra = 1 if len(sample) > 1 and len(sample[1]) == len(names) + 1 and sample[1][-1] == "" else 0
    if len(set(names)) < len(names):
        dupes = sorted({n for n in names if names.count(n) > 1})
        result.error("line 1", ",".join(dupes), f"column(s) given twice: {', '.join(dupes)}")
        return None
    column_names = names + [f"_extra{i}" for i in range(extra)]
    bad_rows: list[int] = []

    def invalid(row: Any) -> str:
        bad_rows.append(row.actual_columns)
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(raw),
            read_options=pacsv.ReadOptions(use_threads=True, column_names=column_names, skip_rows=1),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, invalid_row_handler=invalid),
            # Every column as text: numbers are checked here so the report can say which line is wrong.
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in column_names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowKeyError) as exc:
        result.error("file", "", f"not a readable CSV: {exc}")
        return None
    if bad_rows:
        # Arrow reads in parallel and cannot tell the line; a plain pass over the text finds them.
        expected = len(column_names)
        shown = []
        reader = csv.reader(io.StringIO(raw.decode("utf-8", errors="replace")), delimiter=delimiter)
        next(reader, None)
        for cells in reader:
            if cells and len(cells) != expected:
                shown.append(f"line {reader.line_num}: {len(cells)} cells, the header has {len(names)}")
                if len(shown) == 5:
                    break
        result.error(f"{len(bad_rows)} line(s)", "", "wrong number of cells: " + "; ".join(shown))
        return None
    for i in range(extra):
        filled = pc.not_equal(pc.utf8_trim_whitespace(table.column(f"_extra{i}").combine_chunks()), "")
        count, lines = _where_lines(filled)
        if count:
            result.error(f"{count} line(s)", "", f"a cell after the last column: lines {lines}")
            return None
    return table.select(names)


def parse_comtrade(
    source: str | Path | IO[bytes],
    *,
    country_codes: Mapping[str, str] | None = None,
    retrieved: date | None = None,
    source_name: str = "",
    quantities: bool = True,
) -> ImportResult:
    """A UN Comtrade CSV (comma or tab separated), today's or the classic layout; values in US dollars.

    ``country_codes`` adds ISO alpha-3 -> alpha-2 pairs to the shipped table. Nothing is returned when any
    row is bad: a missing column, text in a number, a flow, reporter or partner we cannot place, an HS
    edition we do not know, or a commodity whose quantity unit changes within a year.
    """
    result = ImportResult("comtrade")
    read = read_utf8(source, result)
    if read is None:
        return result
    raw, name = read
    name = source_name or name
    table = _read_table(raw, result)
    if table is None:
        return result
    header = table.column_names
    missing = [
        need
        for need, options in (
            ("refYear", ("refYear", "period")),
            ("reporterCode", ("reporterCode", "reporterISO")),
            ("partnerCode", ("partnerCode", "partnerISO")),
            ("flowCode", ("flowCode",)),
            ("cmdCode", ("cmdCode",)),
            ("primaryValue", ("primaryValue",)),
        )
        if not any(o in header for o in options)
    ]
    if missing:
        result.error(
            "line 1",
            ",".join(missing),
            f"missing column(s): {', '.join(missing)} (today's layout: refYear, reporterCode or reporterISO, "
            "partnerCode or partnerISO, flowCode, cmdCode, primaryValue; classic layout: Year, Reporter Code, "
            "Partner Code, Trade Flow Code, Commodity Code, Trade Value (US$))",
        )
        return result
    result.rows_read = n = table.num_rows
    if n == 0:
        result.error("file", "", "no data rows")
        return result
    columns: dict[str, pa.Array] = {}

    def col(column: str) -> pa.Array:
        if column not in columns:
            if column in header:
                columns[column] = pc.utf8_trim_whitespace(table.column(column).combine_chunks())
            else:
                columns[column] = pa.array([""] * n, pa.string()) if n < 1000 else pa.repeat(pa.scalar(""), n)
        return columns[column]

    def bad_number(column: str, *, allow_empty: bool) -> None:
        values = col(column)
        ok = pc.match_substring_regex(values, _NUMERIC)
        if allow_empty:
            ok = pc.or_(ok, pc.equal(values, ""))
        count, lines = _where_lines(pc.invert(ok))
        if count:
            result.error(f"{count} line(s)", column, f"not a number: {_shown(values, lines)}")

    # Year: refYear, or the first four digits of period (2024 or 202403).
    if "refYear" not in header:
        columns["refYear"] = pc.utf8_slice_codeunits(col("period"), 0, 4)
    bad_number("primaryValue", allow_empty=False)
    bad_number("refYear", allow_empty=False)
    if not result.error_count:
        years = pc.cast(col("refYear"), pa.float64())
        in_range = pc.and_(
            pc.and_(pc.greater_equal(years, 1900), pc.less_equal(years, 2100)), pc.equal(pc.floor(years), years)
        )
        count, lines = _where_lines(pc.invert(in_range))
        if count:
            result.error(
                f"{count} line(s)", "refYear", f"not a year between 1900 and 2100: {_shown(col('refYear'), lines)}"
            )
    month: pa.Array | None = None
    if "refMonth" in header:
        bad_number("refMonth", allow_empty=True)
        month = col("refMonth")
    elif "period" in header and "refYear" in header:
        # The classic layout gives monthly periods as 202403 in Period.
        period_text = col("period")
        month = pc.if_else(
            pc.match_substring_regex(period_text, r"^\d{6}$"), pc.utf8_slice_codeunits(period_text, 4, 6), ""
        )
    if quantities and "qty" in header:
        bad_number("qty", allow_empty=True)

    # The classic "plus" files give 0 as Trade Flow Code and the letter (M, X, RX, ...) in Trade Flow.
    flow_code = pc.utf8_upper(col("flowCode"))
    if "flowDesc" in header:
        described = pc.utf8_upper(col("flowDesc"))
        described = pc.if_else(
            pc.equal(described, "IMPORT"), "M", pc.if_else(pc.equal(described, "EXPORT"), "X", described)
        )
        flow_code = pc.if_else(pc.is_in(flow_code, value_set=pa.array(["", "0"])), described, flow_code)
    known_flow = pc.is_in(flow_code, value_set=pa.array(list(COMTRADE_FLOWS)))
    skipped, skip_lines = _where_lines(pc.invert(known_flow))
    if skipped:
        seen = sorted(set(pc.unique(pc.filter(flow_code, pc.invert(known_flow))).to_pylist()))[:8]
        result.warn(
            f"{skipped} line(s)",
            "flowCode",
            f"flows other than imports (M) and exports (X) skipped ({', '.join(map(str, seen))}), "
            f"e.g. lines {skip_lines}",
        )
    keep = known_flow

    table_areas = areas()
    by_iso = iso3_codes(country_codes)
    by_code = {code: area_code(a) for code, a in table_areas.items()}

    def resolve(role: str) -> pa.Array:
        """Our area codes for reporterCode/partnerCode/partner2Code, or the ISO column where no code."""
        code_col, iso_col = f"{role}Code", f"{role}ISO"
        codes = pc.replace_substring_regex(col(code_col), r"^0+(\d)", r"\1")
        codes = pc.replace_substring_regex(codes, r"\.0+$", "")
        from_code = pc.take(
            pa.array(list(by_code.values()), pa.string()), pc.index_in(codes, value_set=pa.array(list(by_code)))
        )
        isos = pc.utf8_upper(col(iso_col))
        from_iso = pc.take(
            pa.array(list(by_iso.values()), pa.string()), pc.index_in(isos, value_set=pa.array(list(by_iso)))
        )
        has_code = pc.not_equal(codes, "")
        out = pc.if_else(has_code, from_code, from_iso)
        unknown = pc.and_(pc.is_null(out), keep)
        if role == "partner2":
            unknown = pc.and_(
                unknown,
                pc.invert(pc.is_in(pc.if_else(has_code, codes, isos), value_set=pa.array(sorted(WHOLE_PARTNER2)))),
            )
        count, lines = _where_lines(unknown)
        if count:
            shown = ", ".join(f"line {line} ({codes[line - 2].as_py() or isos[line - 2].as_py()!r})" for line in lines)
            result.error(
                f"{count} line(s)",
                code_col if code_col in header else iso_col,
                f"unknown country or area code: {shown}",
            )
        return out

    reporter = resolve("reporter")
    # Groups of countries as reporters (the European Union, ASEAN, "Other Asia, nes") are not states.
    groups = [code for code, a in table_areas.items() if a.reporter_group]
    if groups:
        rep_codes = pc.replace_substring_regex(col("reporterCode"), r"^0+(\d)", r"\1")
        group_rows = pc.and_(pc.is_in(rep_codes, value_set=pa.array(groups)), keep)
        count, lines = _where_lines(group_rows)
        if count:
            names = sorted(
                {f"{c} ({table_areas[c].name})" for c in pc.unique(pc.filter(rep_codes, group_rows)).to_pylist()}
            )
            result.warn(
                f"{count} line(s)",
                "reporterCode",
                f"reporters that are groups of countries skipped: {', '.join(names)}; e.g. lines {lines}",
            )
            keep = pc.and_(keep, pc.invert(group_rows))
    partner = resolve("partner")
    partner_groups = [code for code, a in table_areas.items() if a.partner_group and code != "0"]
    if partner_groups:
        par_codes = pc.replace_substring_regex(col("partnerCode"), r"^0+(\d)", r"\1")
        group_rows = pc.and_(pc.is_in(par_codes, value_set=pa.array(partner_groups)), keep)
        count, lines = _where_lines(group_rows)
        if count:
            result.warn(
                f"{count} line(s)", "partnerCode", f"partners that are groups of countries skipped, e.g. lines {lines}"
            )
            keep = pc.and_(keep, pc.invert(group_rows))

    # Breakdowns: a second partner, a customs procedure, a mode of transport. Empty on the totals.
    partner2 = pa.repeat(pa.scalar(""), n) if n >= 1000 else pa.array([""] * n, pa.string())
    if "partner2Code" in header or "partner2ISO" in header:
        raw_p2 = pc.if_else(
            pc.not_equal(col("partner2Code"), ""), col("partner2Code"), pc.utf8_upper(col("partner2ISO"))
        )
        whole = pc.is_in(raw_p2, value_set=pa.array(sorted(WHOLE_PARTNER2)))
        partner2 = pc.if_else(whole, "", pc.fill_null(resolve("partner2"), ""))
    customs_raw = pc.utf8_upper(col("customsCode"))
    customs = pc.if_else(pc.is_in(customs_raw, value_set=pa.array(sorted(WHOLE_CUSTOMS))), "", customs_raw)
    transport_raw = pc.replace_substring_regex(col("motCode"), r"\.0+$", "")
    transport = pc.if_else(pc.is_in(transport_raw, value_set=pa.array(sorted(WHOLE_TRANSPORT))), "", transport_raw)
    for column, values in (("customsCode", customs), ("motCode", transport)):
        bad = pc.and_(pc.invert(pc.match_substring_regex(values, r"^[A-Za-z0-9._-]{0,20}$")), keep)
        count, lines = _where_lines(bad)
        if count:
            result.error(f"{count} line(s)", column, f"not a code: {_shown(values, lines)}")

    # HS edition: H0 (1988/92) .. H6 (2022). Another classification (SITC S1-S4, BEC) is not HS.
    edition = pc.utf8_upper(col("classificationCode"))
    if "classificationCode" in header:
        known_edition = pc.or_(
            pc.match_substring_regex(edition, _EDITION.pattern), pc.is_in(edition, value_set=pa.array(["", "HS"]))
        )
        count, lines = _where_lines(pc.and_(pc.invert(known_edition), keep))
        if count:
            result.error(
                f"{count} line(s)",
                "classificationCode",
                f"not an HS edition (H0 to H6): {_shown(edition, lines)}; SITC and BEC files are not read",
            )
        edition = pc.if_else(pc.equal(edition, "HS"), "", edition)

    commodity = col("cmdCode")
    is_total = pc.equal(pc.utf8_upper(commodity), TOTAL)
    # Spreadsheets drop the leading zero of chapters 01-09 ("1" for "01", "10110" for "010110").
    odd = pc.match_substring_regex(commodity, r"^(\d|\d{3}|\d{5}|\d{7}|\d{9})$")
    count, lines = _where_lines(pc.and_(odd, keep))
    if count:
        result.warn(
            f"{count} line(s)",
            "cmdCode",
            f"codes with an odd number of digits read with a leading zero, e.g. {_shown(commodity, lines)}",
        )
        commodity = pc.if_else(odd, pc.binary_join_element_wise("0", commodity, ""), commodity)
    hs_ok = pc.or_(is_total, pc.match_substring_regex(commodity, r"^(\d{2}|\d{4}|\d{6}|\d{8}|\d{10})$"))
    count, lines = _where_lines(pc.and_(pc.invert(hs_ok), keep))
    if count:
        result.error(
            f"{count} line(s)", "cmdCode", f"not an HS code (2-10 digits) or TOTAL: {_shown(commodity, lines)}"
        )
    commodity = pc.if_else(is_total, pa.scalar(TOTAL), commodity)

    year = pc.cast(pc.cast(col("refYear"), pa.float64()), pa.int16()) if not result.error_count else None

    qty_unit: pa.Array | None = None
    qty_factor: pa.Array | None = None
    if quantities and "qty" in header and ("qtyUnitAbbr" in header):
        units = pc.replace_substring(pc.utf8_lower(col("qtyUnitAbbr")), " ", "")
        no_unit = pc.is_in(units, value_set=pa.array(sorted(COMTRADE_NO_UNIT)))
        unit_idx = pc.index_in(units, value_set=pa.array(list(COMTRADE_UNITS), pa.string()))
        unknown_unit = pc.and_(pc.and_(pc.is_null(unit_idx), pc.invert(no_unit)), keep)
        count, lines = _where_lines(unknown_unit)
        if count:
            result.error(
                f"{count} line(s)", "qtyUnitAbbr", f"unknown quantity unit: {_shown(col('qtyUnitAbbr'), lines)}"
            )
        qty_unit = pc.take(pa.array([v[0] for v in COMTRADE_UNITS.values()]), unit_idx)
        qty_factor = pc.take(pa.array([v[1] for v in COMTRADE_UNITS.values()]), unit_idx)
        _check_one_unit(result, commodity, col("refYear"), qty_unit, keep, n)

    if result.error_count or year is None:
        return result

    period = pc.cast(year, pa.string())
    kind = pa.array(["year"] * n, pa.string()) if n < 1000 else pa.repeat(pa.scalar("year"), n)
    if month is not None:
        month_value = pc.cast(pc.if_else(pc.equal(month, ""), "52", month), pa.float64())
        monthly = pc.and_(
            pc.and_(pc.greater_equal(month_value, 1), pc.less_equal(month_value, 12)),
            pc.equal(pc.floor(month_value), month_value),
        )
        month_str = pc.utf8_lpad(
            pc.cast(pc.cast(pc.if_else(monthly, month_value, 0.0), pa.int16()), pa.string()), 2, "0"
        )
        period = pc.if_else(monthly, pc.binary_join_element_wise(period, month_str, "-"), period)
        kind = pc.if_else(monthly, pa.scalar("month"), kind)

    def const(value: Any, typ: pa.DataType) -> pa.Array:
        return pa.array([value] * n, typ) if n < 1000 else pa.repeat(pa.scalar(value, typ), n)

    locator = pc.binary_join_element_wise(pa.scalar("line "), pc.cast(pa.array(range(2, n + 2)), pa.string()), "")
    flows = pc.take(
        pa.array(list(COMTRADE_FLOWS.values())), pc.index_in(flow_code, value_set=pa.array(list(COMTRADE_FLOWS)))
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
        "document": const("UN Comtrade", pa.string()),
        "locator": locator,
        "retrieved": const(retrieved, pa.date32()),
        "note": _notes(col, header, n),
        "is_synthetic": const(False, pa.bool_()),
        "edition": edition,
        "partner2": partner2,
        "customs": customs,
        "transport": transport,
    }
    parts = [
        pa.table(
            {
                **base,
                "indicator": const("trade", pa.string()),
                "value": pc.cast(col("primaryValue"), pa.float64()),
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
    if out.num_rows == 0:
        result.error("file", "", "no imports or exports of a country in the file")
        return result
    result.table = out
    return result


def _check_one_unit(
    result: ImportResult, commodity: pa.Array, year: pa.Array, unit: pa.Array, keep: pa.Array, n: int
) -> None:
    """One commodity, one quantity unit in a year: 870120 in kg on one line and in u on another is bad."""
    pairs = pa.table({"cmd": commodity, "year": year, "unit": unit, "line": pa.array(range(2, n + 2))})
    pairs = pairs.filter(pc.and_(pc.is_valid(pairs["unit"]), keep))
    grouped = pairs.group_by(["cmd", "year"]).aggregate([("unit", "count_distinct")])
    mixed = grouped.filter(pc.greater(grouped["unit_count_distinct"], 1))
    for row in mixed.slice(0, 10).to_pylist():
        lines_of = pairs.filter(pc.and_(pc.equal(pairs["cmd"], row["cmd"]), pc.equal(pairs["year"], row["year"])))
        first_lines: dict[str, int] = {}
        for u, line in zip(lines_of["unit"].to_pylist(), lines_of["line"].to_pylist(), strict=True):
            first_lines.setdefault(u, line)
        where = ", ".join(f"{u} at line {first_lines[u]}" for u in sorted(first_lines))
        result.error(
            f"line {max(first_lines.values())}",
            "qtyUnitAbbr",
            f"unit mismatch for commodity {row['cmd']} in {row['year']}: {where}",
        )
    result.error_count += max(0, mixed.num_rows - 10)


def _notes(col: Any, header: list[str], n: int) -> pa.Array:
    """The estimation and reporting flags of each line as a note ('' when there is none)."""
    parts: list[pa.Array] = []
    # Today's files give both the legacy flag and the precise booleans; the booleans say it better.
    precise = any(c in header for c in TRUE_FLAGS if c != "isAggregate")
    if "legacyEstimationFlag" in header and not precise:
        flag = pc.replace_substring_regex(col("legacyEstimationFlag"), r"\.0+$", "")
        known = pc.take(
            pa.array(list(LEGACY_FLAGS.values())), pc.index_in(flag, value_set=pa.array(list(LEGACY_FLAGS)))
        )
        other = pc.if_else(
            pc.is_in(flag, value_set=pa.array(["", "0"])),
            "",
            pc.binary_join_element_wise("estimation flag ", flag, ""),
        )
        parts.append(pc.fill_null(known, other))
    for column, text in TRUE_FLAGS.items():
        if column in header:
            parts.append(pc.if_else(pc.equal(pc.utf8_lower(col(column)), "true"), text, ""))
    if "isReported" in header:
        parts.append(pc.if_else(pc.equal(pc.utf8_lower(col("isReported")), "false"), "not reported by the country", ""))
    if not parts:
        return pa.array([""] * n, pa.string()) if n < 1000 else pa.repeat(pa.scalar(""), n)
    joined = pc.binary_join_element_wise(*parts, "; ") if len(parts) > 1 else parts[0]
    joined = pc.replace_substring_regex(joined, r"(; )+", "; ")
    joined = pc.replace_substring_regex(joined, r"^(; )+|(; )+$", "")
    return pc.if_else(pc.equal(joined, ""), "", pc.binary_join_element_wise("UN Comtrade: ", joined, ""))
