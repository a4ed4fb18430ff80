"""Parse and validate organisation import files (CSV or XLSX), streaming.

Columns: ``ref, name, name_en, country, region, city, lat, lon, tax_id, nace, hs, products,
certifications, employees, website``. ``ref``, ``name`` and ``country`` are required and their
columns must be present; other columns may be left out. Unknown columns are ignored with a
warning. ``nace``, ``hs`` and ``certifications`` are lists separated by ``;``.

Decisions (documented here and in docs of the import page):

- **Rows are numbered as the user sees them**: the physical line where the record starts in a CSV
  (the header is row 1), the sheet row in an XLSX.
- **Encoding**: a BOM means UTF-8; otherwise the whole file must decode as UTF-8, else it is read
  as Windows-1251 with a warning. Files with NUL bytes or a known binary signature are refused;
  a ZIP signature means XLSX whatever the file is called.
- **Separator**: comma, semicolon or tab, whichever occurs most in the header line.
- **Cell size**: a cell longer than ``Rules.max_cell`` characters (10,000 by default) is a row
  error; a CSV field longer than ``HARD_FIELD_LIMIT`` stops the file with the row number.
- **Formulas (CSV injection)**: a text cell starting with ``= + - @``, TAB or CR is **refused**
  (row error), never silently changed. A cell escaped the usual way, with a leading apostrophe
  (``'=1+2``), is accepted and stored without the apostrophe; the exporter writes that escape,
  so export → import is lossless. Numeric columns (lat, lon, employees) are parsed as numbers,
  so ``-82.4`` is fine there.
- **Broken quotes**: a stray quote or a quote never closed stops the file with the row where the
  broken record starts.
- **Streaming**: rows are read, validated and yielded one by one; only the set of refs seen is
  kept (to report duplicate refs).
"""

from __future__ import annotations

import codecs
import collections
import contextlib
import csv
import io
import itertools
import math
import multiprocessing
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import asdict, dataclass, field, fields
from typing import IO, Any

from coopnet.logic.textfiles import BINARY_SIGNATURES

from ..spreadsheet import FORMULA_START, escape_formula, is_formula, unescape_formula
from .identifiers import check_tax_id

__all__ = [
    "COLUMNS",
    "REQUIRED",
    "LIST_COLUMNS",
    "HARD_FIELD_LIMIT",
    "FileFormatError",
    "Issue",
    "OrgRow",
    "Report",
    "Rules",
    "detect_encoding",
    "read_table",
    "validate_row",
    "parse_rows",
    "parse_batches",
    "Batch",
    "RestartRead",
    "is_formula",
    "escape_formula",
    "split_list",
    "join_list",
]

COLUMNS: tuple[str, ...] = (
    "ref",
    "name",
    "name_en",
    "country",
    "region",
    "city",
    "lat",
    "lon",
    "tax_id",
    "nace",
    "hs",
    "products",
    "certifications",
    "employees",
    "website",
)
REQUIRED: tuple[str, ...] = ("ref", "name", "country")
LIST_COLUMNS: tuple[str, ...] = ("nace", "hs", "certifications")
TEXT_COLUMNS: tuple[str, ...] = (
    "ref",
    "name",
    "name_en",
    "region",
    "city",
    "tax_id",
    "nace",
    "hs",
    "products",
    "certifications",
    "website",
)
HARD_FIELD_LIMIT = 16 * 1024 * 1024
SNIFF_BYTES = 64 * 1024
VALUE_PREVIEW = 80
MAX_LENGTH = {"ref": 64, "name": 300, "name_en": 300, "city": 100, "website": 300, "tax_id": 64}
# (column, is text, length limit or 0) in the order issues are reported
_COLUMN_RULES: tuple[tuple[str, bool, int], ...] = tuple((c, c in TEXT_COLUMNS, MAX_LENGTH.get(c, 0)) for c in COLUMNS)

_ZIP = b"PK\x03\x04"


