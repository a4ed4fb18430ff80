"""The `projects check` file contract: output shape, figures, and errors that name the field."""

import copy
import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coopnet.logic.financing.contract import ContractError, format_text, loads, run
from coopnet.logic.financing.project import RateStep
from coopnet.logic.financing.rules import RuleSet

RULES = [
    RuleSet(effective_from=date(2023, 10, 26), lenders=("Sberbank", "Gazprombank")),
    RuleSet(effective_from=date(2026, 2, 1), lenders=("Sberbank",), industries=("agriculture",)),
]
STORED = {
    "RU": [RateStep(date(2024, 10, 28), Decimal(21)), RateStep(date(2025, 6, 9), Decimal(20))],
}
FILE: dict[str, Any] = {
    "title": "Rail components",
    "industry": "machine-building",
    "application_date": "2025-03-01",
    "start": "2025-03-01",
    "completion": "2029-12-31",
    "participants": [
        {"name": "NPO Voyage", "country": "RU", "role": "lead"},
        {"name": "Rukhservomotor", "country": "BY", "role": "supplier"},
        {"name": "Metallstroy", "country": "AM", "role": "supplier"},
    ],
    "loan": {
        "lender": "Sberbank",
        "lender_country": "RU",
        "currency": "RUB",
        "rate": 25.0,
        "drawdowns": [{"date": "2025-01-01", "amount": 1000000000}],
        "repayments": [{"date": "2027-01-01", "amount": 1000000000}],
    },
    "base_rates": [{"date": "2025-01-01", "rate": 21.0}],
    "fx_rub": 1.0,
}


