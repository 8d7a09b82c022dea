"""Verbal cues ("said", "warned that", "was critical of"): the source is the cue's subject,
agent or owner; the content its complement or object, a quotation next to it, the clause
around it, or the next paragraph after a colon. Nominal cues ("her claim that", "voiced
support for") take the same path, with their own parts in ``nominal``."""
from __future__ import annotations

from ..cues import clause_marks, is_candidate
from ..lexicons import Lexicons
from ..parsed import ParsedText
from ..relation import CONTENT_DEPS, Pieces, Relation, clean_pieces, span_of, subtree_range
from ..text import QUOTE_MARKS, closes_quote, opens_quote
from .nominal import light_verb_phrase, noun_clause_roots

# the marks of an adverbial clause set against what comes before it
CONCESSIVE_MARKS = frozenset({"while", "whereas", "although", "though"})


def relation_for_verb(parse: ParsedText, tok) -> Relation | None:
    """The relation the cue word ``tok`` opens, if it finds a content."""
    doc = parse.doc
    cue = parse.cue_tokens(tok)
    verb = tok  # the verb whose complements are the content
    if tok.dep_ in ("xcomp", "advcl") and tok.i >= 2 and doc[tok.i - 1].lower_ == "to":
        head_cue = parse.cue_tokens(tok.head)
        if head_cue[-1].i == tok.i - 2:
            if parse.is_cue(tok.head):
                return None  # the governing cue reports this one (below)
            # "went on to say": the governing verb joins the cue
            cue = list(doc[head_cue[0].i:cue[-1].i + 1])
    else:
        inner = reported_infinitive(parse, tok, cue)
        if inner is not None:
            # "continued to warn that ...": one cue, the inner verb's complements
            cue = list(doc[cue[0].i:parse.cue_tokens(inner)[-1].i + 1])
            verb = inner
    cue_ids = {t.i for t in cue}
    inverted = inverted_subject(parse, tok, cue)
    subj = inverted or parse.source_of(tok)
    if inverted is None \
            and (subj is None or (tok.dep_ == "conj" and not any(c.dep_ == "nsubj" for c in tok.children))) \
            and tok.dep_ in ("ROOT", "conj") and not any(c.dep_ == "nsubjpass" for c in tok.children):
        # a noun phrase right before the cue is its subject, whatever the parse says
        # ("after the committee declared" parsed as a second verb of the sentence)
        subj = preceding_noun_phrase(parse, cue[0]) or subj
    light = light_verb_phrase(parse, verb, cue)
    if light is not None:
        # "expressed concern about X", "made no mention of X": the noun and its
        # preposition join the cue, the preposition's object is the content
        cue, content_roots = light
        cue_ids = {t.i for t in cue}
    else:
        addressee = verb.lemma_.lower() in parse.lex.addressee_verbs
        content_roots = [c for c in verb.children if c.dep_ in CONTENT_DEPS and c.i not in cue_ids
                         and not (addressee and c.dep_ == "dobj")]
        # "thinks so", "said no": the one word is what was said
        content_roots += [c for c in verb.children if c.i == cue[-1].i + 1 and c.lower_ in ("so", "yes", "no")
                          and c.dep_ in ("advmod", "intj", "dobj")]
        content_roots += noun_clause_roots(verb)
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
    # "X said A, and Y said B": the parser hangs the second report on the first as one more
    # clause of what X said; it is a relation of its own
    content_roots = [c for c in content_roots if not (c.dep_ == "ccomp" and joined_report(c) and parse.is_cue(c))]
    pieces: Pieces = []
    if content_roots:
        # ccomp beats objects; objects before the verb are rarely contents
        clausal = [c for c in content_roots if c.dep_ in ("ccomp", "xcomp", "advcl")
                   or (c.dep_ in ("relcl", "acl") and c.head.i != verb.i)]
        roots = clausal or content_roots
        ranges = [subtree_range(c) for c in roots]
        if not clausal:
            ranges = [extend_object(parse, verb, lo, hi) for lo, hi in ranges]
        else:
            ranges = [extend_clause(parse, verb, with_addressee(parse, verb, root, lo), hi)
                      for root, (lo, hi) in zip(roots, ranges)]
        pieces = parse.char_pieces([before_next_report(parse, *trim_tail(parse, lo, hi)) for lo, hi in ranges])
    # "As the minister said, ...": the clause the cue's "as" clause hangs on (the
    # whole of it, even where it opens with a quotation)
    as_clause = tok.dep_ == "advcl" and tok.head.i > tok.i and any(
        c.dep_ == "mark" and c.lower_ == "as" for c in tok.children)
    if not pieces and not as_clause:
        pieces = adjacent_quote(parse, cue, subj)
    if not pieces and inverted is not None:
        pieces = parse.char_pieces([(tok.sent.start, cue[0].i - 1)])
    elif inverted is not None and cue[0].i > 0:
        # ""The risk," said Jane Doe, "is real."": the quotation before the cue is
        # content too, when the parse reports only the words after the speaker
        quote = parse.quotes.at(doc[cue[0].i - 1].idx)
        if quote is not None and not any(a < quote[1] and quote[0] < b for a, b in pieces):
            pieces = [quote] + pieces
    if not pieces and tok.dep_ in ("ccomp", "parataxis", "advcl") and tok.head.i != tok.i \
            and (tok.head.i < tok.i or tok.dep_ == "parataxis" or as_clause) \
            and not (tok.dep_ == "ccomp" and parse.is_cue(tok.head)):
        # "..., the minister said" / "X, he said, Y": the content is the clause the cue
        # hangs on, without the cue's own words
        lo, hi = subtree_range(tok.head)
        t_lo, t_hi = subtree_range(tok)
        if not as_clause:
            # the cue's own clause leaves a hole from its subject on; what the parser
            # hung on the cue before that ("If it rains, he said, ...") stays in the content
            t_lo = min(cue[0].i, subj.left_edge.i if subj is not None and subj.i < tok.i else cue[0].i)
            t_hi = parenthetical_end(parse, tok, cue, t_hi)
        pieces = parse.char_pieces([(lo, t_lo - 1), (t_hi + 1, hi)])
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
                and not any(c.dep_ in CONTENT_DEPS for c in tok.children):
            pieces = parse.char_pieces([(sent.start, s_lo - 2)] + ([] if closes else [(after + 1, sent.end - 1)]))
    next_paragraph = False
    if not pieces:
        colon = cue[-1].i + 1
        if colon < len(doc) and doc[colon].text == ":":
            pieces = parse.char_pieces([(colon + 1, doc[colon].sent.end - 1)])
            if not pieces and colon + 1 < len(doc) and "\n" in doc[colon + 1].text:
                # "Wallnau wrote:" closing a paragraph: the next paragraph is the content
                start = doc[colon + 1].idx + len(doc[colon + 1].text)
                end = parse.text.find("\n", start)
                pieces = clean_pieces(parse.text, [(start, len(parse.text) if end < 0 else end)])
                next_paragraph = bool(pieces)
    if not pieces:
        # "was critical of X", "railed against X": the object of the first such
        # preposition is the content; the preposition joins a cue it follows
        preps = [c for c in verb.children
                 if c.dep_ == "prep" and c.i > verb.i and c.lower_ in parse.lex.cue_prepositions]
        objects = [g for g in preps[0].children if g.dep_ in ("pobj", "pcomp")] if preps else []
        if objects:
            pieces = parse.char_pieces([subtree_range(objects[0])])
            if pieces and preps[0].i == cue[-1].i + 1:
                cue = cue + [preps[0]]
    if not pieces and tok.dep_ == "acl" and tok.tag_ == "VBN" and tok.head.i < tok.i \
            and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
        # "the plan, opposed by most economists, ...": the participle reports on the noun
        # it describes (its source is the agent, if any)
        pieces = parse.char_pieces([(tok.head.left_edge.i, tok.head.i)])
    passive = [c for c in tok.children if c.dep_ == "nsubjpass" and c.lower_ not in ("it", "there")]
    if passive and (not pieces or not any(c.dep_ == "ccomp" for c in content_roots)):
        # "the rollout was widely criticised", "the senator is expected to win", "she is
        # known for her stance": PolNeAR train counts the passive cue's subject in the
        # content three times in four (not beside a reported clause: "it was said that")
        pieces = parse.char_pieces([subtree_range(passive[0])]) + pieces
    if not pieces or only_a_date(parse, pieces):
        return None  # "tweeted on Friday": when, not what
    if tok.lemma_.lower() in parse.lex.raising_verbs and subj is not None and subj.lower_ not in ("it", "there") \
            and subj.i < tok.i and pieces:
        # "the plan appears to work": PolNeAR reads the subject and the complement as
        # the content of an unstated source, the cue between them
        whole = parse.char_pieces([subtree_range(subj)]) + pieces
        return parse.finish(None, [span_of(cue)], whole)
    source = parse.source_pieces(subj, tok)
    return parse.finish(source, [span_of(cue)], pieces, next_paragraph=next_paragraph)


