"""The retrieval half of the live engine: organisations in a tantivy index, on disk or in memory.

tantivy (the Rust search library, through its Python package) keeps the index in immutable segments with
deletions, written by one writer at a time and read by any number of processes, which memory-map the
same files: the operating system holds one copy for every worker of a machine. Updating an organisation is
"delete by key, add again, commit"; tantivy merges the small segments in the background.

Each organisation is one document:

* ``key`` (its database id, for deletes), ``pid`` (its public ID), ``country``;
* ``words`` — the roots of its names and lines (``text.roots``), for BM25;
* ``codes`` — the index keys of its codes (exact ``h=8408`` and prefix ``h:84`` …, see ``plan.code_keys``);
* ``certs`` — its normalised certifications;
* ``profile`` (stored) — the JSON the re-ranker reads (``rerank.profile``).

A request becomes one query (``hits``): its words boosted by their weight, the best of its code
keys at their weight, the certifications, under the country filters and without the buyer's own group;
the best ``take`` documents by tantivy's score are the candidates that ``rerank`` scores exactly.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import tantivy

from .index import W_CERTS, W_CODES, W_WORDS
from .model import MatchRequest, OrgRow
from .plan import Plan
from .rerank import Profile, keys_of, profile

#: Stored with each index: an index of another layout is not opened (it is rebuilt).
LAYOUT = 1


def schema() -> tantivy.Schema:
    sb = tantivy.SchemaBuilder()
    sb.add_integer_field("key", stored=False, indexed=True, fast=True)
    sb.add_text_field("pid", stored=False, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("country", stored=False, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("words", stored=False, tokenizer_name="whitespace", index_option="freq")
    sb.add_text_field("codes", stored=False, tokenizer_name="whitespace", index_option="basic")
    sb.add_text_field("certs", stored=False, tokenizer_name="whitespace", index_option="basic")
    sb.add_bytes_field("profile", stored=True, indexed=False, fast=False)
    return sb.build()


SCHEMA = schema()


def document(p: Profile) -> tantivy.Document:
    words = " ".join(w for w, tf in p["tf"].items() for _ in range(tf))
    return tantivy.Document(
        key=int(p["k"]),
        pid=p["id"],
        country=p["cc"],
        words=words,
        codes=" ".join(keys_of(p["codes"])),
        certs=" ".join(p["ce"]),
        profile=json.dumps(p, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
    )


class Store:
    """One tantivy index of organisation profiles: ``Store(path)`` opens (or creates) one on disk,
    ``Store(None)`` makes one in memory."""

    def __init__(self, path: str | os.PathLike[str] | None) -> None:
        self.path = os.fspath(path) if path is not None else None
        if self.path is not None:
            os.makedirs(self.path, exist_ok=True)
        self.index = tantivy.Index(SCHEMA, path=self.path, reuse=True)
        self._searcher = self.index.searcher()

    # ------------------------------------------------------------------ reading
    def reload(self) -> None:
        """See the last commit (of this or of another process)."""
        self.index.reload()
        self._searcher = self.index.searcher()

    @property
    def searcher(self) -> tantivy.Searcher:
        return self._searcher

    @property
    def n(self) -> int:
        return int(self._searcher.num_docs)

    def segments(self) -> int:
        return int(self._searcher.num_segments)

    def df(self, field: str, value: str) -> int:
        return int(self._searcher.doc_freq(field, value))

    def profiles(self, hits: Sequence[Any], searcher: tantivy.Searcher | None = None) -> list[Profile]:
        """The stored profiles of the documents at these addresses (of `searcher`, by default the current)."""
        searcher = searcher or self._searcher
        out: list[Profile] = []
        for address in hits:
            raw = searcher.doc(address)["profile"]
            if raw:
                out.append(_decode(bytes(raw[0])))
        return out

    def by_pid(self, pid: str) -> Profile | None:
        if not pid:
            return None
        searcher = self._searcher
        found = searcher.search(tantivy.Query.term_query(SCHEMA, "pid", pid), 1, count=False).hits
        return self.profiles([found[0][1]], searcher)[0] if found else None

    def by_keys(self, keys: Iterable[int]) -> list[Profile]:
        wanted = [int(k) for k in keys]
        if not wanted:
            return []
        query = tantivy.Query.term_set_query(SCHEMA, "key", wanted)
        searcher = self._searcher
        return self.profiles([a for _, a in searcher.search(query, len(wanted), count=False).hits], searcher)

    def hits(
        self,
        req: MatchRequest,
        plan: Plan,
        take: int,
        *,
        exclude_keys: Iterable[int] = (),
        exclude_pids: Iterable[str] = (),
    ) -> tuple[tantivy.Searcher, list[tuple[float, Any]]]:
        """(the searcher, its best `take` (score, address) pairs): read the profiles with the same searcher."""
        query = self.query(req, plan, exclude_keys=exclude_keys, exclude_pids=exclude_pids)
        searcher = self._searcher  # one searcher for the search and the reads: a reload may swap it meanwhile
        if query is None:
            return searcher, []
        return searcher, [(float(score), a) for score, a in searcher.search(query, take, count=False).hits]

    def query(
        self, req: MatchRequest, plan: Plan, *, exclude_keys: Iterable[int] = (), exclude_pids: Iterable[str] = ()
    ) -> tantivy.Query | None:
        q = tantivy.Query
        weight = W_WORDS + (W_CODES if plan.has_codes else 0.0) + (W_CERTS if plan.certs else 0.0)
        should: list[tuple[tantivy.Occur, tantivy.Query]] = []
        for term in plan.terms:
            boost = term.weight * W_WORDS / weight / plan.denominator
            should.append((tantivy.Occur.Should, q.boost_query(q.term_query(SCHEMA, "words", term.root), boost)))
        codes = [
            q.const_score_query(q.term_query(SCHEMA, "codes", key), w * W_CODES / weight)
            for key, w in plan.code_weights.items()
        ]
        if codes:
            should.append((tantivy.Occur.Should, q.disjunction_max_query(codes)))
        for _, key in plan.certs:
            cert = q.regex_query(SCHEMA, "certs", _regex_escape(key) + ".*")
            should.append((tantivy.Occur.Should, q.const_score_query(cert, W_CERTS / weight / len(plan.certs))))
        if not should:
            return None
        clauses: list[tuple[tantivy.Occur, tantivy.Query]] = [(tantivy.Occur.Must, q.boolean_query(should))]
        if req.countries:
            clauses.append((tantivy.Occur.Must, q.term_set_query(SCHEMA, "country", list(req.countries))))
        if req.exclude_countries:
            clauses.append((tantivy.Occur.MustNot, q.term_set_query(SCHEMA, "country", list(req.exclude_countries))))
        keys = [int(k) for k in exclude_keys]
        if keys:
            clauses.append((tantivy.Occur.MustNot, q.term_set_query(SCHEMA, "key", keys)))
        pids = [p for p in exclude_pids if p]
        if pids:
            clauses.append((tantivy.Occur.MustNot, q.term_set_query(SCHEMA, "pid", pids)))
        return q.boolean_query(clauses)

    # ------------------------------------------------------------------ writing
    def writer(self, heap_bytes: int = 64_000_000, threads: int = 1) -> Writer:
        return Writer(self, self.index.writer(heap_bytes, threads))


class Writer:
    """Changes to a store, published by :meth:`commit` (the only writer of that index meanwhile)."""

    def __init__(self, store: Store, writer: tantivy.IndexWriter) -> None:
        self.store = store
        self.writer = writer

    def put(self, p: Profile) -> None:
        """Add the organisation, replacing its earlier document."""
        self.writer.delete_documents_by_term("key", int(p["k"]))
        self.writer.add_document(document(p))

    def put_rows(self, rows: Iterable[OrgRow], glossary_codes: Any) -> int:
        count = 0
        for row in rows:
            self.put(profile(row, glossary_codes))
            count += 1
        return count

    def delete(self, key: int) -> None:
        self.writer.delete_documents_by_term("key", int(key))

    def clear(self) -> None:
        self.writer.delete_all_documents()

    def commit(self) -> None:
        self.writer.commit()

    def close(self) -> None:
        """Wait for the background merges and release the index's writer lock."""
        self.writer.wait_merging_threads()


@lru_cache(maxsize=20_000)
def _decode(raw: bytes) -> Profile:
    """A stored profile, decoded once per process for as long as it is read often (the re-ranker does not
    change profiles; a changed organisation's new profile is other bytes)."""
    profile: Profile = json.loads(raw.decode("utf-8"))
    return profile


def _regex_escape(text: str) -> str:
    return "".join("\\" + ch if not ch.isalnum() else ch for ch in text)
