"""Turn a document and its measures into the pure `coopnet.logic.plans` dataclasses, and back the results.

The pure module decides; this adapter only reads the database (with a bounded number of queries).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from coopnet.logic.plans import compare as logic_compare
from coopnet.logic.plans import model as lm
from coopnet.logic.plans.flags import plan_flags, summarise
from coopnet.logic.plans.rates import plan_rate, rates_by, rates_over_time, report_dates

from .models import Document, Measure, StatusReport


def today() -> date:
    return timezone.localdate()


def measures_of(document: Document) -> list[Measure]:
    return list(
        document.measures.select_related("direction")
        .prefetch_related("responsible", "control_points",
                          Prefetch("reports", queryset=StatusReport.objects.order_by("date", "pk")))
        .order_by("order", "pk")
    )


def _period(document: Document, measures: list[Measure], as_of: date) -> lm.Period:
    start = document.period_start or document.in_force or document.signed
    deadlines = [m.deadline for m in measures if m.deadline]
    if start is None:
        start = min(deadlines) if deadlines else as_of
    end = document.period_end or (max(deadlines) if deadlines else None) or max(start, as_of)
    return lm.Period(start=start, end=max(start, end))


def to_plan(document: Document, as_of: date | None = None, measures: list[Measure] | None = None,
            with_previous: bool = True) -> lm.Plan:
    as_of = as_of or today()
    ms = measures if measures is not None else measures_of(document)
    sides = tuple(sorted(document.parties.values_list("code", flat=True)))
    out: list[lm.Measure] = []
    for m in ms:
        reports = list(m.reports.all())
        out.append(lm.Measure(
            id=m.number,
            text=m.text or m.text_en,
            direction=str(m.direction) if m.direction_id else "",
            responsible=tuple(lm.Responsible(side=r.side, body=r.body) for r in m.responsible.all()),
            deadline=m.deadline,
            control_points=tuple(sorted(cp.date for cp in m.control_points.all())),
            indicator=m.indicator or None,
            risk_assessment=m.risk_assessment or None,
            status=m.status,
            last_report=max((r.date for r in reports if r.date <= as_of), default=None),
            history=tuple(lm.StatusEntry(date=r.date, status=r.status) for r in reports),
            source=m.source,
        ))
    previous = None
    prev_doc = document.previous_document() if with_previous else None
    if prev_doc is not None:
        previous = lm.PreviousPlan(
            title=str(prev_doc),
            measures=tuple(lm.PreviousMeasure(id=p.number, text=p.text or p.text_en)
                           for p in prev_doc.measures.order_by("order", "pk")),
        )
    return lm.Plan(
        title=document.title, period=_period(document, ms, as_of), as_of=as_of, sides=sides,
        reporting_period_months=document.reporting_period_months, measures=tuple(out), previous=previous,
        source=document.source,
    )


@dataclass
class DocumentCheck:
    """Flags and rates of one document, ready for a page, an export or the API."""

    document: Document
    plan: lm.Plan
    measures: list[Measure]
    flags: list[lm.Flag]
    by_measure: dict[str, list[lm.Flag]] = field(default_factory=dict)

    @property
    def summary(self) -> dict[str, Any]:
        return summarise(self.plan, self.flags)

    def rate(self) -> dict[str, Any]:
        return plan_rate(self.plan).to_dict()

    def rates(self, key: str) -> dict[str, dict[str, Any]]:
        return {k: r.to_dict() for k, r in rates_by(self.plan, key).items()}

    def timeline(self) -> list[dict[str, Any]]:
        return [{"date": d.isoformat(), **r.to_dict()} for d, r in rates_over_time(self.plan, report_dates(self.plan))]

    def as_json(self) -> dict[str, Any]:
        return {
            "document": self.document.pk,
            "as_of": self.plan.as_of.isoformat(),
            "flags": [f.to_dict() for f in self.flags],
            "summary": self.summary,
            "rate": self.rate(),
        }


def check_document(document: Document, as_of: date | None = None) -> DocumentCheck:
    ms = measures_of(document)
    plan = to_plan(document, as_of, ms)
    flags = plan_flags(plan)
    by_measure: dict[str, list[lm.Flag]] = defaultdict(list)
    for f in flags:
        by_measure[f.measure].append(f)
    return DocumentCheck(document=document, plan=plan, measures=ms, flags=flags, by_measure=dict(by_measure))


def compare_documents(previous: Document, current: Document) -> dict[str, Any]:
    prev = [(m.number, m.text or m.text_en) for m in previous.measures.order_by("order", "pk")]
    cur = [(m.number, m.text or m.text_en) for m in current.measures.order_by("order", "pk")]
    return logic_compare(prev, cur).to_dict()
