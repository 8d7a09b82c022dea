"""`compare` latency on the PolNeAR train+dev index, and the grouping cost per 1k claims.

Latency: eight topics, each compared once first (warm-up: models loaded, the index read,
the attribution engine's claims of the retrieved articles computed and cached, as in a
running server), then ``--repeat`` times; p50 and p95 of those runs. The first run of each
topic is reported apart ("first time": claims extracted on the way).

Grouping cost: the statements of the first PolNeAR train articles (about ``--claims`` of
them) grouped, disagreements and timeline included, given their claims: seconds per 1,000.

PolNeAR is read at run time from ../shared/polnear; the index is built once into
--index-dir (shared with bench_summaries.py) and reused.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_summaries import POLNEAR, ROOT, percentile, polnear_index  # noqa: E402

from assistant.compare import CompareConfig, compare_index, compare_statements, statements_of  # noqa: E402
from assistant.consistency import load_consistency_model  # noqa: E402
from assistant.corpus import read_articles  # noqa: E402
from assistant.verify import engine_claims  # noqa: E402

TOPICS = [
    "Clinton's lead in the polls",
    "the candidate's health",
    "the first presidential debate",
    "battleground states",
    "campaign fundraising",
    "the emails investigation",
    "the Republican running mate",
    "immigration and the border wall",
]


def bench_latency(index, repeat: int) -> None:
    model = load_consistency_model()
    first, runs, sizes = [], [], []
    for topic in TOPICS:
        started = time.perf_counter()
        comparison = compare_index(index, topic, model=model)
        first.append(time.perf_counter() - started)
        sizes.append((len(comparison.statements), len(comparison.groups), len(comparison.disagreements)))
    cpu = []  # CPU seconds of this process a run: what the machine's load does not inflate as much
    for _ in range(repeat):
        for topic in TOPICS:
            started, cpu_started = time.perf_counter(), time.process_time()
            compare_index(index, topic, model=model)
            runs.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_started)
    statements = sum(s for s, _, _ in sizes) / len(sizes)
    print(f"compare on PolNeAR train+dev ({len(index)} sentences), {len(TOPICS)} topics x {repeat}: "
          f"p50 {percentile(runs, 50):.2f} s, p95 {percentile(runs, 95):.2f} s after warm-up "
          f"(CPU p50 {percentile(cpu, 50):.2f} s, load average {os.getloadavg()[0]:.1f}); "
          f"first time per topic (claims extracted) p50 {percentile(first, 50):.2f} s; "
          f"{statements:.0f} statements, {sum(g for _, g, _ in sizes) / len(sizes):.1f} groups, "
          f"{sum(d for _, _, d in sizes) / len(sizes):.1f} disagreements a topic")


def bench_grouping(claims_wanted: int) -> None:
    from assistant.summarize import default_encode

    model = load_consistency_model()
    articles = read_articles([POLNEAR / "train" / "text"])
    statements, taken = [], 0
    while len(statements) < claims_wanted and taken < len(articles):
        batch = articles[taken:taken + 16]
        taken += len(batch)
        statements += [s for a, c in zip(batch, engine_claims(batch)) for s in statements_of(a, c)]
    statements = statements[:claims_wanted]
    compare_statements("warm-up", statements[:50], default_encode, model, CompareConfig())
    started = time.perf_counter()
    comparison = compare_statements("grouping", statements, default_encode, model, CompareConfig())
    seconds = time.perf_counter() - started
    print(f"grouping {len(statements)} statements ({taken} PolNeAR train articles): {seconds:.1f} s, "
          f"{1000 * seconds / len(statements):.1f} s per 1k claims; {len(comparison.groups)} groups, "
          f"{len(comparison.disagreements)} disagreements")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each topic after the warm-up")
    parser.add_argument("--claims", type=int, default=1000, help="statements for the grouping cost")
    parser.add_argument("--skip-latency", action="store_true", help="only the grouping cost")
    parser.add_argument("--threads", type=int, help="torch CPU threads (default: torch's choice); 1 gives CPU "
                                                   "seconds that a loaded machine does not inflate")
    parser.add_argument("--index-dir", type=Path, default=ROOT / ".assistant-index" / "bench-polnear",
                        help="where the PolNeAR train+dev index is built and kept")
    args = parser.parse_args()
    if not (POLNEAR / "train").is_dir():
        sys.exit(f"PolNeAR not found at {POLNEAR}")
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    if not args.skip_latency:
        bench_latency(polnear_index(args.index_dir, quick=False), args.repeat)
    bench_grouping(args.claims)


if __name__ == "__main__":
    main()
