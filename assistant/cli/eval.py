"""`assistant eval attribution`, `assistant eval factcheck`, `assistant eval compare` and
`assistant eval qa`: quality against gold data."""
from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..config import COMPARE_CORPUS, POLNEAR_DEV, SAMPLE_CHECKS, SAMPLE_CORPUS, SAMPLE_GOLD, SAMPLE_QA, SPEAKER_GOLD
from ..errors import AssistantError
from ..fileio import writable_target, write_text_atomic
from ..types import Article, Claim
from .common import FORMATS, add_output_options, render_output, warn, write_output


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
    add_report_options(attribution)
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
    add_report_options(speakers)
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
    factcheck.add_argument("--model", type=Path, default=None, metavar="FILE",
                           help="a consistency model file to evaluate (default: the shipped one)")
    factcheck.add_argument("--no-attribution", action="store_true", help="check without the attribution engine")
    add_report_options(factcheck)
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
    add_report_options(compare)
    compare.add_argument("--errors", type=int, default=10, metavar="N",
                         help="list up to N wrong disagreements (default 10)")
    compare.set_defaults(func=run_compare)

    qa = tasks.add_parser(
        "qa", help="score `ask` on a question set: answered and cited right, near misses declined",
        description="Ask every question of a set (eval/qa: answerable ones with the offsets of the sentence that "
                    "answers, and near misses no article answers) and score the answers: answerable ones "
                    "answered, citing that sentence, with the key strings; near misses declined; and recall@k "
                    "of the answering sentence for dense, BM25, fused and re-ranked retrieval. Without "
                    "--index, a temporary index of --polnear DIR (its text/ files) or of the bundled sample.")
    qa.add_argument("--set", type=Path, default=SAMPLE_QA, metavar="FILE.jsonl",
                    help=f"the question set (default: {SAMPLE_QA})")
    where = qa.add_mutually_exclusive_group()
    where.add_argument("--polnear", type=Path, default=None, metavar="DIR",
                       help="index this PolNeAR split (e.g. ../shared/polnear/dev) for the run")
    where.add_argument("--index", type=Path, default=None, metavar="DIR", help="an index holding the set's articles")
    qa.add_argument("-k", type=int, default=8, help="sentences retrieved per question (default 8)")
    qa.add_argument("--rerank", type=int, default=None, metavar="DEPTH",
                    help="retrieve DEPTH sentences and keep the k the answerability model rates highest "
                         "(default: as `ask` does, 24; 0: the index's own first k)")
    qa.add_argument("--reader", type=Path, default=None, metavar="FILE",
                    help="also read the first sentences with this answer reader (eval/train_answer_reader.py) "
                         "and decide by its judgement joined with the answerability model's")
    add_report_options(qa)
    qa.add_argument("--errors", type=int, default=10, metavar="N", help="list up to N wrong questions (default 10)")
    qa.set_defaults(func=run_qa)


def run_qa(args: argparse.Namespace) -> int:
    import tempfile

    from dataclasses import replace

    from ..answer_reader import load_answer_reader
    from ..answerability import AnswerabilityConfig, load_answerability_model
    from ..evaluate_qa import evaluate_qa, read_qa_set

    check_report_targets(args)
    if args.errors < 0 or args.k < 1 or (args.rerank is not None and 0 < args.rerank < args.k) \
            or (args.rerank or 0) < 0:
        raise AssistantError("--errors must not be negative, -k must be at least 1 and --rerank 0 or at least -k")
    items = read_qa_set(args.set)
    model = load_answerability_model()
    reader = load_answer_reader(args.reader) if args.reader is not None else None
    with tempfile.TemporaryDirectory() as tmp:
        index = _eval_index(args.index, tmp, args.polnear / "text" if args.polnear is not None else SAMPLE_CORPUS)
        config = (AnswerabilityConfig(rerank=args.rerank > 0, rerank_depth=args.rerank or args.k)
                  if args.rerank is not None else AnswerabilityConfig())
        config = replace(config, reader=reader is not None)
        report = evaluate_qa(items, index, model, config, args.k, reader)
        sentences = len(index)

    def figure(value: float | None) -> str:
        return "-" if value is None else f"{value:.3f}"

    lines = [f"{args.set.name}: {report['questions']} questions over {sentences} sentences",
             f"answerable ({report['answerable']}): answered and cited right {figure(report['answered_and_cited_right'])}"
             f"  (answered {figure(report['answered'])}, citing the answering sentence {figure(report['cited_right'])})",
             f"near misses ({report['unanswerable']}): declined {figure(report['unanswerable_declined'])}",
             f"recall@{args.k} of the answering sentence: "
             + "  ".join(f"{name} {figure(v)}" for name, v in report["recall_at_k"].items())]
    wrong = [r for r in report["results"] if not r["right"]]
    for r in wrong[:args.errors]:
        why = ("declined" if not r["answered"] else "cited another sentence" if not r["cited_right"]
               else "a key string missing") if r["answerable"] else "answered"
        lines.append(f"  wrong: {r['id']} ({why}): {r['question']} -> {r['answer'][:160]}")
    rows = [{"measure": name, "value": report[key]} for name, key in (
        ("answered and cited right", "answered_and_cited_right"), ("answered", "answered"),
        ("cited the answering sentence", "cited_right"), ("near misses declined", "unanswerable_declined"))]
    rows += [{"measure": f"recall@{args.k} {name}", "value": v} for name, v in report["recall_at_k"].items()]
    return write_report(args, report, rows, lines, ["measure", "value"])


