"""Pronouns: the nearest compatible antecedent, walking back sentence by sentence."""
from __future__ import annotations

from typing import Any

from .entities import PRONOUN_GENDER, PRONOUNS, Entity, compatible
from .nominals import NominalResolver
from .phrase_tokens import noun_phrase


class PronounResolver(NominalResolver):
    def _antecedent(self, pronoun: Any) -> Entity | None:
        """The entity ``pronoun`` refers to: the noun a relative pronoun's clause hangs on;
        else, walking back sentence by sentence, the most salient compatible mention of the
        nearest sentence that has one (a claim's speaker, then a subject, then the latest)."""
        wanted = PRONOUNS[pronoun.lower_]
        if wanted == "you":
            return None
        if wanted == "who":
            target = pronoun.head.head if pronoun.head.dep_ == "relcl" else None
            if target is None:
                return None
            mention = self.name_tokens.get(target.i)
            if mention is not None:
                return self.entities[mention.entity]
            return self._nominal_entity(list(noun_phrase(target)), target)
        here = self.sentence_of(pronoun.idx)
        candidates = [m for m in self.mentions if m.start < pronoun.idx and here - m.sentence <= self.window]
        for sentence in range(here, max(here - self.window, 0) - 1, -1):
            in_sentence = [m for m in candidates if m.sentence == sentence
                           and compatible(self.entities[m.entity], wanted, self.lex,
                                           PRONOUN_GENDER.get(pronoun.lower_))]
            if in_sentence:
                entity = self.entities[max(in_sentence, key=lambda m: (m.salience, m.start)).entity]
                entity.gender = entity.gender or PRONOUN_GENDER.get(pronoun.lower_)
                return entity
        return None
