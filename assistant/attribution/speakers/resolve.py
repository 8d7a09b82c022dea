"""Resolving the speakers of one article's claims (``resolve_speakers``)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from ...types import Article, Claim
from ..lexicons import Lexicons, default_lexicons
from ..settings import SpeakerSettings
from .entities import PRONOUN_GENDER, PRONOUNS, Entity, ProposeSpeaker, pronoun_type
from .phrase_tokens import cue_lemma
from .phrases import PhraseResolver
from .state import salience


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

    def chain_pronoun(self, pronoun: Any) -> None:
        """A he/she subject that is no claim's speaker ("She occupies ...") still tells
        whom the text is about: resolved, it becomes a mention later pronouns can reach."""
        entity = self._antecedent(pronoun)
        if entity is not None:
            self._add_mention(pronoun.idx, pronoun.idx + len(pronoun), entity, salience([pronoun]))

    def subject_pronouns(self, claims: Sequence[Claim]) -> list[Any]:
        """He/she subjects outside quotations, claim contents and speaker spans."""
        speakers = [(c.speaker.start, c.speaker.end) for c in claims if c.speaker is not None]
        return [t for t in self.doc if t.lower_ in PRONOUN_GENDER and t.dep_ in ("nsubj", "nsubjpass")
                and not self.is_blocked(t.idx, t.idx + len(t))
                and not any(a <= t.idx < b for a, b in speakers)]

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
    # claims' speakers and the other he/she subjects, in the order they are written
    events: list[tuple[int, int, Any]] = [(c.speaker.start if c.speaker else -1, 1, i) for i, c in enumerate(claims)]
    events += [(t.idx, 0, t) for t in resolver.subject_pronouns(claims)]
    resolved: list[tuple[Claim, Entity | None]] = [(c, None) for c in claims]
    for _, is_claim, item in sorted(events, key=lambda e: e[:2]):
        if is_claim:
            resolved[item] = resolver.resolve(claims[item], propose)
        else:
            resolver.chain_pronoun(item)
    # named once every pronoun has been resolved: short forms kept apart for a title are
    # merged with their fuller name only then (``NameIndex.merged``)
    done = [c if e is None else replace(c, speaker_resolved=resolver.merged(e).name, speaker_type=resolver.merged(e).type)
            for c, e in resolved]
    return [resolver.headline_speaker(c, done) if c.speaker is None else c for c in done]
