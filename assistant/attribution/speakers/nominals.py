"""Nominal speakers: descriptions ("the prime minister", "the army", "medics", "the
officials") resolved to the entity the article introduced with that role, class or kind,
else typed by their head noun as a new entity."""
from __future__ import annotations

from typing import Any

from ..text import fold_name
from .entities import DETERMINERS, INDEFINITE, MEDIA, ORGANISATION, PERSON, PLURAL_TAGS, UNNAMED, Entity
from .described import PersonDescriptions
from .names import is_media_name
from .phrase_tokens import display_text, is_definite, role_of, strip_determiners, trim_punct
from .state import is_main_subject


class NominalResolver(PersonDescriptions):
    """Noun classes, organisation kinds and bare plurals on top of the names and the
    descriptions of one person."""

    def _modified_plurals(self) -> dict[str, dict[str, list[Any]]]:
        """Plural nouns with a modifier ("Palestinian medics"), by lemma, then by text."""
        found: dict[str, dict[str, list[Any]]] = {}
        for tok in self.doc:
            if tok.tag_ == "NNS" and not self.is_blocked(tok.idx, tok.idx + len(tok)):
                mods = [c for c in tok.lefts if c.dep_ in ("amod", "compound") and c.i == tok.i - 1
                        and c.lower_ not in DETERMINERS and c.pos_ in ("ADJ", "NOUN", "PROPN")]
                if mods:
                    phrase = [mods[0], tok]
                    found.setdefault(tok.lemma_.lower(), {})[fold_name(display_text(phrase))] = phrase
        return found

    # ----- offsets

    def _collect_nominals(self) -> None:
        """Mentions for later pronouns besides names: definite role nouns ("the PM's
        office", "the prime minister") are the role holder; subjects headed by an
        institution, outlet or group noun ("The Israeli military said ...") and plurals of
        people anywhere ("interviewed 20 former crew members") are nominal entities."""
        for tok in self.doc:
            if tok.i in self.name_tokens:
                continue
            people = tok.tag_ == "NNS" and tok.lemma_.lower() in self.lex.people_nouns
            if (tok.dep_ in ("nsubj", "nsubjpass") and tok.tag_ in ("NN", "NNS") and (
                    tok.lemma_.lower() in self.lex.organisation_nouns or tok.lemma_.lower() in self.lex.media_nouns
                    or people)) or (people and tok.dep_ in ("dobj", "pobj")):
                phrase = [t for t in self.doc[tok.left_edge.i:tok.i + 1] if not t.is_space]
                if tok.idx - phrase[0].idx > 80:  # a long pre-modifier run is a mis-parse
                    continue
                self._add_mention(phrase[0].idx, tok.idx + len(tok), self._nominal_entity(phrase, tok),
                                  1 if is_main_subject(tok) else 0)
                continue
            if tok.tag_ not in ("NN", "NNP") or not is_definite(tok):
                continue
            role = role_of(tok, self.lex)
            if role and (tok.lower_ in self.lex.role_words or tok.lower_ in self.lex.title_abbreviations):
                entity = self.role_holder(role, tok.idx)
                if entity is not None:
                    self._add_mention(tok.idx, tok.idx + len(tok), entity, 1 if is_main_subject(tok) else 0)

    # ----- speakers

    def _nominal_entity(self, tokens: list[Any], head: Any) -> Entity:
        lemma = head.lemma_.lower()
        words = strip_determiners(trim_punct(tokens))
        shown = words
        # "new" that begins a name stays ("the New York businessman")
        while len(shown) > 1 and shown[0].lower_ in self.lex.passing_modifiers and not shown[0].ent_type_:
            shown = shown[1:]
        display = display_text(shown)
        definite = is_definite(head) or (head.pos_ == "PROPN" and not any(
            c.dep_ == "det" and c.lower_ in INDEFINITE for c in head.children)) or self._headline_bare(head)
        plural = head.tag_ in PLURAL_TAGS
        role = role_of(head, self.lex)
        if role and not plural:
            described = self._described_person(words, head, role, definite)
            if described is not None:
                return described
        modifiers = tuple(t.lower_ for t in words if t.i < head.i and not t.is_punct and t.tag_ != "POS")
        counted = self._counted_group(head, lemma) if plural and definite else None
        if counted is not None:
            return counted
        if plural and definite and not modifiers and lemma in self.lex.people_nouns:
            # "the officials" after "X and Y discussed ...": the group just named
            group = self._recent_group(head.idx)
            if group is not None:
                return group
        if plural and not modifiers and lemma in self.lex.people_nouns | self.lex.media_nouns and len(words) == 1:
            # bare "medics" is the "Palestinian medics" of the same article, when only one
            # kind of medics is named
            fuller = self.modified_plurals.get(lemma, {})
            phrase = next(iter(fuller.values())) if len(fuller) == 1 else None
            if phrase is not None and phrase[-1].i != head.i:
                return self._nominal_entity(phrase, phrase[-1])
            if lemma == "report":
                display = "media reports"
        noun_class = self.lex.noun_classes.get(lemma) or self.lex.noun_classes.get(head.lower_)
        if noun_class and definite:
            same = [e for e in self.entities if e.noun_class == noun_class]
            if noun_class == "outlet":
                same = [e for e in self.entities if e.type == MEDIA and e.noun_class is None] + same
            if same:
                candidates = {e.id for e in same if not modifiers or not e.modifiers or e.modifiers == modifiers}
                entity = self._closest(candidates, head.idx, after=True)
                if entity is not None:
                    if len(modifiers) > len(entity.modifiers) and entity.noun_class:
                        entity.name, entity.modifiers = display, modifiers
                    return entity
        if self._unspecified_many(words, head):
            return self._new_entity(display, UNNAMED, noun_class=noun_class, modifiers=modifiers)
        existing = next((e for e in self.entities if fold_name(e.name) == fold_name(display)), None)
        if existing is not None:
            return existing
        lede = self.sentence_of(head.idx) <= self.lede_sentence
        if (definite or lede) and not plural and (lemma in self.lex.organisation_nouns
                                                  or lemma in self.lex.organisation_kinds):
            named = self._named_organisation(lemma, modifiers, head.idx)
            if named is not None:
                return named
        if lemma in self.lex.media_nouns or head.lower_ in self.lex.media_nouns or is_media_name(display, self.lex):
            type_ = MEDIA
        elif lemma in self.lex.organisation_nouns or lemma in self.lex.organisation_kinds \
                or lemma in self.lex.statement_nouns \
                or head.ent_type_ in ("ORG", "GPE"):
            type_ = ORGANISATION
        elif head.ent_type_ == "PERSON" and not plural:
            type_ = PERSON
        elif head.pos_ == "PROPN" and not plural:  # an unlabelled name: "The Coast Guard", "Okafor"
            type_ = ORGANISATION if definite and any(c.dep_ == "det" for c in head.children) else PERSON
        else:
            type_ = UNNAMED  # people without a name, or nothing better known
        # "a senior official" holds its role, so that "the official" later is the same one
        # rather than whoever the text is about
        roles = {role} if role and not plural and type_ == UNNAMED else set()
        return self._new_entity(display, type_, noun_class=noun_class, modifiers=modifiers, roles=roles)

    def _unspecified_many(self, words: list[Any], head: Any) -> bool:
        """A description of several unnamed people or things ("scholars", "other studies",
        "exit polls", "small groups of protesters", "a coalition of leaders"): no name in it,
        a common plural head (not a collective like "authorities" or "forces"), or a group
        noun whose members are a common plural."""
        if any(t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP", "FAC") and t.text[:1].isupper()
               and not t.is_sent_start for t in words):
            return False
        if head.pos_ == "PROPN" and not head.is_sent_start:
            return False
        lemma = head.lemma_.lower()
        if head.tag_ in PLURAL_TAGS:
            return head.lower_ not in self.lex.organisation_nouns and head.lower_ not in self.lex.noun_classes \
                and lemma not in self.lex.media_nouns
        members = [c for p in head.children if p.dep_ == "prep" and p.lower_ == "of"
                   for c in p.children if c.dep_ == "pobj"]
        return lemma in self.lex.organisation_nouns and bool(members) and all(
            m.tag_ == "NNS" and not m.ent_type_ for m in members)

    def _named_organisation(self, noun: str, modifiers: tuple[str, ...], before: int) -> Entity | None:
        """"the council" after "the St. Paul City Council", "the agency" after "the Federal
        Aviation Administration", "the appeals court" after "the U.S. Court of Appeals": the
        organisation of that kind (its name headed by a word ``organisation_kinds`` gives for
        the noun, or by the noun itself) mentioned last, its name holding every modifier;
        else the first one named after it ("the union wrote. The Association of ...")."""
        heads = set(self.lex.organisation_kinds.get(noun, noun).split()) | {noun}
        named = {e.id for e in self.entities if e.type == ORGANISATION and any(
            organisation_head(k) in heads and set(modifiers) <= set(k) for k in e.keys)}
        return self._closest(named, before, after=True)

    def _closest(self, ids: set[int], position: int, after: bool = False) -> Entity | None:
        """Of the entities ``ids``, the one mentioned last before ``position`` in the body
        or, with ``after``, else the first mentioned after it."""
        body = [m for m in self.mentions if m.entity in ids and (m.start >= self.headline_end or position < m.start)]
        earlier = [m for m in body if m.start < position]
        if earlier:
            return self.entities[max(earlier, key=lambda m: m.start).entity]
        later = [m for m in body if m.start > position] if after else []
        return self.entities[min(later, key=lambda m: m.start).entity] if later else None

    def _headline_bare(self, head: Any) -> bool:
        """A singular noun without a determiner in the headline, which drops them ("Judge
        rejects ...", "Poll: ..."): as definite as "the judge"."""
        return head.idx < self.headline_end and head.tag_ in ("NN", "NNP") and not any(
            c.dep_ in ("det", "poss") for c in head.children)

    def _counted_group(self, head: Any, lemma: str) -> Entity | None:
        """"the two Republican presidents", "the two countries": the group of that many
        people (or places) last named before it, within ``window`` sentences."""
        number = next((NUMBERS[c.lower_] for c in head.children
                       if c.dep_ in ("nummod", "det", "predet") and c.lower_ in NUMBERS), None)
        places = lemma in self.lex.place_nouns
        if number is None or not (places or lemma in self.lex.people_nouns):
            return None
        here, found = self.sentence_of(head.idx), []
        for m in sorted(self.mentions, key=lambda m: -m.start):
            entity = self.entities[m.entity]
            if m.start >= head.idx or m.salience < 0 or entity.members or entity in found:
                continue
            if here - m.sentence > self.window:
                break
            if (entity.type == PERSON) != (not places) or (places and self._tokens(m.start, m.end)[-1].ent_type_ != "GPE"):
                continue
            found.append(entity)
            if len(found) == number:
                return self._group(sorted(found, key=lambda e: self._first_mention(e.id)))
        return None

    def _first_mention(self, entity_id: int) -> int:
        return min((m.start for m in self.mentions if m.entity == entity_id), default=-1)

    def _group(self, members: list[Entity]) -> Entity:
        if len(members) == 1:
            return members[0]
        name = " and ".join(m.name for m in members)
        existing = next((e for e in self.entities if e.members == tuple(m.id for m in members)), None)
        if existing is not None:
            return existing
        types = {m.type for m in members}
        return self._new_entity(name, types.pop() if len(types) == 1 else ORGANISATION,
                                members=tuple(m.id for m in members))

    def _recent_group(self, before: int) -> Entity | None:
        here = self.sentence_of(before)
        groups = [m for m in self.mentions if self.entities[m.entity].members and m.start < before
                  and here - m.sentence <= self.window]
        return self.entities[max(groups, key=lambda m: m.start).entity] if groups else None


NUMBERS = {"two": 2, "both": 2, "three": 3, "four": 4}


def organisation_head(key: tuple[str, ...]) -> str:
    """The word that heads an organisation's name: the last before "of"/"for" ("court" in
    "Court of Appeals for ..."), else the last."""
    for i, word in enumerate(key):
        if word in ("of", "for") and i:
            return key[i - 1]
    return key[-1]
