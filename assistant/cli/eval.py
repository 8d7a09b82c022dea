"""`assistant eval attribution`, `assistant eval factcheck` and `assistant eval compare`: quality
against gold data."""
from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..config import COMPARE_CORPUS, POLNEAR_DEV, SAMPLE_CHECKS, SAMPLE_GOLD, SPEAKER_GOLD
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

    speakers = tasks.add_parser(
        "speakers", help="score speaker resolution against the project's speaker gold on PolNeAR dev",
        description="Run the engine on the PolNeAR articles the speaker gold names and score whom each gold "
                    "relation's source is resolved to: accuracy over all rows (a relation the engine missed "
                    "counts as wrong), by kind of source (name, nominal, pronoun), and of the speaker type.")
    speakers.add_argument("--gold", type=Path, default=SPEAKER_GOLD, metavar="FILE",
                          help=f"speaker gold JSONL (default: {SPEAKER_GOLD})")
    speakers.add_argument("--polnear", type=Path, default=POLNEAR_DEV, metavar="DIR",
                          help=f"the PolNeAR split the gold is about (default: {POLNEAR_DEV})")
    speakers.add_argument("--predictions", type=Path, default=None, metavar="FILE.jsonl",
                          help="predicted claims (claims format); default: run the engine")
    speakers.add_argument("--no-tagger", action="store_true", help="run the engine without the contextual cue tagger")
    speakers.add_argument("--json", type=Path, default=None, metavar="FILE", help="also write the scores as JSON")
    speakers.add_argument("--errors", type=int, default=0, metavar="N", help="list N wrong rows")
    speakers.set_defaults(func=run_speakers)

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

    compare = tasks.add_parser(
        "compare", help="score claim groups and disagreements against an annotated corpus",
        description="Run `compare` over every statement of an annotated corpus (a folder with articles.jsonl "
                    "and annotations.json, as examples/compare_corpus) and score it: pairwise precision, "
                    "recall and F1 of the claim groups over the annotated members; precision and recall of "
                    "the disagreements over pairs of annotated quotes; and the annotated speakers' timelines.")
    compare.add_argument("--corpus", type=Path, default=COMPARE_CORPUS, metavar="DIR",
                         help=f"the annotated corpus (default: {COMPARE_CORPUS})")
    compare.add_argument("--json", type=Path, default=None, metavar="FILE", help="also write the report as JSON")
    compare.add_argument("--errors", type=int, default=10, metavar="N",
                         help="list up to N wrong disagreements (default 10)")
    compare.set_defaults(func=run_compare)


def run_compare(args: argparse.Namespace) -> int:
    from ..compare import CompareConfig, compare_statements, statements_by, statements_of
    from ..consistency import load_consistency_model
    from ..corpus import read_articles
    from ..evaluate_compare import read_compare_gold, score_comparison, score_speaker_timeline
    from ..summarize import default_encode
    from ..verify import engine_claims

    if args.json is not None:
        writable_target(args.json)
    articles_path, gold_path = args.corpus / "articles.jsonl", args.corpus / "annotations.json"
    for path in (articles_path, gold_path):
        if not path.is_file():
            raise AssistantError(f"{path}: no such file (a corpus folder holds articles.jsonl and annotations.json)")
    gold = read_compare_gold(gold_path)
    articles = read_articles([articles_path], warn)
    claims = engine_claims(articles)
    statements = [s for a, c in zip(articles, claims) for s in statements_of(a, c)]
    comparison = compare_statements(str(args.corpus), statements, default_encode, load_consistency_model(),
                                    CompareConfig())
    report = score_comparison(gold, articles, comparison)
    g, d = report["grouping"], report["disagreements"]
    print(f"{len(articles)} articles, {report['statements']} statements, {report['groups']} groups predicted")
    print(f"grouping (pairwise, {g['gold']} gold pairs): precision {g['precision']:.3f}  recall {g['recall']:.3f}  "
          f"F1 {g['f1']:.3f}  ({g['unmatched_members']} annotated members matched no statement)")
    print(f"disagreements ({d['gold']} annotated): precision {d['precision']:.3f} ({d['correct']}/{d['counted']} "
          f"over annotated quotes; {d['predicted']} found in all)  recall {d['recall']:.3f}"
          + (f"  missed: {', '.join(d['missed'])}" if d["missed"] else ""))
    for line in d["wrong"][:args.errors]:
        print(f"  wrong: {line}")
    report["timelines"] = []
    for speaker in gold.timelines:
        entry = score_speaker_timeline(gold, speaker, statements_by(speaker, articles, claims), articles)
        report["timelines"].append(entry)
        print(f"timeline of {speaker}: {entry['found']}/{entry['annotated']} annotated statements found "
              f"({entry['statements']} claims given to the speaker)")
    if args.json is not None:
        write_text_atomic(args.json, json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    return 0


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


def run_speakers(args: argparse.Namespace) -> int:
    from ..evaluate import read_claims, read_polnear
    from ..evaluate_speakers import read_speaker_gold, score_speakers

    if args.errors < 0:
        raise AssistantError("--errors must not be negative")
    if args.json is not None:
        writable_target(args.json)
    rows = read_speaker_gold(args.gold)
    if args.predictions is not None:
        predictions = read_claims(args.predictions)
    else:
        wanted = {r.article for r in rows}
        articles = [a for a in read_polnear(args.polnear, warn=warn).articles if a.id in wanted]
        if missing := wanted - {a.id for a in articles}:
            raise AssistantError(f"{args.polnear}: {len(missing)} article(s) of the gold not found, e.g. {min(missing)}")
        predictions = [c for claims in _run_engine(articles, contextual=not args.no_tagger) for c in claims]
    report = score_speakers(rows, predictions)
    print(f"{report['rows']} gold relations in {report['articles']} articles; {report['missed']} not found by the engine")
    for group, entry in report["accuracy"].items():
        print(f"  {group:<8} {entry['accuracy']:.3f}  ({entry['right']}/{entry['n']})")
    if report["type_accuracy"] is not None:
        print(f"  type     {report['type_accuracy']:.3f}  (of {report['type_judged']} found relations whose type is judged)")
    for w in report["wrong"][:args.errors]:
        print(f"  wrong: {w['article']} {w['source']} {w['kind']}: gold {w['gold']!r}, got "
              + ("nothing (missed)" if w["missed"] else f"{w['predicted']!r} ({w['predicted_type']}) from {w['predicted_span']!r}"))
    if args.json is not None:
        write_text_atomic(args.json, json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    return 0


def _run_engine(articles: Sequence[Article], contextual: bool) -> list[list[Claim]]:
    try:
        from ..attribution import extract_claims
    except ImportError as exc:
        raise AssistantError(f"the attribution engine is not available ({exc}); "
                             "pass --predictions FILE.jsonl") from exc
    return extract_claims(articles, progress=True, contextual=contextual)
