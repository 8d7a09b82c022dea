"""Ingest throughput on a local Ray with 2 workers against the single-process ingest, on the
same articles (a script, not a test).

Both sides encode the same synthetic articles (``bench_index``'s generator) into a fresh
embedded index; the Ray side's time includes starting Ray and its actors loading the
encoder (what a user waits for); the part spent starting Ray is shown. Throughput is sentences per second; the ratio is Ray / single.

    nice -n 19 .venv/bin/python benchmarks/bench_ray_ingest.py --articles 2000
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_index import Synthetic  # noqa: E402

from assistant.corpus import make_article  # noqa: E402
from assistant.index import SentenceIndex  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--per-article", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("ASSISTANT_RAY_CPUS", "2")
    from assistant.cluster import encode
    from assistant.cluster.session import start_ray

    records = Synthetic(5).articles(args.articles * args.per_article, per_article=args.per_article, prefix="r")
    articles = [make_article(**r) for r in records]
    sentences = sum(len(a.sentences) for a in articles)
    with tempfile.TemporaryDirectory(prefix="bench-ray-") as workdir:
        single = SentenceIndex(Path(workdir) / "single")
        single.encode(["load the encoder before timing"])
        start = time.perf_counter()
        single.add(articles)
        single_s = time.perf_counter() - start

        start = time.perf_counter()
        start_ray(None)
        ray_start_s = time.perf_counter() - start
        encode.ingest_on_ray(SentenceIndex(Path(workdir) / "ray"), articles, None, progress=False)
        ray_s = time.perf_counter() - start
    print(f"{len(articles)} articles, {sentences} sentences")
    print(f"single process: {single_s:.0f} s, {sentences / single_s:.0f} sentences/s")
    print(f"ray, 2 local workers: {ray_s:.0f} s ({ray_start_s:.0f} s of it starting Ray), "
          f"{sentences / ray_s:.0f} sentences/s; ratio ray / single {single_s / ray_s:.2f}")

if __name__ == "__main__":
    main()
