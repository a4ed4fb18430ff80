"""The partner-matching engine: an in-memory inverted index over organisations and its ranking.

Built once from plain rows (:class:`~.model.OrgRow`) and then queried many times. Everything is
kept in flat numpy arrays (CSR postings: ``indptr`` + ``values``), not dicts of objects, so that a
million organisations with several million competency lines fit in well under 2 GB and a query
touches only the postings of its words and codes.

Score of an organisation for a request (each part is in [0, 1], the reasons list them all):

* words — BM25 over roots of names and competency lines, as the share of the request's words
  found (glossary translations count as the words they translate);
* codes — HS / NACE: the same code 1.0, a more specific code of the organisation 0.85, the
  organisation's code one level up 0.7 and two levels up 0.45, a sibling under the same parent 0.4
  (0.1 under a whole chapter or division), a cousin under the grandparent 0.15; codes the glossary
  finds in the text count 0.9 of that;
* certifications required and held;
* then small bonuses: capacity covering the quantity, distance to the buyer, cross-border value
  (another member state than the buyer's), earlier cooperation with the buyer.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import tempfile
import threading
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from coopnet.logic.codes import CodeError, hs_ancestors, nace_ancestors, normalise_hs, normalise_nace

from .glossary import DATA as GLOSSARY_DATA
from .glossary import Glossary, default_glossary
from .model import MEMBER_STATES, Match, MatchRequest, MatchRequestError, OrgRow, Reason
from .text import roots, words

I32 = npt.NDArray[np.int32]
I64 = npt.NDArray[np.int64]
F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]

K1 = 1.2
B = 0.2  # organisations list many lines: long profiles must not be punished as in web search
W_WORDS = 0.40
W_CODES = 0.50
W_CERTS = 0.10
BONUS_CAPACITY = 0.04
BONUS_DISTANCE = 0.03
BONUS_CROSS_BORDER = 0.02
BONUS_COOPERATION = 0.05
EXPANSION_WEIGHT = 0.6
GLOSSARY_CODE_FACTOR = 0.9
CANDIDATES = 200
SELECT_BUDGET = 400_000  # postings read to choose candidates (per kind: words, codes)
SPARSE_FACTOR = 64  # below n / 64 postings read, candidates come from the postings, not from a full scan
MAX_LIMIT = 500

_DEPTH_HS = {2: "chapter", 4: "heading", 6: "subheading", 8: "TN VED 8-digit", 10: "TN VED 10-digit"}
_DEPTH_NACE = {1: "division", 2: "group", 3: "class", 4: "sub-class"}


@lru_cache(maxsize=4096)
def normalise_cert(name: str) -> str:
    """'ISO 9001:2015' -> 'iso9001'; 'ТР ТС 018/2011' -> 'trts0182011'.

    Cyrillic letters are folded to Latin and the edition year of an ISO standard is dropped."""
    text = (name or "").lower().strip()
    table = str.maketrans(
        {
            "т": "t",
            "р": "r",
            "с": "s",
            "е": "e",
            "а": "a",
            "э": "e",
            "и": "i",
            "о": "o",
            "к": "k",
            "в": "v",
            "у": "u",
            "н": "n",
            "м": "m",
            "г": "g",
            "д": "d",
            "б": "b",
        }
    )
    text = text.translate(table)
    if text.startswith("iso") or text.startswith("st"):
        text = text.split(":")[0]
    text = text.replace("tr cu", "trts").replace("tr eaeu", "treaes").replace("tr ts", "trts")
    return "".join(ch for ch in text if ch.isalnum())


def normalise_codes(scheme: str, raw: Iterable[str]) -> list[str]:
    """Normalised codes; raises MatchRequestError naming the bad one."""
    out: list[str] = []
    for item in raw:
        for piece in str(item).replace(",", " ").replace(";", " ").split():
            try:
                code = normalise_hs(piece) if scheme == "hs" else normalise_nace(piece)
            except CodeError as exc:
                raise MatchRequestError(str(exc)) from exc
            if code not in out:
                out.append(code)
    return out


@lru_cache(maxsize=65536)
def _ancestors(scheme: str, code: str) -> tuple[str, ...]:
    """The code's ancestors, nearest first (cached: the reasons ask for the same few codes many times)."""
    return tuple(hs_ancestors(code) if scheme == "hs" else nace_ancestors(code))


def _depth_name(scheme: str, code: str) -> str:
    if scheme == "hs":
        return _DEPTH_HS.get(len(code), "code")
    return _DEPTH_NACE.get(1 + len(nace_ancestors(code)), "code")


def _code_relation_text(scheme: str, relation: str, code: str, theirs: str, via: str) -> str:
    """How an organisation's code relates to the requested one, in English (pages translate it from the
    reason's data: coopnet.exchange.reasons)."""
    if relation == "same":
        return "same code"
    if relation == "inside":
        return f"their {theirs} is inside the requested {_depth_name(scheme, code)}"
    if relation == "contains":
        return f"their {_depth_name(scheme, via)} {via} contains it"
    return f"same {_depth_name(scheme, via)} {via} (their {theirs})"


def _sibling_weight(scheme: str, parent: str) -> float:
    """A sibling under a heading / NACE group is close (0.4); under a whole chapter / division, barely (0.1)."""
    narrow = len(parent) >= 4 if scheme == "hs" else "." in parent
    return 0.4 if narrow else 0.1


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


