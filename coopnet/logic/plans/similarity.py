"""Carried-over detection: do two measure texts say the same thing?

Texts are compared by meaning of words, not bytes:

1. words are split (hyphenated words too) and lower-cased, ``ё`` is read as ``е``;
2. Russian words are lemmatised with pymorphy3, English words stemmed with the Snowball
   English stemmer (both cached);
3. stop-words and *generic plan vocabulary* ("implementation", "carried out", "Union State",
   "territory", "ensure" …) are dropped, and *light* plan vocabulary ("mutual", "agreement",
   "development", "cooperation", "harmonisation" …) keeps only a fraction of its weight;
4. a small bilingual synonym table maps Russian lemmas and English stems of plan vocabulary
   to one concept, so "признание технологических операций" and "recognition of technological
   operations" share three concepts;
5. the texts become TF-IDF weighted bags of concepts (IDF over the texts being compared, so a
   word present in every measure of both plans counts little), and the score is their cosine.

A pair is *the same measure* when the score reaches :data:`DEFAULT_THRESHOLD`, tuned on the
labelled pairs in ``bench/data/plans_pairs.json`` (see ``bench/bench_plans_similarity.py``).
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pymorphy3
import snowballstemmer

#: Score from which two texts are taken to be the same measure (tuned on the labelled set).
DEFAULT_THRESHOLD = 0.5
#: Weight kept by light plan vocabulary (words present in almost every measure).
LIGHT_WEIGHT = 0.3

_TOKEN_RE = re.compile(r"[0-9a-zа-я]+")
_CYRILLIC_RE = re.compile(r"[а-я]")

_STOP_RU = """
а без более бы был была были было быть в вам вас весь во вот все всего всех вы где да даже для до его
ее если есть еще же за здесь и из или им их к как какой когда который кто ли либо между меня мы на над
надо наш не него нее нет ни них но ну о об обо он она они оно от очень по под после при про с со так
также такой там те тем то того тоже той только том ты у уже чем что чтобы эта эти это этот я числе
иной другой каждый свой этот ряд путем путь посредством отношение согласно соответствующий
""".split()
_STOP_EN = """
a an the and or of in on at to for from by with without as is are be been being was were it its this
that these those which who whom whose their there than then into onto over under about between
within such other each all any both also including include includes etc e g i ie per via upon
among own well so not no nor can may shall will should must would could has have had do does
""".split()
#: Generic plan vocabulary: says nothing about *what* is to be done.
_GENERIC = """
союзный государство территория осуществлять осуществляться осуществление обеспечение обеспечивать
обеспечить вопрос мера мероприятие реализация реализовать реализовывать практический выполнение
выполнять исполнение исполнять рамка сфера область часть цель основа счет год период план
проведение проводить работа вести ведение внедрение принятие принять необходимость необходимый
российский федерация республика беларусь россия белорусский рф рб сторона страна пункт
union state territory carry carried out ensure ensuring measure measures issue issues implement
implementation implementing practical practice execution execute sphere field area areas framework
part purpose purposes basis year years period plan plans conduct conducting work working
introduction adoption need necessary russian russia federation republic belarus belarusian party
parties side sides country countries point
""".split()
#: Light plan vocabulary: words of the genre, kept at :data:`LIGHT_WEIGHT`.
_LIGHT = """
взаимный договоренность соглашение развитие разработка сотрудничество гармонизация согласование
координация единый общий создание формирование условие проект программа механизм совершенствование
предложение мониторинг анализ подготовка содействие стимулирование поддержка участие предприятие
организация деятельность повышение расширение новый совместный выработка подход орган
mutual agreement agreements development develop developing cooperation harmonization harmonisation
coordination coordinated common unified creation create creating formation forming condition conditions
project projects programme program programs mechanism mechanisms improvement improving proposal
proposals monitoring analysis analyzing analysing preparation preparing promotion promoting facilitation
facilitating stimulating stimulation support supporting participation enterprise enterprises
organization organisation activity activities increase increasing expansion expanding new joint
approach approaches body bodies
""".split()

#: Bilingual synonym table of plan vocabulary: concept -> Russian and English surface words.
SYNONYMS: dict[str, str] = {
    "RECOGNITION": ("признание признавать recognition recognize recognise recognizing recognising recognized"),
    "TECHNOLOGICAL": "технологический технология technological technology technologies",
    "OPERATION": "операция эксплуатация operation operations",
    "MUTUAL": "взаимный взаимно обоюдный mutual mutually reciprocal",
    "AGREEMENT": "договоренность соглашение договор agreement arrangement treaty",
    "IMPLEMENTATION": (
        "реализация выполнение исполнение осуществление внедрение implementation execution fulfilment fulfillment"
    ),
    "DEVELOPMENT": "развитие разработка development develop elaboration",
    "COOPERATION": ("сотрудничество кооперация взаимодействие cooperation co-operation collaboration interaction"),
    "HARMONISATION": (
        "гармонизация унификация сближение harmonization harmonisation unification convergence approximation"
    ),
    "COORDINATION": "согласование координация согласованный coordination coordinated concerted",
    "COMMON": "единый общий объединенный common single unified joint",
    "CREATION": ("создание формирование образование creation formation establishment establishing forming creating"),
    "PROCUREMENT": "закупка госзакупка procurement purchase purchases purchasing",
    "PUBLIC": "государственный public governmental",
    "ACCESS": "доступ допуск access admission admittance",
    "RESTRICTION": ("ограничение барьер препятствие изъятие restriction barrier obstacle limitation exemption"),
    "ELIMINATION": "устранение снятие отмена elimination eliminating removal removing abolition",
    "LEGISLATION": (
        "законодательство норматив нормативный правовой акт legislation law laws legal normative regulatory act acts"
    ),
    "MICROELECTRONICS": "микроэлектроника микроэлектронный microelectronics microelectronic",
    "MACHINE_TOOL": ("станкостроение станкоинструментальный станок станочный machine-tool machine- tools"),
    "ROADMAP": "дорожный roadmap road-map",
    "MAP": "карта map maps",
    "MARKING": "маркировка маркирование marking labelling labeling",
    "IDENTIFICATION": "идентификация идентификационный identification identifying",
    "GOODS": "товар продукция изделие goods product products commodity commodities",
    "SUBSIDY": "субсидирование субсидия subsidy subsidies subsidizing subsidising",
    "LEASING": "лизинг leasing lease",
    "EXCHANGE": "биржевой биржа exchange stock",
    "TRADING": "торги торговля торговый trading trade auction",
    "MARKET": "рынок рыночный market markets",
    "CONSUMER": "потребитель потребительский consumer consumers",
    "PROTECTION": "защита protection protect",
    "RULES": "правило rule rules",
    "CORPORATION": "корпорация госкорпорация corporation corporations",
    "IMPORT_SUBSTITUTION": ("импортозамещение импортозамещающий import-substitution import-substituting"),
    "INVESTMENT": "инвестиционный инвестиция investment investments investing",
    "STANDARD": "стандарт стандартизация standard standards standardization",
    "TAX": "налог налоговый налогообложение tax taxes taxation",
    "CUSTOMS": "таможенный таможня customs",
    "FINANCIAL": "финансовый financial finance",
    "BANKING": "банковский банк banking bank banks",
    "PAYMENT": "платежный платеж расчет payment payments settlement settlements",
    "SIGNATURE": "подпись signature",
    "ELECTRONIC": "электронный electronic digital цифровой",
    "COMPETITION": "конкуренция конкурентный competition antimonopoly антимонопольный",
    "ENERGY": "энергетический энергия энергетика energy power",
    "ELECTRICITY": "электроэнергия электроэнергетический electricity electric",
    "GAS": "газ газовый gas",
    "OIL": "нефть нефтепродукт нефтяной oil petroleum",
    "NUCLEAR": "атомный ядерный nuclear atomic",
    "SCIENTIFIC": "научный научно scientific science research исследование исследовательский",
    "TECHNICAL": "технический technical",
    "STRATEGY": "стратегия стратегический strategy strategic",
    "FORECAST": "прогноз прогнозирование forecast forecasts forecasting",
    "SME": "малый средний предпринимательство small medium-sized medium entrepreneurship sme smes",
    "PLATFORM": "платформа platform platforms",
    "SERVICE": "сервис услуга service services",
    "TRANSPORT": "транспорт транспортный transport transportation logistics логистика",
    "DELIVERY": "доставка поставка delivery deliveries supply supplies",
    "CORRIDOR": "коридор corridor",
    "GREEN": "зеленый green",
    "TRACEABILITY": "прослеживаемость traceability tracing",
    "AGRICULTURAL": "сельскохозяйственный агропромышленный agricultural agriculture farm",
    "AUTOMOTIVE": ("автомобильный автомобилестроение automotive automobile vehicle vehicles car cars"),
    "ENGINEERING": ("машиностроение машиностроительный engineering machine-building building construction строение"),
    "ELEVATOR": "лифтостроение лифт лифтовой elevator elevators lift lifts",
    "AIRCRAFT": "авиастроение авиационный aircraft aviation",
    "COMPONENT": "автокомпонент комплектующие компонент component components",
    "INDUSTRY": ("промышленность промышленный отрасль отраслевой industry industrial sector sectoral"),
    "POLICY": "политика policy",
    "MONEY": "денежно-кредитный монетарный monetary",
    "CURRENCY": "валютный валюта currency exchange-rate",
    "CREDIT": "кредитный кредит кредитование credit lending loan loans",
    "INFORMATION": "информация информационный information informational",
    "SECURITY": "безопасность безопасный security safety safe",
    "STATISTICS": "статистика статистический statistics statistical",
    "EDUCATION": "образовательный обучение education educational training",
    "EXPORT": "экспорт экспортный export exports",
    "PRICE": "цена ценовой ценообразование price prices pricing",
    "DETECTION": "выявление обнаружение detection revealing",
    "PROBLEM": "проблемный проблема problem problems problematic",
    "MOVEMENT": "движение перемещение обращение movement circulation",
    "EAEU": "еаэс евразийский eaeu eurasian eaec",
    "ADMINISTRATION": "администрирование administration administering",
    "LIST": "перечень список реестр list register registry",
    "INTEREST": "интерес interest",
    "NONDISCRIMINATORY": "недискриминационный non-discriminatory nondiscriminatory",
    "PREFERENTIAL": "льготный преференциальный preferential concessional",
    "APPLICATION": "применение application applying enforcement",
    "MEANS": "средство means tool tools instrument instruments",
    "FUNCTIONING": "функционирование функционировать functioning operating operation-of",
    "ACCELERATION": "ускорение ускорять acceleration accelerate speeding",
    "THIRD": "третий third",
    "IMPORTANCE": "значение значимость importance significance",
    "FACILITY": "объект facility facilities installation installations",
    "USE": "использование use usage utilisation utilization",
    "PRODUCTION": (
        "производство производственный производить production manufacturing manufactured produced manufacture"
    ),
    "ASSEMBLY": "сборка сборочный assembly assembling",
    "TRACTOR": "трактор tractor tractors",
    "TRUCK": "грузовик грузовой truck trucks lorry",
    "DESIGN": "проектирование design",
    "VIOLATION": "нарушение violation violations infringement",
    "INFLATION": "инфляция инфляционный inflation",
}

#: Concepts naming the object of a measure (an industry, a product, a market): weighted x2,
#: because two measures on different objects are different measures however alike their wording.
TOPICS: frozenset[str] = frozenset(
    """
    AGRICULTURAL AIRCRAFT AUTOMOTIVE COMPETITION COMPONENT CONSUMER CORRIDOR CURRENCY CUSTOMS
    ELECTRICITY ELEVATOR EXCHANGE FINANCIAL FORECAST GAS INFLATION LEASING MACHINE_TOOL
    MARKING MICROELECTRONICS MONEY NUCLEAR OIL PROCUREMENT ROADMAP SIGNATURE SME STRATEGY
    SUBSIDY TAX TRACEABILITY TRACTOR TRUCK
    """.split()
)
TOPIC_WEIGHT = 2.0

#: Multi-word expressions that stand for one concept (normalised like the texts).
PHRASES: dict[tuple[str, ...], str] = {
    ("machine", "tool"): "MACHINE_TOOL",
    ("machine", "tools"): "MACHINE_TOOL",
    ("road", "map"): "ROADMAP",
    ("road", "maps"): "ROADMAP",
    ("дорожный", "карта"): "ROADMAP",
    ("import", "substitution"): "IMPORT_SUBSTITUTION",
    ("import", "substituting"): "IMPORT_SUBSTITUTION",
    ("машинный", "строение"): "ENGINEERING",
    ("малый", "средний", "предпринимательство"): "SME",
    ("small", "medium"): "SME",
}


@lru_cache(maxsize=1)
def _morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=200_000)
def normalise_word(word: str) -> str:
    """Lemma of a Russian word, Snowball stem of an English one (lower case, ``ё`` as ``е``)."""
    w = word.lower().replace("ё", "е")
    if _CYRILLIC_RE.search(w):
        return str(_morph().parse(w)[0].normal_form).replace("ё", "е")
    if w.isdigit():
        return w
    return str(_stemmer().stemWord(w))


def _words(text: str) -> list[str]:
    return _TOKEN_RE.findall(text.lower().replace("ё", "е"))


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], frozenset[str], frozenset[str], frozenset[str], dict[tuple[str, ...], str]]:
    concept_of: dict[str, str] = {}
    for concept, words in SYNONYMS.items():
        for w in words.split():
            for part in [w, *w.split("-")] if "-" in w else [w]:
                concept_of.setdefault(normalise_word(part) if "-" not in part else part, concept)
    stop = frozenset(normalise_word(w) for w in _STOP_RU + _STOP_EN) | frozenset(_STOP_RU + _STOP_EN)
    generic_words = {normalise_word(w) for w in _GENERIC}
    generic = frozenset(generic_words | {concept_of[w] for w in generic_words if w in concept_of})
    light_words = {normalise_word(w) for w in _LIGHT}
    light = frozenset(concept_of.get(w, w) for w in light_words)
    phrases = {tuple(normalise_word(p) for p in key): c for key, c in PHRASES.items()}
    return concept_of, stop, generic, light, phrases


def concepts(text: str) -> list[str]:
    """The text as a sequence of concepts: synonyms merged, stop and generic words dropped."""
    concept_of, stop, generic, _light, phrases = _tables()
    raw = text.lower().replace("ё", "е")
    # Hyphenated compounds are looked up whole first, then split.
    words: list[str] = []
    for chunk in re.findall(r"[0-9a-zа-я]+(?:-[0-9a-zа-я]+)*", raw):
        if "-" in chunk and chunk in concept_of:
            words.append(chunk)
        else:
            words.extend(chunk.split("-"))
    norm = [w if w in concept_of else normalise_word(w) for w in words]
    out: list[str] = []
    i = 0
    while i < len(norm):
        for n in (3, 2):
            key = tuple(norm[i : i + n])
            if len(key) == n and key in phrases:
                out.append(phrases[key])
                i += n
                break
        else:
            w = norm[i]
            i += 1
            if w in stop or len(w) < 2:
                continue
            c = concept_of.get(w, w)
            if c in generic or w in generic:
                continue
            out.append(c)
    return out


def _weights(bag: Counter[str], idf: dict[str, float], default_idf: float) -> dict[str, float]:
    light = _tables()[3]
    out: dict[str, float] = {}
    for term, tf in bag.items():
        w = (1.0 + math.log(tf)) * idf.get(term, default_idf)
        if term in light:
            w *= LIGHT_WEIGHT
        elif term in TOPICS:
            w *= TOPIC_WEIGHT
        out[term] = w
    return out


class Similarity:
    """Cosine of TF-IDF weighted concept bags; IDF estimated on ``corpus`` (any texts)."""

    def __init__(self, corpus: Iterable[str] = (), threshold: float = DEFAULT_THRESHOLD) -> None:
        self.threshold = threshold
        docs = [set(concepts(t)) for t in corpus]
        self.n_docs = len(docs)
        df: Counter[str] = Counter()
        for d in docs:
            df.update(d)
        self.idf = {t: math.log((self.n_docs + 1) / (c + 1)) + 1.0 for t, c in df.items()}
        self.default_idf = math.log(self.n_docs + 1) + 1.0

    def vector(self, text: str) -> dict[str, float]:
        return _weights(Counter(concepts(text)), self.idf, self.default_idf)

    def score(self, a: str, b: str) -> float:
        va, vb = self.vector(a), self.vector(b)
        dot = sum(w * vb[t] for t, w in va.items() if t in vb)
        if dot == 0.0:
            return 0.0
        na = math.sqrt(sum(w * w for w in va.values()))
        nb = math.sqrt(sum(w * w for w in vb.values()))
        return dot / (na * nb)

    def shared(self, a: str, b: str) -> list[str]:
        """Concepts both texts contain, heaviest first (the reason for a match)."""
        va, vb = self.vector(a), self.vector(b)
        common = [t for t in va if t in vb]
        return sorted(common, key=lambda t: -(va[t] * vb[t]))

    def same(self, a: str, b: str) -> bool:
        return self.score(a, b) >= self.threshold


def char_ratio(a: str, b: str) -> float:
    """Baseline: difflib's character ratio of the lower-cased texts (bytes, not meaning)."""
    return difflib.SequenceMatcher(None, a.lower(), b.lower(), autojunk=False).ratio()


