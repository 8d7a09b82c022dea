"""A persistent hybrid sentence index: dense embeddings plus BM25, fused by reciprocal rank.

Layout of an index directory (one *generation* is live at a time)::

    manifest.json              names the live generation's files, the embedding model, counts
    articles.000007.jsonl      one line per article: {"checksum": ..., "article": Article.to_dict()}
    embeddings.000007.npy      float32 (sentences, dim), L2-normalised; rows follow the articles
                               in file order, each article's sentences in order
    lexical.000007.npz         BM25 weights, a sparse (terms x sentences) matrix plus its terms

    manifest.000007.json       a copy of the manifest of generation 7, for ``repair``

An add writes a complete new generation under new names, then swaps ``manifest.json`` with
``os.replace``: a crash at any point leaves the previous generation readable. A large add
commits a generation every few thousand sentences, so an interrupted one keeps what was
done and a rerun continues from there (committed articles are unchanged, so skipped). The
manifest holds each data file's SHA-256; the previous generation is kept beside the live
one, so ``repair`` can fall back to it when the live one is damaged; older ones are removed
after the swap. Stored embeddings are copied, never re-encoded; only new or changed
articles' sentences go through the encoder. The lexical part is rebuilt from the stored
sentence texts on each commit (cheap next to encoding).
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import numpy as np

from .corpus import distinct_id, text_checksum, title_keyed
from .errors import AssistantError
from .fileio import write_text_atomic
from .models import DEFAULT_EMBEDDING_MODEL, load_encoder
from .types import Article, Sentence

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
ENCODE_BATCH_SIZE = 32  # sentence-transformers' default; larger batches do not help on CPU
_ENCODE_CHUNK = 1024  # sentences per progress-bar step
_FEW_TEXTS = 8  # up to this many texts (queries) are encoded on a single thread
_RRF_K = 60  # the usual reciprocal-rank-fusion constant
MAX_K = 1000  # hits per search: beyond, ranking the whole index costs seconds and gigabytes
# a commit every this many new sentences at least, or a fifth of the stored ones when that
# is more: each commit rewrites the whole index, so the gaps grow with it and the cost stays
# linear, while an interrupted ingest keeps all but the last gap
COMMIT_SENTENCES = 4096
_DATA_FILES = {"articles": "jsonl", "embeddings": "npy", "lexical": "npz"}
_GENERATION_FILE = re.compile(r"^(?:(articles|embeddings|lexical)\.(\d{6})\.(jsonl|npy|npz)"
                              r"|manifest\.(\d{6})\.json)$")


@dataclass
class Hit:
    """A retrieved sentence. ``score`` is the fused (reciprocal-rank) score; ``dense_score``
    the cosine similarity; ``lexical_score`` the BM25 score (None when the query has no
    indexable word)."""

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


# --------------------------------------------------------------------------- lexical

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
    """Okapi BM25 over sentences, stored as precomputed per-term weights so that scoring a
    query is a sum of a few sparse rows."""

    K1 = 1.5
    B = 0.75

    def __init__(self, terms: list[str], weights: Any) -> None:
        self.vocabulary = {t: i for i, t in enumerate(terms)}
        self.terms = terms
        self.weights = weights  # scipy.sparse.csr_matrix (terms x sentences), float32

    @classmethod
    def build(cls, texts: Sequence[str]) -> "Lexical":
        from scipy.sparse import csr_matrix

        vocabulary: dict[str, int] = {}
        term_ids: list[int] = []
        doc_lengths = np.zeros(len(texts), dtype=np.float32)
        for doc, text in enumerate(texts):
            terms = tokenize(text)
            doc_lengths[doc] = len(terms)
            term_ids.extend(vocabulary.setdefault(t, len(vocabulary)) for t in terms)
        doc_ids = np.repeat(np.arange(len(texts), dtype=np.int32), doc_lengths.astype(np.int64))
        counts = csr_matrix((np.ones(len(term_ids), dtype=np.float32), (np.asarray(term_ids, dtype=np.int64), doc_ids)),
                            shape=(len(vocabulary), len(texts)))
        counts.sum_duplicates()
        df = np.diff(counts.indptr)
        idf = np.log1p((len(texts) - df + 0.5) / (df + 0.5)).astype(np.float32)
        tf = counts.data
        norm = cls.K1 * (1 - cls.B + cls.B * doc_lengths[counts.indices] / max(float(doc_lengths.mean()), 1.0))
        counts.data = (np.repeat(idf, df) * tf * (cls.K1 + 1) / (tf + norm)).astype(np.float32)
        return cls(list(vocabulary), counts)

    def scores(self, query: str, size: int) -> np.ndarray | None:
        """BM25 score of every sentence (zeros where no term matches), or None when the
        query has no indexable word."""
        terms = tokenize(query)
        if not terms:
            return None
        ids = sorted({self.vocabulary[t] for t in terms if t in self.vocabulary})
        if not ids:
            return np.zeros(size, dtype=np.float32)
        rows = self.weights[ids]
        return np.bincount(rows.indices, weights=rows.data, minlength=size).astype(np.float32)

    def save(self, path: Path) -> None:
        with open(path, "wb") as f:
            np.savez(f, terms=np.frombuffer("\n".join(self.terms).encode("utf-8"), dtype=np.uint8),
                     indptr=self.weights.indptr, indices=self.weights.indices, data=self.weights.data,
                     shape=np.asarray(self.weights.shape, dtype=np.int64))
            _fsync(f)

    @classmethod
    def load(cls, path: Path) -> "Lexical":
        from scipy.sparse import csr_matrix

        with np.load(path) as z:
            blob = z["terms"].tobytes().decode("utf-8")
            terms = blob.split("\n") if blob else []
            weights = csr_matrix((z["data"], z["indices"], z["indptr"]), shape=tuple(z["shape"]))
        return cls(terms, weights)


# --------------------------------------------------------------------------- dates

_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def iso_date(value: str) -> str:
    """``YYYY-MM-DD`` for the common ways a publication date is written, else ""."""
    value = (value or "").strip()
    if not value:
        return ""
    with contextlib.suppress(ValueError):
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    with contextlib.suppress(TypeError, ValueError, IndexError):
        return parsedate_to_datetime(value).date().isoformat()
    for fmt in ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d", "%m/%d/%Y"):
        with contextlib.suppress(ValueError):
            return datetime.strptime(value, fmt).date().isoformat()
    found = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", value)
    if found:
        with contextlib.suppress(ValueError):
            return date(*map(int, found.groups())).isoformat()
    return ""


def _date_bound(value: str | None, name: str) -> str | None:
    """A date filter bound: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a prefix of ISO dates)."""
    if value is None or value == "":
        return None
    value = value.strip()
    if _PARTIAL_DATE.match(value):
        return value
    normalised = iso_date(value)
    if not normalised:
        raise AssistantError(f"{name}: {value!r} is not a date (use YYYY-MM-DD, YYYY-MM or YYYY)")
    return normalised


# --------------------------------------------------------------------------- the index

def canonical_model_name(name: str) -> str:
    """Short sentence-transformers names and their hub names are the same model."""
    if "/" not in name and not Path(name).exists():
        return f"sentence-transformers/{name}"
    return name


@dataclass
class _Generation:
    """One loaded, immutable generation of the index."""

    manifest: dict[str, Any]
    articles: list[Article]
    checksums: list[str]
    positions: dict[str, int]  # article id -> position in ``articles``
    starts: np.ndarray  # int64 (articles + 1): first embedding row of each article
    row_article: np.ndarray  # int32 (sentences,): the article position of each row
    embeddings: np.ndarray  # float32 (sentences, dim), memory-mapped
    lexical: Lexical
    sources: list[str]  # lower-cased, per article
    dates: list[str]  # ISO dates ("" when unknown), per article
    half: Any = None  # float16 copy of ``embeddings`` (a torch tensor) for scoring, made at first search

    @property
    def number(self) -> int:
        return int(self.manifest["generation"])

    def dense_scores(self, query_vector: np.ndarray) -> np.ndarray:
        """Approximate cosine of every row with the query (errors ~1e-4). Scoring streams the
        whole matrix through memory, so a half-size float16 copy makes it about twice as
        fast; exact float32 scores are computed for the returned hits."""
        import torch

        if self.half is None:
            self.half = torch.from_numpy(np.asarray(self.embeddings, dtype=np.float16))
        with _single_torch_thread():
            return (self.half @ torch.from_numpy(query_vector.astype(np.float16))).float().numpy()


class SentenceIndex:
    """Sentences of ingested articles, searchable by meaning and by words.

    Nothing is read until first used; the model is loaded only to encode. A change of the
    index on disk (another process ingesting) is picked up on the next call.
    """

    def __init__(self, path: Path, model: str | None = None) -> None:
        self.path = Path(path)
        self._requested_model = canonical_model_name(model) if model else None
        self._generation: _Generation | None = None
        self._manifest_key: tuple[int, int, int] | None = None

    @staticmethod
    def exists(path: Path) -> bool:
        """Whether there is an index at ``path`` (a damaged one, without its manifest.json
        but with a generation's copy, counts: ``repair`` restores it)."""
        return (Path(path) / MANIFEST).exists() or any(Path(path).glob("manifest.*.json"))

    # ------------------------------------------------------------------ reading

    @property
    def model_name(self) -> str:
        manifest = self._read_manifest()
        if manifest is not None:
            return manifest["model"]
        return self._requested_model or DEFAULT_EMBEDDING_MODEL

    def __len__(self) -> int:
        manifest = self._read_manifest()
        return int(manifest["sentences"]) if manifest else 0

    def stats(self) -> dict[str, Any]:
        """What the manifest says (cheap: nothing else is read): articles, sentences, model,
        generation and last update; zeros when there is no index yet."""
        manifest = self._read_manifest() or {}
        return {"articles": int(manifest.get("articles", 0)), "sentences": int(manifest.get("sentences", 0)),
                "model": self.model_name, "generation": int(manifest.get("generation", 0)),
                "updated": manifest.get("updated")}

    def articles(self) -> list[Article]:
        generation = self._current()
        return list(generation.articles) if generation else []

    def article(self, article_id: str) -> Article | None:
        generation = self._current()
        if generation is None or article_id not in generation.positions:
            return None
        return generation.articles[generation.positions[article_id]]

    def sentence_embeddings(self, article_id: str) -> np.ndarray:
        generation = self._current()
        if generation is None or article_id not in generation.positions:
            raise KeyError(article_id)
        position = generation.positions[article_id]
        return np.asarray(generation.embeddings[generation.starts[position]:generation.starts[position + 1]])

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embeddings of ``texts`` with the index's model: float32, L2-normalised."""
        model = load_encoder(self.model_name)
        if not texts:
            return np.zeros((0, model.get_embedding_dimension()), dtype=np.float32)
        with _single_torch_thread() if len(texts) <= _FEW_TEXTS else contextlib.nullcontext():
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
        generation = self._current()
        if generation is None or not len(generation.row_article):
            raise AssistantError(f"the index at {self.path} is empty: run `assistant ingest PATH... "
                                 f"--index {self.path}` first")
        allowed = self._allowed_rows(generation, article_ids, sources,
                                     _date_bound(date_from, "--from"), _date_bound(date_to, "--to"))
        if allowed is not None and not allowed.any():
            return []
        query_vector = self.encode([query])[0]
        if query_vector.shape[0] != generation.embeddings.shape[1]:
            raise self._damaged(f"its embeddings are {generation.embeddings.shape[1]} wide, but "
                                f"{self.model_name} gives {query_vector.shape[0]}")
        size = len(generation.row_article)
        dense = generation.dense_scores(query_vector)
        lexical = generation.lexical.scores(query, size)
        depth = min(size, max(50, 3 * k))
        fused: dict[int, float] = {}
        for ranking in (self._top(dense, allowed, depth, positive_only=False),
                        self._top(lexical, allowed, depth, positive_only=True) if lexical is not None else []):
            for rank, row in enumerate(ranking, start=1):
                fused[row] = fused.get(row, 0.0) + 1.0 / (_RRF_K + rank)
        best = sorted(fused, key=lambda row: (-fused[row], -dense[row]))[:k]
        return [self._hit(generation, row, fused[row], float(generation.embeddings[row] @ query_vector),
                          None if lexical is None else float(lexical[row])) for row in best]

    @staticmethod
    def _top(scores: np.ndarray, allowed: np.ndarray | None, depth: int, positive_only: bool) -> list[int]:
        """Rows of the ``depth`` highest scores, best first, among the allowed rows."""
        mask = scores > 0 if positive_only else None
        if allowed is not None:
            mask = allowed if mask is None else mask & allowed
        rows = None if mask is None else np.flatnonzero(mask)
        values = scores if rows is None else scores[rows]
        top = np.argpartition(-values, depth - 1)[:depth] if depth < len(values) else np.arange(len(values))
        top = top[np.argsort(-values[top], kind="stable")]
        return (top if rows is None else rows[top]).tolist()

    @staticmethod
    def _allowed_rows(generation: _Generation, article_ids: Iterable[str] | str | None,
                      sources: Iterable[str] | str | None, date_from: str | None,
                      date_to: str | None) -> np.ndarray | None:
        if article_ids is None and sources is None and date_from is None and date_to is None:
            return None
        ok = np.ones(len(generation.articles), dtype=bool)
        if article_ids is not None:
            wanted = {article_ids} if isinstance(article_ids, str) else set(article_ids)
            ok &= np.fromiter((a.id in wanted for a in generation.articles), bool, len(ok))
        if sources is not None:
            wanted = {s.strip().lower() for s in ([sources] if isinstance(sources, str) else sources)}
            ok &= np.fromiter((s in wanted for s in generation.sources), bool, len(ok))
        if date_from is not None:
            ok &= np.fromiter((bool(d) and d[:len(date_from)] >= date_from for d in generation.dates), bool, len(ok))
        if date_to is not None:
            ok &= np.fromiter((bool(d) and d[:len(date_to)] <= date_to for d in generation.dates), bool, len(ok))
        return ok[generation.row_article]

    @staticmethod
    def _hit(generation: _Generation, row: int, score: float, dense: float, lexical: float | None) -> Hit:
        position = int(generation.row_article[row])
        article = generation.articles[position]
        return Hit(article_id=article.id, article_title=article.title,
                   sentence=article.sentences[row - int(generation.starts[position])],
                   score=score, dense_score=dense, lexical_score=lexical, source=article.source,
                   published=article.published, url=article.url)

    # ------------------------------------------------------------------ loading

    def _read_manifest(self) -> dict[str, Any] | None:
        generation = self._current(load=False)
        return generation.manifest if isinstance(generation, _Generation) else generation

    def _damaged(self, problem: str) -> AssistantError:
        return AssistantError(f"index {self.path} is damaged: {problem}; run `assistant index repair "
                              f"--index {self.path}`, or re-ingest into a new --index")

    def _current(self, load: bool = True) -> Any:
        """The live generation (loaded when ``load``; else its manifest), None when there is
        no index. Reloads when manifest.json was replaced since the last call."""
        manifest_path = self.path / MANIFEST
        for _attempt in range(3):
            key = self._manifest_key_now()
            if key is None:
                self._generation, self._manifest_key = None, None
                if any(self.path.glob("manifest.*.json")):  # generations without a live manifest
                    raise self._damaged(f"{MANIFEST} is missing")
                return None
            if self._generation is not None and key == self._manifest_key:
                return self._generation
            try:
                manifest = self._load_manifest(manifest_path)
            except FileNotFoundError:
                continue
            if not load:
                return manifest
            try:
                self._generation, self._manifest_key = self._load_generation(manifest), key
                return self._generation
            except FileNotFoundError as exc:
                if self._manifest_key_now() != key:
                    continue  # a concurrent ingest swapped generations while we read; read again
                raise self._damaged(f"{Path(exc.filename or '?').name} is missing") from exc
            except _Damaged as exc:
                raise self._damaged(str(exc)) from exc
        raise AssistantError(f"index {self.path} keeps changing while being read; try again")

    def _manifest_key_now(self) -> tuple[int, int, int] | None:
        try:
            stat = (self.path / MANIFEST).stat()
        except (FileNotFoundError, NotADirectoryError):
            return None
        return stat.st_ino, stat.st_mtime_ns, stat.st_size

    def _load_manifest(self, manifest_path: Path) -> dict[str, Any]:
        try:
            manifest = read_manifest(manifest_path)
        except _Damaged as exc:
            raise self._damaged(str(exc)) from exc
        if manifest["format"] > FORMAT_VERSION:
            raise AssistantError(f"index {self.path} was written by a newer version of the assistant "
                                 f"(format {manifest['format']}); upgrade, or use another --index")
        if self._requested_model and self._requested_model != manifest["model"]:
            raise AssistantError(
                f"index {self.path} was built with embedding model {manifest['model']!r}, not "
                f"{self._requested_model!r}: use --model {manifest['model']} or another --index")
        return manifest

    def _load_generation(self, manifest: dict[str, Any]) -> _Generation:
        """Every file of the generation, checked against the manifest and each other;
        ``_Damaged`` names the first file that is not what it should be."""
        files = manifest["files"]
        articles, checksums = [], []
        with _reading(files["articles"]), open(self.path / files["articles"], encoding="utf-8") as f:
            for number, line in enumerate(f, start=1):
                try:
                    checksum, article = _article_record(json.loads(line))
                except (ValueError, KeyError, TypeError) as exc:
                    raise _Damaged(f"{files['articles']}: line {number}: {exc}") from exc
                checksums.append(checksum)
                articles.append(article)
        with _reading(files["embeddings"]):
            embeddings = np.load(self.path / files["embeddings"], mmap_mode="r").view(np.ndarray)
        if embeddings.ndim != 2 or embeddings.dtype != np.float32 or embeddings.shape[1] != manifest["dim"]:
            raise _Damaged(f"{files['embeddings']}: {embeddings.dtype} {embeddings.shape}, not float32 rows of "
                           f"{manifest['dim']} (the manifest's width)")
        with _reading(files["lexical"]):
            lexical = Lexical.load(self.path / files["lexical"])
        counts = np.fromiter((len(a.sentences) for a in articles), np.int64, len(articles))
        starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        if not embeddings.shape[0] == lexical.weights.shape[1] == starts[-1] == manifest["sentences"]:
            raise _Damaged(f"{starts[-1]} sentences in {files['articles']}, {embeddings.shape[0]} in "
                           f"{files['embeddings']}, {lexical.weights.shape[1]} in {files['lexical']}, "
                           f"{manifest['sentences']} in {MANIFEST}")
        return _Generation(
            manifest=manifest, articles=articles, checksums=checksums,
            positions={a.id: i for i, a in enumerate(articles)}, starts=starts,
            row_article=np.repeat(np.arange(len(articles), dtype=np.int32), counts),
            embeddings=embeddings, lexical=lexical,
            sources=[a.source.strip().lower() for a in articles],
            dates=[iso_date(a.published) for a in articles])

    # ------------------------------------------------------------------ checking and repair

    def check(self) -> dict[str, Any]:
        """Verify the live generation: the manifest, every data file's SHA-256 against it,
        and the files' contents. Returns the manifest; raises ``AssistantError`` naming the
        first damaged file."""
        self._require_index()
        manifest, problem = self._inspect(self.path / MANIFEST)
        if problem is not None:
            raise self._damaged(problem)
        return manifest

    def repair(self) -> tuple[dict[str, Any], str | None]:
        """Make the newest generation that passes ``check`` the live one. Returns its
        manifest and what was wrong with the live one (None when nothing was)."""
        self._require_index()
        with self._write_lock():
            manifest, problem = self._inspect(self.path / MANIFEST)
            if problem is None:
                return manifest, None
            for copy in sorted(self.path.glob("manifest.*.json"), reverse=True):
                earlier, trouble = self._inspect(copy) if _GENERATION_FILE.match(copy.name) else (None, "")
                if trouble is None:
                    _commit_manifest(self.path, earlier)
                    self._remove_stale_files(earlier)
                    return earlier, problem
        raise AssistantError(f"index {self.path} is damaged ({problem}) and no earlier generation is "
                             f"intact; re-ingest into a new --index")

    def _require_index(self) -> None:
        if not self.path.is_dir() or not any(self.path.glob("manifest*.json")):
            raise AssistantError(f"no index at {self.path}")

    def _inspect(self, manifest_path: Path) -> tuple[dict[str, Any] | None, str | None]:
        """The manifest at ``manifest_path``, or the first problem with it or with the files
        of its generation (checksums, then contents)."""
        try:
            manifest = read_manifest(manifest_path)
            for name in manifest["files"].values():
                with _reading(name):
                    digest = _sha256(self.path / name)
                if manifest["checksums"].get(name, digest) != digest:
                    raise _Damaged(f"{name}: checksum mismatch (the file changed after it was written)")
            self._load_generation(manifest)
        except _Damaged as exc:
            return None, str(exc)
        except FileNotFoundError as exc:
            return None, f"{Path(exc.filename or '?').name} is missing"
        return manifest, None

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
        with self._write_lock():
            generation = self._current()
            latest: dict[str, tuple[Article, str]] = {}
            for article in articles:
                article = self._kept_apart(generation, latest, article)
                latest[article.id] = (article, text_checksum(article))
            added = updated = 0
            skipped = len(articles) - len(latest)  # superseded repeats within this batch
            changed: list[tuple[Article, str]] = []
            for article_id, (article, checksum) in latest.items():
                position = generation.positions.get(article_id) if generation else None
                if position is None:
                    added += 1
                elif generation.checksums[position] == checksum:
                    skipped += 1
                    continue
                else:
                    updated += 1
                changed.append((article, checksum))
            total = sum(len(article.sentences) for article, _ in changed)
            if changed:
                load_encoder(self.model_name)  # before the bar starts, so its rate is the encoder's
            with tqdm(total=total, desc="encoding", unit="sent", disable=not progress or not total,
                      leave=False) as bar:
                for chunk in self._commit_chunks(changed, len(generation.row_article) if generation else 0):
                    texts = [s.text for article, _ in chunk for s in article.sentences]
                    vectors = self._encode_many(texts, bar)
                    try:
                        self._write_generation(generation, chunk, vectors)
                    except OSError as exc:
                        raise AssistantError(f"cannot write the index at {self.path} ({exc.strerror or exc}); "
                                             f"what was committed before is kept") from exc
                    generation = self._current()
            return IngestReport(added, updated, skipped, total)

    @staticmethod
    def _kept_apart(generation: _Generation | None, batch: dict[str, tuple[Article, str]], article: Article) -> Article:
        """An article whose id comes from its title alone (no outlet, id or URL given) keeps
        apart from another text under the same title, earlier in the batch or stored from
        another file: the same title is not the same article unless the text is the same.
        The same file read again with an edited text is the same article, updated (and so is
        an article of no known origin, built in code)."""
        if not title_keyed(article):
            return article
        if article.id in batch:
            earlier, edited = batch[article.id][0], False
        elif generation is not None and article.id in generation.positions:
            earlier = generation.articles[generation.positions[article.id]]
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

    def _write_generation(self, old: _Generation | None, changed: list[tuple[Article, str]],
                          vectors: np.ndarray) -> None:
        number = (old.number if old else 0) + 1
        files = {kind: f"{kind}.{number:06d}.{suffix}" for kind, suffix in _DATA_FILES.items()}
        replaced = {article.id for article, _ in changed}
        kept = [i for i, a in enumerate(old.articles) if a.id not in replaced] if old else []
        records = [(old.articles[i], old.checksums[i]) for i in kept] + changed if old else changed
        copy = self.path / f"manifest.{number:06d}.json"
        try:
            with open(self.path / files["articles"], "w", encoding="utf-8") as f:
                for article, checksum in records:
                    f.write(json.dumps({"checksum": checksum, "article": article.to_dict()}, ensure_ascii=False))
                    f.write("\n")
                _fsync(f)
            rows = self._write_embeddings(self.path / files["embeddings"], old, kept, vectors)
            Lexical.build([s.text for article, _ in records for s in article.sentences]).save(
                self.path / files["lexical"])
            manifest = {"format": FORMAT_VERSION, "model": self.model_name, "dim": int(vectors.shape[1]),
                        "generation": number, "articles": len(records), "sentences": rows, "files": files,
                        "checksums": {name: _sha256(self.path / name) for name in files.values()},
                        "updated": datetime.now().astimezone().isoformat(timespec="seconds")}
            write_text_atomic(copy, json.dumps(manifest, indent=2))
            _commit_manifest(self.path, manifest)
        except BaseException:
            for name in [*files.values(), copy.name]:  # the live generation is untouched; drop the partial one
                with contextlib.suppress(OSError):
                    (self.path / name).unlink()
            raise
        self._remove_stale_files(manifest)

    @staticmethod
    def _write_embeddings(path: Path, old: _Generation | None, kept: list[int], vectors: np.ndarray) -> int:
        """Kept articles' stored rows (copied in contiguous blocks, never re-encoded), then
        the new rows; returns the number of rows."""
        kept_rows = sum(int(old.starts[i + 1] - old.starts[i]) for i in kept) if old else 0
        out = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32,
                                        shape=(kept_rows + len(vectors), vectors.shape[1]))
        row = 0
        for first, last in _runs(kept):
            begin, end = int(old.starts[first]), int(old.starts[last + 1])
            out[row:row + end - begin] = old.embeddings[begin:end]
            row += end - begin
        out[row:] = vectors
        out.flush()
        del out
        with open(path, "rb+") as f:
            _fsync(f)
        return kept_rows + len(vectors)

    def _remove_stale_files(self, live: dict[str, Any]) -> None:
        """Files of generations other than the live one and the one before it (kept for
        ``repair``)."""
        keep = {live["generation"], live["generation"] - 1}
        for child in self.path.iterdir():
            found = _GENERATION_FILE.match(child.name)
            if found and int(found.group(2) or found.group(4)) not in keep:
                with contextlib.suppress(OSError):
                    child.unlink()

    @contextlib.contextmanager
    def _write_lock(self) -> Iterator[None]:
        """One writer at a time (another ``assistant ingest`` waits); readers never block."""
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise AssistantError(f"cannot create the index directory {self.path} ({exc.strerror or exc})") from exc
        try:
            lock = open(self.path / ".lock", "a")  # noqa: SIM115 - held for the whole block
        except OSError as exc:
            raise AssistantError(f"cannot write the index at {self.path} ({exc.strerror or exc}); "
                                 f"it is unchanged") from exc
        with lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


