"""Descriptions of one person ("the senator", "a former party chairman", "Ohio's tax
commissioner"): the holder of the role they name, the person named next when they
introduce someone, or the person the text is about."""
from __future__ import annotations

from typing import Any

from .entities import PERSON, Entity
from .names import NameIndex, affiliations_of


class PersonDescriptions(NameIndex):
    """Role holders among the names, and whom a role description refers to."""

    def role_holder(self, role: str, before: int, affiliations: frozenset[str] = frozenset(),
                    later_only: bool = False) -> Entity | None:
        """The entity most recently mentioned before ``before`` that holds ``role`` (or a
        role with the same last word: "the minister" for "prime minister"), and, where the
        description names a party or nationality ("the Democratic nominee"), no other one;
        else the first such holder named; ``later_only``: only a holder not mentioned before
        ``before`` in the body ("a senator" is not the senator named earlier)."""
        holders = [e for e in self.entities
                   if not (affiliations and e.affiliations and not affiliations & e.affiliations)]
        exact = {e.id for e in holders if role in e.roles}
        loose = {e.id for e in holders if any(same_office(r, role) for r in e.roles)}
        for ids in (exact, loose):
            earlier = [m for m in self.mentions if m.entity in ids and m.start < before]
            if later_only:  # the headline only previews the body
                ids -= {m.entity for m in earlier if m.start >= self.headline_end}
                earlier = []
            if not ids:
                continue
            if earlier:
                return self.entities[max(earlier, key=lambda m: m.start).entity]
            return self.entities[min(ids)]
        return None

    def _described_person(self, words: list[Any], head: Any, role: str, definite: bool) -> Entity | None:
        """Whom a singular role description ("the senator", "a former party chairman",
        "the state's tax commissioner") refers to.

        * The person the article gives that role (a title, an apposition), the latest before
          it; a definite description may also take a holder named only later.
        * "the nominee" with no holder: the person the text is about just then (the subject
          or speaker of the nearest earlier sentence that has one), unless that person holds
          another role or the description names an organisation or place ("the FBI
          director", "the Vermont senator"), which the person is not known to belong to.
        * A description that introduces someone - indefinite in the headline or the lede,
          or owned by a place or organisation ("Connecticut's tax commissioner") - is the
          first person newly named after it, within a few sentences, who holds no other
          role: news names the person after describing them."""
        affiliations = affiliations_of(head)
        owner = next((c for c in head.children if c.dep_ == "poss"), None)
        if definite:
            holder = self.role_holder(role, head.idx, affiliations)
            if holder is not None:
                return holder
        gender = self.lex.gendered_words.get(head.lower_)
        named_modifier = any(t.pos_ == "PROPN" or t.ent_type_ in ("ORG", "GPE", "PERSON") for t in words if t.i < head.i)
        if definite and owner is None and not named_modifier:
            # the subject or speaker of an earlier sentence: within its own sentence a
            # description is someone else ("X advised Y, as the nominee looks to ...")
            sentence_start = self.article.sentences[self.sentence_of(head.idx)].start
            focus = self.nearest_mentioned(sentence_start, lambda e: self._may_hold(e, role, affiliations, gender),
                                           salience=1)
            if focus is not None:
                return focus
        lede = self.sentence_of(head.idx) <= self.lede_sentence
        if lede or (owner is not None and owner.pos_ == "PROPN"):
            return self.role_holder(role, head.idx, affiliations, later_only=True) \
                or self._named_after(words, role, gender)
        return None

    def _may_hold(self, entity: Entity, role: str, affiliations: frozenset[str], gender: str | None) -> bool:
        """Whether a person may be the one a role description without a known holder means:
        no other role, party or gender told for them."""
        return entity.type == PERSON and not entity.members \
            and all(same_office(r, role) for r in entity.roles) \
            and not (affiliations and entity.affiliations and not affiliations & entity.affiliations) \
            and not (gender and entity.gender and gender != entity.gender)

    def _named_after(self, words: list[Any], role: str, gender: str | None) -> Entity | None:
        """The first person named after ``words`` (within ``window`` sentences, counted
        from the body's first sentence for a headline), outside what claims say, who was not
        mentioned before them and may hold ``role``."""
        start, end = words[0].idx, words[-1].idx + len(words[-1])
        limit = max(self.sentence_of(start), self.lede_sentence) + self.window
        seen = {m.entity for m in self.mentions if self.headline_end <= m.start < end}
        for m in sorted(self.mentions, key=lambda m: m.start):
            if m.start >= end and m.sentence <= limit and m.entity not in seen and not self.is_blocked(m.start, m.end) \
                    and self._may_hold(self.entities[m.entity], role, frozenset(), gender):
                return self.entities[m.entity]
        return None


def same_office(held: str, described: str) -> bool:
    """Whether a role someone holds answers a description's role: the same last word
    ("minister" for "prime minister"), and "former" on both or neither."""
    return held.split()[-1] == described.split()[-1] \
        and ("former" in held.split()) == ("former" in described.split())
