"""HTML fragments for the web UI, as pure functions of the data objects.

Safety rule: every piece of article (or user, or model) text goes through ``html.escape``
before it reaches a fragment; highlighting cuts the text at span boundaries and escapes
each piece, so no raw text is ever inserted. The browser renders these fragments with
``innerHTML``, where an unescaped ``<img onerror=...>`` would run.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape
from urllib.parse import quote

from ..attribution.text import fold_name
from ..types import Article, Claim, Sentence, Span

# CSS classes for the three roles of an attribution (colours live in the page CSS)
SPEAKER_CLASS = "na-speaker"
CUE_CLASS = "na-cue"
CONTENT_CLASS = "na-content"
CITED_CLASS = "na-cited"

SUPPORT_LABELS = ("supported", "weak", "unsupported")


@dataclass(frozen=True)
class Mark:
    """A highlighted stretch ``[start, end)`` of a text; ``anchor`` becomes the element id
    (placed once, on the mark's first piece) so links can scroll to it."""

    start: int
    end: int
    css: str
    anchor: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class Cited:
    """A numbered source that an answer cites: ``[start, end)`` of the article's text (a
    sentence, or a claim's content)."""

    number: int
    article: Article
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.article.text[self.start:self.end]


@dataclass
class AnswerLine:
    text: str
    citations: list[int]  # numbers of AnswerView.citations
    support: str = "supported"
    issues: list[str] = field(default_factory=list)


@dataclass
class AnswerView:
    """What the Ask tab shows: answer sentences with their citation numbers, and the cited
    sources. ``note`` explains an empty or qualified answer; ``checked`` says whether the
    sentences were written by a model (and then carry support labels)."""

    question: str
    sentences: list[AnswerLine]
    citations: list[Cited]
    note: str = ""
    method: str = ""
    checked: bool = False


@dataclass
class SummaryLine:
    text: str
    label: str  # supported | weak | unsupported
    sources: list[Sentence] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


@dataclass
class SummaryView:
    article_id: str
    lines: list[SummaryLine]
    method: str = ""


def esc(value: object) -> str:
    return escape(str(value), quote=True)


# --------------------------------------------------------------------------- provenance

def sentence_url(url: str, sentence: str) -> str | None:
    """The article's own page opened at ``sentence`` (a text fragment, ``#:~:text=first
    words,last words``); None unless the URL is http(s), so no other scheme can be linked."""
    if not url.lower().startswith(("http://", "https://")):
        return None
    words = sentence.split()
    if not words:
        return url
    first, last = " ".join(words[:4]), " ".join(words[-4:])
    fragment = quote(first, safe="") + ("," + quote(last, safe="") if len(words) > 4 else "")
    return f"{url.split('#', 1)[0]}#:~:text={fragment}"


def provenance_html(title: str, source: str, published: str, url: str, sentence: str = "") -> str:
    """Title · outlet · date, and a link that opens the article at the sentence."""
    parts = [esc(v) for v in (title, source, published) if v]
    link = sentence_url(url, sentence) if url else None
    if link:
        parts.append(f'<a class="na-open" href="{esc(link)}" target="_blank" rel="noopener noreferrer">'
                     f'open the article at this sentence</a>')
    return " · ".join(parts)


def article_provenance(article: Article, start: int, end: int) -> str:
    """``provenance_html`` of ``article`` at the sentence(s) covering ``[start, end)``."""
    covering = [s for s in article.sentences if s.start < max(end, start + 1) and s.end > start]
    sentence = article.text[covering[0].start:covering[-1].end] if covering else article.text[start:end]
    return provenance_html(article.title or article.id, article.source, article.published, article.url, sentence)


# --------------------------------------------------------------------------- highlighting

def highlight(text: str, marks: Iterable[Mark], start: int = 0, end: int | None = None) -> str:
    """``text[start:end]`` as HTML with ``marks`` wrapped in ``<mark>`` elements. Marks may
    overlap or nest; those reaching outside the window are clipped to it."""
    end = len(text) if end is None else end
    clipped = [m for m in marks if m.start < end and m.end > start and m.start < m.end]
    cuts = sorted({start, end} | {max(start, m.start) for m in clipped} | {min(end, m.end) for m in clipped})
    placed: set[int] = set()
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:]):
        piece = escape(text[a:b], quote=False)
        active = sorted((m for m in clipped if m.start <= a and m.end >= b), key=lambda m: (m.start, -m.end))
        for mark in reversed(active):
            attrs = f' class="{esc(mark.css)}"'
            if mark.anchor and id(mark) not in placed:
                placed.add(id(mark))
                attrs += f' id="{esc(mark.anchor)}"'
            if mark.title:
                attrs += f' title="{esc(mark.title)}"'
            piece = f"<mark{attrs}>{piece}</mark>"
        out.append(piece)
    return "".join(out)


