"""The sentence index: a ``SentenceIndex`` front over a store (embedded files by default,
or Milvus), with hybrid dense + BM25 retrieval fused by name (reciprocal rank)."""
from __future__ import annotations

from .dates import iso_date
from .lexical import Lexical, tokenize
from .sentence_index import MAX_K, Hit, IngestReport, SentenceIndex, canonical_model_name
from .store import STORE_ENV, Filters

__all__ = ["MAX_K", "STORE_ENV", "Filters", "Hit", "IngestReport", "Lexical", "SentenceIndex",
           "canonical_model_name", "iso_date", "tokenize"]