class _CSR:
    """Postings lists: ``values[indptr[k]:indptr[k+1]]`` are the (sorted) documents of key k."""

    __slots__ = ("indptr", "values", "weights")

    def __init__(self, indptr: I64, values: I32, weights: F32 | None = None) -> None:
        self.indptr = indptr
        self.values = values
        self.weights = weights

    @classmethod
    def from_pairs(
        cls, keys: array[int], docs: array[int], n_keys: int, n_docs: int, with_counts: bool = False
    ) -> tuple[_CSR, I64]:
        width = max(n_docs, 1)
        if len(keys) == 0:
            return cls(np.zeros(n_keys + 1, np.int64), np.zeros(0, np.int32)), np.zeros(0, np.int64)
        combined = np.frombuffer(keys, dtype=np.int32).astype(np.int64)  # key * width + doc, in place
        combined *= width
        combined += np.frombuffer(docs, dtype=np.int32)
        combined.sort()
        first = np.empty(len(combined), dtype=bool)  # the first of each run of equal pairs
        first[0] = True
        np.not_equal(combined[1:], combined[:-1], out=first[1:])
        uniq = combined[first]
        del combined  # before anything else is allocated: this is the build's peak
        tf = np.zeros(0, np.int64)
        if with_counts:  # run lengths = term frequencies
            tf = np.diff(np.flatnonzero(first), append=len(keys)).astype(np.int64, copy=False)
        del first
        values = (uniq % width).astype(np.int32)
        uniq //= width  # in place (no more int64 temporaries than needed): now the key of each pair
        indptr = np.zeros(n_keys + 1, dtype=np.int64)
        np.cumsum(np.bincount(uniq, minlength=n_keys), out=indptr[1:])
        return cls(indptr, values), tf

    def get(self, key: int) -> I32:
        return self.values[self.indptr[key] : self.indptr[key + 1]]

    def get_weights(self, key: int) -> F32:
        assert self.weights is not None
        return self.weights[self.indptr[key] : self.indptr[key + 1]]

    def nbytes(self) -> int:
        return int(self.indptr.nbytes + self.values.nbytes + (self.weights.nbytes if self.weights is not None else 0))


@dataclass(frozen=True)
class _Query:
    terms: tuple[tuple[int, float, str], ...]  # term id, query weight, surface word
    denominator: float
    code_keys: tuple[tuple[int, float, str], ...]  # code key id, weight, label
    req_codes: tuple[tuple[str, str, bool], ...]  # scheme, code, from glossary
    glossary_labels: tuple[str, ...]
    cert_keys: tuple[tuple[str, tuple[int, ...]], ...]
    unknown_words: tuple[str, ...]