class FileFormatError(ValueError):
    """The file as a whole cannot be read; ``row`` is where reading stopped (None: before rows)."""

    def __init__(self, reason: str, row: int | None = None) -> None:
        super().__init__(reason if row is None else f"row {row}: {reason}")
        self.reason = reason
        self.row = row


@dataclass(frozen=True, slots=True)
class Issue:
    row: int
    column: str
    value: str
    reason: str
    level: str = "error"  # or "warning"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _preview(value: str) -> str:
    return value if len(value) <= VALUE_PREVIEW else value[: VALUE_PREVIEW - 1] + "…"


@dataclass(slots=True)
class OrgRow:
    row: int
    ref: str
    name: str
    country: str
    name_en: str = ""
    region: str = ""
    city: str = ""
    lat: float | None = None
    lon: float | None = None
    tax_id: str = ""
    nace: tuple[str, ...] = ()
    hs: tuple[str, ...] = ()
    products: str = ""
    certifications: tuple[str, ...] = ()
    employees: int | None = None
    website: str = ""


@dataclass
class Report:
    """Row-level report of one file. Keeps at most ``max_issues`` issues of each level and counts
    the rest."""

    filename: str = ""
    format: str = ""
    encoding: str = ""
    delimiter: str = ""
    rows: int = 0
    valid: int = 0
    invalid: int = 0
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    errors_total: int = 0
    warnings_total: int = 0
    file_error: str = ""
    max_issues: int = 1000

    def add(self, issue: Issue) -> None:
        if issue.level == "warning":
            self.warnings_total += 1
            if len(self.warnings) < self.max_issues:
                self.warnings.append(issue)
        else:
            self.errors_total += 1
            if len(self.errors) < self.max_issues:
                self.errors.append(issue)

    @property
    def ok(self) -> bool:
        return not self.file_error and self.errors_total == 0

    def reset(self) -> None:
        """Forget everything but the file name and the limit (to read the file again)."""
        fresh = Report(filename=self.filename, max_issues=self.max_issues)
        for f in fields(self):
            setattr(self, f.name, getattr(fresh, f.name))

    def as_dict(self) -> dict[str, Any]:
        return {
            "filename": self.filename,
            "format": self.format,
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "rows": self.rows,
            "valid": self.valid,
            "invalid": self.invalid,
            "ok": self.ok,
            "file_error": self.file_error,
            "errors_total": self.errors_total,
            "warnings_total": self.warnings_total,
            "errors": [i.as_dict() for i in self.errors],
            "warnings": [i.as_dict() for i in self.warnings],
        }

    def lines(self) -> Iterator[str]:
        """Human-readable report lines (the command line and the web page show these)."""
        yield (
            f"{self.filename or 'file'}: {self.rows} rows, {self.valid} valid, {self.invalid} invalid"
            + (f" ({self.format}, {self.encoding}, separator {self.delimiter!r})" if self.format == "csv" else "")
        )
        if self.file_error:
            yield f"FILE ERROR: {self.file_error}"
        for i in self.errors:
            yield f"row {i.row}, {i.column or '-'}: {i.reason} [{i.value}]"
        if self.errors_total > len(self.errors):
            yield f"... and {self.errors_total - len(self.errors)} more errors"
        for i in self.warnings:
            yield f"warning: row {i.row}, {i.column or '-'}: {i.reason}" + (f" [{i.value}]" if i.value else "")
        if self.warnings_total > len(self.warnings):
            yield f"... and {self.warnings_total - len(self.warnings)} more warnings"


@dataclass(frozen=True)
class Rules:
    """What a valid row must satisfy. ``regions`` maps ISO 3166-2 region code → country code.
    ``hs_codes`` / ``nace_codes``, when given, are the known HS chapters / NACE divisions (2 digits;
    longer codes may be given too): a code whose chapter or division is unknown is a warning."""

    countries: frozenset[str]
    regions: Mapping[str, str] = field(default_factory=dict)
    hs_codes: frozenset[str] | None = None
    nace_codes: frozenset[str] | None = None
    max_cell: int = 10_000
    allowed_countries: frozenset[str] | None = None  # e.g. a contact point imports its own country only


