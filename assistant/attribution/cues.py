"""Deciding which words are attribution cues.

A linear model over parse features of each candidate word (its lemma, part of speech,
dependency label, the word it hangs on, its subject, complements and prepositions, whether it
sits inside a quotation...). It is learned from PolNeAR train by ``eval/train_cues.py`` and
shipped as ``data/cue_model.json`` (feature weights and lemma statistics only, no corpus
text). Scoring a word is a dictionary look-up per feature, so it costs next to nothing
beside the parse.
"""
from __future__ import annotations

import math
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from ..fileio import read_model_json
from .lexicons import LEXICON_DIR, read_entries
from .text import QUOTE_TOKENS, stem_candidates

MODEL_PATH = Path(__file__).parent / "data" / "cue_model.json"
CANDIDATE_POS = ("VERB", "NOUN", "AUX", "ADJ")
_FIRST_PERSON = {"i", "we", "me", "us"}
_THIRD_PRONOUNS = {"he", "she", "they", "it", "who"}
_COMPLEMENT_DEPS = ("acomp", "attr", "dobj", "xcomp", "oprd")
_CLAUSE_MARKS = ("that", "whether", "if")
# verbs of saying, believing and wanting (the file says how the list was made); a feature of
# the model, so it is read with this code, not carried with the other word lists
REPORTING_VERBS = frozenset(read_entries((LEXICON_DIR / "reporting_verbs.txt").read_text(encoding="utf-8")))


def is_candidate(tok: Any) -> bool:
    """Words the model is asked about: verbs, nouns and adjectives that are not stop words
    of no reporting sense ("be", "have", "do" as auxiliaries)."""
    if tok.pos_ not in CANDIDATE_POS:
        return False
    return not (tok.pos_ == "AUX" and tok.dep_ in ("aux", "auxpass"))


def clause_marks(clause: Any) -> list[str]:
    """The conjunctions ("that", "whether", "if") opening ``clause``: "the claim that ...",
    "asked whether ...", but not a relative pronoun ("the plan that he made")."""
    return [g.lower_ for g in clause.children if g.dep_ == "mark" and g.i < clause.i and g.lower_ in _CLAUSE_MARKS]


def light_objects(verb: Any) -> Iterator[tuple[Any, str, Any]]:
    """The object nouns after ``verb`` that could join its cue were it a light verb, each
    with what follows it: ("prep", the preposition right after it: "voiced support for"),
    ("participle", an -ing clause on it: "issued a statement saying") or ("clause", a
    that-clause: "expressed concern that"). The trainer counts these in gold cues, and the
    engine builds the cue from them, so both read the same construction."""
    for obj in verb.children:
        if obj.dep_ != "dobj" or obj.pos_ != "NOUN" or obj.i < verb.i:
            continue
        after = [c for c in obj.children if c.i > obj.i]
        prep = next((c for c in after if c.dep_ == "prep" and c.i == obj.i + 1), None)
        participle = next((c for c in after if c.dep_ == "acl" and c.tag_ == "VBG"), None)
        clause = next((c for c in after if c.dep_ in ("acl", "ccomp") and clause_marks(c)), None)
        if prep is not None:
            yield obj, "prep", prep
        elif participle is not None:
            yield obj, "participle", participle
        elif clause is not None:
            yield obj, "clause", clause


