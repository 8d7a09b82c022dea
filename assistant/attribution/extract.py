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
   to", "Name:" at the start of a line and a quotation signed "― Name" are rules;
3. for each cue (and each word at least 0.1 likely one), the source is its subject (the agent of a passive cue, or the subject it
   shares with the clause it hangs on: "..., adding that", "responded by saying"), and
   the content its clausal complement, object or infinitive, a quotation right next to
   it, or the clause it is attached to when the cue comes after or inside the content
   ("..., the minister said", "As the minister said, ...", "The plan, he claimed, ..."),
   or the next paragraph when a colon ends the cue's line; a relation model learned from
   PolNeAR train (``relation_scorer``) then judges the verbal relation on its spans: a word
   below the cue threshold whose relation it trusts opens one, a cue whose relation it
   clearly rejects ("released a video") does not;
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

Where each step lives: quotations in ``text``; cue scores in ``cues`` and ``tagger``, the
relation model in ``relation_scorer``; one
module a form in ``forms`` (``verb``: verbal and nominal cues; ``according``, ``colon``,
``survey``, ``adverb``, ``signature``: the rules; ``orphan_quotes``: step 6; ``headline``: step 7); what
they share in ``parsed`` (cue words, source phrases, finishing a relation: step 4) and
``relation``; continuations and nesting (steps 4 and 5) in ``nesting``; thresholds in
``settings``; word lists in ``lexicons``. This module runs them in order.

Span conventions follow PolNeAR (measured on its train split): the source is the whole
noun phrase with appositions and relative clauses, but without a participle after a comma
or a relative clause that reports something itself; the cue takes auxiliaries, negation
and adverbs right before the verb, a particle, a learned preposition that brings the
content ("has also called for"), and adverbs between it and the content ("spoke warmly
about"); the content keeps "that" and quote marks but not the sentence's final punctuation.
"""
from __future__ import annotations

import bisect
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

from ..types import Article, Claim, Span
from .cues import CueModel, is_candidate, load_cue_model
from .forms.according import relation_for_according
from .forms.adverb import relation_for_report_adverb
from .forms.colon import relation_for_colon
from .forms.headline import sentence_case, title_case_headline_end
from .forms.orphan_quotes import orphan_quotations
from .forms.signature import relation_for_signature, signature_dash
from .forms.survey import relation_for_survey
from .forms.verb import relation_for_verb
from .lexicons import Lexicons, default_lexicons
from .nesting import continuation, outermost
from .parsed import ParsedText
from .pipeline import attribution_pipeline
from .relation import Pieces, Relation
from .relation_scorer import RelationScorer, load_relation_scorer
from .settings import ExtractionSettings
from .tagger import CueTagger
from .text import QuoteIndex, find_quotations, quote_kind


def rule_form(parse: ParsedText, tok) -> Callable[[ParsedText, Any], Relation | None] | None:
    """The rule that a word opens a relation by ("according to", a colon, a signature's
    dash, "In a poll", a report adverb), if any."""
    if tok.lower_ == "according":
        return relation_for_according
    if tok.text == ":":
        return relation_for_colon
    if signature_dash(tok):
        return relation_for_signature
    if tok.lower_ == "in" and tok.i == tok.sent.start:
        return relation_for_survey
    if tok.lower_ in parse.lex.report_adverbs and tok.dep_ == "advmod" and tok.head.i != tok.i:
        return relation_for_report_adverb
    return None


def opens_verb_relation(parse: ParsedText, tok, floor: float | None) -> bool:
    """Whether the verbal form is asked about ``tok``: a word no rule takes that is a cue,
    or a candidate at least ``floor`` likely one (for the relation model to judge)."""
    if rule_form(parse, tok) is not None:
        return False
    return parse.is_cue(tok) or (floor is not None and is_candidate(tok) and parse.probability(tok) >= floor)


def relations_in(parse: ParsedText, scorer: RelationScorer | None = None) -> list[Relation]:
    """The outermost relations of one parse: each word is asked whether it opens a
    relation, by the rule for its form; then continuations, nesting, orphan quotations.
    With ``scorer``, a verbal relation whose cue word is at least its floor likely a cue
    stands when the relation model keeps it (``RelationScorer.keeps``)."""
    found: list[Relation] = []
    floor = scorer.floor if scorer is not None else None
    for tok in parse.doc:
        rel = None
        form = rule_form(parse, tok)
        if form is not None:
            rel = form(parse, tok)
        elif opens_verb_relation(parse, tok, floor):
            rel = relation_for_verb(parse, tok)
            probability = parse.probability(tok)
            if rel is not None and scorer is not None and probability >= scorer.floor \
                    and not scorer.keeps(parse, tok, rel, probability, parse.is_cue(tok)):
                rel = None
        if rel is not None:
            found.append(rel)
    extras = [continuation(parse, r.content, r.cue, r.source) for r in found]
    relative = {i for i, r in enumerate(found) if parse.in_relative_clause(r)}
    kept = outermost(found, extras, parse.quotes, relative, [parse.cue_probability(r) for r in found],
                     margin=parse.settings.displacing_margin)
    # a continuation never takes words another relation reports or cues
    for i in kept:
        rel = found[i]
        claimed = [p for j in kept if j != i for p in found[j].content + found[j].cue]
        for piece in extras[i]:
            if any(a < piece[1] and piece[0] < b for a, b in claimed):
                break
            rel.content.append(piece)
        rel.kind = quote_kind(parse.text, rel.content)
    result = [found[i] for i in kept]
    return result + orphan_quotations(parse, result)


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
                   lexicons: Lexicons | None = None, parse: Callable[[str], Any] | None = None,
                   scorer: RelationScorer | None = None) -> list[Relation]:
    """All outermost attribution relations in a parsed text, in text order of their cues.
    ``model`` is the linear cue model (default: the shipped one); ``tagger``, when given,
    scores cue words in their sentence too (``context``: its scores for ``doc``, when
    already read with ``read_with_tagger``); ``settings`` the thresholds, ``lexicons`` the
    word lists (default: the package's). A Title Case headline is parsed again in sentence
    case (same offsets) by ``parse`` (default: ``attribution_pipeline``), since the parser
    reads "Minister Says Talks Failed" as one long name. ``scorer`` is the relation model
    (default: the shipped one, unless ``settings.relation_model`` is off)."""
    model = model or load_cue_model()
    if scorer is None and settings.relation_model:
        scorer = load_relation_scorer()
    lexicons = lexicons or default_lexicons()
    if tagger is not None and context is None:
        context = read_with_tagger([doc], model, tagger, settings=settings)()[0]
    relations = relations_in(ParsedText(doc, model, context, settings=settings, lexicons=lexicons), scorer)
    headline_end = title_case_headline_end(doc.text, settings)
    if headline_end:
        relations = [r for r in relations if r.cue[0][0] >= headline_end]
        lowered = sentence_case(doc.text[:headline_end], model)
        headline_doc = (parse or attribution_pipeline())(lowered)
        headline_context = read_with_tagger([headline_doc], model, tagger, settings=settings)()[0] \
            if tagger is not None else None
        found = relations_in(ParsedText(headline_doc, model, headline_context, settings=settings, lexicons=lexicons),
                             scorer)
        # the relations keep their offsets; only the casing of the parsed copy differed
        relations = found + relations
    return relations


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
