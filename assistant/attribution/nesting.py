"""After the forms: the quotations that carry a relation's content on, and which relations
stay where one stands inside another's content."""
from __future__ import annotations

from .parsed import ParsedText
from .relation import Pieces, Relation
from .settings import ExtractionSettings
from .text import QuoteIndex, closes_quote, ends_paragraph, has_quote_mark, opens_quote


def continuation(parse: ParsedText, content: Pieces, cue: Pieces, source: Pieces | None) -> Pieces:
    """Quotations that carry on the speaker's words after the attribution: the second
    half of a quote split by "he said", quotes opening the following sentences of the
    paragraph, and paragraphs that are one quotation. Only when the content itself
    quotes, at least in part."""
    text = parse.text
    if not any(has_quote_mark(text[a:b]) for a, b in content):
        return []
    pos = max(b for _, b in content + cue + (source or []))
    line_end = text.find("\n", pos)
    line_end = len(text) if line_end < 0 else line_end
    extra: Pieces = []
    while pos < line_end:
        nxt = parse.quotes.next_after(pos)
        if nxt is None or nxt[0] >= line_end:
            break
        gap = text[pos:nxt[0]]
        words = gap.split()
        # a short tail ("he said on Monday,"), the rest of the cue's sentence ("Trump
        # said at a rally in Ohio.") or nothing but punctuation may come between
        rest_of_sentence = not extra and not text[sentence_end(parse, cue[-1][1]):nxt[0]].strip()
        if has_quote_mark(gap) or (len(words) > 6 and not rest_of_sentence):
            break
        if words and extra:
            break
        extra.append(nxt)
        pos = nxt[1]
    # a quote left open at the end of its paragraph goes on in the next paragraph
    # when that one opens with a quotation mark (news style for long quotes)
    last = extra[-1] if extra else max(content, key=lambda p: p[1])
    while opens_quote(text, last[0]) and last[1] < len(text) and not closes_quote(text, last[1]):
        nxt_start = text.find("\n", last[1])
        if nxt_start < 0 or text[last[1]:nxt_start].strip(" .,;:"):
            break
        while nxt_start < len(text) and text[nxt_start].isspace():
            nxt_start += 1
        q = parse.quotes.at(nxt_start)
        if q is None or q[0] != nxt_start or "\n" not in text[last[1]:nxt_start]:
            break
        extra.append(q)
        last = q
    # a paragraph that is nothing but a quotation goes on with the words of the speaker
    # quoted at the end of the paragraph before ("“A,” she said. / “B.”")
    pos = max(b for _, b in content + cue + (source or []) + extra)
    while ends_paragraph(text, pos):
        nxt_start = text.find("\n", pos)
        if nxt_start < 0:
            break
        while nxt_start < len(text) and text[nxt_start].isspace():
            nxt_start += 1
        q = parse.quotes.at(nxt_start)
        if q is None or q[0] != nxt_start or not closes_quote(text, q[1]) or not ends_paragraph(text, q[1]):
            break
        extra.append(q)
        pos = q[1]
    return extra


def sentence_end(parse: ParsedText, pos: int) -> int:
    """End (character offset) of the sentence holding character ``pos - 1``."""
    span = parse.doc.char_span(max(pos - 1, 0), pos, alignment_mode="expand")
    return span.sent.end_char if span is not None and len(span) else pos


def outermost(relations: list[Relation], extras: list[Pieces], quotes: QuoteIndex,
               relative: frozenset[int] | set[int] = frozenset(), scores: list[float] | None = None, *,
               margin: float = ExtractionSettings.displacing_margin) -> list[int]:
    """Indexes of the relations to keep: a cue inside a quotation that another relation
    reports (in its content or the quotes continuing it), or inside another relation's
    content, opens no claim of its own (measured on PolNeAR train, dropping such nested
    relations scores a little better than keeping them), except a cue in a relative clause
    (indexes in ``relative``: "criticised the engineer, who said that ..."), which PolNeAR
    annotates as a relation of its own. When a cue outside quotations is clearly likelier
    than the one whose content holds it (``scores``, the cue probabilities), the inner
    relation stays and the outer one goes: PolNeAR never nests relations, and the weaker
    cue is more often the wrong one ("many prefer ... to groups that revile ..."); "clearly":
    by more than ``margin``."""
    displaced: set[int] = set()
    for i, r in enumerate(relations):
        c0, c1 = r.cue[0][0], r.cue[-1][1]
        if scores is None or quotes.at(c0) is not None or i in relative:
            continue
        for j, other in enumerate(relations):
            if j != i and scores[i] > scores[j] + margin and any(a <= c0 and c1 <= b for a, b in other.content):
                displaced.add(j)
    kept = []
    for i, r in enumerate(relations):
        if i in displaced:
            continue
        c0, c1 = r.cue[0][0], r.cue[-1][1]
        q = quotes.at(c0)
        inside = False
        for j, other in enumerate(relations):
            if j == i or j in displaced:
                continue
            for a, b in other.content + extras[j]:
                if q is not None and a < q[1] and q[0] < b and not (other.cue[0][0] >= q[0] and other.cue[-1][1] <= q[1]):
                    inside = True
                elif a <= c0 and c1 <= b and i not in relative:
                    inside = True
        if not inside:
            kept.append(i)
    return kept
