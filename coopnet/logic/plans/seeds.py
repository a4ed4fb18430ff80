"""Plans written down from the seed documents, in the JSON contract, with provenance."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
UNION_STATE_2024_2026 = "union_state_2024_2026_industrial_policy.json"


def load(name: str = UNION_STATE_2024_2026) -> dict[str, Any]:
    """The decoded JSON of a plan in ``data/`` (a fresh copy each call)."""
    with (DATA_DIR / name).open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data
