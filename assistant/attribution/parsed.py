"""One parsed text as the attribution forms read it: its quotations, the cue probability
of each word, and the span rules every form shares (the cue's words, the source's phrase,
the finishing of a relation)."""
from __future__ import annotations

import re

from .cues import CueModel, is_candidate
from .lexicons import Lexicons
from .relation import Pieces, Relation, clean_pieces, inside, subtract, subtree_range, trim
from .settings import ExtractionSettings
from .tagger import blend
from .text import QuoteIndex, find_quotations, quote_kind

_CUE_MODIFIER_DEPS = ("aux", "auxpass", "neg", "advmod")
_DASHES = {"—", "–", "--", "-"}
WORD = re.compile(r"[^\W\d_]{2,}")
# clause links through which a cue without a subject of its own shares its head's subject
_SHARED_SUBJECT_DEPS = ("conj", "advcl", "xcomp", "ccomp", "acl", "relcl", "acomp")


def first_of_participles(tok):
    """The first of the participles ``tok`` is joined to ("supporting X or slamming Y"),
    which holds the place in the sentence they share; ``tok`` itself otherwise."""
    while tok.dep_ == "conj" and tok.tag_ == "VBG" and tok.head.tag_ == "VBG" and tok.head.i < tok.i:
        tok = tok.head
    return tok


def could_be_name(tokens) -> bool:
    """Whether a few words could be a name standing alone as a source ("Ana Ruiz:",
    "― Ana Ruiz"): capitalised, with no verb, pronoun or number, and no punctuation but
    that of names ("A. Ruiz", "O'Neill", "Smith-Ruiz")."""
    return bool(tokens) and tokens[0].text[:1].isupper() and not any(
        t.pos_ in ("VERB", "AUX", "PRON", "NUM") or (t.is_punct and t.text not in ".'’-") for t in tokens)


def is_copular_complement(tok) -> bool:
    """Whether ``tok`` is the adjective after a copula ("is confident", "were leery"),
    which heads the cue with the copula before it."""
    return tok.dep_ == "acomp" and tok.pos_ == "ADJ" and tok.head.lemma_ == "be" and tok.head.i < tok.i


def misread_past_tense(tok) -> bool:
    """Whether the parser read a sentence's main verb in the past tense as a participle on
    its subject ("Two analysts, A and B, found that ...", "Her campaign called the report
    a rush to judgment", with a noun as the root): an object or clause after it, and no
    other verb the noun is the subject of."""
    noun = tok.head
    return tok.dep_ == "acl" and tok.tag_ == "VBN" and noun.i < tok.i \
        and any(c.dep_ in ("ccomp", "dobj", "oprd") for c in tok.children) \
        and not any(c.dep_ == "agent" for c in tok.children) \
        and (noun.dep_ == "ROOT" or (noun.dep_ == "nsubj" and noun.head.pos_ not in ("VERB", "AUX")))