# --- formulas -------------------------------------------------------------------------------

# One escaping rule for every export (coopnet.logic.spreadsheet); the importer undoes it.
_FORMULA_CHARS = frozenset(FORMULA_START)
_unescape = unescape_formula


def split_list(value: str) -> list[str]:
    return [p.strip() for p in value.split(";") if p.strip()]


def join_list(values: Iterable[str]) -> str:
    return ";".join(values)


# --- reading --------------------------------------------------------------------------------


def detect_encoding(stream: IO[bytes]) -> tuple[str, bool]:
    """(encoding, is_fallback). Reads the whole stream once and rewinds it."""
    stream.seek(0)
    head = stream.read(4)
    stream.seek(0)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", False
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := stream.read(1 << 20):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        stream.seek(0)
        return "cp1251", True
    stream.seek(0)
    return "utf-8", False


def _looks_binary(head: bytes) -> bool:
    if head.startswith(BINARY_SIGNATURES):
        return True
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    return b"\x00" in head


def _header_key(h: str) -> str:
    return h.replace("\ufeff", "").strip().lower().replace(" ", "_")


def _check_header(header: list[str], report: Report) -> list[str]:
    keys = [_header_key(h) for h in header]
    seen: set[str] = set()
    for k in keys:
        if k and k in seen:
            raise FileFormatError(f"column {k!r} appears twice in the header", 1)
        seen.add(k)
    missing = [c for c in REQUIRED if c not in seen]
    if missing:
        raise FileFormatError(
            "missing required column(s) " + ", ".join(missing) + "; expected columns: " + ", ".join(COLUMNS),
            1,
        )
    extra = [h for h, k in zip(header, keys, strict=True) if k not in COLUMNS]
    if extra:
        report.add(Issue(1, "", _preview(", ".join(extra)), "extra columns ignored: " + ", ".join(extra), "warning"))
    return keys


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _as_record(keys: list[str], values: list[str]) -> dict[str, str]:
    return {k: v for k, v in zip(keys, values, strict=False) if k in COLUMNS}


def _csv_reader(lines: Iterable[str], delimiter: str) -> Any:
    """The CSV dialect of import files (double quotes, doubled to escape, strict), cells up to
    HARD_FIELD_LIMIT characters."""
    if csv.field_size_limit() < HARD_FIELD_LIMIT:
        csv.field_size_limit(HARD_FIELD_LIMIT)
    return csv.reader(lines, delimiter=delimiter, quotechar='"', doublequote=True, strict=True)


def _fallback_warning() -> Issue:
    return Issue(0, "", "", "file is not valid UTF-8; read as Windows-1251 (cp1251)", "warning")


def _extra_cells(row: int, values: list[str], width: int, delimiter: str) -> Issue | None:
    """The warning for a row with more (non-blank) cells than the header has columns, if it has."""
    if len(values) > width and any(v.strip() for v in values[width:]):
        return Issue(row, "", _preview(delimiter.join(values[width:])),
                     f"row has {len(values)} cells, header has {width}; extra cells ignored", "warning")
    return None


