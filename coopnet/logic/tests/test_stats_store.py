"""The Parquet/DuckDB store: batches, replacement, conflicts kept visible, synthetic data labelled."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coopnet.logic.stats import synthetic
from coopnet.logic.stats.indicators import compute
from coopnet.logic.stats.schema import Observation, to_table
from coopnet.logic.stats.store import StatsStore, StoreError, sql_params, sql_text


def complexity(
    value: float, note: str, retrieved: date | None = None, source: str = "003_74704f3fcb175691.txt"
) -> Observation:
    return Observation(
        "complexity_index",
        "BY",
        "2022",
        value,
        "index",
        year=2022,
        source=source,
        locator="L413",
        note=note,
        retrieved=retrieved,
    )


def test_batches_are_replaced_not_duplicated(tmp_path: Path) -> None:
    store = StatsStore(tmp_path)
    store.write("a", to_table([complexity(0.84, "first")]))
    store.write("a", to_table([complexity(0.84, "first")]))
    assert [b.id for b in store.batches()] == ["a"]
    assert len(store.series("complexity_index")) == 1
    assert store.delete("a") and store.series("complexity_index") == []
    assert not store.delete("a")


def test_conflicting_values_are_both_kept_and_shown(tmp_path: Path) -> None:
    store = StatsStore(tmp_path)
    store.write("stated-1", to_table([complexity(0.84, "ranking 32nd", date(2025, 1, 2))]))
    store.write("stated-2", to_table([complexity(0.82, "five-year assessment", date(2025, 1, 1))]))
    series = store.series("complexity_index", reporter="BY")
    assert sorted(r["value"] for r in series) == [0.82, 0.84]
    assert all(r["conflicts"] == 1 for r in series)
    conflicts = store.conflicts()
    assert {(c["value"], c["note"]) for c in conflicts} == {
        (0.84, "ranking 32nd"),
        (0.82, "five-year assessment"),
    }
    # Indicators read one value per key: the most recently retrieved.
    con = store.connect()
    assert con.sql("SELECT value FROM obs WHERE indicator = 'complexity_index'").fetchall() == [(0.84,)]
    catalog = store.catalog()
    assert catalog[0]["indicator"] == "complexity_index" and catalog[0]["observations"] == 2


def test_same_document_two_statements_in_one_batch(tmp_path: Path) -> None:
    store = StatsStore(tmp_path)
    store.write("seed", to_table([complexity(0.84, "statement 1"), complexity(0.82, "statement 2")]))
    assert len(store.conflicts("complexity_index")) == 2


def test_bad_batch_ids_and_empty_batches(tmp_path: Path) -> None:
    store = StatsStore(tmp_path)
    with pytest.raises(StoreError, match="batch id"):
        store.write("../escape", to_table([complexity(1, "x")]))
    with pytest.raises(StoreError, match="no rows"):
        store.write("empty", to_table([]))
    assert store.batches() == [] and not any(p.name.startswith(".staging") for p in tmp_path.iterdir())


def test_empty_store_answers_every_query(tmp_path: Path) -> None:
    store = StatsStore(tmp_path)
    assert compute(store, "rca")["rows"] == []
    assert store.series("trade") == [] and store.catalog() == []


def test_map_values_with_sources(tmp_path: Path) -> None:
    store = StatsStore(tmp_path)
    rows = [
        Observation(
            "trade_turnover",
            "RU-PSK",
            "2019",
            121e6,
            "money",
            partner="BY",
            currency="USD",
            year=2019,
            source="002_34fcb34fd01e1444.txt",
            locator="L734",
        ),
        Observation(
            "trade_turnover",
            "RU-IRK",
            "2019",
            284e6,
            "money",
            partner="BY",
            currency="USD",
            year=2019,
            source="002_34fcb34fd01e1444.txt",
            locator="L870",
        ),
    ]
    store.write("regions", to_table(rows))
    values = store.map_values("trade_turnover", partner="BY")
    assert [(v["reporter"], v["value"]) for v in values] == [("RU-IRK", 284e6), ("RU-PSK", 121e6)]
    assert values[0]["sources"] == ["002_34fcb34fd01e1444.txt L870"]


def test_sql_parameters_ignore_comments() -> None:
    assert sql_params("-- $ignored\nSELECT $a, $b -- $c\n") == ["a", "b"]
    with pytest.raises(StoreError):
        sql_text("nonexistent")


def test_synthetic_generator_is_seeded_and_labelled() -> None:
    spec = synthetic.TradeSpec(products=20, years=(2022, 2023), seed=5)
    first = list(synthetic.generate(spec))
    again = list(synthetic.generate(spec))
    assert sum(t.num_rows for t in first) == spec.rows
    assert first[0].equals(again[0])
    row = first[0].slice(0, 1).to_pylist()[0]
    assert row["is_synthetic"] is True and "synthetic" in row["source"] and "synthetic" in row["note"]
    assert set(first[0].column("reporter").unique().to_pylist()) == {"AM", "BY", "KG", "KZ", "RU"}


@settings(max_examples=20, deadline=None)
@given(
    st.integers(min_value=1, max_value=300),
    st.lists(st.sampled_from(["870110", "842952", "8433"]), max_size=3),
)
def test_hs6_universe(count: int, must: list[str]) -> None:
    codes = synthetic.hs6_universe(count, must_include=must)
    assert len(codes) == len(set(codes)) and all(len(c) == 6 and c.isdigit() for c in codes)
    assert len(codes) >= count and all(m in codes for m in must if len(m) == 6)


def test_rca_on_synthetic_data_is_a_weighted_mean_of_one(tmp_path: Path) -> None:
    # Property of Balassa's index: sum over states of RCA(c,p) * X(c) / X(W) weighted by X(W,p)/X(W)... the
    # simplest exact identity: for each product, sum_c X(c,p) = X(W,p), so sum_c RCA(c,p) * X(c)/X(W) = 1.
    store = StatsStore(tmp_path)
    store.write("syn", synthetic.generate(synthetic.TradeSpec(products=30, years=(2023,), seed=3)))
    rows = compute(store, "rca")["rows"]
    totals: dict[str, float] = {}
    for r in rows:
        totals[r["product"]] = totals.get(r["product"], 0.0) + r["value"] * r["x_c"] / r["x_w"]
    assert totals and all(abs(v - 1) < 1e-9 for v in totals.values())
