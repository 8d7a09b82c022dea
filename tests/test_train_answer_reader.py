"""eval/train_answer_reader.py: the hard negatives, on articles written here."""
from __future__ import annotations

import random

import pytest

from assistant.corpus import make_article
from eval_scripts import eval_module

CHINA = make_article(
    id="china", title="IMF on China",
    text="IMF on China\n\nThe fund met in Washington on Tuesday. "
         "The IMF forecasts growth of 6.6 percent for China this year. "
         "Beijing welcomed the report.", body_start=len("IMF on China\n\n"))
BRITAIN = make_article(
    id="britain", title="IMF on Britain",
    text="IMF on Britain\n\nFor Britain, the IMF forecasts growth of 1.1 percent this year. "
         "London shrugged.", body_start=len("IMF on Britain\n\n"))


@pytest.fixture(scope="module")
def reader_script():
    yield from eval_module("train_answer_reader")


def test_hard_negatives_are_the_neighbours_and_another_place_s_figure(reader_script):
    answering = CHINA.sentences[2]
    assert "6.6 percent" in answering.text
    question = "What growth does the IMF forecast for China?"
    pair = reader_script.Pair(question, reader_script._candidate(CHINA, answering), 1, "answers", "china",
                              answering.index, "6.6 percent")
    negatives = reader_script.hard_negatives([CHINA, BRITAIN], [pair], random.Random(0))
    by_kind = {}
    for n in negatives:
        by_kind.setdefault(n.kind, []).append(n)
    assert {n.candidate.sentence for n in by_kind[reader_script.ADJACENT]} == \
        {CHINA.sentences[1].text, CHINA.sentences[3].text}
    [elsewhere] = by_kind[reader_script.ELSEWHERE]
    assert "Britain" in elsewhere.candidate.sentence and elsewhere.article_id == "britain"
    assert all(n.label == 0 and n.question == question for n in negatives)
    assert elsewhere.candidate.title == "IMF on Britain"
