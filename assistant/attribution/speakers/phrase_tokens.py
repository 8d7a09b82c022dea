"""Token-level helpers over the spaCy parse of a speaker phrase: its edges, its head, its
display text, the role a title word gives."""
from __future__ import annotations

import re
from typing import Any

from ..lexicons import Lexicons
from ..text import strip_suffix
from .entities import DETERMINERS, INDEFINITE


def trim_punct(tokens: list[Any]) -> list[Any]:
    """``tokens`` without punctuation at the edges, a closing quotation mark kept when the
    phrase opens one ("the so-called “X”")."""
    a, b = 0, len(tokens)
    while a < b and (tokens[a].is_punct or tokens[a].is_space):
        a += 1
    while b > a and (tokens[b - 1].is_punct or tokens[b - 1].is_space):
        if tokens[b - 1].text in "”\"" and any(t.text in "“\"" for t in tokens[a:b - 1]):
            break
        b -= 1
    return tokens[a:b] or tokens


def strip_determiners(tokens: list[Any]) -> list[Any]:
    i = 0
    while i < len(tokens) - 1 and (tokens[i].lower_ in DETERMINERS or tokens[i].tag_ == "PRP$"):
        i += 1
    return tokens[i:]


def display_text(tokens: list[Any]) -> str:
    """Text of ``tokens`` as written, with a sentence-initial capital on a common word
    lowered ("Sources close to ..." -> "sources close to ...")."""
    if not tokens:
        return ""
    doc = tokens[0].doc
    text = doc[tokens[0].i:tokens[-1].i + 1].text
    text = " ".join(text.split())
    # "the so-called “X”" names X
    text = re.sub(r"^(?:so-called|self-styled|self-proclaimed)\s+", "", text, flags=re.IGNORECASE)
    if sum(text.count(q) for q in "“”\"") <= 2:  # a quoted name, even if the span cut a mark off
        text = text.strip("“”\"")
    first = tokens[0]
    if first.is_sent_start and first.pos_ not in ("PROPN",) and not first.ent_type_ and text[:1].isupper() \
            and not text[:2].isupper():
        text = text[0].lower() + text[1:]
    return text


def is_definite(tok: Any) -> bool:
    return any(c.dep_ in ("det", "poss") and c.lower_ not in INDEFINITE for c in tok.children)


def canonical_role(words: list[str], lex: Lexicons) -> str:
    """A role's words with abbreviations spelled out and synonyms made one ("Rep." and
    "congressman" -> "representative")."""
    return " ".join(lex.role_synonyms.get(w, lex.title_abbreviations.get(w, w)) for w in words)


def role_of(tok: Any, lex: Lexicons) -> str | None:
    word = tok.lower_
    if word in lex.title_abbreviations:
        return canonical_role([word], lex)
    lemma = tok.lemma_.lower()
    if lemma not in lex.role_words and word not in lex.role_words:
        return None
    # "prime minister", "foreign minister": keep a compound or adjective before the noun
    mods = [c.lower_ for c in tok.lefts if c.dep_ in ("compound", "amod") and c.ent_type_ not in ("NORP", "GPE")]
    return canonical_role(mods + [lemma if lemma in lex.role_words else word], lex)


def drop_time_adjunct(tokens: list[Any]) -> list[Any]:
    """"Axios on Tuesday": a trailing time phrase is no part of who speaks."""
    for i, tok in enumerate(tokens[1:], start=1):
        if tok.dep_ == "prep" and any(c.ent_type_ in ("DATE", "TIME") for c in tok.children):
            return tokens[:i]
    return tokens


def drop_relative_clause(tokens: list[Any]) -> list[Any]:
    """"X, which represents 20 million Americans,": a relative clause set off by a comma
    says something about who speaks and is no part of the name."""
    for tok in tokens:
        first = min(t.i for t in tok.subtree)
        if tok.dep_ == "relcl" and first - 1 > tokens[0].i and tok.doc[first - 1].text == ",":
            return [t for t in tokens if t.i < first - 1]
    return tokens


def cue_lemma(tokens: list[Any]) -> str | None:
    """The cue's first word as a crude stem; title-case headline words get no real lemma
    from spaCy ("Orders" as a proper noun), so suffixes are cut by hand as well."""
    words = [t for t in tokens if t.pos_ in ("VERB", "AUX", "NOUN", "PROPN")] or tokens
    if not words:
        return None
    word = words[0].lemma_.lower() if words[0].pos_ in ("VERB", "AUX") else words[0].lower_
    return strip_suffix(word, 3)


def conjunct_tokens(tok: Any, start: int, end: int) -> list[Any]:
    """The tokens of ``tok``'s own phrase within [start, end): its subtree without the
    conjuncts and conjunctions hanging on it."""
    skip = {t.i for c in tok.children if c.dep_ in ("conj", "cc", "punct") for t in c.subtree}
    return [t for t in tok.subtree if t.i not in skip and start <= t.idx < end and not t.is_space] or [tok]


def phrase_head(tokens: list[Any]) -> Any:
    ids = {t.i for t in tokens}
    heads = [t for t in tokens if t.head.i not in ids or t.head == t]
    nouns = [t for t in heads if t.pos_ in ("NOUN", "PROPN", "PRON")]
    return (nouns or heads or tokens)[0]


def noun_phrase(tok: Any) -> list[Any]:
    """The words of the noun phrase ``tok`` heads: its modifiers and prepositional phrases,
    but not a clause or apposition hanging on it ("the volunteers who cleared the park":
    "the volunteers"), whose own prepositions would otherwise join the name."""
    after = [t for t in tok.subtree if t.i > tok.i]
    clauses = {t.i for c in after if c.dep_ in _NOT_IN_NAME for t in c.subtree}
    # the words run on without a gap from the head ("members of the council", not the
    # preposition of a clause further on)
    end = tok.i
    for t in after:
        if t.i != end + 1 or t.i in clauses:
            break
        end = t.i
    return [t for t in tok.subtree if t.i <= end]


# what ends a noun phrase's name after its head: a clause, an apposition, a conjunct
_NOT_IN_NAME = ("relcl", "acl", "appos", "punct", "cc", "conj")