def edited(path: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(FILE)
    target: Any = data
    keys = path.replace("[", ".").replace("]", "").split(".")
    for key in keys[:-1]:
        target = target[int(key)] if key.isdigit() else target[key]
    last = keys[-1]
    if value is ...:
        del target[last]
    elif last.isdigit():
        target[int(last)] = value
    else:
        target[last] = value
    return data


def test_output_contract_with_scenario_base_rates() -> None:
    result = run(json.dumps(FILE), RULES, STORED)
    assert result["eligible"] is True
    assert [c["code"] for c in result["criteria"]] == [
        "member_states",
        "duration",
        "currency",
        "rate_cap",
        "industry",
        "lender",
    ]
    assert all(set(c) == {"code", "passed", "message"} for c in result["criteria"])
    subsidy = result["subsidy"]
    assert subsidy["currency"] == "RUB"
    assert [(y["year"], y["amount"], y["capped"]) for y in subsidy["by_year"]] == [
        (2025, "210000000.00", False),
        (2026, "210000000.00", False),
    ]
    assert subsidy["total"] == "420000000.00"
    assert result["rules"]["base_rates"] == "file"
    assert json.loads(json.dumps(result)) == result


def test_stored_base_rates_are_used_without_a_scenario() -> None:
    result = run(edited("base_rates", ...), RULES, STORED)
    assert result["rules"]["base_rates"] == "stored"
    # 2025: 1 Jan - 8 Jun (159 days) at 21%, then 206 days at 20%
    assert result["subsidy"]["by_year"][0]["amount"] == "204356164.38"


def test_cap_is_reported() -> None:
    result = run(edited("loan.drawdowns[0].amount", 2000000000), RULES, STORED)
    first = result["subsidy"]["by_year"][0]
    assert first == {
        "year": 2025,
        "amount": "350000000.00",
        "capped": True,
        "uncapped": "420000000.00",
        "interest": "500000000.00",
        "cap": "350000000.00",
        "cap_reached_on": "2025-11-01",
        "days": 365,
    }


def test_ineligible_project_still_gets_its_reasons_and_schedule() -> None:
    data = edited(
        "participants",
        [{"name": "A", "country": "RU", "role": "lead"}, {"name": "B", "country": "CN", "role": "supplier"}],
    )
    result = run(data, RULES, STORED)
    assert result["eligible"] is False
    failed = [c for c in result["criteria"] if not c["passed"]]
    assert [c["code"] for c in failed] == ["member_states"]
    assert result["subsidy"]["total"] == "420000000.00"


def test_rule_set_in_force_on_the_application_date_is_used() -> None:
    result = run(edited("application_date", "2026-03-01"), RULES, STORED)
    assert result["rules"]["effective_from"] == "2026-02-01"
    assert not {c["code"]: c["passed"] for c in result["criteria"]}["industry"]


def test_foreign_currency_needs_fx_and_converts_the_cap() -> None:
    data = edited("loan.currency", "KZT")
    del data["fx_rub"]
    with pytest.raises(ContractError, match=r"^fx_rub: is required for a loan in KZT"):
        run(data, RULES, STORED)
    data["fx_rub"] = 0.19
    data["loan"]["drawdowns"][0]["amount"] = 20_000_000_000
    result = run(data, RULES, STORED)
    assert result["subsidy"]["by_year"][0]["amount"] == "1842105263.15"


def test_text_format_names_every_criterion_and_year() -> None:
    text = format_text(run(FILE, RULES, STORED))
    assert "Eligible: yes" in text and "[pass] rate_cap" in text and "2026:" in text


@pytest.mark.parametrize(
    "path,value,message",
    [
        (
            "loan.drawdowns[0].date",
            "2025-13-01",
            "loan.drawdowns[0].date: not a date (YYYY-MM-DD): '2025-13-01'",
        ),
        ("start", "1 March 2025", "start: not a date (YYYY-MM-DD): '1 March 2025'"),
        ("title", ..., "title: is required"),
        ("title", "  ", "title: must not be empty"),
        ("participants", [], "participants: must not be empty"),
        ("participants", {"name": "x"}, "participants: must be a list, not an object"),
        (
            "participants[1].country",
            "Belarus",
            "participants[1].country: not a two-letter country code: 'Belarus'",
        ),
        ("participants[0].role", "boss", "participants[0].role: 'boss' is not one of"),
        ("loan.rate", "high", "loan.rate: not a number: 'high'"),
        ("loan.rate", True, "loan.rate: must be a number, not a boolean"),
        ("loan.rate", -1, "loan.rate: must be at least 0: -1"),
        ("loan.drawdowns[0].amount", 0, "loan.drawdowns[0].amount: must be greater than zero: 0"),
        ("loan.drawdowns", [], "loan.drawdowns: must not be empty"),
        ("loan.currency", "rubles", "loan.currency: not a three-letter currency code: 'rubles'"),
        ("loan.lender", ..., "loan.lender: is required"),
        ("loan.colour", "red", "loan.colour: unknown field"),
        ("budget", 1, "budget: unknown field"),
        ("fx_rub", 0, "fx_rub: must be greater than zero: 0"),
        ("base_rates[0].rate", None, "base_rates[0].rate: is required"),
        ("completion", "2024-01-01", "completion: 2024-01-01 is before the start 2025-03-01"),
        ("loan.repayments[0].amount", 3000000000, "loan.repayments: repayments up to 2027-01-01 exceed"),
        ("base_rates[0].date", "2025-06-01", "base_rates: no base rate is known for 2025-01-01"),
        ("application_date", "2020-01-01", "application_date: no subsidy rules were in force on 2020-01-01"),
        ("partner_supply_share", 30, "partner_supply_share: must be at most 1: 30"),
    ],
)
def test_bad_files_name_the_field(path: str, value: Any, message: str) -> None:
    with pytest.raises(ContractError) as info:
        run(edited(path, value), RULES, STORED)
    assert str(info.value).startswith(message)


@pytest.mark.parametrize(
    "text,message",
    [
        ("{", "not valid JSON at line 1 column 2"),
        ("[]", "(file): must be a JSON object, not a list"),
        (b"\xff{}", "the file is not UTF-8 text"),
        ("\ufeff{}".encode(), "title: is required"),
    ],
)
def test_unreadable_files(text: str | bytes, message: str) -> None:
    with pytest.raises(ContractError) as info:
        run(text, RULES, STORED)
    assert str(info.value).startswith(message)


def test_no_stored_base_rate_for_the_lender_country() -> None:
    data = edited("base_rates", ...)
    data["loan"]["lender_country"] = "KG"
    with pytest.raises(ContractError, match="^base_rates: no base rates are stored for KG"):
        run(data, RULES, STORED)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(
    path=st.sampled_from(
        [
            "title",
            "industry",
            "application_date",
            "start",
            "completion",
            "participants",
            "participants[0]",
            "participants[0].name",
            "participants[1].country",
            "participants[2].role",
            "loan",
            "loan.lender",
            "loan.lender_country",
            "loan.currency",
            "loan.rate",
            "loan.drawdowns",
            "loan.drawdowns[0]",
            "loan.drawdowns[0].date",
            "loan.drawdowns[0].amount",
            "loan.repayments",
            "loan.repayments[0].amount",
            "loan.maturity",
            "base_rates",
            "base_rates[0].rate",
            "fx_rub",
            "cost_rub",
            "partner_supply_share",
        ]
    ),
    value=json_values,
)
def test_any_garbage_in_any_field_gives_a_contract_error_or_a_result(path: str, value: Any) -> None:
    data = edited(path, value)
    try:
        result = run(loads(json.dumps(data)), RULES, STORED)
    except ContractError as exc:
        assert str(exc)
    else:
        assert isinstance(result["eligible"], bool)
