"""What a sentence store is: the protocols the embedded default (``embedded.py``) and
Milvus (``milvus.py``) both implement, and the choice between them.

A store keeps three things: article records (the articles with their checksums), a dense
store (one L2-normalised embedding per sentence) and a lexical store (BM25 over sentence
texts). ``SentenceIndex`` (``sentence_index.py``) owns the encoder and the ingest logic
and talks to a ``Store`` only through the ``Store`` protocol below.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

import numpy as np

from ..errors import AssistantError
from ..types import Article, Sentence

STORE_ENV = "ASSISTANT_STORE"


@dataclass(frozen=True)
class Filters:
    """Which articles a search or a listing may return; None means no restriction.
    ``sources`` are lower-cased; dates are ISO prefixes (``YYYY[-MM[-DD]]``), inclusive,
    and leave out articles without a date."""

    article_ids: frozenset[str] | None = None
    sources: frozenset[str] | None = None
    date_from: str | None = None
    date_to: str | None = None

    @classmethod
    def of(cls, article_ids: Iterable[str] | str | None = None, sources: Iterable[str] | str | None = None,
           date_from: str | None = None, date_to: str | None = None) -> "Filters":
        return cls(None if article_ids is None else frozenset([article_ids] if isinstance(article_ids, str)
                                                              else article_ids),
                   None if sources is None else frozenset(s.strip().lower() for s in (
                       [sources] if isinstance(sources, str) else sources)),
                   date_from, date_to)

    @property
    def empty(self) -> bool:
        return self.article_ids is None and self.sources is None and self.date_from is None and self.date_to is None

    def admits(self, source: str, iso_published: str) -> bool:
        """Whether an article with this outlet and (ISO) date passes the outlet and date
        filters."""
        if self.sources is not None and source.strip().lower() not in self.sources:
            return False
        if self.date_from is not None and not (iso_published and iso_published[:len(self.date_from)] >= self.date_from):
            return False
        return self.date_to is None or bool(iso_published) and iso_published[:len(self.date_to)] <= self.date_to


@dataclass
class StoredHit:
    """A sentence a store found: its article and sentence, the fused score, the cosine
    similarity and the BM25 score (None when the query has no indexable word, or when the
    store does not report it)."""

    article: Article
    sentence: Sentence
    score: float
    dense_score: float | None
    lexical_score: float | None


class ArticleRecords(Protocol):
    """The stored articles, each with the checksum of its content."""

    def count(self) -> int: ...
    def get(self, article_id: str) -> Article | None: ...
    def checksums_of(self, article_ids: Sequence[str]) -> dict[str, str]: ...  # of those stored
    def find(self, filters: Filters, title: str, offset: int, limit: int) -> tuple[list[Article], int]: ...


class DenseStore(Protocol):
    """One embedding per sentence; searched by inner product (cosine: rows are normalised)."""

    def count(self) -> int: ...
    def search(self, vector: np.ndarray, depth: int, allowed: Any) -> list[int]: ...
    def similarity(self, vector: np.ndarray, rows: Sequence[int]) -> np.ndarray: ...


class LexicalStore(Protocol):
    """BM25 over the sentence texts."""

    def count(self) -> int: ...
    def scores(self, query: str, size: int) -> np.ndarray | None: ...


class Store(Protocol):
    """A whole sentence store. Writes are atomic per call: ``commit`` adds (or replaces)
    whole articles with their sentences' vectors, ``delete`` removes articles; a failure
    in either leaves what was stored before searchable and consistent."""

    location: str  # for messages: a folder, a Milvus Lite file, a server address

    def exists(self) -> bool: ...
    def manifest(self) -> dict[str, Any] | None: ...  # model, dim, articles, sentences, generation, updated
    def loaded(self) -> bool: ...
    def articles(self) -> list[Article]: ...
    def records(self) -> ArticleRecords: ...
    def sentence_embeddings(self, article_id: str) -> np.ndarray: ...
    def search(self, query: str, vector: np.ndarray, k: int, filters: Filters, fusion: str) -> list[StoredHit]: ...
    def commit(self, model: str, records: list[tuple[Article, str]], vectors: np.ndarray) -> None: ...
    def delete(self, article_ids: Sequence[str], model: str) -> int: ...
    def write_lock(self) -> AbstractContextManager[None]: ...
    def check(self) -> dict[str, Any]: ...
    def repair(self) -> tuple[dict[str, Any], str | None]: ...


def store_spec(spec: str | None) -> str:
    """The store named by ``spec``, else by ``$ASSISTANT_STORE``, else "" (embedded)."""
    return (spec if spec is not None else os.environ.get(STORE_ENV, "")).strip()


def open_store(spec: str, path: Path) -> Store:
    """The store for ``spec``: "" or "embedded" for the files in ``path``;
    ``milvus:FILE.db`` for Milvus Lite; ``http(s)://HOST:PORT`` for a Milvus server."""
    if spec in ("", "embedded"):
        from .embedded import EmbeddedStore

        return EmbeddedStore(path)
    if spec.startswith(("milvus:", "http://", "https://")):
        from .milvus import MilvusStore

        return MilvusStore(spec)
    raise AssistantError(f"--store {spec!r}: use 'embedded', 'milvus:PATH.db' or 'http://HOST:19530'")



@contextlib.contextmanager
def exclusive(lock: IO[str]) -> Iterator[None]:
    """Hold an exclusive ``flock`` on the open file ``lock`` for the block (another writer
    waits), then close it."""
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
