"""Demo documents from the seeds, each with the seed file and line it comes from. Idempotent.

Seed 003: the Union State documents of Table 2 (1999 → June 2024), the Main Directions 2021–2023 and
2024–2026 with the directions and tools of Table 5, and the 2024–2026 action plan whose seven
industrial-policy points only two of which have a deadline (L389). Seed 002: regional and bilateral
roadmaps and action plans (Belarus–Uzbekistan, 158 measures, a third done by May 2020) and the Eurasian
technological platforms. Seed 004: UNIDO programmes and projects per country.
"""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from django.db import transaction

from coopnet.reference.models import Country

from .models import ControlPoint, Direction, Document, DocumentLink, Measure, ResponsibleBody, StatusReport

DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo.json"
DOC_FIELDS = ("kind", "title", "title_en", "short_title", "issuing_body", "other_parties", "number", "summary",
              "source", "source_note", "reporting_period_months", "declared_measures")
DATE_FIELDS = ("signed", "in_force", "period_start", "period_end", "declared_as_of")


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@transaction.atomic
def load(stdout: TextIO | None = None) -> None:
    items: list[dict[str, Any]] = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    countries = set(Country.objects.values_list("code", flat=True))
    by_ref: dict[str, Document] = {}
    n_measures = n_reports = 0
    for item in items:
        defaults: dict[str, Any] = {f: item.get(f) or ("" if f not in ("reporting_period_months",
                                                                        "declared_measures") else None)
                                    for f in DOC_FIELDS}
        defaults.update({f: _d(item.get(f)) for f in DATE_FIELDS})
        share = item.get("declared_done_share")
        defaults["declared_done_share"] = Decimal(share) if share else None
        doc, _ = Document.objects.update_or_create(ref=item["ref"], defaults=defaults)
        doc.parties.set([c for c in item.get("parties", []) if c in countries])
        by_ref[item["ref"]] = doc
        directions: dict[str, Direction] = {}
        for order, d in enumerate(item.get("directions", [])):
            directions[d["number"]], _ = Direction.objects.update_or_create(
                document=doc, number=d["number"],
                defaults={"title": d["title"], "title_en": d.get("title_en", ""), "order": order,
                          "source": d.get("source", "")})
        for order, m in enumerate(item.get("measures", [])):
            measure, _ = Measure.objects.update_or_create(
                document=doc, number=m["number"],
                defaults={"text": m["text"], "text_en": m.get("text_en", ""), "deadline": _d(m.get("deadline")),
                          "direction": directions.get(m.get("direction", "")), "order": order,
                          "indicator": m.get("indicator", ""), "risk_assessment": m.get("risk_assessment", ""),
                          "source": m.get("source", ""), "source_note": m.get("source_note", "")})
            n_measures += 1
            measure.responsible.all().delete()
            for side, body in m.get("responsible", []):
                ResponsibleBody.objects.create(measure=measure, side=side, body=body)
            measure.control_points.all().delete()
            for cp in m.get("control_points", []):
                ControlPoint.objects.create(measure=measure, date=_d(cp), description="Semi-annual report")
            for r in m.get("reports", []):
                StatusReport.objects.get_or_create(
                    measure=measure, date=_d(r["date"]), status=r["status"], source=r.get("source", ""),
                    defaults={"evidence": r.get("evidence", ""), "author_name": "seed document"})
                n_reports += 1
            measure.refresh_status()
    for item in items:
        for kind, target in item.get("links", []):
            DocumentLink.objects.get_or_create(from_document=by_ref[item["ref"]], kind=kind,
                                               to_document=by_ref[target])
    if stdout is not None:
        stdout.write(f"plans: {len(items)} documents, {n_measures} measures, {n_reports} seed status reports\n")
