"""`assistant search "QUERY"`: ranked sentences from the index, with a little context."""
from __future__ import annotations

import argparse
from typing import Any

from ..errors import AssistantError
from ..index import MAX_K, Hit, SentenceIndex
from ..types import Article
from .common import (FORMATS, add_json_alias, add_output_options, capped_k, index_dir, render_output,
                     write_output)

_CONTEXT_CHARS = 120


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "search", help="find the sentences that match a query",
        description="Hybrid search (embeddings + BM25, fused by reciprocal rank) over indexed sentences.")
    parser.add_argument("query", help="what to look for, in your own words")
    parser.add_argument("-k", type=int, default=10, help=f"number of sentences (default 10, at most {MAX_K})")
    parser.add_argument("--article", action="append", metavar="ID", help="only this article (repeatable)")
    parser.add_argument("--source", action="append", metavar="S", help="only this source (repeatable)")
    parser.add_argument("--from", dest="date_from", metavar="DATE", help="published on or after (YYYY[-MM[-DD]])")
    parser.add_argument("--to", dest="date_to", metavar="DATE", help="published on or before (YYYY[-MM[-DD]])")
    add_output_options(parser, FORMATS)
    add_json_alias(parser)
    parser.set_defaults(func=run)


def context(article: Article, index: int) -> tuple[str, str]:
    """The sentences before and after sentence ``index``, trimmed to a short snippet."""
    before = article.sentences[index - 1].text if index > 0 else ""
    after = article.sentences[index + 1].text if index + 1 < len(article.sentences) else ""
    if len(before) > _CONTEXT_CHARS:
        before = "…" + before[-_CONTEXT_CHARS:].split(" ", 1)[-1]
    if len(after) > _CONTEXT_CHARS:
        after = after[:_CONTEXT_CHARS].rsplit(" ", 1)[0] + "…"
    return before, after


def hit_record(rank: int, hit: Hit, article: Article) -> dict[str, Any]:
    before, after = context(article, hit.sentence.index)
    return {"rank": rank, "article_id": hit.article_id, "article_title": hit.article_title,
            "source": article.source, "published": article.published, "url": article.url,
            "sentence": {"index": hit.sentence.index, "start": hit.sentence.start, "end": hit.sentence.end,
                         "text": hit.sentence.text},
            "score": hit.score, "dense_score": hit.dense_score, "lexical_score": hit.lexical_score,
            "context": {"before": before, "after": after}}


def run(args: argparse.Namespace) -> int:
    folder = index_dir(args)
    if not SentenceIndex.exists(folder):
        raise AssistantError(f"no index at {folder}: run `assistant ingest PATH... --index {folder}` first")
    k = capped_k(args.k)
    index = SentenceIndex(folder)
    hits = index.search(args.query, k, article_ids=args.article, sources=args.source,
                        date_from=args.date_from, date_to=args.date_to)
    records = [hit_record(rank, hit, index.article(hit.article_id)) for rank, hit in enumerate(hits, start=1)]
    rows = [{"rank": r["rank"], "article_id": r["article_id"], "title": r["article_title"], "source": r["source"],
             "published": r["published"], "url": r["url"], "sentence_index": r["sentence"]["index"],
             "start": r["sentence"]["start"], "end": r["sentence"]["end"], "sentence": r["sentence"]["text"],
             "score": r["score"]} for r in records]
    columns = ["rank", "title", "source", "published", "sentence", "score", "url"]
    output = render_output(args.format, {"query": args.query, "hits": records}, rows, lambda: hits_text(records),
                           columns)
    write_output(output, args.format, args.output)
    return 0


def hits_text(records: list[dict[str, Any]]) -> str:
    """The hits for a person: title, where and how well it matched, the sentence in its context."""
    if not records:
        return "no matching sentences\n"
    lines = []
    for r in records:
        meta = [f"{r['article_id']} #{r['sentence']['index']}", f"score {r['score']:.4f}",
                f"cosine {r['dense_score']:.2f}"]
        if r["lexical_score"]:
            meta.append(f"bm25 {r['lexical_score']:.1f}")
        meta += [v for v in (r["source"], r["published"]) if v]
        lines += [f"{r['rank']}. {r['article_title']}", f"   [{' · '.join(meta)}]"]
        if r["context"]["before"]:
            lines.append(f"     {r['context']['before']}")
        lines.append(f"   > {r['sentence']['text']}")
        if r["context"]["after"]:
            lines.append(f"     {r['context']['after']}")
    return "\n".join(lines) + "\n"
