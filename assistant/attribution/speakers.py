"""Speaker resolution: who a claim's speaker span refers to, by name, and what kind of
speaker it is.

Rule-based, over the spaCy parse of the whole article (one pass, no extra model):

* **Names.** Named entities (PERSON, ORG, GPE, plural NORP) are the article's names.
  Person names merge when one is a word-level suffix of exactly one fuller name
  ("Sudani", "al-Sudani", "PM Sudani" -> "Mohammed Shia al-Sudani"; the Arabic article
  "al-"/"el-" is ignored when comparing). The fullest form is the canonical name, with an
  academic honorific kept ("Dr. Hussein Allawi"). spaCy's labels are noisy for rare names,
  so a name that is a suffix of a person's name is a person whatever its label.
* **Roles.** Capitalised titles right before a name ("Iraqi Prime Minister X", "PM X",
  "US Secretary of State Y") and appositions ("X, the director of ...") give the name a
  role; "the PM", "the prime minister", "the director" then resolve to the most recent
  name holding that role.
* **Nominal speakers** are typed by their head noun: people in the plural or without a
  name ("medics", "sources close to ...", "an official") are *unnamed sources*; reports,
  media and news outlets (a short list of well-known ones plus names ending in Times,
  News, ...) are *media reports*; institutions ("the State Department", "the Israeli
  military", "Hamas", countries) are *organisations*. "the army" and "the military" merge
  with the most recent military mentioned; "the newspaper" with the most recent outlet.
  A bare plural ("medics") is the one modified form the article uses ("Palestinian
  medics"), if it uses only one; bare "reports" are "media reports".
* **Phrases**: a name heading the speaker phrase (or in apposition to its head) is the
  speaker, a name that only modifies it is not ("armed wings of Hamas"); "a statement from
  X" is by X; "X and Y" is one group speaker, which "the officials" may then refer to.
* **Pronouns** (he/she/his/her -> a person; it/its -> an organisation or outlet;
  they/their -> a group, organisation or unnamed source; who -> the noun its relative
  clause hangs on) take the nearest compatible antecedent: walking back sentence by
  sentence, earlier claims' speakers first, then grammatical subjects, then any other
  mention; mentions inside quotation marks or inside claim contents are skipped. He/she
  skip a person whose gender a title (Mr., Mrs., spokeswoman) or an earlier he/she gave.
* **Headlines**: a headline cue without a subject ("..., Orders Hospital to Evacuate") is
  by the speaker of the body claim with the same cue verb.

An optional ``propose`` callback (e.g. a generator) is asked only where the rules find no
antecedent or name; it can set ``speaker_resolved`` and nothing else - spans, and so
quotation text, always come from the source.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ..types import Article, Claim
from .lexicons import Lexicons, default_lexicons
from .settings import SpeakerSettings
from .text import QUOTED_ON_LINE, fold_name, strip_suffix

PERSON = "person"
ORGANISATION = "organisation"
UNNAMED = "unnamed source"
MEDIA = "media report"
SPEAKER_TYPES = (PERSON, ORGANISATION, UNNAMED, MEDIA)

ProposeSpeaker = Callable[[Article, Claim], "str | None"]

# pronoun -> the kind of antecedent it accepts
PRONOUNS = {
    "he": PERSON, "she": PERSON, "him": PERSON, "his": PERSON, "her": PERSON, "hers": PERSON,
    "i": PERSON, "it": "it", "its": "it", "they": "they", "them": "they", "their": "they",
    "we": "they", "who": "who", "whom": "who", "which": "who", "that": "who",
}

PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
PLURAL_TAGS = {"NNS", "NNPS"}
_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "his", "her",
                "their", "our", "my", "your", "some", "several", "many", "two", "three",
                "one", "other", "another", "both", "all", "most"}
_INDEFINITE = {"a", "an", "one", "some", "several", "many", "two", "three", "other",
               "another", "both", "all", "most"}
_NAME_PREFIX = re.compile(r"^(?:al|el|ad|ar|as|an|at|az|ash)-", re.IGNORECASE)


# --------------------------------------------------------------------------- data

@dataclass
class Entity:
    """One referent of the article: its canonical name and type, and what identifies it."""

    id: int
    name: str
    type: str
    keys: set[tuple[str, ...]] = field(default_factory=set)  # normalised name words
    roles: set[str] = field(default_factory=set)
    noun_class: str | None = None  # for nominal organisations: "military", "outlet", ...
    modifiers: tuple[str, ...] = ()
    members: tuple[int, ...] = ()  # for a group speaker ("X and Y"): its members' ids
    gender: str | None = None  # "m" / "f" when a title or an earlier he/she told


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    entity: int
    sentence: int
    salience: int  # 2: a claim's speaker, 1: a grammatical subject, 0: other


@dataclass
class SpeakerEntry:
    """One row of a speaker table."""

    name: str
    type: str | None
    aliases: list[str]
    claims: int

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "aliases": list(self.aliases),
                "claims": self.claims}


@dataclass
class SpeakerTable:
    """The speakers of one article: canonical name -> aliases, type and claim count,
    most claims first."""

    article_id: str
    speakers: list[SpeakerEntry]

    def get(self, name: str) -> SpeakerEntry | None:
        key = fold_name(name)
        return next((s for s in self.speakers if fold_name(s.name) == key), None)

    def to_dict(self) -> dict[str, Any]:
        return {"article_id": self.article_id, "speakers": [s.to_dict() for s in self.speakers]}


@dataclass
class SpeakerGroup:
    """One speaker across articles (the Speakers view): ``articles`` maps article id to
    that article's claim count."""

    name: str
    type: str | None
    aliases: list[str]
    claims: int
    articles: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "aliases": list(self.aliases),
                "claims": self.claims, "articles": dict(self.articles)}