def claim_marks(claim: Claim, anchor: str | None = None, title: str | None = None) -> list[Mark]:
    """Speaker, cue and content (each piece) of a claim; the anchor goes on the earliest."""
    marks: list[Mark] = []
    if claim.speaker:
        marks += [Mark(a, b, SPEAKER_CLASS, title=title) for a, b in claim.speaker.parts()]
    if claim.cue:
        marks += [Mark(a, b, CUE_CLASS, title=title) for a, b in claim.cue.parts()]
    marks += [Mark(a, b, CONTENT_CLASS, title=title) for a, b in claim.content.parts()]
    marks.sort(key=lambda m: m.start)
    if anchor and marks:
        first = marks[0]
        marks[0] = Mark(first.start, first.end, first.css, anchor, first.title)
    return marks


def claim_window(article: Article, claim: Claim) -> tuple[int, int]:
    """The character range of the claim's source sentence(s): its ``sentence_ids``, widened
    to whole sentences covering every span of the claim."""
    spans = [s for s in (claim.speaker, claim.cue, claim.content) if s is not None]
    lo = min(s.start for s in spans)
    hi = max(s.end for s in spans)
    by_index = {s.index: s for s in article.sentences}
    for i in claim.sentence_ids:
        if i in by_index:
            lo, hi = min(lo, by_index[i].start), max(hi, by_index[i].end)
    for s in article.sentences:
        if s.start < hi and s.end > lo:
            lo, hi = min(lo, s.start), max(hi, s.end)
    return lo, hi


def source_sentence_html(article: Article, claim: Claim) -> str:
    """The claim's source sentence(s) with speaker, cue and content highlighted."""
    lo, hi = claim_window(article, claim)
    return highlight(article.text, claim_marks(claim), lo, hi)


def span_text(span: Span | None) -> str:
    """A span's own words; the pieces of a discontinuous span joined by an ellipsis."""
    if span is None:
        return ""
    if not span.pieces:
        return span.text
    return " … ".join(span.text[a - span.start:b - span.start] for a, b in span.pieces)


# --------------------------------------------------------------------------- articles & claims

LEGEND = (f'<div class="na-legend"><mark class="{SPEAKER_CLASS}">speaker</mark> '
          f'<mark class="{CUE_CLASS}">cue</mark> <mark class="{CONTENT_CLASS}">claim</mark></div>')


def speaker_label(claim: Claim) -> str:
    """Resolved name, else the words as written, else 'unattributed'."""
    return claim.speaker_resolved or (claim.speaker.text if claim.speaker else "") or "unattributed"


def claim_anchor(number: int) -> str:
    return f"claim-{number}"


