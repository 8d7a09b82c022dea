"""The engine's thresholds, in one place: the components' configs (``default_config`` is
made from these defaults) and what ``find_relations`` and ``resolve_speakers`` read."""
from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class ExtractionSettings:
    # the cue probability a word needs to open a relation; None: the cue model's own, chosen
    # with it (eval/train_cues.py --threshold)
    cue_threshold: float | None = None
    # the longest "Name:" that opens a line as an attribution
    colon_source_max: int = 5
    # a quotation of at least this many words that no relation reports takes as its cue the
    # likeliest cue word of its sentence, when that word is at least this likely a cue (chosen
    # in cross-validation on PolNeAR train: floors 0.03, 0.1 and 0.25 differ by at most 0.002)
    orphan_quote_words: int = 4
    orphan_quote_floor: float = 0.25
    # how much likelier a cue inside another relation's content must be to displace it (chosen
    # in cross-validation on PolNeAR train: margins 0, 0.1 and 0.3 score within 0.001; -0.2,
    # letting even a less likely inner cue win, scores lower)
    displacing_margin: float = 0.1
    # how likely a cue an infinitive after a cue must be, in its own context, to join the cue
    # ("continued to warn") rather than be its content ("planned to challenge the ruling"):
    # chosen in cross-validation on PolNeAR train: floors 0.02, 0.05, 0.1, 0.2 and 0.3 gain 37,
    # 47, 33, 30 and 25 exact cues over no floor
    reported_infinitive_floor: float = 0.05
    # the contextual tagger reads a sentence when the linear model gives one of its candidates
    # a probability in this range; outside it the linear model is rarely wrong (9 in 10 of its
    # errors in train cross-validation fall in sentences that have such a candidate, a little
    # over half the words)
    tagger_unsure_low: float = 0.1
    tagger_unsure_high: float = 0.9
    # a first line of at least this many words, at most this long, with at least this share of
    # its words capitalised is a Title Case headline, which the parser reads as one long name
    # ("Minister Says Talks Failed"): it is parsed again in sentence case
    headline_min_words: int = 4
    headline_max_chars: int = 300
    headline_capitalised_share: float = 0.75
    # whether the relation model (``relation_scorer``) judges verbal relations on their spans
    relation_model: bool = True

    def to_config(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class SpeakerSettings:
    # how many sentences back a pronoun looks for its antecedent
    pronoun_window: int = 4

    def to_config(self) -> dict:
        return asdict(self)
