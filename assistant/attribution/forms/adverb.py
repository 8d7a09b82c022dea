"""The rule for an adverb that reports ("the team has reportedly left"): the clause is
reported, its source unstated."""
from __future__ import annotations

from ..parsed import ParsedText
from ..relation import Relation, span_of, subtree_range


def relation_for_report_adverb(parse: ParsedText, tok) -> Relation | None:
    """The clause ``tok`` hangs on, without ``tok``, as the content of no named source."""
    lo, hi = subtree_range(tok.head)
    pieces = parse.char_pieces([(lo, tok.i - 1), (tok.i + 1, hi)])
    return parse.finish(None, [span_of([tok])], pieces) if pieces else None
