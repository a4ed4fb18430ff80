"""The live engine: a shared on-disk index, a small in-memory overlay of the latest changes, one re-ranker.

* ``base`` — the :class:`~.store.Store` every process of a machine opens (memory-mapped, one copy in
  memory); it is kept current by one writer following the registry's change log.
* ``recent`` — this process's profiles of the organisations changed since the base's position (a few: they
  are scored one by one), or, on a cold start of a small registry, ``overlay``: an in-memory store of all
  of them; ``shadow`` names every organisation changed since the base's position, so that the base's older
  copy (or a deleted one) is never returned.

A search plans the request against both stores' statistics, takes the best candidates of each by
tantivy's score and ranks them with :func:`.rerank.rank`: the answer does not depend on which store an
organisation is in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .glossary import Glossary, default_glossary
from .index import CANDIDATES, MAX_LIMIT
from .model import Match, MatchRequest, MatchRequestError
from .plan import Plan, make_plan
from .rerank import Profile, keys_of, max_bonus, rank
from .store import Store

#: How far below the limit-th candidate's retrieval score a candidate may still reach the top after exact scoring.
RETRIEVAL_MARGIN = 0.2


@dataclass
class LiveIndex:
    base: Store | None
    overlay: Store | None = None
    recent: tuple[Profile, ...] = ()
    shadow: frozenset[int] = frozenset()
    avgdl: float = 1.0
    centres: dict[str, tuple[float, float]] = field(default_factory=dict)
    glossary: Glossary = field(default_factory=default_glossary)
    #: the base is behind the change log by more than the overlay holds (a bulk import being applied)
    stale: bool = False

    def _stores(self) -> list[tuple[Store, bool]]:
        """(store, is the base) for each store there is."""
        out: list[tuple[Store, bool]] = []
        if self.base is not None:
            out.append((self.base, True))
        if self.overlay is not None:
            out.append((self.overlay, False))
        return out

    @property
    def n(self) -> int:
        shadowed = len(self.shadow) if self.base is not None else 0
        return sum(s.n for s, _ in self._stores()) - shadowed + len(self.recent)

    def df(self, field_name: str, value: str) -> int:
        count = sum(s.df(field_name, value) for s, _ in self._stores())
        if self.recent:
            if field_name == "words":
                count += sum(1 for p in self.recent if value in p["tf"])
            elif field_name == "codes":
                count += sum(1 for p in self.recent if value in keys_of(p["codes"]))
        return count

    def plan(self, req: MatchRequest) -> Plan:
        return make_plan(req, self.glossary, self.df, max(self.n, 1))

    def profile(self, pid: str) -> Profile | None:
        """The organisation's profile as the engine sees it now (None if it is not indexed)."""
        if not pid:
            return None
        for p in self.recent:
            if p["id"] == pid:
                return p
        if self.overlay is not None:
            found = self.overlay.by_pid(pid)
            if found is not None:
                return found
        if self.base is not None:
            found = self.base.by_pid(pid)
            if found is not None and found["k"] not in self.shadow:
                return found
        return None

    def _point(self, req: MatchRequest) -> tuple[float, float] | None:
        if req.buyer_lat is not None and req.buyer_lon is not None:
            return (req.buyer_lat, req.buyer_lon)
        for key in (req.buyer_region, "#" + req.buyer_country if req.buyer_country else ""):
            if key and key in self.centres:
                return self.centres[key]
        return None

    def _buyer(self, req: MatchRequest) -> tuple[Profile | None, set[str]]:
        """The buyer's profile and the public IDs never proposed to it: itself and its own group."""
        buyer = self.profile(req.buyer_id) if req.buyer_id else None
        excluded = {req.buyer_id} if req.buyer_id else set()
        if buyer is not None:
            excluded.update(buyer["gr"])
        return buyer, excluded

    def match(self, req: MatchRequest) -> list[Match]:
        """Ranked organisations for a request (see `rerank` for the score)."""
        if not 1 <= req.limit <= MAX_LIMIT:
            raise MatchRequestError(f"limit must be between 1 and {MAX_LIMIT}")
        plan = self.plan(req)
        buyer, excluded = self._buyer(req)
        take = max(CANDIDATES, req.limit * 3)
        point = self._point(req)
        hits: list[tuple[float, int, Store, Any, Any]] = []
        for n, (store, is_base) in enumerate(self._stores()):
            searcher, found = store.hits(req, plan, take, exclude_keys=self.shadow if is_base else (),
                                         exclude_pids=excluded)
            hits.extend((score, n, store, searcher, address) for score, address in found)
        hits.sort(key=lambda h: -h[0])
        if len(hits) > req.limit:
            # tantivy's score is the base score but for BM25's length norm and the cap of the words at 1:
            # only candidates within the bonuses and that margin of the limit-th can reach the top
            floor = hits[req.limit - 1][0] - max_bonus(req, point) - RETRIEVAL_MARGIN
            hits = [h for h in hits if h[0] >= floor]
        candidates: dict[int, Profile] = {int(p["k"]): p for p in self._allowed(req, excluded, self.recent)}
        for n, (store, _) in enumerate(self._stores()):
            mine = [h for h in hits if h[1] == n]
            if mine:
                for p in store.profiles([h[4] for h in mine], mine[0][3]):
                    candidates.setdefault(int(p["k"]), p)
        return rank(req, plan, candidates.values(), avgdl=self.avgdl, point=point, buyer=buyer, limit=req.limit)

    def score_profiles(self, req: MatchRequest, profiles: Iterable[Profile], min_score: float = 0.0) -> list[Match]:
        """Score given organisations for one request, best first (filters and the buyer's group applied)."""
        plan = self.plan(req)
        buyer, excluded = self._buyer(req)
        kept = self._allowed(req, excluded, profiles)
        return rank(req, plan, kept, avgdl=self.avgdl, point=self._point(req), buyer=buyer,
                    limit=max(len(kept), 1), min_score=min_score)

    @staticmethod
    def _allowed(req: MatchRequest, excluded: set[str], profiles: Iterable[Profile]) -> list[Profile]:
        """The profiles the request's country filters allow, without the buyer's group."""
        return [
            p
            for p in profiles
            if p["id"] not in excluded
            and (not req.countries or p["cc"] in req.countries)
            and p["cc"] not in req.exclude_countries
        ]

    def fits_for(
        self, org_id: str, requests: Sequence[tuple[Any, MatchRequest]], min_score: float = 0.1
    ) -> list[tuple[Any, Match]]:
        """The reverse search: which requests (key, request) this organisation answers, best first."""
        p = self.profile(org_id)
        if p is None:
            return []
        out: list[tuple[Any, Match]] = []
        for key, req in requests:
            if req.buyer_id == org_id:
                continue
            try:
                found = self.score_profiles(replace(req, limit=1), [p], min_score)
            except MatchRequestError:
                continue
            out.extend((key, m) for m in found)
        out.sort(key=lambda item: -item[1].score)
        return out


