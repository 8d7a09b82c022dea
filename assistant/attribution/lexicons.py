"""The word lists of the attribution engine, as data files: ``data/lexicons/NAME.txt``, one
entry a line, ``#`` lines are notes; in a mapping, a tab parts the word from its value.

``Lexicons`` holds the lists the extraction and the speaker resolution read; the spaCy
components carry them in ``to_disk``/``from_disk``. ``reporting_verbs.txt`` is the cue
model's (its features name it), so it is read with the model's code, not from here.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path

LEXICON_DIR = Path(__file__).parent / "data" / "lexicons"


def read_entries(text: str) -> list[str]:
    """The entries of a word-list file: its lines without notes and blank lines."""
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


@dataclass(frozen=True)
class Lexicons:
    """Every list is a field, read from the file of the same name (notes: in the files)."""

    # extraction
    raising_verbs: frozenset[str]
    addressee_verbs: frozenset[str]
    report_adverbs: frozenset[str]
    medium_nouns: frozenset[str]
    cue_prepositions: frozenset[str]
    circumstance_prepositions: frozenset[str]
    circumstance_marks: frozenset[str]
    weekdays: frozenset[str]
    survey_nouns: frozenset[str]
    page_labels: frozenset[str]
    # speakers
    honorifics: frozenset[str]
    role_words: frozenset[str]
    title_abbreviations: dict[str, str]
    non_name_titles: frozenset[str]
    gendered_words: dict[str, str]
    people_nouns: frozenset[str]  # the role words included
    media_nouns: frozenset[str]
    organisation_nouns: frozenset[str]
    noun_classes: dict[str, str]
    media_name_words: frozenset[str]
    media_outlets: frozenset[str]
    statement_nouns: frozenset[str]
    role_synonyms: dict[str, str]
    organisation_kinds: dict[str, str]  # noun -> the words that head such organisations' names
    first_names: dict[str, str]
    epithets: frozenset[str]
    passing_modifiers: frozenset[str]
    place_nouns: frozenset[str]
    name_suffixes: frozenset[str]
    # the files as read, notes included, for ``write``
    texts: dict[str, str] = field(repr=False, compare=False, default_factory=dict)

    @classmethod
    def read(cls, directory: Path) -> "Lexicons":
        texts = {f.name: (Path(directory) / f"{f.name}.txt").read_text(encoding="utf-8")
                 for f in fields(cls) if f.name != "texts"}
        values: dict[str, frozenset[str] | dict[str, str]] = {}
        for f in fields(cls):
            if f.name == "texts":
                continue
            entries = read_entries(texts[f.name])
            if str(f.type).startswith("dict"):
                values[f.name] = dict(entry.split("\t", 1) for entry in entries)
            else:
                values[f.name] = frozenset(entries)
        values["people_nouns"] = values["people_nouns"] | values["role_words"]
        return cls(**values, texts=texts)

    def write(self, directory: Path) -> None:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        for name, text in self.texts.items():
            (directory / f"{name}.txt").write_text(text, encoding="utf-8")


@lru_cache(maxsize=1)
def default_lexicons() -> Lexicons:
    """The package's lists, read once."""
    return Lexicons.read(LEXICON_DIR)