# --------------------------------------------------------------------------- helpers

def _name_key(words: Iterable[str], lex: Lexicons) -> tuple[str, ...]:
    out = []
    for word in words:
        w = word.lower().replace("’", "'")
        if w.endswith("'s"):
            w = w[:-2]
        w = _NAME_PREFIX.sub("", w).strip(".,'\"-")
        if w and w not in lex.honorifics and w not in lex.non_name_titles:
            out.append(w)
    return tuple(out)


def _is_media_name(text: str, lex: Lexicons) -> bool:
    folded = fold_name(text)
    if folded in lex.media_outlets or f"the {folded}" in lex.media_outlets:
        return True
    words = folded.split()
    return len(words) > 1 and words[-1] in lex.media_name_words


def _trim_punct(tokens: list[Any]) -> list[Any]:
    """``tokens`` without punctuation at the edges, a closing quotation mark kept when the
    phrase opens one ("the so-called “X”")."""
    a, b = 0, len(tokens)
    while a < b and (tokens[a].is_punct or tokens[a].is_space):
        a += 1
    while b > a and (tokens[b - 1].is_punct or tokens[b - 1].is_space):
        if tokens[b - 1].text in "”\"" and any(t.text in "“\"" for t in tokens[a:b - 1]):
            break
        b -= 1
    return tokens[a:b] or tokens


def _strip_determiners(tokens: list[Any]) -> list[Any]:
    i = 0
    while i < len(tokens) - 1 and (tokens[i].lower_ in _DETERMINERS or tokens[i].tag_ == "PRP$"):
        i += 1
    return tokens[i:]


def _display(tokens: list[Any]) -> str:
    """Text of ``tokens`` as written, with a sentence-initial capital on a common word
    lowered ("Sources close to ..." -> "sources close to ...")."""
    if not tokens:
        return ""
    doc = tokens[0].doc
    text = doc[tokens[0].i:tokens[-1].i + 1].text
    text = " ".join(text.split())
    # "the so-called “X”" names X
    text = re.sub(r"^(?:so-called|self-styled|self-proclaimed)\s+", "", text, flags=re.IGNORECASE)
    if sum(text.count(q) for q in "“”\"") <= 2:  # a quoted name, even if the span cut a mark off
        text = text.strip("“”\"")
    first = tokens[0]
    if first.is_sent_start and first.pos_ not in ("PROPN",) and not first.ent_type_ and text[:1].isupper() \
            and not text[:2].isupper():
        text = text[0].lower() + text[1:]
    return text


# --------------------------------------------------------------------------- resolver

