"""Pronouns: the nearest compatible antecedent, walking back sentence by sentence."""
from __future__ import annotations

from typing import Any

from .entities import PRONOUN_GENDER, PRONOUNS, UNNAMED, Entity, compatible
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
            target = pronoun.head.head if pronoun.head.dep_ == "relcl" else self._noun_before(pronoun)
            if target is None:
                return None
            mention = self.name_tokens.get(target.i)
            if mention is not None:
                return self.entities[mention.entity]
            return self._nominal_entity(list(noun_phrase(target)), target)
        gender = PRONOUN_GENDER.get(pronoun.lower_)
        if wanted == "they":
            # a named group that spoke within the window ("A and B argue ... They examined
            # ... The adjustment, they concluded, ...") is still the one speaking, before
            # people or places mentioned since
            group = self.nearest_mentioned(pronoun.idx, lambda e: bool(e.members), salience=2)
            if group is not None:
                return group
        # "they" agrees in number: people in the plural or a group before an organisation
        prefer = (lambda e: e.type == UNNAMED or bool(e.members)) if wanted == "they" else None
        entity = self.nearest_mentioned(pronoun.idx, lambda e: compatible(e, wanted, self.lex, gender), prefer)
        if entity is not None:
            entity.gender = entity.gender or gender
        return entity

    def _noun_before(self, pronoun: Any) -> Any | None:
        """The noun right before a relative pronoun the parser did not attach to it ("the
        Chicago Police Department which reported ..."), past a comma."""
        i = pronoun.i - 1
        while i >= 0 and (self.doc[i].is_punct or self.doc[i].is_space):
            i -= 1
        return self.doc[i] if i >= 0 and self.doc[i].pos_ in ("NOUN", "PROPN") else None
