"""What speaker resolution works with: the speaker types, an article's entities and their
mentions, and which entities a pronoun can refer to."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ...types import Article, Claim
from ..lexicons import Lexicons

PERSON = "person"
ORGANISATION = "organisation"
UNNAMED = "unnamed source"
MEDIA = "media report"
SPEAKER_TYPES = (PERSON, ORGANISATION, UNNAMED, MEDIA)

# asked for a name where the rules find none (see ``propose.py``)
ProposeSpeaker = Callable[[Article, Claim], "str | None"]

# pronoun -> the kind of antecedent it accepts
PRONOUNS = {
    "he": PERSON, "she": PERSON, "him": PERSON, "his": PERSON, "her": PERSON, "hers": PERSON,
    "i": PERSON, "it": "it", "its": "it", "they": "they", "them": "they", "their": "they",
    "we": "they", "who": "who", "whom": "who", "which": "who", "that": "who",
    # the reader or someone unnamed: never resolved to an entity, never a speaker of its own
    "you": "you", "your": "you", "yours": "you",
}

PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
PLURAL_TAGS = {"NNS", "NNPS"}
DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "his", "her",
                "their", "our", "my", "your", "some", "several", "many", "two", "three",
                "one", "other", "another", "both", "all", "most"}
INDEFINITE = {"a", "an", "one", "some", "several", "many", "two", "three", "other",
               "another", "both", "all", "most"}
NAME_PREFIX = re.compile(r"^(?:al|el|ad|ar|as|an|at|az|ash)-", re.IGNORECASE)


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
    affiliations: set[str] = field(default_factory=set)  # "republican" in "Republican nominee X"


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    entity: int
    sentence: int
    salience: int  # 2: a claim's speaker, 1: a grammatical subject, 0: other


def is_pronoun(text: str) -> bool:
    """Whether a speaker span is a bare pronoun ("She", "they")."""
    return " ".join(text.split()).lower() in PRONOUNS


def pronoun_type(word: str) -> str:
    wanted = PRONOUNS.get(word)
    return {PERSON: PERSON, "it": ORGANISATION, "they": UNNAMED, "you": UNNAMED}.get(wanted, PERSON)


def compatible(entity: Entity, wanted: str, lex: Lexicons, gender: str | None = None) -> bool:
    if wanted == PERSON:
        return entity.type == PERSON and not entity.members and not (
            gender and entity.gender and gender != entity.gender)
    if wanted == "it":
        return entity.type in (ORGANISATION, MEDIA) and not looks_plural(entity.name, lex) and not entity.members
    if wanted == "they":
        return entity.type in (ORGANISATION, UNNAMED, MEDIA) or bool(entity.members)
    return True


def looks_plural(name: str, lex: Lexicons) -> bool:
    last = name.split()[-1].lower() if name.split() else ""
    return last.endswith("s") and not last.endswith(("ss", "us", "news")) and last not in lex.media_outlets \
        and not name[:1].isupper()
