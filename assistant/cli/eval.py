"""`assistant eval attribution`: score attribution relations against gold."""
from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..config import SAMPLE_GOLD
from ..errors import AssistantError
from ..fileio import writable_target, write_text_atomic
from ..types import Article, Claim
from .common import warn


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("eval", help="measure quality against gold data")
    tasks = parser.add_subparsers(dest="task", required=True, metavar="TASK")
    attribution = tasks.add_parser(
        "attribution", help="score source/cue/content relations against gold",
        description="Score attribution relations (source, cue, content) against the project's "
                    "gold set or a PolNeAR split. Without --predictions the project's engine is run.")
    gold = attribution.add_mutually_exclusive_group()
    gold.add_argument("--gold", type=Path, default=None, metavar="FILE",
                      help=f"project gold JSONL (default: {SAMPLE_GOLD})")
    gold.add_argument("--polnear", type=Path, default=None, metavar="DIR",
                      help="a PolNeAR split directory (with text/ and attributions/)")
    attribution.add_argument("--limit", type=int, default=None, metavar="N",
                             help="score only the first N PolNeAR articles")
    attribution.add_argument("--predictions", type=Path, default=None, metavar="FILE.jsonl",
                             help="predicted claims (claims format); default: run the engine")
    attribution.add_argument("--no-tagger", action="store_true",
                             help="run the engine without the contextual cue tagger (linear cue model alone)")
    attribution.add_argument("--save-predictions", type=Path, default=None, metavar="FILE.jsonl",
                             help="write the engine's predictions in the claims format")
    attribution.add_argument("--json", type=Path, default=None, metavar="FILE",
                             help="also write the scores (and listed errors) as JSON")
    attribution.add_argument("--errors", type=int, default=0, metavar="N",
                             help="list N false positives and N false negatives (overlap match)")
    attribution.set_defaults(func=run_attribution)


def run_attribution(args: argparse.Namespace) -> int:
    from ..evaluate import evaluate, read_claims, read_gold, read_polnear

    if args.limit is not None and (args.limit < 1 or args.polnear is None):
        raise AssistantError("--limit takes a number of articles (at least 1) and needs --polnear")
    if args.errors < 0:
        raise AssistantError("--errors must not be negative")
    for output in (args.save_predictions, args.json):
        if output is not None:
            writable_target(output)  # a bad output path fails before the long work
    if args.polnear is not None:
        gold = read_polnear(args.polnear, limit=args.limit, warn=warn, progress=True)
    else:
        gold = read_gold(args.gold or SAMPLE_GOLD)
    if args.predictions is not None:
        predictions = read_claims(args.predictions)
    else:
        predictions = [c for claims in _run_engine(gold.articles, contextual=not args.no_tagger) for c in claims]
        if args.save_predictions is not None:
            write_text_atomic(args.save_predictions,
                              "".join(json.dumps(c.to_dict(), ensure_ascii=False) + "\n" for c in predictions))
    report = evaluate(gold.articles, gold.claims, predictions, warn=warn)
    print(report.table())
    if args.errors:
        print()
        print(report.format_errors(args.errors))
    if args.json is not None:
        payload: dict[str, Any] = report.to_dict()
        payload["gold"] = str(args.polnear or args.gold or SAMPLE_GOLD)
        payload["predictions"] = str(args.predictions) if args.predictions else "engine"
        if args.errors:
            payload["errors"] = report.errors(args.errors)
        write_text_atomic(args.json, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    return 0


def _run_engine(articles: Sequence[Article], contextual: bool) -> list[list[Claim]]:
    try:
        from ..attribution import extract_claims
    except ImportError as exc:
        raise AssistantError(f"the attribution engine is not available ({exc}); "
                             "pass --predictions FILE.jsonl") from exc
    return extract_claims(articles, progress=True, contextual=contextual)
