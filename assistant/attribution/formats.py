"""Claims as text: a terminal table, JSONL (the shared claims format), JSON, CSV and
Markdown. Every format carries the source sentence of each claim next to it."""
from __future__ import annotations

import csv
import io
import json
import shutil
import textwrap
from collections.abc import Sequence
from typing import Any

from ..output import markdown_text
from ..types import Article, Claim, Span
from .speakers import group_speakers, is_pronoun, speaker_table
from .text import fold_name

FORMATS = ("table", "jsonl", "json", "csv", "md")
CSV_COLUMNS = ("article_id", "article_title", "source", "published", "url", "speaker", "speaker_resolved", "speaker_type", "cue",
               "content", "kind", "sentence_ids", "sentence", "speaker_start", "speaker_end",
               "cue_start", "cue_end", "content_start", "content_end")


def content_text(claim: Claim, text: str) -> str:
    """The claim's words; the parts of a discontinuous quotation joined by " … "."""
    return " … ".join(text[a:b] for a, b in claim.content.parts())


def source_sentence(article: Article, claim: Claim) -> str:
    """The sentence(s) the claim comes from, as in the article."""
    by_index = {s.index: s for s in article.sentences}
    sentences = [by_index[i] for i in claim.sentence_ids if i in by_index]
    if not sentences:
        return ""
    return article.text[sentences[0].start:sentences[-1].end]


def speaker_label(claim: Claim) -> str:
    """"Resolved name (as written)" when the text named it differently, else the name; a
    pronoun no rule resolved is "unresolved (she)", never a name."""
    written = " ".join(claim.speaker.text.split()) if claim.speaker else ""
    resolved = claim.speaker_resolved or ("unresolved" if written and is_pronoun(written) else written)
    if written and fold_name(written) != fold_name(resolved):
        return f"{resolved} ({written})"
    return resolved


def _span_text(span: Span | None) -> str:
    return " ".join(span.text.split()) if span else ""


def _pairs(articles: Sequence[Article], claims: Sequence[Sequence[Claim]]) -> list[tuple[Article, Sequence[Claim]]]:
    if len(articles) != len(claims):
        raise ValueError("one claim list per article is needed")
    return list(zip(articles, claims))


# --------------------------------------------------------------------------- formats

def provenance_of(article: Article) -> dict[str, str]:
    """The article's title, outlet, date and URL, as every claim row carries them."""
    return {"article_title": article.title, "source": article.source, "published": article.published,
            "url": article.url}


def to_jsonl(articles: Sequence[Article], claims: Sequence[Sequence[Claim]]) -> str:
    """The claims format, each line with its article's provenance (readers ignore it)."""
    return "".join(json.dumps(c.to_dict() | provenance_of(article), ensure_ascii=False) + "\n"
                   for article, found in _pairs(articles, claims) for c in found)