class MatchIndex:
    """The engine: build with :meth:`build`, query with :meth:`match`, :meth:`score_docs`."""

    def __init__(self) -> None:
        self.n = 0
        self.ids: list[str] = []
        self.refs: list[str | None] = []
        self.names: list[str] = []
        self.keys: list[int | None] = []
        self.regions: list[str] = []
        self.country_codes: list[str] = []
        self.country: npt.NDArray[np.int16] = np.zeros(0, np.int16)
        self.lat: F32 = np.zeros(0, np.float32)
        self.lon: F32 = np.zeros(0, np.float32)
        self.term_ids: dict[str, int] = {}
        self.terms = _CSR(np.zeros(1, np.int64), np.zeros(0, np.int32))
        self.idf: F32 = np.zeros(0, np.float32)
        self.code_ids: dict[str, int] = {}
        self.codes = _CSR(np.zeros(1, np.int64), np.zeros(0, np.int32))
        self.org_codes = _CSR(np.zeros(1, np.int64), np.zeros(0, np.int32))
        self.code_names: list[str] = []
        self.cert_ids: dict[str, int] = {}
        self.cert_labels: list[str] = []
        self.certs = _CSR(np.zeros(1, np.int64), np.zeros(0, np.int32))
        self.lines = _CSR(np.zeros(1, np.int64), np.zeros(0, np.int32))
        self.line_capacity: F32 = np.zeros(0, np.float32)
        self.line_unit: list[str] = []
        self.line_codes = _CSR(np.zeros(1, np.int64), np.zeros(0, np.int32))
        self.partners = _CSR(np.zeros(1, np.int64), np.zeros(0, np.int32))
        self.footprint = _CSR(np.zeros(1, np.int64), np.zeros(0, np.int32))
        self.footprint_by_country = _CSR(np.zeros(1, np.int64), np.zeros(0, np.int32))
        self.doc_of: dict[str, int] = {}
        self.region_centre: dict[str, tuple[float, float]] = {}
        self.country_centre: dict[str, tuple[float, float]] = {}
        self.glossary: Glossary = default_glossary()
        self.sparse_factor = SPARSE_FACTOR
        self._masks: dict[tuple[tuple[str, ...], tuple[str, ...]], npt.NDArray[np.uint8]] = {}

    # ------------------------------------------------------------------ building
    @classmethod
    def build(cls, rows: Iterable[OrgRow], glossary: Glossary | None = None) -> MatchIndex:
        self = cls()
        if glossary is not None:
            self.glossary = glossary
        gl = self.glossary
        term_ids = self.term_ids
        code_ids = self.code_ids
        cert_ids = self.cert_ids
        country_ids: dict[str, int] = {}
        t_keys: array[int] = array("i")
        t_docs: array[int] = array("i")
        c_keys: array[int] = array("i")
        c_docs: array[int] = array("i")
        oc_keys: array[int] = array("i")
        oc_docs: array[int] = array("i")
        ce_keys: array[int] = array("i")
        ce_docs: array[int] = array("i")
        line_doc: array[int] = array("i")
        line_cap: array[float] = array("f")
        lc_keys: array[int] = array("i")
        lc_docs: array[int] = array("i")
        country_arr: array[int] = array("h")
        lat_arr: array[float] = array("f")
        lon_arr: array[float] = array("f")
        partner_refs: list[tuple[int, tuple[str, ...]]] = []
        fp_keys: array[int] = array("i")
        fp_docs: array[int] = array("i")
        text_cache: dict[str, tuple[int, ...]] = {}
        code_cache: dict[tuple[str, tuple[str, ...], tuple[str, ...]], tuple[tuple[int, ...], tuple[int, ...]]] = {}
        region_sum: dict[str, list[float]] = {}
        shared: dict[str, str] = {}  # one object per region / unit: rows from a database bring a new one each

        def term_list(text: str) -> tuple[int, ...]:
            cached = text_cache.get(text)
            if cached is not None:
                return cached
            out = []
            for r in roots(text):
                tid = term_ids.get(r)
                if tid is None:
                    tid = term_ids[r] = len(term_ids)
                out.append(tid)
            result = tuple(out)
            if len(text_cache) > 400_000:
                text_cache.clear()
            text_cache[text] = result
            return result

        def code_key(name: str) -> int:
            cid = code_ids.get(name)
            if cid is None:
                cid = code_ids[name] = len(code_ids)
            return cid

        def line_code_keys(
            text: str, hs: tuple[str, ...], nace: tuple[str, ...]
        ) -> tuple[tuple[int, ...], tuple[int, ...]]:
            """(exact code keys, prefix keys) of one line; glossary codes when the line has none."""
            ck = (text if not hs and not nace else "", hs, nace)
            cached = code_cache.get(ck)
            if cached is not None:
                return cached
            hs_codes: list[str] = []
            nace_codes: list[str] = []
            for raw in hs:
                try:
                    hs_codes.append(normalise_hs(raw))
                except CodeError:
                    continue
            for raw in nace:
                try:
                    nace_codes.append(normalise_nace(raw))
                except CodeError:
                    continue
            if not hs_codes and not nace_codes and text:
                hs_codes, nace_codes = gl.codes_for(text)
            exact: list[int] = []
            prefix: list[int] = []
            for scheme, codes in (("hs", hs_codes), ("nace", nace_codes)):
                tag = "h" if scheme == "hs" else "n"
                for code in codes:
                    exact.append(code_key(f"{tag}={code}"))
                    prefix.append(code_key(f"{tag}:{code}"))
                    prefix.extend(code_key(f"{tag}:{a}") for a in _ancestors(scheme, code))
            result = (tuple(dict.fromkeys(exact)), tuple(dict.fromkeys(prefix)))
            if len(code_cache) > 200_000:
                code_cache.clear()
            code_cache[ck] = result
            return result

        doc = -1
        for doc, row in enumerate(rows):
            self.ids.append(row.id)
            self.refs.append(row.ref)
            self.names.append(row.name)
            self.keys.append(row.key)
            region = row.region or ""
            self.regions.append(shared.setdefault(region, region))
            cid = country_ids.get(row.country)
            if cid is None:
                cid = country_ids[row.country] = len(country_ids)
                self.country_codes.append(row.country)
            country_arr.append(cid)
            if row.lat is not None and row.lon is not None:
                lat_arr.append(row.lat)
                lon_arr.append(row.lon)
                for key in (row.region, "#" + row.country):
                    if key and key != "#":
                        acc = region_sum.setdefault(key, [0.0, 0.0, 0.0])
                        acc[0] += row.lat
                        acc[1] += row.lon
                        acc[2] += 1
            else:
                lat_arr.append(math.nan)
                lon_arr.append(math.nan)
            toks = list(term_list(row.name))
            if row.name_en:
                toks.extend(term_list(row.name_en))
            exact_all: set[int] = set()
            prefix_all: set[int] = set()
            certs: set[int] = set()
            for line in row.lines:
                toks.extend(term_list(line.text_ru))
                if line.text_en:
                    toks.extend(term_list(line.text_en))
                exact, prefix = line_code_keys(line.text_ru + " " + line.text_en, line.hs, line.nace)
                exact_all.update(exact)
                prefix_all.update(prefix)
                line_no = len(line_doc)
                line_doc.append(doc)
                line_cap.append(math.nan if line.capacity is None else float(line.capacity))
                unit = line.capacity_unit or ""
                self.line_unit.append(shared.setdefault(unit, unit))
                lc_keys.extend([line_no] * len(exact))
                lc_docs.extend(exact)
                for cert in line.certifications:
                    key = normalise_cert(cert)
                    if not key:
                        continue
                    ce = cert_ids.get(key)
                    if ce is None:
                        ce = cert_ids[key] = len(cert_ids)
                        self.cert_labels.append(cert.strip())
                    certs.add(ce)
            t_keys.extend(toks)
            t_docs.extend([doc] * len(toks))
            c_keys.extend(prefix_all)
            c_docs.extend([doc] * len(prefix_all))
            c_keys.extend(exact_all)
            c_docs.extend([doc] * len(exact_all))
            oc_keys.extend([doc] * len(exact_all))
            oc_docs.extend(sorted(exact_all))
            ce_keys.extend(certs)
            ce_docs.extend([doc] * len(certs))
            if row.partners:
                partner_refs.append((doc, row.partners))
            for cc in row.footprint:
                fid = country_ids.get(cc)
                if fid is None:
                    fid = country_ids[cc] = len(country_ids)
                    self.country_codes.append(cc)
                fp_keys.append(doc)
                fp_docs.append(fid)
        n = self.n = doc + 1
        self.country = np.frombuffer(country_arr, dtype=np.int16).copy() if n else np.zeros(0, np.int16)
        self.lat = np.frombuffer(lat_arr, dtype=np.float32).copy() if n else np.zeros(0, np.float32)
        self.lon = np.frombuffer(lon_arr, dtype=np.float32).copy() if n else np.zeros(0, np.float32)
        self.doc_of = {pid: i for i, pid in enumerate(self.ids)}
        for key, (slat, slon, cnt) in region_sum.items():
            centre = (slat / cnt, slon / cnt)
            if key.startswith("#"):
                self.country_centre[key[1:]] = centre
            else:
                self.region_centre[key] = centre
        text_cache.clear()
        code_cache.clear()

        # words: BM25 weights per posting, computed once
        terms, tf = _CSR.from_pairs(t_keys, t_docs, len(term_ids), n, with_counts=True)
        doc_len = (
            np.bincount(np.frombuffer(t_docs, dtype=np.int32), minlength=n).astype(np.float32)
            if len(t_docs)
            else np.zeros(n, np.float32)
        )
        del t_keys, t_docs
        avg = float(doc_len.mean()) if n else 1.0
        norm = (K1 * (1 - B + B * doc_len / max(avg, 1e-9))).astype(np.float32)
        tf32 = tf.astype(np.float32)
        terms.weights = (tf32 * (K1 + 1) / (tf32 + norm[terms.values])).astype(np.float32)
        del tf, tf32, norm
        self.terms = terms
        df = np.diff(terms.indptr).astype(np.float64)
        self.idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)

        self.codes, _ = _CSR.from_pairs(c_keys, c_docs, len(code_ids), n)
        names = [""] * len(code_ids)
        for name, i in code_ids.items():
            names[i] = name
        self.code_names = names
        self.org_codes, _ = _CSR.from_pairs(oc_keys, oc_docs, n, len(code_ids))
        self.certs, _ = _CSR.from_pairs(ce_keys, ce_docs, len(cert_ids), n)
        n_lines = len(line_doc)
        line_doc_np = np.frombuffer(line_doc, dtype=np.int32) if n_lines else np.zeros(0, np.int32)
        lines_indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(line_doc_np, minlength=n), out=lines_indptr[1:])
        self.lines = _CSR(lines_indptr, np.arange(n_lines, dtype=np.int32))
        self.line_capacity = np.frombuffer(line_cap, dtype=np.float32).copy() if n_lines else np.zeros(0, np.float32)
        self.line_codes, _ = _CSR.from_pairs(lc_keys, lc_docs, n_lines, len(code_ids))
        p_keys: array[int] = array("i")
        p_docs: array[int] = array("i")
        for d, partner_ids in partner_refs:
            for pid in partner_ids:
                other = self.doc_of.get(pid)
                if other is not None and other != d:
                    p_keys.extend((d, other))
                    p_docs.extend((other, d))
        self.partners, _ = _CSR.from_pairs(p_keys, p_docs, n, n)
        self.footprint, _ = _CSR.from_pairs(fp_keys, fp_docs, n, len(self.country_codes))
        self.footprint_by_country, _ = _CSR.from_pairs(fp_docs, fp_keys, len(self.country_codes), n)
        return self

    # ------------------------------------------------------------------ snapshots
    _CSR_FIELDS = (
        "terms",
        "codes",
        "org_codes",
        "certs",
        "lines",
        "line_codes",
        "partners",
        "footprint",
        "footprint_by_country",
    )
    _ARRAY_FIELDS = ("country", "lat", "lon", "idf", "line_capacity")

    def save(self, path: str | os.PathLike[str], *, label: str = "") -> None:
        """Write the index to an uncompressed ``.npz`` file (atomically: a temporary file, then a rename).

        Only an index built with the default glossary can be saved: the glossary is not stored."""
        if self.glossary is not default_glossary():
            raise ValueError("only an index built with the default glossary can be saved")
        meta = {
            "format": snapshot_fingerprint(),
            "label": label,
            "n": self.n,
            "ids": self.ids,
            "refs": self.refs,
            "names": self.names,
            "keys": self.keys,
            "regions": self.regions,
            "country_codes": self.country_codes,
            "terms": list(self.term_ids),
            "code_names": self.code_names,
            "certs": list(self.cert_ids),
            "cert_labels": self.cert_labels,
            "line_unit": self.line_unit,
            "region_centre": self.region_centre,
            "country_centre": self.country_centre,
        }
        arrays: dict[str, npt.NDArray[Any]] = {
            "meta": np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
        }
        for name in self._ARRAY_FIELDS:
            arrays[name] = getattr(self, name)
        for name in self._CSR_FIELDS:
            csr: _CSR = getattr(self, name)
            arrays[f"{name}.indptr"] = csr.indptr
            arrays[f"{name}.values"] = csr.values
            if csr.weights is not None:
                arrays[f"{name}.weights"] = csr.weights
        target = os.fspath(path)
        folder = os.path.dirname(target) or "."
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".matchindex-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                np.savez(handle, allow_pickle=False, **arrays)
            os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide it from a server running as another user
            os.replace(tmp, target)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, label: str | None = None) -> MatchIndex:
        """Read an index written by :meth:`save`; ValueError if the file is of another engine version,
        glossary or (when `label` is given) another label."""
        with np.load(os.fspath(path), allow_pickle=False) as data:
            meta = json.loads(data["meta"].tobytes().decode("utf-8"))
            if meta.get("format") != snapshot_fingerprint():
                raise ValueError("the snapshot was written by another version of the engine or glossary")
            if label is not None and meta.get("label") != label:
                raise ValueError("the snapshot is of another registry revision")
            self = cls()
            self.n = int(meta["n"])
            self.ids = meta["ids"]
            self.refs = meta["refs"]
            self.names = meta["names"]
            self.keys = meta["keys"]
            self.regions = _shared(meta["regions"])
            self.country_codes = meta["country_codes"]
            self.term_ids = {t: i for i, t in enumerate(meta["terms"])}
            self.code_names = meta["code_names"]
            self.code_ids = {c: i for i, c in enumerate(self.code_names)}
            self.cert_ids = {c: i for i, c in enumerate(meta["certs"])}
            self.cert_labels = meta["cert_labels"]
            self.line_unit = _shared(meta["line_unit"])
            self.region_centre = {k: (float(v[0]), float(v[1])) for k, v in meta["region_centre"].items()}
            self.country_centre = {k: (float(v[0]), float(v[1])) for k, v in meta["country_centre"].items()}
            for name in cls._ARRAY_FIELDS:
                setattr(self, name, data[name])
            for name in cls._CSR_FIELDS:
                weights = data[f"{name}.weights"] if f"{name}.weights" in data else None
                setattr(self, name, _CSR(data[f"{name}.indptr"], data[f"{name}.values"], weights))
        self.doc_of = {pid: i for i, pid in enumerate(self.ids)}
        return self

    def memory_bytes(self) -> int:
        arrays = sum(
            c.nbytes()
            for c in (
                self.terms,
                self.codes,
                self.org_codes,
                self.certs,
                self.lines,
                self.line_codes,
                self.partners,
                self.footprint,
            )
        )
        return int(
            arrays
            + self.idf.nbytes
            + self.country.nbytes
            + self.lat.nbytes
            + self.lon.nbytes
            + self.line_capacity.nbytes
        )

    # ------------------------------------------------------------------ requests
    def _query(self, req: MatchRequest) -> _Query:
        for cc in (
            *req.countries,
            *req.exclude_countries,
            *((req.buyer_country,) if req.buyer_country else ()),
        ):
            if len(cc) != 2 or not cc.isalpha() or not cc.isupper():
                raise MatchRequestError(f"country code {cc!r} must be two capital letters, e.g. BY")
        hs = normalise_codes("hs", req.hs)
        nace = normalise_codes("nace", req.nace)
        text_roots = roots(req.text)
        surface: dict[str, str] = {}
        for word in words(req.text):
            word_roots = roots(word)
            if word_roots:
                surface.setdefault(word_roots[0], word)
        if not text_roots and not hs and not nace and not req.certifications:
            raise MatchRequestError("the request needs some text, an HS or NACE code, or a certification")
        weights: dict[int, tuple[float, str]] = {}
        denominator = 0.0
        unknown: list[str] = []
        for r in dict.fromkeys(text_roots):
            tid = self.term_ids.get(r)
            if tid is None:
                unknown.append(surface.get(r, r))
                denominator += 1.0  # a word nobody uses still counts as asked for
                continue
            weights[tid] = (1.0, surface.get(r, r))
            denominator += float(self.idf[tid])
        hits = self.glossary.find(text_roots) if text_roots else []
        glossary_codes: list[tuple[str, str]] = []
        labels: list[str] = []
        for hit in hits:
            labels.append(hit.term.label)
            for variant in (*hit.term.ru[:1], *hit.term.en[:1]):  # the canonical name in each language
                for variant_word in words(variant):
                    for r in roots(variant_word):
                        tid = self.term_ids.get(r)
                        if tid is not None and tid not in weights:
                            weights[tid] = (EXPANSION_WEIGHT, variant_word)
            glossary_codes.extend(("hs", c) for c in hit.term.hs)
            glossary_codes.extend(("nace", c) for c in hit.term.nace)
        # words that only a glossary term's translation found, but the term itself wasn't matched:
        # the denominator keeps to the request's own words.
        req_codes: list[tuple[str, str, bool]] = [("hs", c, False) for c in hs] + [("nace", c, False) for c in nace]
        explicit = {(s, c) for s, c, _ in req_codes}
        for scheme, code in glossary_codes:
            if (scheme, code) not in explicit and (scheme, code, True) not in req_codes:
                req_codes.append((scheme, code, True))
        code_keys: dict[int, tuple[float, str]] = {}

        def want(name: str, weight: float, label: str) -> None:
            kid = self.code_ids.get(name)
            if kid is not None and (kid not in code_keys or code_keys[kid][0] < weight):
                code_keys[kid] = (weight, label)

        for scheme, code, implied in req_codes:
            f = GLOSSARY_CODE_FACTOR if implied else 1.0
            tag = "h" if scheme == "hs" else "n"
            ancestors = _ancestors(scheme, code)
            want(f"{tag}={code}", 1.0 * f, f"{tag}={code}")
            want(f"{tag}:{code}", 0.85 * f, f"{tag}<{code}")
            for depth, (anc, w) in enumerate(zip(ancestors, (0.7, 0.45), strict=False)):
                want(f"{tag}={anc}", w * f, f"{tag}^{depth + 1}={anc}")
            if ancestors:
                want(f"{tag}:{ancestors[0]}", _sibling_weight(scheme, ancestors[0]) * f, f"{tag}~{ancestors[0]}")
            if len(ancestors) > 1 and (len(ancestors[1]) >= 4 if scheme == "hs" else "." in ancestors[1]):
                want(f"{tag}:{ancestors[1]}", 0.15 * f, f"{tag}~~{ancestors[1]}")
        cert_keys: list[tuple[str, tuple[int, ...]]] = []
        for cert in req.certifications:
            key = normalise_cert(cert)
            if not key:
                continue
            matching = tuple(
                i for k, i in self.cert_ids.items() if k.startswith(key) or key.startswith(k) and len(k) >= 6
            )
            cert_keys.append((cert, matching))
        return _Query(
            terms=tuple((tid, w, s) for tid, (w, s) in weights.items()),
            denominator=max(denominator, 1e-9),
            code_keys=tuple((k, w, label) for k, (w, label) in sorted(code_keys.items(), key=lambda kv: kv[1][0])),
            req_codes=tuple(req_codes),
            glossary_labels=tuple(labels),
            cert_keys=tuple(cert_keys),
            unknown_words=tuple(unknown),
        )

    # ------------------------------------------------------------------ scoring
    def _components(self, q: _Query, docs: I32 | None) -> tuple[F32, F32, F32]:
        """(words, codes, certs) scores for all documents (docs None) or for the given sorted docs."""
        size = self.n if docs is None else len(docs)
        text = np.zeros(size, np.float32)
        for tid, qw, _ in q.terms:
            post = self.terms.get(tid)
            w = self.terms.get_weights(tid)
            factor = np.float32(self.idf[tid] * qw)
            if docs is None:
                text[post] += w * factor
            else:
                pos, hit = _locate(post, docs)
                text[hit] += w[pos[hit]] * factor
        text /= np.float32(q.denominator)
        np.minimum(text, 1.0, out=text)
        codes = np.zeros(size if q.req_codes else 0, np.float32)
        for kid, weight, _ in q.code_keys:  # weakest first: stronger keys overwrite
            post = self.codes.get(kid)
            if docs is None:
                codes[post] = np.maximum(codes[post], np.float32(weight))
            else:
                _, hit = _locate(post, docs)
                codes[hit] = np.maximum(codes[hit], np.float32(weight))
        certs = np.zeros(size if q.cert_keys else 0, np.float32)
        for _, matching in q.cert_keys:
            held = np.zeros(size, bool)
            for ce in matching:
                post = self.certs.get(ce)
                if docs is None:
                    held[post] = True
                else:
                    _, hit = _locate(post, docs)
                    held |= hit
            certs += held.astype(np.float32) / np.float32(len(q.cert_keys))
        return text, codes, certs

    def _combine(self, q: _Query, text: F32, codes: F32, certs: F32) -> F32:
        total = W_WORDS * text
        weight = W_WORDS
        if len(codes):
            total = total + W_CODES * codes
            weight += W_CODES
        if len(certs):
            total = total + W_CERTS * certs
            weight += W_CERTS
        return (total / np.float32(weight)).astype(np.float32)

    def _mask(self, req: MatchRequest) -> npt.NDArray[np.uint8] | None:
        """1 for the organisations the country filters allow (cached per filter)."""
        if not req.countries and not req.exclude_countries:
            return None
        key = (tuple(sorted(req.countries)), tuple(sorted(req.exclude_countries)))
        cached = self._masks.get(key)
        if cached is not None:
            return cached
        lookup = np.zeros(len(self.country_codes) + 1, np.uint8)
        for i, cc in enumerate(self.country_codes):
            ok = (not req.countries or cc in req.countries) and cc not in req.exclude_countries
            lookup[i] = 1 if ok else 0
        mask: npt.NDArray[np.uint8] = lookup[self.country]
        if len(self._masks) >= 8:
            self._masks.pop(next(iter(self._masks)))
        self._masks[key] = mask
        return mask

    def _weight(self, q: _Query) -> float:
        return W_WORDS + (W_CODES if q.req_codes else 0.0) + (W_CERTS if q.cert_keys else 0.0)

    def _select(self, req: MatchRequest, q: _Query, take: int) -> I32:
        """Candidates from one pass over the postings (words and codes, country filters applied).

        When the postings read are few compared with the registry, only the organisations they name are
        looked at (no pass over every organisation); otherwise whole arrays are scanned."""
        base, codes_buf = _scratch(self.n)  # all zero; reused: fresh arrays would fault in their pages each time
        read: list[I32] = []
        try:
            return self._select_into(req, q, take, base, codes_buf, read)
        finally:  # zero again where the postings wrote (or wholly, after a full scan)
            if sum(len(p) for p in read) * 4 < self.n:
                for post in read:
                    base[post] = 0
                    codes_buf[post] = 0
            else:
                base.fill(0)
                codes_buf.fill(0)

    def _select_into(self, req: MatchRequest, q: _Query, take: int, base: F32, codes_buf: F32, read: list[I32]) -> I32:
        weight = self._weight(q)
        word_scale = W_WORDS / weight / q.denominator
        assert self.terms.weights is not None
        # rarest words first, until the postings budget is spent: the common words still count,
        # exactly, when the candidates are ranked (_rank); they only stop choosing candidates
        spent = 0
        for tid, qw, _ in sorted(q.terms, key=lambda t: int(self.terms.indptr[t[0] + 1] - self.terms.indptr[t[0]])):
            lo, hi = int(self.terms.indptr[tid]), int(self.terms.indptr[tid + 1])
            if spent and spent + hi - lo > SELECT_BUDGET:
                continue
            spent += hi - lo
            post = self.terms.values[lo:hi]
            read.append(post)
            base[post] += self.terms.weights[lo:hi] * np.float32(self.idf[tid] * qw * word_scale)
        codes: F32 | None = None
        code_scale = np.float32(W_CODES / weight)
        if q.code_keys:
            codes = codes_buf
            spent_codes = 0
            chosen = []
            for kid, w, label in sorted(q.code_keys, key=lambda k: -k[1]):  # strongest first
                size = int(self.codes.indptr[kid + 1] - self.codes.indptr[kid])
                if spent_codes and spent_codes + size > SELECT_BUDGET:
                    continue
                spent_codes += size
                chosen.append((kid, w, label))
            spent += spent_codes
            for kid, w, _ in reversed(chosen):  # weakest first: a stronger key overwrites
                post = self.codes.get(kid)
                read.append(post)
                codes[post] = np.float32(w) * code_scale  # scaled here: no pass over all the codes later
        mask = self._mask(req)
        if spent * self.sparse_factor < self.n and read:
            docs = np.unique(np.concatenate(read))
            values = base[docs]
            if codes is not None:
                values += codes[docs]
            if mask is not None:
                values *= mask[docs]
        else:
            docs = None
            if codes is not None:
                np.add(base, codes, out=base)
            if mask is not None:
                np.multiply(base, mask, out=base)
            values = base
        del codes
        if req.buyer_id and req.buyer_id in self.doc_of:
            buyer = self.doc_of[req.buyer_id]
            if docs is None:
                values[buyer] = 0
            else:
                values[docs == buyer] = 0
        positions = _top_positions(values, take)
        touched = positions if docs is None else docs[positions].astype(np.int64)
        touched.sort()
        return touched.astype(np.int32)

    def match(self, req: MatchRequest) -> list[Match]:
        """Ranked organisations for a request (see the module docstring for the score)."""
        if not 1 <= req.limit <= MAX_LIMIT:
            raise MatchRequestError(f"limit must be between 1 and {MAX_LIMIT}")
        q = self._query(req)
        if self.n == 0:
            return []
        cand = self._select(req, q, max(CANDIDATES, req.limit * 3))
        if len(cand) == 0:
            return []
        return self._rank(req, q, cand, req.limit, 0.0)

    def score_docs(self, req: MatchRequest, docs: Sequence[int], min_score: float = 0.0) -> list[Match]:
        """Score given organisations (by document number) for one request, best first."""
        q = self._query(req)
        cand = np.unique(np.asarray(docs, dtype=np.int32))
        if len(cand) == 0:
            return []
        mask = self._mask(req)
        if mask is not None:
            cand = cand[mask[cand] > 0]
        return self._rank(req, q, cand, len(cand), min_score)

    def _max_bonus(self, req: MatchRequest) -> float:
        """The most the bonuses can add for this request (so that only close candidates need them)."""
        bonus = BONUS_CAPACITY if req.quantity is not None else 0.0
        if self._buyer_point(req) is not None:
            bonus += BONUS_DISTANCE
        if req.buyer_country:
            bonus += BONUS_CROSS_BORDER + BONUS_COOPERATION
        elif req.buyer_id:
            bonus += BONUS_COOPERATION
        return bonus

    def _buyer_point(self, req: MatchRequest) -> tuple[float, float] | None:
        if req.buyer_lat is not None and req.buyer_lon is not None:
            return (req.buyer_lat, req.buyer_lon)
        if req.buyer_region and req.buyer_region in self.region_centre:
            return self.region_centre[req.buyer_region]
        if req.buyer_country and req.buyer_country in self.country_centre:
            return self.country_centre[req.buyer_country]
        return None

    def _rank(self, req: MatchRequest, q: _Query, cand: I32, limit: int, min_score: float) -> list[Match]:
        """Exact scores of the candidates; bonuses only where they can change the top `limit`."""
        text, codes, certs = self._components(q, cand)
        base = self._combine(q, text, codes, certs)
        order = np.argsort(-base, kind="stable")
        if len(order) > limit:
            floor = float(base[order[limit - 1]]) - self._max_bonus(req)
            order = order[base[order] >= floor]
        point = self._buyer_point(req)
        buyer_doc = self.doc_of.get(req.buyer_id) if req.buyer_id else None
        buyer_partners = set(self.partners.get(buyer_doc).tolist()) if buyer_doc is not None else set()
        weight = self._weight(q)
        order = order[base[order] > 0]
        docs = cand[order]
        bonus = self._bonuses(req, q, docs, point, buyer_doc)
        total = base[order] + bonus
        if len(total) > limit:
            # only the candidates that can reach the top `limit` (ties with the last included) are sorted
            kth = np.partition(total, len(total) - limit)[len(total) - limit]
            keep = total >= kth
            total, docs, order = total[keep], docs[keep], order[keep]
        scored: list[tuple[float, int, int, list[Reason]]] = [
            (float(t), int(d), int(i), [])
            for t, d, i in zip(total.tolist(), docs.tolist(), order.tolist(), strict=True)
        ]
        scored.sort(key=lambda item: (-item[0], self.names[item[1]]))
        out: list[Match] = []
        top = scored[:limit]
        words_found = self._terms_found(q, [doc for _, doc, i, _ in top if text[i] > 0])
        for total_score, doc, i, extras in top:
            if total_score < min_score:
                continue
            self._extras(req, q, doc, point, buyer_doc, buyer_partners, extras)
            reasons: list[Reason] = []
            if len(codes) and codes[i] > 0:
                reasons.append(self._code_reason(q, doc, float(codes[i]) * W_CODES / weight))
            if text[i] > 0:
                reasons.append(self._word_reason(float(text[i]) * W_WORDS / weight, q, words_found[doc]))
            if len(certs):
                reasons.extend(self._cert_reasons(q, doc, float(certs[i]) * W_CERTS / weight))
            reasons.extend(extras)
            lat = float(self.lat[doc])
            lon = float(self.lon[doc])
            out.append(
                Match(
                    doc=doc,
                    id=self.ids[doc],
                    ref=self.refs[doc],
                    name=self.names[doc],
                    country=self.country_codes[self.country[doc]],
                    region=self.regions[doc],
                    lat=None if math.isnan(lat) else round(lat, 5),
                    lon=None if math.isnan(lon) else round(lon, 5),
                    score=min(total_score, 1.0),
                    reasons=tuple(reasons),
                    key=self.keys[doc],
                )
            )
        return out

    # ------------------------------------------------------------------ reasons
    def _code_reason(self, q: _Query, doc: int, share: float) -> Reason:
        from .rerank import code_reason  # the re-ranker's: one wording of the code relations

        return code_reason(q.req_codes, [self.code_names[c] for c in self.org_codes.get(doc).tolist()], share)

    def _terms_found(self, q: _Query, docs: Sequence[int]) -> dict[int, list[int]]:
        """For each document, the positions in ``q.terms`` of the request's words it has (in that order);
        one search of each word's postings for all the documents at once."""
        found: dict[int, list[int]] = {d: [] for d in docs}
        if not found:
            return found
        wanted = np.array(sorted(found), dtype=np.int32)
        for j, (tid, _, _) in enumerate(q.terms):
            _, hit = _locate(self.terms.get(tid), wanted)
            for d in wanted[hit].tolist():
                found[d].append(j)
        return found

    def _word_reason(self, share: float, q: _Query, found: Sequence[int]) -> Reason:
        """The words of the request an organisation has (`found`: positions in ``q.terms``)."""
        from .rerank import word_reason

        return word_reason(share, [(q.terms[j][1], q.terms[j][2]) for j in found])

    def _cert_reasons(self, q: _Query, doc: int, share: float) -> list[Reason]:
        held: list[str] = []
        missing: list[str] = []
        for cert, matching in q.cert_keys:
            ok = False
            for ce in matching:
                post = self.certs.get(ce)
                pos = int(np.searchsorted(post, doc))
                if pos < len(post) and post[pos] == doc:
                    ok = True
                    break
            (held if ok else missing).append(cert)
        from .rerank import cert_reasons

        return cert_reasons(held, missing, share)

    def _bonuses(
        self, req: MatchRequest, q: _Query, docs: I32, point: tuple[float, float] | None, buyer_doc: int | None
    ) -> F32:
        """The bonuses of `_extras`, for many organisations at once (reasons are written for the top only)."""
        bonus = np.zeros(len(docs), np.float32)
        if len(docs) == 0:
            return bonus
        if point is not None:
            lat = np.radians(self.lat[docs].astype(np.float64))
            lon = np.radians(self.lon[docs].astype(np.float64))
            p1, l1 = math.radians(point[0]), math.radians(point[1])
            a = np.sin((lat - p1) / 2) ** 2 + math.cos(p1) * np.cos(lat) * np.sin((lon - l1) / 2) ** 2
            km = 2 * 6371.0 * np.arcsin(np.minimum(1.0, np.sqrt(a)))
            b = BONUS_DISTANCE * np.maximum(0.0, 1.0 - km / 6000.0)
            bonus += np.nan_to_num(b, nan=0.0).astype(np.float32)
        doc_country = self.country[docs]
        buyer_cid = self.country_codes.index(req.buyer_country) if req.buyer_country in self.country_codes else -1
        if req.buyer_country and req.buyer_country in MEMBER_STATES:
            members = np.array([c in MEMBER_STATES and c != req.buyer_country for c in self.country_codes], bool)
            bonus += np.where(members[doc_country], np.float32(BONUS_CROSS_BORDER), np.float32(0))
        cooperating = np.zeros(len(docs), bool)
        if buyer_doc is not None:
            _, cooperating = _locate(self.partners.get(buyer_doc), docs.astype(np.int32))
            bonus += np.where(cooperating, np.float32(BONUS_COOPERATION), np.float32(0))
        if req.buyer_country and buyer_cid >= 0:
            order = np.argsort(docs)
            _, present = _locate(self.footprint_by_country.get(buyer_cid), docs[order].astype(np.int32))
            abroad = np.zeros(len(docs), bool)
            abroad[order] = present
            abroad &= (doc_country != buyer_cid) & ~cooperating
            bonus += np.where(abroad, np.float32(BONUS_COOPERATION / 2), np.float32(0))
        if req.quantity is not None:
            for j, doc in enumerate(docs.tolist()):
                caps = self._capacities(q, doc, req.unit)
                if caps:
                    best = max(caps)
                    if best >= req.quantity:
                        bonus[j] += BONUS_CAPACITY
                    elif best >= req.quantity / 2:
                        bonus[j] += BONUS_CAPACITY / 2
        return bonus

    def _extras(
        self,
        req: MatchRequest,
        q: _Query,
        doc: int,
        point: tuple[float, float] | None,
        buyer_doc: int | None,
        buyer_partners: set[int],
        reasons: list[Reason],
    ) -> float:
        bonus = 0.0
        if req.quantity is not None:
            caps = self._capacities(q, doc, req.unit)
            if caps:
                best = max(caps)
                if best >= req.quantity:
                    bonus += BONUS_CAPACITY
                    reasons.append(
                        Reason(
                            "capacity",
                            f"capacity {best:g} covers {req.quantity:g}",
                            BONUS_CAPACITY,
                            {"capacity": best, "quantity": req.quantity},
                        )
                    )
                elif best >= req.quantity / 2:
                    bonus += BONUS_CAPACITY / 2
                    reasons.append(
                        Reason(
                            "capacity",
                            f"capacity {best:g} covers half of {req.quantity:g}",
                            BONUS_CAPACITY / 2,
                            {"capacity": best, "quantity": req.quantity},
                        )
                    )
                else:
                    reasons.append(
                        Reason(
                            "capacity_short",
                            f"capacity {best:g} below {req.quantity:g}",
                            0.0,
                            {"capacity": best, "quantity": req.quantity},
                        )
                    )
        lat = float(self.lat[doc])
        if point is not None and not math.isnan(lat):
            km = haversine_km(point[0], point[1], lat, float(self.lon[doc]))
            b = BONUS_DISTANCE * max(0.0, 1.0 - km / 6000.0)
            bonus += b
            reasons.append(Reason("distance", f"{km:,.0f} km from the buyer", b, {"km": round(km)}))
        country = self.country_codes[self.country[doc]]
        if (
            req.buyer_country
            and country != req.buyer_country
            and country in MEMBER_STATES
            and req.buyer_country in MEMBER_STATES
        ):
            bonus += BONUS_CROSS_BORDER
            reasons.append(
                Reason(
                    "cross_border",
                    f"cross-border cooperation {req.buyer_country}–{country} inside the EAEU",
                    BONUS_CROSS_BORDER,
                    {"buyer_country": req.buyer_country, "country": country},
                )
            )
        if buyer_doc is not None and doc in buyer_partners:
            bonus += BONUS_COOPERATION
            reasons.append(
                Reason(
                    "cooperation",
                    f"already cooperates with {self.names[buyer_doc]}",
                    BONUS_COOPERATION,
                    {"partner": self.ids[buyer_doc], "partner_name": self.names[buyer_doc]},
                )
            )
        elif req.buyer_country:
            abroad = [self.country_codes[c] for c in self.footprint.get(doc).tolist()]
            if req.buyer_country in abroad and country != req.buyer_country:
                bonus += BONUS_COOPERATION / 2
                reasons.append(
                    Reason(
                        "cooperation",
                        f"already present in {req.buyer_country}",
                        BONUS_COOPERATION / 2,
                        {"footprint": abroad, "present_in": req.buyer_country},
                    )
                )
        return bonus

    def _capacities(self, q: _Query, doc: int, unit: str) -> list[float]:
        lines = self.lines.get(doc).tolist()
        wanted = {self.code_ids.get(("h=" if s == "hs" else "n=") + c) for s, c, _ in q.req_codes}
        related: list[float] = []
        every: list[float] = []
        for line in lines:
            cap = float(self.line_capacity[line])
            if math.isnan(cap) or (unit and self.line_unit[line] and self.line_unit[line].lower() != unit.lower()):
                continue
            every.append(cap)
            if wanted & set(self.line_codes.get(line).tolist()):
                related.append(cap)
        return related or every

    # ------------------------------------------------------------------ saved searches
    def new_fits(
        self, searches: Sequence[tuple[Any, MatchRequest, float]], new_ids: Sequence[str]
    ) -> list[tuple[Any, Match]]:
        """For saved searches (key, request, minimum score) the newly added organisations that fit."""
        docs = [self.doc_of[i] for i in new_ids if i in self.doc_of]
        out: list[tuple[Any, Match]] = []
        for key, req, threshold in searches:
            for m in self.score_docs(replace(req, limit=MAX_LIMIT), docs, threshold):
                out.append((key, m))
        return out

    def fits_for(
        self, org_id: str, requests: Sequence[tuple[Any, MatchRequest]], min_score: float = 0.1
    ) -> list[tuple[Any, Match]]:
        """The reverse search: which requests (key, request) this organisation answers, best first."""
        doc = self.doc_of.get(org_id)
        if doc is None:
            return []
        out: list[tuple[Any, Match]] = []
        for key, req in requests:
            if req.buyer_id == org_id:
                continue
            try:
                found = self.score_docs(req, [doc], min_score)
            except MatchRequestError:
                continue
            out.extend((key, m) for m in found)
        out.sort(key=lambda item: -item[1].score)
        return out


