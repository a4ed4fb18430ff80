"""Synthetic organisations: deterministic, labelled, valid, varied."""

import io
from collections import Counter

from coopnet.logic.registry.rows import COLUMNS, Report, Rules, parse_rows
from coopnet.logic.registry.synth import (
    DEFAULT_VOCABULARY,
    SYNTHETIC_MARK,
    generate,
    is_synthetic_ref,
)

RULES = Rules(
    countries=frozenset(DEFAULT_VOCABULARY.regions),
    regions={code: cc for cc, regions in DEFAULT_VOCABULARY.regions.items() for code, _, _ in regions},
)


def _csv(rows):
    import csv

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(COLUMNS)
    for r in rows:
        w.writerow([r[c] for c in COLUMNS])
    return buf.getvalue().encode()


def test_same_seed_same_rows_and_different_seed_different_rows():
    assert list(generate(50, 3)) == list(generate(50, 3))
    assert list(generate(50, 3)) != list(generate(50, 4))


def test_every_row_is_labelled_synthetic_and_valid():
    rows = list(generate(3000, 11))
    assert all(is_synthetic_ref(r["ref"]) and r["products"].startswith(SYNTHETIC_MARK) for r in rows)
    assert len({r["ref"] for r in rows}) == 3000
    report = Report()
    valid = list(parse_rows(io.BytesIO(_csv(rows)), "syn.csv", RULES, report))
    assert report.ok, list(report.lines())[:5]
    assert len(valid) == 3000


def test_variety_and_proportions():
    rows = list(generate(5000, 1))
    countries = Counter(r["country"] for r in rows)
    assert countries.most_common(1)[0][0] == "RU"
    assert set(countries) == set(DEFAULT_VOCABULARY.regions)
    assert len({r["name"] for r in rows}) > 2500
    assert any(r["tax_id"] for r in rows) and any(not r["tax_id"] for r in rows)
    assert any("ТР ТС" in r["certifications"] for r in rows)
    assert all(r["tax_id"].startswith("00") for r in rows if r["country"] == "RU" and r["tax_id"])
    assert all(r["website"].endswith(".example") for r in rows if r["website"])


def test_generate_rejects_bad_arguments():
    import pytest

    with pytest.raises(ValueError):
        list(generate(-1, 1))
