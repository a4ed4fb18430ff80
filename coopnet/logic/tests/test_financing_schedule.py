"""Subsidy schedule: hand-computed examples and properties for any loan and rate path."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coopnet.logic.financing.project import Flow, RateStep
from coopnet.logic.financing.rules import DAY_COUNTS, DayCount
from coopnet.logic.financing.schedule import (
    BaseRatePath,
    ScheduleError,
    cap_in_currency,
    subsidy_schedule,
    year_length,
)

BN = Decimal("1000000000")
KEY_21 = [RateStep(date(2024, 10, 28), Decimal(21))]


def one_year(amount: Decimal, borrower: Decimal = Decimal(25), rates: list[RateStep] = KEY_21, **kw):  # type: ignore[no-untyped-def]
    return subsidy_schedule(
        [Flow(date(2025, 1, 1), amount)],
        kw.pop("repayments", []),
        borrower,
        rates,
        end=date(2026, 1, 1),
        **kw,
    )


def test_one_billion_at_21_percent_for_a_whole_year() -> None:
    schedule = one_year(BN)
    (year,) = schedule.years
    assert (year.year, year.days) == (2025, 365)
    assert year.amount == Decimal("210000000.00")
    assert year.capped is False and year.cap_reached_on is None
    assert year.interest == Decimal("250000000.00")
    assert schedule.total == Decimal("210000000.00")


def test_two_billion_hits_the_annual_cap() -> None:
    (year,) = one_year(2 * BN).years
    assert year.amount == Decimal("350000000.00")
    assert year.uncapped == Decimal("420000000.00")
    assert year.capped is True
    # 2 bn x 21% / 365 = 1,150,684.93 a day; 350 m is reached on the 305th day (304.17 days)
    assert year.cap_reached_on == date(2025, 11, 1)


def test_mid_year_base_rate_change_splits_accrual_on_the_day_of_change() -> None:
    rates = [RateStep(date(2024, 10, 28), Decimal(21)), RateStep(date(2025, 6, 9), Decimal(20))]
    (year,) = one_year(BN, rates=rates).years
    # 1 Jan - 8 Jun: 159 days at 21%; 9 Jun - 31 Dec: 206 days at 20%
    expected = BN * (Decimal("0.21") * 159 + Decimal("0.20") * 206) / 365
    assert year.amount == expected.quantize(Decimal("0.01"), ROUND_HALF_UP) == Decimal("204356164.38")


def test_repayment_lowers_principal_from_its_day() -> None:
    repayments = [Flow(date(2025, 7, 1), BN / 2)]
    (year,) = one_year(BN, repayments=repayments).years
    # 181 days on 1 bn, 184 days on 0.5 bn, at 21%
    assert year.amount == Decimal("157068493.15")


def test_borrower_rate_below_base_rate_limits_the_subsidy() -> None:
    (year,) = one_year(BN, borrower=Decimal(15)).years
    assert year.amount == Decimal("150000000.00") == year.interest


def test_subsidised_share_scales_the_subsidy() -> None:
    (year,) = one_year(BN, share=Decimal("0.5")).years
    assert year.amount == Decimal("105000000.00")


def test_calendar_years_and_partial_first_year() -> None:
    schedule = subsidy_schedule(
        [Flow(date(2025, 3, 1), BN)],
        [Flow(date(2026, 3, 1), BN)],
        Decimal(25),
        KEY_21,
        end=date(2030, 1, 1),
    )
    assert [y.year for y in schedule.years] == [2025, 2026]
    assert [y.days for y in schedule.years] == [306, 59]
    assert schedule.years[0].amount == (BN * Decimal("0.21") * 306 / 365).quantize(Decimal("0.01"))
    assert schedule.total == schedule.years[0].amount + schedule.years[1].amount


def test_leap_year_day_counts() -> None:
    flows = [Flow(date(2024, 1, 1), BN)]
    kwargs = {"end": date(2025, 1, 1)}
    act365 = subsidy_schedule(flows, [], Decimal(25), [RateStep(date(2023, 1, 1), Decimal(21))], **kwargs)  # type: ignore[arg-type]
    actact = subsidy_schedule(
        flows, [], Decimal(25), [RateStep(date(2023, 1, 1), Decimal(21))], day_count="ACT/ACT", **kwargs
    )  # type: ignore[arg-type]
    act360 = subsidy_schedule(
        flows, [], Decimal(25), [RateStep(date(2023, 1, 1), Decimal(21))], day_count="ACT/360", **kwargs
    )  # type: ignore[arg-type]
    assert act365.years[0].amount == (BN * Decimal("0.21") * 366 / 365).quantize(Decimal("0.01"))
    assert actact.years[0].amount == Decimal("210000000.00")
    assert act360.years[0].amount == (BN * Decimal("0.21") * 366 / 360).quantize(Decimal("0.01"))
    assert year_length("ACT/ACT", 2024) == 366 and year_length("ACT/ACT", 2025) == 365


def test_cap_in_another_currency_uses_fx_and_never_exceeds_the_rouble_cap() -> None:
    # 1 KZT = 0.19 RUB: cap = 350 m / 0.19 = 1,842,105,263.15 KZT (rounded down)
    cap = cap_in_currency(Decimal("350000000"), Decimal("0.19"))
    assert cap == Decimal("1842105263.15")
    assert cap * Decimal("0.19") <= Decimal("350000000")
    (year,) = one_year(Decimal("20000000000"), fx_rub=Decimal("0.19"), currency="KZT").years
    assert year.capped and year.amount == cap


def test_no_base_rate_before_the_first_step_is_an_error() -> None:
    with pytest.raises(ScheduleError, match="no base rate is known for 2025-01-01"):
        one_year(BN, rates=[RateStep(date(2025, 6, 1), Decimal(20))])


def test_repayments_above_the_drawn_amount_are_an_error() -> None:
    with pytest.raises(ScheduleError, match="exceed the amount drawn"):
        one_year(BN, repayments=[Flow(date(2025, 5, 1), 2 * BN)])


def test_conflicting_steps_on_one_day_are_an_error() -> None:
    with pytest.raises(ScheduleError, match="two different base rates"):
        BaseRatePath([RateStep(date(2025, 1, 1), Decimal(1)), RateStep(date(2025, 1, 1), Decimal(2))])


def test_nothing_accrues_after_full_repayment_and_before_a_new_drawdown() -> None:
    schedule = subsidy_schedule(
        [Flow(date(2025, 1, 1), BN), Flow(date(2027, 1, 1), BN)],
        [Flow(date(2025, 2, 1), BN)],
        Decimal(25),
        KEY_21,
        end=date(2027, 1, 11),
    )
    assert [(y.year, y.days) for y in schedule.years] == [(2025, 31), (2027, 10)]


# --- properties ------------------------------------------------------------------------------

START = date(2024, 1, 1)


def naive(drawdowns, repayments, borrower, steps, end, share, day_count):  # type: ignore[no-untyped-def]
    """Day-by-day reference: per year, the exact uncapped subsidy and interest."""
    path = BaseRatePath(steps)
    first = min(f.date for f in drawdowns)
    principal = Decimal(0)
    sub: dict[int, Decimal] = {}
    interest: dict[int, Decimal] = {}
    running: dict[date, Decimal] = {}
    day = first
    while day < end:
        principal += sum((f.amount for f in drawdowns if f.date == day), Decimal(0))
        principal -= sum((f.amount for f in repayments if f.date == day), Decimal(0))
        if principal > 0:
            base = path.rate_on(day)
            assert base is not None
            denominator = Decimal(100 * year_length(day_count, day.year))
            sub[day.year] = (
                sub.get(day.year, Decimal(0)) + principal * min(base, borrower) * share / denominator
            )
            interest[day.year] = interest.get(day.year, Decimal(0)) + principal * borrower / denominator
            running[day] = sub[day.year]
        day += timedelta(days=1)
    return sub, interest, running


amounts = st.integers(min_value=1, max_value=5_000_000_000_00).map(lambda k: Decimal(k) / 100)
rates = st.integers(min_value=0, max_value=4000).map(lambda k: Decimal(k) / 100)


@st.composite
def loans(draw):  # type: ignore[no-untyped-def]
    """Drawdowns, repayments that never exceed what was drawn by their day, a rate path, an end."""
    n = draw(st.integers(1, 4))
    offsets = sorted(draw(st.lists(st.integers(0, 3 * 366), min_size=n, max_size=n)))
    drawdowns = [Flow(START + timedelta(days=o), draw(amounts)) for o in offsets]
    repayments: list[Flow] = []
    repaid = Decimal(0)
    for offset in sorted(draw(st.lists(st.integers(offsets[0], 5 * 366), max_size=4))):
        day = START + timedelta(days=offset)
        room = sum((f.amount for f in drawdowns if f.date <= day), Decimal(0)) - repaid
        amount = (room * draw(st.integers(1, 100)) / 100).quantize(Decimal("0.01"), rounding="ROUND_DOWN")
        if amount > 0:
            repayments.append(Flow(day, amount))
            repaid += amount
    steps = [RateStep(START, draw(rates))]
    for offset in sorted(set(draw(st.lists(st.integers(1, 5 * 366), max_size=6)))):
        steps.append(RateStep(START + timedelta(days=offset), draw(rates)))
    end = START + timedelta(days=draw(st.integers(offsets[0] + 1, 5 * 366 + 10)))
    return drawdowns, repayments, steps, end


@settings(max_examples=150, deadline=None)
@given(
    loan=loans(),
    borrower=rates,
    share=st.integers(0, 100).map(lambda k: Decimal(k) / 100),
    day_count=st.sampled_from(DAY_COUNTS),
    cap_rub=st.integers(0, 1_000_000_000).map(Decimal),
    fx=st.sampled_from([Decimal(1), Decimal("0.19"), Decimal("26.5"), Decimal("1.17"), Decimal("0.2")]),
)
def test_subsidy_is_capped_bounded_by_interest_and_never_negative(
    loan,
    borrower,
    share,
    day_count: DayCount,
    cap_rub,
    fx,  # type: ignore[no-untyped-def]
) -> None:
    drawdowns, repayments, steps, end = loan
    schedule = subsidy_schedule(
        drawdowns,
        repayments,
        borrower,
        steps,
        end=end,
        share=share,
        day_count=day_count,
        annual_cap_rub=cap_rub,
        fx_rub=fx,
    )
    cap = cap_in_currency(cap_rub, fx)
    assert cap * fx <= cap_rub
    sub, interest, running = naive(drawdowns, repayments, borrower, steps, end, share, day_count)
    for year in schedule.years:
        assert Decimal(0) <= year.amount <= cap
        assert year.amount <= year.interest
        assert year.amount <= year.uncapped
        assert year.capped == (sub[year.year] > cap)
        assert year.uncapped == sub[year.year].quantize(Decimal("0.01"), ROUND_HALF_UP)
        assert year.interest == interest[year.year].quantize(Decimal("0.01"), ROUND_HALF_UP)
        assert (year.cap_reached_on is not None) == year.capped
        if year.cap_reached_on is not None:
            reached = min(d for d, v in running.items() if d.year == year.year and v >= cap)
            assert year.cap_reached_on == reached
    assert {y.year for y in schedule.years} == {y for y, v in interest.items() if v > 0 or y in sub}
    assert schedule.total == sum((y.amount for y in schedule.years), Decimal(0))
