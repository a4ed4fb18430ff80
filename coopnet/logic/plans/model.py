"""Plain data model of a plan (programme, action plan, roadmap) and its quality flags.

Nothing here imports Django: the ``coopnet.plans`` app converts its rows into these
dataclasses and calls the pure functions of this package.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

#: Statuses a measure can have. ``partially`` means partially implemented.
STATUSES: tuple[str, ...] = (
    "planned",
    "in_progress",
    "partially",
    "done",
    "cancelled",
)
#: Statuses after which a measure needs no more reports and cannot be overdue.
CLOSED_STATUSES: frozenset[str] = frozenset({"done", "cancelled"})

#: Every flag code, in the order they are reported.
FLAG_CODES: tuple[str, ...] = (
    "no_deadline",
    "no_control_points",
    "no_responsible",
    "one_sided_responsibility",
    "no_indicator",
    "no_risk_assessment",
    "carried_over",
    "overdue",
    "stale",
)


@dataclass(frozen=True)
class Period:
    start: date
    end: date


@dataclass(frozen=True)
class Responsible:
    """A body responsible for a measure on one side (a country code such as ``RU``)."""

    side: str
    body: str


@dataclass(frozen=True)
class StatusEntry:
    """One status report: from ``date`` on the measure had ``status``."""

    date: date
    status: str


@dataclass(frozen=True)
class Measure:
    id: str
    text: str
    direction: str = ""
    responsible: tuple[Responsible, ...] = ()
    deadline: date | None = None
    control_points: tuple[date, ...] = ()
    indicator: str | None = None
    risk_assessment: str | None = None
    status: str = "planned"
    last_report: date | None = None
    history: tuple[StatusEntry, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class PreviousMeasure:
    id: str
    text: str


@dataclass(frozen=True)
class PreviousPlan:
    title: str
    measures: tuple[PreviousMeasure, ...] = ()


@dataclass(frozen=True)
class Plan:
    title: str
    period: Period
    as_of: date
    sides: tuple[str, ...] = ()
    reporting_period_months: int | None = None
    measures: tuple[Measure, ...] = ()
    previous: PreviousPlan | None = None
    source: str = ""


@dataclass(frozen=True)
class Flag:
    """A quality flag raised on one measure."""

    measure: str
    code: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"measure": self.measure, "code": self.code, "message": self.message}
        out.update(self.details)
        return out
