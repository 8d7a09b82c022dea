"""The rule for "Name: words" at the start of a line (headlines, interview transcripts)."""
from __future__ import annotations

from ..parsed import WORD, ParsedText, could_be_name
from ..relation import Pieces, Relation, clean_pieces
from ..text import QUOTE_TOKENS, quote_kind


def relation_for_colon(parse: ParsedText, colon) -> Relation | None:
    """"Name: words" at the start of a line (headlines, interview transcripts): a
    short name, then a colon, then what they said. A transcript quoted whole opens each
    of its paragraphs with a quotation mark that it leaves open ("\\"WALLACE: ..."); such a
    turn runs on through the paragraphs after it that open the same way and name no
    speaker of their own."""
    doc = parse.doc
    text = parse.text
    line_start = text.rfind("\n", 0, colon.idx) + 1
    head = [t for t in doc[max(0, colon.i - parse.settings.colon_source_max - 2):colon.i] if t.idx >= line_start]
    head = [t for t in head if not t.is_space]
    quoted = bool(head) and head[0].idx == line_start and head[0].text in QUOTE_TOKENS
    if quoted:
        if not left_open(text, line_start):
            return None  # a line quoted whole ("\"Trump: you lied,\" she wrote") is a quotation
        mark = head.pop(0)
        name_start = mark.idx + len(mark.text)
    else:
        name_start = line_start
    if not head or head[0].idx != name_start or len(head) > parse.settings.colon_source_max:
        return None
    if not could_be_name(head):
        return None
    # a name, or in the headline also a noun ("Poll: ...", "Historians: ..."), but not
    # the labels of news pages ("Editor's note:", "UPDATE:", "Follow him on Twitter:")
    if not any(t.pos_ == "PROPN" or (t.pos_ == "NOUN" and line_start == 0) or named_elsewhere(t) for t in head) \
            or any(t.lower_ in parse.lex.page_labels for t in head):
        return None
    line_end = text.find("\n", colon.idx)
    line_end = len(text) if line_end < 0 else line_end
    content = clean_pieces(text, [(colon.idx + 1, line_end)])
    # what is said has words ("Clinton: 1,769" is a tally, "Twitter: @name" an address)
    if sum(bool(WORD.search(w)) and w[0] not in "@#" for w in text[colon.idx + 1:line_end].split()) < 2:
        return None
    source = [(name_start, head[-1].idx + len(head[-1].text))]
    rel = parse.finish(source, [(colon.idx, colon.idx + 1)], content)
    if rel is not None and quoted:  # after finish, which keeps a content on its cue's line
        rel.content += clean_pieces(text, turn_goes_on(parse, line_end))
        rel.kind = quote_kind(text, rel.content)
    return rel


def named_elsewhere(tok) -> bool:
    """Whether the article writes ``tok`` elsewhere as a proper noun: a surname alone
    opening a transcript line ("Matthews: Well, ...") is often tagged a common noun or an
    adjective, where the same word inside a sentence ("MSNBC's Chris Matthews") is a name."""
    return any(t.text == tok.text and t.pos_ == "PROPN" for t in tok.doc if t.i != tok.i)


def left_open(text: str, line_start: int) -> bool:
    """Whether the line at ``line_start`` opens with a quotation mark that it does not
    close (counted on the characters: a quotation inside it may use other marks)."""
    line_end = text.find("\n", line_start)
    line = text[line_start:len(text) if line_end < 0 else line_end]
    if line.startswith("''"):
        return line.count("''") % 2 == 1
    if line.startswith('"'):
        return line.count('"') % 2 == 1
    return line.startswith("“") and line.count("“") > line.count("”")


def turn_goes_on(parse: ParsedText, line_end: int) -> Pieces:
    """The paragraphs after a quoted transcript turn ending at ``line_end`` that carry it
    on: each opens with a quotation mark left open, and neither names a speaker ("PENCE:"
    among its first words), nor is a stage note ("(CROSSTALK.)"), nor a page label."""
    text = parse.text
    pieces: Pieces = []
    while True:
        start = line_end
        while start < len(text) and text[start].isspace():
            start += 1
        if start >= len(text) or "\n" not in text[line_end:start] or not left_open(text, start):
            return pieces
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        mark_end = start + 2 if text.startswith("''", start) else start + 1
        words = text[mark_end:end].split()
        first = words[0].strip(".,:;").lower() if words else ""
        if not words or words[0].startswith(("(", "[")) or first in parse.lex.page_labels \
                or any(w.endswith(":") for w in words[:parse.settings.colon_source_max]):
            return pieces
        pieces.append((mark_end, end))  # without the mark, as PolNeAR marks them
        line_end = end
