"""Fixtures of the stats tests: a private observation store per test, the demo loaded into it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def stats_dir(settings: Any, tmp_path: Path) -> Path:
    settings.STATS_DIR = tmp_path / "stats"
    return settings.STATS_DIR


@pytest.fixture
def demo_stats(demo_registry: None) -> None:
    from coopnet.stats.demo import load

    load()
