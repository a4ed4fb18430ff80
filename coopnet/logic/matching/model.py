"""Plain data the matching engine takes and returns (no Django)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

#: EAEU member states.
MEMBER_STATES: tuple[str, ...] = ("AM", "BY", "KG", "KZ", "RU")


class MatchRequestError(ValueError):
    """A request the engine cannot run; the message says what to fix."""


@dataclass(frozen=True)
class CompetencyLine:
    """One product or capability line of an organisation."""

    text_ru: str = ""
    text_en: str = ""
    hs: tuple[str, ...] = ()
    nace: tuple[str, ...] = ()
    capacity: float | None = None
    capacity_unit: str = ""
    certifications: tuple[str, ...] = ()


@dataclass(frozen=True)
class OrgRow:
    """What the index needs to know about one organisation."""

    id: str
    name: str
    country: str
    ref: str | None = None
    name_en: str = ""
    region: str = ""
    lat: float | None = None
    lon: float | None = None
    lines: tuple[CompetencyLine, ...] = ()
    partners: tuple[str, ...] = ()
    footprint: tuple[str, ...] = ()
    key: int | None = None
    #: public IDs of the organisation's own group: its plants, assembly plants, joint ventures, trade houses
    #: and offices registered as organisations, and the organisation whose such site it is (never proposed
    #: to each other as partners)
    group: tuple[str, ...] = ()


@dataclass(frozen=True)
class MatchRequest:
    """A buyer's request: free text and/or codes, with optional constraints and context."""

    text: str = ""
    hs: tuple[str, ...] = ()
    nace: tuple[str, ...] = ()
    quantity: float | None = None
    unit: str = ""
    certifications: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    exclude_countries: tuple[str, ...] = ()
    buyer_country: str = ""
    buyer_region: str = ""
    buyer_lat: float | None = None
    buyer_lon: float | None = None
    buyer_id: str = ""
    limit: int = 10


@dataclass(frozen=True)
class Reason:
    """Why an organisation ranks where it does: one fact and its share of the score."""

    kind: str
    text: str
    weight: float
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "weight": round(self.weight, 4), **self.data}


@dataclass(frozen=True)
class Match:
    """One ranked organisation."""

    doc: int
    id: str
    ref: str | None
    name: str
    country: str
    region: str
    lat: float | None
    lon: float | None
    score: float
    reasons: tuple[Reason, ...]
    key: int | None = None
    #: a good enough answer to offer as a partner (see rerank.SUITABLE); False: only "the closest"
    suitable: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "id": self.id,
            "name": self.name,
            "country": self.country,
            "region": self.region or None,
            "lat": self.lat,
            "lon": self.lon,
            "score": round(self.score, 4),
            "reasons": [r.to_dict() for r in self.reasons],
            "suitable": self.suitable,
        }


class Searchable(Protocol):
    """What the consumers of an engine call: the live engine and the in-memory one both answer it."""

    def match(self, req: MatchRequest) -> list[Match]: ...

    def fits_for(
        self, org_id: str, requests: Sequence[tuple[Any, MatchRequest]], min_score: float = 0.1
    ) -> list[tuple[Any, Match]]: ...
