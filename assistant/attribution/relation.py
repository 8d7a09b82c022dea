"""What the engine finds: a relation's spans as character pieces, and the piece arithmetic
every attribution form uses."""
from __future__ import annotations

from dataclasses import dataclass

from .text import CLOSE_QUOTES, OPEN_QUOTES, QUOTE_MARKS

# the dependencies by which a cue word governs what it reports
CONTENT_DEPS = ("ccomp", "xcomp", "dobj", "pcomp", "oprd", "attr")

Pieces = list[tuple[int, int]]

EDGE_PUNCT = set(",.;:—–-")


@dataclass
class Relation:
    """One attribution found in the text; spans are sorted lists of (start, end) pieces."""

    source: Pieces | None
    cue: Pieces
    content: Pieces
    kind: str


def span_of(tokens) -> tuple[int, int]:
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def trim(doc, lo: int, hi: int, keep_quotes: bool = True) -> tuple[int, int] | None:
    """Token range [lo, hi] without edge punctuation and spaces (quote marks stay)."""
    while lo <= hi and (doc[lo].is_space or doc[lo].text in EDGE_PUNCT or doc[lo].lower_ in ("and", "but")
                        or (doc[lo].text in QUOTE_MARKS and not (keep_quotes and doc[lo].text in OPEN_QUOTES))):
        lo += 1
    while hi >= lo and (doc[hi].is_space or doc[hi].text in EDGE_PUNCT or doc[hi].dep_ == "cc"
                        or (doc[hi].text in QUOTE_MARKS and not (keep_quotes and doc[hi].text in CLOSE_QUOTES))):
        hi -= 1
    if lo > hi:
        return None
    return doc[lo].idx, doc[hi].idx + len(doc[hi].text)


def subtree_range(tok) -> tuple[int, int]:
    return tok.left_edge.i, tok.right_edge.i


def subtract(pieces: Pieces, holes: Pieces) -> Pieces:
    out: Pieces = []
    for a, b in pieces:
        cur = [(a, b)]
        for h0, h1 in holes:
            nxt = []
            for x, y in cur:
                if h1 <= x or h0 >= y:
                    nxt.append((x, y))
                    continue
                if x < h0:
                    nxt.append((x, h0))
                if h1 < y:
                    nxt.append((h1, y))
            cur = nxt
        out.extend(cur)
    return out


def clean_pieces(text: str, pieces: Pieces) -> Pieces:
    """Strip spaces and separating punctuation (not quote marks) from each piece; drop
    pieces without a word; merge overlapping ones."""
    out: Pieces = []
    for a, b in sorted(pieces):
        while a < b and (text[a].isspace() or text[a] in EDGE_PUNCT):
            a += 1
        while b > a and (text[b - 1].isspace() or text[b - 1] in EDGE_PUNCT):
            b -= 1
        if b > a and any(ch.isalnum() for ch in text[a:b]):
            if out and a < out[-1][1]:  # overlapping pieces merge
                out[-1] = (out[-1][0], max(b, out[-1][1]))
            else:
                out.append((a, b))
    return out


def inside(pieces: Pieces, span: tuple[int, int]) -> bool:
    return any(span[0] <= a and b <= span[1] for a, b in pieces)
