"""Example questions from the user's coverage: drawn from its newest articles."""
from __future__ import annotations

from assistant.corpus import make_article
from assistant.suggest import example_questions


def test_example_questions_come_from_the_newest_articles():
    older = [make_article(text=f"Floods hit Paris\n\nRiver levels rose in Paris on day {i}.", title="Floods hit Paris",
                          id=f"paris-{i}", published="2020-01-0" + str(i + 1)) for i in range(3)]
    newest = make_article(text="Strike in Berlin\n\nBus drivers in Berlin walked out.", title="Strike in Berlin",
                          id="berlin", published="2026-05-01")
    articles = older + [newest]
    assert example_questions(articles, {}, n=1) == ["What does the coverage say about Paris?"]
    assert example_questions(articles, {}, n=1, newest=1) == ["What does the coverage say about Berlin?"]