def parenthetical_end(parse: ParsedText, tok, cue: list, t_hi: int) -> int:
    """Where a report set off by commas inside the clause it reports ends: at the comma
    after it, when the parser hung the rest of the reported clause on the cue ("The emails
    were on work topics, the Times said, including speeches and meetings"), unless that
    rest is a further report ("..., he said, adding that ...")."""
    doc = parse.doc
    comma = next((t.i for t in doc[cue[-1].i + 1:t_hi + 1] if t.text == ","), None)
    if comma is None or comma >= t_hi or any(parse.is_cue(t) for t in doc[comma + 1:t_hi + 1]) \
            or any(t.text in QUOTE_MARKS for t in doc[comma + 1:t_hi + 1]):
        return t_hi
    return comma


def inverted_subject(parse: ParsedText, tok, cue: list):
    """The subject standing after a cue that follows its content after a comma ("...,"
    said the minister; "The plan will fail, said Ms. Ortiz"), whatever the parser made
    the subject."""
    before = cue[0].i - 1
    while before > tok.sent.start and parse.doc[before].text in QUOTE_MARKS:
        before -= 1
    if before <= tok.sent.start or parse.doc[before].text != ",":
        return None
    subj = next((c for c in tok.children if c.dep_ == "nsubj" and c.i > tok.i), None)
    after = cue[-1].i + 1
    if subj is None and after < tok.sent.end and before < cue[0].i - 1 and tok.tag_ in ("VBD", "VBZ", "VBP") \
            and not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
        # the parser made the name an object ("tweeted another") or the subject of the
        # quotation's second half ("said Jane Doe, an economist, "is real"")
        subj = parse.doc[after]
        while subj.dep_ in ("compound", "amod", "det", "nummod", "poss", "nmod") and subj.head.i > subj.i:
            subj = subj.head
        if subj.pos_ not in ("PROPN", "NOUN", "PRON") or subj.ent_type_ in ("DATE", "TIME") \
                or subj.lower_ in ("that", "it"):
            return None
    return subj


