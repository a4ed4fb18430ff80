"""Parse and validate the JSON contract of ``plans check``.

Every error names the field it is about, e.g. ``measures[3].deadline: not a date (YYYY-MM-DD)``.
All errors of a document are collected before :class:`ContractError` is raised, so a user fixes
the whole file in one go.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from .model import (
    STATUSES,
    Measure,
    Period,
    Plan,
    PreviousMeasure,
    PreviousPlan,
    Responsible,
    StatusEntry,
)

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SIDE_RE = re.compile(r"^[A-Z]{2}$")
MAX_MEASURES = 5000
MAX_TEXT = 10000


class ContractError(ValueError):
    """The input does not follow the contract; ``errors`` lists ``(field, message)`` pairs."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{path}: {msg}" for path, msg in errors))

    def as_dict(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for path, msg in self.errors:
            out.setdefault(path or "non_field_errors", msg)
        return out


class _Reader:
    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []

    def err(self, path: str, msg: str) -> None:
        self.errors.append((path, msg))

    def mapping(self, value: object, path: str) -> Mapping[str, Any] | None:
        if not isinstance(value, Mapping):
            self.err(path, "not an object")
            return None
        return value

    def text(
        self, obj: Mapping[str, Any], key: str, path: str, *, required: bool = True, nullable: bool = False
    ) -> str | None:
        where = f"{path}.{key}" if path else key
        if key not in obj:
            if required:
                self.err(where, "required")
            return None
        value = obj[key]
        if value is None:
            if nullable or not required:
                return None
            self.err(where, "must not be null")
            return None
        if not isinstance(value, str):
            self.err(where, "not a string")
            return None
        if len(value) > MAX_TEXT:
            self.err(where, f"longer than {MAX_TEXT} characters")
            return None
        if required and not nullable and not value.strip():
            self.err(where, "must not be blank")
            return None
        return value.strip()

    def date_value(self, value: object, where: str) -> date | None:
        if not isinstance(value, str) or not _DATE_RE.match(value):
            self.err(where, "not a date (YYYY-MM-DD)")
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.err(where, "not a date (YYYY-MM-DD)")
            return None

    def date_field(self, obj: Mapping[str, Any], key: str, path: str, *, required: bool = True) -> date | None:
        where = f"{path}.{key}" if path else key
        if key not in obj or obj[key] is None:
            if required:
                self.err(where, "required")
            return None
        return self.date_value(obj[key], where)

    def list_field(self, obj: Mapping[str, Any], key: str, path: str, *, required: bool = False) -> list[Any]:
        where = f"{path}.{key}" if path else key
        if key not in obj or obj[key] is None:
            if required:
                self.err(where, "required")
            return []
        value = obj[key]
        if not isinstance(value, list):
            self.err(where, "not a list")
            return []
        return value


def _measure(r: _Reader, raw: object, path: str, sides: tuple[str, ...]) -> Measure | None:
    obj = r.mapping(raw, path)
    if obj is None:
        return None
    before = len(r.errors)
    mid = obj.get("id")
    if isinstance(mid, int) and not isinstance(mid, bool):
        mid = str(mid)
    if not isinstance(mid, str) or not mid.strip():
        r.err(f"{path}.id", "required (a non-empty string)")
        mid = ""
    text = r.text(obj, "text", path) or ""
    direction = r.text(obj, "direction", path, required=False) or ""
    responsible: list[Responsible] = []
    for j, item in enumerate(r.list_field(obj, "responsible", path)):
        rpath = f"{path}.responsible[{j}]"
        robj = r.mapping(item, rpath)
        if robj is None:
            continue
        side = r.text(robj, "side", rpath)
        body = r.text(robj, "body", rpath)
        if side is not None and sides and side not in sides:
            r.err(f"{rpath}.side", f"'{side}' is not one of the plan's sides {list(sides)}")
        if side is not None and body is not None:
            responsible.append(Responsible(side=side, body=body))
    deadline = r.date_field(obj, "deadline", path, required=False)
    cps: list[date] = []
    for j, item in enumerate(r.list_field(obj, "control_points", path)):
        d = r.date_value(item, f"{path}.control_points[{j}]")
        if d is not None:
            cps.append(d)
    indicator = r.text(obj, "indicator", path, required=False)
    risk = r.text(obj, "risk_assessment", path, required=False)
    status = obj.get("status", "planned")
    if status is None:
        status = "planned"
    if status not in STATUSES:
        r.err(f"{path}.status", f"must be one of {', '.join(STATUSES)}")
        status = "planned"
    last_report = r.date_field(obj, "last_report", path, required=False)
    history: list[StatusEntry] = []
    for j, item in enumerate(r.list_field(obj, "status_history", path)):
        hpath = f"{path}.status_history[{j}]"
        hobj = r.mapping(item, hpath)
        if hobj is None:
            continue
        d = r.date_field(hobj, "date", hpath)
        st = hobj.get("status")
        if st not in STATUSES:
            r.err(f"{hpath}.status", f"must be one of {', '.join(STATUSES)}")
            continue
        if d is not None:
            history.append(StatusEntry(date=d, status=str(st)))
    source = r.text(obj, "source", path, required=False) or ""
    if len(r.errors) > before:
        return None
    return Measure(
        id=mid.strip(),
        text=text,
        direction=direction,
        responsible=tuple(responsible),
        deadline=deadline,
        control_points=tuple(sorted(cps)),
        indicator=indicator or None,
        risk_assessment=risk or None,
        status=str(status),
        last_report=last_report,
        history=tuple(sorted(history, key=lambda e: e.date)),
        source=source,
    )


def parse_plan(data: object) -> Plan:
    """Turn decoded JSON into a :class:`Plan`, or raise :class:`ContractError`."""
    r = _Reader()
    obj = r.mapping(data, "")
    if obj is None:
        raise ContractError([("", "the plan must be a JSON object")])
    title = r.text(obj, "title", "") or ""
    start = end = None
    pobj = r.mapping(obj.get("period"), "period") if "period" in obj else None
    if "period" not in obj:
        r.err("period", "required")
    if pobj is not None:
        start = r.date_field(pobj, "start", "period")
        end = r.date_field(pobj, "end", "period")
        if start and end and end < start:
            r.err("period.end", "before period.start")
    as_of = r.date_field(obj, "as_of", "")
    sides_raw = r.list_field(obj, "sides", "")
    sides: list[str] = []
    for j, s in enumerate(sides_raw):
        if not isinstance(s, str) or not _SIDE_RE.match(s):
            r.err(f"sides[{j}]", "not a two-letter country code (e.g. RU)")
        elif s in sides:
            r.err(f"sides[{j}]", f"duplicate side '{s}'")
        else:
            sides.append(s)
    rpm = obj.get("reporting_period_months")
    if rpm is not None and (isinstance(rpm, bool) or not isinstance(rpm, int) or not 1 <= rpm <= 120):
        r.err("reporting_period_months", "must be a whole number of months from 1 to 120")
        rpm = None
    raw_measures = r.list_field(obj, "measures", "", required=True)
    if len(raw_measures) > MAX_MEASURES:
        r.err("measures", f"more than {MAX_MEASURES} measures")
        raw_measures = []
    measures: list[Measure] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(raw_measures):
        m = _measure(r, raw, f"measures[{i}]", tuple(sides))
        if m is None:
            continue
        if m.id in seen:
            r.err(f"measures[{i}].id", f"duplicate id '{m.id}' (also measures[{seen[m.id]}])")
            continue
        seen[m.id] = i
        measures.append(m)
    previous: PreviousPlan | None = None
    if obj.get("previous") is not None:
        prev = r.mapping(obj["previous"], "previous")
        if prev is not None:
            ptitle = r.text(prev, "title", "previous", required=False) or ""
            pms: list[PreviousMeasure] = []
            for i, raw in enumerate(r.list_field(prev, "measures", "previous", required=True)):
                ppath = f"previous.measures[{i}]"
                pm = r.mapping(raw, ppath)
                if pm is None:
                    continue
                pid = pm.get("id")
                if isinstance(pid, int) and not isinstance(pid, bool):
                    pid = str(pid)
                if not isinstance(pid, str) or not pid.strip():
                    r.err(f"{ppath}.id", "required (a non-empty string)")
                    continue
                ptext = r.text(pm, "text", ppath)
                if ptext:
                    pms.append(PreviousMeasure(id=pid.strip(), text=ptext))
            previous = PreviousPlan(title=ptitle, measures=tuple(pms))
    source = r.text(obj, "source", "", required=False) or ""
    if r.errors or start is None or end is None or as_of is None:
        raise ContractError(r.errors or [("", "invalid plan")])
    return Plan(
        title=title,
        period=Period(start=start, end=end),
        as_of=as_of,
        sides=tuple(sides),
        reporting_period_months=rpm,
        measures=tuple(measures),
        previous=previous,
        source=source,
    )


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The inverse of :func:`parse_plan` (used by the app to export a plan in the contract)."""
    out: dict[str, Any] = {
        "title": plan.title,
        "period": {"start": plan.period.start.isoformat(), "end": plan.period.end.isoformat()},
        "as_of": plan.as_of.isoformat(),
        "sides": list(plan.sides),
        "reporting_period_months": plan.reporting_period_months,
        "measures": [
            {
                "id": m.id,
                "direction": m.direction,
                "text": m.text,
                "responsible": [{"side": x.side, "body": x.body} for x in m.responsible],
                "deadline": m.deadline.isoformat() if m.deadline else None,
                "control_points": [d.isoformat() for d in m.control_points],
                "indicator": m.indicator,
                "risk_assessment": m.risk_assessment,
                "status": m.status,
                "last_report": m.last_report.isoformat() if m.last_report else None,
                "status_history": [{"date": e.date.isoformat(), "status": e.status} for e in m.history],
                "source": m.source,
            }
            for m in plan.measures
        ],
        "source": plan.source,
    }
    if plan.previous is not None:
        out["previous"] = {
            "title": plan.previous.title,
            "measures": [{"id": p.id, "text": p.text} for p in plan.previous.measures],
        }
    return out
