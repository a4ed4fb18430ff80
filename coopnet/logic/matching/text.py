"""Text normalisation for matching: tokens -> roots (Russian and English).

Russian words are first put in their dictionary form (pymorphy3), then stemmed (Snowball).
A *root* is what both an index line and a request are reduced to, so that word forms and
derived adjectives meet: «тракторные» / «тракторов» / «трактор» -> ``трактор``,
«engines» / «engine» -> ``engin``. A small derivation step strips the adjective-forming
suffixes of Russian (-н-, -ск-, -ическ-, -ов-/-ев-) so that an adjective meets the noun it was
made from (тракторный -> трактор, металлический -> металл).
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import pymorphy3
import snowballstemmer

_TOKEN_RE = re.compile(r"[0-9a-zа-яё]+(?:-[0-9a-zа-яё]+)*", re.IGNORECASE)
_CYRILLIC_RE = re.compile(r"[а-яё]")
_NOMINAL = frozenset({"NOUN", "ADJF", "ADJS", "PRTF", "PRTS"})
_STEMMERS = threading.local()  # a Snowball stemmer keeps its word in itself: one per thread


def _stemmer(language: str) -> snowballstemmer.BaseStemmer:
    stemmer = getattr(_STEMMERS, language, None)
    if stemmer is None:
        stemmer = snowballstemmer.stemmer(language)
        setattr(_STEMMERS, language, stemmer)
    return stemmer

#: English plurals the stemmer leaves apart from their singular ("buses" -> "buse" but "bus" -> "bus").
_EN_PLURALS = {
    "buses": "bus",
    "busses": "bus",
    "trolleybuses": "trolleybus",
    "minibuses": "minibus",
    "gases": "gas",
    "lenses": "lens",
    "chassis": "chassis",
    "axes": "axle",
    "dies": "die",
}

#: Adjective-forming suffixes stripped after stemming, longest first, while 4+ letters remain.
_RU_DERIVATION = ("ическ", "ическ", "енн", "онн", "ск", "н", "ов", "ев")
_RU_MIN_ROOT = 4

#: Words that say nothing about what is made (both languages, already lower-case).
STOPWORDS: frozenset[str] = frozenset(
    """
    и в во на с со по для из от до к ко о об у за при без над под про через или а но не ни же ли
    бы то это как что все всё его её их мы вы мне нам нас наш наша наше наши ваш ваша ваше
    нужен нужна нужно нужны требуется требуются ищем ищу ищет ищут найти поставщик поставщика
    поставщики поставщиков производитель производителя производители производителей изготовитель
    купим куплю закупка закупим закупаем предложение предлагаем партнёр партнер партнёра партнера
    партнёры партнеры т.ч тч числе том также др пр г ооо оао зао пао ао тоо оао
    the a an of for and or to in on with from by at as is are be we our need needs needed looking
    seek seeking search searching find supplier suppliers manufacturer manufacturers producer producers
    maker makers want wanted require required requires buy purchase purchasing partner partners incl
    including etc ltd llc jsc ojsc cjsc co inc also other offer offers
    """.split()
)


def is_cyrillic(word: str) -> bool:
    return bool(_CYRILLIC_RE.search(word))


def words(text: str) -> list[str]:
    """Lower-case word tokens ('ё' folded to 'е'); hyphenated compounds kept whole and split."""
    out: list[str] = []
    for match in _TOKEN_RE.finditer((text or "").lower().replace("ё", "е")):
        token = match.group(0)
        if "-" in token:
            parts = [part for part in token.split("-") if part]
            out.extend(parts)
            if not any(part.isdigit() for part in parts):
                out.append("".join(parts))
        else:
            out.append(token)
    return out


@lru_cache(maxsize=1)
def _morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer()


def lemma(word: str) -> str:
    """Dictionary form of a Russian word, preferring nouns and adjectives (стали -> сталь, not стать)."""
    morph = _morph()
    if not morph.word_is_known(word):  # guessing unknown words is slow and unreliable: stem as is
        return word
    parses = morph.parse(word)
    if not parses:
        return word
    for parse in parses[:4]:
        if parse.tag.POS in _NOMINAL:
            return str(parse.normal_form)
    return str(parses[0].normal_form)


@lru_cache(maxsize=200_000)
def root(word: str) -> str:
    """The matching root of one lower-case word (see module docstring)."""
    if word.isdigit():
        return word
    if is_cyrillic(word):
        stem = _stemmer("russian").stemWord(lemma(word))
        changed = True
        while changed:
            changed = False
            for suffix in _RU_DERIVATION:
                if stem.endswith(suffix) and len(stem) - len(suffix) >= _RU_MIN_ROOT:
                    stem = stem[: -len(suffix)]
                    changed = True
                    break
        if len(stem) > _RU_MIN_ROOT and stem[-1] in "ьй":
            stem = stem[:-1]
        if len(stem) > 5 and stem[-2:] in ("ок", "ец", "ек"):  # fleeting vowel: станок / станки
            stem = stem[:-2] + stem[-1]
        return str(stem)
    return str(_stemmer("english").stemWord(_EN_PLURALS.get(word, word)))


def roots(text: str, *, keep_stopwords: bool = False) -> list[str]:
    """Roots of the meaningful words of `text`, in order (duplicates kept)."""
    return [root(w) for w in words(text) if (keep_stopwords or w not in STOPWORDS) and len(w) > 1]


def plain_tokens(text: str) -> list[str]:
    """The bare full-text baseline's tokens: lower-case words, no stemming, no stopwords removed."""
    return [m.group(0) for m in _TOKEN_RE.finditer((text or "").lower().replace("ё", "е"))]