def add_report_options(parser: argparse.ArgumentParser) -> None:
    """--format and -o as every command has them; the old ``--json FILE`` (the JSON report
    written beside the text) still works."""
    add_output_options(parser, FORMATS, index=False)
    parser.add_argument("--json", type=Path, default=None, metavar="FILE", help=argparse.SUPPRESS)


def check_report_targets(args: argparse.Namespace, *more: Path | None) -> None:
    for output in (args.output, args.json, *more):
        if output is not None:
            writable_target(output)  # a bad output path fails before the long work


def write_report(args: argparse.Namespace, payload: dict[str, Any], rows: list[dict[str, Any]], lines: list[str],
                 columns: Sequence[str]) -> int:
    """The report in --format (to -o FILE or the terminal), and as JSON to the old --json FILE."""
    if args.json is not None:
        write_text_atomic(args.json, json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    text = "\n".join(lines) + "\n"
    write_output(render_output(args.format, payload, rows, lambda: text, columns), args.format, args.output)
    return 0


def run_compare(args: argparse.Namespace) -> int:
    from ..compare import CompareConfig, compare_statements, statements_by, statements_of
    from ..consistency import load_consistency_model
    from ..corpus import read_articles
    from ..evaluate_compare import read_compare_gold, score_comparison, score_speaker_timeline
    from ..summarize import default_encode
    from ..verify import engine_claims

    check_report_targets(args)
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
    lines = [f"{len(articles)} articles, {report['statements']} statements, {report['groups']} groups predicted",
             f"grouping (pairwise, {g['gold']} gold pairs): precision {g['precision']:.3f}  recall {g['recall']:.3f}  "
          f"F1 {g['f1']:.3f}  ({g['unmatched_members']} annotated members matched no statement)",
             f"disagreements ({d['gold']} annotated): precision {d['precision']:.3f} ({d['correct']}/{d['counted']} "
          f"over annotated quotes; {d['predicted']} found in all)  recall {d['recall']:.3f}"
          + (f"  missed: {', '.join(d['missed'])}" if d["missed"] else "")]
    lines += [f"  wrong: {line}" for line in d["wrong"][:args.errors]]
    report["timelines"] = []
    for speaker in gold.timelines:
        entry = score_speaker_timeline(gold, speaker, statements_by(speaker, articles, claims), articles)
        report["timelines"].append(entry)
        lines.append(f"timeline of {speaker}: {entry['found']}/{entry['annotated']} annotated statements found "
                     f"({entry['statements']} claims given to the speaker)")
    rows = [{"measure": name, "precision": m["precision"], "recall": m["recall"], "f1": m.get("f1", ""),
             "found": "", "of": m["gold"]} for name, m in (("grouping", g), ("disagreements", d))]
    rows += [{"measure": f"timeline of {t['speaker']}", "precision": "", "recall": "", "f1": "", "found": t["found"],
              "of": t["annotated"]} for t in report["timelines"]]
    return write_report(args, report, rows, lines, ["measure", "precision", "recall", "f1", "found", "of"])


def run_factcheck(args: argparse.Namespace) -> int:
    import tempfile

    from ..check import Checker
    from ..evaluate_check import (check_consistency, check_set_report, consistency_report, read_check_set,
                                  read_consistency_items)

    if args.limit is not None and args.limit < 1:
        raise AssistantError("--limit must be at least 1")
    check_report_targets(args)
    from ..consistency import load_consistency_model

    model = load_consistency_model(args.model) if args.model is not None else None
    checker = Checker(model, use_attribution=not args.no_attribution)
    report: dict[str, Any] = {}
    lines: list[str] = []
    for path in args.data:
        items = read_consistency_items(path)[:args.limit]
        results = check_consistency(checker, items)
        for dataset, entry in consistency_report(items, results).items():
            report[dataset] = entry
            lines.append(f"{dataset:<22} n={entry['n']:<5} AUC {entry['auc']:.3f}  balanced accuracy {entry['balanced_accuracy']:.3f} "
                  f"(threshold {entry['threshold']:.3f} from the {entry['threshold_cut']} cut"
                  + (f"; cross-fitted {entry['balanced_accuracy_cross_fitted']:.3f}" if "balanced_accuracy_cross_fitted" in entry else "")
                  + f")  verdict balanced accuracy {entry['verdict_balanced_accuracy']:.3f}")
    checks_path = args.checks or (SAMPLE_CHECKS if not args.data else None)
    if checks_path is not None:
        claims = read_check_set(checks_path)
        with tempfile.TemporaryDirectory() as tmp:
            index = _eval_index(args.index, tmp)
            from tqdm import tqdm

            results = [checker.check_claim(c.claim, index, claim_id=c.id)
                       for c in tqdm(claims, desc="check", unit="claim", mininterval=10)]
        entry = check_set_report(claims, results)
        report[f"checks:{checks_path.name}"] = entry
        lines.append(f"{checks_path.name}: {entry['n']} claims, accuracy {entry['accuracy']:.3f} (four verdicts), "
              f"{entry['accuracy_three_way']:.3f} (disputed counted as contradicted)"
              + (f"; speaker named for {entry['speaker_named']:.3f} of {entry['speaker_cases']} attributed supported claims"
                 if entry["speaker_named"] is not None else ""))
        lines += [f"  {kind:<16} {k['accuracy']:.2f}  (n={k['n']})" for kind, k in entry["by_kind"].items()]
        lines += [f"  wrong: {e['id']} expected {e['expected']}, got {e['got']} ({e['score']:.2f}): {e['claim']}"
                  for e in entry["errors"][:args.errors]]
    columns = ["set", "n", "auc", "balanced_accuracy", "verdict_balanced_accuracy", "accuracy", "accuracy_three_way"]
    rows = [{"set": name, **{c: entry.get(c, "") for c in columns[1:]}} for name, entry in report.items()]
    return write_report(args, report, rows, lines, columns)


def _eval_index(given: Path | None, tmp: str, source: Path = SAMPLE_CORPUS) -> Any:
    """The index at ``given``, else a temporary one of ``source`` built under ``tmp``."""
    from ..index import SentenceIndex

    if given is not None:
        if not SentenceIndex.exists(given):
            raise AssistantError(f"no index at {given}")
        return SentenceIndex(given)
    from ..corpus import read_articles

    if not source.exists():
        raise AssistantError(f"{source}: no such file or directory")
    index = SentenceIndex(Path(tmp) / "index")
    index.add(read_articles([source], warn), progress=source != SAMPLE_CORPUS)
    return index


def run_attribution(args: argparse.Namespace) -> int:
    from ..evaluate import evaluate, read_claims, read_gold, read_polnear

    if args.limit is not None and (args.limit < 1 or args.polnear is None):
        raise AssistantError("--limit takes a number of articles (at least 1) and needs --polnear")
    if args.errors < 0:
        raise AssistantError("--errors must not be negative")
    check_report_targets(args, args.save_predictions)
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
    lines = [report.table()] + (["", report.format_errors(args.errors)] if args.errors else [])
    payload: dict[str, Any] = report.to_dict()
    payload["gold"] = str(args.polnear or args.gold or SAMPLE_GOLD)
    payload["predictions"] = str(args.predictions) if args.predictions else "engine"
    if args.errors:
        payload["errors"] = report.errors(args.errors)
    rows = [{"role": role, "match": mode, **scores} for mode, roles in payload["scores"].items()
            for role, scores in roles.items()]
    return write_report(args, payload, rows, lines, ["role", "match", "precision", "recall", "f1", "tp", "fp", "fn"])


def run_speakers(args: argparse.Namespace) -> int:
    from ..evaluate import read_claims, read_polnear
    from ..evaluate_speakers import read_speaker_gold, score_speakers

    if args.errors < 0:
        raise AssistantError("--errors must not be negative")
    check_report_targets(args)
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
    lines = [f"{report['rows']} gold relations in {report['articles']} articles; {report['missed']} not found by the engine"]
    lines += [f"  {group:<8} {entry['accuracy']:.3f}  ({entry['right']}/{entry['n']})"
              for group, entry in report["accuracy"].items()]
    if report["type_accuracy"] is not None:
        lines.append(f"  type     {report['type_accuracy']:.3f}  (of {report['type_judged']} found relations whose type is judged)")
    for w in report["wrong"][:args.errors]:
        lines.append(f"  wrong: {w['article']} {w['source']} {w['kind']}: gold {w['gold']!r}, got "
                     + ("nothing (missed)" if w["missed"] else
                        f"{w['predicted']!r} ({w['predicted_type']}) from {w['predicted_span']!r}"))
    table = [{"group": group, "accuracy": entry["accuracy"], "right": entry["right"], "n": entry["n"]}
             for group, entry in report["accuracy"].items()]
    return write_report(args, report, table, lines, ["group", "accuracy", "right", "n"])


def _run_engine(articles: Sequence[Article], contextual: bool) -> list[list[Claim]]:
    try:
        from ..attribution import extract_claims
    except ImportError as exc:
        raise AssistantError(f"the attribution engine is not available ({exc}); "
                             "pass --predictions FILE.jsonl") from exc
    return extract_claims(articles, progress=True, contextual=contextual)
