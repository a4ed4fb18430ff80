"""The API mirrors the commands; the pages render with their sources and export CSV, XLSX and PDF."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from coopnet.accounts.models import Profile
from coopnet.stats import services

pytestmark = pytest.mark.django_db


def user(role: str) -> Any:
    account = get_user_model().objects.create_user(username=f"u-{role}", password="pw")
    Profile.objects.create(user=account, role=role)
    return account


def test_api_indicators_and_series(demo_stats: None, client: Client) -> None:
    names = {i["name"] for i in client.get("/api/stats/indicators/").json()}
    assert {"rca", "complementarity", "grubel_lloyd", "import_dependence", "trade_intensity", "growth"} <= names
    out = client.get("/api/stats/indicators/growth/", {"series": "industrial_production", "product": "C"}).json()
    assert round(out["rows"][0]["growth"] * 100) == 45
    rca = client.get("/api/stats/indicators/rca/", {"reporter": "BY", "from": 2024, "to": 2024}).json()
    assert rca["rows"] and all(r["reporter"] == "BY" and r["year"] == 2024 for r in rca["rows"])
    series = client.get("/api/stats/series/economic_complexity_index/", {"reporter": "BY"}).json()["rows"]
    assert {(r["period"], r["value"], r["conflicts"]) for r in series} >= {("2022", 0.84, 1), ("2022", 0.82, 1)}
    assert len(client.get("/api/stats/conflicts/").json()) == 2
    assert any(c["indicator"] == "trade" and c["synthetic"] for c in client.get("/api/stats/catalog/").json())


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/api/stats/indicators/nonsense/", {}),
        ("/api/stats/indicators/rca/", {"reporter": "Belarus"}),
        ("/api/stats/indicators/rca/", {"from": "soon"}),
        ("/api/stats/series/Bad-Name/", {}),
        ("/api/stats/opportunities/", {"product": "8x"}),
        ("/api/stats/opportunities/", {"limit": "-1"}),
        ("/api/stats/map/", {"measure": "rca", "product": "xx"}),
    ],
)
def test_api_bad_arguments_are_400(url: str, params: dict, client: Client, reference_data: None) -> None:
    response = client.get(url, params)
    assert response.status_code == 400, response.content


def test_api_opportunities_and_suppliers(demo_stats: None, client: Client) -> None:
    out = client.get("/api/stats/opportunities/", {"limit": 5}).json()
    assert len(out["rows"]) == 5 and out["synthetic_data"] is True
    code = out["rows"][0]["product"]
    suppliers = client.get(f"/api/stats/opportunities/{code}/suppliers/").json()["suppliers"]
    assert len(suppliers) == out["rows"][0]["suppliers"] or len(suppliers) >= out["rows"][0]["suppliers"]
    assert all(s["url"].startswith("/registry/o/") for s in suppliers)


def test_api_map_has_regions_with_coordinates(demo_stats: None, client: Client) -> None:
    out = client.get("/api/stats/map/", {"measure": "trade_turnover", "partner": "BY"}).json()
    kinds = {p["reporter"]: p["kind"] for p in out["points"]}
    assert kinds.get("RU-IRK") == "region" and kinds.get("KZ") == "country"
    irk = next(p for p in out["points"] if p["reporter"] == "RU-IRK")
    assert irk["value"] == 284e6 and irk["sources"] == ["002_34fcb34fd01e1444.txt L870"] and irk["lat"]
    code = services.opportunities(limit=1)["rows"][0]["product"]
    rca = client.get("/api/stats/map/", {"measure": "rca", "product": code}).json()
    assert {p["reporter"] for p in rca["points"]} == {"AM", "BY", "KG", "KZ", "RU"}


def test_api_import_needs_a_role_and_rejects_bad_files(client: Client, reference_data: None) -> None:
    good = b"indicator,reporter,period,value,unit\nx_count,BY,2024,3,count\n"
    response = client.post("/api/stats/import/", {"file": SimpleUploadedFile("a.csv", good), "format": "long"})
    assert response.status_code in (401, 403)
    client.force_login(user("enterprise"))
    response = client.post("/api/stats/import/", {"file": SimpleUploadedFile("a.csv", good), "format": "long"})
    assert response.status_code == 403
    client.force_login(user("analyst"))
    response = client.post("/api/stats/import/", {"file": SimpleUploadedFile("a.csv", good), "format": "long"})
    assert response.status_code == 201 and response.json()["observations"] == 1
    bad = b"refYear,reporterISO,partnerISO,flowCode,cmdCode\n2023,BLR,RUS,X,870110\n"
    response = client.post("/api/stats/import/", {"file": SimpleUploadedFile("c.csv", bad), "format": "comtrade"})
    assert response.status_code == 400 and "primaryValue" in response.json()["errors"][0]
    assert [b.id for b in services.get_store().batches()] == ["long-a"]


def test_schema_describes_the_stats_api(client: Client, reference_data: None) -> None:
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert {"/api/stats/indicators/{name}/", "/api/stats/opportunities/", "/api/stats/import/"} <= set(schema["paths"])


def test_pages_render(demo_stats: None, client: Client) -> None:
    en = {"HTTP_ACCEPT_LANGUAGE": "en"}
    assert "Balassa" in client.get("/stats/indicators/", **en).content.decode()
    page = client.get("/stats/indicators/rca/", {"reporter": "KZ"}, **en).content.decode()
    assert "RCA(c, p, t) = (X(c, p, t) / X(c, t)) / (X(W, p, t) / X(W, t))" in page
    assert "is not a country code" in client.get("/stats/indicators/rca/", {"reporter": "??"}, **en).content.decode()
    assert "L413" in client.get("/stats/series/economic_complexity_index/", **en).content.decode()
    assert client.get("/stats/map/", **en).status_code == 200
    listing = client.get("/stats/opportunities/", {"reporter": "RU"}, **en).content.decode()
    links = services.links("870110")
    assert links["partner_search"].split("?")[0] in listing and "?hs=" in listing
    assert links["consortium"].split("?")[0] in listing
    code = services.opportunities(limit=1)["rows"][0]["product"]
    detail = client.get(f"/stats/opportunities/{code}/", **en).content.decode()
    assert "/registry/o/" in detail and f"?hs={code}" in detail
    assert client.get("/stats/opportunities/xyz/").status_code == 404
    assert client.get("/stats/indicators/unknown/").status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_exports_carry_their_sources(demo_stats: None, client: Client, fmt: str) -> None:
    response = client.get("/stats/", {"export": fmt})
    assert response.status_code == 200
    body = response.content
    if fmt == "csv":
        text = body.decode()
        assert "Manufacturing (C)" in text and "000_d59364e38ea4afe1.txt L146" in text and "source," in text
    elif fmt == "xlsx":
        book = load_workbook(io.BytesIO(body))
        assert book["data"]["A1"].value == "activity"
        assert any("L146" in str(c.value) for row in book["sources"].iter_rows() for c in row)
    else:
        assert body.startswith(b"%PDF")
    series = client.get("/stats/series/joint_ventures/", {"export": fmt})
    assert series.status_code == 200
    opp = client.get("/stats/opportunities/", {"export": fmt, "limit": 5})
    assert opp.status_code == 200
    assert client.get("/stats/", {"export": "doc"}).status_code == 400