class _Resolver:
    """Per-article state: entities, mentions, roles. Built once from the parse."""

    def __init__(self, doc: Any, article: Article, claims: Sequence[Claim], lexicons: Lexicons,
                 settings: SpeakerSettings):
        self.doc = doc
        self.lex = lexicons
        self.window = settings.pronoun_window
        self.article = article
        self.entities: list[Entity] = []
        self.mentions: list[Mention] = []
        self.sentence_starts = [s.start for s in article.sentences]
        # token -> first token of its parsed sentence (Token.sent is slow on long docs)
        self.sentence_start = [0] * len(doc)
        for sent in doc.sents:
            self.sentence_start[sent.start:sent.end] = [sent.start] * (sent.end - sent.start)
        self.blocked = self._blocked_regions(article.text, claims)
        self._collect_names()
        self.modified_plurals = self._modified_plurals()
        self._collect_nominals()

    def _modified_plurals(self) -> dict[str, dict[str, list[Any]]]:
        """Plural nouns with a modifier ("Palestinian medics"), by lemma, then by text."""
        found: dict[str, dict[str, list[Any]]] = {}
        for tok in self.doc:
            if tok.tag_ == "NNS" and not self.is_blocked(tok.idx, tok.idx + len(tok)):
                mods = [c for c in tok.lefts if c.dep_ in ("amod", "compound") and c.i == tok.i - 1
                        and c.lower_ not in _DETERMINERS and c.pos_ in ("ADJ", "NOUN", "PROPN")]
                if mods:
                    phrase = [mods[0], tok]
                    found.setdefault(tok.lemma_.lower(), {})[fold_name(_display(phrase))] = phrase
        return found

    # ----- offsets

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

    def is_blocked(self, start: int, end: int) -> bool:
        return any(a <= start and end <= b for a, b in self.blocked)

    # ----- entities

    def _new_entity(self, name: str, type_: str, **kwargs: Any) -> Entity:
        entity = Entity(len(self.entities), name, type_, **kwargs)
        self.entities.append(entity)
        return entity

    def _add_mention(self, start: int, end: int, entity: Entity, salience: int) -> None:
        if not self.is_blocked(start, end):
            self.mentions.append(Mention(start, end, entity.id, self.sentence_of(start), salience))

    def _title_before(self, first: Any) -> str | None:
        """The role a capitalised title right before a name gives ("Iraqi Prime Minister
        X" -> "prime minister", "PM X" -> "prime minister"); nationality words end it."""
        words = []
        i = first.i - 1
        while i >= self.sentence_start[first.i]:
            tok = self.doc[i]
            if tok.ent_type_ in ("NORP", "GPE", "DATE", "TIME", "PERSON", "CARDINAL", "ORDINAL") \
                    or tok.is_punct or tok.is_space:
                break
            if tok.lower_ in ("of", "for") and words:
                words.append(tok)
            elif tok.text[:1].isupper() and tok.lower_ not in self.lex.honorifics:
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
        return " ".join(self.lex.title_abbreviations.get(w, w) for w in lowered)

    def _name_spans(self) -> list[tuple[Any, str]]:
        """(token list, NER label) for every usable name, titles and honorifics split off."""
        out = []
        for ent in self.doc.ents:
            label = ent.label_
            if label not in ("PERSON", "ORG", "GPE", "NORP", "FAC"):
                continue
            tokens = [t for t in ent if not t.is_space]
            while tokens and (tokens[0].lower_ in _DETERMINERS or tokens[0].lower_ in self.lex.non_name_titles):
                tokens = tokens[1:]
            while tokens and (tokens[-1].is_punct or tokens[-1].tag_ == "POS"):
                tokens = tokens[:-1]
            # a title inside the entity ("President X") is a role, not part of the name
            while len(tokens) > 1 and label == "PERSON" and (
                    tokens[0].lower_ in self.lex.role_words or tokens[0].lower_ in self.lex.title_abbreviations):
                tokens = tokens[1:]
            if not tokens or not any(t.text[:1].isupper() for t in tokens):
                continue
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

    def _collect_names(self) -> None:
        spans = self._name_spans()
        infos = []
        for tokens, label in spans:
            role = self._title_before(tokens[0])
            before = self.doc[tokens[0].i - 1].lower_ if tokens[0].i > 0 else ""
            honorific = before in self.lex.honorifics
            gender = self.lex.gendered_words.get(before) or self.lex.gendered_words.get(tokens[0].lower_)
            appos = self._apposition_role(tokens)
            text = self.doc[tokens[0].i:tokens[-1].i + 1].text
            display = " ".join(text.split())
            if honorific:
                display = f"{self.doc[tokens[0].i - 1].text} {display}"
            key = _name_key(display.split(), self.lex)
            if not key:
                continue
            media = _is_media_name(display, self.lex)
            personish = not media and (label == "PERSON" or role is not None or honorific)
            infos.append(dict(tokens=tokens, label=label, key=key, display=display, media=media,
                              person=personish or gender is not None, gender=gender,
                              roles={r for r in (role, appos) if r}))
        person_keys = {i["key"] for i in infos if i["person"] and len(i["key"]) > 1}

        def fuller_names(key: tuple[str, ...]) -> list[tuple[str, ...]]:
            fuller = [k for k in person_keys if len(k) > len(key) and k[-len(key):] == key]
            return [k for k in fuller if not any(len(o) > len(k) and o[-len(k):] == k for o in fuller)]

        by_key: dict[tuple[str, ...], Entity] = {}
        last_seen: dict[int, int] = {}
        for info in sorted(infos, key=lambda i: i["tokens"][0].i):
            key = info["key"]
            targets = [] if info["media"] else fuller_names(key)
            if info["label"] == "PROPN" and not targets:
                continue
            if len(targets) == 1:
                key = targets[0]
            entity = by_key.get(key)
            if entity is None and len(targets) > 1:
                # an ambiguous short form ("Hussein" with two Husseins): the latest fuller name
                seen = [by_key[k] for k in targets if k in by_key]
                seen = [e for e in seen if not (info["gender"] and e.gender and e.gender != info["gender"])] or seen
                if seen:
                    entity = max(seen, key=lambda e: last_seen.get(e.id, -1))
            if entity is None:
                type_ = MEDIA if info["media"] else PERSON if info["person"] or targets else \
                    UNNAMED if info["label"] == "NORP" else ORGANISATION
                entity = self._new_entity(info["display"], type_)
                by_key[key] = entity
            key = info["key"]
            entity.keys.add(key)
            if info["person"] and entity.type != MEDIA:
                entity.type = PERSON
            current = _name_key(entity.name.split(), self.lex)
            if len(key) > len(current) or (len(key) == len(current) and len(info["display"]) > len(entity.name)):
                entity.name = info["display"]
            entity.roles |= info["roles"]
            entity.gender = entity.gender or info["gender"]
            tokens = info["tokens"]
            start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
            subject = any(t.dep_ in ("nsubj", "nsubjpass") for t in tokens)
            self._add_mention(start, end, entity, 1 if subject else 0)
            last_seen[entity.id] = start
        self.name_mentions = list(self.mentions)
        self.name_tokens = {t.i: m for m in self.mentions for t in self._tokens(m.start, m.end)}

    def _apposition_role(self, tokens: list[Any]) -> str | None:
        """"X, the director of Y" -> "director"."""
        head = next((t for t in tokens if t.head.i < tokens[0].i or t.head.i > tokens[-1].i or t.head == t), tokens[-1])
        for child in head.children:
            if child.dep_ == "appos" and child.tag_ in ("NN",) and child.lemma_.lower() in self.lex.people_nouns:
                return _role_of(child, self.lex)
        return None

    def _collect_nominals(self) -> None:
        """Mentions for later pronouns besides names: definite role nouns ("the PM's
        office", "the prime minister") are the role holder; subjects headed by an
        institution, outlet or group noun ("The Israeli military said ...") are nominal
        entities."""
        for tok in self.doc:
            if tok.i in self.name_tokens:
                continue
            if tok.dep_ in ("nsubj", "nsubjpass") and tok.tag_ in ("NN", "NNS") and (
                    tok.lemma_.lower() in self.lex.organisation_nouns or tok.lemma_.lower() in self.lex.media_nouns
                    or (tok.tag_ == "NNS" and tok.lemma_.lower() in self.lex.people_nouns)):
                phrase = [t for t in self.doc[tok.left_edge.i:tok.i + 1] if not t.is_space]
                if tok.idx - phrase[0].idx > 80:  # a long pre-modifier run is a mis-parse
                    continue
                self._add_mention(phrase[0].idx, tok.idx + len(tok), self._nominal_entity(phrase, tok), 1)
                continue
            if tok.tag_ not in ("NN", "NNP") or not _is_definite(tok):
                continue
            role = _role_of(tok, self.lex)
            if role and (tok.lower_ in self.lex.role_words or tok.lower_ in self.lex.title_abbreviations):
                entity = self.role_holder(role, tok.idx)
                if entity is not None:
                    self._add_mention(tok.idx, tok.idx + len(tok), entity,
                                      1 if tok.dep_ in ("nsubj", "nsubjpass") else 0)

    def role_holder(self, role: str, before: int) -> Entity | None:
        """The entity most recently mentioned before ``before`` that holds ``role`` (or a
        role with the same last word: "the minister" for "prime minister")."""
        exact = {e.id for e in self.entities if role in e.roles}
        loose = {e.id for e in self.entities if any(r.split()[-1] == role.split()[-1] for r in e.roles)}
        for ids in (exact, loose):
            if not ids:
                continue
            earlier = [m for m in self.mentions if m.entity in ids and m.start < before]
            if earlier:
                return self.entities[max(earlier, key=lambda m: m.start).entity]
            return self.entities[min(ids)]
        return None

    # ----- speakers

    def resolve(self, claim: Claim, propose: ProposeSpeaker | None) -> Claim:
        if claim.speaker is None:
            return claim
        start, end = claim.speaker.start, claim.speaker.end
        tokens = self._tokens(start, end)
        if not tokens:
            return claim
        words = [t for t in tokens if not t.is_punct]
        entity: Entity | None
        if len(words) == 1 and words[0].lower_ in PRONOUNS:
            pronoun = words[0]
            entity = self._antecedent(pronoun)
            if entity is None:
                type_ = _pronoun_type(pronoun.lower_)
                name = propose(self.article, claim) if propose else None
                return replace(claim, speaker_resolved=name, speaker_type=type_)
        else:
            entity = self._entity_for_phrase(tokens)
        self._add_mention(start, end, entity, 2)
        return replace(claim, speaker_resolved=entity.name, speaker_type=entity.type)

    def headline_speaker(self, claim: Claim, claims: Sequence[Claim]) -> Claim:
        """A headline cue with no subject ("..., Orders Hospital to Evacuate") is by the
        speaker of the body claim with the same cue verb ("the military ordered ...")."""
        if claim.cue is None or claim.cue.start >= self.article.body_start:
            return claim
        lemma = _cue_lemma(self._tokens(claim.cue.start, claim.cue.end))
        for other in claims:
            if other.speaker is not None and other.cue is not None and other.speaker_resolved \
                    and other.cue.start >= self.article.body_start \
                    and _cue_lemma(self._tokens(other.cue.start, other.cue.end)) == lemma:
                return replace(claim, speaker_resolved=other.speaker_resolved, speaker_type=other.speaker_type)
        return claim

    def _entity_for_phrase(self, tokens: list[Any], nested: bool = False) -> Entity:
        """``nested``: a part of a speaker phrase (a conjunct, a statement's owner), which
        is not split further."""
        tokens = _drop_time_adjunct(tokens)
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
        head = _phrase_head(tokens)
        conjuncts = [t for t in head.conjuncts if start <= t.idx < end]
        if not nested and conjuncts and head.pos_ == "PROPN" and all(t.pos_ == "PROPN" for t in conjuncts):
            # "Sudani and Blinken": one group speaker made of both
            members = [self._entity_for_phrase(_conjunct_tokens(t, start, end), True) for t in (head, *conjuncts)]
            return self._group(list({m.id: m for m in members}.values()))
        inside = [m for m in self.name_mentions if m.start >= start and m.end <= end]
        # a name speaks when it heads the phrase ("X, the director of Y"); a name that only
        # modifies it ("armed wings of X", "authorities in X") does not
        governing = [m for m in inside if any(
            not (start <= t.head.idx < end) or t.head == t or (t.dep_ == "appos" and t.head.i == head.i)
            for t in self._tokens(m.start, m.end))]
        last = _trim_punct(tokens)[-1]
        role = _role_of(last, self.lex)
        if governing and role and all(self.entities[m.entity].type != PERSON for m in governing):
            # "Iraq PM": a place that modifies a role (title-case headlines parse it as the
            # head); the role's holder speaks
            holder = self.role_holder(role, last.idx)
            if holder is not None:
                return holder
        if governing:
            best = max(governing, key=lambda m: (self.entities[m.entity].type == PERSON, m.start))
            return self.entities[best.entity]
        words = _strip_determiners(_trim_punct(tokens))
        if all(t.text[:1].isupper() or t.text == "-" for t in words):
            # a short name spaCy did not recognise (sentence-initial "Fares" taken for a noun)
            named = self._person_by_name(_name_key(_display(words).split(), self.lex), start)
            if named is not None:
                return named
        # "a statement from the PM's office": the one it comes from speaks
        if head.lemma_.lower() in self.lex.statement_nouns and not nested:
            owner = next((t for t in head.children if start <= t.idx < end and (
                t.dep_ == "poss" and t.tag_ != "PRP$" or t.dep_ == "prep" and t.lower_ in ("from", "by", "of"))), None)
            if owner is not None and owner.dep_ == "prep":
                owner = next((t for t in owner.children if t.dep_ == "pobj"), None)
            if owner is not None:
                return self._entity_for_phrase(_conjunct_tokens(owner, start, end), True)
        return self._nominal_entity(tokens, head)

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

    def _nominal_entity(self, tokens: list[Any], head: Any) -> Entity:
        lemma = head.lemma_.lower()
        words = _strip_determiners(_trim_punct(tokens))
        display = _display(words)
        definite = _is_definite(head) or (head.pos_ == "PROPN" and not any(
            c.dep_ == "det" and c.lower_ in _INDEFINITE for c in head.children))
        plural = head.tag_ in PLURAL_TAGS
        role = _role_of(head, self.lex)
        if role and not plural and definite:
            holder = self.role_holder(role, head.idx)
            if holder is not None:
                return holder
        modifiers = tuple(t.lower_ for t in words if t.i != head.i and t.i < head.i)
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
                candidates = [e for e in same if not modifiers or not e.modifiers or e.modifiers == modifiers]
                if candidates:
                    entity = max(candidates, key=lambda e: self._last_mention(e.id))
                    if len(modifiers) > len(entity.modifiers) and entity.noun_class:
                        entity.name, entity.modifiers = display, modifiers
                    return entity
        existing = next((e for e in self.entities if fold_name(e.name) == fold_name(display)), None)
        if existing is not None:
            return existing
        if definite and not plural and not modifiers and lemma in self.lex.organisation_nouns:
            # "the council" after "the St. Paul City Council": the latest one of that kind
            named = [e for e in self.entities if e.type == ORGANISATION and e.keys
                     and any(k[-1] == lemma for k in e.keys)]
            if named:
                return max(named, key=lambda e: self._last_mention(e.id))
        if lemma in self.lex.media_nouns or head.lower_ in self.lex.media_nouns or _is_media_name(display, self.lex):
            type_ = MEDIA
        elif lemma in self.lex.organisation_nouns or lemma in self.lex.statement_nouns \
                or head.ent_type_ in ("ORG", "GPE"):
            type_ = ORGANISATION
        elif head.ent_type_ == "PERSON" and not plural:
            type_ = PERSON
        elif head.pos_ == "PROPN" and not plural:  # an unlabelled name: "The Coast Guard", "Okafor"
            type_ = ORGANISATION if definite and any(c.dep_ == "det" for c in head.children) else PERSON
        else:
            type_ = UNNAMED  # people without a name, or nothing better known
        return self._new_entity(display, type_, noun_class=noun_class, modifiers=modifiers)

    def _person_by_name(self, key: tuple[str, ...], before: int) -> Entity | None:
        """The person whose name ends with ``key``, the latest mentioned when several do."""
        if not key:
            return None
        people = [e for e in self.entities if e.type == PERSON
                  and any(len(k) >= len(key) and k[-len(key):] == key for k in e.keys)]
        if not people:
            return None
        return max(people, key=lambda e: max((m.start for m in self.mentions
                                              if m.entity == e.id and m.start < before), default=-1))

    def _recent_group(self, before: int) -> Entity | None:
        here = self.sentence_of(before)
        groups = [m for m in self.mentions if self.entities[m.entity].members and m.start < before
                  and here - m.sentence <= self.window]
        return self.entities[max(groups, key=lambda m: m.start).entity] if groups else None

    def _last_mention(self, entity_id: int) -> int:
        return max((m.start for m in self.mentions if m.entity == entity_id), default=-1)

    def _antecedent(self, pronoun: Any) -> Entity | None:
        wanted = PRONOUNS[pronoun.lower_]
        if wanted == "who":
            target = pronoun.head.head if pronoun.head.dep_ == "relcl" else None
            if target is None:
                return None
            mention = self.name_tokens.get(target.i)
            if mention is not None:
                return self.entities[mention.entity]
            return self._nominal_entity(list(_noun_phrase(target)), target)
        here = self.sentence_of(pronoun.idx)
        candidates = [m for m in self.mentions if m.start < pronoun.idx and here - m.sentence <= self.window]
        for sentence in range(here, max(here - self.window, 0) - 1, -1):
            in_sentence = [m for m in candidates if m.sentence == sentence
                           and _compatible(self.entities[m.entity], wanted, self.lex,
                                           PRONOUN_GENDER.get(pronoun.lower_))]
            if in_sentence:
                entity = self.entities[max(in_sentence, key=lambda m: (m.salience, m.start)).entity]
                entity.gender = entity.gender or PRONOUN_GENDER.get(pronoun.lower_)
                return entity
        return None


