"""Encoding for ``assistant ingest --ray``: sentences go through encoder actors on Ray
Data, whole shards of articles come back and are committed to the index.

The articles to encode (new or changed, as ``SentenceIndex.changes`` finds them) are cut
into shards of ``SHARD_ARTICLES`` articles. A finished shard's vectors are written to
``DIR/ray-shards/`` (``DIR`` is the ``--index`` folder) before they are committed, and
removed once committed: after an interruption, committed articles are skipped as in any
ingest, and shards written but not committed are read back instead of being encoded
again.
"""
from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from ..fileio import write_bytes_atomic
from ..index import IngestReport, SentenceIndex
from ..index.sentence_index import COMMIT_SENTENCES
from ..types import Article
from .session import start_ray, workers

SHARD_ARTICLES = 64
ACTOR_BATCH = 256  # sentences per actor call


class Encoder:
    """A Ray Data actor: the index's encoder, loaded once per actor (on its GPU when it
    has one), single-threaded on CPU so that actors do not fight over cores."""

    def __init__(self, model: str) -> None:
        import torch

        from ..models import load_encoder

        if not torch.cuda.is_available():
            torch.set_num_threads(1)
        self.model = load_encoder(model)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        vectors = self.model.encode(list(batch["text"]), batch_size=32, convert_to_numpy=True,
                                    normalize_embeddings=True, show_progress_bar=False)
        return {"row": batch["row"], "vector": np.asarray(vectors, dtype=np.float32)}


def _shard_key(records: list[tuple[Article, str]]) -> str:
    digest = hashlib.sha256()
    for article, checksum in records:
        digest.update(f"{article.id}\x1f{checksum}\x1e".encode())
    return digest.hexdigest()[:24]


class _Spool:
    """Finished shards' vectors on disk until committed."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.npy"

    def read(self, key: str) -> np.ndarray | None:
        try:
            return np.load(self.path(key))
        except (OSError, ValueError):
            return None

    def write(self, key: str, vectors: np.ndarray) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        np.save(buffer, vectors)
        write_bytes_atomic(self.path(key), buffer.getvalue())

    def remove(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)


def ingest_on_ray(index: SentenceIndex, articles: list[Article], address: str | None,
                  progress: bool = True) -> IngestReport:
    """``index.add(articles)`` with the encoding spread over Ray (see the module)."""
    from tqdm import tqdm

    changed, (added, updated, skipped) = index.changes(articles)
    shards = [changed[i:i + SHARD_ARTICLES] for i in range(0, len(changed), SHARD_ARTICLES)]
    spool = _Spool(index.path / "ray-shards")
    keys = [_shard_key(shard) for shard in shards]
    ready = {i: vectors for i, key in enumerate(keys) if (vectors := spool.read(key)) is not None
             and len(vectors) == sum(len(a.sentences) for a, _ in shards[i])}
    for i, shard in enumerate(shards):
        if i not in ready and not any(article.sentences for article, _ in shard):
            ready[i] = index.encode([])  # nothing to encode; (0, width)
    total = sum(len(a.sentences) for a, _ in changed)
    todo = [i for i in range(len(shards)) if i not in ready]
    with tqdm(total=total, desc="encoding (ray)", unit="sent", disable=not progress or not total,
              leave=False) as bar:
        bar.update(sum(len(v) for v in ready.values()))
        pending = sorted(ready)  # read back from an interrupted run, or empty
        for shard, vectors in _encode_shards(index.model_name, shards, todo, address, bar):
            spool.write(keys[shard], vectors)
            ready[shard] = vectors
            pending.append(shard)
            if sum(len(ready[i]) for i in pending) >= max(COMMIT_SENTENCES, len(index) // 5):
                _commit(index, shards, ready, pending, spool, keys)
                pending = []
        _commit(index, shards, ready, pending, spool, keys)
    return IngestReport(added, updated, skipped, total)


def _commit(index: SentenceIndex, shards: list[list[tuple[Article, str]]], ready: dict[int, np.ndarray],
            pending: list[int], spool: _Spool, keys: list[str]) -> None:
    if not pending:
        return
    index.add_encoded([record for i in pending for record in shards[i]],
                      np.concatenate([ready.pop(i) for i in pending]))
    for i in pending:
        spool.remove(keys[i])


def _encode_shards(model: str, shards: list[list[tuple[Article, str]]], todo: list[int], address: str | None,
                   bar: Any) -> Iterator[tuple[int, np.ndarray]]:
    """Yield (shard, vectors) as each shard's sentences come back from the actors."""
    if not todo:
        return
    ray = start_ray(address)
    rows, owner, starts = [], [], {}
    for shard in todo:
        starts[shard] = len(rows)
        for article, _ in shards[shard]:
            rows += [{"row": len(rows) + k, "text": s.text} for k, s in enumerate(article.sentences)]
        owner += [shard] * (len(rows) - len(owner))
    owner = np.asarray(owner)
    remaining = {shard: sum(len(a.sentences) for a, _ in shards[shard]) for shard in todo}
    buffers: dict[int, np.ndarray] = {}
    actors, gpus = workers(ray)
    dataset = ray.data.from_items(rows).map_batches(
        Encoder, fn_constructor_args=(model,), batch_size=ACTOR_BATCH, compute=ray.data.ActorPoolStrategy(size=actors),
        num_gpus=gpus, num_cpus=0 if gpus else 1)
    for batch in dataset.iter_batches(batch_size=None, batch_format="numpy"):
        for row, vector in zip(batch["row"], batch["vector"]):
            shard = int(owner[row])
            if shard not in buffers:
                buffers[shard] = np.empty((remaining[shard], len(vector)), dtype=np.float32)
            buffers[shard][int(row) - starts[shard]] = vector
            remaining[shard] -= 1
            bar.update(1)
            if remaining[shard] == 0:
                yield shard, buffers.pop(shard)
