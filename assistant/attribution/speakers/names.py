"""Names: the article's named entities, short forms merged with the one fuller name they
end, titles and appositions read as roles."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Span

from ..lexicons import Lexicons
from ..text import fold_name
from .entities import DETERMINERS, MEDIA, NAME_PREFIX, ORGANISATION, PERSON, PLURAL_TAGS, UNNAMED, Entity
from .phrase_tokens import canonical_role, role_of
from .state import ArticleState, salience


def name_key(words: Iterable[str], lex: Lexicons) -> tuple[str, ...]:
    out = []
    for word in words:
        w = word.lower().replace("’", "'")
        if w.endswith("'s"):
            w = w[:-2]
        w = NAME_PREFIX.sub("", w).strip(".,'\"-")
        if w and w not in lex.honorifics and w not in lex.non_name_titles:
            out.append(w)
    # a middle initial is no part of whom the name picks out ("Donald J. Trump")
    return tuple(w for i, w in enumerate(out) if not (0 < i < len(out) - 1 and len(w) == 1 and w.isalpha()))


def ends_with(fuller: tuple[str, ...], key: tuple[str, ...], lex: Lexicons) -> bool:
    """Whether the name key ``fuller`` ends with ``key``, before a generational suffix
    ("Joseph R. Biden Jr." ends with "Biden"), a suffix itself kept in the key: "Jr." and
    "Sr." are two people."""
    if fuller[-len(key):] == key:
        return True
    return len(fuller) > len(key) + 1 and fuller[-1] in lex.name_suffixes and fuller[-len(key) - 1:-1] == key


def same_speaker(asked: str, name: str | None, lex: Lexicons | None = None) -> bool:
    """Whether a name someone asks about ("the State Department", "Clinton") picks out the
    resolved speaker ``name``: every word of it, in order and adjacent, in the speaker's
    name ("State Department" is "the State Department's Refugee Processing Center", not
    "the Department of Transportation")."""
    from ..lexicons import default_lexicons

    lex = lex or default_lexicons()
    want, have = name_key(fold_name(asked).split(), lex), name_key(fold_name(name).split(), lex)
    return bool(want) and any(have[i:i + len(want)] == want for i in range(len(have) - len(want) + 1))


def affiliations_of(tok: Any) -> frozenset[str]:
    """The party or nationality words a description carries ("Democratic" in "the
    Democratic presidential nominee")."""
    return frozenset(t.lower_ for t in tok.lefts if t.ent_type_ == "NORP")


def given_name_gender(name: str, lex: Lexicons) -> str | None:
    """The gender a person's given name usually tells ("Michelle Obama" -> "f"), if the
    name has a surname after it."""
    words = name.split()
    return lex.first_names.get(words[0].lower()) if len(words) > 1 else None


def is_media_name(text: str, lex: Lexicons) -> bool:
    folded = fold_name(text)
    if folded in lex.media_outlets or f"the {folded}" in lex.media_outlets:
        return True
    words = folded.split()
    return len(words) > 1 and words[-1] in lex.media_name_words


@dataclass
class NameInfo:
    """One written name before it is matched to an entity."""

    tokens: list[Any]
    label: str  # spaCy's, or PROPN for an unlabelled proper noun
    key: tuple[str, ...]
    display: str
    media: bool
    person: bool
    gender: str | None
    roles: set[str]
    title: str | None  # the role a title right before it gives
    affiliations: frozenset[str]  # party or nationality words just before the name or its title


class NameIndex(ArticleState):
    """The article's names as entities, built once (``_collect_names``)."""

    tentative: dict[int, tuple[str, ...]]  # entity id -> the fuller name it may be (``merged``)

    def _title_before(self, first: Any) -> str | None:
        """The role a title right before a name gives ("Iraqi Prime Minister X" -> "prime
        minister", "PM X" -> "prime minister", "Republican nominee X" -> "nominee"): capitalised
        words, or a role word in lower case; nationality words end it."""
        words = []
        i = first.i - 1
        while i >= self.sentence_start[first.i]:
            tok = self.doc[i]
            if tok.ent_type_ in ("NORP", "GPE", "DATE", "TIME", "PERSON", "CARDINAL", "ORDINAL") \
                    or tok.is_punct or tok.is_space:
                break
            if tok.lower_ in ("of", "for") and words:
                words.append(tok)
            elif (tok.text[:1].isupper() or tok.lower_ in self.lex.role_words or tok.lower_ == "former") \
                    and tok.lower_ not in self.lex.honorifics:
                # "former UN Ambassador X" is "the former ambassador", not "the ambassador"
                words.append(tok)
            else:
                break
            i -= 1
        while words and words[-1].lower_ in ("of", "for"):
            words.pop()
        words.reverse()
        lowered = [w.lower_ for w in words]
        if not any(w in self.lex.role_words for w in lowered):
            return None
        return canonical_role(lowered, self.lex)

    def _is_title(self, tok: Any) -> bool:
        return tok.lower_ in self.lex.role_words or tok.lower_ in self.lex.title_abbreviations

    def _person_after_title(self, tokens: list[Any]) -> bool:
        rest = tokens[1:]
        last = rest[-1].lower_.strip(".")
        return 2 <= len(rest) <= 3 and all(t.text[:1].isupper() for t in rest) \
            and last not in self.lex.organisation_nouns \
            and not any(last in heads.split() for heads in self.lex.organisation_kinds.values())

    def _name_spans(self) -> list[tuple[Any, str]]:
        """(token list, NER label) for every usable name, titles and honorifics split off."""
        out = []
        for ent in self.joined_nicknames():
            label = ent.label_
            if label not in ("PERSON", "ORG", "GPE", "NORP", "FAC"):
                continue
            tokens = [t for t in ent if not t.is_space]
            if tokens and tokens[0].pos_ in ("ADP", "SCONJ", "CCONJ"):
                continue  # "Among Latinos, ...": a phrase the model took for a name, not a name
            while tokens and (tokens[0].lower_ in DETERMINERS or tokens[0].lower_ in self.lex.non_name_titles):
                tokens = tokens[1:]
            while tokens and (tokens[-1].is_punct or tokens[-1].tag_ == "POS"):
                tokens = tokens[:-1]
            # a title inside the entity ("President X") is a role, not part of the name; spaCy
            # takes "Councillor Marcus Obi" for an organisation, so a title before two or three
            # capitalised words that do not end as an organisation's name goes too ("Justice
            # Department", "General Electric" stay)
            while len(tokens) > 1 and self._is_title(tokens[0]) and (label == "PERSON" or self._person_after_title(tokens)):
                tokens = tokens[1:]
            if not tokens or not any(t.text[:1].isupper() for t in tokens):
                continue
            if len(tokens) == 1 and tokens[0].tag_ == "NNS":
                continue  # a common plural the model took for a name ("Scholars have long debated")
            if label == "NORP" and tokens[-1].tag_ not in PLURAL_TAGS:
                continue  # "Israeli" modifies, "Palestinians" speak
            if self.sentence_start[tokens[0].i] != self.sentence_start[tokens[-1].i]:
                continue
            out.append((tokens, label))
        # proper nouns spaCy gave no label ("Okafor said"): kept as possible short forms
        covered = {t.i for tokens, _ in out for t in tokens} | {t.i for e in self.doc.ents for t in e}
        run: list[Any] = []
        for tok in [*self.doc, None]:
            if tok is not None and tok.i not in covered and (
                    tok.tag_ in ("NNP", "NNPS") or (tok.text == "-" and run and not run[-1].whitespace_)):
                run.append(tok)
                continue
            while run and (run[0].text == "-" or run[0].lower_ in self.lex.role_words
                           or run[0].lower_ in self.lex.honorifics or run[0].lower_ in self.lex.title_abbreviations
                           or run[0].lower_ in self.lex.non_name_titles):
                run = run[1:]
            while run and run[-1].text == "-":
                run = run[:-1]
            if run:
                out.append((run, "PROPN"))
            run = []
        return out

    def joined_nicknames(self) -> list[Any]:
        """The entity spans, two people's names that touch across a quoted nickname made one
        (the model splits 'George "Jay" Keyworth' into 'George "Jay"' and 'Keyworth', and
        the later "Keyworth" would then be someone else)."""
        spans: list[Any] = []
        for ent in self.doc.ents:
            prev = spans[-1] if spans else None
            if prev is not None and prev.label_ == ent.label_ == "PERSON" and prev.end == ent.start \
                    and any(t.is_quote for t in (*prev, *ent)) and prev.sent == ent.sent:
                spans[-1] = Span(self.doc, prev.start, ent.end, label="PERSON")
            else:
                spans.append(ent)
        return spans

    def _name_info(self, tokens: list[Any], label: str) -> NameInfo | None:
        role = self._title_before(tokens[0])
        before = self.doc[tokens[0].i - 1].lower_ if tokens[0].i > 0 else ""
        honorific = before in self.lex.honorifics
        text = self.doc[tokens[0].i:tokens[-1].i + 1].text
        display = " ".join(text.split())
        if honorific:
            display = f"{self.doc[tokens[0].i - 1].text} {display}"
        key = name_key(display.split(), self.lex)
        if not key:
            return None
        media = is_media_name(display, self.lex)
        # a common given name before a surname: a person whatever spaCy's label ("Marcus Obi")
        given = self.lex.first_names.get(tokens[0].lower_) if 1 < len(key) <= 3 and all(
            t.text[:1].isupper() for t in tokens) and key[-1] not in self.lex.organisation_nouns else None
        gender = self.lex.gendered_words.get(before) or self.lex.gendered_words.get(tokens[0].lower_)
        person = not media and (label == "PERSON" or role is not None or honorific or gender is not None
                                or given is not None)
        return NameInfo(tokens, label, key, display, media, person, gender or given,
                        {r for r in (role, self._apposition_role(tokens)) if r}, role, self._affiliations_before(tokens[0]))

    def _affiliations_before(self, first: Any) -> frozenset[str]:
        """"Republican" in "Republican presidential nominee Donald Trump": party or
        nationality words among the few words before a name, up to a punctuation mark."""
        found = set()
        for i in range(first.i - 1, max(self.sentence_start[first.i], first.i - 5) - 1, -1):
            tok = self.doc[i]
            if tok.is_punct or tok.pos_ in ("VERB", "AUX"):
                break
            if tok.ent_type_ == "NORP":
                found.add(tok.lower_)
        return frozenset(found)

    def _trim_added_words(self, infos: list[NameInfo]) -> None:
        """Words before a person's name that are no part of it: a headline's verb or subject
        run into the name ("Biden Rip Donald Trump"), an epithet ("Crooked Hillary Clinton":
        a word of ``epithets.txt`` or one the parser reads as a common word). The name is cut to the longest shorter name
        of two words or more that the article uses for a person as well (in a headline, of
        one word: see below). In the body a proper noun before it stays ("Hussam Abu Safiya"
        with "Abu Safiya")."""
        keys = {i.key for i in infos if i.person}
        body_keys = {i.key for i in infos if i.tokens[0].idx >= self.headline_end}
        for info in infos:
            headline = info.tokens[0].idx < self.headline_end
            # in a headline, a surname the body uses alone may have a word run into it that
            # is no given name ("Derelict Obama"), when the body never writes the two together
            shortest = 1 if headline and info.key not in body_keys and info.key[0] not in self.lex.first_names else 2
            if not info.person or len(info.key) <= shortest:
                continue
            for n in range(1, len(info.key) - shortest + 1):
                suffix = info.key[n:]
                tokens = info.tokens
                while tokens and name_key([t.text for t in tokens], self.lex) != suffix:
                    tokens = tokens[1:]
                cut = info.tokens[:len(info.tokens) - len(tokens)]
                if suffix in keys and tokens and (headline or all(
                        t.tag_ not in ("NNP", "NNPS") or t.lower_ in self.lex.epithets for t in cut)):
                    info.tokens, info.key = tokens, suffix
                    info.display = " ".join(self.doc[tokens[0].i:tokens[-1].i + 1].text.split())
                    break

    def _collect_names(self) -> None:
        infos = [info for tokens, label in self._name_spans() if (info := self._name_info(tokens, label))]
        self._trim_added_words(infos)
        # a name spaCy missed that ends with a person's surname is a relative ("Rakeyia
        # Scott" beside "Keith Lamont Scott")
        surnames = {i.key[-1] for i in infos if i.person and len(i.key) > 1}
        for info in infos:
            if info.label == "PROPN" and 1 < len(info.key) <= 3 and info.key[-1] in surnames and not info.media:
                info.person = True
        person_keys = {i.key for i in infos if i.person and len(i.key) > 1}
        key_gender = {i.key: i.gender for i in infos if i.person and i.gender}

        def fuller_names(key: tuple[str, ...]) -> list[tuple[str, ...]]:
            fuller = [k for k in person_keys if len(k) > len(key) and ends_with(k, key, self.lex)]
            return [k for k in fuller if not any(len(o) > len(k) and ends_with(o, k, self.lex) for o in fuller)]

        def held_roles(key: tuple[str, ...]) -> set[str]:
            return {r.split()[-1] for i in infos if i.key == key for r in i.roles}

        by_key: dict[tuple[str, ...], Entity] = {}
        last_seen: dict[int, int] = {}
        for info in sorted(infos, key=lambda i: i.tokens[0].i):
            key = info.key
            targets = [] if info.media else fuller_names(key)
            if info.label == "PROPN" and not targets and not info.person:
                continue
            tentative = None
            if len(targets) == 1:
                fuller_gender = key_gender.get(targets[0])
                if info.gender and fuller_gender and info.gender != fuller_gender:
                    targets = []  # "Mrs. Clinton" is not "Bill Clinton"
                elif info.title and info.title.split()[-1] not in held_roles(targets[0]):
                    # "President Obama" with "Michelle Obama": one person only if nothing
                    # tells them apart by the end (see ``merged``)
                    tentative, targets = targets[0], []
                else:
                    key = targets[0]
            entity = by_key.get(key)
            if entity is None and len(targets) > 1:
                # an ambiguous short form ("Hussein" with two Husseins)
                seen = [by_key[k] for k in targets if k in by_key]
                seen = [e for e in seen if not (info.gender and e.gender and e.gender != info.gender)] or seen
                if seen:
                    # one the article already calls by this short form ("Trump" for Donald
                    # Trump, where "Ivanka Trump" is always written in full), else the latest
                    entity = max(seen, key=lambda e: (key in e.keys, last_seen.get(e.id, -1)))
                else:  # before any of them ("Trump" in the headline): the one the article names first
                    key = min(targets, key=lambda k: min(i.tokens[0].i for i in infos if i.key == k))
                    entity = by_key.get(key)
            if entity is None:
                type_ = MEDIA if info.media else PERSON if info.person or targets or tentative else \
                    UNNAMED if info.label == "NORP" else ORGANISATION
                entity = self._new_entity(info.display, type_)
                by_key[key] = entity
            if tentative is not None:
                self.tentative[entity.id] = tentative
            key = info.key
            entity.keys.add(key)
            if info.person and entity.type != MEDIA:
                entity.type = PERSON
            current = name_key(entity.name.split(), self.lex)
            if len(key) > len(current) or (len(key) == len(current) and len(info.display) > len(entity.name)):
                entity.name = info.display
            entity.roles |= info.roles
            entity.affiliations |= info.affiliations
            entity.gender = entity.gender or info.gender
            tokens = info.tokens
            start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
            self._add_mention(start, end, entity, salience(tokens))
            last_seen[entity.id] = start
        self.by_key = by_key
        self.name_mentions = list(self.mentions)
        self.name_tokens = {t.i: m for m in self.mentions for t in self._tokens(m.start, m.end)}

    def merged(self, entity: Entity) -> Entity:
        """The entity a short form kept apart for its title ("President Obama") ends as: the
        one fuller name it ends, unless their genders (from titles, given names and the
        pronouns resolved to each) differ."""
        key = self.tentative.get(entity.id)
        fuller = self.by_key.get(key) if key else None
        if fuller is None or (entity.gender and fuller.gender and entity.gender != fuller.gender):
            return entity
        return fuller

    def _apposition_role(self, tokens: list[Any]) -> str | None:
        """"X, the director of Y" -> "director"; "the director, X" as well."""
        head = next((t for t in tokens if t.head.i < tokens[0].i or t.head.i > tokens[-1].i or t.head == t), tokens[-1])
        for child in head.children:
            if child.dep_ == "appos" and child.tag_ in ("NN",) and child.lemma_.lower() in self.lex.people_nouns:
                return role_of(child, self.lex)
        # "the director, X" and "an attorney for Y, X" (which the parser hangs on Y)
        described = head.head if head.dep_ == "appos" else None
        if described is not None and described.dep_ == "pobj" and described.head.dep_ == "prep":
            described = described.head.head
        if described is not None and described.tag_ == "NN" and described.lemma_.lower() in self.lex.people_nouns:
            return role_of(described, self.lex)
        return None

    def _person_by_name(self, key: tuple[str, ...], before: int) -> Entity | None:
        """The person whose name ends with ``key``, the latest mentioned when several do."""
        if not key:
            return None
        people = [e for e in self.entities if e.type == PERSON
                  and any(len(k) >= len(key) and ends_with(k, key, self.lex) for k in e.keys)]
        if not people:
            return None
        return max(people, key=lambda e: max((m.start for m in self.mentions
                                              if m.entity == e.id and m.start < before), default=-1))