def preceding_noun_phrase(parse: ParsedText, first_cue_token):
    """When the parse gives the cue no subject, the noun phrase right before it
    ("Jane Doe, the director of the clinic, said"): the parser often hangs such a
    name on an earlier clause."""
    doc = parse.doc
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


def only_a_date(parse: ParsedText, pieces: Pieces) -> bool:
    """Whether the words of ``pieces`` are all a date or time ("Friday", "Tuesday night")."""
    words = [t for a, b in pieces for t in parse.doc.char_span(a, b, alignment_mode="expand") or () if t.is_alpha]
    return bool(words) and all(t.ent_type_ in ("DATE", "TIME") for t in words)


def trim_tail(parse: ParsedText, lo: int, hi: int) -> tuple[int, int]:
    """A relative clause set off by a comma at the end of the content is the writer's
    aside, not the speaker's ("... the poll, which was taken in May")."""
    doc = parse.doc
    for c in doc[lo + 1:hi + 1]:
        start = c.left_edge.i
        if c.dep_ == "relcl" and start - 1 > lo and doc[start - 1].text == "," and c.head.i < start \
                and c.right_edge.i >= hi - 1:
            return lo, start - 2
    return lo, hi


def before_next_report(parse: ParsedText, lo: int, hi: int) -> tuple[int, int]:
    """The content stops where a further report begins: by the same speaker ("...,
    suggesting that ...", "... and warned that ..."), a coordinated one by another ("...
    fell, and critics say it rose"), or one set against it ("... crime fell, while another
    says it rose", "..., although he admitted that ..."): that one is a relation of its
    own, as PolNeAR never nests one relation in another's content."""
    for t in parse.doc[lo + 1:hi + 1]:
        if t.dep_ not in ("advcl", "conj") or t.pos_ != "VERB" or t.left_edge.i <= lo:
            continue
        own_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)
        contrast = t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in CONCESSIVE_MARKS for c in t.children)
        if (t.dep_ == "conj" or contrast or not own_subject) and parse.is_cue(t):
            return lo, t.left_edge.i - 1
    return lo, hi


