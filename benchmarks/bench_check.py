"""Benchmark of `assistant check` (a script, not a test).

Prints, in one run:
  (a) consistency-model load time (fresh in this process: encoder, weights, 8-bit);
  (b) check latency p50/p95 after warm-up on the sample index, for the claims of
      eval/factcheck/sample_checks.jsonl, beside the index search alone for the same
      claims (the reference run: retrieval is the part of a check that grows with the index);
  (c) the same on an index of --size sentences (synthetic news-like sentences, vectors
      filled as in bench_index.py --fill repeat, plus the sample articles);
  (d) the cost of verifying a 5-sentence extractive summary of each sample article with
      the checker, as a ratio to making that summary.

    .venv/bin/python benchmarks/bench_check.py
    .venv/bin/python benchmarks/bench_check.py --size 0        # sample only
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def time_claims(checker, index, claims: list[str], repeats: int) -> dict:
    for claim in claims[:3]:  # warm-up: models, caches of the articles' claims
        checker.check_claim(claim, index)
    check_ms, search_ms = [], []
    for _ in range(repeats):
        for claim in claims:
            start = time.perf_counter()
            index.search(claim, checker.config.k)
            search_ms.append(1000 * (time.perf_counter() - start))
            start = time.perf_counter()
            checker.check_claim(claim, index)
            check_ms.append(1000 * (time.perf_counter() - start))
    return {"sentences": len(index), "claims": len(check_ms), "check_p50_ms": percentile(check_ms, 0.5),
            "check_p95_ms": percentile(check_ms, 0.95), "search_p50_ms": percentile(search_ms, 0.5),
            "ratio_check_to_search_p50": percentile(check_ms, 0.5) / percentile(search_ms, 0.5)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000, help="sentences of the large index (0: skip)")
    parser.add_argument("--claims", type=int, default=40, help="claims of the check set timed")
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()

    from assistant.config import SAMPLE_CHECKS, SAMPLE_CORPUS, configure_runtime

    configure_runtime()
    import torch  # noqa: F401  (imported before the clock starts: it is the process's, not the model's)

    from assistant.check import Checker
    from assistant.consistency import load_consistency_model
    from assistant.corpus import read_articles
    from assistant.evaluate_check import read_check_set
    from assistant.index import SentenceIndex
    from assistant.models import load_encoder
    from assistant.summarize import extractive_summary

    load_encoder()  # the index's encoder is loaded by any command; the model load is what is new
    start = time.perf_counter()
    load_consistency_model()
    report: dict = {"model_load_s": time.perf_counter() - start}
    print(f"(a) consistency model load: {report['model_load_s']:.2f} s", flush=True)

    claims = [c.claim for c in read_check_set(SAMPLE_CHECKS)][:args.claims]
    sample = read_articles([SAMPLE_CORPUS])
    checker = Checker()
    with tempfile.TemporaryDirectory() as tmp:
        index = SentenceIndex(Path(tmp) / "sample")
        index.add(sample)
        report["sample"] = time_claims(checker, index, claims, args.repeats)
        r = report["sample"]
        print(f"(b) sample ({r['sentences']} sentences): check p50 {r['check_p50_ms']:.0f} ms, p95 "
              f"{r['check_p95_ms']:.0f} ms; search alone p50 {r['search_p50_ms']:.1f} ms", flush=True)

        summary_s = verify_s = 0.0
        for article in sample:
            embeddings = index.sentence_embeddings(article.id)
            start = time.perf_counter()
            summary = extractive_summary(article, embeddings, 5)
            summary_s += time.perf_counter() - start
            start = time.perf_counter()
            checker.check_summary([s.text for s in summary.sentences], article, embeddings=embeddings,
                                  encode=index.encode)
            verify_s += time.perf_counter() - start
        report["summary_verification"] = {"extractive_s": summary_s, "verification_s": verify_s,
                                          "ratio": verify_s / summary_s}
        print(f"(d) 5-sentence summaries of {len(sample)} articles: extractive {summary_s:.2f} s, "
              f"verification {verify_s:.2f} s, ratio {verify_s / summary_s:.1f}", flush=True)

        if args.size:
            from bench_index import build_index

            built = build_index(args.size, Path(tmp) / "large", "repeat", 2000, 0, {})
            large = SentenceIndex(Path(tmp) / "large")
            large.add(sample)
            report["large"] = {**time_claims(checker, large, claims, 1), "build": built}
            r = report["large"]
            print(f"(c) {r['sentences']} sentences: check p50 {r['check_p50_ms']:.0f} ms, p95 {r['check_p95_ms']:.0f} ms; "
                  f"search alone p50 {r['search_p50_ms']:.1f} ms", flush=True)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
