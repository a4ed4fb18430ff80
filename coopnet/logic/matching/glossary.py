"""The bilingual industrial glossary: Russian and English terms -> HS / NACE codes.

Shipped as data (``data/glossary.csv``: ``ru;en;hs;nace``, variants separated by ``|``, codes by
spaces). A request's words are looked up here so that a Russian and an English request reach the
same suppliers through the codes, and each term brings its translation as extra words.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from coopnet.logic.codes import CodeError, normalise_hs, normalise_nace

from .text import roots

DATA = Path(__file__).with_name("data") / "glossary.csv"


@dataclass(frozen=True)
class Term:
    """One glossary entry: its variants in both languages and its codes."""

    ru: tuple[str, ...]
    en: tuple[str, ...]
    hs: tuple[str, ...]
    nace: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.ru[0]} / {self.en[0]}" if self.ru and self.en else (self.ru or self.en or ("?",))[0]


@dataclass(frozen=True)
class TermHit:
    term: Term
    matched: str
    roots: frozenset[str]


class Glossary:
    """Finds the glossary terms present in a text (most specific terms win)."""

    def __init__(self, terms: Sequence[Term]) -> None:
        self.terms = tuple(terms)
        self._variants: list[tuple[int, str, frozenset[str]]] = []
        self._by_root: dict[str, list[int]] = {}
        for term_no, term in enumerate(self.terms):
            for variant in (*term.ru, *term.en):
                key = frozenset(roots(variant))
                if not key:
                    continue
                variant_no = len(self._variants)
                self._variants.append((term_no, variant, key))
                for r in key:
                    self._by_root.setdefault(r, []).append(variant_no)

    def __len__(self) -> int:
        return len(self.terms)

    def variant_count(self) -> int:
        return len(self._variants)

    def find(self, text_roots: Iterable[str]) -> list[TermHit]:
        """Terms whose every word is among `text_roots`; a term contained in a longer hit is dropped."""
        present = set(text_roots)
        hits: dict[int, TermHit] = {}
        seen: set[int] = set()
        for r in present:
            for variant_no in self._by_root.get(r, ()):
                if variant_no in seen:
                    continue
                seen.add(variant_no)
                term_no, variant, key = self._variants[variant_no]
                if key <= present:
                    old = hits.get(term_no)
                    if old is None or len(key) > len(old.roots):
                        hits[term_no] = TermHit(self.terms[term_no], variant, key)
        kept = [hit for hit in hits.values() if not any(hit.roots < other.roots for other in hits.values())]
        return sorted(kept, key=lambda h: (-len(h.roots), h.matched))

    def codes_for(self, text: str) -> tuple[list[str], list[str]]:
        """HS and NACE codes implied by a text (used for lines that carry no codes)."""
        hs: dict[str, None] = {}
        nace: dict[str, None] = {}
        for hit in self.find(roots(text)):
            hs.update(dict.fromkeys(hit.term.hs))
            nace.update(dict.fromkeys(hit.term.nace))
        return list(hs), list(nace)


def parse_glossary(lines: Iterable[str]) -> list[Term]:
    """Parse the CSV text; a malformed row raises ValueError naming its line."""
    terms: list[Term] = []
    reader = csv.reader(lines, delimiter=";")
    for number, row in enumerate(reader, start=1):
        if not row or row[0].startswith("#") or row[0] == "ru":
            continue
        if len(row) != 4:
            raise ValueError(f"glossary line {number}: expected 4 fields ru;en;hs;nace, got {len(row)}")
        ru, en, hs, nace = (cell.strip() for cell in row)
        try:
            hs_codes = tuple(normalise_hs(c) for c in hs.split())
            nace_codes = tuple(normalise_nace(c) for c in nace.split())
        except CodeError as exc:
            raise ValueError(f"glossary line {number}: {exc}") from exc
        if not hs_codes and not nace_codes:
            raise ValueError(f"glossary line {number}: a term needs at least one code")
        terms.append(
            Term(
                ru=tuple(v.strip() for v in ru.split("|") if v.strip()),
                en=tuple(v.strip() for v in en.split("|") if v.strip()),
                hs=hs_codes,
                nace=nace_codes,
            )
        )
    return terms


@lru_cache(maxsize=1)
def default_glossary() -> Glossary:
    with DATA.open(encoding="utf-8") as handle:
        return Glossary(parse_glossary(handle))
