"""Finding attribution relations in a parsed article: who (source) said (cue) what
(content), with exact character spans.

The engine is a few passes over spaCy's dependency parse (``attribution_pipeline``: a
sentence starts after every line break, so a headline never runs into the body):

1. quotations are found on the characters (they may run over several sentences; a quote
   left open at a paragraph end continues in a next paragraph that opens with a quote);
2. every candidate word is scored as a cue by a small linear model learned from PolNeAR
   train (``eval/train_cues.py`` writes ``data/cue_model.json``): reporting verbs, belief and
   intention verbs, nominal cues; where the linear model is unsure, its score is averaged
   with that of a contextual tagger fine-tuned on the same data (``tagger``); "according
   to" and "Name:" at the start of a line are rules;
3. for each cue, the source is its subject (the agent of a passive cue, or the subject it
   shares with the clause it hangs on: "..., adding that", "responded by saying"), and
   the content its clausal complement, object or infinitive, a quotation right next to
   it, or the clause it is attached to when the cue comes after or inside the content
   ("..., the minister said", "As the minister said, ...", "The plan, he claimed, ..."),
   or the next paragraph when a colon ends the cue's line;
4. contents are snapped to whole quotations; the second half of a quote split by "he
   said" and quotes opening the following sentences join the content; the source and cue
   are cut out of a content that surrounds them, which makes it discontinuous;
5. only the outermost attribution is kept: a cue inside another relation's content (quoted
   or not) opens no claim of its own, unless it heads a relative clause; but a cue outside
   quotations that is clearly likelier than the one above it displaces that relation;
6. a quotation of four words or more that no relation reports takes the likeliest cue word
   of its sentence as its cue, even one scored below the threshold ("..., she sighed"), or,
   standing alone as a sentence, goes on with the last content before it in its paragraph;
7. a Title Case headline is parsed again in sentence case, with the same offsets.

Span conventions follow PolNeAR (measured on its train split): the source is the whole
noun phrase with appositions and relative clauses, but without a participle after a comma
or a relative clause that reports something itself; the cue takes auxiliaries, negation
and adverbs right before the verb, a particle, a learned preposition that brings the
content ("has also called for"), and adverbs between it and the content ("spoke warmly
about"); the content keeps "that" and quote marks but not the sentence's final punctuation.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

from ..types import Article, Claim, Span
from .cues import CueModel, clause_marks, is_candidate, light_objects, load_cue_model
from .lexicons import Lexicons, default_lexicons
from .pipeline import attribution_pipeline
from .settings import ExtractionSettings
from .tagger import CueTagger, blend
from .text import (CLOSE_QUOTES, OPEN_QUOTES, QUOTE_MARKS, QuoteIndex, closes_quote, ends_paragraph, find_quotations,
                   has_quote_mark, opens_quote, quote_kind)

Pieces = list[tuple[int, int]]

_EDGE_PUNCT = set(",.;:—–-")
_CONTENT_DEPS = ("ccomp", "xcomp", "dobj", "pcomp", "oprd", "attr")
_CUE_MODIFIER_DEPS = ("aux", "auxpass", "neg", "advmod")
_DASHES = {"—", "–", "--", "-"}
_WORD = re.compile(r"[^\W\d_]{2,}")
# clause links through which a cue without a subject of its own shares its head's subject
_SHARED_SUBJECT_DEPS = ("conj", "advcl", "xcomp", "ccomp", "acl", "relcl")


@dataclass
class Relation:
    """One attribution found in the text; spans are sorted lists of (start, end) pieces."""

    source: Pieces | None
    cue: Pieces
    content: Pieces
    kind: str


# --------------------------------------------------------------------------- helpers

def _span_of(tokens) -> tuple[int, int]:
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)


def _trim(doc, lo: int, hi: int, keep_quotes: bool = True) -> tuple[int, int] | None:
    """Token range [lo, hi] without edge punctuation and spaces (quote marks stay)."""
    while lo <= hi and (doc[lo].is_space or doc[lo].text in _EDGE_PUNCT or doc[lo].lower_ in ("and", "but")
                        or (doc[lo].text in QUOTE_MARKS and not (keep_quotes and doc[lo].text in OPEN_QUOTES))):
        lo += 1
    while hi >= lo and (doc[hi].is_space or doc[hi].text in _EDGE_PUNCT or doc[hi].dep_ == "cc"
                        or (doc[hi].text in QUOTE_MARKS and not (keep_quotes and doc[hi].text in CLOSE_QUOTES))):
        hi -= 1
    if lo > hi:
        return None
    return doc[lo].idx, doc[hi].idx + len(doc[hi].text)


def _subtree_range(tok) -> tuple[int, int]:
    return tok.left_edge.i, tok.right_edge.i


def _subtract(pieces: Pieces, holes: Pieces) -> Pieces:
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


def _clean_pieces(text: str, pieces: Pieces) -> Pieces:
    """Strip spaces and separating punctuation (not quote marks) from each piece; drop
    pieces without a word; merge overlapping ones."""
    out: Pieces = []
    for a, b in sorted(pieces):
        while a < b and (text[a].isspace() or text[a] in _EDGE_PUNCT):
            a += 1
        while b > a and (text[b - 1].isspace() or text[b - 1] in _EDGE_PUNCT):
            b -= 1
        if b > a and any(ch.isalnum() for ch in text[a:b]):
            if out and a < out[-1][1]:  # overlapping pieces merge
                out[-1] = (out[-1][0], max(b, out[-1][1]))
            else:
                out.append((a, b))
    return out


def is_copular_complement(tok) -> bool:
    """Whether ``tok`` is the adjective after a copula ("is confident", "were leery"),
    which heads the cue with the copula before it."""
    return tok.dep_ == "acomp" and tok.pos_ == "ADJ" and tok.head.lemma_ == "be" and tok.head.i < tok.i


# --------------------------------------------------------------------------- the engine

class _Extractor:
    def __init__(self, doc, model: CueModel, context: dict[int, float] | None = None, *,
                 settings: ExtractionSettings, lexicons: Lexicons):
        self.doc = doc
        self.text = doc.text
        self.model = model
        self.settings = settings
        self.cue_threshold = model.threshold if settings.cue_threshold is None else settings.cue_threshold
        self.lex = lexicons
        self.quotes = QuoteIndex(find_quotations(self.text))
        self._probabilities: dict[int, float] = {}
        self.context = context or {}  # the tagger's log-odds for the words of the sentences it read

    # ---- cues
    def cue_tokens(self, tok) -> list:
        """The cue: the cue word with the auxiliaries, negation and adverbs right before it
        and the particle or learned preposition right after it ("has also said",
        "pointed out", "called for"), or a weekday ("said Tuesday")."""
        doc = self.doc
        # "is not sure", "have long been concerned": the copula and its modifiers join
        anchor = tok.head if is_copular_complement(tok) else tok
        lo = anchor.i
        # not "when" ("when asked"), nor a capitalised auxiliary inside a sentence, which is
        # a name the parser misread ("columnist George Will writes")
        left = {c.i for c in anchor.children if c.dep_ in _CUE_MODIFIER_DEPS and c.i < anchor.i and c.tag_ != "WRB"
                and not (c.text[:1].isupper() and not c.is_sent_start)}
        if anchor.pos_ == "NOUN":
            # "her energetic endorsement of": a noun cue takes the adjectives before it
            left |= {c.i for c in anchor.children if c.dep_ == "amod" and c.pos_ == "ADJ" and c.i < anchor.i}
        while lo - 1 in left:
            lo -= 1
        hi = tok.i
        if hi + 1 < len(doc):
            nxt = doc[hi + 1]
            medium = [c for c in nxt.children if c.dep_ == "pobj" and c.lemma_.lower() in self.lex.medium_nouns]
            if nxt.head.i == tok.i and nxt.lower_ == "in" and medium:
                hi = medium[0].i  # "said in a statement"
            elif nxt.head.i == tok.i and (nxt.dep_ == "prt" or (
                    nxt.dep_ in ("prep", "dative") and self.model.takes_preposition(tok.lemma_.lower(), nxt.lower_))):
                hi += 1
            elif tok.lemma_.lower() == "put" and nxt.lower_ == "it" and nxt.dep_ == "dobj":
                hi += 1  # "as she put it": the idiom is the cue, what she said the content
            elif tok.lemma_.lower() == "make" and (clear := self.made_clear(tok)) is not None:
                hi = clear.i  # "made (it) clear": the idiom is the cue
            elif nxt.dep_ == "mark" and nxt.head.head.i == tok.i and nxt.head.dep_ == "advcl" \
                    and self.model.takes_preposition(tok.lemma_.lower(), nxt.lower_):
                hi += 1  # "called for the rules to be changed": "for" marks the clause
        if hi + 1 < len(doc) and doc[hi + 1].head.i == tok.i and doc[hi + 1].lower_ in self.lex.weekdays:
            hi += 1  # "said Tuesday": PolNeAR train has the day in the cue 75 times to 61
        return list(doc[lo:hi + 1])

    def made_clear(self, tok):
        """The "clear" of "made clear" / "made it clear" right after ``tok``, else None."""
        doc = self.doc
        for i in (tok.i + 1, tok.i + 2):
            if i < len(doc) and doc[i].lower_ == "clear" and doc[i].head.i in (tok.i, i) \
                    and (i == tok.i + 1 or doc[tok.i + 1].lower_ == "it"):
                return doc[i]
        return None

    def source_of(self, tok):
        """The subject of the cue, the agent of a passive cue ("asked by reporters"), or
        the subject of the clause it hangs on ("..., adding that"); a participle hanging
        on reported words takes the reporter's subject, not the reported one."""
        if tok.pos_ == "NOUN":
            # "his remarks", "Trump's support for", "a statement from the ministry"
            owners = [c for c in tok.children if c.dep_ == "poss"]
            owners += [g for c in tok.children if c.dep_ == "prep" and c.lower_ in ("from", "by")
                       for g in c.children if g.dep_ == "pobj"]
            return owners[0] if owners else None
        seen = 0
        cur = tok.head if is_copular_complement(tok) else tok
        if tok.dep_ == "acl" and tok.tag_ == "VBG" and tok.head.i < tok.i and tok.head.pos_ in ("NOUN", "PROPN"):
            return tok.head  # "a letter urging ...": the noun the participle describes
        if tok.tag_ == "VBN" and tok.dep_ in ("advcl", "acl") and tok.i < tok.head.i \
                and not any(c.dep_ in ("nsubj", "aux") for c in tok.children):
            # "Asked about the plan, she said ...": the asker is not the speaker (but "as
            # the minister has pointed out" is a perfect tense with its own subject)
            agents = [g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
            return agents[0] if agents else None
        while cur is not None and seen < 4:
            subjects = [c for c in cur.children if c.dep_ in ("nsubj", "csubj") and c.i != tok.i]
            if subjects and not (cur is not tok and cur.dep_ == "ccomp" and cur.head.i != cur.i):
                return subjects[0]
            agents = [g for c in cur.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
            if agents:
                return agents[0]
            if any(c.dep_ == "nsubjpass" for c in cur.children):
                return None  # passive: "he was asked", "is expected"
            if cur.dep_ == "pcomp" and cur.tag_ == "VBG" and cur.head.dep_ == "prep" \
                    and cur.head.head.pos_ in ("VERB", "AUX"):
                # "she responded by saying ...": the subject of the verb the means hangs on
                cur = cur.head.head
                seen += 1
                continue
            if cur.dep_ in _SHARED_SUBJECT_DEPS and cur.head.i != cur.i:
                if cur.dep_ in ("acl", "relcl"):
                    return None
                cur = cur.head
                seen += 1
                continue
            return None
        return None

    def inverted_subject(self, tok, cue: list):
        """The subject standing after a cue that follows its content after a comma ("...,"
        said the minister; "The plan will fail, said Ms. Ortiz"), whatever the parser made
        the subject."""
        before = cue[0].i - 1
        while before > tok.sent.start and self.doc[before].text in QUOTE_MARKS:
            before -= 1
        if before <= tok.sent.start or self.doc[before].text != ",":
            return None
        subj = next((c for c in tok.children if c.dep_ == "nsubj" and c.i > tok.i), None)
        after = cue[-1].i + 1
        if subj is None and after < tok.sent.end and before < cue[0].i - 1 and tok.tag_ in ("VBD", "VBZ", "VBP") \
                and not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
            # the parser made the name an object ("tweeted another") or the subject of the
            # quotation's second half ("said Jane Doe, an economist, "is real"")
            subj = self.doc[after]
            while subj.dep_ in ("compound", "amod", "det", "nummod", "poss", "nmod") and subj.head.i > subj.i:
                subj = subj.head
            if subj.pos_ not in ("PROPN", "NOUN", "PRON") or subj.ent_type_ in ("DATE", "TIME") \
                    or subj.lower_ in ("that", "it"):
                return None
        return subj

    def preceding_noun_phrase(self, first_cue_token):
        """When the parse gives the cue no subject, the noun phrase right before it
        ("Jane Doe, the director of the clinic, said"): the parser often hangs such a
        name on an earlier clause."""
        doc = self.doc
        i = first_cue_token.i - 1
        while i >= 0 and doc[i].is_punct and doc[i].text != ".":
            i -= 1
        if i < 0 or doc[i].pos_ not in ("PROPN", "NOUN") or doc[i].sent != first_cue_token.sent:
            return None
        t = doc[i]
        while True:
            if t.dep_ in ("compound", "amod", "nmod", "poss", "appos") and t.head.i < first_cue_token.i:
                t = t.head
            elif t.dep_ == "pobj" and t.head.dep_ == "prep" and t.head.head.pos_ in ("PROPN", "NOUN") \
                    and t.head.head.i < first_cue_token.i:
                t = t.head.head
            else:
                break
        return t

    def source_pieces(self, subj, cue_token=None) -> Pieces | None:
        """The source's characters: the subject's phrase, never running into the cue's
        own clause ("a letter urging ...")."""
        if subj is None:
            return None
        lo, hi = _subtree_range(subj)
        if cue_token is not None and subj.i < cue_token.left_edge.i <= hi:
            hi = cue_token.left_edge.i - 1
        # a participle after a comma is left out ("Jane Doe, speaking in Ohio,"), and so is
        # a relative clause that reports something itself ("Jane Doe, who said ..."); other
        # relative clauses stay, as PolNeAR train has them more often than not
        for c in subj.children:
            if c.i > subj.i and c.left_edge.i > lo and self.doc[c.left_edge.i - 1].text == "," and (
                    c.dep_ == "acl" or (c.dep_ == "relcl" and any(self.is_cue(t) for t in c.subtree))):
                hi = min(hi, c.left_edge.i - 1)
        # neither a dateline ("WASHINGTON (AP) — Officials said") nor "even" ("Even his
        # allies said") belongs to the source (PolNeAR train keeps "only", "just": "only 7
        # percent said")
        first = self.doc[lo]
        if first.is_upper and len(first) > 1 and self.text.rfind("\n", 0, first.idx) + 1 == first.idx:
            dash = next((t.i for t in self.doc[lo + 1:min(hi, lo + 8)] if t.text in _DASHES and t.whitespace_
                         and self.doc[t.i - 1].whitespace_), None)
            if dash is not None:
                lo = dash + 1
        while lo < subj.i and self.doc[lo].dep_ == "advmod" and self.doc[lo].lower_ == "even":
            lo += 1
        span = _trim(self.doc, lo, hi, keep_quotes=False)
        return [span] if span else None

    # ---- relations
    def relation_for_verb(self, tok) -> Relation | None:
        doc = self.doc
        cue = self.cue_tokens(tok)
        verb = tok  # the verb whose complements are the content
        if tok.dep_ in ("xcomp", "advcl") and tok.i >= 2 and doc[tok.i - 1].lower_ == "to":
            head_cue = self.cue_tokens(tok.head)
            if head_cue[-1].i == tok.i - 2:
                if self.is_cue(tok.head):
                    return None  # the governing cue reports this one (below)
                # "went on to say": the governing verb joins the cue
                cue = list(doc[head_cue[0].i:cue[-1].i + 1])
        else:
            inner = self.reported_infinitive(tok, cue)
            if inner is not None:
                # "continued to warn that ...": one cue, the inner verb's complements
                cue = list(doc[cue[0].i:self.cue_tokens(inner)[-1].i + 1])
                verb = inner
        cue_ids = {t.i for t in cue}
        inverted = self.inverted_subject(tok, cue)
        subj = inverted or self.source_of(tok)
        if inverted is None \
                and (subj is None or (tok.dep_ == "conj" and not any(c.dep_ == "nsubj" for c in tok.children))) \
                and tok.dep_ in ("ROOT", "conj") and not any(c.dep_ == "nsubjpass" for c in tok.children):
            # a noun phrase right before the cue is its subject, whatever the parse says
            # ("after the committee declared" parsed as a second verb of the sentence)
            subj = self.preceding_noun_phrase(cue[0]) or subj
        light = self.light_verb_phrase(verb, cue)
        if light is not None:
            # "expressed concern about X", "made no mention of X": the noun and its
            # preposition join the cue, the preposition's object is the content
            cue, content_roots = light
            cue_ids = {t.i for t in cue}
        else:
            addressee = verb.lemma_.lower() in self.lex.addressee_verbs
            content_roots = [c for c in verb.children if c.dep_ in _CONTENT_DEPS and c.i not in cue_ids
                             and not (addressee and c.dep_ == "dobj")]
            # "thinks so", "said no": the one word is what was said
            content_roots += [c for c in verb.children if c.i == cue[-1].i + 1 and c.lower_ in ("so", "yes", "no")
                              and c.dep_ in ("advmod", "intj", "dobj")]
            if verb.pos_ == "NOUN":
                # "her claim that the budget was balanced": the clause the noun introduces
                content_roots += [c for c in verb.children if c.dep_ == "acl" and clause_marks(c)]
        # a preposition made part of the cue ("called for", "pointed to") brings its object;
        # a clause hanging on the cue's medium ("said in a statement that ...") is content
        for t in cue:
            if t.dep_ in ("prep", "dative"):
                content_roots.extend(c for c in t.children if c.dep_ in ("pobj", "pcomp") and c.i not in cue_ids)
            elif t.dep_ == "mark":
                content_roots.append(t.head)
            elif t.dep_ == "pobj":
                content_roots.extend(c for c in t.children if c.dep_ in ("acl", "ccomp", "relcl") and c.i > t.i)
            elif t.i != tok.i and t.lower_ == "clear":
                # "made it clear that ...": the parser hangs the clause on "clear"
                content_roots.extend(c for c in t.children if c.dep_ in ("ccomp", "advcl", "csubj") and c.i > t.i)
        # "asked the senator whether ...": the question, not the person asked (the parser
        # often hangs an if/whether clause on the verb as an adverbial clause)
        content_roots += [c for c in verb.children if c.dep_ == "advcl" and c.i > verb.i and any(
            m.dep_ == "mark" and m.lower_ in ("if", "whether") for m in c.children)]
        if not any(c.dep_ == "ccomp" for c in verb.children):
            # "insisted in the same interview that ...": the parser hangs the clause on the
            # noun, as if it were a relative clause; it is the content all the same
            content_roots += [t for p in verb.children if p.dep_ == "prep" and p.i > verb.i
                              for t in p.subtree if t.dep_ in ("relcl", "acl") and clause_marks(t) == ["that"]]
        content_roots = list({c.i: c for c in content_roots}.values())
        pieces: Pieces = []
        if content_roots:
            # ccomp beats objects; objects before the verb are rarely contents
            clausal = [c for c in content_roots if c.dep_ in ("ccomp", "xcomp", "advcl")
                       or (c.dep_ in ("relcl", "acl") and c.head.i != verb.i)]
            roots = clausal or content_roots
            ranges = [_subtree_range(c) for c in roots]
            if not clausal:
                ranges = [self.extend_object(verb, lo, hi) for lo, hi in ranges]
            else:
                ranges = [self.extend_clause(verb, self.with_addressee(verb, root, lo), hi)
                          for root, (lo, hi) in zip(roots, ranges)]
            pieces = self.char_pieces([self.before_next_report(*self.trim_tail(lo, hi)) for lo, hi in ranges])
        # "As the minister said, ...": the clause the cue's "as" clause hangs on (the
        # whole of it, even where it opens with a quotation)
        as_clause = tok.dep_ == "advcl" and tok.head.i > tok.i and any(
            c.dep_ == "mark" and c.lower_ == "as" for c in tok.children)
        if not pieces and not as_clause:
            pieces = self.adjacent_quote(cue, subj)
        if not pieces and inverted is not None:
            pieces = self.char_pieces([(tok.sent.start, cue[0].i - 1)])
        elif inverted is not None and cue[0].i > 0:
            # ""The risk," said Jane Doe, "is real."": the quotation before the cue is
            # content too, when the parse reports only the words after the speaker
            quote = self.quotes.at(doc[cue[0].i - 1].idx)
            if quote is not None and not any(a < quote[1] and quote[0] < b for a, b in pieces):
                pieces = [quote] + pieces
        if not pieces and tok.dep_ in ("ccomp", "parataxis", "advcl") and tok.head.i != tok.i \
                and (tok.head.i < tok.i or tok.dep_ == "parataxis" or as_clause) \
                and not (tok.dep_ == "ccomp" and self.is_cue(tok.head)):
            # "..., the minister said" / "X, he said, Y": the content is the clause the cue
            # hangs on, without the cue's own words
            lo, hi = _subtree_range(tok.head)
            t_lo, t_hi = _subtree_range(tok)
            if not as_clause:
                # the cue's own clause leaves a hole from its subject on; what the parser
                # hung on the cue before that ("If it rains, he said, ...") stays in the content
                t_lo = min(cue[0].i, subj.left_edge.i if subj is not None and subj.i < tok.i else cue[0].i)
            pieces = self.char_pieces([(lo, t_lo - 1), (t_hi + 1, hi)])
        if not pieces and subj is not None and subj.i < tok.i:
            # "The plan, the minister claimed, will fail": a cue set off by commas inside
            # the clause it reports (the parser makes it the root)
            s_lo = min(subj.left_edge.i, cue[0].i)
            after = cue[-1].i + 1
            sent = tok.sent
            # or one closing the sentence ("Not yet, the minister said.")
            closes = all(t.is_punct for t in doc[after:sent.end])
            if s_lo > sent.start and doc[s_lo - 1].text == "," and after < sent.end \
                    and (doc[after].text == "," or closes) \
                    and not any(c.dep_ in _CONTENT_DEPS for c in tok.children):
                pieces = self.char_pieces([(sent.start, s_lo - 2)] + ([] if closes else [(after + 1, sent.end - 1)]))
        next_paragraph = False
        if not pieces:
            colon = cue[-1].i + 1
            if colon < len(doc) and doc[colon].text == ":":
                pieces = self.char_pieces([(colon + 1, doc[colon].sent.end - 1)])
                if not pieces and colon + 1 < len(doc) and "\n" in doc[colon + 1].text:
                    # "Wallnau wrote:" closing a paragraph: the next paragraph is the content
                    start = doc[colon + 1].idx + len(doc[colon + 1].text)
                    end = self.text.find("\n", start)
                    pieces = _clean_pieces(self.text, [(start, len(self.text) if end < 0 else end)])
                    next_paragraph = bool(pieces)
        if not pieces:
            # "was critical of X", "railed against X": the object of the first such
            # preposition is the content; the preposition joins a cue it follows
            preps = [c for c in verb.children if c.dep_ == "prep" and c.i > verb.i and c.lower_ in self.lex.cue_prepositions]
            objects = [g for g in preps[0].children if g.dep_ in ("pobj", "pcomp")] if preps else []
            if objects:
                pieces = self.char_pieces([_subtree_range(objects[0])])
                if pieces and preps[0].i == cue[-1].i + 1:
                    cue = cue + [preps[0]]
        if not pieces and tok.dep_ == "acl" and tok.tag_ == "VBN" and tok.head.i < tok.i \
                and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
            # "the plan, opposed by most economists, ...": the participle reports on the noun
            # it describes (its source is the agent, if any)
            pieces = self.char_pieces([(tok.head.left_edge.i, tok.head.i)])
        passive = [c for c in tok.children if c.dep_ == "nsubjpass" and c.lower_ not in ("it", "there")]
        if passive and (not pieces or not any(c.dep_ == "ccomp" for c in content_roots)):
            # "the rollout was widely criticised", "the senator is expected to win", "she is
            # known for her stance": PolNeAR train counts the passive cue's subject in the
            # content three times in four (not beside a reported clause: "it was said that")
            pieces = self.char_pieces([_subtree_range(passive[0])]) + pieces
        if not pieces or self.only_a_date(pieces):
            return None  # "tweeted on Friday": when, not what
        if tok.lemma_.lower() in self.lex.raising_verbs and subj is not None and subj.lower_ not in ("it", "there") \
                and subj.i < tok.i and pieces:
            # "the plan appears to work": PolNeAR reads the subject and the complement as
            # the content of an unstated source, the cue between them
            whole = self.char_pieces([_subtree_range(subj)]) + pieces
            return self.finish(None, [_span_of(cue)], whole)
        source = self.source_pieces(subj, tok)
        return self.finish(source, [_span_of(cue)], pieces, next_paragraph=next_paragraph)

    def only_a_date(self, pieces: Pieces) -> bool:
        """Whether the words of ``pieces`` are all a date or time ("Friday", "Tuesday night")."""
        words = [t for a, b in pieces for t in self.doc.char_span(a, b, alignment_mode="expand") or () if t.is_alpha]
        return bool(words) and all(t.ent_type_ in ("DATE", "TIME") for t in words)

    def trim_tail(self, lo: int, hi: int) -> tuple[int, int]:
        """A relative clause set off by a comma at the end of the content is the writer's
        aside, not the speaker's ("... the poll, which was taken in May")."""
        doc = self.doc
        for c in doc[lo + 1:hi + 1]:
            start = c.left_edge.i
            if c.dep_ == "relcl" and start - 1 > lo and doc[start - 1].text == "," and c.head.i < start \
                    and c.right_edge.i >= hi - 1:
                return lo, start - 2
        return lo, hi

    def before_next_report(self, lo: int, hi: int) -> tuple[int, int]:
        """The content stops where a further report by the same speaker begins
        ("..., suggesting that ...", "... and warned that ..."), or a contrasting report
        by another ("... crime fell, while another says it rose"): that one is a relation
        of its own."""
        for t in self.doc[lo + 1:hi + 1]:
            if t.dep_ not in ("advcl", "conj") or t.pos_ != "VERB" or t.left_edge.i <= lo:
                continue
            own_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)
            contrast = t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in ("while", "whereas") for c in t.children)
            if (contrast or not own_subject) and self.is_cue(t):
                return lo, t.left_edge.i - 1
        return lo, hi

    def light_verb_phrase(self, tok, cue: list):
        """(cue tokens, content roots) for a light verb (learned from PolNeAR train) whose
        object noun carries the meaning: "voiced support for", "made no mention of",
        "issued a statement saying", "expressed concern that": the noun (with its
        preposition or the participle hanging on it) joins the cue; what follows is the
        content."""
        if not self.model.is_light_verb(tok.lemma_.lower()):
            return None
        doc = self.doc
        for obj, kind, after in light_objects(tok):
            if kind == "prep":
                end, objects = after.i, [c for c in after.children if c.dep_ in ("pobj", "pcomp")]
            elif kind == "participle":
                end = after.i
                nxt = doc[end + 1] if end + 1 < len(doc) else None
                if nxt is not None and nxt.head.i == end and nxt.dep_ in ("prep", "prt") \
                        and self.model.takes_preposition(after.lemma_.lower(), nxt.lower_):
                    end, objects = nxt.i, [c for c in nxt.children if c.dep_ in ("pobj", "pcomp")]
                else:
                    objects = [c for c in after.children if c.dep_ in _CONTENT_DEPS and c.i > end]
            else:
                end, objects = obj.i, [after]  # "expressed concern that ..."
            if objects:
                return list(doc[cue[0].i:end + 1]), objects
        return None

    def is_cue(self, tok) -> bool:
        if tok.lemma_.lower() == "make" and tok.pos_ == "VERB" and self.made_clear(tok) is not None:
            return True  # "made it clear that ...": an idiom of saying, whatever the model thinks of "make"
        return is_candidate(tok) and self.probability(tok) >= self.cue_threshold

    def probability(self, tok) -> float:
        """The cue probability of ``tok`` where it stands (``word_probability``), computed once
        per word (the relation loop, infinitives and the nesting check all ask again)."""
        if tok.i not in self._probabilities:
            self._probabilities[tok.i] = self.word_probability(tok, self.quotes.at(tok.idx) is not None)
        return self._probabilities[tok.i]

    def word_probability(self, tok, in_quote: bool) -> float:
        """The cue probability of ``tok`` as if inside (or outside) a quotation: the linear
        model's, blended with the tagger's where the tagger read the sentence."""
        return blend(self.model.probability(tok, in_quote), self.context.get(tok.i))

    def reported_infinitive(self, tok, cue: list):
        """A reporting verb right after a cue as its infinitive ("continued to warn",
        "went on to say"). The model learned such verbs as parts of the governing cue, so
        what counts is whether the word is a cue in general, and only a low bar in its
        context; after a verb whose infinitive PolNeAR train puts in the cue ("try",
        "continue", learned), any verb."""
        doc = self.doc
        nxt = cue[-1].i + 1
        if nxt + 1 >= len(doc) or doc[nxt].lower_ != "to":
            return None
        if any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children):
            return None  # "is expected to show": the passive cue reports the infinitive
        inner = doc[nxt + 1]
        if inner.head.i != tok.i or inner.dep_ not in ("xcomp", "advcl") or not is_candidate(inner):
            return None
        if self.model.joins_infinitive(tok.lemma_.lower()):
            return inner  # "tried to argue", "continued to complain": PolNeAR's cue runs on
        if not any(c.dep_ in _CONTENT_DEPS for c in inner.children) \
                and not any(c.dep_ in ("ccomp", "parataxis") for c in tok.children):
            return None  # "declined to comment": the infinitive is what was declined
        # a reporting word in general, and not unlikely a cue here: "continued to warn that"
        # is one cue, "planned to challenge the ruling" a cue and its content
        if self.model.lemma_weight(inner.lemma_.lower()) > 0 \
                and self.probability(inner) >= self.settings.reported_infinitive_floor:
            return inner
        return None

    def char_pieces(self, ranges: list[tuple[int, int]]) -> Pieces:
        """Character pieces of token ranges, edge punctuation trimmed, empty ones dropped."""
        out: Pieces = []
        for lo, hi in ranges:
            span = _trim(self.doc, lo, hi) if lo <= hi else None
            if span:
                out.append(span)
        return out

    def adjacent_quote(self, cue: list, subj) -> Pieces:
        """A quotation right before the source and cue ("“...,” she said") or right after
        the cue ("she said: “...”")."""
        text = self.text
        first = min([cue[0]] + ([subj.left_edge] if subj is not None and subj.i < cue[0].i else []),
                    key=lambda t: t.i)
        pos = first.idx
        while pos > 0 and text[pos - 1] in " ,\t":
            pos -= 1
        if pos > 0 and closes_quote(text, pos):
            q = self.quotes.at(pos - 1)
            if q and q[1] == pos:
                return [q]
        end = cue[-1].idx + len(cue[-1].text)
        pos = end
        while pos < len(text) and text[pos] in " ,:\t":
            pos += 1
        q = self.quotes.at(pos) if opens_quote(text, pos) else None
        if q and q[0] == pos:
            return [q]
        return []

    def extend_object(self, tok, lo: int, hi: int) -> tuple[int, int]:
        """An object's content runs on through the cue's complements that follow it
        ("described the plan as reckless", "accused him of lying")."""
        for c in tok.children:
            if c.i == hi + 1 or (c.i > hi and all(self.doc[j].dep_ != "punct" for j in range(hi + 1, c.i))):
                if c.dep_ in ("prep", "oprd", "advmod", "npadvmod", "xcomp", "ccomp", "advcl", "acomp") \
                        and not _is_circumstance(c, self.lex):
                    hi = max(hi, c.right_edge.i)
        return lo, hi

    def with_addressee(self, tok, root, lo: int) -> int:
        """Where an infinitive content starts: at the person it is addressed to when that
        object stands right before it ("called on the council to act", "urged voters to
        stay home")."""
        if root.dep_ != "xcomp":
            return lo
        objects = [c for c in tok.children if c.dep_ == "dobj"]
        objects += [g for c in tok.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
        for obj in objects:
            if obj.right_edge.i == lo - 1 and obj.i > tok.i:
                return obj.left_edge.i
        return lo

    def extend_clause(self, tok, lo: int, hi: int) -> tuple[int, int]:
        """A reported clause runs on through a coordinated clause the parser hung on the
        cue ("said the war is over, and the troops will come home")."""
        for c in tok.children:
            if c.dep_ == "conj" and c.i > hi and c.pos_ in ("VERB", "AUX") \
                    and any(g.dep_ in ("nsubj", "nsubjpass", "expl") for g in c.children) \
                    and not (is_candidate(c) and self.word_probability(c, False) >= self.cue_threshold) \
                    and not any(self.doc[j].lower_ in ("but", "yet") for j in range(hi + 1, c.i)):
                hi = max(hi, c.right_edge.i)
        return lo, hi

    def relation_for_according(self, tok) -> Relation | None:
        """"according to X, Y" / "Y, according to X" / "Y, according to X, Z". The
        source runs to the next comma or dash (the parser often swallows the clause after
        it); the content is the rest of the sentence."""
        doc = self.doc
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
        source = self.char_pieces([(to.i + 1, source_end - 1)]) or None
        pieces = self.char_pieces([(sent.start, tok.i - 1), (end, sent.end - 1)])
        if not pieces:
            return None
        return self.finish(source, [(tok.idx, to.idx + len(to.text))], pieces)

    def relation_for_survey(self, tok) -> Relation | None:
        """"In a poll released Sunday, 40 percent backed the plan": the poll is the
        source of the clause, "In" the cue (as PolNeAR annotates it)."""
        survey = next((c for c in tok.children if c.dep_ == "pobj" and c.lemma_.lower() in self.lex.survey_nouns), None)
        end = _subtree_range(tok)[1]
        if survey is None or end + 1 >= tok.sent.end or self.doc[end + 1].text != ",":
            return None
        source = self.char_pieces([(tok.i + 1, end)]) or None
        content = self.char_pieces([(end + 2, tok.sent.end - 1)])
        return self.finish(source, [_span_of([tok])], content) if content else None

    def finish(self, source: Pieces | None, cue: Pieces, content: Pieces,
               next_paragraph: bool = False) -> Relation | None:
        text = self.text
        # a source or content found by the parse stays on the cue's line (or runs on to the
        # end of the next paragraph when a colon ends the cue's line)
        line_start = text.rfind("\n", 0, cue[0][0]) + 1
        line_end = text.find("\n", cue[-1][1])
        if next_paragraph and line_end >= 0:
            while line_end < len(text) and text[line_end].isspace():
                line_end += 1
            line_end = text.find("\n", line_end)
        line_end = len(text) if line_end < 0 else line_end
        content = [(max(a, line_start), min(b, line_end)) for a, b in content]
        content = [(a, b) for a, b in content if a < b]
        if source:
            source = [(max(a, line_start), min(b, line_end)) for a, b in source]
            source = _clean_pieces(text, [(a, b) for a, b in source if a < b]) or None
        # snap to whole quotations
        snapped: Pieces = []
        for a, b in content:
            q = self.quotes.at(a) or (self.quotes.at(a - 1) if a > 0 else None)
            if q and q[0] < a and not _inside(cue, q):
                a = q[0]
            q = self.quotes.at(b - 1) or self.quotes.at(b)
            if q and b < q[1] and not _inside(cue, q):
                b = q[1]
            snapped.append((a, b))
        # cut the source and cue out of a content that surrounds them
        holes = list(cue) + (source or [])
        content = _clean_pieces(text, _subtract(snapped, holes))
        # a claim with neither a source nor more than one word to it ("Ortiz was widely
        # criticised") is right in PolNeAR train cross-validation about one time in five
        if not content or (not source and len(_WORD.findall(" ".join(text[a:b] for a, b in content))) < 2):
            return None
        cue = self.without_idle_preposition(cue, content, source)
        return Relation(source, self.adverbs_before_content(cue, content), content, quote_kind(text, content))

    def without_idle_preposition(self, cue: Pieces, content: Pieces, source: Pieces | None) -> Pieces:
        """The cue without a learned preposition at its end whose object is neither
        content nor source ("said about the rally that ...", "has said for months"):
        PolNeAR train leaves such a preposition out 48 times to 8."""
        span = self.doc.char_span(cue[-1][0], cue[-1][1], alignment_mode="expand")
        if span is None or len(span) < 2 or span[-1].dep_ not in ("prep", "dative"):
            return cue
        objects = [c for c in span[-1].children if c.dep_ in ("pobj", "pcomp")]
        kept = content + (source or [])
        if not objects or any(a <= o.idx < b for o in objects for a, b in kept):
            return cue
        return cue[:-1] + [(cue[-1][0], span[-2].idx + len(span[-2]))]

    def adverbs_before_content(self, cue: Pieces, content: Pieces) -> Pieces:
        """The cue running on over the adverbs between it and the content, and a
        preposition after them ("spoke passionately about", "wrote back", "indicated
        publicly"): PolNeAR train has them in the cue 54 times to 4."""
        end, start = cue[-1][1], content[0][0]
        if start <= end or self.text.count("\n", end, start):
            return cue
        between = [t for t in self.doc.char_span(end, start, alignment_mode="expand") or ()
                   if t.idx >= end and t.idx + len(t) <= start]
        while between and (between[-1].is_punct or between[-1].lower_ == "that"):
            between.pop()
        words = between[:-1] if len(between) > 1 and between[-1].pos_ == "ADP" else between
        cue_words = {t.i for a, b in cue for t in self.doc.char_span(a, b, alignment_mode="expand") or ()}
        if not words or not all(t.pos_ == "ADV" and t.dep_ == "advmod" and t.head.i in cue_words for t in words):
            return cue
        return cue[:-1] + [(cue[-1][0], between[-1].idx + len(between[-1]))]

    def continuation(self, content: Pieces, cue: Pieces, source: Pieces | None) -> Pieces:
        """Quotations that carry on the speaker's words after the attribution: the second
        half of a quote split by "he said", quotes opening the following sentences of the
        paragraph, and paragraphs that are one quotation. Only when the content itself
        quotes, at least in part."""
        text = self.text
        if not any(has_quote_mark(text[a:b]) for a, b in content):
            return []
        pos = max(b for _, b in content + cue + (source or []))
        line_end = text.find("\n", pos)
        line_end = len(text) if line_end < 0 else line_end
        extra: Pieces = []
        while pos < line_end:
            nxt = self.quotes.next_after(pos)
            if nxt is None or nxt[0] >= line_end:
                break
            gap = text[pos:nxt[0]]
            words = gap.split()
            # a short tail ("he said on Monday,"), the rest of the cue's sentence ("Trump
            # said at a rally in Ohio.") or nothing but punctuation may come between
            rest_of_sentence = not extra and not text[self.sentence_end(cue[-1][1]):nxt[0]].strip()
            if has_quote_mark(gap) or (len(words) > 6 and not rest_of_sentence):
                break
            if words and extra:
                break
            extra.append(nxt)
            pos = nxt[1]
        # a quote left open at the end of its paragraph goes on in the next paragraph
        # when that one opens with a quotation mark (news style for long quotes)
        last = extra[-1] if extra else max(content, key=lambda p: p[1])
        while opens_quote(text, last[0]) and last[1] < len(text) and not closes_quote(text, last[1]):
            nxt_start = text.find("\n", last[1])
            if nxt_start < 0 or text[last[1]:nxt_start].strip(" .,;:"):
                break
            while nxt_start < len(text) and text[nxt_start].isspace():
                nxt_start += 1
            q = self.quotes.at(nxt_start)
            if q is None or q[0] != nxt_start or "\n" not in text[last[1]:nxt_start]:
                break
            extra.append(q)
            last = q
        # a paragraph that is nothing but a quotation goes on with the words of the speaker
        # quoted at the end of the paragraph before ("“A,” she said. / “B.”")
        pos = max(b for _, b in content + cue + (source or []) + extra)
        while ends_paragraph(text, pos):
            nxt_start = text.find("\n", pos)
            if nxt_start < 0:
                break
            while nxt_start < len(text) and text[nxt_start].isspace():
                nxt_start += 1
            q = self.quotes.at(nxt_start)
            if q is None or q[0] != nxt_start or not closes_quote(text, q[1]) or not ends_paragraph(text, q[1]):
                break
            extra.append(q)
            pos = q[1]
        return extra

    def sentence_end(self, pos: int) -> int:
        """End (character offset) of the sentence holding character ``pos - 1``."""
        span = self.doc.char_span(max(pos - 1, 0), pos, alignment_mode="expand")
        return span.sent.end_char if span is not None and len(span) else pos

    def relation_for_colon(self, colon) -> Relation | None:
        """"Name: words" at the start of a line (headlines, interview transcripts): a
        short name, then a colon, then what they said."""
        doc = self.doc
        text = self.text
        line_start = text.rfind("\n", 0, colon.idx) + 1
        head = [t for t in doc[max(0, colon.i - self.settings.colon_source_max - 1):colon.i] if t.idx >= line_start]
        head = [t for t in head if not t.is_space]
        if not head or head[0].idx != line_start or len(head) > self.settings.colon_source_max:
            return None
        if not head[0].text[:1].isupper() or any(t.pos_ in ("VERB", "AUX", "PRON", "NUM") or
                                                 (t.is_punct and t.text not in ".'’-") for t in head):
            return None
        # a name, or in the headline also a noun ("Poll: ...", "Historians: ..."), but not
        # the labels of news pages ("Editor's note:", "UPDATE:", "Follow him on Twitter:")
        if not any(t.pos_ == "PROPN" or (t.pos_ == "NOUN" and line_start == 0) for t in head) \
                or any(t.lower_ in self.lex.page_labels for t in head):
            return None
        line_end = text.find("\n", colon.idx)
        line_end = len(text) if line_end < 0 else line_end
        content = _clean_pieces(text, [(colon.idx + 1, line_end)])
        # what is said has words ("Clinton: 1,769" is a tally, "Twitter: @name" an address)
        if sum(bool(_WORD.search(w)) and w[0] not in "@#" for w in text[colon.idx + 1:line_end].split()) < 2:
            return None
        source = [(head[0].idx, head[-1].idx + len(head[-1].text))]
        return self.finish(source, [(colon.idx, colon.idx + 1)], content)

    def cue_probability(self, rel: Relation) -> float:
        """The model's probability for the likeliest word of the relation's cue; 1 for a
        cue that is a rule's, not the model's ("according to", a colon)."""
        words = [t for a, b in rel.cue for t in (self.doc.char_span(a, b, alignment_mode="expand") or [])
                 if is_candidate(t)]
        return max((self.probability(t) for t in words), default=1.0)

    def _in_relative_clause(self, rel: Relation) -> bool:
        """Whether the cue heads a relative clause ("the engineer, who said ...")."""
        span = self.doc.char_span(rel.cue[0][0], rel.cue[-1][1], alignment_mode="expand")
        return span is not None and span.root.dep_ == "relcl"

    def relations(self) -> list[Relation]:
        found: list[Relation] = []
        for tok in self.doc:
            rel = None
            if tok.lower_ == "according":
                rel = self.relation_for_according(tok)
            elif tok.text == ":":
                rel = self.relation_for_colon(tok)
            elif tok.lower_ == "in" and tok.i == tok.sent.start:
                rel = self.relation_for_survey(tok)
            elif tok.lower_ in self.lex.report_adverbs and tok.dep_ == "advmod" and tok.head.i != tok.i:
                # "the team has reportedly left": the clause is reported, its source unstated
                lo, hi = _subtree_range(tok.head)
                pieces = self.char_pieces([(lo, tok.i - 1), (tok.i + 1, hi)])
                rel = self.finish(None, [_span_of([tok])], pieces) if pieces else None
            elif self.is_cue(tok):
                rel = self.relation_for_verb(tok)
            if rel is not None:
                found.append(rel)
        extras = [self.continuation(r.content, r.cue, r.source) for r in found]
        relative = {i for i, r in enumerate(found) if self._in_relative_clause(r)}
        kept = _outermost(found, extras, self.quotes, relative, [self.cue_probability(r) for r in found],
                          margin=self.settings.displacing_margin)
        # a continuation never takes words another relation reports or cues
        for i in kept:
            rel = found[i]
            claimed = [p for j in kept if j != i for p in found[j].content + found[j].cue]
            for piece in extras[i]:
                if any(a < piece[1] and piece[0] < b for a, b in claimed):
                    break
                rel.content.append(piece)
            rel.kind = quote_kind(self.text, rel.content)
        result = [found[i] for i in kept]
        return result + self.orphan_quotations(result)

    def orphan_quotations(self, relations: list[Relation]) -> list[Relation]:
        """Relations for quotations no relation reports: almost every quotation in news is
        attributed, so the likeliest cue word of its sentence, outside the quotation, is
        taken as its cue even below the cue threshold (down to ``orphan_quote_floor``).
        When that word already cues a relation, the quotation joins its content; a quotation
        that is a sentence of its own, with no such word, joins the last content before it
        in its paragraph."""
        taken = [p for r in relations for p in r.content + r.cue]
        out: list[Relation] = []
        for q in self.quotes.quotes:
            if any(a < q[1] and q[0] < b for a, b in taken) or len(self.text[q[0]:q[1]].split()) < self.settings.orphan_quote_words \
                    or not (opens_quote(self.text, q[0]) and closes_quote(self.text, q[1])):
                continue
            first = self.doc.char_span(q[0], q[0] + 1, alignment_mode="expand")
            last = self.doc.char_span(q[1] - 1, q[1], alignment_mode="expand")
            if first is None or last is None:
                continue
            lo, hi = first[0].sent.start, last[-1].sent.end
            scored = [(self.word_probability(t, False), t) for t in self.doc[lo:hi]
                      if is_candidate(t) and not (q[0] <= t.idx < q[1])]
            scored = [(p, t) for p, t in scored if p >= self.settings.orphan_quote_floor]
            if not scored:
                # a quotation standing alone as a sentence goes on with the last content
                # before it in its paragraph
                alone = not any(t.is_alpha for t in self.doc[lo:hi] if not (q[0] <= t.idx < q[1]))
                before = [r for r in relations + out if r.content[-1][1] <= q[0]]
                owner = max(before, key=lambda r: r.content[-1][1]) if alone and before else None
                if owner is not None and "\n" not in self.text[owner.content[-1][1]:q[0]]:
                    self._join(owner, q)
                    taken.append(q)
                continue
            tok = max(scored, key=lambda pt: pt[0])[1]
            cue = [_span_of(self.cue_tokens(tok))]
            owner = next((r for r in relations + out if any(a < cue[0][1] and cue[0][0] < b for a, b in r.cue)), None)
            if owner is not None:
                # the cue already reports something else: the quotation is more of it
                self._join(owner, q)
                taken.append(q)
                continue
            rel = self.finish(self.source_pieces(self.source_of(tok), tok), cue, [q])
            if rel is not None:
                out.append(rel)
                taken += rel.content + rel.cue
        return out

    def _join(self, rel: Relation, quote: tuple[int, int]) -> None:
        rel.content = sorted(rel.content + [quote])
        rel.kind = quote_kind(self.text, rel.content)


def _is_circumstance(tok, lex: Lexicons) -> bool:
    """Whether a phrase hanging on the cue says when or why it was said rather than
    what: PolNeAR train leaves such phrases out of an object's content two times in three
    or more ("criticized the plan during a rally", "endorsed it after his son came out",
    "praised the deal last week"). The parser often makes "when" an adverb, not a mark."""
    if tok.dep_ == "advcl":
        mark = next((c.lower_ for c in tok.children if c.dep_ == "mark"
                     or (c.dep_ == "advmod" and c.tag_ == "WRB" and c.i == tok.left_edge.i)), None)
        return mark in lex.circumstance_marks
    if tok.dep_ == "npadvmod":
        return tok.ent_type_ in ("DATE", "TIME")
    return tok.lower_ in lex.circumstance_prepositions


def _inside(pieces: Pieces, span: tuple[int, int]) -> bool:
    return any(span[0] <= a and b <= span[1] for a, b in pieces)


def _outermost(relations: list[Relation], extras: list[Pieces], quotes: QuoteIndex,
               relative: frozenset[int] | set[int] = frozenset(), scores: list[float] | None = None, *,
               margin: float = ExtractionSettings.displacing_margin) -> list[int]:
    """Indexes of the relations to keep: a cue inside a quotation that another relation
    reports (in its content or the quotes continuing it), or inside another relation's
    content, opens no claim of its own (measured on PolNeAR train, dropping such nested
    relations scores a little better than keeping them), except a cue in a relative clause
    (indexes in ``relative``: "criticised the engineer, who said that ..."), which PolNeAR
    annotates as a relation of its own. When a cue outside quotations is clearly likelier
    than the one whose content holds it (``scores``, the cue probabilities), the inner
    relation stays and the outer one goes: PolNeAR never nests relations, and the weaker
    cue is more often the wrong one ("many prefer ... to groups that revile ..."); "clearly":
    by more than ``margin``."""
    displaced: set[int] = set()
    for i, r in enumerate(relations):
        c0, c1 = r.cue[0][0], r.cue[-1][1]
        if scores is None or quotes.at(c0) is not None or i in relative:
            continue
        for j, other in enumerate(relations):
            if j != i and scores[i] > scores[j] + margin and any(a <= c0 and c1 <= b for a, b in other.content):
                displaced.add(j)
    kept = []
    for i, r in enumerate(relations):
        if i in displaced:
            continue
        c0, c1 = r.cue[0][0], r.cue[-1][1]
        q = quotes.at(c0)
        inside = False
        for j, other in enumerate(relations):
            if j == i or j in displaced:
                continue
            for a, b in other.content + extras[j]:
                if q is not None and a < q[1] and q[0] < b and not (other.cue[0][0] >= q[0] and other.cue[-1][1] <= q[1]):
                    inside = True
                elif a <= c0 and c1 <= b and i not in relative:
                    inside = True
        if not inside:
            kept.append(i)
    return kept


# --------------------------------------------------------------------------- public API

def read_with_tagger(docs: list, model: CueModel, tagger: CueTagger, executor: Executor | None = None, *,
                     settings: ExtractionSettings = ExtractionSettings()) -> Callable[[], list[dict[int, float]]]:
    """Start the tagger on the parsed texts (see ``CueTagger.read``); the function returned
    gives each text's scores, the ``context`` of ``find_relations``."""
    unsure = []
    for doc in docs:
        quotes = QuoteIndex(find_quotations(doc.text))
        unsure.append(lambda t, quotes=quotes: model.probability(t, quotes.at(t.idx) is not None))
    return tagger.read(docs, unsure, (settings.tagger_unsure_low, settings.tagger_unsure_high), executor)


def find_relations(doc, model: CueModel | None = None, tagger: CueTagger | None = None,
                   context: dict[int, float] | None = None, *, settings: ExtractionSettings = ExtractionSettings(),
                   lexicons: Lexicons | None = None, parse: Callable[[str], Any] | None = None) -> list[Relation]:
    """All outermost attribution relations in a parsed text, in text order of their cues.
    ``model`` is the linear cue model (default: the shipped one); ``tagger``, when given,
    scores cue words in their sentence too (``context``: its scores for ``doc``, when
    already read with ``read_with_tagger``); ``settings`` the thresholds, ``lexicons`` the
    word lists (default: the package's). A Title Case headline is parsed again in sentence
    case (same offsets) by ``parse`` (default: ``attribution_pipeline``), since the parser
    reads "Minister Says Talks Failed" as one long name."""
    model = model or load_cue_model()
    lexicons = lexicons or default_lexicons()
    if tagger is not None and context is None:
        context = read_with_tagger([doc], model, tagger, settings=settings)()[0]
    relations = _Extractor(doc, model, context, settings=settings, lexicons=lexicons).relations()
    headline_end = _title_case_headline_end(doc.text)
    if headline_end:
        relations = [r for r in relations if r.cue[0][0] >= headline_end]
        lowered = _sentence_case(doc.text[:headline_end], model)
        headline_doc = (parse or attribution_pipeline())(lowered)
        headline_context = read_with_tagger([headline_doc], model, tagger, settings=settings)()[0] \
            if tagger is not None else None
        found = _Extractor(headline_doc, model, headline_context, settings=settings, lexicons=lexicons).relations()
        # the relations keep their offsets; only the casing of the parsed copy differed
        relations = found + relations
    return relations


def _title_case_headline_end(text: str) -> int:
    """End of the first line when it is written in Title Case, else 0."""
    end = text.find("\n")
    end = len(text) if end < 0 else end
    words = [w for w in text[:end].split() if w[:1].isalpha()]
    if len(words) < 4 or end > 300:
        return 0
    capitalised = sum(w[0].isupper() for w in words)
    return end if capitalised >= 0.75 * len(words) else 0


def _sentence_case(line: str, model: CueModel) -> str:
    """``line`` with capitalised common words lowered (same length, same offsets): a word
    is common when the cue model knows it, inflected or not, as a verb, noun or adjective."""
    out = []
    for i, word in enumerate(line.split(" ")):
        bare = word.strip(".,:;!?\"“”‘’'()")
        low = bare.lower()
        if i > 0 and bare[:1].isupper() and not bare.isupper() and model.knows_word(low):
            word = word.replace(bare, low, 1)
        out.append(word)
    return " ".join(out)


def find_attributions(doc, article: Article, model: CueModel | None = None, tagger: CueTagger | None = None,
                      context: dict[int, float] | None = None) -> list[Claim]:
    """The claims of ``article``; ``doc`` is the spaCy parse of ``article.text``; ``model``
    the linear cue model (default: the shipped one), ``tagger`` the contextual one and
    ``context`` its scores (see ``find_relations``). Speakers are left unresolved (see
    ``speakers``)."""
    if doc.text != article.text:
        raise ValueError(f"article {article.id}: the parse is not of the article's text")
    return relations_to_claims(article, find_relations(doc, model, tagger, context))


def relations_to_claims(article: Article, relations: list[Relation]) -> list[Claim]:
    """The claims of ``article`` the relations found in its text make, in text order of
    their cues."""
    text = article.text
    claims = []
    for rel in sorted(relations, key=lambda r: r.cue[0]):
        content = Span.from_pieces(text, rel.content)
        cue = Span.from_pieces(text, rel.cue)
        speaker = Span.from_pieces(text, rel.source) if rel.source else None
        claims.append(Claim(article_id=article.id, content=content, kind=rel.kind, speaker=speaker,
                            cue=cue, sentence_ids=_sentences_touched(article, rel.content + rel.cue + (rel.source or []))))
    return claims


def _sentences_touched(article: Article, pieces: Pieces) -> list[int]:
    """Indexes of the article's sentences that overlap any of the pieces."""
    starts = [s.start for s in article.sentences]
    touched: set[int] = set()
    for a, b in pieces:
        i = max(bisect.bisect_right(starts, a) - 1, 0)
        while i < len(article.sentences) and article.sentences[i].start < b:
            if article.sentences[i].end > a:
                touched.add(article.sentences[i].index)
            i += 1
    return sorted(touched)
