"""Implementation rates per document, direction, body and side, and over time."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from coopnet.logic.plans import parse_plan
from coopnet.logic.plans.rates import plan_rate, rate, rates_by, rates_over_time, report_dates, status_at


def m(
    mid: str, status: str, direction: str = "A", sides: tuple[str, ...] = ("RU", "BY"), **over: Any
) -> dict[str, Any]:
    d: dict[str, Any] = {
        "id": mid,
        "text": f"measure {mid}",
        "direction": direction,
        "status": status,
        "responsible": [{"side": s, "body": f"Ministry {s}"} for s in sides],
    }
    d.update(over)
    return d


def plan(*measures: dict[str, Any]) -> Any:
    return parse_plan(
        {
            "title": "P",
            "period": {"start": "2024-01-01", "end": "2026-12-31"},
            "as_of": "2025-06-30",
            "sides": ["RU", "BY"],
            "measures": list(measures),
        }
    )


def test_rate_weights_and_cancelled() -> None:
    r = rate(["done", "partially", "planned", "cancelled"])
    assert r.counted == 3 and r.score == 1.5 and r.value == pytest.approx(0.5)
    assert rate(["done", "partially"], weights={"done": 1.0, "partially": 0.25}).value == pytest.approx(0.625)
    assert rate(["done", "cancelled"], count_cancelled=True).value == pytest.approx(0.5)
    assert rate([]).value is None
    assert rate(["cancelled"]).value is None
    assert rate(["done", "done", "planned"]).to_dict() == {
        "score": 2.0,
        "counted": 3,
        "rate": 0.6667,
        "by_status": {"done": 2, "planned": 1},
    }


def test_rates_by_direction_body_and_side() -> None:
    p = plan(
        m("1", "done", "Industry"),
        m("2", "planned", "Industry", sides=("RU",)),
        m("3", "partially", "Trade", sides=("BY",)),
        m("4", "done", "Trade", sides=()),
    )
    assert plan_rate(p).value == pytest.approx(2.5 / 4)
    by_dir = rates_by(p, "direction")
    assert by_dir["Industry"].value == pytest.approx(0.5)
    assert by_dir["Trade"].value == pytest.approx(0.75)
    by_side = rates_by(p, "side")
    assert by_side["RU"].value == pytest.approx(0.5)  # measures 1 and 2
    assert by_side["BY"].value == pytest.approx(0.75)  # measures 1 and 3
    assert by_side[""].value == 1.0  # measure 4 names no body
    assert rates_by(p, "body")["Ministry BY"].counted == 2
    with pytest.raises(ValueError, match="unknown grouping"):
        rates_by(p, "colour")


def test_rates_over_time_follow_the_status_history() -> None:
    history = [
        {"date": "2024-06-30", "status": "in_progress"},
        {"date": "2024-12-31", "status": "partially"},
        {"date": "2025-06-30", "status": "done"},
    ]
    p = plan(
        m("1", "done", status_history=history),
        m("2", "in_progress", status_history=[{"date": "2024-03-01", "status": "in_progress"}]),
        m("3", "done", last_report="2025-01-10"),
    )
    series = rates_over_time(p, [date(2025, 6, 30), date(2024, 1, 1), date(2024, 12, 31), date(2025, 2, 1)])
    assert [d.isoformat() for d, _ in series] == ["2024-01-01", "2024-12-31", "2025-02-01", "2025-06-30"]
    assert [r.value for _, r in series] == pytest.approx([0.0, 0.5 / 3, 1.5 / 3, 2 / 3])
    assert status_at(p.measures[0], date(2024, 7, 1), p.as_of) == "in_progress"
    assert status_at(p.measures[2], date(2025, 1, 9), p.as_of) == "planned"
    assert status_at(p.measures[1], date(2023, 1, 1), p.as_of) == "planned"


def test_measure_without_history_or_report_counts_from_as_of() -> None:
    p = plan(m("1", "done"))
    assert plan_rate(p, date(2025, 6, 29)).value == 0.0
    assert plan_rate(p, date(2025, 6, 30)).value == 1.0


def test_report_dates() -> None:
    p = plan(
        m("1", "done", status_history=[{"date": "2024-12-31", "status": "done"}]),
        m("2", "done", last_report="2025-02-01"),
    )
    assert report_dates(p) == [date(2024, 1, 1), date(2024, 12, 31), date(2025, 2, 1), date(2025, 6, 30)]
