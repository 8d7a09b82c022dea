"""The embedded store: one folder of files, read into (or memory-mapped by) one process.

Layout of an index directory (one *generation* is live at a time)::

    manifest.json              names the live generation's files, the embedding model, counts
    articles.000007.jsonl      one line per article: {"checksum": ..., "article": Article.to_dict()}
    embeddings.000007.npy      float32 (sentences, dim), L2-normalised; rows follow the articles
                               in file order, each article's sentences in order
    lexical.000007.npz         BM25 weights, a sparse (terms x sentences) matrix plus its terms

    manifest.000007.json       a copy of the manifest of generation 7, for ``repair``

A write (``commit``, ``delete``) creates a complete new generation under new names, then
swaps ``manifest.json`` with ``os.replace``: a crash at any point leaves the previous
generation readable. The manifest holds each data file's SHA-256; the previous generation
is kept beside the live one, so ``repair`` can fall back to it when the live one is
damaged; older ones are removed after the swap. Stored embeddings are copied, never
re-encoded. The lexical part is rebuilt from the stored sentence texts on each write
(cheap next to encoding).
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import AssistantError
from ..fileio import write_text_atomic
from ..types import Article
from .dates import iso_date
from .fusion import fusion
from .lexical import Lexical
from .store import Filters, StoredHit, exclusive

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
_DATA_FILES = {"articles": "jsonl", "embeddings": "npy", "lexical": "npz"}
_GENERATION_FILE = re.compile(r"^(?:(articles|embeddings|lexical)\.(\d{6})\.(jsonl|npy|npz)"
                              r"|manifest\.(\d{6})\.json)$")


class ArticleTable:
    """The article records of one generation, in file order, and where each article's
    sentences sit among the embedding rows."""

    def __init__(self, records: Sequence[tuple[Article, str]]) -> None:
        self.articles = [article for article, _ in records]
        self.checksums = [checksum for _, checksum in records]
        self.positions = {a.id: i for i, a in enumerate(self.articles)}
        counts = np.fromiter((len(a.sentences) for a in self.articles), np.int64, len(self.articles))
        self.starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)  # first row of each article
        self.row_article = np.repeat(np.arange(len(self.articles), dtype=np.int32), counts)
        self.sources = [a.source.strip().lower() for a in self.articles]
        self.dates = [iso_date(a.published) for a in self.articles]

    def count(self) -> int:
        return len(self.articles)

    @property
    def sentences(self) -> int:
        return int(self.starts[-1])

    def get(self, article_id: str) -> Article | None:
        position = self.positions.get(article_id)
        return None if position is None else self.articles[position]

    def checksums_of(self, article_ids: Sequence[str]) -> dict[str, str]:
        return {i: self.checksums[self.positions[i]] for i in article_ids if i in self.positions}

    def find(self, filters: Filters, title: str, offset: int, limit: int) -> tuple[list[Article], int]:
        """A page of the articles that pass ``filters`` and whose title holds ``title``
        (case-insensitive), newest first, and how many there are in all."""
        wanted = title.strip().lower()
        found = [i for i in range(len(self.articles)) if self._passes(i, filters)
                 and (not wanted or wanted in self.articles[i].title.lower())]
        found.sort(key=lambda i: self.dates[i], reverse=True)
        return [self.articles[i] for i in found[offset:offset + limit]], len(found)

    def _passes(self, position: int, filters: Filters) -> bool:
        return ((filters.article_ids is None or self.articles[position].id in filters.article_ids)
                and filters.admits(self.sources[position], self.dates[position]))

    def allowed_rows(self, filters: Filters) -> np.ndarray | None:
        """A mask over embedding rows of the sentences whose article passes ``filters``."""
        if filters.empty:
            return None
        ok = np.fromiter((self._passes(i, filters) for i in range(len(self.articles))), bool, len(self.articles))
        return ok[self.row_article]

    def at_row(self, row: int) -> tuple[Article, Any]:
        position = int(self.row_article[row])
        article = self.articles[position]
        return article, article.sentences[row - int(self.starts[position])]

    def rows_of(self, article_id: str) -> tuple[int, int]:
        position = self.positions[article_id]
        return int(self.starts[position]), int(self.starts[position + 1])

    def save(self, path: Path) -> None:
        with open(path, "w", encoding="utf-8") as f:
            for article, checksum in zip(self.articles, self.checksums):
                f.write(json.dumps({"checksum": checksum, "article": article.to_dict()}, ensure_ascii=False))
                f.write("\n")
            _fsync(f)

    @classmethod
    def load(cls, path: Path) -> "ArticleTable":
        records = []
        with _reading(path.name), open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, start=1):
                try:
                    checksum, article = _article_record(json.loads(line))
                except (ValueError, KeyError, TypeError) as exc:
                    raise _Damaged(f"{path.name}: line {number}: {exc}") from exc
                records.append((article, checksum))
        return cls(records)


class DenseMatrix:
    """The sentence embeddings of one generation, memory-mapped: exact search by inner
    product over every row."""

    def __init__(self, embeddings: np.ndarray) -> None:
        self.embeddings = embeddings  # float32 (sentences, dim), L2-normalised rows
        self.half: Any = None  # a float16 copy (a torch tensor) for scoring, made at first search

    def count(self) -> int:
        return int(self.embeddings.shape[0])

    @property
    def width(self) -> int:
        return int(self.embeddings.shape[1])

    def scores(self, vector: np.ndarray) -> np.ndarray:
        """Approximate cosine of every row with ``vector`` (errors ~1e-4). Scoring streams
        the whole matrix through memory, so a half-size float16 copy makes it about twice
        as fast; ``similarity`` gives exact float32 scores for the returned hits."""
        import torch

        from .sentence_index import single_torch_thread

        if self.half is None:
            self.half = torch.from_numpy(np.asarray(self.embeddings, dtype=np.float16))
        with single_torch_thread():
            return (self.half @ torch.from_numpy(vector.astype(np.float16))).float().numpy()

    def search(self, vector: np.ndarray, depth: int, allowed: np.ndarray | None) -> list[int]:
        return top_rows(self.scores(vector), allowed, depth, positive_only=False)

    def similarity(self, vector: np.ndarray, rows: Sequence[int]) -> np.ndarray:
        return np.asarray(self.embeddings[list(rows)]) @ vector

    @staticmethod
    def write(path: Path, old: "DenseMatrix | None", kept: list[tuple[int, int]], vectors: np.ndarray) -> int:
        """The ``kept`` row ranges (begin, end) of ``old`` (copied in blocks, never
        re-encoded), then ``vectors``; returns the number of rows."""
        kept_rows = sum(end - begin for begin, end in kept)
        out = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32,
                                        shape=(kept_rows + len(vectors), vectors.shape[1]))
        row = 0
        for begin, end in kept:
            out[row:row + end - begin] = old.embeddings[begin:end]
            row += end - begin
        out[row:] = vectors
        out.flush()
        del out
        with open(path, "rb+") as f:
            _fsync(f)
        return kept_rows + len(vectors)

    @classmethod
    def load(cls, path: Path) -> "DenseMatrix":
        return cls(np.load(path, mmap_mode="r").view(np.ndarray))


def top_rows(scores: np.ndarray, allowed: np.ndarray | None, depth: int, positive_only: bool) -> list[int]:
    """Rows of the ``depth`` highest scores, best first, among the allowed rows."""
    mask = scores > 0 if positive_only else None
    if allowed is not None:
        mask = allowed if mask is None else mask & allowed
    rows = None if mask is None else np.flatnonzero(mask)
    values = scores if rows is None else scores[rows]
    top = np.argpartition(-values, depth - 1)[:depth] if depth < len(values) else np.arange(len(values))
    top = top[np.argsort(-values[top], kind="stable")]
    return (top if rows is None else rows[top]).tolist()


@dataclass
class _Generation:
    """One loaded, immutable generation of the index."""

    manifest: dict[str, Any]
    table: ArticleTable
    dense: DenseMatrix
    lexical: Lexical

    @property
    def number(self) -> int:
        return int(self.manifest["generation"])


class EmbeddedStore:
    """The files of one index folder. Nothing is read until first used; a change on disk
    (another process ingesting) is picked up on the next call."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.location = str(self.path)
        self._generation: _Generation | None = None
        self._manifest_key: tuple[int, int, int] | None = None

    def exists(self) -> bool:
        """Whether there is an index here (a damaged one, without its manifest.json but
        with a generation's copy, counts: ``repair`` restores it)."""
        return (self.path / MANIFEST).exists() or any(self.path.glob("manifest.*.json"))

    def damaged(self, problem: str) -> AssistantError:
        return AssistantError(f"index {self.path} is damaged: {problem}; run `assistant index repair "
                              f"--index {self.path}`, or re-ingest into a new --index")

    # ------------------------------------------------------------------ reading

    def manifest(self) -> dict[str, Any] | None:
        """The live manifest (nothing else is read), None when there is no index."""
        generation = self._current(load=False)
        return generation.manifest if isinstance(generation, _Generation) else generation

    def loaded(self) -> _Generation | None:
        return self._current()

    def articles(self) -> list[Article]:
        generation = self._current()
        return list(generation.table.articles) if generation else []

    def records(self) -> ArticleTable:
        generation = self._current()
        return generation.table if generation else ArticleTable([])

    def sentence_embeddings(self, article_id: str) -> np.ndarray:
        generation = self._current()
        if generation is None or article_id not in generation.table.positions:
            raise KeyError(article_id)
        begin, end = generation.table.rows_of(article_id)
        return np.asarray(generation.dense.embeddings[begin:end])

    def search(self, query: str, vector: np.ndarray, k: int, filters: Filters, fusion_name: str) -> list[StoredHit]:
        """Dense and BM25 rankings (each ``max(50, 3k)`` deep) fused by ``fusion_name``,
        ties broken by the dense score."""
        fuse = fusion(fusion_name)
        generation = self._current()
        if vector.shape[0] != generation.dense.width:
            raise self.damaged(f"its embeddings are {generation.dense.width} wide, but "
                               f"{generation.manifest['model']} gives {vector.shape[0]}")
        allowed = generation.table.allowed_rows(filters)
        if allowed is not None and not allowed.any():
            return []
        size = generation.table.sentences
        dense = generation.dense.scores(vector)
        lexical = generation.lexical.scores(query, size)
        depth = min(size, max(50, 3 * k))
        rankings = [top_rows(dense, allowed, depth, positive_only=False)]
        if lexical is not None:
            rankings.append(top_rows(lexical, allowed, depth, positive_only=True))
        fused = fuse(rankings)
        best = sorted(fused, key=lambda row: (-fused[row], -dense[row]))[:k]
        exact = generation.dense.similarity(vector, best)
        return [StoredHit(*generation.table.at_row(row), score=fused[row], dense_score=float(cosine),
                          lexical_score=None if lexical is None else float(lexical[row]))
                for row, cosine in zip(best, exact)]

    def _current(self, load: bool = True) -> Any:
        """The live generation (loaded when ``load``; else its manifest), None when there is
        no index. Reloads when manifest.json was replaced since the last call."""
        manifest_path = self.path / MANIFEST
        for _attempt in range(3):
            key = self._manifest_key_now()
            if key is None:
                self._generation, self._manifest_key = None, None
                if any(self.path.glob("manifest.*.json")):  # generations without a live manifest
                    raise self.damaged(f"{MANIFEST} is missing")
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
                raise self.damaged(f"{Path(exc.filename or '?').name} is missing") from exc
            except _Damaged as exc:
                raise self.damaged(str(exc)) from exc
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
            raise self.damaged(str(exc)) from exc
        if manifest["format"] > FORMAT_VERSION:
            raise AssistantError(f"index {self.path} was written by a newer version of the assistant "
                                 f"(format {manifest['format']}); upgrade, or use another --index")
        return manifest

    def _load_generation(self, manifest: dict[str, Any]) -> _Generation:
        """Every file of the generation, checked against the manifest and each other;
        ``_Damaged`` names the first file that is not what it should be."""
        files = manifest["files"]
        table = ArticleTable.load(self.path / files["articles"])
        with _reading(files["embeddings"]):
            dense = DenseMatrix.load(self.path / files["embeddings"])
        embeddings = dense.embeddings
        if embeddings.ndim != 2 or embeddings.dtype != np.float32 or embeddings.shape[1] != manifest["dim"]:
            raise _Damaged(f"{files['embeddings']}: {embeddings.dtype} {embeddings.shape}, not float32 rows of "
                           f"{manifest['dim']} (the manifest's width)")
        with _reading(files["lexical"]):
            lexical = Lexical.load(self.path / files["lexical"])
        if not dense.count() == lexical.count() == table.sentences == manifest["sentences"]:
            raise _Damaged(f"{table.sentences} sentences in {files['articles']}, {dense.count()} in "
                           f"{files['embeddings']}, {lexical.count()} in {files['lexical']}, "
                           f"{manifest['sentences']} in {MANIFEST}")
        return _Generation(manifest=manifest, table=table, dense=dense, lexical=lexical)

    # ------------------------------------------------------------------ checking and repair

    def check(self) -> dict[str, Any]:
        """Verify the live generation: the manifest, every data file's SHA-256 against it,
        and the files' contents. Returns the manifest; raises ``AssistantError`` naming the
        first damaged file."""
        self._require_index()
        manifest, problem = self._inspect(self.path / MANIFEST)
        if problem is not None:
            raise self.damaged(problem)
        return manifest

    def repair(self) -> tuple[dict[str, Any], str | None]:
        """Make the newest generation that passes ``check`` the live one. Returns its
        manifest and what was wrong with the live one (None when nothing was)."""
        self._require_index()
        with self.write_lock():
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

    def commit(self, model: str, records: list[tuple[Article, str]], vectors: np.ndarray) -> None:
        """A new generation with ``records`` added (an article with a stored id replaces the
        stored one); ``vectors`` are their sentences' embeddings, in order."""
        self._write(model, {article.id for article, _ in records}, records, vectors)

    def delete(self, article_ids: Sequence[str], model: str) -> int:
        """A new generation without these articles; returns how many were stored."""
        generation = self._current()
        present = {i for i in article_ids if generation is not None and i in generation.table.positions}
        if present:
            self._write(model, present, [], np.zeros((0, generation.dense.width), dtype=np.float32))
        return len(present)

    def _write(self, model: str, removed: set[str], added: list[tuple[Article, str]], vectors: np.ndarray) -> None:
        old = self._current()
        number = (old.number if old else 0) + 1
        files = {kind: f"{kind}.{number:06d}.{suffix}" for kind, suffix in _DATA_FILES.items()}
        kept = [i for i, a in enumerate(old.table.articles) if a.id not in removed] if old else []
        records = [(old.table.articles[i], old.table.checksums[i]) for i in kept] + added if old else added
        copy = self.path / f"manifest.{number:06d}.json"
        try:
            ArticleTable(records).save(self.path / files["articles"])
            blocks = [(int(old.table.starts[first]), int(old.table.starts[last + 1])) for first, last in _runs(kept)]
            rows = DenseMatrix.write(self.path / files["embeddings"], old.dense if old else None, blocks, vectors)
            Lexical.build([s.text for article, _ in records for s in article.sentences]).save(
                self.path / files["lexical"], _fsync)
            manifest = {"format": FORMAT_VERSION, "model": model, "dim": int(vectors.shape[1]),
                        "generation": number, "articles": len(records), "sentences": rows, "files": files,
                        "checksums": {name: _sha256(self.path / name) for name in files.values()},
                        "updated": datetime.now().astimezone().isoformat(timespec="seconds")}
            write_text_atomic(copy, json.dumps(manifest, indent=2))
            _commit_manifest(self.path, manifest)
        except OSError as exc:
            self._drop(files, copy)
            raise AssistantError(f"cannot write the index at {self.path} ({exc.strerror or exc}); "
                                 f"what was committed before is kept") from exc
        except BaseException:
            self._drop(files, copy)
            raise
        self._remove_stale_files(manifest)

    def _drop(self, files: dict[str, str], copy: Path) -> None:
        """Remove a partial generation; the live one is untouched."""
        for name in [*files.values(), copy.name]:
            with contextlib.suppress(OSError):
                (self.path / name).unlink()

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
    def write_lock(self) -> Iterator[None]:
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
        with exclusive(lock):
            yield


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
