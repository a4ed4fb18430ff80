"""Carried-over detection: precision and recall of the engine against a character baseline.

Usage: python bench/bench_plans_similarity.py [--quick]

The labelled set is ``bench/data/plans_pairs.json`` (pairs of plan measures, same or different).
For each method the bench prints precision, recall and F1

* at the method's threshold chosen on the whole set (the engine's shipped DEFAULT_THRESHOLD;
  for the baseline the best threshold on the set, which flatters the baseline), and
* in 5-fold cross-validation, the threshold picked on four folds and scored on the fifth,

then the ratio engine / baseline and the time per pair.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from coopnet.logic.plans.similarity import DEFAULT_THRESHOLD, Similarity, char_ratio  # noqa: E402

PAIRS = ROOT / "bench" / "data" / "plans_pairs.json"
GRID = [t / 100 for t in range(5, 100)]


def prf(scores: Sequence[float], labels: Sequence[bool], threshold: float) -> tuple[float, float, float]:
    tp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= threshold and y)
    fp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= threshold and not y)
    fn = sum(1 for s, y in zip(scores, labels, strict=True) if s < threshold and y)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def best_threshold(scores: Sequence[float], labels: Sequence[bool]) -> float:
    return max(GRID, key=lambda t: (prf(scores, labels, t)[2], -abs(t - 0.5)))


def cross_validated(
    scores: Sequence[float], labels: Sequence[bool], folds: int = 5
) -> tuple[float, float, float]:
    tp = fp = fn = 0
    for k in range(folds):
        train = [i for i in range(len(scores)) if i % folds != k]
        test = [i for i in range(len(scores)) if i % folds == k]
        t = best_threshold([scores[i] for i in train], [labels[i] for i in train])
        for i in test:
            if scores[i] >= t and labels[i]:
                tp += 1
            elif scores[i] >= t:
                fp += 1
            elif labels[i]:
                fn += 1
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def timed(
    fn: Callable[[str, str], float], pairs: list[dict[str, object]], repeat: int
) -> tuple[list[float], float]:
    start = time.perf_counter()
    scores: list[float] = []
    for _ in range(repeat):
        scores = [fn(str(p["a"]), str(p["b"])) for p in pairs]
    return scores, (time.perf_counter() - start) / (repeat * len(pairs))


def main(argv: list[str]) -> None:
    quick = "--quick" in argv
    pairs = json.loads(PAIRS.read_text(encoding="utf-8"))["pairs"]
    labels = [bool(p["same"]) for p in pairs]
    engine = Similarity([str(p[k]) for p in pairs for k in ("a", "b")])
    repeat = 1 if quick else 20
    ours, t_ours = timed(engine.score, pairs, repeat)
    base, t_base = timed(char_ratio, pairs, repeat)
    base_t = best_threshold(base, labels)

    lang = ["cross" if _cyr(str(p["a"])) != _cyr(str(p["b"])) else "same" for p in pairs]
    hold = [bool(p.get("holdout")) for p in pairs]
    print(f"labelled pairs: {len(pairs)} ({sum(labels)} same measure, {len(labels) - sum(labels)} different)")
    print(f"{'subset / method':<52}{'thr':>6}{'precision':>11}{'recall':>8}{'F1':>7}")
    subsets = [
        ("all pairs", [True] * len(pairs)),
        ("development pairs (used to tune)", [not h for h in hold]),
        ("holdout pairs (never used to tune)", hold),
        ("same-language pairs", [x == "same" for x in lang]),
    ]
    f_all: tuple[float, float] = (0.0, 0.0)
    for title, mask in subsets:
        idx = [i for i, k in enumerate(mask) if k]
        so, sb, ys = [ours[i] for i in idx], [base[i] for i in idx], [labels[i] for i in idx]
        po = prf(so, ys, DEFAULT_THRESHOLD)
        pb = prf(sb, ys, base_t)
        print(f"{title} (n={len(idx)}, same={sum(ys)})")
        print(
            f"  {'engine (lemmas+stems, synonyms, TF-IDF cosine)':<50}{DEFAULT_THRESHOLD:>6.2f}"
            f"{po[0]:>11.3f}{po[1]:>8.3f}{po[2]:>7.3f}"
        )
        print(
            f"  {'baseline (difflib character ratio)':<50}{base_t:>6.2f}"
            f"{pb[0]:>11.3f}{pb[1]:>8.3f}{pb[2]:>7.3f}"
        )
        if title == "all pairs":
            f_all = (po[2], pb[2])
    cv_o, cv_b = cross_validated(ours, labels), cross_validated(base, labels)
    print("all pairs, 5-fold cross-validated threshold")
    print(f"  {'engine':<50}{'':>6}{cv_o[0]:>11.3f}{cv_o[1]:>8.3f}{cv_o[2]:>7.3f}")
    print(f"  {'baseline':<50}{'':>6}{cv_b[0]:>11.3f}{cv_b[1]:>8.3f}{cv_b[2]:>7.3f}")
    if f_all[1] and cv_b[2]:
        print(
            f"ratio engine/baseline: F1 {f_all[0] / f_all[1]:.2f}x, "
            f"cross-validated F1 {cv_o[2] / cv_b[2]:.2f}x"
        )
    print(f"time per pair: engine {t_ours * 1e6:.1f} us, baseline {t_base * 1e6:.1f} us")
    print("errors of the engine:")
    for sc, y, p, h in zip(ours, labels, pairs, hold, strict=True):
        if (sc >= DEFAULT_THRESHOLD) != y:
            kind = "false positive" if not y else "false negative"
            tag = " [holdout]" if h else ""
            print(f"  {kind}{tag} {sc:.2f}: {str(p['a'])[:60]} | {str(p['b'])[:60]}")


def _cyr(text: str) -> bool:
    return any("а" <= ch <= "я" or ch == "ё" for ch in text.lower())


if __name__ == "__main__":
    main(sys.argv[1:])
