"""Precision where users saw the partner search fail (issue 12), on the real demo registry."""
from __future__ import annotations

import math
from typing import Any

import pytest
from django.test import Client

from coopnet.exchange import engine
from coopnet.logic.matching import MatchRequest, run_consortium, run_match
from coopnet.logic.matching.text import request_words
from coopnet.registry.models import Organisation

pytestmark = pytest.mark.django_db


def ref_of(public_id: str) -> str:
    return Organisation.objects.get(public_id=public_id).ref


def test_a_request_nobody_answers_says_nothing_suitable_and_names_the_closest(demo_registry: Any) -> None:
    answer = run_match(engine.get_index(), {"text": "подшипники"})
    assert answer["results"] == [] and answer["nothing_suitable"] is True
    assert 0 < len(answer["closest"]) <= 3 and not any(r["suitable"] for r in answer["closest"])
    page = Client().get("/exchange/", {"text": "подшипники"}).content.decode()
    assert 'data-testid="nothing-suitable"' in page
    good = run_match(engine.get_index(), {"text": "нужны тракторные двигатели"})
    assert not good["nothing_suitable"] and good["results"][0]["ref"] == "BY-MMZ"


def test_bare_numbers_are_not_words_unless_sizes_or_codes(demo_registry: Any) -> None:

    text, hs, nace = request_words("нужны 20 тракторов 320 мм МТЗ-82 8482 29.10")
    assert text.split() == ["нужны", "тракторов", "320", "мм", "мтз-82"] and hs == ["8482"] and nace == ["29.10"]
    index = engine.get_index()
    with_number = index.match(MatchRequest(text="нужны 20 тракторов"))
    without = index.match(MatchRequest(text="нужны тракторов"))
    assert [m.id for m in with_number] == [m.id for m in without]
    assert [round(m.score, 6) for m in with_number] == [round(m.score, 6) for m in without]
    # a number an organisation declares as a code is one: "8408" finds the engine makers
    assert "BY-MMZ" in [ref_of(m.id) for m in index.match(MatchRequest(text="8408"))[:5]]


def test_an_organisation_is_never_proposed_to_itself_or_its_own_plants_abroad(demo_registry: Any) -> None:
    maz = Organisation.objects.get(ref="BY-MAZ")
    group = {"KZ-TH-MAZ-KZ", "VN-MAZ-ASIA", "KZ-HYUNDAI-TRANS-AUTO", "UZ-MAZ-TASHKENT"}
    index = engine.get_index()
    anyone = {ref_of(m.id) for m in index.match(MatchRequest(text="грузовые автомобили самосвалы", limit=50))}
    assert "BY-MAZ" in anyone and anyone & group  # without a buyer they are found
    mine = {ref_of(m.id) for m in index.match(MatchRequest(text="грузовые автомобили самосвалы", limit=50,
                                                           buyer_id=maz.public_id))}
    assert "BY-MAZ" not in mine and not mine & group
    plant = Organisation.objects.get(ref="KZ-HYUNDAI-TRANS-AUTO")  # and the other way round
    theirs = {ref_of(m.id) for m in index.match(MatchRequest(text="грузовые автомобили самосвалы", limit=50,
                                                             buyer_id=plant.public_id))}
    assert "BY-MAZ" not in theirs and "KZ-HYUNDAI-TRANS-AUTO" not in theirs


def test_consortium_names_weak_lines_as_gaps_offers_distinct_alternatives_and_links_partners(
    demo_registry: Any,
) -> None:
    result = run_consortium(engine.get_index(), {"lines": ["hs:8408", "ювелирные изделия из золота", "nace:29.32",
                                                           "гидроцилиндры"]})
    assert "ювелирные изделия из золота" in result["gaps"]
    assert "ювелирные изделия из золота" not in [line["line"] for c in result["consortia"] for line in c["lines"]]
    alternatives = result["consortia"]
    assert len(alternatives) >= 2
    for i, a in enumerate(alternatives):
        for b in alternatives[:i]:
            differing = sum(x["id"] != y["id"] for x, y in zip(a["lines"], b["lines"], strict=True))
            assert a["countries"] != b["countries"] or differing >= math.ceil(len(a["lines"]) / 2)
    page = Client().post("/exchange/consortium/", {"lines": "hs:8408\nnace:29.32", "min_countries": 2}).content.decode()
    first = alternatives[0]["lines"][0]["id"]
    assert f'href="/registry/o/{first}/"' in page or 'data-testid="consortium-partner"' in page