def joined_report(verb) -> bool:
    """A report with its own subject right after "and" or "but", which the parser took for
    part of what the report before it says ("six in 10 said X, and three-quarters said
    Y")."""
    i = verb.left_edge.i - 1
    while i >= 0 and verb.doc[i].is_punct:
        i -= 1
    return i >= 0 and verb.doc[i].dep_ == "cc" and any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)


def reported_infinitive(parse: ParsedText, tok, cue: list):
    """A reporting verb right after a cue as its infinitive ("continued to warn",
    "went on to say"). The model learned such verbs as parts of the governing cue, so
    what counts is whether the word is a cue in general, and only a low bar in its
    context; after a verb whose infinitive PolNeAR train puts in the cue ("try",
    "continue", learned), any verb."""
    doc = parse.doc
    nxt = cue[-1].i + 1
    if nxt + 1 >= len(doc) or doc[nxt].lower_ != "to":
        return None
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children):
        return None  # "is expected to show": the passive cue reports the infinitive
    inner = doc[nxt + 1]
    if inner.head.i != tok.i or inner.dep_ not in ("xcomp", "advcl") or not is_candidate(inner):
        return None
    if parse.model.joins_infinitive(tok.lemma_.lower()):
        return inner  # "tried to argue", "continued to complain": PolNeAR's cue runs on
    if not any(c.dep_ in CONTENT_DEPS for c in inner.children) \
            and not any(c.dep_ in ("ccomp", "parataxis") for c in tok.children):
        return None  # "declined to comment": the infinitive is what was declined
    # a reporting word in general, and not unlikely a cue here: "continued to warn that"
    # is one cue, "planned to challenge the ruling" a cue and its content
    if parse.model.lemma_weight(inner.lemma_.lower()) > 0 \
            and parse.probability(inner) >= parse.settings.reported_infinitive_floor:
        return inner
    return None


def adjacent_quote(parse: ParsedText, cue: list, subj) -> Pieces:
    """A quotation right before the source and cue ("“...,” she said") or right after
    the cue ("she said: “...”")."""
    text = parse.text
    first = min([cue[0]] + ([subj.left_edge] if subj is not None and subj.i < cue[0].i else []),
                key=lambda t: t.i)
    pos = first.idx
    while pos > 0 and text[pos - 1] in " ,\t":
        pos -= 1
    if pos > 0 and closes_quote(text, pos):
        q = parse.quotes.at(pos - 1)
        if q and q[1] == pos:
            return [q]
    end = cue[-1].idx + len(cue[-1].text)
    pos = end
    while pos < len(text) and text[pos] in " ,:\t":
        pos += 1
    q = parse.quotes.at(pos) if opens_quote(text, pos) else None
    if q and q[0] == pos:
        return [q]
    return []


def extend_object(parse: ParsedText, tok, lo: int, hi: int) -> tuple[int, int]:
    """An object's content runs on through the cue's complements that follow it
    ("described the plan as reckless", "accused him of lying")."""
    for c in tok.children:
        if c.i == hi + 1 or (c.i > hi and all(parse.doc[j].dep_ != "punct" for j in range(hi + 1, c.i))):
            if c.dep_ in ("prep", "oprd", "advmod", "npadvmod", "xcomp", "ccomp", "advcl", "acomp") \
                    and not _is_circumstance(c, parse.lex):
                hi = max(hi, c.right_edge.i)
    return lo, hi


def with_addressee(parse: ParsedText, tok, root, lo: int) -> int:
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


def extend_clause(parse: ParsedText, tok, lo: int, hi: int) -> tuple[int, int]:
    """A reported clause runs on through a coordinated clause the parser hung on the
    cue ("said the war is over, and the troops will come home")."""
    for c in tok.children:
        if c.dep_ == "conj" and c.i > hi and c.pos_ in ("VERB", "AUX") \
                and any(g.dep_ in ("nsubj", "nsubjpass", "expl") for g in c.children) \
                and not (is_candidate(c) and parse.word_probability(c, False) >= parse.cue_threshold) \
                and not any(parse.doc[j].lower_ in ("but", "yet") for j in range(hi + 1, c.i)):
            hi = max(hi, c.right_edge.i)
    return lo, hi



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