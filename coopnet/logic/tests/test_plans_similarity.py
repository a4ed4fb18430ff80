"""Carried-over detection by meaning of words, in Russian and English."""

from __future__ import annotations

import json
from pathlib import Path

from coopnet.logic.plans.similarity import (
    DEFAULT_THRESHOLD,
    Similarity,
    char_ratio,
    concepts,
    match_measures,
    normalise_word,
)

OLD_EN = "mutual recognition of technological operations carried out in the Union State territory"
NEW_EN = (
    "practical implementation of agreements on the recognition of technological operations "
    "carried out in the Union State territory"
)
NEW_RU = (
    "Практическая реализация договоренностей по вопросу признания технологических операций, "
    "осуществляемых на территории Союзного государства."
)
OLD_RU = "Взаимное признание технологических операций, осуществляемых на территории Союзного государства"
SIGNATURE_EN = (
    "Mechanisms for recognizing electronic digital signature in financial documents in electronic form "
    "and ensuring their legal validity."
)
PAIRS = Path(__file__).resolve().parents[3] / "bench" / "data" / "plans_pairs.json"


def test_lemmas_and_stems() -> None:
    assert normalise_word("технологических") == "технологический"
    assert normalise_word("договорённостей") == "договоренность"
    assert normalise_word("operations") == "oper"
    assert normalise_word("2035") == "2035"


def test_generic_vocabulary_is_dropped_and_synonyms_merged() -> None:
    assert concepts(OLD_EN) == ["MUTUAL", "RECOGNITION", "TECHNOLOGICAL", "OPERATION"]
    assert concepts(NEW_EN) == ["AGREEMENT", "RECOGNITION", "TECHNOLOGICAL", "OPERATION"]
    assert concepts(NEW_RU) == concepts(NEW_EN)


def test_seed_003_recognition_measure_is_the_same_in_2021_and_2024() -> None:
    engine = Similarity([OLD_EN, NEW_EN])
    assert engine.same(OLD_EN, NEW_EN)
    assert Similarity([OLD_RU, NEW_RU]).same(OLD_RU, NEW_RU)
    assert Similarity([OLD_EN, NEW_RU]).same(OLD_EN, NEW_RU)  # across languages


def test_different_measures_sharing_words_are_not_the_same() -> None:
    engine = Similarity([NEW_EN, SIGNATURE_EN])
    assert engine.score(NEW_EN, SIGNATURE_EN) < DEFAULT_THRESHOLD
    a = "Long-term cooperation program in the sphere of agricultural and automotive engineering."
    b = "Long-term cooperation program in the sphere of aircraft construction."
    assert not Similarity([a, b]).same(a, b)
    assert char_ratio(a, b) > 0.7  # the byte baseline is fooled


def test_score_is_symmetric_and_bounded() -> None:
    engine = Similarity([OLD_EN, NEW_EN, SIGNATURE_EN])
    for x in (OLD_EN, NEW_EN, SIGNATURE_EN):
        for y in (OLD_EN, NEW_EN, SIGNATURE_EN):
            s = engine.score(x, y)
            assert 0.0 <= s <= 1.0 + 1e-9
            assert abs(s - engine.score(y, x)) < 1e-12
    assert engine.score("", OLD_EN) == 0.0
    assert engine.score("и в на", "the of and") == 0.0


def test_match_measures_is_one_to_one_and_shows_both_texts() -> None:
    current = [("4.3", NEW_EN), ("4.9", SIGNATURE_EN), ("4.10", NEW_RU)]
    previous = [("1", OLD_EN)]
    matches = match_measures(current, previous)
    assert len(matches) == 1
    m = matches[0]
    assert m.previous_id == "1" and m.previous_text == OLD_EN
    assert m.current_text in (NEW_EN, NEW_RU)
    assert not m.identical


def test_engine_beats_the_character_baseline_on_the_labelled_set() -> None:
    pairs = json.loads(PAIRS.read_text(encoding="utf-8"))["pairs"]
    assert len(pairs) >= 40
    assert {True, False} == {p["same"] for p in pairs}
    engine = Similarity([p[k] for p in pairs for k in ("a", "b")])

    def f1(scores: list[float], threshold: float) -> float:
        tp = sum(1 for s, p in zip(scores, pairs, strict=True) if s >= threshold and p["same"])
        fp = sum(1 for s, p in zip(scores, pairs, strict=True) if s >= threshold and not p["same"])
        fn = sum(1 for s, p in zip(scores, pairs, strict=True) if s < threshold and p["same"])
        return 2 * tp / (2 * tp + fp + fn)

    ours = f1([engine.score(p["a"], p["b"]) for p in pairs], DEFAULT_THRESHOLD)
    base_scores = [char_ratio(p["a"], p["b"]) for p in pairs]
    best_baseline = max(f1(base_scores, t / 100) for t in range(5, 100, 5))
    assert ours >= 0.9
    assert ours > best_baseline


def _naive_matches(current: list[tuple[str, str]], previous: list[tuple[str, str]]) -> list[tuple[str, str]]:
    engine = Similarity([t for _, t in current] + [t for _, t in previous])
    scored = []
    for i, (_, ct) in enumerate(current):
        for j, (_, pt) in enumerate(previous):
            same_text = " ".join(ct.lower().split()) == " ".join(pt.lower().split())
            s = 1.0 if same_text else engine.score(ct, pt)
            if s >= DEFAULT_THRESHOLD:
                scored.append((s, i, j))
    scored.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_c: set[int] = set()
    used_p: set[int] = set()
    out = []
    for _, i, j in scored:
        if i not in used_c and j not in used_p:
            used_c.add(i)
            used_p.add(j)
            out.append((i, current[i][0], previous[j][0]))
    return [(c, p) for _, c, p in sorted(out)]


def test_indexed_matching_equals_naive_all_pairs() -> None:
    import random

    pairs = json.loads(PAIRS.read_text(encoding="utf-8"))["pairs"]
    texts = sorted({p[k] for p in pairs for k in ("a", "b")})
    rng = random.Random(7)
    for _ in range(20):
        cur = [(f"c{i}", t) for i, t in enumerate(rng.sample(texts, 12))]
        prev = [(f"p{i}", t) for i, t in enumerate(rng.sample(texts, 12))]
        got = [(m.current_id, m.previous_id) for m in match_measures(cur, prev)]
        assert got == _naive_matches(cur, prev)
