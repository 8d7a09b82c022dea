"""The lexical side of the embedded index: Okapi BM25 over sentences with the ``bm25s``
library.

bm25s precomputes each (term, sentence) weight into a sparse matrix, so scoring a query is
a sum of a few sparse rows. The matrix is stored as ``lexical.NNNNNN.npz`` (terms,
indptr, indices, data, shape: the layout written before bm25s was used, so older indexes
load unchanged; their weights differ from bm25s's by the constant factor ``k1 + 1``, which
no ranking sees).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

_WORD = re.compile(r"\w+")
_MAX_TERM_CHARS = 40  # longer "words" are URLs or junk; they would only bloat the vocabulary


def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_EN

    return frozenset(STOPWORDS_EN)


_STOPWORDS = _stopwords()


def tokenize(text: str) -> list[str]:
    """Lower-cased words without stopwords, with a light plural fold ("strikes" ~ "strike")."""
    terms = []
    for word in _WORD.findall(text.lower()):
        if word in _STOPWORDS or len(word) > _MAX_TERM_CHARS:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        terms.append(word)
    return terms


class Lexical:
    """BM25 (Lucene's variant, k1 = 1.5, b = 0.75) over the sentences of one generation."""

    K1 = 1.5
    B = 0.75

    def __init__(self, retriever: Any) -> None:
        self.retriever = retriever  # a bm25s.BM25 with its score matrix and vocabulary

    @classmethod
    def build(cls, texts: Sequence[str]) -> "Lexical":
        import bm25s

        retriever = bm25s.BM25(k1=cls.K1, b=cls.B, method="lucene", csc_backend="scipy")
        tokens = [tokenize(text) for text in texts]
        if any(tokens):
            retriever.index(tokens, create_empty_token=False, show_progress=False)
        else:  # bm25s needs one term at least
            retriever.scores = _matrix(np.zeros(0, np.float32), np.zeros(0, np.int32), np.zeros(1, np.int64),
                                       len(texts))
            retriever.vocab_dict = {}
        return cls(retriever)

    def count(self) -> int:
        """Sentences indexed."""
        return int(self.retriever.scores["num_docs"])

    def scores(self, query: str, size: int) -> np.ndarray | None:
        """BM25 score of every sentence (zeros where no term matches), or None when the
        query has no indexable word."""
        terms = tokenize(query)
        if not terms:
            return None
        ids = sorted(set(self.retriever.get_tokens_ids(terms)))
        if not ids:
            return np.zeros(size, dtype=np.float32)
        return self.retriever.get_scores_from_ids(ids).astype(np.float32, copy=False)

    def save(self, path: Path, fsync: Any) -> None:
        """Write the matrix to ``path``; ``fsync(file)`` runs before it is closed."""
        terms = sorted(self.retriever.vocab_dict, key=self.retriever.vocab_dict.get)
        matrix = self.retriever.scores
        with open(path, "wb") as f:
            np.savez(f, terms=np.frombuffer("\n".join(terms).encode("utf-8"), dtype=np.uint8),
                     indptr=matrix["indptr"], indices=matrix["indices"], data=matrix["data"],
                     shape=np.asarray([len(terms), matrix["num_docs"]], dtype=np.int64))
            fsync(f)

    @classmethod
    def load(cls, path: Path) -> "Lexical":
        import bm25s

        with np.load(path) as z:
            blob = z["terms"].tobytes().decode("utf-8")
            terms = blob.split("\n") if blob else []
            shape = tuple(int(n) for n in z["shape"])
            indptr = z["indptr"]
            if shape[0] != len(terms) or len(indptr) != len(terms) + 1:
                raise ValueError(f"{len(terms)} terms, {len(indptr) - 1} matrix rows, shape {shape}")
            matrix = _matrix(z["data"], z["indices"], indptr, shape[1])
        retriever = bm25s.BM25(k1=cls.K1, b=cls.B, method="lucene")
        retriever.scores = matrix
        retriever.vocab_dict = {term: i for i, term in enumerate(terms)}
        retriever.nonoccurrence_array = None
        return cls(retriever)


def _matrix(data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, documents: int) -> dict[str, Any]:
    """bm25s's score matrix: per term (indptr), the sentences (indices) and their weights."""
    if len(indices) != len(data) or (len(indices) and int(indices.max()) >= documents):
        raise ValueError("the BM25 matrix points outside its sentences")
    return {"data": np.asarray(data, dtype=np.float32), "indices": np.asarray(indices),
            "indptr": np.asarray(indptr), "num_docs": int(documents)}
