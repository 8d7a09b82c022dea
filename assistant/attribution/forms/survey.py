"""The rule for a survey a clause is measured in: "In a poll released Sunday, 40 percent
backed the plan", "Ortiz leads by six points in the latest poll"."""
from __future__ import annotations

from ..parsed import ParsedText
from ..relation import Relation, span_of, subtree_range


def relation_for_survey(parse: ParsedText, tok) -> Relation | None:
    """"In a poll released Sunday, 40 percent backed the plan" or "40 percent backed the
    plan in a poll released Sunday": the poll is the source of the clause, "in" the cue (as
    PolNeAR annotates it)."""
    if survey_of(parse, tok) is None:
        return None
    end = subtree_range(tok)[1]
    source = parse.char_pieces([(tok.i + 1, end)]) or None
    if tok.i == tok.sent.start:
        if end + 1 >= tok.sent.end or parse.doc[end + 1].text != ",":
            return None
        content = parse.char_pieces([(end + 2, tok.sent.end - 1)])
    else:
        start = measured_clause_start(parse, tok)
        content = parse.char_pieces([(start, tok.i - 1)]) if start is not None else []
    return parse.finish(source, [span_of([tok])], content) if content else None


def survey_of(parse: ParsedText, tok):
    """The survey noun "in" takes as its object, itself or after "one of", "an average
    of" ("in one of the first polls"), else None."""
    for obj in (c for c in tok.children if c.dep_ == "pobj"):
        if obj.lemma_.lower() in parse.lex.survey_nouns:
            return obj
        for of in (c for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"):
            inner = next((g for g in of.children if g.dep_ == "pobj"), None)
            if inner is not None and inner.lemma_.lower() in parse.lex.survey_nouns:
                return inner
    return None


def measured_clause_start(parse: ParsedText, tok) -> int | None:
    """Where the clause that a survey phrase after it measures begins: at the subject of
    the verb the phrase hangs on, directly or through a noun ("has a lead in the poll");
    None when that verb reports something itself ("said in a poll that ...") or the
    clause does not come before the phrase."""
    verb = tok.head
    while verb.pos_ not in ("VERB", "AUX") and verb.dep_ != "ROOT" and verb.head.i != verb.i:
        verb = verb.head
    if verb.pos_ not in ("VERB", "AUX") or parse.is_cue(verb):
        return None
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)
    start = subject.left_edge.i if subject is not None else verb.i
    return start if tok.sent.start <= start < tok.i else None
