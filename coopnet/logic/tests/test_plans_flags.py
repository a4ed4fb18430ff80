"""Every quality flag fires when it should and stays silent when it should not."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from coopnet.logic.plans import check, parse_plan
from coopnet.logic.plans.flags import add_months, plan_flags
from coopnet.logic.plans.model import FLAG_CODES


def good_measure(**over: Any) -> dict[str, Any]:
    m: dict[str, Any] = {
        "id": "1",
        "direction": "Industry",
        "text": "Development of a road map in the sphere of microelectronics",
        "responsible": [
            {"side": "RU", "body": "Ministry of Industry and Trade of Russia"},
            {"side": "BY", "body": "Ministry of Industry of Belarus"},
        ],
        "deadline": "2025-12-31",
        "control_points": ["2024-12-31", "2025-06-30"],
        "indicator": "Road map approved by both governments",
        "risk_assessment": "Sanctions on equipment supply; mitigation: domestic suppliers",
        "status": "in_progress",
        "last_report": "2025-04-15",
    }
    m.update(over)
    return m


def plan(*measures: dict[str, Any], **over: Any) -> dict[str, Any]:
    p: dict[str, Any] = {
        "title": "Test plan",
        "period": {"start": "2024-01-01", "end": "2026-12-31"},
        "as_of": "2025-06-30",
        "sides": ["RU", "BY"],
        "reporting_period_months": 6,
        "measures": list(measures) or [good_measure()],
    }
    p.update(over)
    return p


def codes(data: dict[str, Any], measure: str = "1") -> set[str]:
    return {f["code"] for f in check(data)["flags"] if f["measure"] == measure}


def test_a_good_measure_has_no_flag() -> None:
    assert codes(plan()) == set()
    out = check(plan())
    assert out["summary"] == {
        "measures": 1,
        "with_deadline": 1,
        "measures_flagged": 0,
        "flags_by_code": {c: 0 for c in FLAG_CODES},
    }


def test_no_deadline() -> None:
    assert "no_deadline" in codes(plan(good_measure(deadline=None)))
    assert "no_deadline" in codes(plan(good_measure(deadline=None, control_points=[])))
    assert "no_deadline" not in codes(plan())


def test_no_control_points_fires_on_long_measure_without_stage() -> None:
    assert "no_control_points" in codes(plan(good_measure(control_points=[])))
    # a control point on the start day or the deadline day is not a stage
    m = good_measure(control_points=["2024-01-01", "2025-12-31"])
    assert "no_control_points" in codes(plan(m))


def test_no_control_points_quiet_for_short_measure_or_with_stage() -> None:
    assert "no_control_points" not in codes(plan(good_measure(deadline="2024-12-30", control_points=[])))
    # exactly 365 days after the start is not "more than a year"
    assert "no_control_points" not in codes(plan(good_measure(deadline="2024-12-31", control_points=[])))
    assert "no_control_points" in codes(plan(good_measure(deadline="2025-01-01", control_points=[])))
    assert "no_control_points" not in codes(plan(good_measure(control_points=["2025-03-01"])))


def test_no_control_points_uses_plan_end_when_no_deadline() -> None:
    assert "no_control_points" in codes(plan(good_measure(deadline=None, control_points=[])))
    assert "no_control_points" not in codes(plan(good_measure(deadline=None, control_points=["2025-06-30"])))


def test_no_responsible() -> None:
    assert "no_responsible" in codes(plan(good_measure(responsible=[])))
    assert "one_sided_responsibility" not in codes(plan(good_measure(responsible=[])))
    assert "no_responsible" not in codes(plan())


def test_one_sided_responsibility() -> None:
    m = good_measure(responsible=[{"side": "RU", "body": "Minpromtorg"}])
    flags = [f for f in check(plan(m))["flags"] if f["code"] == "one_sided_responsibility"]
    assert len(flags) == 1
    assert flags[0]["missing_sides"] == ["BY"]
    assert "BY" in flags[0]["message"]
    # a plan with a single side cannot be one-sided
    assert "one_sided_responsibility" not in codes(plan(m, sides=["RU"]))
    # two bodies of the same side do not make it two-sided
    two_ru = good_measure(
        responsible=[{"side": "RU", "body": "Minpromtorg"}, {"side": "RU", "body": "Minek"}]
    )
    assert "one_sided_responsibility" in codes(plan(two_ru))


def test_no_indicator_and_no_risk_assessment() -> None:
    assert "no_indicator" in codes(plan(good_measure(indicator=None)))
    assert "no_indicator" in codes(plan(good_measure(indicator="   ")))
    assert "no_risk_assessment" in codes(plan(good_measure(risk_assessment=None)))
    assert not {"no_indicator", "no_risk_assessment"} & codes(plan())


@pytest.mark.parametrize("status", ["planned", "in_progress", "partially"])
def test_overdue_when_open_after_deadline(status: str) -> None:
    m = good_measure(deadline="2025-03-31", control_points=["2024-12-31"], status=status)
    f = [x for x in check(plan(m))["flags"] if x["code"] == "overdue"]
    assert len(f) == 1 and f[0]["days_late"] == 91


@pytest.mark.parametrize("status", ["done", "cancelled"])
def test_not_overdue_when_closed(status: str) -> None:
    m = good_measure(deadline="2025-03-31", control_points=["2024-12-31"], status=status)
    assert "overdue" not in codes(plan(m))


def test_not_overdue_on_the_deadline_day() -> None:
    m = good_measure(deadline="2025-06-30", control_points=["2024-12-31"])
    assert "overdue" not in codes(plan(m))


def test_stale_after_reporting_period() -> None:
    # last report 2024-12-29 + 6 months = 2025-06-29 < as_of 2025-06-30
    assert "stale" in codes(plan(good_measure(last_report="2024-12-29")))
    assert "stale" not in codes(plan(good_measure(last_report="2024-12-30")))
    assert "stale" not in codes(plan(good_measure(last_report="2024-12-29", status="done")))


def test_stale_without_any_report() -> None:
    assert "stale" in codes(plan(good_measure(last_report=None)))
    # the first reporting period has not elapsed yet
    early = plan(good_measure(last_report=None), as_of="2024-06-30")
    assert "stale" not in codes(early)
    assert "stale" in codes(plan(good_measure(last_report=None), as_of="2024-07-01"))


def test_stale_needs_a_reporting_period() -> None:
    assert "stale" not in codes(plan(good_measure(last_report=None), reporting_period_months=None))


def test_carried_over_names_previous_measure_and_both_texts() -> None:
    prev = {
        "title": "Main Directions 2021-2023",
        "measures": [
            {
                "id": "7",
                "text": "mutual recognition of technological operations carried out in the "
                "Union State territory",
            },
            {"id": "8", "text": "Harmonization of approaches to monetary policy"},
        ],
    }
    text = (
        "practical implementation of agreements on the recognition of technological operations "
        "carried out in the Union State territory"
    )
    data = plan(good_measure(text=text), good_measure(id="2"), previous=prev)
    flags = [f for f in check(data)["flags"] if f["code"] == "carried_over"]
    assert len(flags) == 1
    f = flags[0]
    assert f["measure"] == "1"
    assert f["previous_measure"] == "7"
    assert f["previous_text"] == prev["measures"][0]["text"]  # type: ignore[index]
    assert f["text"] == text
    assert f["identical"] is False
    assert "RECOGNITION" in f["shared_terms"]
    assert "«mutual recognition" in f["message"]


def test_carried_over_unchanged_wording() -> None:
    prev = {
        "title": "old",
        "measures": [{"id": "a", "text": "Development of a road map in the sphere of microelectronics!"}],
    }
    flags = [f for f in check(plan(previous=prev))["flags"] if f["code"] == "carried_over"]
    assert len(flags) == 1 and flags[0]["identical"] is True and "unchanged" in flags[0]["message"]


def test_not_carried_over_when_different() -> None:
    prev = {
        "title": "old",
        "measures": [{"id": "a", "text": "Development of a roadmap for a common commodity exchange market"}],
    }
    assert "carried_over" not in codes(plan(previous=prev))
    assert "carried_over" not in codes(plan())


def test_flags_follow_measure_then_code_order() -> None:
    data = plan(good_measure(id="b", deadline=None, indicator=None), good_measure(id="a", responsible=[]))
    flags = plan_flags(parse_plan(data))
    assert [(f.measure, f.code) for f in flags] == [
        ("b", "no_deadline"),
        ("b", "no_indicator"),
        ("a", "no_responsible"),
    ]


def test_summary_counts() -> None:
    data = plan(good_measure(), good_measure(id="2", deadline=None, control_points=["2025-01-01"]))
    s = check(data)["summary"]
    assert s["measures"] == 2 and s["with_deadline"] == 1 and s["measures_flagged"] == 1
    assert s["flags_by_code"]["no_deadline"] == 1


def test_input_is_not_modified() -> None:
    data = plan(good_measure(deadline=None))
    before = copy.deepcopy(data)
    check(data)
    assert data == before


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [("2024-01-31", 1, "2024-02-29"), ("2024-08-31", 6, "2025-02-28"), ("2024-12-15", 1, "2025-01-15")],
)
def test_add_months(start: str, months: int, expected: str) -> None:
    from datetime import date

    assert add_months(date.fromisoformat(start), months) == date.fromisoformat(expected)
