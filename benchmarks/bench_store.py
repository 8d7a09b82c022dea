"""Benchmark of the two stores at scale: the embedded files vs Milvus Lite (a script, not a test).

For each size in --sizes and each store in --stores, in a fresh process (so that its peak
memory is its own): build the store from synthetic news-like sentences (``bench_index``'s
generator) with *filled* vectors, then time hybrid searches and measure dense recall.

- Vectors are filled, not encoded: --clusters random unit centres, each row a centre plus
  Gaussian noise, re-normalised (what search costs does not depend on where vectors come
  from; retrieval quality against real queries is not measured here). A query is a stored
  row plus noise, with a synthetic query text for the BM25 side.
- Latency: ``store.search`` (dense + BM25 + fusion, k=10, no filter; then with an outlet +
  date filter), query encoding excluded (it is the same for both stores: see
  ``bench_index``). p50/p95 over --queries queries after 5 warm-up ones.
- recall@10: the dense side's top 10 (embedded: float16 scoring; Milvus: its HNSW index
  at the same depth the hybrid search asks for) against exact float32 inner products.
- Peak memory: VmHWM of the process (Milvus Lite runs its server inside it).

    nice -n 19 .venv/bin/python benchmarks/bench_store.py --sizes 100000 --stores embedded,milvus
    nice -n 19 .venv/bin/python benchmarks/bench_store.py --sizes 1000000 --stores embedded,milvus
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_index import SOURCES, Synthetic, peak_rss_mib, percentile  # noqa: E402

from assistant.corpus import text_checksum  # noqa: E402
from assistant.index.store import Filters, open_store  # noqa: E402
from assistant.types import Article, Sentence  # noqa: E402

DIM = 384
PER_ARTICLE = 25
COMMIT_ROWS = 100_000  # sentences per store commit while building


def synthetic_articles(size: int, seed: int) -> list[Article]:
    """``size`` sentences in articles of 25, built directly (no sentence splitter: at a
    million sentences it would dominate the build)."""
    synthetic = Synthetic(seed)
    articles = []
    for n in range(0, size, PER_ARTICLE):
        number = n // PER_ARTICLE
        texts = [synthetic.sentence() for _ in range(min(PER_ARTICLE, size - n))]
        sentences, at = [], 0
        for i, sentence in enumerate(texts):
            sentences.append(Sentence(i, at, at + len(sentence), sentence))
            at += len(sentence) + 1
        articles.append(Article(id=f"s{number}", title=texts[0], text=" ".join(texts),
                                source=SOURCES[number % len(SOURCES)],
                                published=f"2024-{1 + number % 12:02d}-{1 + number % 28:02d}", sentences=sentences))
    return articles


def filled_vectors(size: int, clusters: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(clusters, DIM)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    vectors = np.empty((size, DIM), dtype=np.float32)
    for begin in range(0, size, 100_000):
        end = min(size, begin + 100_000)
        rows = centres[rng.integers(0, clusters, end - begin)] + rng.normal(0, 0.6 / np.sqrt(DIM),
                                                                               (end - begin, DIM)).astype(np.float32)
        vectors[begin:end] = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    return vectors


def run_one(store_name: str, size: int, queries: int, clusters: int, seed: int, workdir: Path) -> dict:
    spec = "" if store_name == "embedded" else f"milvus:{workdir / 'lite.db'}"
    store = open_store(spec, workdir / "embedded")
    articles = synthetic_articles(size, seed)
    vectors = filled_vectors(size, clusters, seed)
    start = time.perf_counter()
    row = 0
    batch: list[tuple[Article, str]] = []
    for article in articles:
        batch.append((article, text_checksum(article)))
        if sum(len(a.sentences) for a, _ in batch) >= COMMIT_ROWS or article is articles[-1]:
            count = sum(len(a.sentences) for a, _ in batch)
            with store.write_lock():
                store.commit("filled", batch, vectors[row:row + count])
            row += count
            batch = []
    build_s = time.perf_counter() - start
    rng = np.random.default_rng(seed + 1)
    synthetic = Synthetic(seed + 1)
    probes = []
    for _ in range(queries + 5):
        q = vectors[rng.integers(0, size)] + rng.normal(0, 0.6 / np.sqrt(DIM), DIM).astype(np.float32)
        probes.append((synthetic.query(), (q / np.linalg.norm(q)).astype(np.float32)))
    store.loaded()
    first_start = time.perf_counter()
    store.search(*probes[0], 10, Filters(), "rrf")
    first_ms = (time.perf_counter() - first_start) * 1000
    for text, vector in probes[1:5]:
        store.search(text, vector, 10, Filters(), "rrf")
    plain, filtered, recalls = [], [], []
    some = Filters.of(None, [SOURCES[0]], "2024-03", None)
    for text, vector in probes[5:]:
        start = time.perf_counter()
        assert len(store.search(text, vector, 10, Filters(), "rrf")) == 10
        plain.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        store.search(text, vector, 10, some, "rrf")
        filtered.append((time.perf_counter() - start) * 1000)
        exact = set(np.argpartition(-(vectors @ vector), 10)[:10].tolist())
        recalls.append(len(exact & dense_top10(store, store_name, vector)) / 10)
    return {"store": store_name, "sentences": size, "build_s": build_s, "first_search_ms": first_ms,
            "p50_ms": percentile(plain, 50), "p95_ms": percentile(plain, 95),
            "filtered_p50_ms": percentile(filtered, 50), "filtered_p95_ms": percentile(filtered, 95),
            "recall_at_10": float(np.mean(recalls)), "peak_rss_mib": peak_rss_mib()}


def dense_top10(store, store_name: str, vector: np.ndarray) -> set[int]:
    """Rows (in build order) of the dense side's top 10, as the hybrid search ranks them."""
    if store_name == "embedded":
        generation = store.loaded()
        return set(generation.dense.search(vector, 10, None))
    found = store.client.search(store.sentences_name, data=[vector.tolist()], anns_field="vector", limit=10,
                                search_params={"metric_type": "IP", "params": {"ef": 50}},
                                output_fields=["article_id", "sentence"])[0]
    return {int(h["entity"]["article_id"][1:]) * PER_ARTICLE + h["entity"]["sentence"] for h in found}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000", help="sentences (default 100000)")
    parser.add_argument("--stores", default="embedded,milvus")
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--clusters", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--one", help=argparse.SUPPRESS)  # store:size, run in this process
    args = parser.parse_args()
    if args.one:
        store_name, size = args.one.split(":")
        with tempfile.TemporaryDirectory(prefix="bench-store-") as workdir:
            print(json.dumps(run_one(store_name, int(size), args.queries, args.clusters, args.seed, Path(workdir))))
        return
    print("store     sentences  build s  first ms  p50 ms  p95 ms  filtered p50/p95 ms  recall@10  peak MiB")
    for size in (int(s) for s in args.sizes.split(",")):
        for store_name in args.stores.split(","):
            done = subprocess.run([sys.executable, __file__, "--one", f"{store_name}:{size}", "--queries",
                                   str(args.queries), "--clusters", str(args.clusters), "--seed", str(args.seed)],
                                  capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(
                                      Path(__file__).resolve().parent.parent)})
            if done.returncode:
                print(f"{store_name} {size}: failed\n{done.stderr[-2000:]}")
                continue
            r = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"{r['store']:<9} {r['sentences']:>9}  {r['build_s']:7.0f}  {r['first_search_ms']:8.0f}  "
                  f"{r['p50_ms']:6.1f}  {r['p95_ms']:6.1f}  {r['filtered_p50_ms']:8.1f} / {r['filtered_p95_ms']:<8.1f}"
                  f"  {r['recall_at_10']:9.3f}  {r['peak_rss_mib']:8.0f}", flush=True)


if __name__ == "__main__":
    main()
