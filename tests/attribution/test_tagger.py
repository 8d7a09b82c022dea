"""The contextual cue tagger: blending, word alignment, sentence selection, the file
format, its place in the engine, and the shipped weights on sentences written here."""
from __future__ import annotations

import math

import numpy as np
import pytest

from assistant.attribution.extract import find_attributions
from assistant.attribution.tagger import (CueTagger, blend, build_network, load_cue_tagger, read_tagger,
                                          save_tagger)
from assistant.corpus import make_article


@pytest.fixture(scope="module")
def one_layer():
    import torch

    torch.manual_seed(0)
    network, tokenizer = build_network(1)
    with torch.no_grad():  # a non-zero output layer, so scores differ from word to word
        network.classifier.weight.normal_(0, 0.5)
        network.classifier.bias.fill_(0.1)
    return network.eval(), tokenizer


def logit(p: float) -> float:
    return math.log(p / (1 - p))


def test_blend_averages_log_odds():
    assert blend(0.3, None) == 0.3
    assert blend(0.8, logit(0.8)) == pytest.approx(0.8)
    assert blend(0.9, -logit(0.9)) == pytest.approx(0.5)
    assert blend(0.5, logit(0.2)) == pytest.approx(1 / (1 + math.sqrt(4)))  # half of log(1/4)
    assert blend(1.0, 0.0) > 0.99 and blend(0.0, 0.0) < 0.01  # no infinite log-odds


def test_encode_maps_each_word_to_its_first_word_piece(one_layer):
    tagger = CueTagger(*one_layer)
    enc, firsts = tagger.encode([["Unbelievably", ",", "she", "\n", "said"]])
    pieces = tagger.tokenizer.convert_ids_to_tokens(enc["input_ids"][0])
    first = firsts[0]
    assert pieces[first[0]] == "un" and pieces[first[0] + 1].startswith("##")  # a word of several pieces
    assert [pieces[first[i]] for i in (1, 2, 4)] == [",", "she", "said"]
    assert first[3] is None  # white space has no word piece


def test_logits_do_not_depend_on_batching(one_layer):
    sentences = [["She", "said", "no", "."], ["The", "council", "denied", "the", "report", "today", "."], ["Yes", "."]]
    together = CueTagger(*one_layer, batch_size=8).logits(sentences)
    alone = CueTagger(*one_layer, batch_size=1).logits(sentences)
    assert [len(s) for s in together] == [4, 7, 2]
    for a, b in zip(together, alone):
        assert a == pytest.approx(b, abs=1e-4)


def test_only_sentences_with_an_unsure_candidate_are_read(nlp, one_layer):
    read = []

    class Recording(CueTagger):
        def logits(self, sentences):
            read.extend(sentences)
            return [[float(len(s))] * len(s) for s in sentences]

    first = nlp("Ana Ruiz said the dam held. The river rose overnight.")
    second = nlp("Nobody knows. The mayor hinted at a delay.")
    unsure = [list(first.sents)[0], list(second.sents)[1]]
    starts = {(id(s.doc), s.start) for s in unsure}
    band = (0.1, 0.9)
    probability = lambda t: sum(band) / 2 if (id(t.doc), t.sent.start) in starts else band[1] + 0.05  # noqa: E731
    scores = Recording(*one_layer).read([first, second], [probability, probability], band)()
    assert read == [[t.text for t in s] for s in unsure]  # both texts in one pass
    assert [set(d) for d in scores] == [{t.i for t in s} for s in unsure]
    assert scores[1][unsure[1].start] == len(unsure[1])  # each text gets its own sentences' scores


def test_saved_tagger_reads_back_with_the_same_scores(tmp_path, one_layer):
    network, tokenizer = one_layer
    path = tmp_path / "tagger.safetensors"
    save_tagger(network, path)
    sentences = [["The", "mayor", "warned", "that", "the", "bridge", "would", "close", "."]]
    expected = CueTagger(network, tokenizer).logits(sentences)[0]
    exact = read_tagger(path, quantize=False).logits(sentences)[0]
    assert exact == pytest.approx(expected, abs=0.02)  # half-precision storage
    eight_bit = read_tagger(path).logits(sentences)[0]
    assert np.corrcoef(eight_bit, expected)[0, 1] > 0.95  # 8-bit weights: close, not equal
    assert not any(name.startswith("bert.embeddings.") for name in _saved_names(path))  # the encoder's own


