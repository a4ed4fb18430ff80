"""A request, planned once against the index's statistics: the words with their weights, the codes with the
weight each related code earns, the certifications asked for.

The plan is what both halves of the live engine read: the retrieval (`store`) turns it into one query for
candidates, the re-ranker (`rerank`) scores the candidates exactly with it. Words are roots
(`text.roots`); glossary terms found in the request add their translation as words (weight 0.6) and their
codes (0.9 of a code asked for); bare numbers that are neither sizes nor codes are dropped
(`text.request_words`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from .glossary import Glossary
from .index import (
    EXPANSION_WEIGHT,
    GLOSSARY_CODE_FACTOR,
    _ancestors,
    _sibling_weight,
    normalise_cert,
    normalise_codes,
)
from .model import MatchRequest, MatchRequestError
from .text import request_words, roots, words


@dataclass(frozen=True)
class PlannedTerm:
    root: str
    weight: float  # 1.0 for the request's own words, EXPANSION_WEIGHT for a glossary translation
    surface: str  # the word as the request (or the glossary) wrote it
    idf: float


@dataclass(frozen=True)
class Plan:
    terms: tuple[PlannedTerm, ...]
    denominator: float
    code_weights: dict[str, float]  # index key ("h=8408", "h:84") -> weight of a document holding it
    req_codes: tuple[tuple[str, str, bool], ...]  # scheme, code, implied by the glossary
    glossary_labels: tuple[str, ...]
    certs: tuple[tuple[str, str], ...]  # (as asked, normalised key)
    unknown_words: tuple[str, ...]

    @property
    def has_codes(self) -> bool:
        return bool(self.req_codes)


def idf(n: int, df: int) -> float:
    return math.log(1.0 + (n - df + 0.5) / (df + 0.5))


def cert_matches(asked: str, held: str) -> bool:
    """A held certification satisfies an asked one: the same standard, or a more specific edition of it."""
    return held.startswith(asked) or (asked.startswith(held) and len(held) >= 6)


def code_keys(scheme: str, code: str) -> tuple[str, tuple[str, ...]]:
    """The keys an organisation's code is indexed under: its exact key and the prefix keys of it and of
    its ancestors (so that a request for a heading finds the subheadings inside it)."""
    tag = "h" if scheme == "hs" else "n"
    return f"{tag}={code}", (f"{tag}:{code}", *(f"{tag}:{a}" for a in _ancestors(scheme, code)))


def make_plan(
    req: MatchRequest, glossary: Glossary, df: Callable[[str, str], int], n: int
) -> Plan:
    """Plan `req`; `df(field, value)` is the number of documents holding a word ("words") or a code key
    ("codes"), `n` the number of documents."""
    for cc in (*req.countries, *req.exclude_countries, *((req.buyer_country,) if req.buyer_country else ())):
        if len(cc) != 2 or not cc.isalpha() or not cc.isupper():
            raise MatchRequestError(f"country code {cc!r} must be two capital letters, e.g. BY")
    hs = normalise_codes("hs", req.hs)
    nace = normalise_codes("nace", req.nace)
    text, hs_numbers, nace_numbers = request_words(req.text)
    for number in hs_numbers:  # a number some organisation declares as (the start of) an HS code is a code
        if number not in hs and df("codes", f"h:{number}") > 0:
            hs.append(number)
    for number in nace_numbers:
        try:
            code = normalise_codes("nace", [number])[0]
        except MatchRequestError:
            continue
        if code not in nace and df("codes", f"n:{code}") > 0:
            nace.append(code)
    text_roots = roots(text)
    surface: dict[str, str] = {}
    for word in words(text):
        word_roots = roots(word)
        if word_roots:
            surface.setdefault(word_roots[0], word)
    if not text_roots and not hs and not nace and not req.certifications:
        raise MatchRequestError("the request needs some text, an HS or NACE code, or a certification")
    terms: dict[str, PlannedTerm] = {}
    denominator = 0.0
    unknown: list[str] = []
    for r in dict.fromkeys(text_roots):
        count = df("words", r)
        if count <= 0:
            unknown.append(surface.get(r, r))
            # a word nobody uses still counts as asked for, as much as the rarest word: an organisation that
            # has only the other words of "медная проволока" has not half of the request but less
            denominator += idf(n, 0)
            continue
        term = PlannedTerm(r, 1.0, surface.get(r, r), idf(n, count))
        terms[r] = term
        denominator += term.idf
    hits = glossary.find(text_roots) if text_roots else []
    glossary_codes: list[tuple[str, str]] = []
    labels: list[str] = []
    for hit in hits:
        labels.append(hit.term.label)
        for variant in (*hit.term.ru[:1], *hit.term.en[:1]):  # the canonical name in each language
            for variant_word in words(variant):
                for r in roots(variant_word):
                    if r in terms:
                        continue
                    count = df("words", r)
                    if count > 0:
                        terms[r] = PlannedTerm(r, EXPANSION_WEIGHT, variant_word, idf(n, count))
        glossary_codes.extend(("hs", c) for c in hit.term.hs)
        glossary_codes.extend(("nace", c) for c in hit.term.nace)
    req_codes: list[tuple[str, str, bool]] = [("hs", c, False) for c in hs] + [("nace", c, False) for c in nace]
    explicit = {(s, c) for s, c, _ in req_codes}
    for scheme, code in glossary_codes:
        if (scheme, code) not in explicit and (scheme, code, True) not in req_codes:
            req_codes.append((scheme, code, True))
    weights: dict[str, float] = {}

    def want(key: str, weight: float) -> None:
        if weights.get(key, 0.0) < weight:
            weights[key] = weight

    for scheme, code, implied in req_codes:
        f = GLOSSARY_CODE_FACTOR if implied else 1.0
        tag = "h" if scheme == "hs" else "n"
        ancestors = _ancestors(scheme, code)
        want(f"{tag}={code}", 1.0 * f)  # the same code
        want(f"{tag}:{code}", 0.85 * f)  # a more specific code inside it
        for anc, w in zip(ancestors, (0.7, 0.45), strict=False):  # their code is the parent / grandparent
            want(f"{tag}={anc}", w * f)
        if ancestors:  # a sibling under the same parent
            want(f"{tag}:{ancestors[0]}", _sibling_weight(scheme, ancestors[0]) * f)
        if len(ancestors) > 1 and (len(ancestors[1]) >= 4 if scheme == "hs" else "." in ancestors[1]):
            want(f"{tag}:{ancestors[1]}", 0.15 * f)  # a cousin under the grandparent
    certs = tuple((c, key) for c in req.certifications if (key := normalise_cert(c)))
    return Plan(
        terms=tuple(terms.values()),
        denominator=max(denominator, 1e-9),
        code_weights=weights,
        req_codes=tuple(req_codes),
        glossary_labels=tuple(labels),
        certs=certs,
        unknown_words=tuple(unknown),
    )
