"""Speaker phrases: which entity a whole phrase names (its head name, a group "X and Y", the
owner of "a statement from X", a description)."""
from __future__ import annotations

from typing import Any

from ..text import fold_name
from .entities import ORGANISATION, PERSON, PLURAL_TAGS, Entity
from .names import name_key
from .phrase_tokens import (conjunct_tokens, display_text, drop_relative_clause, drop_time_adjunct, phrase_head, role_of,
                            strip_determiners, trim_punct)
from .pronouns import PronounResolver


class PhraseResolver(PronounResolver):
    def _entity_for_phrase(self, tokens: list[Any], nested: bool = False) -> Entity:
        """``nested``: a part of a speaker phrase (a conjunct, a statement's owner), which
        is not split further."""
        tokens = drop_relative_clause(drop_time_adjunct(tokens))
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
        head = phrase_head(tokens)
        conjuncts = [t for t in head.conjuncts if start <= t.idx < end]
        if not nested and conjuncts and head.pos_ == "PROPN" and all(t.pos_ == "PROPN" for t in conjuncts):
            # "Sudani and Blinken": one group speaker made of both
            members = [self._entity_for_phrase(conjunct_tokens(t, start, end), True) for t in (head, *conjuncts)]
            return self._group(list({m.id: m for m in members}.values()))
        if not nested:
            apposed = self._apposed_names(head, start, end)
            if len(apposed) > 1:  # "Presidential candidates X and Y"
                members = [self._entity_for_phrase(conjunct_tokens(t, start, end), True) for t in apposed]
                return self._group(list({m.id: m for m in members}.values()))
            if len(apposed) == 1 and head.lemma_.lower() in self.lex.people_nouns:
                # "An attorney for X, Y": the parser hangs Y on X, but Y is the attorney
                named = self.name_tokens.get(apposed[0].i)
                if named is not None and self.entities[named.entity].type == PERSON:
                    return self.entities[named.entity]
        inside = [m for m in self.name_mentions if m.start >= start and m.end <= end]
        # a name speaks when it heads the phrase ("X, the director of Y"); a name that only
        # modifies it ("armed wings of X", "authorities in X") does not
        governing = [m for m in inside if any(
            not (start <= t.head.idx < end) or t.head == t or (t.dep_ == "appos" and t.head.i == head.i)
            for t in self._tokens(m.start, m.end))]
        last = trim_punct(tokens)[-1]
        role = role_of(last, self.lex)
        if governing and role and all(self.entities[m.entity].type != PERSON for m in governing):
            # "Iraq PM": a place that modifies a role (title-case headlines parse it as the
            # head); the role's holder speaks
            holder = self.role_holder(role, last.idx)
            if holder is not None:
                return holder
        if governing:
            best = max(governing, key=lambda m: (self.entities[m.entity].type == PERSON, m.start))
            names = self._tokens(best.start, best.end)
            root = next((t for t in names if t.head not in names), names[-1])
            joined = [t for t in root.conjuncts if start <= t.idx < end and t.pos_ == "PROPN"]
            if joined and not nested:  # "candidates X and Y", parsed with X as the head
                members = [self._entity_for_phrase(conjunct_tokens(t, start, end), True) for t in (root, *joined)]
                return self._group(sorted({m.id: m for m in members}.values(), key=lambda e: e.id))
            return self.entities[best.entity]
        words = strip_determiners(trim_punct(tokens))
        if all(t.text[:1].isupper() or t.text == "-" for t in words):
            # a short name spaCy did not recognise (sentence-initial "Fares" taken for a noun)
            named = self._person_by_name(name_key(display_text(words).split(), self.lex), start)
            if named is not None:
                return named
        owned = self._owned_by_pronoun(head)
        if owned is not None:
            return owned
        owner = None if nested else self._author(head, start, end)
        if owner is not None:
            return self._entity_for_phrase(conjunct_tokens(owner, start, end), True)
        return self._nominal_entity(tokens, head)

    def _owned_by_pronoun(self, head: Any) -> Entity | None:
        """"his campaign", "her office": the organisation of the person the possessive
        pronoun means, under the name the article gives it ("the Lopez campaign") or made
        from that person's surname, not the organisation of that kind named nearest."""
        lemma = head.lemma_.lower()
        poss = next((c for c in head.children if c.dep_ == "poss" and c.lower_ in ("his", "her")), None)
        if poss is None or head.tag_ in PLURAL_TAGS or lemma not in self.lex.organisation_nouns:
            return None
        person = self._antecedent(poss)
        if person is None or person.type != PERSON or person.members:
            return None
        name = f"{person.name.split()[-1]} {lemma}"
        named = next((e for e in self.entities if e.type == ORGANISATION and fold_name(e.name) == fold_name(name)), None)
        return named or self._new_entity(name, ORGANISATION)

    def _apposed_names(self, head: Any, start: int, end: int) -> list[Any]:
        """Proper nouns set off by commas as an apposition within the phrase (on its head,
        or on the object of a preposition hanging on it), with their conjuncts."""
        phrase = [t for t in head.subtree if start <= t.idx < end]
        appos = next((t for t in phrase if t.dep_ == "appos" and t.pos_ == "PROPN"
                      and (t.head == head or t.head.dep_ == "pobj" and t.head.head.head == head)), None)
        if appos is None:
            return []
        return [t for t in (appos, *appos.conjuncts) if start <= t.idx < end and t.pos_ == "PROPN"]

    def _author(self, head: Any, start: int, end: int) -> Any | None:
        """Who a phrase that names something said or written speaks for: "a statement from
        the PM's office", "Ivana Trump's brief", "a new report by Politico", "a Homeland
        Security memo". A statement noun takes any owner (by "of" as well); anything else
        that is no speaker itself (not a person, organisation or outlet noun) takes a person
        or organisation named as its owner, by "from" or "by" ("reports from Gaza" are not
        Gaza's)."""
        lemma = head.lemma_.lower()
        statement = lemma in self.lex.statement_nouns
        if not statement and (head.pos_ == "PROPN" or head.ent_type_ or lemma in self.lex.people_nouns
                              or lemma in self.lex.organisation_nouns or lemma in self.lex.organisation_kinds
                              or lemma in self.lex.noun_classes):
            return None
        for child in head.children:
            if not start <= child.idx < end:
                continue
            owner = None
            if child.dep_ == "poss" and child.tag_ != "PRP$" or child.dep_ == "compound" and not statement:
                owner = child
            elif child.dep_ == "prep" and child.lower_ in (("from", "by", "of") if statement else ("from", "by")):
                owner = next((t for t in child.children if t.dep_ == "pobj"), None)
            if owner is not None and (statement or owner.ent_type_ in ("PERSON", "ORG")):
                return owner
        return None
