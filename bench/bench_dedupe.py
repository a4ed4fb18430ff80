"""Duplicate detection quality on a labelled set of real organisation names.

bench/data/dedupe_pairs.csv holds pairs of real EAEU organisations: the same enterprise written in
Russian and English, with and without legal forms, in Kazakh script, with other transliterations
(same=1), and look-alike different companies: parent and subsidiary, same city, same prefix,
numbered plants (same=0). Each pair is scored by name and country only (no tax ID, no place), so the
figure measures the name normalisation and scoring, which is where duplicates hide.

Prints precision and recall at the review threshold (pairs a person sees) and at the automatic
threshold, and the same for two plain baselines: exact match of lower-cased names, and rapidfuzz
ratio ≥ 0.85 on lower-cased raw names.

    python bench/bench_dedupe.py [--quick] [--show-errors]
"""
from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rapidfuzz import fuzz  # noqa: E402

from coopnet.logic.registry.dedupe import (  # noqa: E402
    DEFAULT_AUTO_THRESHOLD,
    DEFAULT_REVIEW_THRESHOLD,
    OrgRecord,
    score_pair,
)

DATA = Path(__file__).resolve().parent / "data" / "dedupe_pairs.csv"


def precision_recall(predicted: list[bool], truth: list[bool]) -> tuple[float, float, int, int, int]:
    tp = sum(p and t for p, t in zip(predicted, truth, strict=True))
    fp = sum(p and not t for p, t in zip(predicted, truth, strict=True))
    fn = sum(t and not p for p, t in zip(predicted, truth, strict=True))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, tp, fp, fn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="same run (the set is small)")
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    with DATA.open(encoding="utf-8") as f:
        pairs = list(csv.DictReader(f))
    truth = [p["same"] == "1" for p in pairs]
    started = time.perf_counter()
    scores = []
    for i, p in enumerate(pairs):
        a = OrgRecord(f"a{i}", (p["name_a"],), p["country_a"])
        b = OrgRecord(f"b{i}", (p["name_b"],), p["country_b"])
        scores.append(score_pair(a, b))
    elapsed = time.perf_counter() - started
    print(f"labelled pairs: {len(pairs)} ({sum(truth)} same, {len(truth) - sum(truth)} different), "
          f"scored in {elapsed * 1000:.1f} ms")
    results = {}
    for label, threshold in (("review", DEFAULT_REVIEW_THRESHOLD), ("automatic", DEFAULT_AUTO_THRESHOLD)):
        predicted = [s.confidence >= threshold for s in scores]
        results[label] = precision_recall(predicted, truth)
        pr, rc, tp, fp, fn = results[label]
        print(f"coopnet scorer  @ {label:<9} {threshold:.2f}: precision {pr:.3f}  recall {rc:.3f}  "
              f"(tp {tp}, fp {fp}, fn {fn})")
        if args.show_errors:
            for p, s, t, pred in zip(pairs, scores, truth, predicted, strict=True):
                if t != pred:
                    print(f"   {'FN' if t else 'FP'} {s.confidence:.2f} {p['name_a']} | {p['name_b']}")
    print("(a name alone never reaches the automatic threshold, by design: an automatic merge needs an "
          "agreeing tax ID, website or coordinates)")
    exact = [a["name_a"].strip().lower() == a["name_b"].strip().lower() for a in pairs]
    fuzzy = [fuzz.ratio(a["name_a"].lower(), a["name_b"].lower()) >= 85 for a in pairs]
    for label, predicted in (("exact lower-case name", exact), ("fuzzy ratio >= 0.85", fuzzy)):
        pr, rc, tp, fp, fn = precision_recall(predicted, truth)
        print(f"baseline {label:<22}: precision {pr:.3f}  recall {rc:.3f}  (tp {tp}, fp {fp}, fn {fn})")
    base_rc = precision_recall(exact, truth)[1]
    ours_rc = results["review"][1]
    print(f"recall ratio (coopnet review / exact baseline): "
          f"{ours_rc / base_rc:.1f}x" if base_rc else f"recall: coopnet {ours_rc:.3f} vs exact baseline 0.000")


if __name__ == "__main__":
    main()
