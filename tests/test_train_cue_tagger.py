"""eval/train_cue_tagger.py: the contextual tagger is fine-tuned on gold relations (here
invented ones) and saved in the shipped format."""
from __future__ import annotations

import pytest

from assistant.attribution import attribution_pipeline
from assistant.attribution.tagger import read_tagger, save_tagger

from eval_scripts import eval_module
from test_train_cues import SENTENCES, relation


@pytest.fixture(scope="module")
def train_tagger():
    yield from eval_module("train_cue_tagger")


def test_sentences_are_labelled_on_candidates_only(train_tagger):
    nlp = attribution_pipeline()
    text = "The mayor said the bridge would reopen. Yes."
    tagged = train_tagger.tagged_sentences(nlp(text), [relation(text, "The mayor", "said", "the bridge would reopen")])
    assert len(tagged) == 1  # "Yes." has no candidate word
    labels = dict(zip(tagged[0].words, tagged[0].labels))
    assert labels["said"] == 1 and labels["bridge"] == 0 and labels["the"] == -1


def test_fine_tuning_learns_cue_words_from_gold(train_tagger, tmp_path):
    nlp = attribution_pipeline()
    sentences = [s for text, speaker, cue, content in SENTENCES
                 for s in train_tagger.tagged_sentences(nlp(text), [relation(text, speaker, cue, content)] if cue else [])]
    network = train_tagger.fit_cue_tagger(sentences, layers=1, epochs=15, lr=1e-3, batch_size=4, progress=False)
    save_tagger(network, tmp_path / "tagger.safetensors")
    tagger = read_tagger(tmp_path / "tagger.safetensors", quantize=False)
    words = ["The", "council", "said", "the", "park", "would", "open", "."]
    scores = tagger.logits([words])[0]
    assert scores[2] > 0 > max(scores[1], scores[4], scores[6])  # "said" against "council", "park", "open"
