"""`assistant demo`: the main job on the bundled sample coverage, end to end.

Ingests examples/sample_coverage.txt into the index, then shows what each feature gives on
it: the attributed claims (who said what), a cited summary per article, a cited answer to a
question, claims checked against the coverage, and the attribution scores against the
bundled gold set. Then ingests the compare corpus (examples/compare_corpus: 16 articles, 6
outlets, 3 events) and compares its coverage of one event: claim groups, disagreements,
timeline.
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from ..config import COMPARE_CORPUS, SAMPLE_CORPUS, SAMPLE_GOLD

DEMO_QUESTION = "How many people were killed at the school in Gaza City?"
DEMO_TOPIC = "How many people died in the Port Aven factory fire?"
DEMO_CLAIMS = [  # one of each kind a fact-checker meets: reported, misattributed, disputed, absent
    "Eight people were killed at a school in Gaza City.",
    "Palestinian medics said the strike targeted a command center.",
    "Israel carried out ethnic cleansing in north Gaza.",
    "Blinken visited Baghdad in person.",
]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo", help="run every feature on the bundled sample coverage",
        description=f"Ingests {SAMPLE_CORPUS.name} into a temporary index (or --index DIR), then prints its "
                    "attributed claims, a cited summary of each article, a cited answer and the attribution "
                    "eval scores.")
    parser.add_argument("--question", default=DEMO_QUESTION, help=f"question to ask (default: {DEMO_QUESTION!r})")
    parser.add_argument("--index", type=Path, default=None, metavar="DIR",
                        help="index to put the sample in (default: a temporary one, removed at the end, so "
                             "your own index is left as it is)")
    parser.set_defaults(func=run)


def _heading(title: str) -> None:
    print(f"\n=== {title} " + "=" * max(0, 70 - len(title)))


def run(args: argparse.Namespace) -> int:
    if args.index is not None:
        return run_in(args, args.index)
    with tempfile.TemporaryDirectory(prefix="news-assistant-demo-") as folder:
        return run_in(args, Path(folder))


def run_in(args: argparse.Namespace, folder: Path) -> int:
    from ..answer import answer_question
    from ..attribution import extract_claims
    from ..attribution.formats import to_table
    from ..corpus import read_articles
    from ..evaluate import evaluate, read_gold
    from ..index import SentenceIndex
    from ..summarize import summarize_articles
    from ..verify import Verifier
    from ..check import Checker
    from .ask import answer_text
    from .check import render
    from .common import warn
    from .summarize import summary_text

    _heading(f"Ingest {SAMPLE_CORPUS.name} -> " + (str(folder) if args.index else "a temporary index"))
    index = SentenceIndex(folder)
    sample = read_articles([SAMPLE_CORPUS], warn)
    report = index.add(sample, progress=True)
    print(f"{report.added} added, {report.updated} updated, {report.skipped} unchanged; "
          f"{len(index)} sentences in the index")
    sample_ids = {a.id for a in sample}
    articles = [a for a in index.articles() if a.id in sample_ids]

    _heading("Who said what")
    claims = extract_claims(articles)
    print(to_table(articles, claims))

    _heading("Summaries (each sentence cites its source sentence)")
    summaries = summarize_articles(articles, 3, embed=lambda a: index.sentence_embeddings(a.id),
                                   encode=index.encode, verifier=Verifier(index.encode))
    print("".join(map(summary_text, summaries)), end="")

    _heading(f"Ask: {args.question}")
    print(answer_text(answer_question(args.question, index, 8, verifier=Verifier(index.encode))), end="")

    _heading("Check claims against the coverage")
    by_id = {a.id: c for a, c in zip(articles, claims)}  # found above: not extracted again
    checker = Checker(attribution=lambda batch: [by_id.get(a.id, []) for a in batch])
    print(render([checker.check_claim(c, index).to_dict() for c in DEMO_CLAIMS], "table"), end="")

    _heading(f"Attribution eval against {SAMPLE_GOLD.name}")
    gold = read_gold(SAMPLE_GOLD)
    print(evaluate(gold.articles, gold.claims, [c for cs in claims for c in cs]).table())

    _heading(f"Compare the coverage: {DEMO_TOPIC}")
    from ..compare import compare_index
    from .compare import render as render_comparison

    corpus = read_articles([COMPARE_CORPUS / "articles.jsonl"], warn)
    report = index.add(corpus)
    print(f"{COMPARE_CORPUS.name}: {report.added} added, {report.skipped} unchanged")
    print(render_comparison(compare_index(index, DEMO_TOPIC).to_dict(), "table"), end="")
    print("\nNext: assistant ask \"...\", assistant check \"...\", assistant compare \"...\", assistant claims ID, "
          "assistant summarize ID, assistant eval compare, assistant serve"
          + ("" if args.index else "\n(The demo's index was temporary and is gone; `assistant ingest PATH` "
                                   "builds your own.)"))
    return 0
