"""The BM25 side through ``bm25s`` against the hand-written BM25 it replaced (a script, not
a test): the same synthetic sentences and queries, in one process.

- ranking: for each query, whether the top 10 (by score, ties by row) are the same rows
  in the same order, and the mean overlap of the two top-10 sets;
- speed: building the matrix, and scoring a query (every sentence's score), as ratios
  new / old (best of --repeats alternating runs; lower is faster).

The old implementation is read from the commit before the change (``REFERENCE``) with
``git show``, so the script needs the repository's history.

    nice -n 19 .venv/bin/python benchmarks/bench_lexical.py --sentences 100000
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
import types
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from bench_index import Synthetic, percentile  # noqa: E402

from assistant.index.lexical import Lexical  # noqa: E402

REFERENCE = "1a7b62d"  # main before the index became a package: assistant/index.py with its own BM25


def old_lexical() -> type:
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{REFERENCE}:assistant/index.py"], check=True,
                            capture_output=True, text=True).stdout
    module = types.ModuleType("assistant._old_index")
    module.__package__ = "assistant"
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, "old_index.py", "exec"), module.__dict__)  # noqa: S102 - our own history
    return module.Lexical


def top10(scores: np.ndarray) -> list[int]:
    order = np.lexsort((np.arange(len(scores)), -scores))
    return [int(i) for i in order[:10] if scores[i] > 0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    synthetic = Synthetic(3)
    texts = [synthetic.sentence() for _ in range(args.sentences)]
    queries = [synthetic.query() for _ in range(args.queries)]
    Old = old_lexical()
    build = {"old": [], "new": []}
    for _ in range(args.repeats):  # alternating, so that a drift in load favours neither
        for name, cls in (("old", Old), ("new", Lexical)):
            start = time.process_time()
            built = cls.build(texts)
            build[name].append(time.process_time() - start)
            if name == "old":
                old = built
            else:
                new = built
    score = {"old": [], "new": []}
    same, overlap = 0, []
    for query in queries:
        for name, lexical in (("old", old), ("new", new)):
            start = time.perf_counter()
            lexical.scores(query, len(texts))
            score[name].append((time.perf_counter() - start) * 1000)
        a, b = top10(old.scores(query, len(texts))), top10(new.scores(query, len(texts)))
        same += a == b
        overlap.append(len(set(a) & set(b)) / max(1, len(set(a) | set(b))))
    print(f"{args.sentences} sentences, {args.queries} queries")
    print(f"top 10 identical (rows and order): {same}/{args.queries}; mean top-10 overlap {np.mean(overlap):.3f}")
    print(f"build CPU s (best of {args.repeats}): old {min(build['old']):.2f}, new {min(build['new']):.2f}, "
          f"ratio new/old {min(build['new']) / min(build['old']):.2f}")
    print(f"query scoring ms p50: old {percentile(score['old'], 50):.2f}, new {percentile(score['new'], 50):.2f}, "
          f"ratio new/old {percentile(score['new'], 50) / percentile(score['old'], 50):.2f}; "
          f"p95 old {percentile(score['old'], 95):.2f}, new {percentile(score['new'], 95):.2f}")


if __name__ == "__main__":
    main()
