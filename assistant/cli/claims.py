"""`assistant claims`: who said what in articles given as files or as indexed article ids."""
from __future__ import annotations

import argparse
import sys

from ..errors import AssistantError
from .common import (add_generator_options, add_output_options, add_ray_option, articles_from_inputs, colour_wanted,
                     generator_from_args, index_dir, write_output)


def register(subparsers: argparse._SubParsersAction) -> None:
    from ..attribution.formats import FORMATS

    parser = subparsers.add_parser(
        "claims", help="list attributed claims (speaker, cue, claim) with their source sentences",
        description="Extract attributed claims - who said, told, announced or believes what - from "
                    "articles: files or folders read directly (no index needed), or ids of "
                    "articles in the index.")
    parser.add_argument("inputs", nargs="+", metavar="PATH|ARTICLE_ID",
                        help="a file, a folder, hf:NAME[:SPLIT], or an indexed article id")
    parser.add_argument("--batch-size", type=int, default=16, metavar="N",
                        help="articles parsed per spaCy batch (default: 16)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--no-tagger", action="store_true",
                        help="score cue words with the linear cue model alone, without the contextual "
                             "tagger (faster, fewer claims found)")
    add_output_options(parser, FORMATS)  # jsonl is the shared claims format
    add_generator_options(parser, nli=False, max_new_tokens=16)
    parser.epilog = ("With --generator, the model is asked who a pronoun refers to where the rules "
                     "find no antecedent; its answer is kept only when that name is written in the "
                     "article before the pronoun. Claim spans always come from the source text.")
    add_ray_option(parser, "the claim extraction")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..attribution import extract_claims, generator_proposer
    from ..attribution.formats import render
    from ..fileio import writable_target

    if args.batch_size < 1:
        raise AssistantError("--batch-size must be at least 1")
    if args.output is not None:
        writable_target(args.output)  # a bad -o fails before the long work
    articles, _ = articles_from_inputs(args.inputs, index_dir(args))
    if not articles:
        raise AssistantError("no articles found in " + " ".join(args.inputs))
    if args.ray is not None:
        if args.generator:
            raise AssistantError("--ray and --generator cannot be combined (the generator is not sent to Ray)")
        from ..cluster.claims import claims_on_ray

        claims = claims_on_ray(articles, args.ray or None, contextual=not args.no_tagger, progress=not args.quiet)
    else:
        generator = generator_from_args(args)
        propose = generator_proposer(generator) if generator is not None else None
        claims = extract_claims(articles, progress=not args.quiet, batch_size=args.batch_size,
                                propose_speaker=propose, contextual=not args.no_tagger)
    colour = colour_wanted(args)
    text = render(args.format, articles, claims, color=colour)
    write_output(text, args.format, args.output, styled=colour)
    if args.output is not None:
        n = sum(len(c) for c in claims)
        print(f"wrote {n} claim{'s' if n != 1 else ''} from {len(articles)} article"
              f"{'s' if len(articles) != 1 else ''} to {args.output}", file=sys.stderr)
    return 0
