"""Matching reasons on pages are written in the reader's language from the facts the engine gives; in
English they read exactly as the engine's own text (which the API and the command line return)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from coopnet.exchange import engine
from coopnet.exchange.reasons import reason_text
from coopnet.logic.matching import MatchRequest
from coopnet.registry.models import Competency, Organisation

pytestmark = pytest.mark.django_db

REQUESTS = [
    MatchRequest(text="нужны тракторные двигатели", buyer_country="RU", limit=10),
    MatchRequest(text="dump trucks for a copper mine", hs=("870410",), buyer_country="KZ", quantity=50, limit=10),
    MatchRequest(hs=("8701",), nace=("28.30",), certifications=("ISO 9001",), buyer_country="AM", limit=10),
    MatchRequest(text="электроника печатные платы", nace=("26.1",), buyer_country="BY", limit=10),
    MatchRequest(hs=("84",), text="комбайны", buyer_country="KG", quantity=100000, limit=10),
]


def reasons(demo: Any) -> list[Any]:
    # the demo declares no certifications: give one tractor maker a certified line
    tractors = Organisation.objects.filter(competencies__hs_codes__contains="8701").first()
    Competency(organisation=tractors, description="Тракторы колёсные", hs_codes="8701",
               certifications="ISO 9001").save()
    index = engine.get_index()
    out = [r for req in REQUESTS for m in index.match(req) for r in m.reasons]
    kinds = {r.kind for r in out}
    assert kinds >= {"codes", "words", "distance", "cross_border", "certifications", "capacity"}, sorted(kinds)
    return out


def test_in_english_a_page_says_what_the_engine_says(demo_registry):
    every = reasons(demo_registry)
    with translation.override("en"):
        for r in every:
            assert reason_text(r) == r.text, r
            assert reason_text(r.to_dict()) == r.text


def test_in_russian_every_reason_is_translated(demo_registry):
    english = re.compile(r"\b(words matched|through the glossary|same code|their|contains|inside|holds|capacity|"
                         r"km from|cross-border|already|chapter|heading|division|group)\b")
    with translation.override("ru"):
        for r in reasons(demo_registry):
            text = reason_text(r)
            assert text and not english.search(text), (r.text, text)


def test_a_reason_without_its_facts_is_shown_as_written():
    assert reason_text({"kind": "codes", "text": "HS 8701: same code"}) == "HS 8701: same code"
    assert reason_text({"kind": "something new", "text": "as is"}) == "as is"


def test_search_page_in_russian_shows_russian_reasons(demo_registry):
    page = Client(HTTP_ACCEPT_LANGUAGE="ru").get("/exchange/", {"text": "тракторные двигатели", "hs": "8408"})
    body = page.content.decode()
    assert page.status_code == 200
    assert '<li class="reason-words">совпали слова' in body and '<li class="reason-words">words' not in body
