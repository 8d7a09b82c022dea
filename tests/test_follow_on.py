"""The sentence after a retrieved one joins what the answerability model reads, on an article
written for these tests."""
from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.answer import answer_question
from assistant.answerability import AnswerabilityConfig
from assistant.follow_on import following_sentences

HACKER = ("Hacker sentenced in Virginia\n\n"
          "In his interview, Lazar told agents that he trawled through the online accounts of important people. "
          "He succeeded only about 8 to 10 percent of the time, he estimated.\n"
          "The court met on a rainy Thursday morning.")


@pytest.fixture(scope="module")
def hacker_index(index_of_one_article):
    return index_of_one_article(HACKER, title="Hacker sentenced in Virginia", id="hacker", source="Example Times",
                                published="2016-09-01")


def test_the_sentence_after_a_hit_is_added_in_its_paragraph_only(hacker_index):
    question = "What share of the time did Lazar's hacking attempts succeed?"
    hits = [h for h in hacker_index.search(question, 4) if h.sentence.text.startswith("In his interview")]
    pool = following_sentences(question, hits, hacker_index, depth=8)
    assert [h.sentence.text[:12] for h in pool] == ["In his inter", "He succeeded"]
    added = pool[1]
    assert added.lexical_score is None and added.score <= hits[0].score
    assert -1.0 <= added.dense_score <= 1.0
    # the last sentence of a paragraph has no follower there ("The court met" opens the next one)
    assert following_sentences(question, pool[1:], hacker_index, depth=8) == pool[1:]
    assert following_sentences(question, hits, hacker_index, depth=0) == hits


def test_a_figure_left_to_the_sentence_before_is_answered(hacker_index):
    """Retrieval finds only the sentence naming Lazar; the one after it holds the figure."""
    question = "How often did Lazar get into the accounts of important people?"
    assert hacker_index.search(question, 1)[0].sentence.text.startswith("In his interview")
    config = AnswerabilityConfig(rerank_depth=1, follow_depth=1)
    answer = answer_question(question, hacker_index, k=1, config=config, disagreements=False)
    assert answer.answered and "8 to 10 percent" in answer.text
    alone = answer_question(question, hacker_index, k=1, config=replace(config, follow_depth=0), disagreements=False)
    assert "8 to 10 percent" not in alone.text
