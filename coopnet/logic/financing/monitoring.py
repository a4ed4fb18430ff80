"""Monitoring of approved projects: a year's report against its plan, and overdue reports."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

#: the indicators a report states and a plan sets, with the direction that is good
INDICATORS: tuple[str, ...] = ("output", "jobs", "mutual_supplies", "taxes")


@dataclass(frozen=True)
class Figures:
    output: Decimal | None = None
    jobs: Decimal | None = None
    mutual_supplies: Decimal | None = None
    taxes: Decimal | None = None
    subsidy_paid: Decimal | None = None

    def get(self, name: str) -> Decimal | None:
        value: Decimal | None = getattr(self, name)
        return value


@dataclass(frozen=True)
class Flag:
    code: str  # "below_plan", "subsidy_above_schedule", "overdue", "missing_figure"
    indicator: str
    message: str


def compare(
    year: int,
    plan: Figures,
    actual: Figures,
    scheduled_subsidy: Decimal | None = None,
    tolerance: Decimal = Decimal("0.9"),
) -> list[Flag]:
    """Flags for one year's report: an indicator below ``tolerance`` × plan, a planned indicator
    not reported, the subsidy paid above the year's scheduled subsidy."""
    flags: list[Flag] = []
    for name in INDICATORS:
        planned = plan.get(name)
        if planned is None or planned <= 0:
            continue
        value = actual.get(name)
        if value is None:
            flags.append(Flag("missing_figure", name, f"{year}: {name} is not reported (plan {planned:,})."))
            continue
        if value < planned * tolerance:
            share = (value / planned * 100).quantize(Decimal("0.1"))
            flags.append(
                Flag("below_plan", name, f"{year}: {name} {value:,} is {share}% of the plan {planned:,}.")
            )
    paid = actual.subsidy_paid
    if scheduled_subsidy is not None and paid is not None and paid > scheduled_subsidy:
        flags.append(
            Flag(
                "subsidy_above_schedule",
                "subsidy_paid",
                f"{year}: subsidy paid {paid:,} exceeds the scheduled {scheduled_subsidy:,}.",
            )
        )
    return flags


def due_date(year: int, grace_days: int = 90) -> date:
    """A year's report is due ``grace_days`` after the year ends."""
    return date(year, 12, 31) + timedelta(days=grace_days)


def overdue(years: Iterable[int], reported: Iterable[int], today: date, grace_days: int = 90) -> list[Flag]:
    """An overdue flag for every year of ``years`` past its due date with no report."""
    done = set(reported)
    return [
        Flag("overdue", "report", f"The report for {y} was due on {due_date(y, grace_days).isoformat()}.")
        for y in sorted(set(years))
        if y not in done and today > due_date(y, grace_days)
    ]
