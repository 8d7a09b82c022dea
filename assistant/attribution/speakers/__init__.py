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
  "US Secretary of State Y") and appositions ("X, the director of ...", "an attorney for
  Y, X") give the name a role; "the PM", "the prime minister", "the director" then
  resolve to the most recent name holding that role ("former" on both or neither).
  A description that introduces someone (indefinite in the headline or lede, or owned by
  a place: "Ohio's tax commissioner") is the later holder of its role, else the person
  named next; a definite one nobody holds ("the Republican nominee") is the subject of
  the nearest earlier sentence (``nominals``).
* **Nominal speakers** are typed by their head noun: people in the plural or without a
  name ("medics", "sources close to ...", "an official") are *unnamed sources*; reports,
  media and news outlets (a short list of well-known ones plus names ending in Times,
  News, ...) are *media reports*; institutions ("the State Department", "the Israeli
  military", "Hamas", countries) are *organisations*. "the army" and "the military" merge
  with the most recent military mentioned; "the newspaper" with the most recent outlet.
  A bare plural ("medics") is the one modified form the article uses ("Palestinian
  medics"), if it uses only one; bare "reports" are "media reports". Several unnamed
  people or things ("scholars", "other studies", "a coalition of farmers") are unnamed
  sources; "the two governors" is the group of the last two people named; an
  organisation description with none of its kind named before takes the next one named;
  one owned by "his"/"her" ("his campaign") is that person's ("Lopez campaign"). An
  unnamed role description ("the governor's spokesman") holds its role for a later "the
  spokesman".
* **Phrases**: a name heading the speaker phrase (or in apposition to its head) is the
  speaker, a name that only modifies it is not ("armed wings of Hamas"); "a statement from
  X" is by X, and so is anything said or written that names its author ("X's brief", "a
  report by X", "an X memo"); "X and Y" is one group speaker, which "the officials" may
  then refer to.
* **Pronouns** (he/she/his/her -> a person; it/its -> an organisation or outlet;
  they/their -> a group, organisation or unnamed source, people in the plural first;
  who -> the noun phrase its relative clause hangs on, without the clause, else the noun
  right before it) take the
  nearest compatible antecedent: walking back sentence by sentence (a quotation's
  sentences count as one), earlier claims' speakers first, then main-clause subjects,
  then any other mention; mentions inside quotation marks are skipped, names inside claim
  contents and names that only modify a noun ("U.S. senator") rank last or not at all.
  Every he/she subject resolved on the way is a mention too, so a paragraph about one
  person carries over. He/she skip a person whose gender a title (Mr., Mrs.,
  spokeswoman), a relation word (wife) or an earlier he/she gave.
* **Headlines**: a headline cue without a subject ("..., Orders Hospital to Evacuate") is
  by the speaker of the body claim with the same cue verb.

An optional ``propose`` callback (e.g. a generator) is asked only where the rules find no
antecedent or name; it can set ``speaker_resolved`` and nothing else - spans, and so
quotation text, always come from the source.
"""
from __future__ import annotations

from .entities import SPEAKER_TYPES, ProposeSpeaker, is_pronoun
from .names import same_speaker
from .propose import generator_proposer, grounded_name
from .resolve import resolve_speakers
from .tables import SpeakerEntry, SpeakerGroup, SpeakerTable, group_speakers, speaker_table

__all__ = ["SPEAKER_TYPES", "SpeakerEntry", "SpeakerTable", "SpeakerGroup", "ProposeSpeaker",
           "resolve_speakers", "speaker_table", "group_speakers", "generator_proposer", "grounded_name",
           "is_pronoun", "same_speaker"]