# --------------------------------------------------------------------------- token helpers

def _is_definite(tok: Any) -> bool:
    return any(c.dep_ in ("det", "poss") and c.lower_ not in _INDEFINITE for c in tok.children)


def _role_of(tok: Any, lex: Lexicons) -> str | None:
    word = tok.lower_
    if word in lex.title_abbreviations:
        return lex.title_abbreviations[word]
    lemma = tok.lemma_.lower()
    if lemma not in lex.role_words and word not in lex.role_words:
        return None
    # "prime minister", "foreign minister": keep a compound or adjective before the noun
    mods = [c.lower_ for c in tok.lefts if c.dep_ in ("compound", "amod") and c.ent_type_ not in ("NORP", "GPE")]
    return " ".join(mods + [lemma if lemma in lex.role_words else word])


def _drop_time_adjunct(tokens: list[Any]) -> list[Any]:
    """"Axios on Tuesday": a trailing time phrase is no part of who speaks."""
    for i, tok in enumerate(tokens[1:], start=1):
        if tok.dep_ == "prep" and any(c.ent_type_ in ("DATE", "TIME") for c in tok.children):
            return tokens[:i]
    return tokens


def _cue_lemma(tokens: list[Any]) -> str | None:
    """The cue's first word as a crude stem; title-case headline words get no real lemma
    from spaCy ("Orders" as a proper noun), so suffixes are cut by hand as well."""
    words = [t for t in tokens if t.pos_ in ("VERB", "AUX", "NOUN", "PROPN")] or tokens
    if not words:
        return None
    word = words[0].lemma_.lower() if words[0].pos_ in ("VERB", "AUX") else words[0].lower_
    return strip_suffix(word, 3)