@dataclass(frozen=True)
class Match:
    current_id: str
    previous_id: str
    score: float
    current_text: str
    previous_text: str
    shared: tuple[str, ...]
    identical: bool


def normalised_text(text: str) -> str:
    return " ".join(_words(text))


def match_measures(
    current: Sequence[tuple[str, str]],
    previous: Sequence[tuple[str, str]],
    threshold: float = DEFAULT_THRESHOLD,
) -> list[Match]:
    """One-to-one matches between ``(id, text)`` lists, best scores first, at or above threshold.

    Each text is turned into its weighted vector once; an inverted index over the previous plan's
    concepts means only pairs sharing a concept are scored (plans of thousands of measures stay fast).
    """
    engine = Similarity([t for _, t in current] + [t for _, t in previous], threshold)
    prev_vectors = [engine.vector(t) for _, t in previous]
    prev_norms = [math.sqrt(sum(w * w for w in v.values())) for v in prev_vectors]
    prev_plain: dict[str, list[int]] = {}
    index: dict[str, list[tuple[int, float]]] = {}
    for j, ((_, pt), vec) in enumerate(zip(previous, prev_vectors, strict=True)):
        prev_plain.setdefault(normalised_text(pt), []).append(j)
        for term, w in vec.items():
            index.setdefault(term, []).append((j, w))
    scored: list[tuple[float, int, int]] = []
    for i, (_, ct) in enumerate(current):
        identical = set(prev_plain.get(normalised_text(ct), []))
        for j in identical:
            scored.append((1.0, i, j))
        vec = engine.vector(ct)
        norm = math.sqrt(sum(w * w for w in vec.values()))
        if norm == 0.0:
            continue
        dots: dict[int, float] = {}
        for term, w in vec.items():
            for j, pw in index.get(term, ()):
                dots[j] = dots.get(j, 0.0) + w * pw
        for j, dot in dots.items():
            if j in identical or prev_norms[j] == 0.0:
                continue
            score = dot / (norm * prev_norms[j])
            if score >= threshold:
                scored.append((score, i, j))
    scored.sort(key=lambda x: (-x[0], x[1], x[2]))
    used_c: set[int] = set()
    used_p: set[int] = set()
    found: list[tuple[int, Match]] = []
    for score, i, j in scored:
        if i in used_c or j in used_p:
            continue
        used_c.add(i)
        used_p.add(j)
        (cid, ct), (pid, pt) = current[i], previous[j]
        found.append(
            (
                i,
                Match(
                    current_id=cid,
                    previous_id=pid,
                    score=round(min(score, 1.0), 4),
                    current_text=ct,
                    previous_text=pt,
                    shared=tuple(engine.shared(ct, pt)),
                    identical=normalised_text(ct) == normalised_text(pt),
                ),
            )
        )
    return [m for _, m in sorted(found, key=lambda x: x[0])]
