"""The rule for "Name: words" at the start of a line (headlines, interview transcripts)."""
from __future__ import annotations

from ..parsed import WORD, ParsedText, could_be_name
from ..relation import Relation, clean_pieces


def relation_for_colon(parse: ParsedText, colon) -> Relation | None:
    """"Name: words" at the start of a line (headlines, interview transcripts): a
    short name, then a colon, then what they said."""
    doc = parse.doc
    text = parse.text
    line_start = text.rfind("\n", 0, colon.idx) + 1
    head = [t for t in doc[max(0, colon.i - parse.settings.colon_source_max - 1):colon.i] if t.idx >= line_start]
    head = [t for t in head if not t.is_space]
    if not head or head[0].idx != line_start or len(head) > parse.settings.colon_source_max:
        return None
    if not could_be_name(head):
        return None
    # a name, or in the headline also a noun ("Poll: ...", "Historians: ..."), but not
    # the labels of news pages ("Editor's note:", "UPDATE:", "Follow him on Twitter:")
    if not any(t.pos_ == "PROPN" or (t.pos_ == "NOUN" and line_start == 0) for t in head) \
            or any(t.lower_ in parse.lex.page_labels for t in head):
        return None
    line_end = text.find("\n", colon.idx)
    line_end = len(text) if line_end < 0 else line_end
    content = clean_pieces(text, [(colon.idx + 1, line_end)])
    # what is said has words ("Clinton: 1,769" is a tally, "Twitter: @name" an address)
    if sum(bool(WORD.search(w)) and w[0] not in "@#" for w in text[colon.idx + 1:line_end].split()) < 2:
        return None
    source = [(head[0].idx, head[-1].idx + len(head[-1].text))]
    return parse.finish(source, [(colon.idx, colon.idx + 1)], content)