def _conjunct_tokens(tok: Any, start: int, end: int) -> list[Any]:
    """The tokens of ``tok``'s own phrase within [start, end): its subtree without the
    conjuncts and conjunctions hanging on it."""
    skip = {t.i for c in tok.children if c.dep_ in ("conj", "cc", "punct") for t in c.subtree}
    return [t for t in tok.subtree if t.i not in skip and start <= t.idx < end and not t.is_space] or [tok]


def _phrase_head(tokens: list[Any]) -> Any:
    ids = {t.i for t in tokens}
    heads = [t for t in tokens if t.head.i not in ids or t.head == t]
    nouns = [t for t in heads if t.pos_ in ("NOUN", "PROPN", "PRON")]
    return (nouns or heads or tokens)[0]


def _noun_phrase(tok: Any) -> list[Any]:
    return [t for t in tok.subtree if t.i <= tok.i or t.dep_ in ("prep", "pobj", "amod", "compound")]


def _pronoun_type(word: str) -> str:
    wanted = PRONOUNS.get(word)
    return {PERSON: PERSON, "it": ORGANISATION, "they": UNNAMED}.get(wanted, PERSON)


def _compatible(entity: Entity, wanted: str, lex: Lexicons, gender: str | None = None) -> bool:
    if wanted == PERSON:
        return entity.type == PERSON and not entity.members and not (
            gender and entity.gender and gender != entity.gender)
    if wanted == "it":
        return entity.type in (ORGANISATION, MEDIA) and not _looks_plural(entity.name, lex) and not entity.members
    if wanted == "they":
        return entity.type in (ORGANISATION, UNNAMED, MEDIA) or bool(entity.members)
    return True