def render_claims_table(article: Article, claims: Sequence[Claim]) -> str:
    """One row per claim: speaker (resolved), cue, claim, direct/indirect, and beside them
    the source sentence with the three roles highlighted; the number links to the claim in
    the full article below."""
    if not claims:
        return '<p class="na-empty">No attributed claims found in this article.</p>'
    rows = []
    for n, claim in enumerate(claims, start=1):
        as_written = claim.speaker.text if claim.speaker else ""
        speaker = f'<div class="na-speaker-name">{esc(speaker_label(claim))}</div>'
        if as_written and as_written != claim.speaker_resolved and claim.speaker_resolved:
            speaker += f'<div class="na-sub">as “{esc(as_written)}”</div>'
        if claim.speaker_type:
            speaker += f'<div class="na-sub">{esc(claim.speaker_type)}</div>'
        rows.append(
            f'<tr class="na-claim-row" data-claim="{n}">'
            f'<td class="na-num"><a href="#{claim_anchor(n)}" title="show in the article">{n}</a></td>'
            f'<td class="na-col-speaker">{speaker}</td>'
            f'<td class="na-col-cue" data-label="Cue">{esc(span_text(claim.cue))}</td>'
            f'<td class="na-col-claim" data-label="Claim">{esc(span_text(claim.content))}</td>'
            f'<td class="na-col-kind"><span class="na-kind na-kind-{esc(claim.kind)}">{esc(claim.kind)}</span></td>'
            f'<td class="na-col-source na-source" data-label="Source sentence">{source_sentence_html(article, claim)}</td>'
            "</tr>")
    return ('<table class="na-claims"><thead><tr><th>#</th><th>Speaker</th><th>Cue</th><th>Claim</th>'
            '<th>Kind</th><th>Source sentence</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table>")


def render_article(article: Article, claims: Sequence[Claim] = ()) -> str:
    """The full article with every claim highlighted; claim N carries id ``claim-N``."""
    marks: list[Mark] = []
    for n, claim in enumerate(claims, start=1):
        marks += claim_marks(claim, claim_anchor(n), f"claim {n}: {speaker_label(claim)}")
    meta = [esc(x) for x in (article.source, article.published) if x]
    if article.url.startswith(("http://", "https://")):
        meta.append(f'<a href="{esc(article.url)}" rel="noopener noreferrer" target="_blank">{esc(article.url)}</a>')
    # a headline carried inline in the text is the heading, with its own claims marked
    head_end = len(article.text[:article.body_start].rstrip())
    if head_end and article.text[:head_end].strip() == article.title.strip():
        heading, body_from = highlight(article.text, marks, 0, head_end), article.body_start
    else:
        heading, body_from = esc(article.title or "(untitled)"), 0
    parts = [f'<article class="na-article"><h3 class="na-title">{heading}</h3>']
    if meta:
        parts.append(f'<div class="na-meta">{" · ".join(meta)}</div>')
    if article.captions:
        parts.append('<ul class="na-captions">' + "".join(
            f"<li>Photo: {esc(c)}</li>" for c in article.captions) + "</ul>")
    parts.append(f'<div class="na-text">{highlight(article.text, marks, body_from)}</div></article>')
    return "".join(parts)


# --------------------------------------------------------------------------- answers & summaries

_CITATION = re.compile(r"\[(\d+)\]")


def link_citations(escaped: str, prefix: str = "cite") -> str:
    """Turn ``[n]`` markers in already-escaped text into links to ``#{prefix}-n``."""
    return _CITATION.sub(lambda m: f'<a class="na-cite" href="#{prefix}-{m.group(1)}">[{m.group(1)}]</a>', escaped)


def paragraph_window(article: Article, start: int, end: int) -> tuple[int, int]:
    """The whole paragraph(s) around ``[start, end)``."""
    paragraphs = {s.paragraph for s in article.sentences if s.start < max(end, start + 1) and s.end > start}
    same = [s for s in article.sentences if s.paragraph in paragraphs]
    if not same:
        return start, end
    return min(start, min(s.start for s in same)), max(end, max(s.end for s in same))


def render_citation(cited: Cited, prefix: str = "cite") -> str:
    """A cited source with its article title, highlighted inside its paragraph."""
    lo, hi = paragraph_window(cited.article, cited.start, cited.end)
    mark = Mark(cited.start, cited.end, CITED_CLASS)
    return (f'<div class="na-citation" id="{prefix}-{cited.number}">'
            f'<div class="na-citation-head"><span class="na-cite-num">[{cited.number}]</span> '
            f'{article_provenance(cited.article, cited.start, cited.end)}</div>'
            f'<div class="na-paragraph">{highlight(cited.article.text, [mark], lo, hi)}</div></div>')


def render_answer(answer: AnswerView) -> str:
    parts = ['<div class="na-answer">']
    if answer.note:
        parts.append(f'<p class="na-note">{esc(answer.note)}</p>')
    for line in answer.sentences:
        cites = "".join(f"[{n}]" for n in line.citations if f"[{n}]" not in line.text)
        badge = support_badge(line.support) + " " if answer.checked else ""
        flags = "".join(f'<div class="na-flag">⚠ {esc(f)}</div>' for f in line.issues)
        parts.append(f"<p>{badge}{link_citations(esc(line.text + (' ' + cites if cites else '')))}{flags}</p>")
    if answer.method:
        parts.append(f'<div class="na-sub">{esc(answer.method)}</div>')
    parts.append("</div>")
    return "".join(parts)


def render_citations(citations: Sequence[Cited]) -> str:
    if not citations:
        return '<p class="na-empty">No sources cited.</p>'
    return "".join(render_citation(c) for c in citations)


def support_badge(label: str) -> str:
    css = label if label in SUPPORT_LABELS else "unknown"
    return f'<span class="na-badge na-badge-{css}">{esc(label)}</span>'


def render_summary(summary: SummaryView) -> str:
    """Summary sentences, each with its support badge and the sentences it rests on."""
    if not summary.lines:
        return '<p class="na-empty">No summary.</p>'
    items = []
    for line in summary.lines:
        sources = "".join(f'<li>{esc(s.text)}</li>' for s in line.sources
                          if s.text.strip() != line.text.strip())
        flags = "".join(f'<div class="na-flag">⚠ {esc(f)}</div>' for f in line.flags)
        items.append(f'<li class="na-summary-line">{support_badge(line.label)} {esc(line.text)}{flags}'
                     + (f'<ul class="na-summary-sources">{sources}</ul>' if sources else "") + "</li>")
    method = f'<div class="na-sub">{esc(summary.method)}</div>' if summary.method else ""
    return f'<ol class="na-summary">{"".join(items)}</ol>{method}'


# --------------------------------------------------------------------------- speakers

@dataclass
class SpeakerGroup:
    """One speaker across the coverage (aliases merged) and every claim attributed to it."""

    name: str
    speaker_type: str | None
    aliases: list[str]
    entries: list[tuple[Article, Claim]]


SPEAKER_SORTS = ("most claims", "name")
ANY = "any"


def shown_speakers(groups: Sequence[SpeakerGroup], query: str = "", *, speaker_type: str = ANY,
                   outlet: str = ANY, sort: str = SPEAKER_SORTS[0]) -> list[tuple[SpeakerGroup, list[tuple[Article, Claim]]]]:
    """The speakers and claims to show: ``query`` keeps the groups whose name or an alias
    contains it, and elsewhere the claims whose words contain it; ``speaker_type`` and
    ``outlet`` filter (``ANY``: no filter); sorted by number of claims or by name."""
    needle = query.strip().casefold()
    shown = []
    for group in groups:
        if speaker_type != ANY and group.speaker_type != speaker_type:
            continue
        entries = [(a, c) for a, c in group.entries if outlet == ANY or a.source == outlet]
        if needle and not any(needle in n.casefold() for n in [group.name, *group.aliases]):
            entries = [(a, c) for a, c in entries if needle in c.content.text.casefold()]
        if entries:
            shown.append((group, entries))
    if sort == "name":
        shown.sort(key=lambda ge: fold_name(ge[0].name))
    else:
        shown.sort(key=lambda ge: (-len(ge[1]), fold_name(ge[0].name)))
    return shown


def _speaker_entry(article: Article, claim: Claim) -> str:
    return (f'<li><div class="na-source">{source_sentence_html(article, claim)}</div>'
            f'<div class="na-sub">{article_provenance(article, claim.content.start, claim.content.end)} · '
            f'{esc(claim.kind)}</div></li>')


SPEAKERS_PER_PAGE = 50


def render_speakers(groups: Sequence[SpeakerGroup], query: str = "", page: int = 1, **filters: str) -> str:
    """Who said what (``shown_speakers`` picks and orders them), a page of
    ``SPEAKERS_PER_PAGE`` speakers at a time, each with the count of their claims."""
    picked = list(shown_speakers(groups, query, **filters))
    first = (max(1, page) - 1) * SPEAKERS_PER_PAGE
    shown = []
    if len(picked) > SPEAKERS_PER_PAGE:
        shown.append(f'<p class="na-sub na-speaker-page">speakers {first + 1}–{min(first + SPEAKERS_PER_PAGE, len(picked))}'
                     f' of {len(picked)}</p>' if first < len(picked) else
                     f'<p class="na-empty">Page {page} is past the last speaker ({len(picked)} in all).</p>')
    for group, entries in picked[first:first + SPEAKERS_PER_PAGE]:
        rows = "".join(_speaker_entry(a, c) for a, c in entries)
        kind = f' <span class="na-sub">{esc(group.speaker_type)}</span>' if group.speaker_type else ""
        others = [a for a in group.aliases if fold_name(a) != fold_name(group.name)]
        if others:
            kind += f' <span class="na-sub">also “{"”, “".join(esc(a) for a in others)}”</span>'
        shown.append(f'<details class="na-speaker-group" open><summary><span class="na-speaker-name">{esc(group.name)}</span>{kind} '
                     f'<span class="na-count">{len(entries)}</span></summary><ul>{rows}</ul></details>')
    if not shown:
        filtered = query.strip() or any(v != ANY for k, v in filters.items() if k != "sort")
        return '<p class="na-empty">No speakers match.</p>' if filtered else '<p class="na-empty">No claims yet.</p>'
    return "".join(shown)


def render_speaker_pair(groups: Sequence[SpeakerGroup], first: str | None, second: str | None) -> str:
    """Two speakers side by side: each one's claims by date, with outlets."""
    by_name = {g.name: g for g in groups}
    chosen = [by_name.get(name) for name in (first, second) if name]
    if len(chosen) < 2 or None in chosen:
        return '<p class="na-empty">Choose two speakers to compare.</p>'
    columns = []
    for group in chosen:
        entries = sorted(group.entries, key=lambda ac: (not ac[0].published, ac[0].published, ac[0].source))
        outlets = sorted({a.source for a, _ in entries if a.source})
        columns.append(f'<div class="na-side"><h4><span class="na-speaker-name">{esc(group.name)}</span> '
                       f'<span class="na-count">{len(entries)}</span></h4>'
                       f'<div class="na-sub">outlets: {esc(", ".join(outlets) or "-")}</div>'
                       f'<ul>{"".join(_speaker_entry(a, c) for a, c in entries)}</ul></div>')
    return f'<div class="na-sides na-speaker-pair">{"".join(columns)}</div>'


# --------------------------------------------------------------------------- compare

FIGURE_CLASS = "na-figure"


def _statement_html(s, figures: Sequence[str] = ()) -> str:
    """A statement with its speaker and its figures highlighted, and its provenance."""
    marks = []
    for figure in figures:
        at = s.text.find(figure)
        if at >= 0:
            marks.append(Mark(at, at + len(figure), FIGURE_CLASS))
    who = (f'<span class="na-speaker-name">{esc(s.speaker)}</span>' if s.speaker
           else f'<span class="na-sub">{esc(s.source or "the outlet")} (own reporting)</span>')
    return (f'<div class="na-citation">{who}: {highlight(s.text, marks)}'
            f'<div class="na-sub">{provenance_html(s.title or s.article_id, s.source, s.published, s.url, s.sentence)}'
            f'</div></div>')


def render_groups(groups: Sequence) -> str:
    """Claim groups: the representative sentence, outlets, speakers, first report, members."""
    if not groups:
        return '<p class="na-empty">No claim is made by more than one statement here.</p>'
    out = []
    for g in groups:
        first = g.first_report
        head = (f'<div class="na-check-head">{esc(g.id)}. {esc(g.representative.text)}</div>'
                f'<div class="na-sub">outlets: {esc(", ".join(g.outlets) or "-")} · speakers: '
                f'{esc(", ".join(g.speakers) or "-")} · first reported {esc(first.published or "undated")} by '
                f'{esc(first.source or "-")}</div>')
        members = "".join(_statement_html(m) for m in g.members)
        out.append(f'<details class="na-group"><summary>{head}</summary>{members}</details>')
    return "".join(out)


def render_disagreements(disagreements: Sequence) -> str:
    """Each disagreement side by side, figures and speakers highlighted."""
    if not disagreements:
        return '<p class="na-empty">No disagreement found.</p>'
    out = []
    for n, d in enumerate(disagreements, start=1):
        label = "different figures" if d.kind == "figure" else "one says, the other denies"
        sides = "".join(f'<div class="na-side"><h4>{side}</h4>{_statement_html(s, figures)}</div>'
                        for side, s, figures in (("A", d.a, d.figures[0]), ("B", d.b, d.figures[1])))
        out.append(f'<div class="na-check na-disagreement"><div class="na-check-head">'
                   f'<span class="na-badge na-verdict-disputed">{esc(label)}</span> d{n} '
                   f'<span class="na-sub">{esc(d.group_a)} vs {esc(d.group_b)}</span></div>'
                   f'<div class="na-sides">{sides}</div></div>')
    return "".join(out)


# --------------------------------------------------------------------------- tables

def render_table(columns: Sequence[str], rows: Iterable[Sequence[object]], css: str = "na-table") -> str:
    """A plain table; every cell escaped."""
    head = "".join(f"<th>{esc(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{esc(_cell(v))}</td>" for v in row) + "</tr>" for row in rows)
    return f'<table class="{esc(css)}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def message(text: str, kind: str = "info") -> str:
    return f'<div class="na-msg na-msg-{esc(kind)}">{esc(text)}</div>'


