"""The consistency model: loading (and its errors), the file round trip, the windowed
reading of long evidence, and the shipped weights on sentences written here."""
from __future__ import annotations

import numpy as np
import pytest

from assistant.consistency import (CONTRADICT, ENTAIL, MODEL_PATH, build_network, load_consistency_model,
                                   read_model)
from assistant.errors import AssistantError
from assistant.models import save_finetuned


def test_a_missing_model_file_is_a_clear_error(tmp_path):
    with pytest.raises(AssistantError, match="consistency model not found at .*retrain it with eval/train_consistency.py"):
        load_consistency_model(tmp_path / "nothing.safetensors")


def test_a_damaged_model_file_is_a_clear_error(tmp_path):
    path = tmp_path / "broken.safetensors"
    path.write_bytes(b"not a safetensors file")
    with pytest.raises(AssistantError, match="cannot load the consistency model"):
        load_consistency_model(path)


def test_round_trip_through_the_file_keeps_the_network(tmp_path):
    network, tokenizer = build_network(layers=1)
    path = tmp_path / "c.safetensors"
    save_finetuned(network, path, encoder="sentence-transformers/all-MiniLM-L6-v2", layers="1")
    pairs = [("The council approved the budget.", "The budget was approved."), ("A.", "B, and more words.")]
    exact = read_model(path, quantize=False).probabilities(pairs)
    eight_bit = read_model(path).probabilities(pairs)
    assert exact.shape == (2, 3) and np.allclose(exact.sum(axis=1), 1.0, atol=1e-5)
    assert np.allclose(exact, eight_bit, atol=0.1)


@pytest.fixture(scope="module")
def shipped():
    if not MODEL_PATH.is_file():
        pytest.fail(f"the shipped consistency model is missing: {MODEL_PATH}")
    return load_consistency_model()


def test_shipped_model_entails_a_restatement_and_contradicts_a_negation(shipped):
    premise = "The city council approved the budget for the new school on Monday."
    p = shipped.probabilities([(premise, "The council approved the school budget."),
                               (premise, "The council did not approve the school budget.")])
    assert p[0, ENTAIL] > 0.5 and p[0, ENTAIL] > p[1, ENTAIL]
    assert p[1, CONTRADICT] > p[0, CONTRADICT]


def test_empty_input_gives_empty_output(shipped):
    assert shipped.probabilities([]).shape == (0, 3)


def test_a_pair_reads_the_same_alone_and_among_others(shipped):
    pair = ("On Monday the council approved the budget for the new school.", "The council approved the budget.")
    others = [("A much longer premise about the river valley, the floods of Tuesday and the 2,400 people "
               "the rescue teams evacuated from three villages before the dam gave way.", "Nobody left.")] * 5
    alone = shipped.probabilities([pair])[0]
    among = shipped.probabilities(others + [pair])[-1]
    assert np.allclose(alone, among, atol=1e-6)


def test_abbreviated_months_are_written_out_for_the_model():
    from assistant.consistency import written_out

    assert written_out("fighters attacked on Oct. 7, 2023, and in Sept. 2024") == \
        "fighters attacked on October 7, 2023, and in September 2024"
    assert written_out("Mar. is a name here; Dec. 5 is a date") == "Mar. is a name here; December 5 is a date"


def test_a_date_written_out_reads_as_the_abbreviated_one(shipped):
    premise = "Fighters attacked the town on Oct. 7, 2023, killing 1,200 people."
    same, other = shipped.probabilities([(premise, "The attack on October 7 killed 1,200 people."),
                                         (premise, "The attack on November 9 killed 1,200 people.")])
    assert same[ENTAIL] > same[CONTRADICT] and other[CONTRADICT] > other[ENTAIL]


def test_a_weekday_both_texts_name_is_read_as_that_day():
    from assistant.consistency import shared_weekdays_out

    assert shared_weekdays_out("Troops struck two sites on Monday.", "Troops struck two sites on Monday.") == \
        ("Troops struck two sites that day.", "Troops struck two sites that day.")
    assert shared_weekdays_out("Talks resumed on Monday.", "Talks resumed on Tuesday.") == \
        ("Talks resumed on Monday.", "Talks resumed on Tuesday.")


def test_a_sentence_naming_a_weekday_entails_itself(shipped):
    sentence = "The military said it struck two sites on Monday."
    same, other = shipped.probabilities([(sentence, sentence), (sentence, sentence.replace("Monday", "Tuesday"))])
    assert same[ENTAIL] > 0.5 and other[CONTRADICT] > 0.5
