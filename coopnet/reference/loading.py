"""Load the reference CSV files in `reference/data/` into the database (idempotent)."""
from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

DATA_DIR = Path(os.environ.get("COOPNET_REFERENCE_DIR", Path(__file__).resolve().parent / "data"))


def read_rows(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def _float(value: str) -> float | None:
    return float(value) if value else None


def _upsert(model: Any, rows: list[dict[str, Any]]) -> int:
    """Insert new rows in bulk and update the rows whose values changed (codes are primary keys)."""
    existing = {obj.pk: obj for obj in model.objects.all()}
    fields = [k for k in rows[0] if k != "code"] if rows else []
    new, changed = [], []
    for row in rows:
        obj = existing.get(row["code"])
        if obj is None:
            new.append(model(**row))
        elif any(getattr(obj, f) != row[f] for f in fields):
            for f in fields:
                setattr(obj, f, row[f])
            changed.append(obj)
    model.objects.bulk_create(new, batch_size=500)
    if changed:
        model.objects.bulk_update(changed, fields, batch_size=500)
    return len(rows)


def load(country_model: Any, region_model: Any, hs_model: Any, nace_model: Any) -> dict[str, int]:
    """Upsert every reference row; models are passed in so migrations can use historical models."""
    counts: dict[str, int] = {}
    counts["countries"] = _upsert(country_model, [
        {"code": r["code"], "iso3": r["iso3"], "name_en": r["name_en"], "name_ru": r["name_ru"],
         "status": r["status"], "lat": _float(r["lat"]), "lon": _float(r["lon"])}
        for r in read_rows("countries.csv")])
    counts["regions"] = _upsert(region_model, [
        {"code": r["code"], "country_id": r["country"], "name_en": r["name_en"], "name_ru": r["name_ru"],
         "kind": r["kind"], "lat": float(r["lat"]), "lon": float(r["lon"])}
        for r in read_rows("regions.csv")])
    for model, name in ((hs_model, "hs.csv"), (nace_model, "nace.csv")):
        rows = sorted(read_rows(name), key=lambda r: int(r["level"]))  # parents before children
        counts[name.split(".")[0]] = _upsert(model, [
            {"code": r["code"], "parent_id": r["parent"] or None, "level": int(r["level"]),
             "name_en": r["name_en"], "name_ru": r["name_ru"]} for r in rows])
    return counts
