"""Text conventions shared by the attribution engine and the modules that read its output:
quotation marks and quotations, how a content is quoted, how names are compared, and the
crude stemming used where spaCy gives no lemma.
"""
from __future__ import annotations

import bisect
import re

# quotation marks: curly, straight, and two apostrophes (the style of some newspaper archives,
# which uses '' both to open and to close)
OPEN_QUOTES = ("“", "\"", "''")
CLOSE_QUOTES = ("”", "\"", "''")
QUOTE_MARKS = frozenset(OPEN_QUOTES + CLOSE_QUOTES)
# token texts that are quotation marks (spaCy keeps the PTB opening ``)
QUOTE_TOKENS = frozenset(QUOTE_MARKS | {"``"})
# every character that quotes in some typography, for trimming span edges
QUOTE_CHARACTERS = "\"'`´“”‘’„‟‹›«»"
# a quotation that stays on its line, for a quick scan without pairing marks across lines
QUOTED_ON_LINE = re.compile(r"“[^”\n]*”|\"[^\"\n]*\"|''(?:(?!'')[^\n])*''")

SUFFIXES = ("ing", "ed", "es", "s")


def opens_quote(text: str, pos: int) -> bool:
    """Whether a quotation mark that can open a quote starts at ``pos``."""
    return text.startswith(OPEN_QUOTES, pos)


def closes_quote(text: str, end: int) -> bool:
    """Whether a quotation mark that can close a quote ends at ``end``."""
    return text.endswith(CLOSE_QUOTES, 0, end)


def has_quote_mark(text: str) -> bool:
    return any(mark in text for mark in QUOTE_MARKS)


def find_quotations(text: str) -> list[tuple[int, int]]:
    """Quoted stretches, marks included. Curly quotes pair by direction; straight double
    quotes and two apostrophes ('') alternate. A quote left open at the end of a paragraph
    ends there."""
    quotes: list[tuple[int, int]] = []
    open_at: int | None = None
    skip = False
    for i, ch in enumerate(text):
        if skip:  # the second apostrophe of ''
            skip = False
            continue
        if ch == "'" and text.startswith("''", i):
            skip = True
            ch = '"'
        if ch == "\n":
            if open_at is not None and i > open_at + 1:
                end = i
                while end > open_at and text[end - 1].isspace():
                    end -= 1
                quotes.append((open_at, end))
            open_at = None
        elif ch == "“" or (ch == '"' and open_at is None):
            open_at = i  # a second “ means the first was never closed: start again
        elif ch == "”" or ch == '"':
            if open_at is not None:
                quotes.append((open_at, i + 2 if skip else i + 1))
                open_at = None
    if open_at is not None and len(text) > open_at + 1:
        quotes.append((open_at, len(text.rstrip())))
    return quotes


class QuoteIndex:
    """Look-ups over the quotations of a text, sorted by start."""

    def __init__(self, quotes: list[tuple[int, int]]):
        self.quotes = quotes
        self.starts = [a for a, _ in quotes]

    def next_after(self, pos: int) -> tuple[int, int] | None:
        """The first quotation starting at or after ``pos``."""
        i = bisect.bisect_left(self.starts, pos)
        return self.quotes[i] if i < len(self.quotes) else None

    def at(self, pos: int) -> tuple[int, int] | None:
        """The quotation containing character ``pos`` (marks included), if any."""
        i = bisect.bisect_right(self.starts, pos) - 1
        if i >= 0 and self.quotes[i][0] <= pos < self.quotes[i][1]:
            return self.quotes[i]
        return None


def ends_paragraph(text: str, pos: int) -> bool:
    """Whether only closing punctuation follows ``pos`` on its line (a quote left open at
    a paragraph end counts as closed there)."""
    end = text.find("\n", pos)
    return not text[pos:len(text) if end < 0 else end].strip(" .,;:")


def quote_kind(text: str, pieces: list[tuple[int, int]]) -> str:
    """"direct" when every piece of a content is a whole quotation, "mixed" when it quotes
    in part, else "indirect"."""
    quoted = [opens_quote(text, a) and (closes_quote(text, b) or ends_paragraph(text, b)) for a, b in pieces]
    if all(quoted):
        return "direct"
    if any(has_quote_mark(text[a:b]) for a, b in pieces):
        return "mixed"
    return "indirect"


def fold_name(name: str | None) -> str:
    """What names are compared on: case-folded, typographic apostrophes made plain, white
    space collapsed, a leading "the" dropped."""
    key = " ".join((name or "").replace("’", "'").replace("‘", "'").casefold().split())
    return key[4:] if key.startswith("the ") else key


def strip_suffix(word: str, min_stem: int) -> str:
    """``word`` without an -ing, -ed, -es or -s ending, when at least ``min_stem``
    characters stay."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= min_stem:
            return word[:-len(suffix)]
    return word


def stem_candidates(word: str) -> set[str]:
    """``word`` and what it may be inflected from (-s, -es, -ed, -ing, -ies), for a
    look-up in a list of lemmas; "" stands for no candidate."""
    return {word, word[:-1] if word.endswith("s") else "", word[:-2] if word.endswith("es") else "",
            word[:-1] if word.endswith("ed") else "", word[:-2] if word.endswith("ed") else "",
            word[:-3] if word.endswith("ing") else "", word[:-3] + "y" if word.endswith("ies") else ""}


def annotated_quote_kind(text: str, pieces: list[tuple[int, int]]) -> str:
    """``quote_kind`` for spans an annotator drew: a piece counts as a quotation when it
    starts and ends with any quotation mark, white space and end punctuation aside
    (annotated spans do not always start on the opening mark)."""
    parts = [text[a:b].strip() for a, b in pieces]
    marks = tuple(QUOTE_MARKS)
    if all(p.startswith(marks) and p.rstrip(".,;:").endswith(marks) for p in parts if p):
        return "direct"
    return "mixed" if any(has_quote_mark(p) for p in parts) else "indirect"