# --------------------------------------------------------------------------- evaluation

EVAL_ROLES = ("source", "cue", "content", "relation")
EVAL_MODES = ("exact", "overlap")


def render_eval_report(report, errors: int = 15) -> str:
    """Scores of an ``assistant.evaluate.Report`` as a table, then up to ``errors`` false
    positives and false negatives (overlap match), each in its sentence with the roles
    highlighted, beside what it was paired with."""
    rows = []
    for role in EVAL_ROLES:
        for mode in EVAL_MODES:
            c = report.counts[mode][role]
            rows.append([role, mode, c.precision, c.recall, c.f1, c.tp, c.fp, c.fn])
    parts = [message(f"{len(report.articles)} articles, {report.n_gold} gold relations, "
                     f"{report.n_pred} predicted, {report.n_paired} paired."),
             render_table(["Role", "Match", "Precision", "Recall", "F1", "TP", "FP", "FN"], rows)]
    extra = []
    if report.speaker_accuracy is not None:
        extra.append(["speaker resolution", report.speaker_accuracy,
                      f"{report.speaker_correct}/{report.speaker_paired} paired relations naming a speaker"])
    if report.kind_accuracy is not None:
        extra.append(["direct/indirect", report.kind_accuracy, f"{report.kind_agree}/{report.n_paired} paired"])
    if extra:
        parts.append(render_table(["Accuracy", "Value", "Of"], extra))
    for key, items in report.errors(errors).items():
        title = "False positives (predicted, not in gold)" if key == "false_positives" \
            else "False negatives (in gold, not predicted)"
        parts.append(f"<h4>{esc(title)} — first {len(items)}</h4>")
        cards = []
        for item in items:
            article = report.articles[item["article_id"]]
            claim = Claim.from_dict(item["claim"])
            line = f'<div class="na-source">{source_sentence_html(article, claim)}</div>'
            if item["paired_with"]:
                other = Claim.from_dict(item["paired_with"])
                label = "gold" if key == "false_positives" else "predicted"
                line += (f'<div class="na-sub">paired {label}; differs in {esc(", ".join(item["mismatched_roles"]))}:'
                         f'</div><div class="na-source">{source_sentence_html(article, other)}</div>')
            cards.append(f'<li class="na-eval-error"><div class="na-sub">{esc(article.title or article.id)}</div>'
                         f"{line}</li>")
        parts.append(f'<ul class="na-eval-errors">{"".join(cards)}</ul>' if cards else
                     '<p class="na-empty">None.</p>')
    return LEGEND + "".join(parts)


