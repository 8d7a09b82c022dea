"""`assistant summarize ARTICLE_ID|PATH`: cited summaries, extractive or generated and verified."""
from __future__ import annotations

import argparse
import json

from ..errors import AssistantError
from ..summarize import Summary, encoder_embed, summarize_articles
from ..verify import EntailmentModel, Verifier
from .common import (add_generator_options, add_index_option, articles_from_inputs, generator_from_args, index_dir,
                     print_text, terminal_json)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "summarize", help="summarise articles; every sentence cites its sources",
        description="Extractive by default (central, non-redundant body sentences); with --generator, "
                    "a generated summary whose sentences are aligned to their sources and labelled "
                    "supported / weak / unsupported.")
    parser.add_argument("target", metavar="ARTICLE_ID|PATH",
                        help="an article id in the index, or a file/folder of articles")
    parser.add_argument("--sentences", "-n", type=int, default=3, metavar="N",
                        help="sentences per summary (default 3)")
    parser.add_argument("--claims", action="store_true",
                        help="with --generator: also list the generator's 'speaker: claim' items, "
                             "each matched to an attributed claim or flagged unverified")
    add_generator_options(parser)
    parser.add_argument("--json", action="store_true", help="print the summaries as JSON")
    add_index_option(parser)
    parser.set_defaults(func=run)


def verifier_from_args(args: argparse.Namespace, encode) -> Verifier:  # noqa: ANN001 - an encode callable
    return Verifier(encode, EntailmentModel(args.nli) if args.nli else None)


def print_summary(summary: Summary) -> None:
    print_text(f"# {summary.title or '(untitled)'}  [{summary.article_id}]")
    print_text(f"  ({summary.method}{', ' + summary.generator if summary.generator else ''})")
    for note in summary.notes:
        print_text(f"  ! {note}")
    for sentence in summary.sentences:
        cites = ", ".join(f"s{c.sentence_index}" for c in sentence.citations) or "no source"
        flag = "" if sentence.support == "supported" and not sentence.issues else f"  <{sentence.support.upper()}>"
        print_text(f"- {sentence.text} [{cites}]{flag}")
        for issue in sentence.issues:
            print_text(f"    ! {issue}")
    if summary.claims is not None:
        print_text("  claims:")
        for check in summary.claims:
            where = f" [s{check.citation.sentence_index}]" if check.citation else ""
            print_text(f"  - {check.speaker or '?'}: {check.claim}{where}  <{check.status.upper()}>")
            for issue in check.issues:
                print_text(f"      ! {issue}")
    print()


def run(args: argparse.Namespace) -> int:
    if args.sentences < 1:
        raise AssistantError("--sentences must be at least 1")
    if args.claims and not args.generator:
        raise AssistantError("--claims needs --generator")
    articles, index = articles_from_inputs([args.target], index_dir(args))
    if not articles:
        raise AssistantError(f"{args.target}: no articles found")
    if index is not None:
        embed, encode = (lambda a: index.sentence_embeddings(a.id)), index.encode
    else:
        from ..summarize import default_encode

        embed, encode = encoder_embed(default_encode), default_encode
    summaries = summarize_articles(articles, args.sentences, generator=generator_from_args(args),
                                   verifier=verifier_from_args(args, encode), embed=embed, encode=encode,
                                   with_claims=args.claims, progress=len(articles) > 1)
    if args.json:
        print(terminal_json(json.dumps([s.to_dict() for s in summaries], ensure_ascii=False, indent=2)))
    else:
        for summary in summaries:
            print_summary(summary)
    return 0
