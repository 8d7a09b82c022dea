"""Calibrate ``assistant.answer.RELEVANT_AT`` on hand-written questions over the sample.

    .venv/bin/python benchmarks/calibrate_relevance.py

Prints the best dense score (cosine between question and retrieved sentence) of each
question, answerable and not, and the gap between the two groups. None of these
questions is used by the tests.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from assistant.config import SAMPLE_CORPUS  # noqa: E402
from assistant.corpus import read_articles  # noqa: E402
from assistant.index import SentenceIndex  # noqa: E402

ANSWERABLE = [
    "Who called the Iraqi prime minister on Monday?",
    "Why did Blinken delay his trip to the Middle East?",
    "What happened to the suspects held over the attack on Ain al-Asad base?",
    "Which hospital was ordered to evacuate?",
    "What did Hezbollah threaten after the assassination of Fuad Shukr?",
    "How long has the Israeli army operated in Beit Lahiya and Beit Hanoun?",
    "Which countries are mediating a ceasefire between Israel and Hamas?",
    "How many hostages were taken on October 7?",
]
UNANSWERABLE = [
    "Who won the football world cup final?",
    "How do I bake sourdough bread at home?",
    "What is the population of Canada?",
    "Which smartphone has the best camera this year?",
    "When does the cherry blossom season start in Japan?",
    "What are the symptoms of the common cold?",
    "Who is the lead singer of the band Coldplay?",
    "How tall is Mount Kilimanjaro?",
]


def best_scores(index: SentenceIndex, questions: list[str]) -> list[float]:
    return [max((h.dense_score or 0.0) for h in index.search(q, 8)) for q in questions]


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        index = SentenceIndex(Path(folder))
        index.add(read_articles([SAMPLE_CORPUS]))
        answerable = best_scores(index, ANSWERABLE)
        unanswerable = best_scores(index, UNANSWERABLE)
    for label, questions, scores in (("answerable", ANSWERABLE, answerable),
                                     ("unanswerable", UNANSWERABLE, unanswerable)):
        for question, score in zip(questions, scores):
            print(f"{label:12s} {score:.3f}  {question}")
    low, high = max(unanswerable), min(answerable)
    print(f"unanswerable max {low:.3f}; answerable min {high:.3f}; middle of the gap {(low + high) / 2:.3f}")


if __name__ == "__main__":
    main()
