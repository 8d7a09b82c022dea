"""The answer reader: its file read and checked, a clear error where it is missing, the
joining of its judgement with the lexical model's, and what the shipped reader decides on
sentences written for these tests."""
from __future__ import annotations

import json

import numpy as np
import pytest

from assistant.answer import ScoredHit, answer_question, read_hits
from assistant.answer_reader import MODEL_PATH, AnswerReader, build_network, load_answer_reader, reader_text
from assistant.answerability import AnswerabilityConfig, Candidate
from assistant.errors import AssistantError
from assistant.index import Hit
from assistant.models import DEFAULT_EMBEDDING_MODEL, save_finetuned
from assistant.types import Sentence

IMF = ("IMF trims its forecasts\n\n"
       "The IMF expects that U.S. output will expand by a tepid 1.6 percent this year. "
       "For Britain, the fund now forecasts growth of 1.1 percent in 2017. "
       "Its chief economist said the outlook had darkened since the referendum.")
SHIPPED = pytest.mark.skipif(not MODEL_PATH.is_file(), reason="no answer reader shipped (none beat the lexical "
                                                              "model on the PolNeAR dev question set)")


@pytest.fixture(scope="module")
def tiny_reader_file(tmp_path_factory):
    """A one-layer reader saved as training saves it, joining as the lexical model alone
    (reader weight 0)."""
    path = tmp_path_factory.mktemp("reader") / "reader.safetensors"
    network, _ = build_network(layers=1)
    save_finetuned(network, path, encoder=DEFAULT_EMBEDDING_MODEL, layers="1", max_tokens="96",
                   combine=json.dumps({"lexical": 1.0, "reader": 0.0, "intercept": 0.0}))
    return path


def test_a_saved_reader_loads_and_scores_every_pair(tiny_reader_file):
    reader = load_answer_reader(tiny_reader_file)
    candidates = [Candidate("The fund forecasts growth of 1.1 percent.", title="IMF trims its forecasts"),
                  Candidate("Its chief economist spoke.")]
    p = reader.score("What growth does the IMF forecast?", candidates, np.array([0.8, 0.2]))
    assert p == pytest.approx([0.8, 0.2])  # reader weight 0: the lexical probability comes back
    assert reader.logits([("a question?", reader_text(c)) for c in candidates]).shape == (2,)


def test_the_reader_sees_the_title_after_the_sentence():
    assert reader_text(Candidate("The poll has Clinton ahead.", title="Bloomberg poll")) == \
        "The poll has Clinton ahead. | Bloomberg poll"
    assert reader_text(Candidate("The poll has Clinton ahead.")) == "The poll has Clinton ahead."


def test_a_missing_or_damaged_reader_file_is_a_clear_error(tmp_path):
    with pytest.raises(AssistantError, match="answer reader not found at .*train one with eval/train_answer_reader.py"):
        load_answer_reader(tmp_path / "absent.safetensors")
    (tmp_path / "reader.safetensors").write_bytes(b"not safetensors at all")
    with pytest.raises(AssistantError, match="cannot load the answer reader .*retrain it with eval/train_answer_reader"):
        load_answer_reader(tmp_path / "reader.safetensors")


def test_a_reader_without_combination_weights_says_so(tiny_reader_file):
    reader = load_answer_reader(tiny_reader_file)
    bare = AnswerReader(reader.network, reader.tokenizer)
    with pytest.raises(AssistantError, match="no combination weights"):
        bare.combined(np.array([0.5]), np.array([0.0]))


@pytest.fixture(scope="module")
def imf_index(index_of_one_article):
    return index_of_one_article(IMF, title="IMF trims its forecasts", id="imf", source="Example Times",
                                published="2016-10-04")


def _hit(text: str, index: int) -> Hit:
    start = IMF.index(text)
    return Hit("imf", "IMF trims its forecasts", Sentence(index, start, start + len(text), text), 0.03, 0.6, 1.0,
               source="Example Times", published="2016-10-04")


def test_read_hits_re_ranks_by_the_joined_probability(tiny_reader_file, imf_index):
    uk = "For Britain, the fund now forecasts growth of 1.1 percent in 2017."
    us = "The IMF expects that U.S. output will expand by a tepid 1.6 percent this year."
    scored = [ScoredHit(_hit(uk, 2), 0.3), ScoredHit(_hit(us, 1), 0.7)]
    read = read_hits("How fast will the U.S. economy grow?", scored, imf_index, load_answer_reader(tiny_reader_file))
    assert [s.hit.sentence.text for s in read] == [us, uk]
    assert [s.answers for s in read] == pytest.approx([0.7, 0.3])


def test_ask_without_a_reader_answers_lexically_and_says_so(imf_index, monkeypatch):
    def missing(*_args, **_kwargs):
        raise AssistantError("answer reader not found at /nowhere")

    monkeypatch.setattr("assistant.answer.load_answer_reader", missing)
    answer = answer_question("What growth does the IMF forecast for Britain in 2017?", imf_index, 3,
                             config=AnswerabilityConfig(reader=True), disagreements=False)
    assert any("lexical answerability model alone (answer reader not found" in n for n in answer.notes)
    off = answer_question("What growth does the IMF forecast for Britain in 2017?", imf_index, 3,
                          config=AnswerabilityConfig(reader=False), disagreements=False)
    assert not off.notes and off.answered == answer.answered


@SHIPPED
@pytest.mark.xfail(reason="the reader trained so far still declines this paraphrase (README, Asking questions)")
def test_the_shipped_reader_answers_a_paraphrase_of_what_is_asked(imf_index):
    """"grow" asked, "output will expand" written: the lexical model alone declines it."""
    answer = answer_question("How fast will the U.S. economy grow this year?", imf_index, 3,
                             config=AnswerabilityConfig(reader=True), disagreements=False)
    assert answer.answered and "1.6 percent" in answer.text


@SHIPPED
def test_the_shipped_reader_declines_the_asked_thing_for_another_place(imf_index):
    answer = answer_question("What growth does the IMF forecast for Japan in 2017?", imf_index, 3,
                             config=AnswerabilityConfig(reader=True), disagreements=False)
    assert not answer.answered
    assert answer.text.startswith("The coverage does not")
