"""`assistant summarize ARTICLE_ID|PATH`: cited summaries, extractive or generated and verified."""
from __future__ import annotations

import argparse
from typing import Any

from ..errors import AssistantError
from ..summarize import Summary, encoder_embed, summarize_articles
from ..types import Article
from ..verify import EntailmentModel, Verifier
from .common import (FORMATS, add_generator_options, add_json_alias, add_output_options, articles_from_inputs,
                     generator_from_args, index_dir, render_output, write_output)


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
    add_output_options(parser, FORMATS)
    add_json_alias(parser)
    parser.set_defaults(func=run)


def verifier_from_args(args: argparse.Namespace, encode) -> Verifier:  # noqa: ANN001 - an encode callable
    return Verifier(encode, EntailmentModel(args.nli) if args.nli else None)


def summary_text(summary: Summary) -> str:
    """A summary for a person: each sentence with the article sentences it cites and its flags."""
    lines = [f"# {summary.title or '(untitled)'}  [{summary.article_id}]",
             f"  ({summary.method}{', ' + summary.generator if summary.generator else ''})"]
    lines += [f"  ! {note}" for note in summary.notes]
    for sentence in summary.sentences:
        cites = ", ".join(f"s{c.sentence_index}" for c in sentence.citations) or "no source"
        flag = "" if sentence.support == "supported" and not sentence.issues else f"  <{sentence.support.upper()}>"
        lines.append(f"- {sentence.text} [{cites}]{flag}")
        lines += [f"    ! {issue}" for issue in sentence.issues]
    if summary.claims is not None:
        lines.append("  claims:")
        for check in summary.claims:
            where = f" [s{check.citation.sentence_index}]" if check.citation else ""
            lines.append(f"  - {check.speaker or '?'}: {check.claim}{where}  <{check.status.upper()}>")
            lines += [f"      ! {issue}" for issue in check.issues]
    return "\n".join(lines) + "\n\n"


def summary_rows(summary: Summary, article: Article) -> list[dict[str, Any]]:
    """One row per summary sentence, with its article's provenance and the sentences it cites."""
    return [{"article_id": article.id, "title": article.title, "source": article.source,
             "published": article.published, "url": article.url, "method": summary.method, "text": s.text,
             "support": s.support, "cites": " ".join(f"s{c.sentence_index}" for c in s.citations),
             "issues": "; ".join(s.issues)} for s in summary.sentences]


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
    rows = [row for summary, article in zip(summaries, articles) for row in summary_rows(summary, article)]
    columns = ["title", "source", "published", "text", "support", "cites", "url"]
    output = render_output(args.format, [s.to_dict() for s in summaries], rows,
                           lambda: "".join(map(summary_text, summaries)), columns)
    write_output(output, args.format, args.output)
    return 0
