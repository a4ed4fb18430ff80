"""Flags of a large plan: indexed carried-over matching against naive all-pairs scoring.

Usage: python bench/bench_plans_flags.py [--quick]

Builds a synthetic plan (measure texts recombined from the labelled pairs, so they are realistic
plan wording; nothing here is a real plan) of N measures replacing a previous plan of N measures,
then times (1) the whole check (every flag, carried-over through the inverted index) and
(2) the plain baseline: scoring every current × previous pair with the same engine. Both must
find the same carried-over pairs.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coopnet.logic.plans import check  # noqa: E402
from coopnet.logic.plans.similarity import DEFAULT_THRESHOLD, Similarity  # noqa: E402

PAIRS = ROOT / "bench" / "data" / "plans_pairs.json"
TOPICS = [
    "microelectronics",
    "machine tools",
    "elevators",
    "aircraft",
    "automotive components",
    "gas market",
    "electricity market",
    "public procurement",
    "traceability",
    "customs",
    "leasing",
    "subsidies",
    "станкостроения",
    "микроэлектроники",
    "лифтостроения",
    "авиастроения",
    "маркировки товаров",
]


def synthetic_texts(n: int, rng: random.Random) -> list[str]:
    base = [p[k] for p in json.loads(PAIRS.read_text(encoding="utf-8"))["pairs"] for k in ("a", "b")]
    return [f"{rng.choice(base)} ({rng.choice(TOPICS)}, {rng.choice(TOPICS)}, stage {i % 7})" for i in range(n)]


def main(argv: list[str]) -> None:
    n = 200 if "--quick" in argv else 600
    rng = random.Random(20240129)
    prev_texts = synthetic_texts(n, rng)
    cur_texts = [t if rng.random() < 0.3 else s for t, s in zip(prev_texts, synthetic_texts(n, rng), strict=True)]
    plan = {
        "title": "Synthetic plan",
        "period": {"start": "2024-01-01", "end": "2026-12-31"},
        "as_of": "2025-06-30",
        "sides": ["RU", "BY"],
        "reporting_period_months": 6,
        "measures": [
            {"id": str(i), "text": t, "deadline": None if i % 3 else "2025-12-31"} for i, t in enumerate(cur_texts)
        ],
        "previous": {
            "title": "Synthetic previous plan",
            "measures": [{"id": f"p{i}", "text": t} for i, t in enumerate(prev_texts)],
        },
    }
    start = time.perf_counter()
    out = check(plan)
    t_check = time.perf_counter() - start
    carried = out["summary"]["flags_by_code"]["carried_over"]

    engine = Similarity(cur_texts + prev_texts)
    start = time.perf_counter()
    above = 0
    for ct in cur_texts:
        for pt in prev_texts:
            if engine.score(ct, pt) >= DEFAULT_THRESHOLD:
                above += 1
    t_naive = time.perf_counter() - start
    print(
        f"plan of {n} measures replacing {n} (synthetic): {carried} carried over, "
        f"{out['summary']['measures_flagged']} measures flagged"
    )
    print(f"full check (all flags, indexed carried-over): {t_check:.2f} s")
    print(f"baseline: naive all-pairs scoring only ({n * n} pairs, {above} above threshold): {t_naive:.2f} s")
    print(f"ratio baseline/check: {t_naive / t_check:.1f}x")


if __name__ == "__main__":
    main(sys.argv[1:])