def to_json(articles: Sequence[Article], claims: Sequence[Sequence[Claim]]) -> str:
    """Per article its claims (claims format plus ``sentence``) and speaker table; then
    the speakers across all articles."""
    tables = []
    payload: dict[str, Any] = {"articles": []}
    for article, found in _pairs(articles, claims):
        table = speaker_table(article, found)
        tables.append(table)
        payload["articles"].append({
            "article_id": article.id, "title": article.title, "source": article.source,
            "published": article.published, "url": article.url,
            "claims": [c.to_dict() | {"sentence": source_sentence(article, c)} for c in found],
            "speakers": [s.to_dict() for s in table.speakers],
        })
    payload["speakers"] = [g.to_dict() for g in group_speakers(tables)]
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def to_csv(articles: Sequence[Article], claims: Sequence[Sequence[Claim]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for article, found in _pairs(articles, claims):
        for c in found:
            writer.writerow({
                "article_id": article.id, **provenance_of(article),
                "speaker": _span_text(c.speaker), "speaker_resolved": c.speaker_resolved or "",
                "speaker_type": c.speaker_type or "", "cue": _span_text(c.cue),
                "content": content_text(c, article.text), "kind": c.kind,
                "sentence_ids": " ".join(map(str, c.sentence_ids)),
                "sentence": source_sentence(article, c),
                "speaker_start": c.speaker.start if c.speaker else "",
                "speaker_end": c.speaker.end if c.speaker else "",
                "cue_start": c.cue.start if c.cue else "", "cue_end": c.cue.end if c.cue else "",
                "content_start": c.content.start, "content_end": c.content.end,
            })
    return out.getvalue()


def _md_cell(text: str) -> str:
    return " ".join(text.split()).replace("\\", "\\\\").replace("|", "\\|") or " "


def to_markdown(articles: Sequence[Article], claims: Sequence[Sequence[Claim]]) -> str:
    lines = ["# Claims", ""]
    for article, found in _pairs(articles, claims):
        lines += [f"## {_md_cell(article.title or article.id)}", "",
                  " · ".join([f"`{article.id}`", *(markdown_text(v) for v in (article.source, article.published, article.url) if v),
                              f"{len(found)} claim{'s' if len(found) != 1 else ''}"]), ""]
        if found:
            lines += ["| Speaker | Type | Cue | Claim | Kind | Sentence |",
                      "|---|---|---|---|---|---|"]
            for c in found:
                cells = (speaker_label(c), c.speaker_type or "", _span_text(c.cue),
                         content_text(c, article.text), c.kind, source_sentence(article, c))
                lines.append("| " + " | ".join(_md_cell(x) for x in cells) + " |")
            lines += ["", "### Speakers", "", "| Speaker | Type | Claims | Also called |",
                      "|---|---|---|---|"]
            for s in speaker_table(article, found).speakers:
                others = [a for a in s.aliases if a.casefold() != s.name.casefold()]
                lines.append(f"| {_md_cell(s.name)} | {s.type or ''} | {s.claims} | "
                             f"{_md_cell('; '.join(others))} |")
        lines.append("")
    return "\n".join(lines)


def to_table(articles: Sequence[Article], claims: Sequence[Sequence[Claim]], width: int | None = None) -> str:
    """A wrapped text table per article: speaker (resolved), cue, claim, kind, sentence."""
    width = max(60, width or shutil.get_terminal_size((120, 24)).columns)
    blocks = []
    for article, found in _pairs(articles, claims):
        where = " · ".join(v for v in (article.source, article.published, article.url) if v)
        header = (f"{article.title or article.id}  [{article.id}]" + (f"  {where}" if where else "")
                  + f"  {len(found)} claim{'s' if len(found) != 1 else ''}")
        rows = [(str(n), speaker_label(c) + (f" · {c.speaker_type}" if c.speaker_type else ""),
                 _span_text(c.cue), content_text(c, article.text), c.kind, source_sentence(article, c))
                for n, c in enumerate(found, 1)]
        blocks.append(header + "\n" + _grid(("#", "Speaker", "Cue", "Claim", "Kind", "Sentence"), rows, width)
                      if rows else header + "\n  (no attributed claims found)")
    return "\n\n".join(blocks) + "\n"


def _grid(headers: Sequence[str], rows: Sequence[Sequence[str]], width: int) -> str:
    fixed = {0: max(len(headers[0]), *(len(r[0]) for r in rows)), 4: 8}
    rest = width - sum(fixed.values()) - 3 * (len(headers) - 1)
    widths = [fixed[0], max(12, rest * 22 // 100), max(8, rest * 9 // 100), 0, fixed[4], 0]
    free = max(20, rest - widths[1] - widths[2])
    widths[3], widths[5] = free // 2, free - free // 2
    out = []

    def emit(cells: Sequence[str]) -> None:
        wrapped = [textwrap.wrap(" ".join(cell.split()), w) or [""] for cell, w in zip(cells, widths)]
        for i in range(max(len(w) for w in wrapped)):
            out.append(" | ".join((w[i] if i < len(w) else "").ljust(n)
                                  for w, n in zip(wrapped, widths)).rstrip())

    emit(headers)
    out.append("-+-".join("-" * n for n in widths))
    for row in rows:
        emit(row)
    return "\n".join(out)


def render(fmt: str, articles: Sequence[Article], claims: Sequence[Sequence[Claim]],
           *, width: int | None = None) -> str:
    """The claims of ``articles`` (one list per article) in format ``fmt``."""
    if fmt == "table":
        return to_table(articles, claims, width)
    renderers = {"jsonl": to_jsonl, "json": to_json, "csv": to_csv, "md": to_markdown}
    if fmt not in renderers:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return renderers[fmt](articles, claims)