class ParsedText:
    """A parse with what the forms look up on it; cue probabilities are computed once a
    word (the relation loop, infinitives and the nesting check all ask again)."""

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

    def cue_tokens(self, tok) -> list:
        """The cue: the cue word with the auxiliaries, negation and adverbs right before it
        and the particle or learned preposition right after it ("has also said",
        "pointed out", "called for"), or a weekday ("said Tuesday")."""
        doc = self.doc
        # "is not sure", "have long been concerned": the copula and its modifiers join
        anchor = tok.head if is_copular_complement(tok) else tok
        lo = anchor.i
        # not "when" ("when asked"), nor a capitalised auxiliary inside a sentence, which is
        # a name the parser misread ("columnist George Will writes"); a capitalised adverb
        # is a headline's ("Trump Finally Confirmed")
        left = {c.i for c in anchor.children if c.dep_ in _CUE_MODIFIER_DEPS and c.i < anchor.i and c.tag_ != "WRB"
                and not (c.text[:1].isupper() and not c.is_sent_start and c.tag_ != "RB")}
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
        first = first_of_participles(tok)
        if first.dep_ == "acl" and first.tag_ == "VBG" and first.head.i < first.i \
                and first.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return first.head  # "a letter urging ...", "those calling for ...": the noun it describes
        if misread_past_tense(tok):
            return tok.head
        if tok.tag_ == "VBN" and tok.dep_ in ("advcl", "acl") and tok.i < tok.head.i \
                and not any(c.dep_ in ("nsubj", "aux") for c in tok.children):
            # "Asked about the plan, she said ...": the asker is not the speaker (but "as
            # the minister has pointed out" is a perfect tense with its own subject)
            agents = [g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
            return agents[0] if agents else None
        while cur is not None and seen < 5:
            subjects = [c for c in cur.children if c.dep_ in ("nsubj", "csubj") and c.i != tok.i]
            # a dateline the parser made a second subject is none ("MYRTLE BEACH, S.C. - Sen.
            # Ted Cruz continued ..."); one that is the only subject holds the name in
            # apposition, and the source's phrase drops the dateline
            subjects = [c for c in subjects if self.dateline_dash(c) is None] or subjects
            # a clause reported by another is no source of what hangs on it, unless it
            # reports itself ("“...,” Cruz replied, before adding ...", which the parser
            # hangs on the quotation)
            if subjects and not (cur is not tok and cur.dep_ == "ccomp" and cur.head.i != cur.i
                                 and not self.is_cue(cur)):
                return subjects[0]
            agents = [g for c in cur.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
            if agents:
                return agents[0]
            passive = [c for c in cur.children if c.dep_ == "nsubjpass"]
            if passive:
                # "she was criticised, saying ...", "he was forced to retreat and said ...": a
                # participle or a joined verb shares its clause's subject, even a passive one;
                # a passive cue's own is not its source ("he was asked")
                shared = cur is not tok and (tok.tag_ == "VBG" and tok.dep_ == "advcl" or tok.dep_ == "conj"
                                             and not any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children))
                return passive[0] if shared else None
            if cur.dep_ == "pcomp" and cur.tag_ == "VBG" and cur.head.dep_ == "prep" \
                    and cur.head.head.pos_ in ("VERB", "AUX", "ADJ", "ADV"):
                # "she responded by saying ...", "was the most aggressive in denouncing ...",
                # "was back to boasting ...": the subject of the clause the means hangs on
                cur = cur.head.head
                if cur.pos_ in ("ADJ", "ADV") and cur.dep_ in ("acomp", "advmod", "attr", "oprd") \
                        and cur.head.pos_ in ("VERB", "AUX"):
                    cur = cur.head
                seen += 1
                continue
            if cur.dep_ == "pcomp" and cur.tag_ == "VBG" and cur.head.dep_ == "prep" \
                    and cur.head.head.pos_ == "NOUN" and cur.head.head.dep_ == "dobj":
                # "had a reputation for putting ... and asking ...": the subject of the
                # verb whose object the means hangs on
                cur = cur.head.head.head
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

    def dateline_dash(self, tok) -> int | None:
        """The dash closing the dateline ``tok`` is a word of ("WASHINGTON (AP) — ...",
        "MYRTLE BEACH, S.C. - ..."): capitals at a line start, a spaced dash within eight
        words, no verb; None when ``tok`` is in none."""
        line_start = self.text.rfind("\n", 0, tok.idx) + 1
        first = next((t for t in tok.sent if t.idx >= line_start and not t.is_space), tok)
        if not (first.is_upper and len(first) > 1 and first.idx == line_start):
            return None
        dash = next((t.i for t in self.doc[first.i + 1:first.i + 8] if t.text in _DASHES and t.whitespace_
                     and self.doc[t.i - 1].whitespace_), None)
        if dash is None or tok.i >= dash or any(t.pos_ in ("VERB", "AUX") for t in self.doc[first.i:dash]):
            return None  # a place has no verb ("CONGRESS HAS INVESTIGATED HIM — ..." is a lead-in)
        return dash

    def source_pieces(self, subj, cue_token=None) -> Pieces | None:
        """The source's characters: the subject's phrase, never running into the cue's
        own clause ("a letter urging ...")."""
        if subj is None:
            return None
        lo, hi = subtree_range(subj)
        if cue_token is not None:
            cue_token = first_of_participles(cue_token)
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
        dash = self.dateline_dash(self.doc[lo])
        if dash is not None and dash < hi:
            lo = dash + 1
        while lo < subj.i and self.doc[lo].dep_ == "advmod" and self.doc[lo].lower_ == "even":
            lo += 1
        span = trim(self.doc, lo, hi, keep_quotes=False)
        return [span] if span else None

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

    def char_pieces(self, ranges: list[tuple[int, int]]) -> Pieces:
        """Character pieces of token ranges, edge punctuation trimmed, empty ones dropped."""
        out: Pieces = []
        for lo, hi in ranges:
            span = trim(self.doc, lo, hi) if lo <= hi else None
            if span:
                out.append(span)
        return out

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
            source = clean_pieces(text, [(a, b) for a, b in source if a < b]) or None
        # snap to whole quotations
        snapped: Pieces = []
        for a, b in content:
            q = self.quotes.at(a) or (self.quotes.at(a - 1) if a > 0 else None)
            if q and q[0] < a and not inside(cue, q):
                a = q[0]
            q = self.quotes.at(b - 1) or self.quotes.at(b)
            if q and b < q[1] and not inside(cue, q):
                b = q[1]
            snapped.append((a, b))
        # cut the source and cue out of a content that surrounds them
        holes = list(cue) + (source or [])
        content = clean_pieces(text, subtract(snapped, holes))
        # a claim with neither a source nor more than one word to it ("Ortiz was widely
        # criticised") is right in PolNeAR train cross-validation about one time in five
        if not content or (not source and len(WORD.findall(" ".join(text[a:b] for a, b in content))) < 2):
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

    def cue_probability(self, rel: Relation) -> float:
        """The model's probability for the likeliest word of the relation's cue; 1 for a
        cue that is a rule's, not the model's ("according to", a colon, a dash: the parser
        sometimes tags "―" a noun, so words without letters are not the model's)."""
        words = [t for a, b in rel.cue for t in (self.doc.char_span(a, b, alignment_mode="expand") or [])
                 if is_candidate(t) and WORD.search(t.text)]
        return max((self.probability(t) for t in words), default=1.0)

    def in_relative_clause(self, rel: Relation) -> bool:
        """Whether the cue heads a relative clause ("the engineer, who said ...")."""
        span = self.doc.char_span(rel.cue[0][0], rel.cue[-1][1], alignment_mode="expand")
        return span is not None and span.root.dep_ == "relcl"

    def join_quote(self, rel: Relation, quote: tuple[int, int]) -> None:
        """``quote`` becomes part of ``rel``'s content."""
        rel.content = sorted(rel.content + [quote])
        rel.kind = quote_kind(self.text, rel.content)
