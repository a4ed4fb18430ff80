"""Quality flags of a plan's measures: the defects seed 003 (L344–389) finds in action plans.

=========================  ==========================================================================
code                       fires when
=========================  ==========================================================================
no_deadline                the measure has no deadline
no_control_points          the measure's horizon (its deadline, or the plan's end when it has none)
                           is more than 365 days after the plan's start, and no control point lies
                           strictly between the start and that horizon (no yearly stages)
no_responsible             no responsible body is named
one_sided_responsibility   the plan has two or more sides but bodies are named for only some of them
no_indicator               no indicator of the expected result
no_risk_assessment         no risk assessment
carried_over               the measure restates a measure of the previous plan (by meaning of words,
                           see :mod:`.similarity`); the flag carries both ids and both texts
overdue                    the deadline is before ``as_of`` and the status is neither done nor cancelled
stale                      open measure whose last report is older than the reporting period at
                           ``as_of``, or with no report at all once a reporting period has elapsed
                           since the plan's start
=========================  ==========================================================================
"""

from __future__ import annotations

from calendar import monthrange
from collections import Counter
from datetime import date
from typing import Any

from .contract import parse_plan
from .model import CLOSED_STATUSES, FLAG_CODES, Flag, Measure, Plan
from .similarity import DEFAULT_THRESHOLD, match_measures

CONTROL_POINT_HORIZON_DAYS = 365


def add_months(d: date, months: int) -> date:
    """``d`` plus ``months`` calendar months (the day is clipped to the month's length)."""
    total = d.year * 12 + (d.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(d.day, monthrange(year, month)[1]))


def _deadline_flags(plan: Plan, m: Measure) -> list[Flag]:
    out: list[Flag] = []
    if m.deadline is None:
        out.append(Flag(m.id, "no_deadline", "No deadline: the measure cannot be checked for completion."))
    horizon = m.deadline or plan.period.end
    span = (horizon - plan.period.start).days
    if span > CONTROL_POINT_HORIZON_DAYS:
        inside = [cp for cp in m.control_points if plan.period.start < cp < horizon]
        if not inside:
            what = f"deadline {m.deadline.isoformat()}" if m.deadline else f"plan end {horizon.isoformat()}"
            out.append(
                Flag(
                    m.id,
                    "no_control_points",
                    f"No control point before the {what}, {span} days after the plan start: "
                    "no stages to check progress on the way.",
                    {"horizon_days": span},
                )
            )
    return out


def _responsibility_flags(plan: Plan, m: Measure) -> list[Flag]:
    if not m.responsible:
        return [Flag(m.id, "no_responsible", "No responsible body is named.")]
    if len(plan.sides) >= 2:
        named = {r.side for r in m.responsible}
        missing = [s for s in plan.sides if s not in named]
        if missing:
            return [
                Flag(
                    m.id,
                    "one_sided_responsibility",
                    f"Responsible bodies named for {', '.join(s for s in plan.sides if s in named)} "
                    f"but not for {', '.join(missing)}.",
                    {"missing_sides": missing},
                )
            ]
    return []


def _progress_flags(plan: Plan, m: Measure) -> list[Flag]:
    if m.status in CLOSED_STATUSES:
        return []
    out: list[Flag] = []
    if m.deadline is not None and m.deadline < plan.as_of:
        late = (plan.as_of - m.deadline).days
        out.append(
            Flag(
                m.id,
                "overdue",
                f"Deadline {m.deadline.isoformat()} passed {late} days before {plan.as_of.isoformat()} "
                f"and the status is '{m.status}'.",
                {"days_late": late},
            )
        )
    months = plan.reporting_period_months
    if months:
        if m.last_report is not None:
            due = add_months(m.last_report, months)
            if due < plan.as_of:
                out.append(
                    Flag(
                        m.id,
                        "stale",
                        f"Last report {m.last_report.isoformat()} is older than the reporting period "
                        f"of {months} months at {plan.as_of.isoformat()} (next was due {due.isoformat()}).",
                        {"last_report": m.last_report.isoformat(), "due": due.isoformat()},
                    )
                )
        else:
            due = add_months(plan.period.start, months)
            if due <= plan.as_of:
                out.append(
                    Flag(
                        m.id,
                        "stale",
                        f"No report at all, though the first report was due {due.isoformat()} "
                        f"(reporting period {months} months).",
                        {"last_report": None, "due": due.isoformat()},
                    )
                )
    return out


def carried_over_flags(plan: Plan, threshold: float = DEFAULT_THRESHOLD) -> list[Flag]:
    if plan.previous is None or not plan.previous.measures:
        return []
    matches = match_measures(
        [(m.id, m.text) for m in plan.measures],
        [(p.id, p.text) for p in plan.previous.measures],
        threshold,
    )
    out: list[Flag] = []
    prev_title = plan.previous.title or "the previous plan"
    for mt in matches:
        how = "unchanged" if mt.identical else "reworded"
        out.append(
            Flag(
                mt.current_id,
                "carried_over",
                f"Carried over {how} from {prev_title}, measure {mt.previous_id} "
                f"(similarity {mt.score:.2f}): «{mt.previous_text}» → «{mt.current_text}».",
                {
                    "previous_measure": mt.previous_id,
                    "previous_text": mt.previous_text,
                    "text": mt.current_text,
                    "similarity": mt.score,
                    "identical": mt.identical,
                    "shared_terms": list(mt.shared),
                },
            )
        )
    return out


def measure_flags(plan: Plan, m: Measure) -> list[Flag]:
    """All flags of one measure except ``carried_over`` (which needs the whole plan)."""
    out = _deadline_flags(plan, m) + _responsibility_flags(plan, m)
    if not m.indicator:
        out.append(Flag(m.id, "no_indicator", "No indicator of the expected result."))
    if not m.risk_assessment:
        out.append(Flag(m.id, "no_risk_assessment", "No risk assessment (financial, political, economic)."))
    return out + _progress_flags(plan, m)


def plan_flags(plan: Plan, threshold: float = DEFAULT_THRESHOLD) -> list[Flag]:
    """Every flag of every measure, in measure order then :data:`FLAG_CODES` order."""
    by_measure: dict[str, list[Flag]] = {m.id: measure_flags(plan, m) for m in plan.measures}
    for f in carried_over_flags(plan, threshold):
        by_measure[f.measure].append(f)
    order = {c: i for i, c in enumerate(FLAG_CODES)}
    out: list[Flag] = []
    for m in plan.measures:
        out.extend(sorted(by_measure[m.id], key=lambda f: order[f.code]))
    return out


def summarise(plan: Plan, flags: list[Flag]) -> dict[str, Any]:
    counts = Counter(f.code for f in flags)
    return {
        "measures": len(plan.measures),
        "with_deadline": sum(1 for m in plan.measures if m.deadline is not None),
        "measures_flagged": len({f.measure for f in flags}),
        "flags_by_code": {c: counts.get(c, 0) for c in FLAG_CODES},
    }


def check_plan(plan: Plan, threshold: float = DEFAULT_THRESHOLD) -> dict[str, Any]:
    """The output of ``plans check``: ``{"flags": [...], "summary": {...}}``."""
    flags = plan_flags(plan, threshold)
    return {"flags": [f.to_dict() for f in flags], "summary": summarise(plan, flags)}


def check(data: object, threshold: float = DEFAULT_THRESHOLD) -> dict[str, Any]:
    """Parse the JSON contract (raising :class:`~.contract.ContractError`) and check the plan."""
    return check_plan(parse_plan(data), threshold)
