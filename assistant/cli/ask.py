"""`assistant ask "QUESTION"`: an answer from the indexed coverage, every sentence cited."""
from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from ..answer import Answer, answer_question
from ..errors import AssistantError
from ..index import MAX_K, SentenceIndex
from ..output import provenance
from .common import (add_generator_options, add_index_option, capped_k, generator_from_args, index_dir,
                     print_text, terminal_json)
from .summarize import verifier_from_args


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ask", help="answer a question from the coverage, with citations",
        description="Retrieves the sentences that bear on the question and answers from them, "
                    "citing each; says 'The coverage does not say.' when nothing relevant is found.")
    parser.add_argument("question", help="the question, in your own words")
    parser.add_argument("-k", type=int, default=8, help=f"sentences to retrieve (default 8, at most {MAX_K})")
    add_generator_options(parser)
    parser.add_argument("--json", action="store_true", help="print the answer as JSON")
    add_index_option(parser)
    parser.set_defaults(func=run)


def print_answer(answer: Answer) -> None:
    print_text(answer.text)
    print(f"(method: {answer.method}{', ' + answer.generator if answer.generator else ''})")
    for note in answer.notes:
        print_text(f"! {note}")
    for n, sentence in enumerate(answer.sentences, 1):
        if sentence.support != "supported" or sentence.issues:
            print_text(f"! sentence {n} is {sentence.support}: {'; '.join(sentence.issues) or 'weak support'}")
    if answer.sources:  # shown even when the generator found no answer in them
        print()
        for n, source in enumerate(answer.sources, 1):
            where = provenance(asdict(source)) or source.article_id
            print_text(f"[{n}] {where} (sentence {source.sentence_index}): {source.text}")


def run(args: argparse.Namespace) -> int:
    folder = index_dir(args)
    if not SentenceIndex.exists(folder):
        raise AssistantError(f"no index at {folder}: run `assistant ingest PATH... --index {folder}` first")
    index = SentenceIndex(folder)
    answer = answer_question(args.question, index, capped_k(args.k), generator=generator_from_args(args),
                             verifier=verifier_from_args(args, index.encode))
    if args.json:
        print(terminal_json(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2)))
    else:
        print_answer(answer)
    return 0
