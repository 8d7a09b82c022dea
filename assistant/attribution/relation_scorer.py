"""Deciding whether a relation a cue word opens is one, on the whole relation.

The cue model (``cues``) scores a word on its parse neighbours before any span is found.
Once the verb form has found the relation's source and content, more is known: whether the
content is a clause or a noun phrase, how long it is, whether it quotes, who the source is,
whether the cue is hedged or denied, stands in the headline, or reports a content that holds
a likely cue of its own, and how far the content stands from it. This small logistic model scores the relation on those, with the cue's probability among
them; the engine asks it about every relation whose cue word is at least ``floor`` likely,
so it both rescues relations of words the cue model was unsure of ("she lamented that ...")
and drops ones whose spans give them away ("released a video"). Learned from PolNeAR train
by ``eval/train_relation_scorer.py`` on relations found by cue models that had not seen
their articles, and shipped as ``data/relation_model.json`` (weights only).
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..fileio import read_model_json
from .cues import is_candidate
from .relation import Relation

RELATION_MODEL_PATH = Path(__file__).parent / "data" / "relation_model.json"
_PROBABILITY_STEPS = 20  # the cue probability is read in twentieths


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    """The first edge ``n`` is at most, or the last one with a plus."""
    return next((str(e) for e in edges if n <= e), f"{edges[-1]}+")


def _span_tokens(doc, pieces) -> list:
    return [t for a, b in pieces for t in (doc.char_span(a, b, alignment_mode="expand") or ())]


def relation_features(parse: Any, tok: Any, rel: Relation, probability: float) -> list[str]:
    """Sparse binary features of the relation ``rel`` that the cue word ``tok`` opens, the
    cue being ``probability`` likely where it stands."""
    doc = parse.doc
    lemma = tok.lemma_.lower()
    step = min(int(probability * _PROBABILITY_STEPS), _PROBABILITY_STEPS - 1)
    content = _span_tokens(doc, rel.content)
    words = [t for t in content if not t.is_punct and not t.is_space]
    roots = [t for t in content if t.head.i == t.i or t.head.i not in {c.i for c in content}]
    root = roots[0] if roots else tok
    shape = ("clause" if any(t.pos_ in ("VERB", "AUX") for t in roots) or root.dep_ in ("ccomp", "xcomp", "advcl")
             else "noun")
    if shape == "clause" and any(c.dep_ in ("nsubj", "nsubjpass", "expl") for r in roots for c in r.children):
        shape = "finite"  # a clause with its own subject
    first = content[0].lower_ if content else ""
    opener = first if first in ("that", "whether", "if", "to", "how", "what", "why") else \
        "quote" if first in ("“", '"', "‘", "'") else "other"
    position = "before" if rel.content[0][0] < rel.cue[0][0] else "after"
    if rel.source:
        source = _span_tokens(doc, rel.source)
        head = next((t for t in source if t.head.i == t.i or t.head.i not in {s.i for s in source}), source[0]) \
            if source else None
        if head is None:
            source_kind = "none"
        elif head.pos_ == "PRON":
            source_kind = "pron_" + ("first" if head.lower_ in ("i", "we") else "it" if head.lower_ in ("it", "this", "that")
                                     else "person")
        elif head.ent_type_:
            source_kind = head.ent_type_
        else:
            # a common noun that can speak ("officials", "the agency") or not ("the report")
            noun = head.lemma_.lower()
            source_kind = head.pos_ + ("_person" if noun in parse.lex.people_nouns else
                                       "_org" if noun in parse.lex.organisation_nouns | parse.lex.media_nouns else "")
    else:
        source_kind = "none"
    length = _bucket(len(words), (2, 4, 8, 16, 32))
    kind = rel.kind
    cue_words = {t.lower_ for t in _span_tokens(doc, rel.cue)}
    # "would say", "did not say": a report hedged or denied is marked less often
    hedge = "neg" if cue_words & {"not", "n't", "never"} else \
        "modal" if cue_words & {"would", "could", "might", "may", "will", "should", "can"} else "plain"
    headline = "\n" not in parse.text[:rel.cue[0][0]]
    # a likely cue inside the content: a report about a report, or two reports run together
    inner = any(t.i != tok.i and is_candidate(t) and parse.probability(t) >= parse.cue_threshold for t in content)
    # words and marks between the cue and the content ("said that", "“...,” she said")
    between = (rel.cue[-1][1], rel.content[0][0]) if position == "after" else \
        (max((b for a, b in rel.content if b <= rel.cue[0][0]), default=rel.cue[0][0]), rel.cue[0][0])
    gap = _bucket(len(doc.char_span(*between, alignment_mode="expand") or ()) if between[0] < between[1] else 0,
                  (0, 1, 3, 8))
    source_noun = f"{head.lemma_.lower()}" if rel.source and head is not None and head.pos_ == "NOUN" else "-"
    before = doc[tok.i - 1] if tok.i > 0 else None
    # what stands right before the cue word: "to" ("wants to say"), a relative pronoun, a comma
    lead = "-" if before is None else before.lower_ if before.lower_ in ("to", "who", "which", "that", ",", "and", "but") \
        else before.pos_
    return [
        "bias",
        f"P={step}",
        f"L={lemma}",
        f"LS={lemma}|{shape}",
        f"LO={lemma}|{opener}",
        f"LK={lemma}|{kind}",
        f"LSRC={lemma}|{source_kind}",
        f"S={shape}",
        f"O={opener}",
        f"K={kind}",
        f"N={length}",
        f"SN={shape}|{length}",
        f"POS={position}",
        f"SRC={source_kind}",
        f"SRCS={source_kind}|{shape}",
        f"PS={step}|{shape}",
        f"PSRC={step}|{'none' if source_kind == 'none' else 'some'}",
        f"CP={tok.pos_}|{tok.tag_}",
        f"CD={tok.dep_}",
        f"RD={root.dep_}|{root.pos_}",
        f"LRD={lemma}|{root.dep_}",
        f"H={hedge}",
        f"LH={lemma}|{hedge}",
        f"HL={headline}|{shape}",
        f"IN={inner}|{kind}",
        f"G={gap}|{position}",
        f"SNN={source_noun}",
        f"LHL={lemma}|{headline}",
        f"B={lead}",
        f"CDP={tok.dep_}|{position}",
        f"SRCP={source_kind}|{position}",
    ]


@dataclass
class RelationScorer:
    """Weights of a logistic model over ``relation_features``. A relation whose cue word is
    at least ``floor`` likely but below the cue threshold stands when the model gives it at
    least ``threshold``; one whose cue word is a cue falls when the model gives it less
    than ``veto`` (lower: a relation found by its cue word is dropped only on clear signs,
    which keeps the relations right in some roles but not all, which the roles' scores
    count)."""

    weights: dict[str, float]
    floor: float = 0.1
    threshold: float = 0.4
    veto: float = 0.22

    def probability(self, features: list[str]) -> float:
        score = sum(self.weights.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-max(min(score, 30.0), -30.0)))

    def keeps(self, parse: Any, tok: Any, rel: Relation, probability: float, is_cue: bool) -> bool:
        """Whether the relation ``rel`` that ``tok`` opens stands, the word being
        ``probability`` likely a cue, and a cue (``is_cue``) or not."""
        needed = self.veto if is_cue else self.threshold
        return self.probability(relation_features(parse, tok, rel, probability)) >= needed

    def to_dict(self, min_weight: float = 0.0) -> dict[str, Any]:
        return {"floor": self.floor, "threshold": self.threshold, "veto": self.veto,
                "weights": {k: round(v, 4) for k, v in sorted(self.weights.items()) if abs(v) >= max(min_weight, 1e-4)}}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "RelationScorer":
        return cls(weights=dict(d["weights"]), floor=float(d["floor"]), threshold=float(d["threshold"]),
                   veto=float(d["veto"]))


def load_relation_scorer(path: Path | None = None) -> RelationScorer:
    """The shipped relation model, or the one at ``path`` / $ASSISTANT_RELATION_MODEL."""
    return _load(Path(path or os.environ.get("ASSISTANT_RELATION_MODEL") or RELATION_MODEL_PATH))


@lru_cache(maxsize=4)
def _load(path: Path) -> RelationScorer:
    return RelationScorer.from_dict(read_model_json(path, "relation model", "eval/train_relation_scorer.py"))
