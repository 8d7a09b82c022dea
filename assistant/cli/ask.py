"""`assistant ask "QUESTION"`: an answer from the indexed coverage, every sentence cited."""
from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from ..answer import Answer, answer_question
from ..errors import AssistantError
from ..index import MAX_K, SentenceIndex
from ..output import provenance
from .common import (FORMATS, add_generator_options, add_json_alias, add_output_options, capped_k, generator_from_args,
                     index_dir, render_output, write_output)
from .summarize import verifier_from_args


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ask", help="answer a question from the coverage, with citations",
        description="Retrieves the sentences that bear on the question and answers from them, "
                    "citing each; says 'The coverage does not say.' when nothing relevant is found.")
    parser.add_argument("question", help="the question, in your own words")
    parser.add_argument("-k", type=int, default=8, help=f"sentences to retrieve (default 8, at most {MAX_K})")
    add_generator_options(parser)
    add_output_options(parser, FORMATS)
    add_json_alias(parser)
    parser.set_defaults(func=run)


def answer_text(answer: Answer) -> str:
    """The answer for a person: its sentences, how it was made, notes, then the numbered sources."""
    lines = [answer.text, f"(method: {answer.method}{', ' + answer.generator if answer.generator else ''})"]
    lines += [f"! {note}" for note in answer.notes]
    for n, sentence in enumerate(answer.sentences, 1):
        if sentence.support != "supported" or sentence.issues:
            lines.append(f"! sentence {n} is {sentence.support}: {'; '.join(sentence.issues) or 'weak support'}")
    if answer.sources:  # shown even when the generator found no answer in them
        lines.append("")
        for n, source in enumerate(answer.sources, 1):
            where = provenance(asdict(source)) or source.article_id
            lines.append(f"[{n}] {where} (sentence {source.sentence_index}): {source.text}")
    return "\n".join(lines) + "\n"


def answer_rows(answer: Answer) -> list[dict[str, Any]]:
    """One row per (answer sentence, source it cites), with the source's provenance."""
    rows = []
    for n, sentence in enumerate(answer.sentences, 1):
        for cited in sentence.sources or [0]:
            source = answer.sources[cited - 1] if 0 < cited <= len(answer.sources) else None
            rows.append({"question": answer.question, "sentence": n, "text": sentence.text,
                         "support": sentence.support, "cites": cited or "",
                         **{k: getattr(source, k, "") for k in ("article_id", "article_title", "source", "published",
                                                                 "url", "start", "end")},
                         "source_text": source.text if source else ""})
    return rows


def run(args: argparse.Namespace) -> int:
    folder = index_dir(args)
    if not SentenceIndex.exists(folder):
        raise AssistantError(f"no index at {folder}: run `assistant ingest PATH... --index {folder}` first")
    index = SentenceIndex(folder)
    answer = answer_question(args.question, index, capped_k(args.k), generator=generator_from_args(args),
                             verifier=verifier_from_args(args, index.encode))
    columns = ["sentence", "text", "support", "cites", "source_text", "article_title", "source", "published", "url"]
    output = render_output(args.format, answer.to_dict(), answer_rows(answer), lambda: answer_text(answer), columns)
    write_output(output, args.format, args.output)
    return 0
