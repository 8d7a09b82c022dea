"""`assistant ingest PATH...`: read coverage and add it to the sentence index."""
from __future__ import annotations

import argparse
import sys

from tqdm import tqdm

from ..corpus import read_articles, with_provenance
from ..errors import AssistantError
from ..index import SentenceIndex, iso_date
from .common import FORMATS, add_index_option, add_json_alias, add_output_options, add_ray_option, index_dir, render_output, write_output


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "ingest", help="read news coverage into the sentence index",
        description="Read articles (text/markdown, JSON/JSONL, CSV/TSV, parquet/arrow, saved Hugging "
                    "Face datasets, directories of these, or hf:NAME[:SPLIT]) and index their "
                    "sentences. Unchanged articles are skipped; changed ones replace the old version.")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files, directories, datasets or hf:NAME[:SPLIT]")
    add_index_option(parser)
    parser.add_argument("--model", default=None, metavar="NAME",
                        help="sentence-transformers model for a new index (default: the index's own, "
                             "else sentence-transformers/all-MiniLM-L6-v2)")
    parser.add_argument("--text-field", default=None, metavar="NAME",
                        help="record field holding the article text (default: text/body/content/...)")
    parser.add_argument("--source", default="", metavar="OUTLET",
                        help="the outlet of articles whose input names none (plain text has none)")
    parser.add_argument("--published", default="", metavar="DATE",
                        help="the publication date (YYYY-MM-DD) of articles whose input gives none")
    add_output_options(parser, FORMATS, index=False)
    add_json_alias(parser)
    add_ray_option(parser, "the encoding")
    parser.set_defaults(func=run)


def _warn(message: str) -> None:
    tqdm.write(f"warning: {message}", file=sys.stderr)  # does not break a running bar


def run(args: argparse.Namespace) -> int:
    published = iso_date(args.published)
    if args.published and not published:
        raise AssistantError(f"--published: {args.published!r} is not a date (use YYYY-MM-DD)")
    folder = index_dir(args)
    index = SentenceIndex(folder, model=args.model)
    model = index.model_name  # an index built with another model fails here, before any work
    articles = read_articles(args.paths, _warn, args.text_field, skip_unreadable=True, progress=True)
    articles = with_provenance(articles, args.source, published)
    if not articles:
        raise AssistantError("nothing ingested: no article could be read from the given paths"
                             + (f" (index {folder} unchanged)" if SentenceIndex.exists(folder) else ""))
    if args.ray is not None:
        from ..cluster.encode import ingest_on_ray

        report = ingest_on_ray(index, articles, args.ray or None)
    else:
        report = index.add(articles, progress=True)
    stats = index.stats()
    summary = {"articles_read": len(articles), "added": report.added, "updated": report.updated,
               "skipped": report.skipped, "sentences_encoded": report.sentences, "index": str(folder),
               "index_articles": stats["articles"], "index_sentences": stats["sentences"], "model": model}
    text = (f"{len(articles)} articles read: {report.added} added, {report.updated} updated, {report.skipped} "
            f"skipped; {report.sentences} sentences encoded\nindex {folder}: {summary['index_articles']} articles, "
            f"{summary['index_sentences']} sentences ({model})\n")
    write_output(render_output(args.format, summary, [summary], lambda: text, list(summary)), args.format,
                 args.output)
    return 0
