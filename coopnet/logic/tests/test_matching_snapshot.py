"""An index saved to a snapshot file and loaded back answers exactly as the index that was built."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from coopnet.logic.matching import MatchIndex, MatchRequest, default_glossary, run_consortium, run_match
from coopnet.logic.matching.glossary import Glossary

from .test_matching import ROWS

REQUESTS = [
    {"text": "нужны тракторные двигатели"},
    {"text": "tractor engines", "buyer_country": "KZ", "quantity": 1000, "unit": "pcs"},
    {"hs": "8408", "countries": "BY,RU", "certifications": "ISO 9001"},
    {"text": "шины", "buyer_id": "BY-1", "buyer_country": "BY", "limit": 3},
    {"nace": "28.11", "exclude_countries": "KZ"},
]


@pytest.fixture
def built() -> MatchIndex:
    return MatchIndex.build(ROWS)


def test_loaded_snapshot_gives_the_same_answers(built: MatchIndex, tmp_path: Path) -> None:
    path = tmp_path / "index.npz"
    built.save(path, label="7:abc")
    loaded = MatchIndex.load(path, label="7:abc")
    assert loaded is not built and loaded.n == built.n == len(ROWS)
    assert loaded.memory_bytes() == built.memory_bytes()
    for params in REQUESTS:
        assert run_match(loaded, params) == run_match(built, params)
        assert run_match(built, params)["results"]
    bom = {"lines": ["hs:8408", "шины", "системные блоки"], "min_countries": 2}
    assert run_consortium(loaded, bom) == run_consortium(built, bom)
    assert loaded.fits_for("BY-1", [("k", MatchRequest(text="двигатели"))]) == built.fits_for(
        "BY-1", [("k", MatchRequest(text="двигатели"))]
    )
    assert not list(tmp_path.glob(".matchindex-*"))  # the temporary file was renamed
    assert path.stat().st_mode & 0o777 == 0o644


def test_snapshot_of_another_revision_or_version_is_refused(built: MatchIndex, tmp_path: Path) -> None:
    path = tmp_path / "index.npz"
    built.save(path, label="7:abc")
    with pytest.raises(ValueError, match="another registry revision"):
        MatchIndex.load(path, label="8:def")
    with np.load(path, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    meta = json.loads(arrays["meta"].tobytes())
    meta["format"] = "0:old"
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match="another version"):
        MatchIndex.load(path)


def test_empty_index_round_trips(tmp_path: Path) -> None:
    empty = MatchIndex.build([])
    empty.save(tmp_path / "empty.npz")
    loaded = MatchIndex.load(tmp_path / "empty.npz")
    assert loaded.n == 0 and loaded.match(MatchRequest(text="двигатели")) == []


def test_index_with_its_own_glossary_is_not_saved(tmp_path: Path) -> None:
    own = MatchIndex.build(ROWS, glossary=Glossary(list(default_glossary().terms)[:5]))
    with pytest.raises(ValueError, match="default glossary"):
        own.save(tmp_path / "own.npz")
    assert not list(tmp_path.iterdir())