def _looks_plural(name: str, lex: Lexicons) -> bool:
    last = name.split()[-1].lower() if name.split() else ""
    return last.endswith("s") and not last.endswith(("ss", "us", "news")) and last not in lex.media_outlets \
        and not name[:1].isupper()


# --------------------------------------------------------------------------- public API

def resolve_speakers(doc: Any, article: Article, claims: Sequence[Claim], *,
                     propose: ProposeSpeaker | None = None, lexicons: Lexicons | None = None,
                     settings: SpeakerSettings = SpeakerSettings()) -> list[Claim]:
    """``claims`` (of one article, ``doc`` its spaCy parse) with ``speaker_resolved`` and
    ``speaker_type`` filled in, in the same order; spans are never changed. A claim without
    a speaker span gets a name only in a headline (see the module notes). ``propose`` is
    consulted only for a pronoun no rule finds a referent for; ``lexicons``: the word lists
    (default: the package's); ``settings``: the thresholds."""
    resolver = _Resolver(doc, article, claims, lexicons or default_lexicons(), settings)
    order = sorted(range(len(claims)), key=lambda i: claims[i].speaker.start if claims[i].speaker else -1)
    resolved: list[Claim | None] = [None] * len(claims)
    for i in order:
        resolved[i] = resolver.resolve(claims[i], propose)
    done = [c for c in resolved if c is not None]
    return [resolver.headline_speaker(c, done) if c.speaker is None else c for c in done]