def _saved_names(path):
    from safetensors import safe_open

    with safe_open(str(path), framework="pt") as f:
        return list(f.keys())


def test_a_file_for_another_network_is_refused(tmp_path, one_layer):
    from safetensors.torch import save_file

    network, _ = one_layer
    tensors = {k: v for k, v in network.state_dict().items() if k.startswith("classifier.")}
    save_file(tensors, str(tmp_path / "partial.safetensors"), metadata={"encoder": "all-MiniLM-L6-v2", "layers": "1"})
    with pytest.raises(ValueError, match="not a cue tagger"):
        read_tagger(tmp_path / "partial.safetensors")


@pytest.mark.parametrize("content", [None, b"", b"\x00\xffnot a tensor file"], ids=["missing", "empty", "garbage"])
def test_an_unreadable_tagger_falls_back_to_the_linear_model_with_a_warning(tmp_path, content):
    path = tmp_path / "tagger.safetensors"
    if content is not None:
        path.write_bytes(content)
    with pytest.warns(UserWarning, match="linear cue model alone"):
        assert load_cue_tagger(path) is None


class FixedScores(CueTagger):
    """A tagger giving one log-odds to every occurrence of a word."""

    def __init__(self, word: str, score: float):
        self.word, self.score = word, score

    def read(self, docs, unsure, band, executor=None):
        return lambda: [{t.i: self.score for t in doc if t.text == self.word} for doc in docs]


def test_the_engine_blends_the_tagger_into_every_cue_decision(nlp):
    text = "Mara Ortiz said the bridge would close."
    article, doc = make_article(text=text, id="t"), nlp(text)
    assert [c.cue.text for c in find_attributions(doc, article)] == ["said"]
    assert find_attributions(doc, article, tagger=FixedScores("said", -30.0)) == []
    # a word the linear model does not take as a cue, which the tagger is sure of
    text = "The mayor has the view that the bridge will close."
    article, doc = make_article(text=text, id="t"), nlp(text)
    assert not any(c.cue.text.endswith("has") for c in find_attributions(doc, article))
    claims = find_attributions(doc, article, tagger=FixedScores("has", 30.0))
    assert any(c.cue is not None and "has" in c.cue.text for c in claims)


def test_shipped_tagger_scores_reporting_verbs_above_other_words():
    tagger = load_cue_tagger()
    assert tagger is not None
    words = ["The", "harbour", "master", "insisted", "that", "the", "ferries", "would", "sail", "on", "time", "."]
    scores = tagger.logits([words])[0]
    assert scores[3] > 0  # "insisted"
    assert all(scores[i] < 0 for i in (1, 2, 6, 8))  # "harbour", "master", "ferries", "sail"


def test_batched_claims_match_one_article_at_a_time(nlp):
    """extract_claims reads each batch with the tagger on a second thread while parsing the
    next; the claims are those of each article read alone."""
    from assistant.attribution import extract_claims

    texts = ["The council has had misgivings about the plan, a spokesman said.",
             "“We will rebuild,” the mayor told residents. Engineers doubted it.",
             "Farmers Say Prices Fell\nPrices fell, farmers said on Monday.",
             "The dam held overnight.",
             "According to the ministry, the road will reopen. Officials hinted at delays."]
    articles = [make_article(text=t, id=f"a{i}") for i, t in enumerate(texts)]
    batched = extract_claims(articles, batch_size=2)
    tagger = load_cue_tagger()
    alone = [find_attributions(nlp(a.text), a, tagger=tagger) for a in articles]
    spans = lambda claims: [(c.cue.text if c.cue else None, c.content.text) for c in claims]  # noqa: E731
    assert [spans(c) for c in batched] == [spans(c) for c in alone]
    assert sum(len(c) for c in batched) >= 5
    linear = extract_claims(articles, batch_size=2, contextual=False)
    assert [spans(c) for c in linear] == [spans(find_attributions(nlp(a.text), a)) for a in articles]
