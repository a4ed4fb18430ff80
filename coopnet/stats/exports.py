"""Tables to CSV, XLSX and PDF, each carrying its sources (the rows' provenance and the formula)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from coopnet.logic.spreadsheet import safe_cell

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
FORMATS = ("csv", "xlsx", "pdf")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _plain(value: Any) -> Any:
    """A value as one text (lists and dicts joined), not escaped for spreadsheets (the PDF shows it as it is)."""
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={_text(v)}" for k, v in value.items())
    return value


def _cell(value: Any) -> Any:
    """A spreadsheet cell (CSV or XLSX): lists and dicts as text; text escaped so that it is never a formula."""
    return safe_cell(_plain(value))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, dict):
        return ", ".join(f"{k}={_text(v)}" for k, v in value.items())
    return str(value)


def to_csv(title: str, columns: Sequence[str], rows: Sequence[dict[str, Any]], sources: Sequence[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_cell(c) for c in columns])
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    writer.writerow([])
    writer.writerow(["title", _cell(title)])
    for s in sources:
        writer.writerow(["source", _cell(s)])
    return out.getvalue().encode("utf-8")


def to_xlsx(title: str, columns: Sequence[str], rows: Sequence[dict[str, Any]], sources: Sequence[str]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "data"
    ws.append([_cell(c) for c in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([_cell(row.get(c)) for c in columns])
    src = wb.create_sheet("sources")
    src.append(["title", _cell(title)])
    for s in sources:
        src.append(["source", _cell(s)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for d in FONT_DIRS:
        path = d / "DejaVuSans.ttf"
        if path.is_file():
            if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont("DejaVuSans", str(path)))
            return "DejaVuSans"
    return "Helvetica"


def to_pdf(title: str, columns: Sequence[str], rows: Sequence[dict[str, Any]], sources: Sequence[str]) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    # Paragraph reads a markup language: every text is escaped (a "<" in a note must not be a tag).
    font = _font()
    styles = getSampleStyleSheet()
    for s in styles.byName.values():
        s.fontName = font
    small = styles["BodyText"].clone("small", fontSize=7, leading=8.5, fontName=font)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4), title=title, leftMargin=24, rightMargin=24)
    data = [[Paragraph(escape(str(c)), small) for c in columns]]
    for row in rows[:2000]:
        data.append([Paragraph(escape(_text(_plain(row.get(c)))), small) for c in columns])
    table = Table(data, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story = [
        Paragraph(escape(title), styles["Heading2"]),
        table,
        Spacer(1, 8),
        Paragraph("Sources", styles["Heading4"]),
    ]
    story += [Paragraph(escape(s), small) for s in sources]
    if len(rows) > 2000:
        story.append(Paragraph(f"{len(rows) - 2000} more rows in the CSV and XLSX exports.", small))
    doc.build(story)
    return buf.getvalue()


WRITERS = {"csv": to_csv, "xlsx": to_xlsx, "pdf": to_pdf}


def export(
    fmt: str, title: str, columns: Sequence[str], rows: Sequence[dict[str, Any]], sources: Sequence[str]
) -> bytes:
    return WRITERS[fmt](title, columns, rows, sources)


def row_sources(rows: Sequence[dict[str, Any]]) -> list[str]:
    """Distinct provenance strings of rows that carry source/document/locator."""
    seen: dict[str, None] = {}
    for r in rows:
        if r.get("source"):
            parts = [str(r["source"]), str(r.get("locator") or ""), str(r.get("document") or "")]
            seen[" ".join(p for p in parts if p)] = None
        for key in ("source_from", "source_to"):
            if r.get(key):
                seen[str(r[key]).strip()] = None
    return list(seen)
