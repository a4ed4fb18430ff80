"""The JSON contract of ``plans check``: errors name the field; any JSON gives a result or a ContractError."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coopnet.logic.plans import ContractError, check, parse_plan, plan_to_dict
from coopnet.logic.plans.seeds import load


def base() -> dict[str, Any]:
    return {
        "title": "Plan",
        "period": {"start": "2024-01-01", "end": "2026-12-31"},
        "as_of": "2025-06-30",
        "sides": ["RU", "BY"],
        "reporting_period_months": 6,
        "measures": [
            {"id": "4.1", "text": "Measure one", "deadline": "2025-12-31", "status": "in_progress"},
            {"id": "4.2", "text": "Measure two"},
            {"id": "4.3", "text": "Measure three"},
            {"id": "4.4", "text": "Measure four", "deadline": "31.12.2025"},
        ],
    }


def errors_of(data: object) -> dict[str, str]:
    with pytest.raises(ContractError) as exc:
        parse_plan(data)
    return dict(exc.value.errors)


def test_bad_deadline_names_the_field() -> None:
    errs = errors_of(base())
    assert errs == {"measures[3].deadline": "not a date (YYYY-MM-DD)"}
    with pytest.raises(ContractError, match=r"measures\[3\]\.deadline: not a date \(YYYY-MM-DD\)"):
        check(base())


@pytest.mark.parametrize(
    ("mutate", "field", "message"),
    [
        (lambda d: d.pop("title"), "title", "required"),
        (lambda d: d.update(title="  "), "title", "must not be blank"),
        (lambda d: d.pop("period"), "period", "required"),
        (lambda d: d.update(period=[1]), "period", "not an object"),
        (lambda d: d["period"].update(start="2024-02-30"), "period.start", "not a date (YYYY-MM-DD)"),
        (lambda d: d["period"].update(end="2023-01-01"), "period.end", "before period.start"),
        (lambda d: d.update(as_of=20250630), "as_of", "not a date (YYYY-MM-DD)"),
        (lambda d: d.update(sides=["RUS"]), "sides[0]", "not a two-letter country code (e.g. RU)"),
        (lambda d: d.update(sides=["RU", "RU"]), "sides[1]", "duplicate side 'RU'"),
        (
            lambda d: d.update(reporting_period_months=0),
            "reporting_period_months",
            "must be a whole number of months from 1 to 120",
        ),
        (
            lambda d: d.update(reporting_period_months=True),
            "reporting_period_months",
            "must be a whole number of months from 1 to 120",
        ),
        (lambda d: d.update(measures={}), "measures", "not a list"),
        (lambda d: d.pop("measures"), "measures", "required"),
        (lambda d: d["measures"].append(7), "measures[4]", "not an object"),
        (lambda d: d["measures"][0].pop("id"), "measures[0].id", "required (a non-empty string)"),
        (
            lambda d: d["measures"][1].update(id="4.1"),
            "measures[1].id",
            "duplicate id '4.1' (also measures[0])",
        ),
        (lambda d: d["measures"][0].update(text=5), "measures[0].text", "not a string"),
        (
            lambda d: d["measures"][0].update(status="finished"),
            "measures[0].status",
            "must be one of planned, in_progress, partially, done, cancelled",
        ),
        (
            lambda d: d["measures"][0].update(control_points=["2024-06-30", "soon"]),
            "measures[0].control_points[1]",
            "not a date (YYYY-MM-DD)",
        ),
        (
            lambda d: d["measures"][0].update(control_points="2024-06-30"),
            "measures[0].control_points",
            "not a list",
        ),
        (
            lambda d: d["measures"][0].update(responsible=[{"side": "KZ", "body": "Minindustry"}]),
            "measures[0].responsible[0].side",
            "'KZ' is not one of the plan's sides ['RU', 'BY']",
        ),
        (
            lambda d: d["measures"][0].update(responsible=[{"side": "RU"}]),
            "measures[0].responsible[0].body",
            "required",
        ),
        (
            lambda d: d["measures"][0].update(last_report="yesterday"),
            "measures[0].last_report",
            "not a date (YYYY-MM-DD)",
        ),
        (
            lambda d: d["measures"][0].update(status_history=[{"date": "2024-05-01", "status": "?"}]),
            "measures[0].status_history[0].status",
            "must be one of planned, in_progress, partially, done, cancelled",
        ),
        (
            lambda d: d.update(previous={"title": "x", "measures": [{"id": "1"}]}),
            "previous.measures[0].text",
            "required",
        ),
        (lambda d: d.update(previous={"title": "x"}), "previous.measures", "required"),
    ],
)
def test_each_error_names_its_field(mutate: Any, field: str, message: str) -> None:
    d = base()
    d["measures"][3]["deadline"] = "2025-12-31"
    mutate(d)
    assert errors_of(d).get(field) == message


def test_all_errors_are_reported_at_once() -> None:
    d = base()
    d["as_of"] = "x"
    d["measures"][0]["status"] = "?"
    errs = errors_of(d)
    assert set(errs) == {"as_of", "measures[0].status", "measures[3].deadline"}


def test_not_an_object() -> None:
    assert errors_of([1, 2]) == {"": "the plan must be a JSON object"}
    with pytest.raises(ContractError) as exc:
        parse_plan("plan")
    assert exc.value.as_dict() == {"non_field_errors": "the plan must be a JSON object"}


def test_optional_fields_and_defaults() -> None:
    d = base()
    d["measures"][3]["deadline"] = None
    d["measures"][1]["id"] = 42
    p = parse_plan(d)
    assert p.measures[1].id == "42"
    assert p.measures[1].status == "planned"
    assert p.measures[3].deadline is None
    assert p.previous is None


def test_round_trip_of_the_seed_plan() -> None:
    data = load()
    p = parse_plan(data)
    assert parse_plan(plan_to_dict(p)) == p


_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=12)
    | st.sampled_from(["2024-01-01", "RU", "done"]),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "title",
                    "period",
                    "start",
                    "end",
                    "as_of",
                    "sides",
                    "measures",
                    "id",
                    "text",
                    "deadline",
                    "responsible",
                    "side",
                    "body",
                    "status",
                    "control_points",
                    "previous",
                    "last_report",
                    "reporting_period_months",
                    "status_history",
                    "date",
                ]
            ),
            children,
            max_size=6,
        )
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(_json)
def test_any_json_gives_a_result_or_a_contract_error(data: object) -> None:
    try:
        out = check(data)
    except ContractError as exc:
        assert exc.errors and all(isinstance(p, str) and m for p, m in exc.errors)
    else:
        assert set(out) == {"flags", "summary"}


@settings(max_examples=100, deadline=None)
@given(
    st.fixed_dictionaries(
        {
            "measures": st.lists(
                st.fixed_dictionaries({"id": st.text(min_size=1, max_size=5), "text": st.text(max_size=40)}),
                max_size=5,
            )
        }
    )
)
def test_fuzzed_measures_on_a_valid_plan(extra: dict[str, Any]) -> None:
    d = base()
    d["measures"] = extra["measures"]
    try:
        out = check(d)
    except ContractError as exc:
        assert all(p.startswith("measures[") for p, _ in exc.errors)
    else:
        assert out["summary"]["measures"] == len(extra["measures"])
