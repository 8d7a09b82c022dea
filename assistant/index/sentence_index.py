"""``SentenceIndex``: the sentences of ingested articles, searchable by meaning and by
words, in a store chosen by ``--store`` / ``$ASSISTANT_STORE`` (embedded files by default,
or Milvus).

The index owns the encoder and the ingest rules (which articles are new, changed or
unchanged; commits in chunks); the store keeps the records, vectors and BM25 side and
runs the hybrid search. A large add commits every few thousand sentences, so an
interrupted one keeps what was done and a rerun continues from there (committed articles
are unchanged, so skipped). Only new or changed articles' sentences are encoded.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from ..corpus import distinct_id, text_checksum, title_keyed
from ..errors import AssistantError
from ..models import DEFAULT_EMBEDDING_MODEL, load_encoder
from ..types import Article, Sentence
from .dates import date_bound
from .fusion import DEFAULT_FUSION
from .store import Filters, Store, open_store, store_spec

ENCODE_BATCH_SIZE = 32  # sentence-transformers' default; larger batches do not help on CPU
_ENCODE_CHUNK = 1024  # sentences per progress-bar step
_FEW_TEXTS = 8  # up to this many texts (queries) are encoded on a single thread
MAX_K = 1000  # hits per search: beyond, ranking the whole index costs seconds and gigabytes
# a commit every this many new sentences at least, or a fifth of the stored ones when that
# is more: each embedded commit rewrites the whole index, so the gaps grow with it and the
# cost stays linear, while an interrupted ingest keeps all but the last gap
COMMIT_SENTENCES = 4096


@dataclass
class Hit:
    """A retrieved sentence. ``score`` is the fused (reciprocal-rank) score; ``dense_score``
    the cosine similarity; ``lexical_score`` the BM25 score (None when the query has no
    indexable word, or the store does not report it)."""

    article_id: str
    article_title: str
    sentence: Sentence
    score: float
    dense_score: float | None
    lexical_score: float | None
    source: str = ""     # the article's outlet, date and URL
    published: str = ""
    url: str = ""


@dataclass
class IngestReport:
    """Articles added / updated (changed text replaced) / skipped (unchanged), and the
    number of sentences encoded."""

    added: int
    updated: int
    skipped: int
    sentences: int


def canonical_model_name(name: str) -> str:
    """Short sentence-transformers names and their hub names are the same model."""
    if "/" not in name and not Path(name).exists():
        return f"sentence-transformers/{name}"
    return name


class SentenceIndex:
    """Sentences of ingested articles, searchable by meaning and by words.

    ``path`` is the embedded index folder; ``store`` (else ``$ASSISTANT_STORE``) chooses
    another store. Nothing is read until first used; the model is loaded only to encode.
    """

    def __init__(self, path: Path, model: str | None = None, store: str | None = None,
                 fusion: str = DEFAULT_FUSION) -> None:
        self.path = Path(path)
        self.store: Store = open_store(store_spec(store), self.path)
        self.fusion = fusion
        self._requested_model = canonical_model_name(model) if model else None

    @staticmethod
    def exists(path: Path, store: str | None = None) -> bool:
        """Whether there is an index at ``path`` (or in the chosen store)."""
        return open_store(store_spec(store), Path(path)).exists()

    # ------------------------------------------------------------------ reading

    def _manifest(self) -> dict[str, Any] | None:
        manifest = self.store.manifest()
        if manifest is not None and self._requested_model and self._requested_model != manifest["model"]:
            raise AssistantError(
                f"index {self.store.location} was built with embedding model {manifest['model']!r}, not "
                f"{self._requested_model!r}: use --model {manifest['model']} or another --index")
        return manifest

    @property
    def model_name(self) -> str:
        manifest = self._manifest()
        if manifest is not None:
            return manifest["model"]
        return self._requested_model or DEFAULT_EMBEDDING_MODEL

    def __len__(self) -> int:
        manifest = self._manifest()
        return int(manifest["sentences"]) if manifest else 0

    def stats(self) -> dict[str, Any]:
        """What the manifest says (cheap: nothing else is read): articles, sentences, model,
        generation and last update; zeros when there is no index yet."""
        manifest = self._manifest() or {}
        return {"articles": int(manifest.get("articles", 0)), "sentences": int(manifest.get("sentences", 0)),
                "model": self.model_name, "generation": int(manifest.get("generation", 0)),
                "updated": manifest.get("updated")}

    def articles(self) -> list[Article]:
        self._manifest()
        return self.store.articles()

    def article(self, article_id: str) -> Article | None:
        self._manifest()
        return self.store.records().get(article_id)

    def find_articles(self, title: str = "", offset: int = 0, limit: int = 20, *,
                      sources: Iterable[str] | str | None = None, date_from: str | None = None,
                      date_to: str | None = None) -> tuple[list[Article], int]:
        """A page of articles (newest first) whose title holds ``title``, and the number
        of matches: for listings too long to show whole."""
        self._manifest()
        filters = Filters.of(None, sources, date_bound(date_from, "--from"), date_bound(date_to, "--to"))
        return self.store.records().find(filters, title, max(0, offset), max(0, limit))

    def sentence_embeddings(self, article_id: str) -> np.ndarray:
        return self.store.sentence_embeddings(article_id)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embeddings of ``texts`` with the index's model: float32, L2-normalised."""
        model = load_encoder(self.model_name)
        if not texts:
            return np.zeros((0, model.get_embedding_dimension()), dtype=np.float32)
        with single_torch_thread() if len(texts) <= _FEW_TEXTS else contextlib.nullcontext():
            vectors = model.encode(list(texts), batch_size=ENCODE_BATCH_SIZE, convert_to_numpy=True,
                                   normalize_embeddings=True, show_progress_bar=False)
        return np.ascontiguousarray(vectors, dtype=np.float32)

    def search(self, query: str, k: int = 10, *, article_ids: Iterable[str] | str | None = None,
               sources: Iterable[str] | str | None = None, date_from: str | None = None,
               date_to: str | None = None) -> list[Hit]:
        """The ``k`` best sentences for ``query`` (at most ``MAX_K``): dense and BM25 rankings
        fused by reciprocal rank, restricted to the given articles / sources / date range
        (inclusive; dates are ``YYYY[-MM[-DD]]``, articles without a date are left out)."""
        k = min(k, MAX_K)
        if not query.strip():
            raise AssistantError("empty query")
        manifest = self._manifest()
        if manifest is None or not manifest["sentences"]:
            raise AssistantError(f"the index at {self.store.location} is empty: run `assistant ingest PATH... "
                                 f"--index {self.path}` first")
        self.store.loaded()  # a damaged index fails here, before the model is loaded
        filters = Filters.of(article_ids, sources, date_bound(date_from, "--from"), date_bound(date_to, "--to"))
        found = self.store.search(query, self.encode([query])[0], k, filters, self.fusion)
        return [Hit(article_id=h.article.id, article_title=h.article.title, sentence=h.sentence, score=h.score,
                    dense_score=h.dense_score, lexical_score=h.lexical_score, source=h.article.source,
                    published=h.article.published, url=h.article.url) for h in found]

    # ------------------------------------------------------------------ checking and repair

    def check(self) -> dict[str, Any]:
        """Verify the stored index; returns its manifest."""
        return self.store.check()

    def repair(self) -> tuple[dict[str, Any], str | None]:
        """Make the newest intact state live; returns its manifest and what was wrong."""
        return self.store.repair()

    # ------------------------------------------------------------------ writing

    def add(self, articles: Sequence[Article], progress: bool = False) -> IngestReport:
        """Add new articles, replace changed ones (same id, other content), skip unchanged
        ones. Only new and changed articles' sentences are encoded. Nothing is written when
        nothing changed. A large add is committed in chunks (``COMMIT_SENTENCES``): when it
        is interrupted, the chunks already committed stay, and adding the same articles
        again skips them."""
        from tqdm import tqdm

        if not articles:
            return IngestReport(0, 0, 0, 0)
        with self.store.write_lock():
            changed, (added, updated, skipped) = self.changes(articles)
            total = sum(len(article.sentences) for article, _ in changed)
            if changed:
                load_encoder(self.model_name)  # before the bar starts, so its rate is the encoder's
            with tqdm(total=total, desc="encoding", unit="sent", disable=not progress or not total,
                      leave=False) as bar:
                for chunk in self._commit_chunks(changed, len(self)):
                    vectors = self._encode_many([s.text for article, _ in chunk for s in article.sentences], bar)
                    self.store.commit(self.model_name, chunk, vectors)
            return IngestReport(added, updated, skipped, total)

    def add_encoded(self, records: list[tuple[Article, str]], vectors: np.ndarray) -> None:
        """Commit articles encoded elsewhere (a Ray shard): ``records`` from ``changes``,
        ``vectors`` their sentences' embeddings in order."""
        with self.store.write_lock():
            self._manifest()
            self.store.commit(self.model_name, records, vectors)

    def delete(self, article_ids: Sequence[str]) -> int:
        """Remove these articles (ids not stored are ignored); returns how many were."""
        with self.store.write_lock():
            return self.store.delete(list(article_ids), self.model_name)

    def changes(self, articles: Sequence[Article]) -> tuple[list[tuple[Article, str]], tuple[int, int, int]]:
        """The new and changed articles among ``articles`` with their checksums, and the
        counts (added, updated, skipped)."""
        records = self.store.records() if self._manifest() is not None else None
        latest: dict[str, tuple[Article, str]] = {}
        for article in articles:
            article = self._kept_apart(records, latest, article)
            latest[article.id] = (article, text_checksum(article))
        stored_checksums = records.checksums_of(list(latest)) if records is not None else {}
        added = updated = 0
        skipped = len(articles) - len(latest)  # superseded repeats within this batch
        changed: list[tuple[Article, str]] = []
        for article_id, (article, checksum) in latest.items():
            stored = stored_checksums.get(article_id)
            if stored is None:
                added += 1
            elif stored == checksum:
                skipped += 1
                continue
            else:
                updated += 1
            changed.append((article, checksum))
        return changed, (added, updated, skipped)

    @staticmethod
    def _kept_apart(records: Any, batch: dict[str, tuple[Article, str]], article: Article) -> Article:
        """An article whose id comes from its title alone (no outlet, id or URL given) keeps
        apart from another text under the same title, earlier in the batch or stored from
        another file: the same title is not the same article unless the text is the same.
        The same file read again with an edited text is the same article, updated (and so is
        an article of no known origin, built in code)."""
        if not title_keyed(article):
            return article
        if article.id in batch:
            earlier, edited = batch[article.id][0], False
        elif records is not None and (stored := records.get(article.id)) is not None:
            earlier = stored
            edited = not article.origin or earlier.origin == article.origin
        else:
            return article
        return article if edited or earlier.text == article.text else replace(article, id=distinct_id(article))

    @staticmethod
    def _commit_chunks(changed: list[tuple[Article, str]], stored: int) -> Iterator[list[tuple[Article, str]]]:
        """``changed`` in runs of whole articles, each of at least ``COMMIT_SENTENCES``
        sentences or a fifth of the index as it grows, whichever is more."""
        chunk: list[tuple[Article, str]] = []
        size = 0
        for item in changed:
            chunk.append(item)
            size += len(item[0].sentences)
            if size >= max(COMMIT_SENTENCES, stored // 5):
                yield chunk
                stored += size
                chunk, size = [], 0
        if chunk:
            yield chunk

    def _encode_many(self, texts: list[str], bar: Any) -> np.ndarray:
        """Encode in length-sorted chunks (little padding per batch), advancing ``bar``."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
        vectors: np.ndarray | None = None
        for begin in range(0, len(order), _ENCODE_CHUNK):
            chunk = order[begin:begin + _ENCODE_CHUNK]
            encoded = self.encode([texts[i] for i in chunk])
            if vectors is None:
                vectors = np.empty((len(texts), encoded.shape[1]), dtype=np.float32)
            vectors[chunk] = encoded
            bar.update(len(chunk))
        return vectors if vectors is not None else self.encode([])


@contextlib.contextmanager
def single_torch_thread() -> Iterator[None]:
    """Encode a query on one thread: a short input gains nothing from intra-op threads, and
    on a busy machine their spin-waiting made a query 10-30x slower (measured on 2 cores).
    The setting is process-wide; a concurrent batch encode merely runs on one thread for a
    moment."""
    import torch

    previous = torch.get_num_threads()
    if previous == 1:
        yield
        return
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(previous)