def _shared(values: list[str]) -> list[str]:
    """The same list with one string object per distinct value (a region or a unit repeats a million times)."""
    seen: dict[str, str] = {}
    return [seen.setdefault(v, v) for v in values]


_SCRATCH = threading.local()


def _scratch(n: int) -> tuple[F32, F32]:
    """Two all-zero float32 arrays of length n for this thread (whoever uses them leaves them zero)."""
    buffers: tuple[F32, F32] | None = getattr(_SCRATCH, "buffers", None)
    if buffers is None or len(buffers[0]) != n:
        buffers = (np.zeros(n, np.float32), np.zeros(n, np.float32))
        _SCRATCH.buffers = buffers
    return buffers


SNAPSHOT_FORMAT = 1


@lru_cache(maxsize=1)
def snapshot_fingerprint() -> str:
    """What a snapshot must have been written with: this format and the same glossary file."""
    digest = hashlib.sha256(GLOSSARY_DATA.read_bytes()).hexdigest()[:16]
    return f"{SNAPSHOT_FORMAT}:{digest}"


def _top_positions(values: F32, take: int) -> I64:
    """Positions of (about) the `take` largest positive values, fast even when many values are equal.

    Thresholds at falling fractions of the maximum find the band holding the take-th value (one pass
    over all values, then comparisons inside the widest band; no sort); only that band is partitioned,
    with a tie-breaker."""
    if len(values) == 0:
        return np.zeros(0, np.int64)
    top = float(values.max())
    if top <= 0:
        return np.zeros(0, np.int64)
    # the lowest probe's band holds every higher probe's: one pass over all values, the rest over the band
    band_at = np.flatnonzero(values >= np.float32(top * 0.15))
    if len(band_at) >= take:
        band_values = values[band_at]
        chosen = band_at
        for fraction in (0.9, 0.75, 0.6, 0.45, 0.3):
            probe = band_values >= np.float32(top * fraction)
            if int(np.count_nonzero(probe)) >= take:
                chosen = band_at[probe]
                break
    else:
        chosen = np.flatnonzero(values > 0)
    if len(chosen) <= take:
        return chosen.astype(np.int64)
    band = values[chosen].astype(np.float64) + np.arange(len(chosen), dtype=np.float64) * 1e-12
    return chosen[np.argpartition(band, -take)[-take:]].astype(np.int64)


def _locate(post: I32, docs: I32) -> tuple[I64, npt.NDArray[np.bool_]]:
    """Positions in a sorted postings list of sorted docs, and which of the docs are there."""
    if len(post) == 0:
        return np.zeros(len(docs), np.int64), np.zeros(len(docs), bool)
    pos = np.searchsorted(post, docs).astype(np.int64)
    np.minimum(pos, len(post) - 1, out=pos)
    return pos, post[pos] == docs
