"""The subsidy schedule: daily accrual on the outstanding principal, summed by calendar year.

For each day from the first drawdown up to (not including) the end of accrual, the subsidy
accrues at ``min(base rate, borrower rate) * subsidised share`` on that day's outstanding
principal, with the day-count convention's year length (ACT/365: 365; ACT/360: 360; ACT/ACT:
the calendar year's 365 or 366). A drawdown or repayment changes the principal from its own day,
a base-rate step from its own day. Each calendar year's sum is capped at the annual cap converted
to the loan's currency (``cap_rub / fx_rub``, rounded down to the kopeck, so the capped amount is
never worth more than the cap in roubles).

The base-rate path is a list of steps; after its last step the last rate is held (pass a scenario
path to model expected changes).

Amounts are Decimal: each year's sum is accumulated exactly (products of the exact inputs, divided
once per year) and rounded half-up to 0.01 only at the end.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_HALF_UP, Decimal, localcontext

from .project import Flow, RateStep
from .rules import DayCount

CENT = Decimal("0.01")
_PRECISION = 80


class ScheduleError(ValueError):
    """The loan schedule or the base-rate path cannot give a subsidy schedule."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class BaseRatePath:
    """Base-rate steps: each rate applies from its date until the next step's date."""

    def __init__(self, steps: Iterable[RateStep]) -> None:
        by_date: dict[date, Decimal] = {}
        for step in steps:
            if step.rate < 0:
                raise ScheduleError(f"a base rate cannot be negative: {step.rate} on {step.date}")
            if step.date in by_date and by_date[step.date] != step.rate:
                raise ScheduleError(
                    f"two different base rates on {step.date.isoformat()}: "
                    f"{by_date[step.date]} and {step.rate}"
                )
            by_date[step.date] = step.rate
        self.dates: list[date] = sorted(by_date)
        self.rates: list[Decimal] = [by_date[d] for d in self.dates]

    def __bool__(self) -> bool:
        return bool(self.dates)

    @property
    def steps(self) -> tuple[RateStep, ...]:
        return tuple(RateStep(d, r) for d, r in zip(self.dates, self.rates, strict=True))

    def rate_on(self, day: date) -> Decimal | None:
        index = bisect.bisect_right(self.dates, day) - 1
        return self.rates[index] if index >= 0 else None

    def change_dates(self, start: date, end: date) -> list[date]:
        """Step dates strictly after ``start`` and before ``end``."""
        return [d for d in self.dates if start < d < end]


@dataclass(frozen=True)
class YearSubsidy:
    year: int
    amount: Decimal  # paid: capped, rounded to 0.01
    uncapped: Decimal  # accrued before the cap, rounded to 0.01
    interest: Decimal  # interest charged at the borrower's rate, rounded to 0.01
    cap: Decimal  # the annual cap in the loan's currency
    capped: bool
    cap_reached_on: date | None  # the day cumulative accrual reached the cap, when capped
    days: int  # days accrued (principal outstanding) in the year


@dataclass(frozen=True)
class SubsidySchedule:
    currency: str
    years: tuple[YearSubsidy, ...]
    cap: Decimal

    @property
    def total(self) -> Decimal:
        return sum((y.amount for y in self.years), Decimal("0.00"))

    @property
    def uncapped_total(self) -> Decimal:
        return sum((y.uncapped for y in self.years), Decimal("0.00"))

    @property
    def interest_total(self) -> Decimal:
        return sum((y.interest for y in self.years), Decimal("0.00"))


def year_length(day_count: DayCount, year: int) -> int:
    if day_count == "ACT/360":
        return 360
    if day_count == "ACT/ACT":
        return 366 if date(year, 12, 31).timetuple().tm_yday == 366 else 365
    return 365


def cap_in_currency(annual_cap_rub: Decimal, fx_rub: Decimal) -> Decimal:
    """The annual cap in the loan's currency; ``fx_rub`` is the RUB value of one unit."""
    if fx_rub <= 0:
        raise ScheduleError(f"the exchange rate must be positive: {fx_rub}", "fx_rub")
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return (annual_cap_rub / fx_rub).quantize(CENT, rounding=ROUND_DOWN)


def _net_flows(drawdowns: Sequence[Flow], repayments: Sequence[Flow]) -> dict[date, Decimal]:
    net: dict[date, Decimal] = {}
    for kind, flows, sign in (("drawdowns", drawdowns, 1), ("repayments", repayments, -1)):
        for index, flow in enumerate(flows):
            if flow.amount <= 0:
                raise ScheduleError(
                    f"the amount must be positive: {flow.amount}", f"loan.{kind}[{index}].amount"
                )
            net[flow.date] = net.get(flow.date, Decimal(0)) + sign * flow.amount
    return net


