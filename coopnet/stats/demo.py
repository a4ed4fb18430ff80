"""Demo statistics: the seeds' figures with their file and line, and a synthetic trade set (labelled).

``load(stdout)`` is idempotent: a batch already in the store with the same content is left alone.

* ``seed-observations`` — data/seed_observations.csv (our long format): EAEU industrial production
  2017/2024 by activity (seed 000), joint ventures and organisations with Russian capital in Belarus,
  export structures, complexity indices with both conflicting values (seed 003), region-to-region trade
  with Belarus (seed 002).
* ``synthetic-trade-demo`` — the gravity-like generator: member states x partners x HS6 x 2021-2024,
  covering the HS codes of the demo registry so opportunities find real suppliers. Synthetic.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TextIO

from coopnet.logic.stats import importers, synthetic

from .choices import DatasetFormat, DatasetStatus
from .models import Dataset
from .services import get_store

DATA = Path(__file__).resolve().parent / "data"
SEED_FILE = DATA / "seed_observations.csv"
SEED_BATCH = "seed-observations"
SYNTHETIC_BATCH = "synthetic-trade-demo"
SYNTHETIC_YEARS = (2021, 2022, 2023, 2024)
SYNTHETIC_PRODUCTS = 160
SYNTHETIC_SEED = 20250101


def _registry_hs6() -> list[str]:
    """HS6 codes for the demo registry's HS codes (4-digit codes become their '10' subheading)."""
    from coopnet.registry.models import CompetencyCode

    codes = set()
    for code in CompetencyCode.objects.filter(scheme="hs").values_list("code", flat=True).distinct():
        if len(code) >= 6:
            codes.add(code[:6])
        elif len(code) == 4:
            codes.add(code + "10")
        elif len(code) == 2:
            codes.add(code + "0110")
    return sorted(codes)


def _record(batch: str, fmt: str, file_name: str, rows: int, synthetic_: bool, report: dict) -> None:
    current = Dataset.objects.filter(batch=batch, status=DatasetStatus.WRITTEN).first()
    if current and current.observations == rows and current.report == report:
        return
    Dataset.objects.create(
        batch=batch,
        format=fmt,
        file_name=file_name,
        status=DatasetStatus.WRITTEN,
        rows_read=rows,
        observations=rows,
        is_synthetic=synthetic_,
        report=report,
    )


def load(stdout: TextIO | None = None) -> None:
    store = get_store()
    digest = hashlib.sha256(SEED_FILE.read_bytes()).hexdigest()[:16]
    existing = store.batch(SEED_BATCH)
    if existing is None or existing.meta.get("sha256") != digest:
        result = importers.parse_long(SEED_FILE)
        if not result.ok:
            raise RuntimeError(f"{SEED_FILE.name}: {result.errors[:3]}")
        store.write_result(SEED_BATCH, result, source=SEED_FILE.name, meta={"sha256": digest})
        existing = store.batch(SEED_BATCH)
    assert existing is not None
    _record(SEED_BATCH, DatasetFormat.SEED, SEED_FILE.name, existing.rows, False, {"sha256": digest})

    must = tuple(_registry_hs6())
    key = hashlib.sha256(",".join(must).encode()).hexdigest()[:16]
    spec = synthetic.TradeSpec(
        products=max(SYNTHETIC_PRODUCTS, len(must)), years=SYNTHETIC_YEARS, seed=SYNTHETIC_SEED, must_include=must
    )
    trade = store.batch(SYNTHETIC_BATCH)
    if trade is None or trade.meta.get("key") != key:
        store.write(
            SYNTHETIC_BATCH,
            synthetic.generate(spec),
            source="synthetic gravity generator",
            format="generator",
            meta={"key": key, "seed": SYNTHETIC_SEED, "products": spec.products},
        )
        trade = store.batch(SYNTHETIC_BATCH)
    assert trade is not None
    _record(
        SYNTHETIC_BATCH,
        DatasetFormat.GENERATOR,
        "",
        trade.rows,
        True,
        {"seed": SYNTHETIC_SEED, "products": spec.products, "years": list(SYNTHETIC_YEARS), "key": key},
    )
    if stdout is not None:
        stdout.write(f"stats: {existing.rows} seed observations, {trade.rows:,} synthetic trade rows in {store.root}\n")
