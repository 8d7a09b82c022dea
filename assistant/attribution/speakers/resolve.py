"""Resolving the speakers of one article's claims (``resolve_speakers``)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from ...types import Article, Claim
from ..lexicons import Lexicons, default_lexicons
from ..settings import SpeakerSettings
from .entities import PRONOUNS, Entity, ProposeSpeaker, pronoun_type
from .phrase_tokens import cue_lemma
from .phrases import PhraseResolver


class Resolver(PhraseResolver):
    """Per-article state: entities, mentions, roles. Built once from the parse."""

    def __init__(self, doc: Any, article: Article, claims: Sequence[Claim], lexicons: Lexicons,
                 settings: SpeakerSettings):
        super().__init__(doc, article, claims, lexicons, settings)
        self.modified_plurals = self._modified_plurals()
        self._collect_nominals()

    def resolve(self, claim: Claim, propose: ProposeSpeaker | None) -> tuple[Claim, Entity | None]:
        """``claim`` with its speaker named, and the entity it was resolved to."""
        if claim.speaker is None:
            return claim, None
        start, end = claim.speaker.start, claim.speaker.end
        tokens = self._tokens(start, end)
        if not tokens:
            return claim, None
        words = [t for t in tokens if not t.is_punct]
        entity: Entity | None
        if len(words) == 1 and words[0].lower_ in PRONOUNS:
            pronoun = words[0]
            entity = self._antecedent(pronoun)
            if entity is None:
                type_ = pronoun_type(pronoun.lower_)
                name = propose(self.article, claim) if propose else None
                return replace(claim, speaker_resolved=name, speaker_type=type_), None
        else:
            entity = self._entity_for_phrase(tokens)
        self._add_mention(start, end, entity, 2)
        return claim, entity

    def headline_speaker(self, claim: Claim, claims: Sequence[Claim]) -> Claim:
        """A headline cue with no subject ("..., Orders Hospital to Evacuate") is by the
        speaker of the body claim with the same cue verb ("the military ordered ...")."""
        if claim.cue is None or claim.cue.start >= self.article.body_start:
            return claim
        lemma = cue_lemma(self._tokens(claim.cue.start, claim.cue.end))
        for other in claims:
            if other.speaker is not None and other.cue is not None and other.speaker_resolved \
                    and other.cue.start >= self.article.body_start \
                    and cue_lemma(self._tokens(other.cue.start, other.cue.end)) == lemma:
                return replace(claim, speaker_resolved=other.speaker_resolved, speaker_type=other.speaker_type)
        return claim


def resolve_speakers(doc: Any, article: Article, claims: Sequence[Claim], *,
                     propose: ProposeSpeaker | None = None, lexicons: Lexicons | None = None,
                     settings: SpeakerSettings = SpeakerSettings()) -> list[Claim]:
    """``claims`` (of one article, ``doc`` its spaCy parse) with ``speaker_resolved`` and
    ``speaker_type`` filled in, in the same order; spans are never changed. A claim without
    a speaker span gets a name only in a headline (see the module notes). ``propose`` is
    consulted only for a pronoun no rule finds a referent for; ``lexicons``: the word lists
    (default: the package's); ``settings``: the thresholds."""
    resolver = Resolver(doc, article, claims, lexicons or default_lexicons(), settings)
    order = sorted(range(len(claims)), key=lambda i: claims[i].speaker.start if claims[i].speaker else -1)
    resolved: list[tuple[Claim, Entity | None]] = [(c, None) for c in claims]
    for i in order:
        resolved[i] = resolver.resolve(claims[i], propose)
    # named once every pronoun has been resolved: short forms kept apart for a title are
    # merged with their fuller name only then (``NameIndex.merged``)
    done = [c if e is None else replace(c, speaker_resolved=resolver.merged(e).name, speaker_type=resolver.merged(e).type)
            for c, e in resolved]
    return [resolver.headline_speaker(c, done) if c.speaker is None else c for c in done]
