"""Export of claims, summaries and answers as JSON, CSV and Markdown.

Records are plain dicts built from the data objects (claims keep the shared claims format,
plus the article title and the source sentence); each format is a pure function from
records to text, and ``write_export`` writes a file atomically.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import AssistantError
from ..fileio import write_text_atomic
from ..types import Article, Claim, Span
from ..output import csv_cell, markdown_text, provenance
from ..attribution.formats import provenance_of
from .render import AnswerView, SummaryView, claim_window, span_text

KINDS = ("claims", "summaries", "answers")
FORMATS = {"JSON": "json", "CSV": "csv", "Markdown": "md"}

Record = dict[str, Any]


# --------------------------------------------------------------------------- records

def claim_records(articles: Sequence[Article], claims_by_article: dict[str, list[Claim]]) -> list[Record]:
    records = []
    for article in articles:
        for claim in claims_by_article.get(article.id, []):
            lo, hi = claim_window(article, claim)
            record = claim.to_dict() | provenance_of(article)
            record["source_sentence"] = article.text[lo:hi]
            records.append(record)
    return records


def summary_records(articles: Sequence[Article], summaries: dict[str, SummaryView]) -> list[Record]:
    return [{"article_id": a.id, **provenance_of(a), "method": summaries[a.id].method,
             "sentences": [{"text": line.text, "support": line.label, "flags": list(line.flags),
                            "sources": [{"sentence_id": s.index, "text": s.text} for s in line.sources]}
                           for line in summaries[a.id].lines]}
            for a in articles if a.id in summaries]


def answer_records(answers: Sequence[AnswerView]) -> list[Record]:
    return [{"question": a.question, "note": a.note, "method": a.method,
             "answer": [{"text": s.text, "citations": s.citations, "support": s.support, "flags": s.issues}
                        for s in a.sentences],
             "citations": [{"number": c.number, "article_id": c.article.id, **provenance_of(c.article),
                            "start": c.start, "end": c.end, "text": c.text} for c in a.citations]}
            for a in answers]


# --------------------------------------------------------------------------- formats

def to_json(records: list[Record]) -> str:
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def _csv(columns: Sequence[str], rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return buffer.getvalue()


def to_csv(kind: str, records: list[Record]) -> str:
    """One row per claim, per summary sentence, or per answer sentence."""
    if kind == "claims":
        return _csv(["article_id", "article_title", "source", "published", "url", "speaker_resolved", "speaker_type",
                     "speaker", "cue", "claim", "kind", "content_start", "content_end", "sentence_ids", "source_sentence"],
                    [[r["article_id"], r["article_title"], r["source"], r["published"], r["url"],
                      r["speaker_resolved"] or "", r["speaker_type"] or "",
                      (r["speaker"] or {}).get("text", ""), (r["cue"] or {}).get("text", ""),
                      _content_text(r), r["kind"], r["content"]["start"], r["content"]["end"],
                      " ".join(map(str, r["sentence_ids"])), r["source_sentence"]] for r in records])
    if kind == "summaries":
        return _csv(["article_id", "article_title", "source", "published", "url", "position", "sentence", "support",
                     "flags", "sources"],
                    [[r["article_id"], r["article_title"], r["source"], r["published"], r["url"], i + 1, s["text"], s["support"], "; ".join(s["flags"]),
                      " | ".join(src["text"] for src in s["sources"])]
                     for r in records for i, s in enumerate(r["sentences"])])
    if kind == "answers":
        return _csv(["question", "position", "answer_sentence", "support", "citations", "cited_sources"],
                    [[r["question"], i + 1, s["text"], s["support"], " ".join(f"[{n}]" for n in s["citations"]),
                      " | ".join(f"[{c['number']}] {_where(c)}: {c['text']}" for c in r["citations"]
                                 if c["number"] in s["citations"])]
                     for r in records for i, s in enumerate(r["answer"])])
    raise AssistantError(f"unknown export kind {kind!r}")


def _where(record: Record) -> str:
    """Title, outlet, date and URL of a record's article."""
    return provenance(record) or record.get("article_id", "")


def _content_text(record: Record) -> str:
    return span_text(Span.from_dict(record["content"]))


def to_markdown(kind: str, records: list[Record]) -> str:
    lines: list[str] = []
    if kind == "claims":
        lines.append("# Claims\n")
        shown = None
        for r in records:
            if r["article_id"] != shown:  # two articles may share a title
                shown = r["article_id"]
                lines.append(f"\n## {markdown_text(_where(r))}\n")
                lines.append("| Speaker | Cue | Claim | Kind | Source sentence |")
                lines.append("|---|---|---|---|---|")
            speaker = r["speaker_resolved"] or (r["speaker"] or {}).get("text") or "unattributed"
            lines.append(f"| {markdown_text(speaker)} | {markdown_text((r['cue'] or {}).get('text', ''))} | {markdown_text(_content_text(r))} "
                         f"| {r['kind']} | {markdown_text(r['source_sentence'])} |")
    elif kind == "summaries":
        lines.append("# Summaries\n")
        for r in records:
            lines.append(f"\n## {markdown_text(_where(r))}\n")
            for s in r["sentences"]:
                flags = f" — {markdown_text('; '.join(s['flags']))}" if s["flags"] else ""
                lines.append(f"- **{s['support']}** {markdown_text(s['text'])}{flags}")
                lines.extend(f"  - source: {markdown_text(src['text'])}" for src in s["sources"] if src["text"] != s["text"])
    elif kind == "answers":
        lines.append("# Answers\n")
        for r in records:
            lines.append(f"\n## {markdown_text(r['question'])}\n")
            if r["note"]:
                lines.append(f"_{markdown_text(r['note'])}_\n")
            for s in r["answer"]:
                lines.append(markdown_text(s["text"]) + "".join(f" [{n}]" for n in s["citations"] if f"[{n}]" not in s["text"]))
            lines.append("")
            lines.extend(f"{c['number']}. {markdown_text(_where(c))}: {markdown_text(c['text'])}" for c in r["citations"])
    else:
        raise AssistantError(f"unknown export kind {kind!r}")
    return "\n".join(lines).strip() + "\n"


def render_export(kind: str, fmt: str, records: list[Record]) -> str:
    """``fmt`` is a file suffix: json, csv or md."""
    if fmt == "json":
        return to_json(records)
    if fmt == "csv":
        return to_csv(kind, records)
    if fmt == "md":
        return to_markdown(kind, records)
    raise AssistantError(f"unknown export format {fmt!r} (json, csv or md)")


def write_export(kind: str, fmt: str, records: list[Record], directory: Path) -> Path:
    """Write ``records`` to ``directory/<kind>.<fmt>`` atomically and return the path."""
    text = render_export(kind, fmt, records)
    directory.mkdir(parents=True, exist_ok=True)
    return write_text_atomic(directory / f"{kind}.{fmt}", text)
