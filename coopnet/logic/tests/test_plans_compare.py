"""A plan against the plan it replaced: dropped, kept, reworded, added."""

from __future__ import annotations

from coopnet.logic.plans import compare

PREVIOUS = [
    ("1", "Mutual recognition of technological operations carried out in the Union State territory."),
    ("2", "Harmonization of approaches to currency regulation and currency control."),
    ("3", "Creation of a common gas market."),
]
CURRENT = [
    (
        "4.3",
        "Practical implementation of agreements on the recognition of technological operations "
        "carried out in the Union State territory.",
    ),
    ("4.4", "harmonization of approaches to currency regulation and currency control"),
    ("4.5", "Development of a road map in the sphere of microelectronics."),
]


def test_dropped_kept_reworded_added() -> None:
    c = compare(PREVIOUS, CURRENT)
    assert [(m.previous_id, m.current_id) for m in c.kept] == [("2", "4.4")]
    assert [(m.previous_id, m.current_id) for m in c.reworded] == [("1", "4.3")]
    assert [i.id for i in c.dropped] == ["3"]
    assert [i.id for i in c.added] == ["4.5"]
    d = c.to_dict()
    assert d["summary"] == {"kept": 1, "reworded": 1, "dropped": 1, "added": 1}
    assert d["reworded"][0]["previous_text"] == PREVIOUS[0][1]
    assert d["reworded"][0]["text"] == CURRENT[0][1]


def test_gas_and_electricity_markets_are_different_measures() -> None:
    c = compare(
        [("1", "Создание общего рынка газа Союзного государства.")],
        [("a", "Создание общего рынка электроэнергии Союзного государства.")],
    )
    assert not c.kept and not c.reworded
    assert [i.id for i in c.dropped] == ["1"] and [i.id for i in c.added] == ["a"]


def test_empty_plans() -> None:
    assert compare([], []).to_dict()["summary"] == {"kept": 0, "reworded": 0, "dropped": 0, "added": 0}
    assert [i.id for i in compare([], CURRENT).added] == ["4.3", "4.4", "4.5"]
