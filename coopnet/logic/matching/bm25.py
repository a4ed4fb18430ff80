"""The bare full-text baseline: BM25 over the same texts, plain lower-case tokens, nothing else.

No stemming, no glossary, no codes, no filters — what a plain full-text search engine would answer.
It shares the compact postings layout of the engine so that the two are timed on equal terms.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

from .model import OrgRow
from .text import plain_tokens

K1 = 1.2
B = 0.75


class BM25Index:
    def __init__(self) -> None:
        self.n = 0
        self.vocab: dict[str, int] = {}
        self.indptr: npt.NDArray[np.int64] = np.zeros(1, np.int64)
        self.docs: npt.NDArray[np.int32] = np.zeros(0, np.int32)
        self.weights: npt.NDArray[np.float32] = np.zeros(0, np.float32)
        self.idf: npt.NDArray[np.float32] = np.zeros(0, np.float32)
        self.ids: list[str] = []

    @classmethod
    def build(cls, rows: Iterable[OrgRow]) -> BM25Index:
        self = cls()
        vocab = self.vocab
        keys: array[int] = array("i")
        docs: array[int] = array("i")
        cache: dict[str, list[int]] = {}
        doc = -1
        for doc, row in enumerate(rows):
            self.ids.append(row.id)
            texts = [row.name, row.name_en]
            for line in row.lines:
                texts.append(line.text_ru)
                texts.append(line.text_en)
            for text in texts:
                if not text:
                    continue
                ids = cache.get(text)
                if ids is None:
                    ids = []
                    for tok in plain_tokens(text):
                        tid = vocab.get(tok)
                        if tid is None:
                            tid = vocab[tok] = len(vocab)
                        ids.append(tid)
                    if len(cache) > 400_000:
                        cache.clear()
                    cache[text] = ids
                keys.extend(ids)
                docs.extend([doc] * len(ids))
        n = self.n = doc + 1
        cache.clear()
        k = np.frombuffer(keys, dtype=np.int32).astype(np.int64) if len(keys) else np.zeros(0, np.int64)
        d = np.frombuffer(docs, dtype=np.int32) if len(docs) else np.zeros(0, np.int32)
        doc_len = np.bincount(d, minlength=n).astype(np.float32)
        combined = k * max(n, 1) + d
        del k
        uniq, tf = np.unique(combined, return_counts=True)
        del combined
        term_of = uniq // max(n, 1)
        self.docs = (uniq % max(n, 1)).astype(np.int32)
        del uniq
        self.indptr = np.zeros(len(vocab) + 1, np.int64)
        np.cumsum(np.bincount(term_of, minlength=len(vocab)), out=self.indptr[1:])
        avg = float(doc_len.mean()) if n else 1.0
        tf32 = tf.astype(np.float32)
        norm = K1 * (1 - B + B * doc_len[self.docs] / max(avg, 1e-9))
        self.weights = (tf32 * (K1 + 1) / (tf32 + norm)).astype(np.float32)
        df = np.diff(self.indptr).astype(np.float64)
        self.idf = np.log(1.0 + (n - df + 0.5) / (df + 0.5)).astype(np.float32)
        return self

    def search(self, text: str, limit: int = 10) -> list[tuple[int, float]]:
        """(document number, score) of the best `limit` documents."""
        scores = np.zeros(self.n, np.float32)
        for tok in dict.fromkeys(plain_tokens(text)):
            tid = self.vocab.get(tok)
            if tid is None:
                continue
            lo, hi = self.indptr[tid], self.indptr[tid + 1]
            scores[self.docs[lo:hi]] += self.weights[lo:hi] * self.idf[tid]
        touched = np.flatnonzero(scores > 0)
        if len(touched) == 0:
            return []
        if len(touched) > limit:
            touched = touched[np.argpartition(scores[touched], -limit)[-limit:]]
        order = sorted(touched.tolist(), key=lambda i: (-float(scores[i]), i))
        return [(i, float(scores[i])) for i in order[:limit]]

    def memory_bytes(self) -> int:
        return int(self.indptr.nbytes + self.docs.nbytes + self.weights.nbytes + self.idf.nbytes)