def _read_csv_values(
    stream: IO[bytes], report: Report, keys_out: list[str]
) -> Iterator[tuple[int, list[str], Issue | None]]:
    """Yield (row number, cells, warning about extra cells or None) for each non-blank CSV row.

    Fills ``keys_out`` with the header's column keys before the first row. Touches ``report`` only
    before the first row (encoding, separator, header warnings), so rows may be consumed elsewhere."""
    encoding, fallback = detect_encoding(stream)
    report.encoding = encoding
    if fallback:
        report.add(_fallback_warning())
    text = io.TextIOWrapper(stream, encoding=encoding, errors="strict", newline="")
    try:
        first = text.readline()
        if not first.strip():
            raise FileFormatError("the file is empty or its first line is blank", 1)
        delimiter = _sniff_delimiter(first)
        report.delimiter = delimiter
        reader = _csv_reader(itertools.chain((first,), text), delimiter)
        start = 1
        try:
            header = next(reader)
            keys = _check_header(header, report)
            keys_out[:] = keys
            width = len(keys)
            while True:
                start = reader.line_num + 1
                try:
                    values = next(reader)
                except StopIteration:
                    return
                if not any(v.strip() for v in values):
                    continue
                yield start, values, _extra_cells(start, values, width, delimiter)
        except csv.Error as exc:
            msg = str(exc)
            if "field larger than field limit" in msg:
                raise FileFormatError(f"a cell is larger than {HARD_FIELD_LIMIT} characters", start) from None
            if "unexpected end of data" in msg or "EOF" in msg:
                raise FileFormatError("a quoted cell is never closed (broken quotes)", start) from None
            if "NUL" in msg:
                raise FileFormatError("the file contains NUL characters (binary data?)", start) from None
            raise FileFormatError(f"broken quotes or separators: {msg}", start) from None
    except UnicodeDecodeError as exc:
        raise FileFormatError(f"cannot decode the file as {encoding}: {exc.reason}") from None
    finally:
        text.detach()


def _read_csv(stream: IO[bytes], report: Report) -> Iterator[tuple[int, dict[str, str]]]:
    keys: list[str] = []
    for start, values, extra in _read_csv_values(stream, report, keys):
        if extra is not None:
            report.add(extra)
        yield start, _as_record(keys, values)