def speaker_table(article: Article, claims: Sequence[Claim]) -> SpeakerTable:
    """Speakers of one article's resolved claims: each canonical name with the surface
    forms used for it (pronouns left out), its type and how many claims it has."""
    by_name: dict[str, SpeakerEntry] = {}
    for claim in claims:
        name = claim.speaker_resolved or (claim.speaker.text if claim.speaker else None)
        if not name:
            continue
        key = fold_name(name)
        entry = by_name.get(key)
        if entry is None:
            entry = by_name[key] = SpeakerEntry(name, claim.speaker_type, [name], 0)
        entry.claims += 1
        if entry.type is None:
            entry.type = claim.speaker_type
        if claim.speaker is not None:
            alias = " ".join(claim.speaker.text.split())
            if alias.lower() not in PRONOUNS and alias not in entry.aliases:
                entry.aliases.append(alias)
    speakers = sorted(by_name.values(), key=lambda e: (-e.claims, e.name.lower()))
    return SpeakerTable(article.id, speakers)


def group_speakers(tables: Iterable[SpeakerTable]) -> list[SpeakerGroup]:
    """Speakers across articles: the same canonical name (case-insensitively) is one
    speaker, and a person's shorter name ("Sudani") joins a fuller one ("Mohammed Shia
    al-Sudani") only when exactly one fuller name ends with it. Most claims first."""
    groups: dict[str, SpeakerGroup] = {}
    for table in tables:
        for entry in table.speakers:
            key = fold_name(entry.name)
            group = groups.get(key)
            if group is None:
                group = groups[key] = SpeakerGroup(entry.name, entry.type, [], 0, {})
            _merge_entry(group, entry, table.article_id)
    lex = default_lexicons()
    persons = {k: _name_key(k.split(), lex) for k, g in groups.items() if g.type == PERSON}
    for key, words in sorted(persons.items(), key=lambda kv: len(kv[1])):
        if key not in groups or not words:
            continue
        fuller = [k for k, w in persons.items() if k in groups and k != key and len(w) > len(words)
                  and w[-len(words):] == words]
        maximal = [k for k in fuller if not any(persons[o][-len(persons[k]):] == persons[k]
                                                and len(persons[o]) > len(persons[k]) for o in fuller)]
        if len(maximal) == 1:
            target, short = groups[maximal[0]], groups.pop(key)
            for alias in short.aliases:
                if alias not in target.aliases:
                    target.aliases.append(alias)
            target.claims += short.claims
            for article_id, n in short.articles.items():
                target.articles[article_id] = target.articles.get(article_id, 0) + n
    return sorted(groups.values(), key=lambda g: (-g.claims, g.name.lower()))


