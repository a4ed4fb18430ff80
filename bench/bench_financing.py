"""Subsidy schedule speed: segment accrual (coopnet.logic.financing) against a day-by-day loop.

Run: python bench/bench_financing.py [--quick]
Prints the time per schedule for both, and their ratio. The baseline accrues every day on its
own, as a spreadsheet would; both give the same figures (checked before timing).
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coopnet.logic.financing.project import Flow, RateStep  # noqa: E402
from coopnet.logic.financing.schedule import BaseRatePath, subsidy_schedule, year_length  # noqa: E402

START = date(2025, 1, 1)
END = date(2030, 1, 1)


def make_loans(n: int, seed: int = 7) -> list[tuple[list[Flow], list[Flow], Decimal]]:
    rng = random.Random(seed)
    loans = []
    for _ in range(n):
        drawdowns = [
            Flow(START + timedelta(days=rng.randrange(0, 700)), Decimal(rng.randrange(10**8, 3 * 10**9)))
            for _ in range(rng.randrange(1, 5))
        ]
        total = sum((f.amount for f in drawdowns), Decimal(0))
        repayments = [Flow(date(2027 + i, 1, 1 + i), (total / 4).quantize(Decimal("0.01"))) for i in range(3)]
        loans.append((drawdowns, repayments, Decimal(rng.randrange(1500, 2800)) / 100))
    return loans


RATES = BaseRatePath(
    [
        RateStep(date(2024, 10, 28), Decimal(21)),
        RateStep(date(2025, 6, 9), Decimal(20)),
        RateStep(date(2025, 7, 28), Decimal(18)),
        RateStep(date(2025, 9, 15), Decimal(17)),
        RateStep(date(2025, 10, 27), Decimal("16.5")),
    ]
)


def day_by_day(drawdowns: list[Flow], repayments: list[Flow], borrower: Decimal) -> dict[int, Decimal]:
    cap = Decimal("350000000")
    principal = Decimal(0)
    sums: dict[int, Decimal] = {}
    day = min(f.date for f in drawdowns)
    while day < END:
        principal += sum((f.amount for f in drawdowns if f.date == day), Decimal(0))
        principal -= sum((f.amount for f in repayments if f.date == day), Decimal(0))
        if principal > 0:
            base = RATES.rate_on(day)
            assert base is not None
            rate = min(base, borrower)
            daily = principal * rate / (100 * year_length("ACT/365", day.year))
            sums[day.year] = sums.get(day.year, Decimal(0)) + daily
        day += timedelta(days=1)
    return {y: min(v, cap).quantize(Decimal("0.01"), ROUND_HALF_UP) for y, v in sums.items()}


def main() -> None:
    quick = "--quick" in sys.argv
    loans = make_loans(20 if quick else 200)
    for drawdowns, repayments, borrower in loans[:5]:
        fast = subsidy_schedule(drawdowns, repayments, borrower, RATES, end=END)
        slow = day_by_day(drawdowns, repayments, borrower)
        assert {y.year: y.amount for y in fast.years} == slow, "the two methods disagree"

    t0 = time.perf_counter()
    for drawdowns, repayments, borrower in loans:
        subsidy_schedule(drawdowns, repayments, borrower, RATES, end=END)
    fast_s = (time.perf_counter() - t0) / len(loans)
    t0 = time.perf_counter()
    for drawdowns, repayments, borrower in loans:
        day_by_day(drawdowns, repayments, borrower)
    slow_s = (time.perf_counter() - t0) / len(loans)
    print(f"subsidy schedule, 5-year loan ({len(loans)} loans)")
    print(f"  segment accrual : {fast_s * 1000:8.3f} ms per schedule")
    print(f"  day-by-day loop : {slow_s * 1000:8.3f} ms per schedule (baseline)")
    print(f"  ratio           : {slow_s / fast_s:8.1f}x faster than the baseline")


if __name__ == "__main__":
    main()