def subsidy_schedule(
    drawdowns: Sequence[Flow],
    repayments: Sequence[Flow],
    borrower_rate: Decimal,
    base_rates: BaseRatePath | Iterable[RateStep],
    *,
    end: date,
    share: Decimal = Decimal(1),
    day_count: DayCount = "ACT/365",
    annual_cap_rub: Decimal = Decimal("350000000"),
    fx_rub: Decimal = Decimal(1),
    currency: str = "RUB",
) -> SubsidySchedule:
    """The subsidy by calendar year for the days from the first drawdown up to ``end`` (excluded)."""
    path = base_rates if isinstance(base_rates, BaseRatePath) else BaseRatePath(base_rates)
    if not drawdowns:
        raise ScheduleError("the loan has no drawdown", "loan.drawdowns")
    if borrower_rate < 0:
        raise ScheduleError(f"the borrower's rate cannot be negative: {borrower_rate}", "loan.rate")
    cap = cap_in_currency(annual_cap_rub, fx_rub)
    net = _net_flows(drawdowns, repayments)
    start = min(f.date for f in drawdowns)

    # check the principal never goes below zero, in date order
    principal = Decimal(0)
    for day in sorted(net):
        principal += net[day]
        if principal < 0:
            raise ScheduleError(
                f"repayments up to {day.isoformat()} exceed the amount drawn by {-principal}",
                "loan.repayments",
            )

    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return _accrue(net, borrower_rate, path, start, end, share, day_count, cap, currency)


def _accrue(
    net: dict[date, Decimal],
    borrower_rate: Decimal,
    path: BaseRatePath,
    start: date,
    end: date,
    share: Decimal,
    day_count: DayCount,
    cap: Decimal,
    currency: str,
) -> SubsidySchedule:
    # segments: the principal, the base rate and the year are constant between breakpoints
    breaks = {start, end}
    breaks.update(d for d in net if start < d < end)
    breaks.update(path.change_dates(start, end))
    breaks.update(date(y, 1, 1) for y in range(start.year + 1, end.year + 1))
    points = sorted(d for d in breaks if start <= d <= end)

    principal = Decimal(0)
    years: list[YearSubsidy] = []
    year = start.year
    sub_num = Decimal(0)  # sum of principal * rate% * share * days, this year
    int_num = Decimal(0)
    days_accrued = 0
    cap_day: date | None = None

    def close_year() -> None:
        denominator = Decimal(100 * year_length(day_count, year))
        uncapped_exact = sub_num / denominator
        capped = uncapped_exact > cap
        amount = cap if capped else uncapped_exact.quantize(CENT, rounding=ROUND_HALF_UP)
        years.append(
            YearSubsidy(
                year=year,
                amount=amount,
                uncapped=uncapped_exact.quantize(CENT, rounding=ROUND_HALF_UP),
                interest=(int_num / denominator).quantize(CENT, rounding=ROUND_HALF_UP),
                cap=cap,
                capped=capped,
                cap_reached_on=cap_day if capped else None,
                days=days_accrued,
            )
        )

    for seg_start, seg_end in itertools.pairwise(points):
        if seg_start.year != year:
            if days_accrued or sub_num or int_num:
                close_year()
            year, sub_num, int_num, days_accrued, cap_day = (
                seg_start.year,
                Decimal(0),
                Decimal(0),
                0,
                None,
            )
        principal += net.get(seg_start, Decimal(0))
        if principal <= 0:
            continue
        base = path.rate_on(seg_start)
        if base is None:
            first = path.dates[0].isoformat() if path.dates else "none given"
            raise ScheduleError(
                f"no base rate is known for {seg_start.isoformat()} (first known: {first})",
                "base_rates",
            )
        ndays = (seg_end - seg_start).days
        daily_sub = principal * min(base, borrower_rate) * share
        daily_int = principal * borrower_rate
        if cap_day is None and daily_sub > 0:
            cap_num = cap * 100 * year_length(day_count, year)
            if sub_num + daily_sub * ndays >= cap_num:
                needed = ((cap_num - sub_num) / daily_sub).to_integral_value(rounding=ROUND_CEILING)
                cap_day = seg_start + timedelta(days=max(int(needed), 1) - 1)
        sub_num += daily_sub * ndays
        int_num += daily_int * ndays
        days_accrued += ndays
    if days_accrued or sub_num or int_num:
        close_year()
    return SubsidySchedule(currency=currency, years=tuple(years), cap=cap)
