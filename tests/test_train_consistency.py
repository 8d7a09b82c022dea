"""eval/consistency_pairs.py and eval/train_consistency.py: the synthetic edits on sentences
written here, the partial-label loss, and a training run that writes a loadable model."""
from __future__ import annotations

import random

import pytest

from eval_scripts import eval_module


@pytest.fixture(scope="module")
def pairs_module():
    yield from eval_module("consistency_pairs")


@pytest.fixture(scope="module")
def train(pairs_module):
    yield from eval_module("train_consistency")


@pytest.fixture(scope="module")
def nlp():
    from assistant.models import load_spacy

    return load_spacy()


def sent(nlp, text):
    return next(iter(nlp(text).sents))


def test_negation_is_added_or_removed(nlp, pairs_module):
    assert pairs_module.negate(sent(nlp, "The council approved the budget.")) == "The council did not approve the budget."
    assert pairs_module.negate(sent(nlp, "The mayor will attend the ceremony.")) == "The mayor will not attend the ceremony."
    assert pairs_module.negate(sent(nlp, "The mayor will not attend the ceremony.")) == "The mayor will attend the ceremony."


def test_subject_and_object_are_swapped(nlp, pairs_module):
    assert pairs_module.swap_roles(sent(nlp, "Rebels attacked the convoy near the border.")) == \
        "The convoy attacked Rebels near the border."


def test_a_number_is_changed(nlp, pairs_module):
    random.seed(0)
    edited = pairs_module.change_number(sent(nlp, "Rescue teams evacuated 2,400 people."))
    assert edited != "Rescue teams evacuated 2,400 people." and "2,400" not in edited and "people" in edited


def test_a_compression_keeps_the_core(nlp, pairs_module):
    random.seed(1)
    edited = pairs_module.compress(sent(nlp, "The governor, who took office in May, visited the flooded villages on Tuesday."))
    assert edited and len(edited) < 80 and "governor" in edited and "visited" in edited


def test_misattribution_gives_the_content_to_another_speaker(pairs_module):
    random.seed(0)
    att = pairs_module.Attribution(0, "The mayor", "the bridge would reopen in May")
    edits = list(pairs_module.attribution_edits(att, ["The mayor", "Engineers"]))
    labels = {origin: label for _, label, origin in edits}
    assert labels == {"content-alone": pairs_module.ENTAIL, "reattributed": pairs_module.ENTAIL,
                      "misattributed": pairs_module.CONTRADICT}
    assert next(h for h, _, o in edits if o == "misattributed") == "Engineers said the bridge would reopen in May"


def test_partial_label_loss_only_asks_that_entailment_be_unlikely(pairs_module, train):
    import torch

    logits = torch.tensor([[2.0, 0.0, 0.0], [2.0, 0.0, 0.0], [-2.0, 1.0, 0.0]])
    not_entail = torch.tensor([pairs_module.NOT_ENTAIL])
    assert train.partial_label_loss(logits[2:], not_entail) < train.partial_label_loss(logits[:1], not_entail)
    # neutral or contradiction: the loss does not care which
    a = train.partial_label_loss(torch.tensor([[-2.0, 3.0, 0.0]]), not_entail)
    b = train.partial_label_loss(torch.tensor([[-2.0, 0.0, 3.0]]), not_entail)
    assert torch.isclose(a, b)


def test_training_writes_a_model_that_loads(tmp_path, pairs_module, train):
    from assistant.consistency import read_model

    pair = pairs_module.Pair
    data = [pair("The council approved the budget.", "The budget was approved.", 0, "t"),
            pair("The council approved the budget.", "The council did not approve the budget.", 2, "t"),
            pair("The council approved the budget.", "The mayor resigned.", 1, "t"),
            pair("A dog barked.", "A cat slept.", -1, "t")] * 2
    out = tmp_path / "c.safetensors"
    train.fit(data, out, layers=1, batch_size=4, progress=False)
    assert read_model(out).probabilities([("A.", "B.")]).shape == (1, 3)
