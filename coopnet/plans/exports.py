"""Export a plan with its flags: XLSX (openpyxl) and PDF (reportlab with a Cyrillic font)."""
from __future__ import annotations

import io
from pathlib import Path

from django.utils.translation import gettext as _

from coopnet.logic.spreadsheet import safe_cell

from .adapter import DocumentCheck
from .choices import FLAG_LABELS

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
FONT_NAME = "DejaVuSans"


class FontMissing(RuntimeError):
    """No TrueType font with Cyrillic glyphs is installed (Debian: fonts-dejavu-core)."""


def _rows(check: DocumentCheck) -> list[list[str]]:
    rows = []
    for m in check.measures:
        flags = check.by_measure.get(m.number, [])
        rows.append([
            m.number,
            str(m.direction) if m.direction_id else "",
            m.text,
            m.text_en,
            "; ".join(f"{r.side}: {r.body}" for r in m.responsible.all()),
            m.deadline.isoformat() if m.deadline else "",
            ", ".join(cp.date.isoformat() for cp in m.control_points.all()),
            m.get_status_display(),
            ", ".join(str(FLAG_LABELS.get(f.code, f.code)) for f in flags),
            " | ".join(f.message for f in flags),
            m.source,
        ])
    return rows


HEADERS = ("No.", "Direction", "Text", "Text (EN)", "Responsible", "Deadline", "Control points", "Status",
           "Flags", "Flag details", "Source")


def to_xlsx(check: DocumentCheck) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Measures"
    doc = check.document
    ws.append([safe_cell(doc.title)])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([safe_cell(v) for v in (_("Period"), doc.years, _("As of"), check.plan.as_of.isoformat(), _("Source"),
                                 doc.source)])
    ws.append([])
    ws.append([_(h) for h in HEADERS])
    for cell in ws[4]:
        cell.font = Font(bold=True)
    for row in _rows(check):
        ws.append([safe_cell(v) for v in row])  # measure texts are data: "=..." stays text
    widths = (8, 30, 60, 60, 40, 12, 22, 16, 30, 60, 30)
    for i, w in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = w
    for row in ws.iter_rows(min_row=5):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A5"
    summary = wb.create_sheet("Summary")
    s = check.summary
    summary.append([_("Measures"), s["measures"]])
    summary.append([_("With a deadline"), s["with_deadline"]])
    summary.append([_("Measures with a flag"), s["measures_flagged"]])
    rate = check.rate()
    summary.append([_("Implementation rate"), rate["rate"]])
    summary.append([])
    summary.append([_("Flag"), _("Measures")])
    for code, n in s["flags_by_code"].items():
        summary.append([safe_cell(str(FLAG_LABELS.get(code, code))), n])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def font_path() -> Path:
    for d in FONT_DIRS:
        p = d / "DejaVuSans.ttf"
        if p.exists():
            return p
    raise FontMissing("DejaVuSans.ttf not found: install Debian's fonts-dejavu-core to export PDF in Cyrillic.")


def to_pdf(check: DocumentCheck) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(font_path())))
    base = ParagraphStyle("base", fontName=FONT_NAME, fontSize=7.5, leading=9)
    title = ParagraphStyle("title", parent=base, fontSize=12, leading=15)
    doc = check.document
    buf = io.BytesIO()
    pdf = SimpleDocTemplate(buf, pagesize=landscape(A4), leftMargin=10 * mm, rightMargin=10 * mm,
                            topMargin=10 * mm, bottomMargin=10 * mm, title=doc.title)
    s = check.summary
    rate = check.rate()
    rate_text = "—" if rate["rate"] is None else f"{rate['rate'] * 100:.0f}%"
    story = [
        Paragraph(escape(doc.title), title),
        Paragraph(escape(f"{doc.years} · {_('as of')} {check.plan.as_of.isoformat()} · {_('source')}: {doc.source}"),
                  base),
        Paragraph(escape(
            f"{_('Measures')}: {s['measures']} · {_('with a deadline')}: {s['with_deadline']} · "
            f"{_('with a flag')}: {s['measures_flagged']} · {_('implementation rate')}: {rate_text}"), base),
        Spacer(1, 4 * mm),
    ]
    cols = (0, 2, 4, 5, 7, 9)
    data = [[Paragraph(escape(_(HEADERS[c])), base) for c in cols]]
    for row in _rows(check):
        data.append([Paragraph(escape(row[c]), base) for c in cols])
    table = Table(data, colWidths=[12 * mm, 95 * mm, 45 * mm, 20 * mm, 22 * mm, 83 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.9, 0.92, 0.96)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    story.append(table)
    pdf.build(story)
    return buf.getvalue()
