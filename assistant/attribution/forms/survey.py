"""The rule for a survey opening the sentence: "In a poll released Sunday, 40 percent backed the plan"."""
from __future__ import annotations

from ..parsed import ParsedText
from ..relation import Relation, span_of, subtree_range


def relation_for_survey(parse: ParsedText, tok) -> Relation | None:
    """"In a poll released Sunday, 40 percent backed the plan": the poll is the
    source of the clause, "In" the cue (as PolNeAR annotates it)."""
    survey = next((c for c in tok.children if c.dep_ == "pobj" and c.lemma_.lower() in parse.lex.survey_nouns), None)
    end = subtree_range(tok)[1]
    if survey is None or end + 1 >= tok.sent.end or parse.doc[end + 1].text != ",":
        return None
    source = parse.char_pieces([(tok.i + 1, end)]) or None
    content = parse.char_pieces([(end + 2, tok.sent.end - 1)])
    return parse.finish(source, [span_of([tok])], content) if content else None
