"""`coopnet projects check FILE` and `POST /api/projects/check/`: same output, clear errors."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

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
        "lender": "PJSC Sberbank",
        "lender_country": "RU",
        "currency": "RUB",
        "rate": 25.0,
        "drawdowns": [{"date": "2025-01-01", "amount": 1000000000}],
        "repayments": [{"date": "2027-01-01", "amount": 1000000000}],
    },
    "base_rates": [{"date": "2025-01-01", "rate": 21.0}],
    "fx_rub": 1.0,
}


def write(tmp_path: Path, data: Any) -> str:
    path = tmp_path / "project.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def cli(path: str, fmt: str = "json") -> str:
    out = io.StringIO()
    call_command("projects", "check", path, "--format", fmt, stdout=out)
    return out.getvalue()


def test_cli_json_contract_with_a_scenario(tmp_path: Path) -> None:
    result = json.loads(cli(write(tmp_path, FILE)))
    assert result["eligible"] is True
    assert [c["code"] for c in result["criteria"]] == [
        "member_states", "duration", "currency", "rate_cap", "industry", "lender"]
    assert result["subsidy"]["currency"] == "RUB"
    assert [(y["year"], y["amount"], y["capped"]) for y in result["subsidy"]["by_year"]] == [
        (2025, "210000000.00", False), (2026, "210000000.00", False)]
    assert result["subsidy"]["total"] == "420000000.00"


def test_cli_uses_the_stored_key_rate_history_without_a_scenario(tmp_path: Path) -> None:
    data = {k: v for k, v in FILE.items() if k != "base_rates"}
    result = json.loads(cli(write(tmp_path, data)))
    assert result["rules"]["base_rates"] == "stored"
    # 2025 on the Bank of Russia's path: 21% to 8 Jun, 20%, 18% from 28 Jul, 17% from 15 Sep, 16.5% from 27 Oct
    expected = (Decimal(21) * 159 + Decimal(20) * 49 + Decimal(18) * 49 + Decimal(17) * 42
                + Decimal("16.5") * 66) * 10**7 / 365
    assert result["subsidy"]["by_year"][0]["amount"] == f"{expected:.2f}"


def test_cli_text_format(tmp_path: Path) -> None:
    text = cli(write(tmp_path, FILE), "text")
    assert "Eligible: yes" in text and "[pass] lender" in text and "total:" in text


@pytest.mark.parametrize("content,message", [
    ('{"title": "x"', "not valid JSON at line 1"),
    (json.dumps({**FILE, "loan": {**FILE["loan"], "drawdowns": [{"date": "2025-13-01", "amount": 1}]}}),
     "loan.drawdowns[0].date: not a date (YYYY-MM-DD): '2025-13-01'"),
    (json.dumps({**FILE, "industry": 7}), "industry: must be a string, not a number"),
])
def test_cli_bad_files_name_the_field_and_exit_non_zero(tmp_path: Path, content: str, message: str) -> None:
    with pytest.raises(CommandError) as info:
        cli(write(tmp_path, content))
    assert str(info.value).startswith(message)
    assert info.value.returncode == 2


def test_cli_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot read"):
        cli(str(tmp_path / "nope.json"))


def test_api_mirrors_the_cli(tmp_path: Path) -> None:
    response = APIClient().post("/api/projects/check/", data=json.dumps(FILE), content_type="application/json")
    assert response.status_code == 200
    assert response.json() == json.loads(cli(write(tmp_path, FILE)))


@pytest.mark.parametrize("body,field", [
    ("[1, 2]", "(file)"),
    ("{", ""),
    (json.dumps({**FILE, "fx_rub": -1}), "fx_rub"),
    (json.dumps({**FILE, "participants": [{"name": "A", "country": "Russia"}]}), "participants[0].country"),
    ("\u0000", ""),
])
def test_api_bad_input_is_a_400_naming_the_field(body: str, field: str) -> None:
    response = APIClient().post("/api/projects/check/", data=body, content_type="application/json")
    assert response.status_code == 400
    payload = response.json()
    assert payload["field"] == field and payload["error"].startswith(field)


def test_api_check_needs_no_account_and_no_csrf() -> None:
    client = APIClient(enforce_csrf_checks=True)
    response = client.post("/api/projects/check/", data=json.dumps(FILE), content_type="application/json")
    assert response.status_code == 200


def test_api_schema_documents_the_endpoints() -> None:
    response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = json.loads(response.content)["paths"]
    for path in ("/api/projects/check/", "/api/financing/applications/", "/api/financing/rule-sets/",
                 "/api/financing/base-rates/", "/api/financing/applications/{id}/transition/"):
        assert path in paths


def test_api_lists_with_filters() -> None:
    client = APIClient()
    rates = client.get("/api/financing/base-rates/", {"country": "RU", "date_from": "2025-01-01"}).json()
    assert [r["rate"] for r in rates["results"]] == ["16.5000", "17.0000", "18.0000", "20.0000"]
    rules = client.get("/api/financing/rule-sets/", {"in_force_on": "2025-06-01"}).json()
    assert [r["effective_from"] for r in rules["results"]] == ["2023-10-26"]
    assert "agriculture" not in rules["results"][0]["industries"]
    assert client.get("/api/financing/applications/").json()["count"] == 0
