"""The live engine's pure parts: the tantivy store, the re-ranker, the request's plan."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from coopnet.logic.matching import CompetencyLine, MatchIndex, MatchRequest, OrgRow
from coopnet.logic.matching.live import LiveIndex, build
from coopnet.logic.matching.rerank import profile
from coopnet.logic.matching.store import Store
from coopnet.logic.matching.text import request_words

ROWS = [
    OrgRow(id="BY-1", key=1, name="ОАО «Моторный завод»", country="BY", lat=53.9, lon=27.6,
           lines=(CompetencyLine(text_ru="Дизельные двигатели для тракторов", hs=("840820",), capacity=5000,
                                 capacity_unit="pcs", certifications=("ISO 9001",)),)),
    OrgRow(id="KZ-2", key=2, name="ТОО «Литейщик»", country="KZ", lat=43.2, lon=76.9,
           lines=(CompetencyLine(text_ru="Чугунное литьё, корпуса редукторов", hs=("7325",)),)),
    OrgRow(id="RU-3", key=3, name="ООО «Трактородеталь»", country="RU",
           lines=(CompetencyLine(text_ru="Запасные части к тракторам", hs=("870899",)),),
           group=("KZ-4",)),
    OrgRow(id="KZ-4", key=4, name="ТОО «Сборочный завод»", country="KZ",
           lines=(CompetencyLine(text_ru="Сборка тракторов", hs=("8701",)),), group=("RU-3",)),
    OrgRow(id="AM-5", key=5, name="ЗАО «Кабель»", country="AM",
           lines=(CompetencyLine(text_en="Copper power cables", hs=("8544",)),)),
]
REQUESTS = [
    MatchRequest(text="нужны тракторные двигатели", buyer_country="KZ", quantity=1000),
    MatchRequest(text="чугунное литьё"),
    MatchRequest(hs=("8701",)),
    MatchRequest(text="power cables", countries=("AM", "KZ")),
    MatchRequest(text="запчасти для тракторов", exclude_countries=("RU",)),
]


def test_the_live_engine_ranks_and_explains_as_todays_engine() -> None:
    live, today = build(ROWS), MatchIndex.build(ROWS)
    for req in REQUESTS:
        a, b = live.match(req), today.match(req)
        assert [m.id for m in a] == [m.id for m in b], req
        if live.plan(req).unknown_words:  # on purpose: a word nobody has weighs as the rarest, not as 1
            continue
        assert [(m.id, round(m.score, 5)) for m in a] == [(m.id, round(m.score, 5)) for m in b], req
        assert [r.to_dict() for m in a for r in m.reasons] == [r.to_dict() for m in b for r in m.reasons]


def test_a_changed_organisation_replaces_its_document_and_other_readers_see_the_commit(tmp_path: Path) -> None:
    store = Store(tmp_path / "shared")
    build_stats = build(ROWS, path=str(tmp_path / "shared"))
    reader = Store(tmp_path / "shared")  # another process would open the same files
    writer = build_stats.base.writer() if build_stats.base else store.writer()
    changed = replace(ROWS[1], lines=(CompetencyLine(text_ru="Стальные поковки"),))
    writer.put(profile(changed))
    writer.delete(5)
    writer.commit()
    writer.close()
    reader.reload()
    index = LiveIndex(base=reader)
    assert [m.id for m in index.match(MatchRequest(text="стальные поковки"))] == ["KZ-2"]
    assert index.match(MatchRequest(text="чугунное литьё")) == [] or not any(
        m.id == "KZ-2" and m.suitable for m in index.match(MatchRequest(text="чугунное литьё")))
    assert reader.n == 4 and "AM-5" not in [m.id for m in index.match(MatchRequest(text="copper power cables"))]


def test_shadowed_documents_are_replaced_by_the_recent_profiles() -> None:
    base = build(ROWS).base
    newer = profile(replace(ROWS[4], lines=(CompetencyLine(text_ru="Оптоволоконные кабели"),)))
    index = LiveIndex(base=base, recent=(newer,), shadow=frozenset({5, 2}))  # 2: deleted since
    assert [m.id for m in index.match(MatchRequest(text="оптоволоконные кабели"))] == ["AM-5"]
    assert "KZ-2" not in [m.id for m in index.match(MatchRequest(text="чугунное литьё корпуса редукторов"))]
    assert not [m for m in index.match(MatchRequest(text="copper power cables")) if m.suitable]


def test_the_buyer_and_its_group_are_never_proposed() -> None:
    index = build(ROWS)
    assert {m.id for m in index.match(MatchRequest(text="тракторы запасные части сборка"))} >= {"RU-3", "KZ-4"}
    found = {m.id for m in index.match(MatchRequest(text="тракторы запасные части сборка", buyer_id="RU-3"))}
    assert "RU-3" not in found and "KZ-4" not in found
    assert index.fits_for("KZ-4", [("r", MatchRequest(text="сборка тракторов", buyer_id="RU-3"))]) == []


def test_weak_answers_are_not_suitable() -> None:
    index = build(ROWS)
    weak = index.match(MatchRequest(text="медная проволока"))
    assert weak == [] or not any(m.suitable for m in weak)
    assert index.match(MatchRequest(text="дизельные двигатели"))[0].suitable


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("нужно 20 штук", ("нужно штук", [], [])),
        ("труба диаметр 50", ("труба диаметр 50", [], [])),
        ("болты М20 и 6205-2RS", ("болты м20 и 6205-2rs", [], [])),
        ("код 8408 и 84.08 и 29.10", ("код и и", ["8408"], ["84.08", "29.10"])),
        ("9" * 5000, ("", [], [])),
        ("", ("", [], [])),
        ("<script>alert(1)</script> 320 мм", ("script alert script 320 мм", [], [])),
    ],
)
def test_bare_numbers_in_a_request(text: str, expected: tuple[str, list[str], list[str]]) -> None:
    assert request_words(text) == expected
