"""The demo reproduces the seeds' figures, each with its source; loading twice changes nothing."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from coopnet.stats import demo, services
from coopnet.stats.models import Dataset

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent(demo_stats: None) -> None:
    store = services.get_store()
    before = [(b.id, b.rows, b.files) for b in store.batches()]
    datasets = Dataset.objects.count()
    out = io.StringIO()
    demo.load(out)
    assert [(b.id, b.rows, b.files) for b in store.batches()] == before
    assert Dataset.objects.count() == datasets == 2
    assert "seed observations" in out.getvalue()


def test_seed_000_production_growth(demo_stats: None) -> None:
    rows = {r["product"]: r for r in services.indicator("growth", series="industrial_production")["rows"]}
    assert round(rows["TOTAL"]["growth"] * 100) == 41
    assert round(rows["C"]["growth"] * 100) == 45
    assert (rows["C"]["value_from"], rows["C"]["value_to"]) == (740.6e9, 1072.6e9)
    assert "000_d59364e38ea4afe1.txt L146" in rows["C"]["source_to"]
    stated = {r["product"]: r["value"] for r in services.series("industrial_production_growth_stated")}
    assert stated == {"TOTAL": 41, "C": 45, "B": 47, "D": 2, "E": 44}
    mining = services.series("industrial_production", product="B")
    assert [(m["period"], m["value"], m["locator"]) for m in mining] == [("2024", 404.5e9, "L147")]


def test_seed_003_joint_ventures_and_conflict(demo_stats: None) -> None:
    jv = services.series("joint_ventures", reporter="BY", partner="RU")
    assert [(r["period"], r["value"], r["source"], r["locator"]) for r in jv] == [
        ("2014", 1704, "003_74704f3fcb175691.txt", "L415"),
        ("2022", 1056, "003_74704f3fcb175691.txt", "L415"),
    ]
    conflicts = services.get_store().conflicts("economic_complexity_index")
    assert sorted(c["value"] for c in conflicts) == [0.82, 0.84]


def test_dashboard_shows_figures_with_sources(demo_stats: None, client: Client) -> None:
    html = client.get("/stats/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for text in (
        "+41%",
        "+45%",
        "+47%",
        "740.6",
        "1,072.6",
        "404.5",
        "1,704",
        "1,056",
        "2,240",
        "-38%",
        "000_d59364e38ea4afe1.txt L144",
        "000_d59364e38ea4afe1.txt L146",
        "000_d59364e38ea4afe1.txt L147",
        "003_74704f3fcb175691.txt L415",
        "0.84",
        "0.82",
        "003_74704f3fcb175691.txt L413",
        "002_34fcb34fd01e1444.txt L870",
        "RU-PSK",
    ):
        assert text in html, text


def test_synthetic_trade_is_labelled_and_covers_the_registry(demo_stats: None) -> None:
    batch = services.get_store().batch(demo.SYNTHETIC_BATCH)
    assert batch is not None and batch.synthetic
    out = services.opportunities(limit=200)
    assert out["synthetic_data"] is True
    assert out["rows"] and all(r["suppliers"] > 0 for r in out["rows"])
    assert out["rows"] == sorted(out["rows"], key=lambda r: -r["value_at_stake"])
