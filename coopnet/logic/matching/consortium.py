"""Consortium finder: sets of organisations from at least three member states covering a product's lines.

For each component line (text and/or HS / NACE codes) the engine proposes candidates; a beam search
then assigns one organisation to every line, keeping diverse country mixes alive, and ranks the
complete assignments by the mean fit of their lines, with a small bonus for more member states and for
fewer partners (one organisation may cover several lines). Lines nobody fits — no organisation is a
*suitable* match (see ``rerank.SUITABLE``), only weak look-alikes — are named as gaps, with the closest
organisations for reference. The alternatives offered differ meaningfully: each differs from every better
one in at least half of its lines, or in its member states.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .model import MEMBER_STATES, Match, MatchRequest, MatchRequestError, Searchable

PER_LINE = 8
BEAM = 400
PER_SIGNATURE = 12


@dataclass(frozen=True)
class ComponentLine:
    label: str
    text: str = ""
    hs: tuple[str, ...] = ()
    nace: tuple[str, ...] = ()
    quantity: float | None = None

    def request(
        self, countries: tuple[str, ...], exclude: tuple[str, ...], certifications: tuple[str, ...]
    ) -> MatchRequest:
        return MatchRequest(
            text=self.text or ("" if self.hs or self.nace else self.label),
            hs=self.hs,
            nace=self.nace,
            quantity=self.quantity,
            countries=countries,
            exclude_countries=exclude,
            certifications=certifications,
            limit=PER_LINE,
        )


@dataclass(frozen=True)
class Assignment:
    line: ComponentLine
    match: Match


@dataclass(frozen=True)
class Consortium:
    score: float
    members: tuple[Match, ...]
    assignments: tuple[Assignment, ...]
    countries: tuple[str, ...]
    gaps: tuple[str, ...] = ()
    complete: bool = True
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": round(self.score, 4),
            "countries": list(self.countries),
            "complete": self.complete,
            "gaps": list(self.gaps),
            "notes": list(self.notes),
            "members": [{"ref": m.ref, "id": m.id, "name": m.name, "country": m.country} for m in self.members],
            "lines": [
                {
                    "line": a.line.label,
                    "ref": a.match.ref,
                    "id": a.match.id,
                    "name": a.match.name,
                    "country": a.match.country,
                    "score": round(a.match.score, 4),
                    "reasons": [r.to_dict() for r in a.match.reasons],
                }
                for a in self.assignments
            ],
        }


@dataclass
class ConsortiumResult:
    consortia: list[Consortium] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    candidates: dict[str, list[Match]] = field(default_factory=dict)
    closest: dict[str, list[Match]] = field(default_factory=dict)  # for each gap, the weak matches there were

    def to_dict(self) -> dict[str, Any]:
        return {
            "consortia": [c.to_dict() for c in self.consortia],
            "gaps": self.gaps,
            "closest": {
                k: [{"ref": m.ref, "id": m.id, "name": m.name, "country": m.country, "score": round(m.score, 4)}
                    for m in v]
                for k, v in self.closest.items()
            },
            "candidates": {
                k: [
                    {
                        "ref": m.ref,
                        "id": m.id,
                        "name": m.name,
                        "country": m.country,
                        "score": round(m.score, 4),
                    }
                    for m in v
                ]
                for k, v in self.candidates.items()
            },
        }


def parse_bom_csv(text: str) -> list[ComponentLine]:
    """A bill of materials: header with ``component`` (or ``name``) and any of ``hs``, ``nace``,
    ``description``, ``quantity``. Codes separated by spaces or ';'. Errors name the row."""
    sample = text[:2000]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    if not reader.fieldnames:
        raise MatchRequestError("the BOM file is empty")
    fields = {f.strip().lower(): f for f in reader.fieldnames if f}
    name_field = fields.get("component") or fields.get("name") or fields.get("line")
    if name_field is None:
        raise MatchRequestError("the BOM needs a 'component' column")
    lines: list[ComponentLine] = []
    for number, row in enumerate(reader, start=2):
        label = (row.get(name_field) or "").strip()
        if not label:
            raise MatchRequestError(f"BOM row {number}: the component name is empty")
        qty_raw = (row.get(fields.get("quantity", ""), "") or "").strip()
        try:
            quantity = float(qty_raw.replace(",", ".")) if qty_raw else None
        except ValueError as exc:
            raise MatchRequestError(f"BOM row {number}: quantity {qty_raw!r} is not a number") from exc

        def codes(key: str, r: dict[str, Any] = row) -> tuple[str, ...]:
            raw = r.get(fields.get(key, ""), "") or ""
            return tuple(c for c in raw.replace(";", " ").replace(",", " ").split() if c)

        lines.append(
            ComponentLine(
                label=label,
                text=(row.get(fields.get("description", ""), "") or label).strip(),
                hs=codes("hs"),
                nace=codes("nace"),
                quantity=quantity,
            )
        )
    if not lines:
        raise MatchRequestError("the BOM has no lines")
    return lines


def find_consortia(
    index: Searchable,
    lines: Sequence[ComponentLine],
    *,
    min_countries: int = 3,
    countries: Sequence[str] = MEMBER_STATES,
    exclude: Sequence[str] = (),
    certifications: Sequence[str] = (),
    limit: int = 5,
    min_line_score: float = 0.2,
) -> ConsortiumResult:
    """Rank consortia covering every line with members from at least `min_countries` member states."""
    if not lines:
        raise MatchRequestError("give at least one component line")
    if len(lines) > 40:
        raise MatchRequestError("at most 40 component lines")
    if not 1 <= min_countries <= 5:
        raise MatchRequestError("min_countries must be between 1 and 5")
    result = ConsortiumResult()
    per_line: list[list[Match]] = []
    for line in lines:
        matches = index.match(line.request(tuple(countries), tuple(exclude), tuple(certifications)))
        found = [m for m in matches if m.suitable and m.score >= min_line_score]
        result.candidates[line.label] = found
        per_line.append(found)
        if not found:
            result.gaps.append(line.label)
            result.closest[line.label] = matches[:3]
    covered = [i for i, found in enumerate(per_line) if found]
    # beam: (sum of scores, members set, countries set, chosen per line)
    beam: list[tuple[float, frozenset[str], frozenset[str], tuple[Match, ...]]] = [(0.0, frozenset(), frozenset(), ())]
    for i in covered:
        grown: list[tuple[float, frozenset[str], frozenset[str], tuple[Match, ...]]] = []
        for total, members, ccs, chosen in beam:
            for m in per_line[i]:
                grown.append((total + m.score, members | {m.id}, ccs | {m.country}, (*chosen, m)))
        grown.sort(key=lambda s: -_objective(s[0], len(s[3]), len(s[1]), len(s[2]), min_countries))
        kept: list[tuple[float, frozenset[str], frozenset[str], tuple[Match, ...]]] = []
        per_sig: dict[frozenset[str], int] = {}
        for state in grown:
            sig = state[2]
            if per_sig.get(sig, 0) >= PER_SIGNATURE:
                continue
            per_sig[sig] = per_sig.get(sig, 0) + 1
            kept.append(state)
            if len(kept) >= BEAM:
                break
        beam = kept
    seen: set[tuple[str, ...]] = set()
    full: list[Consortium] = []
    partial: list[Consortium] = []
    for total, members, ccs, chosen in beam:
        if not chosen:
            continue
        key = tuple(m.id for m in chosen)
        if key in seen:
            continue
        seen.add(key)
        member_list: dict[str, Match] = {}
        for m in chosen:
            member_list.setdefault(m.id, m)
        eaeu = sorted(c for c in ccs if c in MEMBER_STATES)
        score = _objective(total, len(chosen), len(members), len(eaeu), min_countries) * len(covered) / len(lines)
        notes: list[str] = []
        complete = not result.gaps and len(eaeu) >= min_countries
        if len(eaeu) < min_countries:
            notes.append(f"only {len(eaeu)} member state(s) ({', '.join(eaeu)}); {min_countries} wanted")
        consortium = Consortium(
            score=score,
            members=tuple(member_list.values()),
            assignments=tuple(Assignment(lines[i], m) for i, m in zip(covered, chosen, strict=True)),
            countries=tuple(eaeu),
            gaps=tuple(result.gaps),
            complete=complete,
            notes=tuple(notes),
        )
        (full if complete else partial).append(consortium)
    full.sort(key=lambda c: -c.score)
    partial.sort(key=lambda c: (-len(c.countries), -c.score))
    result.consortia = distinct(full or partial, limit)
    return result


def distinct(ranked: Sequence[Consortium], limit: int) -> list[Consortium]:
    """The best consortia, each differing from every one kept before it in at least half of its lines
    (another organisation on the line) or in its member states."""
    kept: list[Consortium] = []
    for c in ranked:
        need = max(1, math.ceil(len(c.assignments) / 2))
        mine = [a.match.id for a in c.assignments]
        if all(
            c.countries != k.countries or sum(x != y for x, y in zip(mine, (a.match.id for a in k.assignments),
                                                                      strict=True)) >= need
            for k in kept
        ):
            kept.append(c)
            if len(kept) >= limit:
                break
    return kept


def _objective(total: float, n_lines: int, n_members: int, n_countries: int, min_countries: int) -> float:
    if n_lines == 0:
        return 0.0
    mean = total / n_lines
    country_term = 0.05 * min(n_countries, min_countries) + 0.01 * max(0, n_countries - min_countries)
    reuse = 0.02 * (n_lines - n_members) / n_lines
    return mean + country_term + reuse
