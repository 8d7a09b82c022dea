"""Quotations that no relation reports, given the likeliest cue word of their sentence or the
speaker of the content before them."""
from __future__ import annotations

from ..cues import is_candidate
from ..parsed import ParsedText
from ..relation import Relation, span_of
from ..text import closes_quote, opens_quote


def orphan_quotations(parse: ParsedText, relations: list[Relation]) -> list[Relation]:
    """Relations for quotations no relation reports: almost every quotation in news is
    attributed, so the likeliest cue word of its sentence, outside the quotation, is
    taken as its cue even below the cue threshold (down to ``orphan_quote_floor``).
    When that word already cues a relation, the quotation joins its content; a quotation
    that is a sentence of its own, with no such word, joins the last content before it
    in its paragraph."""
    taken = [p for r in relations for p in r.content + r.cue]
    out: list[Relation] = []
    for q in parse.quotes.quotes:
        if any(a < q[1] and q[0] < b for a, b in taken) \
                or len(parse.text[q[0]:q[1]].split()) < parse.settings.orphan_quote_words \
                or not (opens_quote(parse.text, q[0]) and closes_quote(parse.text, q[1])):
            continue
        first = parse.doc.char_span(q[0], q[0] + 1, alignment_mode="expand")
        last = parse.doc.char_span(q[1] - 1, q[1], alignment_mode="expand")
        if first is None or last is None:
            continue
        lo, hi = first[0].sent.start, last[-1].sent.end
        scored = [(parse.word_probability(t, False), t) for t in parse.doc[lo:hi]
                  if is_candidate(t) and not (q[0] <= t.idx < q[1])]
        scored = [(p, t) for p, t in scored if p >= parse.settings.orphan_quote_floor]
        if not scored:
            # a quotation standing alone as a sentence goes on with the last content
            # before it in its paragraph
            alone = not any(t.is_alpha for t in parse.doc[lo:hi] if not (q[0] <= t.idx < q[1]))
            before = [r for r in relations + out if r.content[-1][1] <= q[0]]
            owner = max(before, key=lambda r: r.content[-1][1]) if alone and before else None
            if owner is not None and "\n" not in parse.text[owner.content[-1][1]:q[0]]:
                parse.join_quote(owner, q)
                taken.append(q)
            continue
        tok = max(scored, key=lambda pt: pt[0])[1]
        cue = [span_of(parse.cue_tokens(tok))]
        owner = next((r for r in relations + out if any(a < cue[0][1] and cue[0][0] < b for a, b in r.cue)), None)
        if owner is not None:
            # the cue already reports something else: the quotation is more of it
            parse.join_quote(owner, q)
            taken.append(q)
            continue
        rel = parse.finish(parse.source_pieces(parse.source_of(tok), tok), cue, [q])
        if rel is not None:
            out.append(rel)
            taken += rel.content + rel.cue
    return out