@dataclass
class BuildStats:
    """What a build learns besides the documents: their count, their mean length, the places' centres."""

    n: int = 0
    tokens: int = 0
    centres: dict[str, tuple[float, float]] = field(default_factory=dict)

    @property
    def avgdl(self) -> float:
        return self.tokens / self.n if self.n else 1.0


def write_rows(
    store: Store, rows: Iterable[Any], glossary: Glossary | None = None, *, commit_every: int = 0
) -> BuildStats:
    """Index `rows` (OrgRow) into `store` (replacing their earlier documents); rows without a key get their
    position as key. Commits at the end (and every `commit_every` rows when given)."""
    from .rerank import profile

    gl = glossary or default_glossary()
    stats = BuildStats()
    sums: dict[str, list[float]] = {}
    writer = store.writer()
    try:
        for position, row in enumerate(rows):
            if row.key is None:
                row = replace(row, key=position)
            p = profile(row, gl.codes_for)
            writer.put(p)
            stats.n += 1
            stats.tokens += p["dl"]
            if row.lat is not None and row.lon is not None:
                for key in (row.region, "#" + row.country):
                    if key and key != "#":
                        acc = sums.setdefault(key, [0.0, 0.0, 0.0])
                        acc[0] += row.lat
                        acc[1] += row.lon
                        acc[2] += 1
            if commit_every and stats.n % commit_every == 0:
                writer.commit()
        writer.commit()
    finally:
        writer.close()
    store.reload()
    stats.centres = {k: (v[0] / v[2], v[1] / v[2]) for k, v in sums.items()}
    return stats


def build(rows: Iterable[Any], path: str | None = None, glossary: Glossary | None = None) -> LiveIndex:
    """A live index of `rows` in a new store (in memory when `path` is None): for tests and benchmarks."""
    store = Store(path)
    stats = write_rows(store, rows, glossary)
    return LiveIndex(base=store, avgdl=stats.avgdl, centres=stats.centres, glossary=glossary or default_glossary())
