"""`assistant eval attribution` and `assistant eval factcheck`: quality against gold data."""
from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..config import SAMPLE_CHECKS, SAMPLE_GOLD
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

    factcheck = tasks.add_parser(
        "factcheck", help="score the checker on consistency sets and on a claim set",
        description="Score `assistant check`. --data: summary/document pairs with human labels (FRANK and "
                    "XSumFaith val.jsonl, SummEdits JSON files): ROC AUC, balanced accuracy at the threshold "
                    "chosen on the threshold cut, and of the verdict itself. --checks: claims about the "
                    "coverage with expected verdicts (default: the project's set about the bundled sample, "
                    "checked against a temporary index of it unless --index is given).")
    factcheck.add_argument("--data", type=Path, action="append", default=[], metavar="FILE",
                           help="a consistency set (repeatable)")
    factcheck.add_argument("--checks", type=Path, default=None, metavar="FILE.jsonl",
                           help=f"a claim set (default without --data: {SAMPLE_CHECKS})")
    factcheck.add_argument("--index", type=Path, default=None, metavar="DIR",
                           help="the index the claim set is about (default: a temporary index of the sample)")
    factcheck.add_argument("--limit", type=int, default=None, metavar="N", help="only the first N items of each --data file")
    factcheck.add_argument("--no-attribution", action="store_true", help="check without the attribution engine")
    factcheck.add_argument("--json", type=Path, default=None, metavar="FILE", help="also write the report as JSON")
    factcheck.add_argument("--errors", type=int, default=10, metavar="N", help="list up to N wrong claims (default 10)")
    factcheck.set_defaults(func=run_factcheck)


def run_factcheck(args: argparse.Namespace) -> int:
    import tempfile

    from ..check import Checker
    from ..evaluate_check import (check_consistency, check_set_report, consistency_report, read_check_set,
                                  read_consistency_items)

    if args.limit is not None and args.limit < 1:
        raise AssistantError("--limit must be at least 1")
    checker = Checker(use_attribution=not args.no_attribution)
    report: dict[str, Any] = {}
    for path in args.data:
        items = read_consistency_items(path)[:args.limit]
        results = check_consistency(checker, items)
        for dataset, entry in consistency_report(items, results).items():
            report[dataset] = entry
            print(f"{dataset:<22} n={entry['n']:<5} AUC {entry['auc']:.3f}  balanced accuracy {entry['balanced_accuracy']:.3f} "
                  f"(threshold {entry['threshold']:.3f} from the {entry['threshold_cut']} cut"
                  + (f"; cross-fitted {entry['balanced_accuracy_cross_fitted']:.3f}" if "balanced_accuracy_cross_fitted" in entry else "")
                  + f")  verdict balanced accuracy {entry['verdict_balanced_accuracy']:.3f}")
    checks_path = args.checks or (SAMPLE_CHECKS if not args.data else None)
    if checks_path is not None:
        from ..index import SentenceIndex

        claims = read_check_set(checks_path)
        with tempfile.TemporaryDirectory() as tmp:
            if args.index is not None:
                if not SentenceIndex.exists(args.index):
                    raise AssistantError(f"no index at {args.index}")
                index = SentenceIndex(args.index)
            else:
                from ..config import SAMPLE_CORPUS
                from ..corpus import read_articles

                index = SentenceIndex(Path(tmp) / "index")
                index.add(read_articles([SAMPLE_CORPUS], warn))
            from tqdm import tqdm

            results = [checker.check_claim(c.claim, index, claim_id=c.id)
                       for c in tqdm(claims, desc="check", unit="claim", mininterval=10)]
        entry = check_set_report(claims, results)
        report[f"checks:{checks_path.name}"] = entry
        print(f"{checks_path.name}: {entry['n']} claims, accuracy {entry['accuracy']:.3f} (four verdicts), "
              f"{entry['accuracy_three_way']:.3f} (disputed counted as contradicted)"
              + (f"; speaker named for {entry['speaker_named']:.3f} of {entry['speaker_cases']} attributed supported claims"
                 if entry["speaker_named"] is not None else ""))
        for kind, k in entry["by_kind"].items():
            print(f"  {kind:<16} {k['accuracy']:.2f}  (n={k['n']})")
        for e in entry["errors"][:args.errors]:
            print(f"  wrong: {e['id']} expected {e['expected']}, got {e['got']} ({e['score']:.2f}): {e['claim']}")
    if args.json is not None:
        write_text_atomic(args.json, json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    return 0


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