class _Damaged(Exception):
    """A file of the index is not what the manifest says; the message names it."""


@contextlib.contextmanager
def _reading(name: str) -> Iterator[None]:
    """Turn what a damaged file makes numpy, zipfile or json raise into ``_Damaged``
    naming the file; a missing file stays ``FileNotFoundError`` (a concurrent swap)."""
    try:
        yield
    except FileNotFoundError:
        raise
    except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile) as exc:
        detail = f": {str(exc).splitlines()[0]}" if str(exc).strip() else ""
        raise _Damaged(f"{name}: {type(exc).__name__}{detail}") from exc


def read_manifest(path: Path) -> dict[str, Any]:
    """A manifest (``manifest.json`` or a generation's copy), every field checked: data
    file names must be this generation's own, inside the index folder."""
    with _reading(path.name):
        manifest = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(manifest, dict):
        raise _Damaged(f"{path.name}: not a JSON object")
    manifest.setdefault("format", 0)
    manifest.setdefault("checksums", {})  # written before checksums were kept
    expected = {"format": int, "model": str, "dim": int, "generation": int, "articles": int, "sentences": int,
                "files": dict, "checksums": dict}
    for field, kind in expected.items():
        if not isinstance(manifest.get(field), kind) or isinstance(manifest.get(field), bool):
            raise _Damaged(f"{path.name}: {field!r} is missing or not {kind.__name__}")
    number = manifest["generation"]
    wanted = {kind: f"{kind}.{number:06d}.{suffix}" for kind, suffix in _DATA_FILES.items()}
    if manifest["files"] != wanted:
        raise _Damaged(f"{path.name}: 'files' should be {wanted}")
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in manifest["checksums"].items()):
        raise _Damaged(f"{path.name}: 'checksums' should map file names to SHA-256 digests")
    return manifest