def _merge_entry(group: SpeakerGroup, entry: SpeakerEntry, article_id: str) -> None:
    for alias in [entry.name, *entry.aliases]:
        if alias not in group.aliases:
            group.aliases.append(alias)
    group.claims += entry.claims
    group.articles[article_id] = group.articles.get(article_id, 0) + entry.claims
    if group.type is None:
        group.type = entry.type


# --------------------------------------------------------------------------- generator path

# how much text before an unresolved mention the generator is shown
_PROPOSE_CONTEXT_CHARS = 1500
_MAX_NAME_WORDS = 8


def grounded_name(answer: str, text: str) -> str | None:
    """The name a generated ``answer`` gives, as it is written in ``text``, or None. Only
    the answer's first line counts, without a leading "Answer:", quotes or end
    punctuation; it must start with a capital letter, be at most a few words, not be a
    pronoun, and occur in ``text`` as whole words, exactly as written there."""
    line = answer.strip().split("\n", 1)[0].strip()
    line = re.sub(r"^(answer|speaker)\s*:\s*", "", line, flags=re.IGNORECASE)
    line = line.strip("\"'“”‘’.,;:!? ")
    if not line or not line[0].isupper() or len(line.split()) > _MAX_NAME_WORDS or line.lower() in PRONOUNS:
        return None
    found = re.search(r"(?<!\w)" + re.escape(line) + r"(?!\w)", text)
    return found.group(0) if found else None


def generator_proposer(generator: Any) -> ProposeSpeaker:
    """A ``propose`` callback for ``resolve_speakers`` that asks ``generator`` (anything
    with ``generate(prompts) -> list[str]``, e.g. ``assistant.generate.Generator``) who an
    unresolved mention refers to, with the ``speaker`` prompt over the text up to the end
    of the claim's sentence. The answer is kept only when ``grounded_name`` finds it in
    the article before the mention, so a proposed speaker always traces to source text;
    the claim's spans are never touched."""
    from ..generate import render_prompt

    def propose(article: Article, claim: Claim) -> str | None:
        if claim.speaker is None:
            return None
        start = claim.speaker.start
        end = max([article.sentences[i].end for i in claim.sentence_ids if i < len(article.sentences)]
                  + [claim.speaker.end])
        context = article.text[max(0, start - _PROPOSE_CONTEXT_CHARS):end]
        prompt = render_prompt("speaker", context=context, mention=claim.speaker.text)
        answer = generator.generate([prompt])[0]
        return grounded_name(answer, article.text[:start])

    return propose


__all__ = ["SPEAKER_TYPES", "SpeakerEntry", "SpeakerTable", "SpeakerGroup", "ProposeSpeaker",
           "resolve_speakers", "speaker_table", "group_speakers", "generator_proposer", "grounded_name"]
