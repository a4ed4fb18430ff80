"""Implementation rates: how much of a plan is done, per document, direction, body and side.

A measure scores by its status: ``done`` = 1, ``partially`` = 0.5 (both configurable), anything
else 0. Cancelled measures leave the denominator unless ``count_cancelled`` is set. Rates over time
use each measure's status history (its status reports): the status at a date is that of the last
report on or before it; a measure with no history is taken to have its current status from its
last report (or from ``as_of`` when it has none) and to be ``planned`` before.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from .model import Measure, Plan

DEFAULT_WEIGHTS: Mapping[str, float] = {"done": 1.0, "partially": 0.5}


@dataclass(frozen=True)
class Rate:
    score: float
    counted: int
    by_status: dict[str, int] = field(default_factory=dict)

    @property
    def value(self) -> float | None:
        """Share implemented, 0..1, or ``None`` when no measure counts."""
        return self.score / self.counted if self.counted else None

    def to_dict(self) -> dict[str, object]:
        v = self.value
        return {
            "score": self.score,
            "counted": self.counted,
            "rate": round(v, 4) if v is not None else None,
            "by_status": dict(self.by_status),
        }


def status_at(measure: Measure, when: date, as_of: date) -> str:
    """The measure's status on ``when`` according to its history."""
    if measure.history:
        current = "planned"
        for entry in measure.history:
            if entry.date <= when:
                current = entry.status
            else:
                break
        return current
    known_from = measure.last_report or as_of
    return measure.status if when >= known_from else "planned"


def rate(
    statuses: Iterable[str],
    weights: Mapping[str, float] = DEFAULT_WEIGHTS,
    count_cancelled: bool = False,
) -> Rate:
    counts: Counter[str] = Counter(statuses)
    counted = sum(n for s, n in counts.items() if count_cancelled or s != "cancelled")
    score = sum(weights.get(s, 0.0) * n for s, n in counts.items() if count_cancelled or s != "cancelled")
    return Rate(score=score, counted=counted, by_status=dict(sorted(counts.items())))


def _statuses(plan: Plan, when: date | None) -> list[tuple[Measure, str]]:
    if when is None:
        return [(m, m.status) for m in plan.measures]
    return [(m, status_at(m, when, plan.as_of)) for m in plan.measures]


def plan_rate(
    plan: Plan,
    when: date | None = None,
    weights: Mapping[str, float] = DEFAULT_WEIGHTS,
    count_cancelled: bool = False,
) -> Rate:
    """Rate of the whole document (at ``when``, or with current statuses when ``None``)."""
    return rate((s for _, s in _statuses(plan, when)), weights, count_cancelled)


def rates_by(
    plan: Plan,
    key: str,
    when: date | None = None,
    weights: Mapping[str, float] = DEFAULT_WEIGHTS,
    count_cancelled: bool = False,
) -> dict[str, Rate]:
    """Rates grouped by ``direction``, ``body`` or ``side``.

    A measure with several responsible bodies (or sides) counts once for each of them; a measure
    with none is grouped under ``""``.
    """
    if key not in ("direction", "body", "side"):
        raise ValueError(f"unknown grouping {key!r}: use direction, body or side")
    groups: dict[str, list[str]] = {}
    for m, status in _statuses(plan, when):
        if key == "direction":
            keys = [m.direction]
        elif key == "body":
            keys = sorted({r.body for r in m.responsible}) or [""]
        else:
            keys = sorted({r.side for r in m.responsible}) or [""]
        for k in keys:
            groups.setdefault(k, []).append(status)
    return {k: rate(v, weights, count_cancelled) for k, v in sorted(groups.items())}


def rates_over_time(
    plan: Plan,
    dates: Sequence[date],
    weights: Mapping[str, float] = DEFAULT_WEIGHTS,
    count_cancelled: bool = False,
) -> list[tuple[date, Rate]]:
    """The document's rate as of each date (sorted), from the status history."""
    return [(d, plan_rate(plan, d, weights, count_cancelled)) for d in sorted(dates)]


def report_dates(plan: Plan) -> list[date]:
    """Every date at which some status changed, plus the plan start and ``as_of``."""
    ds = {plan.period.start, plan.as_of}
    for m in plan.measures:
        ds.update(e.date for e in m.history)
        if not m.history and m.last_report:
            ds.add(m.last_report)
    return sorted(d for d in ds if d <= max(plan.as_of, plan.period.start))