def _article_record(record: Any) -> tuple[str, Article]:
    """(checksum, article) of a line of the articles file, its offsets checked."""
    if not isinstance(record, dict) or not isinstance(record.get("checksum"), str):
        raise ValueError("not a {checksum, article} record")
    data = record["article"]
    if not isinstance(data, dict) or not all(isinstance(data.get(name), str) for name in ("id", "text")):
        raise ValueError("the article has no string id and text")
    for name, kind in (("title", str), ("source", str), ("url", str), ("published", str), ("origin", str),
                       ("body_start", int), ("captions", list), ("sentences", list)):
        if name in data and not isinstance(data[name], kind):
            raise ValueError(f"article {data['id']}: {name!r} is not {kind.__name__}")
    if not all(isinstance(caption, str) for caption in data.get("captions", [])):
        raise ValueError(f"article {data['id']}: a caption is not a string")
    for entry in data.get("sentences", []):
        if not (isinstance(entry, list) and len(entry) == 3 and all(type(n) is int for n in entry)
                and 0 <= entry[0] <= entry[1] <= len(data["text"])):
            raise ValueError(f"article {data['id']}: sentence {entry!r} is not [start, end, paragraph] "
                             f"within its text")
    return record["checksum"], Article.from_dict(data)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextlib.contextmanager
def _single_torch_thread() -> Iterator[None]:
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


def _runs(positions: list[int]) -> Iterator[tuple[int, int]]:
    """Consecutive runs in sorted ``positions`` as (first, last) pairs."""
    start = previous = None
    for p in positions:
        if start is None:
            start = previous = p
        elif p == previous + 1:
            previous = p
        else:
            yield start, previous
            start = previous = p
    if start is not None:
        yield start, previous


def _fsync(f: Any) -> None:
    f.flush()
    os.fsync(f.fileno())


def _commit_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    """Make ``manifest`` the live one atomically (temp file, fsync, os.replace), readable
    like the data files."""
    write_text_atomic(folder / MANIFEST, json.dumps(manifest, indent=2))