def _cell_str(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _read_xlsx(stream: IO[bytes], report: Report) -> Iterator[tuple[int, dict[str, str]]]:
    from openpyxl import load_workbook  # local: only needed for XLSX

    report.encoding = "xlsx"
    try:
        wb = load_workbook(stream, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a corrupt archive
        raise FileFormatError(f"cannot open the XLSX file: {exc.__class__.__name__}") from None
    try:
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        try:
            header_cells = next(rows)
        except StopIteration:
            raise FileFormatError("the sheet is empty", 1) from None
        keys = _check_header([_cell_str(c) for c in header_cells], report)
        for n, cells in enumerate(rows, start=2):
            values = [_cell_str(c) for c in cells]
            if not any(v.strip() for v in values):
                continue
            yield n, {k: v for k, v in zip(keys, values, strict=False) if k in COLUMNS}
    finally:
        wb.close()


def _table_format(stream: IO[bytes], filename: str, report: Report) -> str:
    """'xlsx' or 'csv' (also set on the report); raises FileFormatError for anything else."""
    report.filename = report.filename or filename
    stream.seek(0)
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    if not head:
        raise FileFormatError("the file is empty")
    if head.startswith(_ZIP):
        report.format = "xlsx"
    elif _looks_binary(head):
        raise FileFormatError("this is a binary file, not CSV or XLSX")
    elif filename.lower().endswith((".xlsx", ".xlsm")):
        raise FileFormatError("the file is named .xlsx but is not an XLSX workbook")
    else:
        report.format = "csv"
    return report.format


def read_table(stream: IO[bytes], filename: str, report: Report) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (row number, {column: text}) for each non-blank row. Raises FileFormatError."""
    if _table_format(stream, filename, report) == "xlsx":
        yield from _read_xlsx(stream, report)
    else:
        yield from _read_csv(stream, report)


# --- validating -----------------------------------------------------------------------------

_NACE = re.compile(r"^\d{2}(?:\.\d{1,2}(?:\.\d{1,2}){0,2})?$")
_HS_STRIP = re.compile(r"[\s.]")
_HOST = re.compile(r"^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{2,59})$")
_URL = re.compile(r"^(https?)://([^/?#\s]+)([/?#]\S*)?$", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_INT_SPACES = re.compile(r"[\s\u00a0\u202f_']")


def _number(value: str) -> float:
    v = value.strip().replace("\u2212", "-")
    if v.count(",") == 1 and "." not in v:
        v = v.replace(",", ".")
    f = float(v)
    if not math.isfinite(f):
        raise ValueError("not finite")
    return f


def _website(value: str) -> str | None:
    v = value.strip()
    if "://" not in v:
        v = "https://" + v
    m = _URL.match(v)
    if not m:
        return None
    host = m.group(2).lower().rsplit("@", 1)[-1]
    hostname = host.split(":", 1)[0]
    if hostname.isascii():
        hostname_ascii = hostname  # the pattern below checks an ASCII name fully
    else:
        try:
            hostname_ascii = hostname.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    if not _HOST.match(hostname_ascii):
        return None
    return f"{m.group(1).lower()}://{host}{m.group(3) or ''}"


def validate_row(row: int, raw: Mapping[str, str], rules: Rules) -> tuple[OrgRow | None, list[Issue]]:
    """Validate one row; returns the clean record (None if any error) and the issues."""
    issues: list[Issue] = []

    def err(column: str, value: str, reason: str) -> None:
        issues.append(Issue(row, column, _preview(value), reason))

    v: dict[str, str] = dict.fromkeys(COLUMNS, "")
    max_cell = rules.max_cell
    for col, is_text, limit in _COLUMN_RULES:
        value = raw.get(col)
        if not value:
            continue
        if len(value) > max_cell:
            err(col, value, f"cell has {len(value)} characters; the limit is {max_cell}")
            value = ""
        elif is_text:
            value = value.strip()
            if value[:1] in _FORMULA_CHARS:
                err(
                    col,
                    value,
                    "value starts with = + - or @ and could run as a spreadsheet formula; "
                    "remove that character or escape it with a leading apostrophe",
                )
                value = ""
            elif value[:1] == "'":
                value = _unescape(value)
        else:
            value = value.strip()
        if limit and len(value) > limit:
            err(col, value, f"longer than {limit} characters")
        v[col] = value
    if _CONTROL.search("\n".join([v[c] for c in TEXT_COLUMNS])):  # one search per row; \n is allowed
        for col in TEXT_COLUMNS:
            if _CONTROL.search(v[col]):
                err(col, v[col], "contains control characters")
                v[col] = ""

    for col in REQUIRED:
        if not v[col] and not any(i.column == col for i in issues):
            err(col, "", f"{col} is required")

    country = v["country"].upper()
    if country and country not in rules.countries:
        err("country", v["country"], "unknown country code (use ISO 3166-1 alpha-2, e.g. BY, RU, KZ)")
        country_ok = False
    elif country and rules.allowed_countries is not None and country not in rules.allowed_countries:
        err(
            "country",
            v["country"],
            "you may import organisations of " + ", ".join(sorted(rules.allowed_countries)) + " only",
        )
        country_ok = False
    else:
        country_ok = bool(country)

    region = v["region"].upper()
    if region:
        if "-" not in region and country:
            region = f"{country}-{region}"
        owner = rules.regions.get(region)
        if owner is None:
            err("region", v["region"], "unknown region code (use ISO 3166-2, e.g. BY-HM)")
        elif country_ok and owner != country:
            err("region", v["region"], f"region {region} belongs to {owner}, not {country}")

    lat = lon = None
    for col, lo, hi in (("lat", -90.0, 90.0), ("lon", -180.0, 180.0)):
        if v[col]:
            try:
                f = _number(v[col])
            except ValueError:
                err(col, v[col], "not a number")
                continue
            if not lo <= f <= hi:
                err(col, v[col], f"must be between {lo:g} and {hi:g}")
                continue
            if col == "lat":
                lat = f
            else:
                lon = f
    if (v["lat"] == "") != (v["lon"] == ""):
        err("lat" if not v["lat"] else "lon", "", "give both lat and lon, or neither")

    tax_id = ""
    if v["tax_id"] and country_ok:
        check = check_tax_id(country, v["tax_id"])
        if check.valid:
            tax_id = check.compact
        else:
            err("tax_id", v["tax_id"], check.reason)

    nace: list[str] = []
    for code in split_list(v["nace"]):
        if not _NACE.match(code):
            err("nace", code, "NACE code must look like 29, 29.1 or 29.10 (OKVED2 29.10.1 also accepted)")
        elif rules.nace_codes is not None and code[:2] not in rules.nace_codes:
            issues.append(Issue(row, "nace", code, "NACE division not in the reference list", "warning"))
            nace.append(code)
        else:
            nace.append(code)

    hs: list[str] = []
    for code in split_list(v["hs"]):
        c = _HS_STRIP.sub("", code)
        if not c.isdigit() or not c.isascii() or len(c) not in (2, 4, 6, 8, 10):
            err("hs", code, "HS / TN VED code must have 2, 4, 6, 8 or 10 digits")
        else:
            if rules.hs_codes is not None and c[:2] not in rules.hs_codes:
                issues.append(Issue(row, "hs", code, "HS chapter not in the reference list", "warning"))
            hs.append(c)

    certs = split_list(v["certifications"])
    for c in certs:
        if len(c) > 100:
            err("certifications", c, "a certification is longer than 100 characters")

    employees = None
    if v["employees"]:
        e = _INT_SPACES.sub("", v["employees"])
        if e.endswith(".0"):
            e = e[:-2]
        if not e.isdigit() or not e.isascii():
            err("employees", v["employees"], "employees must be a whole number ≥ 0")
        elif len(e) > 9:
            err("employees", v["employees"], "employees is implausibly large")
        else:
            employees = int(e)

    website = ""
    if v["website"]:
        w = _website(v["website"])
        if w is None:
            err("website", v["website"], "not a web address (e.g. https://example.by)")
        else:
            website = w

    if any(i.level == "error" for i in issues):
        return None, issues
    return (
        OrgRow(
            row=row,
            ref=v["ref"],
            name=v["name"],
            country=country,
            name_en=v["name_en"],
            region=region,
            city=v["city"],
            lat=lat,
            lon=lon,
            tax_id=tax_id,
            nace=tuple(dict.fromkeys(nace)),
            hs=tuple(dict.fromkeys(hs)),
            products=v["products"],
            certifications=tuple(dict.fromkeys(certs)),
            employees=employees,
            website=website,
        ),
        issues,
    )


def parse_rows(stream: IO[bytes], filename: str, rules: Rules, report: Report) -> Iterator[OrgRow]:
    """Yield the valid rows of a file and fill ``report`` with counts and issues.

    A whole-file problem is recorded in ``report.file_error`` (and stops the iteration) instead of
    raising, so a caller can always show the report."""
    refcheck = _RefCheck()
    try:
        for rownum, raw in read_table(stream, filename, report):
            rec, issues = validate_row(rownum, raw, rules)
            dup = refcheck.issue(rownum, (raw.get("ref") or "").strip())
            if _tally(report, issues, dup, rec is not None) and rec is not None:
                yield rec
    except FileFormatError as exc:
        report.file_error = str(exc)


# --- validating in batches, in parallel ------------------------------------------------------


class RestartRead(Exception):  # noqa: N818 - a signal, not an error
    """Reading in parallel hit something only the sequential reader reports exactly (a broken or
    unusual CSV). The caller drops what it got and reads the file again with ``workers=0``."""


@dataclass(frozen=True, slots=True)
class Batch:
    """Valid rows of a part of the file, in file order (each passed through ``transform`` when one is
    given); ``first``/``last``: their row numbers."""

    first: int
    last: int
    count: int
    rows: Any


class _RefCheck:
    """Refs must be unique within a file: remembers the first row of each ref."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def issue(self, row: int, ref: str) -> Issue | None:
        if not ref:
            return None
        first = self.seen.get(ref)
        if first is not None:
            return Issue(row, "ref", _preview(ref), f"duplicate ref; first seen in row {first}")
        self.seen[ref] = row
        return None


def _tally(report: Report, row_issues: Iterable[Issue], dup: Issue | None, valid: bool) -> bool:
    """Add one row's issues to the report and count it; returns whether the row stays valid."""
    report.rows += 1
    for i in row_issues:
        report.add(i)
    if dup is not None:
        report.add(dup)
        valid = False
    if valid:
        report.valid += 1
    else:
        report.invalid += 1
    return valid


Transform = Callable[[OrgRow], Any]


def _batches_sequential(
    stream: IO[bytes], filename: str, rules: Rules, report: Report,
    transform: Transform | None, batch: int,
) -> Iterator[Batch]:
    out: list[Any] = []
    first = 0
    for rec in parse_rows(stream, filename, rules, report):
        if not out:
            first = rec.row
        out.append(transform(rec) if transform is not None else rec)
        if len(out) >= batch:
            yield Batch(first, rec.row, len(out), out)
            out = []
    if out:
        yield Batch(first, rec.row, len(out), out)


WORKER_NICENESS = 10
# One parallel read: set in each worker process by the pool's initializer.
_job: dict[str, Any] = {}


def _job_start(rules: Rules, keys: list[str], encoding: str, delimiter: str, transform: Transform | None) -> None:
    _job.update(rules=rules, keys=keys, encoding=encoding, delimiter=delimiter, transform=transform)
    # The process that writes is the bottleneck: workers take the CPU it leaves, never its share.
    with contextlib.suppress(OSError, AttributeError):
        os.nice(WORKER_NICENESS)


def _parse_chunk(data: bytes, line: int) -> tuple[list[tuple[int, str, bool, list[Issue]]], Batch | None] | None:
    """In a worker: read and validate the CSV records in ``data`` (whole records; its first physical line
    is row ``line`` of the file). Returns (row, ref, valid, issues) per record and the valid rows as a
    batch, or None when the records are not readable on their own (the caller reads the file again)."""
    keys: list[str] = _job["keys"]
    rules: Rules = _job["rules"]
    transform: Transform | None = _job["transform"]
    width = len(keys)
    delimiter = _job["delimiter"]
    ref_at = keys.index("ref")
    try:
        text = data.decode(_job["encoding"])
        reader = _csv_reader(io.StringIO(text, newline=""), delimiter)
        meta: list[tuple[int, str, bool, list[Issue]]] = []
        rows: list[Any] = []
        first = last = 0
        start = line
        for values in reader:
            row = start
            start = line + reader.line_num
            if not any(v.strip() for v in values):
                continue
            extra = _extra_cells(row, values, width, delimiter)
            rec, found = validate_row(row, _as_record(keys, values), rules)
            issues = [extra, *found] if extra is not None else found
            meta.append((row, values[ref_at].strip() if ref_at < len(values) else "", rec is not None, issues))
            if rec is not None:
                if not rows:
                    first = row
                last = row
                rows.append(transform(rec) if transform is not None else rec)
    except (csv.Error, UnicodeDecodeError):
        return None
    return meta, (Batch(first, last, len(rows), rows) if rows else None)


def _line_breaks(data: bytes) -> int:
    """Physical lines as the CSV reader counts them (\n, \r\n and a lone \r each end a line)."""
    return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")


def _cut(data: bytes) -> int:
    """Length of the longest prefix of ``data`` that ends a record: the last newline outside quotes
    (an even number of quote characters before it). 0 if there is none."""
    quotes = data.count(b'"')
    end = len(data)
    while True:
        pos = data.rfind(b"\n", 0, end)
        if pos < 0:
            return 0
        quotes -= data.count(b'"', pos, end)
        if quotes % 2 == 0:
            return pos + 1
        end = pos


def _chunks(stream: IO[bytes], size: int) -> Iterator[tuple[bytes, int]]:
    """Split the rest of ``stream`` (just after the header line) into runs of whole records: (bytes,
    row number of their first line)."""
    line = 2
    carry = b""
    while True:
        block = stream.read(size)
        data = carry + block if carry else block
        if not block:
            if data:
                yield data, line
            return
        cut = _cut(data)
        if cut == 0:
            if len(data) > HARD_FIELD_LIMIT + size:
                raise RestartRead("no record boundary")
            carry = data
            continue
        chunk, carry = data[:cut], data[cut:]
        yield chunk, line
        line += _line_breaks(chunk)


def _header(stream: IO[bytes], report: Report) -> tuple[list[str], str, str] | None:
    """Read the header line the way the sequential reader does; None when only it can (quotes, odd
    encodings). Leaves ``stream`` just after the header line."""
    encoding, fallback = detect_encoding(stream)
    if encoding not in ("utf-8", "utf-8-sig", "cp1251"):
        return None
    raw = stream.readline(SNIFF_BYTES)
    if not raw.endswith(b"\n") or b'"' in raw or b"\r" in raw[:-2]:
        return None
    first = raw.decode(encoding)
    if not first.strip():
        return None
    report.encoding = encoding
    if fallback:
        report.add(_fallback_warning())
    delimiter = _sniff_delimiter(first)
    report.delimiter = delimiter
    header = next(_csv_reader([first], delimiter))
    return _check_header(header, report), encoding, delimiter


def _batches_parallel(
    stream: IO[bytes], rules: Rules, report: Report, transform: Transform | None, workers: int,
    chunk_bytes: int,
) -> Iterator[Batch]:
    """The file is cut here into runs of whole records (by bytes: a newline outside quotes ends a
    record); ``workers`` processes read and validate them; results come back in file order, so the
    report is the one the sequential reader gives. Raises RestartRead when it cannot be sure."""
    try:
        head = _header(stream, report)
    except FileFormatError as exc:
        report.file_error = str(exc)
        return
    if head is None:
        raise RestartRead("header")
    keys, encoding, delimiter = head
    # Forked workers start at once and cheaply; they are all started here, before any result is read.
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context("fork"),
        initializer=_job_start, initargs=(rules, keys, encoding, delimiter, transform),
    )
    window: collections.deque[Future[Any]] = collections.deque()
    refcheck = _RefCheck()

    def take() -> Batch | None:
        result = window.popleft().result()
        if result is None:
            raise RestartRead("a part of the file is not readable on its own")
        meta, out = result
        batch: Batch | None = out
        for row, ref, valid, issues in meta:
            _tally(report, issues, refcheck.issue(row, ref), valid)
        return batch

    try:
        for data, line in _chunks(stream, chunk_bytes):
            window.append(pool.submit(_parse_chunk, data, line))
            if len(window) >= workers * 6:
                out = take()
                if out is not None:
                    yield out
        while window:
            out = take()
            if out is not None:
                yield out
    finally:
        for f in window:
            f.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


def parse_batches(
    stream: IO[bytes],
    filename: str,
    rules: Rules,
    report: Report,
    *,
    transform: Transform | None = None,
    workers: int = 0,
    batch: int = 2000,
    chunk_bytes: int = 2 << 20,
) -> Iterator[Batch]:
    """Like :func:`parse_rows`, but yields :class:`Batch` es of valid rows, each row passed through
    ``transform`` (a module-level function: worker processes run it).

    With ``workers`` > 0 a CSV file is read and validated by that many processes, ``chunk_bytes`` of it
    at a time; a batch may then hold a row that a later check (a duplicate ref) makes invalid, so use the
    rows only while ``report.ok``. The report is the same either way. It may raise :class:`RestartRead`
    (before or after yielding): drop what was read and call again with ``workers=0``."""
    if workers > 0:
        try:
            fmt = _table_format(stream, filename, report)
        except FileFormatError as exc:
            report.file_error = str(exc)
            return
        if fmt == "csv":
            yield from _batches_parallel(stream, rules, report, transform, workers, chunk_bytes)
            return
    yield from _batches_sequential(stream, filename, rules, report, transform, batch)
