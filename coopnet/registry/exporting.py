"""Export organisations in the import format (CSV or XLSX), streaming; export → import is lossless.

Text cells that a spreadsheet could run as a formula (starting with = + - @) are escaped with a
leading apostrophe, which the importer removes again (see ``coopnet.logic.registry.rows``).
Numbers are written in full precision (``repr``), lists joined with ``;``. An organisation
without a ref is exported with its public ID as ref. Merged organisations are not exported.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.db import connection

from coopnet.logic.registry.rows import COLUMNS, escape_formula

from .models import Competency, Organisation

__all__ = ["iter_rows", "write_csv", "write_xlsx", "export_organisations"]

NUMERIC = ("lat", "lon", "employees")


def iter_rows(source: str | None = None, country: str | None = None) -> Iterator[dict[str, Any]]:
    """Rows in the import format (lat/lon floats, employees int, others text), ordered by id."""
    org, comp = Organisation._meta.db_table, Competency._meta.db_table
    where, params = ["o.merged_into_id IS NULL"], []
    if source:
        where.append("o.ref_source = %s")
        params.append(source)
    if country:
        where.append("o.country_id = %s")
        params.append(country)
    sql = (
        "SELECT o.ref, o.public_id, o.name, o.name_en, o.country_id, o.region_id, o.city, o.lat, o.lon, "
        "o.tax_id, c.nace_codes, c.hs_codes, c.description, c.certifications, o.employees, o.website "
        f"FROM {org} o LEFT JOIN {comp} c ON c.id = COALESCE("
        f"(SELECT MIN(c1.id) FROM {comp} c1 WHERE c1.organisation_id = o.id AND c1.from_import), "
        f"(SELECT MIN(c2.id) FROM {comp} c2 WHERE c2.organisation_id = o.id)) "
        f"WHERE {' AND '.join(where)} ORDER BY o.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(5000):
            for (ref, public_id, name, name_en, country_id, region, city, lat, lon, tax_id, nace, hs, products,
                 certs, employees, website) in chunk:
                yield {
                    "ref": ref or public_id or "", "name": name, "name_en": name_en, "country": country_id,
                    "region": region or "", "city": city, "lat": lat, "lon": lon, "tax_id": tax_id,
                    "nace": nace or "", "hs": hs or "", "products": products or "", "certifications": certs or "",
                    "employees": employees, "website": website,
                }


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return escape_formula(str(value))


def write_csv(out: IO[str], rows: Iterator[dict[str, Any]]) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    n = 0
    for row in rows:
        writer.writerow([_text(row[c]) for c in COLUMNS])
        n += 1
    return n


def write_xlsx(out: IO[bytes] | str | Path, rows: Iterator[dict[str, Any]]) -> int:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("organisations")
    ws.append(list(COLUMNS))
    n = 0
    for row in rows:
        ws.append([row[c] if c in NUMERIC else _text(row[c]) for c in COLUMNS])
        n += 1
    wb.save(out)
    return n


def export_organisations(path: str | Path, *, source: str | None = None, country: str | None = None) -> int:
    """Write the registry to ``path`` (.csv or .xlsx by extension). Returns the number of rows."""
    p = Path(path)
    rows = iter_rows(source=source, country=country)
    if p.suffix.lower() == ".xlsx":
        return write_xlsx(p, rows)
    if p.suffix.lower() != ".csv":
        raise ValueError(f"unknown export format {p.suffix!r}: use .csv or .xlsx")
    with p.open("w", encoding="utf-8", newline="") as f:
        return write_csv(f, rows)


def export_bytes(fmt: str = "csv", **filters: Any) -> bytes:
    """The export as bytes (for a download view)."""
    rows = iter_rows(**filters)
    if fmt == "xlsx":
        buf = io.BytesIO()
        write_xlsx(buf, rows)
        return buf.getvalue()
    text = io.StringIO()
    write_csv(text, rows)
    return text.getvalue().encode("utf-8")
