"""Benchmark of the attribution engine (a script, not a test).

Claims for every article of a PolNeAR split (default ../shared/polnear/dev, 84 texts), in
articles/s, beside spaCy's raw ``nlp.pipe`` throughput on the same texts with the same
pipeline and batch size, in the same run; the ratio is claims / raw (target >= 0.7).
``--no-tagger`` measures the engine without its contextual cue tagger.
Models are loaded and warmed up before timing; each measurement is repeated --repeat
times, alternating, and the best of each is kept. Article reading (sentence splitting) is
not timed: both sides start from the same texts.

    .venv/bin/python benchmarks/bench_claims.py
    .venv/bin/python benchmarks/bench_claims.py --repeat 5 --json bench_claims.json
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from assistant.attribution import extract_claims  # noqa: E402
from assistant.corpus import make_article  # noqa: E402
from assistant.models import load_spacy  # noqa: E402

DEFAULT_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "polnear" / "dev"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--polnear", type=Path, default=DEFAULT_DIR, metavar="DIR",
                        help=f"a PolNeAR split with text/*.txt (default: {DEFAULT_DIR})")
    parser.add_argument("--repeat", type=int, default=3, metavar="N")
    parser.add_argument("--batch-size", type=int, default=16, metavar="N")
    parser.add_argument("--json", type=Path, default=None, metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--no-tagger", action="store_true", help="the engine without its contextual cue tagger")
    args = parser.parse_args(argv)

    files = sorted((args.polnear / "text").glob("*.txt"))
    if not files:
        print(f"error: no texts under {args.polnear / 'text'}", file=sys.stderr)
        return 2
    articles = []
    for path in files:
        raw = path.read_text(encoding="utf-8")
        articles.append(make_article(text=raw, title=raw.split("\n", 1)[0], id=path.stem))
    texts = [a.text for a in articles]

    nlp = load_spacy()
    contextual = not args.no_tagger
    extract_claims(articles[:2], contextual=contextual)  # warm up: models, cue weights, caches
    raw_times, claim_times, n_claims = [], [], 0
    for _ in range(args.repeat):
        start = time.perf_counter()
        docs = list(nlp.pipe(texts, batch_size=args.batch_size))
        raw_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        claims = extract_claims(articles, batch_size=args.batch_size, contextual=contextual)
        claim_times.append(time.perf_counter() - start)
        n_claims = sum(len(c) for c in claims)
    tokens = sum(len(d) for d in docs)
    raw_rate = len(articles) / min(raw_times)
    claims_rate = len(articles) / min(claim_times)
    figures = {
        "articles": len(articles), "tokens": tokens, "claims": n_claims, "batch_size": args.batch_size,
        "tagger": contextual,
        "repeat": args.repeat, "raw_pipe_seconds": min(raw_times), "claims_seconds": min(claim_times),
        "raw_pipe_articles_per_s": raw_rate, "claims_articles_per_s": claims_rate,
        "ratio": claims_rate / raw_rate,
    }
    print(f"{len(articles)} articles, {tokens} tokens, {n_claims} claims (batch {args.batch_size}, "
          f"best of {args.repeat}, {'with' if contextual else 'without'} the contextual cue tagger)")
    print(f"spaCy nlp.pipe only : {raw_rate:7.2f} articles/s  ({min(raw_times):.2f} s)")
    print(f"claims (engine)     : {claims_rate:7.2f} articles/s  ({min(claim_times):.2f} s)")
    print(f"ratio claims / raw  : {figures['ratio']:.3f}  (target >= 0.7)")
    if args.json is not None:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