# --------------------------------------------------------------------------- checks

VERDICT_LABELS = {"supported": "Supported", "contradicted": "Contradicted", "disputed": "Disputed",
                  "not_in_coverage": "Not in the coverage"}


def verdict_badge(verdict: str) -> str:
    css = verdict if verdict in VERDICT_LABELS else "unknown"
    return f'<span class="na-badge na-verdict-{css}">{esc(VERDICT_LABELS.get(verdict, verdict))}</span>'


def _evidence_card(e) -> str:
    who = f'<span class="na-speaker-name">{esc(e.speaker)}</span>: ' if e.speaker else ""
    where = provenance_html(e.title, e.source, e.published, e.url, e.text)
    p = e.probabilities
    return (f'<div class="na-citation na-evidence-{esc(e.stance)}">{who}{esc(e.text)}'
            f'<div class="na-sub">{where} · sentence {e.sentence_index} · '
            f'p(entail) {p.get("entailment", 0):.2f}, p(contradict) {p.get("contradiction", 0):.2f}</div></div>')


def render_check(result) -> str:
    """A check's verdict, its reasons, and its evidence: supporting and contradicting
    sentences side by side, the merely related ones folded away."""
    parts = []
    for r in (result.sentences if result.sentences else [result]):
        head = (f'<div class="na-check-head">{verdict_badge(r.verdict)} {esc(r.claim)} '
                f'<span class="na-sub">consistency {r.score:.2f}</span></div>')
        who = (f'<div class="na-sub">As claimed by {esc(", ".join(r.attributed_to))}</div>' if r.attributed_to else "")
        issues = "".join(f'<div class="na-flag">⚠ {esc(i)}</div>' for i in r.issues)
        supports = [e for e in r.evidence if e.stance == "supports"]
        against = [e for e in r.evidence if e.stance == "contradicts"]
        related = [e for e in r.evidence if e.stance == "related"]
        columns = ""
        if supports or against:
            columns = ('<div class="na-sides">'
                       f'<div class="na-side"><h4>Supports</h4>{"".join(map(_evidence_card, supports)) or _none()}</div>'
                       f'<div class="na-side"><h4>Contradicts</h4>{"".join(map(_evidence_card, against)) or _none()}</div>'
                       '</div>')
        folded = (f'<details><summary>Related sentences ({len(related)})</summary>{"".join(map(_evidence_card, related))}'
                  '</details>' if related else "")
        parts.append(f'<div class="na-check">{head}{who}{issues}{columns}{folded}</div>')
    overall = ""
    if result.sentences:
        overall = f'<div class="na-check-head">Overall: {verdict_badge(result.verdict)}</div>'
    return overall + "".join(parts)


def _none() -> str:
    return '<p class="na-empty">None.</p>'