def cue_features(tok: Any, in_quote: bool) -> list[str]:
    """Sparse binary features of a candidate cue word."""
    lemma = tok.lemma_.lower()
    children = list(tok.children)
    deps = {c.dep_ for c in children}
    subj = next((c for c in children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None:
        subj_kind = "none"
    elif subj.lower_ in _FIRST_PERSON:
        subj_kind = "first"
    elif subj.lower_ in _THIRD_PRONOUNS:
        subj_kind = "pron3"
    elif subj.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        subj_kind = "ent"
    else:
        subj_kind = subj.pos_
    comp = ("ccomp" if "ccomp" in deps else "xcomp" if "xcomp" in deps
            else "dobj" if "dobj" in deps else "prep" if "prep" in deps else "none")
    nxt = tok.nbor(1).lower_ if tok.i + 1 < len(tok.doc) else "<end>"
    prev = tok.nbor(-1).lower_ if tok.i > 0 else "<start>"
    quote = "q" if in_quote else "nq"
    poss = "poss" if "poss" in deps else "noposs"
    # the complement of a copula or light verb carries the meaning ("is skeptical of",
    # "made the case", "has been a critic")
    complements = [f"{c.dep_}|{c.lemma_.lower()}" for c in children if c.dep_ in _COMPLEMENT_DEPS]
    lexicon = [f"LEX|{comp}", f"LEX|{subj_kind}", f"LEX|{tok.pos_}"] if lemma in REPORTING_VERBS else []
    # the word it hangs on ("voiced support"), the prepositions and clauses hanging on it
    # ("criticism of", "a statement saying"), and the word its subject is ("officials said")
    context = [f"H={tok.head.lemma_.lower()}|{tok.dep_}", f"LH={lemma}|{tok.head.lemma_.lower()}"]
    for c in children:
        if c.dep_ == "prep":
            context += [f"PREP={c.lower_}", f"LPREP={lemma}|{c.lower_}"]
        elif c.dep_ in ("acl", "relcl"):
            context.append(f"ACL={c.dep_}|{c.lemma_.lower()}")
        if c.dep_ in ("acl", "ccomp") and c.i > tok.i:
            # "the claim that ...", "asked whether ...": a clause the word introduces
            context += [f for m in clause_marks(c) for f in (f"TC={m}", f"LTC={lemma}|{m}", f"PTC={tok.pos_}|{m}")]
    if subj is not None:
        context += [f"SL={subj.lemma_.lower()}", f"LSL={lemma}|{subj.lemma_.lower()}"]
    # a quotation mark just before the word or just after it ("...," she quipped; he
    # wrote: "..."): a sign of a cue even for a word the training news rarely used
    before, after = _quote_within(tok, -5), _quote_within(tok, 3)
    return [
        f"QB={before}", f"QA={after}", f"PQB={tok.pos_}|{before}|{after}", f"DQ={tok.dep_}|{before}|{after}",
        *lexicon,
        *context,
        *(f"O={c}" for c in complements),
        *(f"LO={lemma}|{c}" for c in complements),
        "bias",
        f"L={lemma}",
        f"P={tok.pos_}",
        f"T={tok.tag_}",
        f"D={tok.dep_}",
        f"LP={lemma}|{tok.pos_}",
        f"LD={lemma}|{tok.dep_}",
        f"LT={lemma}|{tok.tag_}",
        f"LC={lemma}|{comp}",
        f"LS={lemma}|{subj_kind}",
        f"LQ={lemma}|{quote}",
        f"LN={lemma}|{nxt}",
        f"LPR={lemma}|{prev}",
        f"LPO={lemma}|{poss}",
        f"C={comp}",
        f"S={subj_kind}",
        f"Q={quote}",
        f"SQ={subj_kind}|{quote}",
        f"DC={tok.dep_}|{comp}",
        f"PC={tok.pos_}|{comp}|{subj_kind}",
        f"HD={tok.head.dep_}|{tok.dep_}",
    ]


def _quote_within(tok: Any, steps: int) -> bool:
    """Whether a quotation mark stands within ``steps`` words before (negative) or after
    ``tok`` in its sentence. Walks the tokens: ``tok.sent`` would cost more than the rest
    of the features together."""
    doc, i = tok.doc, tok.i
    if steps < 0:
        for _ in range(-steps):
            if doc[i].is_sent_start:
                return False
            i -= 1
            if doc[i].text in QUOTE_TOKENS:
                return True
        return False
    for i in range(tok.i + 1, min(len(doc), tok.i + steps + 1)):
        if doc[i].is_sent_start:
            return False
        if doc[i].text in QUOTE_TOKENS:
            return True
    return False


@dataclass
class CueModel:
    """Feature weights of a logistic model, the prepositions each cue lemma takes, the
    light verbs: cue verbs whose object noun belongs to the cue ("voiced support for",
    "issued a statement saying"), and the verbs whose infinitive belongs to the cue
    ("tried to argue")."""

    weights: dict[str, float]
    threshold: float = 0.5
    prepositions: dict[str, list[str]] = field(default_factory=dict)
    light_verbs: list[str] = field(default_factory=list)
    infinitive_verbs: list[str] = field(default_factory=list)

    def probability(self, tok: Any, in_quote: bool) -> float:
        score = sum(self.weights.get(f, 0.0) for f in cue_features(tok, in_quote))
        return 1.0 / (1.0 + math.exp(-max(min(score, 30.0), -30.0)))

    def is_cue(self, tok: Any, in_quote: bool) -> bool:
        return is_candidate(tok) and self.probability(tok, in_quote) >= self.threshold

    def lemma_weight(self, lemma: str) -> float:
        """The model's weight for the lemma alone: above 0 when the word is a cue more
        often than the average candidate."""
        return self.weights.get(f"L={lemma}", 0.0)

    def knows_word(self, word: str) -> bool:
        """Whether ``word`` (or its stem without -s, -es, -ed, -ing) is a lemma the model
        saw as a verb, noun or adjective."""
        return any(s and s in self.lemmas for s in stem_candidates(word))

    @cached_property
    def lemmas(self) -> frozenset[str]:
        return frozenset(f[2:] for f in self.weights if f.startswith("L="))

    def takes_preposition(self, lemma: str, word: str) -> bool:
        return word in self.prepositions.get(lemma, ())

    def is_light_verb(self, lemma: str) -> bool:
        return lemma in self._light_verbs

    @cached_property
    def _light_verbs(self) -> frozenset[str]:
        return frozenset(self.light_verbs)

    def joins_infinitive(self, lemma: str) -> bool:
        """Whether the infinitive after this cue verb belongs to the cue ("tried to argue")."""
        return lemma in self._infinitive_verbs

    @cached_property
    def _infinitive_verbs(self) -> frozenset[str]:
        return frozenset(self.infinitive_verbs)

    def to_dict(self, min_weight: float = 0.0) -> dict[str, Any]:
        """Plain data; weights smaller than ``min_weight`` are left out."""
        return {"threshold": self.threshold, "prepositions": self.prepositions, "light_verbs": self.light_verbs,
                "infinitive_verbs": self.infinitive_verbs,
                "weights": {k: round(v, 4) for k, v in sorted(self.weights.items()) if abs(v) >= max(min_weight, 1e-4)}}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "CueModel":
        return cls(weights=dict(d["weights"]), threshold=float(d.get("threshold", 0.5)),
                   prepositions={k: list(v) for k, v in d.get("prepositions", {}).items()},
                   light_verbs=list(d.get("light_verbs", [])),
                   infinitive_verbs=list(d.get("infinitive_verbs", [])))


def load_cue_model(path: Path | None = None) -> CueModel:
    """The shipped cue model, or the one at ``path`` / $ASSISTANT_CUE_MODEL (for
    development runs with a model trained on part of the data)."""
    return _load_cue_model(Path(path or os.environ.get("ASSISTANT_CUE_MODEL") or MODEL_PATH))


@lru_cache(maxsize=4)
def _load_cue_model(path: Path) -> CueModel:
    return CueModel.from_dict(read_model_json(path, "cue model", "eval/train_cues.py"))
