"""Speaker tables: the speakers of one article, and speakers grouped across articles."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ...types import Article, Claim
from ..lexicons import default_lexicons
from ..text import fold_name
from .entities import PERSON, PRONOUN_GENDER, is_pronoun
from .names import given_name_gender, name_key


@dataclass
class SpeakerEntry:
    """One row of a speaker table."""

    name: str
    type: str | None
    aliases: list[str]
    claims: int
    # "m" / "f" when the article tells (a title, a given name, the he/she resolved to it)
    gender: str | None = field(default=None, compare=False)

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
    gender: str | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "aliases": list(self.aliases),
                "claims": self.claims, "articles": dict(self.articles)}


def speaker_table(article: Article, claims: Sequence[Claim]) -> SpeakerTable:
    """Speakers of one article's resolved claims: each canonical name with the surface
    forms used for it (pronouns left out), its type and how many claims it has. A pronoun
    no rule resolved is no speaker ("she" is never a name)."""
    by_name: dict[str, SpeakerEntry] = {}
    genders: dict[str, set[str]] = {}
    lex = default_lexicons()
    for claim in claims:
        written = " ".join(claim.speaker.text.split()) if claim.speaker else ""
        name = claim.speaker_resolved or (written if written and not is_pronoun(written) else None)
        if not name:
            continue
        key = fold_name(name)
        entry = by_name.get(key)
        if entry is None:
            entry = by_name[key] = SpeakerEntry(name, claim.speaker_type, [name], 0)
            genders[key] = {g for g in (given_name_gender(name, lex),) if g}
        entry.claims += 1
        if entry.type is None:
            entry.type = claim.speaker_type
        if written:
            told = PRONOUN_GENDER.get(written.lower()) or lex.gendered_words.get(written.split()[0].lower())
            genders[key] |= {told} if told else set()
            if not is_pronoun(written) and written not in entry.aliases:
                entry.aliases.append(written)
    for key, entry in by_name.items():
        entry.gender = next(iter(genders[key])) if len(genders[key]) == 1 else None
    speakers = sorted(by_name.values(), key=lambda e: (-e.claims, e.name.lower()))
    return SpeakerTable(article.id, speakers)


def group_speakers(tables: Iterable[SpeakerTable]) -> list[SpeakerGroup]:
    """Speakers across articles: the same canonical name (case-insensitively) is one
    speaker, and a person's shorter name ("Sudani") joins a fuller one ("Mohammed Shia
    al-Sudani") only when exactly one fuller name of a compatible gender ends with it
    ("Obama", whom an article calls "he", is not "Michelle Obama"); names that differ only
    by a middle initial are one speaker. Most claims first."""
    groups: dict[str, SpeakerGroup] = {}
    for table in tables:
        for entry in table.speakers:
            key = fold_name(entry.name)
            group = groups.get(key)
            if group is None:
                group = groups[key] = SpeakerGroup(entry.name, entry.type, [], 0, {})
            _merge_entry(group, entry, table.article_id)
    lex = default_lexicons()
    # one person's names; a group speaker ("Obama and Clinton") neither joins nor takes in
    persons = {k: name_key(k.split(), lex) for k, g in groups.items()
               if g.type == PERSON and not {"and", "&"} & set(k.split())}
    for key, words in sorted(persons.items(), key=lambda kv: len(kv[1])):
        if key not in groups or not words:
            continue
        # a fuller name ending with it, or the same name spelt with a middle initial
        # ("Donald J. Trump"), the larger group taking in the smaller
        fuller = [k for k, w in persons.items() if k in groups and k != key and w[-len(words):] == words
                  and (len(w) > len(words) or groups[k].claims >= groups[key].claims)]
        maximal = [k for k in fuller if not any(persons[o][-len(persons[k]):] == persons[k]
                                                and len(persons[o]) > len(persons[k]) for o in fuller)
                   and not (groups[key].gender and groups[k].gender and groups[k].gender != groups[key].gender)]
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
    if group.gender is None:
        group.gender = entry.gender
