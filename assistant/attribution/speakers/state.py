"""The per-article state every resolution rule reads: the parse, the entities found so far
and their mentions, and the regions (quotations, claim contents) where no speaker is
mentioned."""
from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from typing import Any

from ...types import Article, Claim
from ..lexicons import Lexicons
from ..settings import SpeakerSettings
from ..text import QUOTED_ON_LINE
from .entities import Entity, Mention


class ArticleState:
    """Entities and mentions of one article, and where its sentences start."""

    def __init__(self, doc: Any, article: Article, claims: Sequence[Claim], lexicons: Lexicons,
                 settings: SpeakerSettings):
        self.doc = doc
        self.lex = lexicons
        self.window = settings.pronoun_window
        self.article = article
        self.entities: list[Entity] = []
        self.mentions: list[Mention] = []
        self.tentative: dict[int, tuple[str, ...]] = {}
        self.sentence_starts = [s.start for s in article.sentences]
        # token -> first token of its parsed sentence (Token.sent is slow on long docs)
        self.sentence_start = [0] * len(doc)
        for sent in doc.sents:
            self.sentence_start[sent.start:sent.end] = [sent.start] * (sent.end - sent.start)
        self.quoted = [(m.start(), m.end()) for m in QUOTED_ON_LINE.finditer(article.text)]
        self.blocked = self._blocked_regions(article.text, claims)
        self.quoted_sentences = [self.is_quoted(s.start, s.end) for s in article.sentences]
        # where the headline ends: the body's start, else the first sentence when the text
        # opens with the title (PolNeAR and JSON input give no body start)
        self.headline_end = article.body_start or (
            article.sentences[0].end if article.title and article.sentences
            and article.text.startswith(article.title) else 0)
        # the body's first sentence
        self.lede_sentence = self.sentence_of(self.headline_end) + (1 if self.headline_end else 0)
        self._collect_names()

    def sentence_of(self, char: int) -> int:
        return max(bisect.bisect_right(self.sentence_starts, char) - 1, 0)

    def _tokens(self, start: int, end: int) -> list[Any]:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        return [t for t in span if not t.is_space] if span is not None else []

    @staticmethod
    def _blocked_regions(text: str, claims: Sequence[Claim]) -> list[tuple[int, int]]:
        """Quotations and claim contents: what is said there is not who says it."""
        regions = [(m.start(), m.end()) for m in QUOTED_ON_LINE.finditer(text)]
        for claim in claims:
            regions.extend(claim.content.parts())
        return sorted(regions)

    def is_quoted(self, start: int, end: int) -> bool:
        return any(a <= start and end <= b for a, b in self.quoted)

    def is_blocked(self, start: int, end: int) -> bool:
        return any(a <= start and end <= b for a, b in self.blocked)

    # ----- entities

    def _new_entity(self, name: str, type_: str, **kwargs: Any) -> Entity:
        entity = Entity(len(self.entities), name, type_, **kwargs)
        self.entities.append(entity)
        return entity

    def _add_mention(self, start: int, end: int, entity: Entity, salience: int) -> None:
        if not self.is_quoted(start, end):
            if self.is_blocked(start, end):
                salience = min(salience, 0)
            self.mentions.append(Mention(start, end, entity.id, self.sentence_of(start), salience))

    def nearest_mentioned(self, position: int, accept: Callable[[Entity], bool],
                          prefer: Callable[[Entity], bool] | None = None, salience: int = 0) -> Entity | None:
        """Walking back sentence by sentence from ``position`` (at most ``window`` sentences
        besides those inside a quotation),
        the most salient accepted entity mentioned in the nearest sentence that has one (one
        ``prefer`` takes, then a claim's speaker, then a subject, then the latest), of at
        least ``salience``."""
        sentence, counted = self.sentence_of(position), 0
        while sentence >= 0 and counted <= self.window:
            found = [m for m in self.mentions if m.sentence == sentence and m.start < position
                     and m.salience >= salience and accept(self.entities[m.entity])]
            if found:
                return self.entities[max(found, key=lambda m: (
                    bool(prefer and prefer(self.entities[m.entity])), m.salience, m.start)).entity]
            counted += not self.quoted_sentences[sentence]  # a quotation's sentences are one utterance
            sentence -= 1
        return None

    def _last_mention(self, entity_id: int) -> int:
        return max((m.start for m in self.mentions if m.entity == entity_id), default=-1)


def is_main_subject(tok: Any) -> bool:
    """The subject of its sentence's main clause (or of a verb joined to it), not of a
    clause inside it ("While Obama had ..., that concerns X")."""
    verb = tok.head
    while verb.dep_ == "conj" and verb.head != verb:
        verb = verb.head
    return tok.dep_ in ("nsubj", "nsubjpass") and verb.dep_ == "ROOT"


def salience(tokens: list[Any]) -> int:
    """How likely a later pronoun is to mean a name: 1 for the main clause's subject, -1
    for a name that only modifies a common noun ("U.S. senator", "Chicago police"), which
    no pronoun refers to, else 0."""
    if any(is_main_subject(t) for t in tokens):
        return 1
    ids = {t.i for t in tokens}
    root = next((t for t in tokens if t.head.i not in ids), tokens[-1])
    return -1 if root.dep_ in ("compound", "amod", "nmod") and root.head.pos_ == "NOUN" else 0
