"""Nominal cues: a noun that reports ("her claim that ...", "voiced support for ...",
"expressed concern that ..."). They go through the verb rule (``verb``); what is their own
is here: the clause a cue noun introduces, and a light verb whose object noun carries the
meaning joining the cue."""
from __future__ import annotations

from ..cues import clause_marks, light_objects
from ..parsed import ParsedText
from ..relation import CONTENT_DEPS


def noun_clause_roots(cue_word) -> list:
    """"her claim that the budget was balanced": the clause the cue noun introduces."""
    if cue_word.pos_ != "NOUN":
        return []
    return [c for c in cue_word.children if c.dep_ == "acl" and clause_marks(c)]


def light_verb_phrase(parse: ParsedText, tok, cue: list):
    """(cue tokens, content roots) for a light verb (learned from PolNeAR train) whose
    object noun carries the meaning: "voiced support for", "made no mention of",
    "issued a statement saying", "expressed concern that": the noun (with its
    preposition or the participle hanging on it) joins the cue; what follows is the
    content."""
    if not parse.model.is_light_verb(tok.lemma_.lower()):
        return None
    doc = parse.doc
    for obj, kind, after in light_objects(tok):
        if kind == "prep":
            end, objects = after.i, [c for c in after.children if c.dep_ in ("pobj", "pcomp")]
        elif kind == "participle":
            end = after.i
            nxt = doc[end + 1] if end + 1 < len(doc) else None
            if nxt is not None and nxt.head.i == end and nxt.dep_ in ("prep", "prt") \
                    and parse.model.takes_preposition(after.lemma_.lower(), nxt.lower_):
                end, objects = nxt.i, [c for c in nxt.children if c.dep_ in ("pobj", "pcomp")]
            else:
                objects = [c for c in after.children if c.dep_ in CONTENT_DEPS and c.i > end]
        else:
            end, objects = obj.i, [after]  # "expressed concern that ..."
        if objects:
            return list(doc[cue[0].i:end + 1]), objects
    return None
