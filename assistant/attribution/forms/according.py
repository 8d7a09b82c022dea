"""The rule for "according to": "according to X, Y" / "Y, according to X"."""
from __future__ import annotations

from ..parsed import ParsedText
from ..relation import Relation
from ..text import QUOTE_MARKS


def relation_for_according(parse: ParsedText, tok) -> Relation | None:
    """"according to X, Y" / "Y, according to X" / "Y, according to X, Z". The
    source runs to the next comma or dash (the parser often swallows the clause after
    it); the content is the rest of the sentence."""
    doc = parse.doc
    if tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
        return None
    to = doc[tok.i + 1]
    sent = tok.sent
    end = to.i + 1
    while end < sent.end and doc[end].text not in (",", "—", "–", "--", ";") and not \
            (doc[end].text in QUOTE_MARKS and end > to.i + 1):
        end += 1
    # the source stops before a relative clause ("a new poll that shows ...")
    source_end = next((t.i for t in doc[to.i + 2:end]
                       if t.tag_ in ("WDT", "WP") and t.head.dep_ == "relcl"), end)
    source = parse.char_pieces([(to.i + 1, source_end - 1)]) or None
    pieces = parse.char_pieces([(sent.start, tok.i - 1), (end, sent.end - 1)])
    if not pieces:
        return None
    return parse.finish(source, [(tok.idx, to.idx + len(to.text))], pieces)