#: Units after which a bare number in a request is a size ("320 мм", "20 т", "55 kW").
SIZE_UNITS: frozenset[str] = frozenset(
    """
    мм см дм м км мкм кг г т тн тонн тонна тонны тонну л мл куб квт мвт вт кв в а ма бар атм мпа кпа па кгс
    лс об мин дюйм дюйма дюймов шт
    mm cm dm m km um kg g t l ml kw mw w kv v a ma bar atm mpa kpa pa hp rpm inch in pcs
    """.split()
)
#: Words before which a bare number is a size ("диаметр 50", "DN 50", "size 12").
SIZE_WORDS: frozenset[str] = frozenset(
    "размер размером размера размеры диаметр диаметром диаметра ду dn ф калибр типоразмер сечение сечением "
    "size sizes diameter gauge caliber calibre section".split()
)
_TOKEN_SPAN_RE = re.compile(r"[0-9a-zа-яё]+(?:[-./][0-9a-zа-яё]+)*", re.IGNORECASE)
_NACE_RE = re.compile(r"^\d{2}\.\d{1,2}(?:\.\d{1,2})?$")
_HS_LENGTHS = (4, 6, 8, 10)


def request_words(text: str) -> tuple[str, list[str], list[str]]:
    """A request's text without the bare numbers that are neither sizes nor codes, and the numbers
    that may be codes: (text to match, HS-like numbers, NACE-like numbers).

    A bare number ("20", "320") says how many, not what: it is dropped unless a unit follows it or a
    size word precedes it ("320 мм", "диаметр 50"), or it belongs to a word ("МТЗ-82", "М20", "6205-2RS").
    Numbers of 4, 6, 8 or 10 digits and "29.10"-like numbers are returned as possible HS / NACE codes
    (the engine keeps those that some organisation declares)."""
    spans = list(_TOKEN_SPAN_RE.finditer((text or "").lower().replace("ё", "е")))
    kept: list[str] = []
    hs: list[str] = []
    nace: list[str] = []
    for i, match in enumerate(spans):
        token = match.group(0)
        if _NACE_RE.match(token):
            nace.append(token)
            continue
        if "." in token or "/" in token:  # "2.5", "018/2011": keep their word parts as words() sees them
            parts = re.split(r"[./]", token)
            if all(p.isdigit() for p in parts):
                following = spans[i + 1].group(0) if i + 1 < len(spans) else ""
                if following in SIZE_UNITS:
                    kept.append(token)
                continue
            kept.append(token)
            continue
        if not token.isdigit():
            kept.append(token)
            continue
        before = spans[i - 1].group(0) if i else ""
        after = spans[i + 1].group(0) if i + 1 < len(spans) else ""
        if after in SIZE_UNITS or before in SIZE_WORDS:
            kept.append(token)
        elif len(token) in _HS_LENGTHS:
            hs.append(token)
    return " ".join(kept), hs, nace
