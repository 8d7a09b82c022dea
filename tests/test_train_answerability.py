"""eval/train_answerability.py: the near miss naming another of the story's parties."""
from __future__ import annotations

import random

import pytest

from eval_scripts import eval_module


@pytest.fixture(scope="module")
def train_script():
    yield from eval_module("train_answerability")


SENTENCE = "The host committee for the Republican gathering in Cleveland has collected $56.5 million."


def test_a_name_the_sentence_holds_is_swapped_for_another_of_the_story(train_script):
    story = ["Republican", "Democratic", "Cleveland"]
    swapped = train_script.story_swap("How much has the Republican host committee collected?", SENTENCE, story,
                                      random.Random(0))
    assert swapped == "How much has the Democratic host committee collected?"


def test_no_name_is_added_and_none_swapped_where_the_story_has_no_other(train_script):
    assert train_script.story_swap("How much has the host committee collected?", SENTENCE, ["Democratic"],
                                   random.Random(0)) is None
    assert train_script.story_swap("How much has the Republican host committee collected?", SENTENCE,
                                   ["Republican", "Cleveland"], random.Random(0)) is None
