"""The 2024–2026 industrial-policy points of seed 003 reproduce the article's findings (L344–389)."""

from __future__ import annotations

from coopnet.logic.plans import check, parse_plan
from coopnet.logic.plans.seeds import load


def test_only_two_of_seven_points_have_a_deadline() -> None:
    out = check(load())
    s = out["summary"]
    assert s["measures"] == 7
    assert s["with_deadline"] == 2
    no_deadline = sorted(f["measure"] for f in out["flags"] if f["code"] == "no_deadline")
    assert no_deadline == ["4.1", "4.3", "4.4", "4.5", "4.7"]


def test_deadlines_are_31_12_2025_with_semi_annual_control_points() -> None:
    p = parse_plan(load())
    dated = [m for m in p.measures if m.deadline]
    assert {m.deadline.isoformat() for m in dated if m.deadline} == {"2025-12-31"}
    assert all(len(m.control_points) == 2 for m in dated)
    out = check(load())
    staged = {f["measure"] for f in out["flags"] if f["code"] == "no_control_points"}
    assert staged == {"4.1", "4.3", "4.4", "4.5", "4.7"}  # no yearly stages (L347)


def test_no_risk_assessment_anywhere_and_responsibility_on_both_sides() -> None:
    s = check(load())["summary"]["flags_by_code"]
    assert s["no_risk_assessment"] == 7  # L358
    assert s["no_responsible"] == 0 and s["one_sided_responsibility"] == 0  # L348


def test_recognition_of_technological_operations_is_carried_over_from_2021_2023() -> None:
    flags = [f for f in check(load())["flags"] if f["code"] == "carried_over"]
    assert len(flags) == 1
    f = flags[0]
    assert f["measure"] == "4.3"
    assert (
        f["previous_text"]
        == "mutual recognition of technological operations carried out in the Union State territory"
    )
    assert f["text"].startswith(
        "Practical implementation of agreements for recognizing technological operations"
    )


def test_every_point_has_provenance() -> None:
    data = load()
    assert "003_74704f3fcb175691.txt" in data["source"]
    assert all(m["source"].startswith("003_74704f3fcb175691.txt:332") for m in data["measures"])
