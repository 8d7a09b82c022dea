"""eval/train_relation_scorer.py: examples are labelled against gold as the eval pairs them,
and the model learns from them (invented relations)."""
from __future__ import annotations

import pytest

from assistant.attribution import attribution_pipeline
from assistant.attribution.cues import load_cue_model
from assistant.attribution.extract import opens_verb_relation
from assistant.attribution.forms.verb import relation_for_verb
from assistant.attribution.lexicons import default_lexicons
from assistant.attribution.parsed import ParsedText
from assistant.attribution.settings import ExtractionSettings
from assistant.types import Claim, Span

from eval_scripts import eval_module


@pytest.fixture(scope="module")
def train_relation_scorer():
    yield from eval_module("train_relation_scorer")


def gold(text: str, speaker: str | None, cue: str, content: str) -> Claim:
    def span(words: str) -> Span:
        start = text.index(words)
        return Span(start, start + len(words), words)
    return Claim(article_id="a", content=span(content), kind="indirect", speaker=span(speaker) if speaker else None,
                 cue=span(cue))


TEXT = "The mayor insisted that the ferry would sail in May."


@pytest.mark.parametrize("relation, expected", [
    (("The mayor", "insisted", "that the ferry would sail in May"), 1),
    (("The mayor", "insisted", "the ferry would sail"), 1),  # every role on overlap
    ((None, "insisted", "that the ferry would sail in May"), 0),  # a source on one side only
    (("The mayor", "sail", "in May"), 0),  # another cue
])
def test_an_example_is_positive_when_a_gold_relation_pairs_with_it_on_overlap(
        train_relation_scorer, relation, expected):
    parse = ParsedText(attribution_pipeline()(TEXT), load_cue_model(), settings=ExtractionSettings(),
                       lexicons=default_lexicons())
    tok = next(t for t in parse.doc if t.text == "insisted")
    assert opens_verb_relation(parse, tok, 0.0)
    found = relation_for_verb(parse, tok)
    assert train_relation_scorer.label(parse.doc, found, [gold(TEXT, *relation)]) == expected


def test_fit_learns_which_relations_stand(train_relation_scorer):
    examples = [(["bias", "S=finite", "L=insist"], 1), (["bias", "S=noun", "L=release"], 0)] * 5
    scorer = train_relation_scorer.fit_relation_scorer(examples, C=1.0, floor=0.1, threshold=0.4, veto=0.15)
    assert scorer.probability(["bias", "S=finite", "L=insist"]) > 0.5 > scorer.probability(["bias", "S=noun"])
    assert (scorer.floor, scorer.threshold, scorer.veto) == (0.1, 0.4, 0.15)
