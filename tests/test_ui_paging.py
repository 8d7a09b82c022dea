"""The UI on large indexes: articles found by title a page at a time, speakers paged,
claims extracted once and kept with the index."""
from __future__ import annotations

import pytest

from assistant.corpus import make_article
from assistant.index import SentenceIndex
from assistant.types import Claim, Span
from assistant.ui import render
from assistant.ui.render import SpeakerGroup


@pytest.fixture(scope="module")
def paged_index(tmp_path_factory):
    folder = tmp_path_factory.mktemp("paged") / "index"
    articles = [make_article(id=f"n{i:02d}", title=f"Story {i:02d}" + (" harbour" if i % 10 == 0 else ""),
                             text=f"Story {i:02d}\n\nSomething happened on day {i}.",
                             source="Wire", published=f"2024-01-{i + 1:02d}") for i in range(25)]
    SentenceIndex(folder).add(articles)
    return folder


def test_backend_pages_articles_newest_first(paged_index, monkeypatch):
    from assistant.ui import backend as backend_module

    monkeypatch.setattr(backend_module, "ARTICLES_PER_PAGE", 10)
    backend = backend_module.Backend(paged_index)
    first, total = backend.find_articles()
    assert total == 25 and [a.id for a in first] == [f"n{i:02d}" for i in range(24, 14, -1)]
    last, _ = backend.find_articles(page=2)
    assert [a.id for a in last] == [f"n{i:02d}" for i in range(4, -1, -1)]
    found, count = backend.find_articles("HARBOUR")
    assert count == 3 and [a.id for a in found] == ["n20", "n10", "n00"]
    assert backend.counts() == (25, 50)


def test_claims_are_extracted_once_and_kept_with_the_index(paged_index, tmp_path, monkeypatch):
    import shutil

    from assistant.ui import backend as backend_module

    folder = tmp_path / "index"
    shutil.copytree(paged_index, folder)
    calls = []

    def counting(articles, **kwargs):
        calls.append([a.id for a in articles])
        return [[] for _ in articles]

    monkeypatch.setattr(backend_module, "extract_claims", counting)
    backend_module.Backend(folder).claims_of(SentenceIndex(folder).articles()[:3])
    assert calls == [["n00", "n01", "n02"]]
    restarted = backend_module.Backend(folder)  # a new server on the same index
    assert restarted.claims("n01") == [] and len(calls) == 1


def test_speakers_are_paged_with_their_counts(monkeypatch):
    article = make_article(id="p", text="Ana said the bridge would reopen.", source="Wire")
    claim = Claim("p", Span.of(article.text, 9, 32), "indirect", Span.of(article.text, 0, 3), "Ana", "person",
                  Span.of(article.text, 4, 8), [0])
    groups = [SpeakerGroup(f"Speaker {i:03d}", "person", [], [(article, claim)] * (1 + i % 3)) for i in range(7)]
    monkeypatch.setattr(render, "SPEAKERS_PER_PAGE", 3)
    first = render.render_speakers(groups, sort="name")
    assert "speakers 1–3 of 7" in first and "Speaker 000" in first and "Speaker 003" not in first
    assert '<span class="na-count">2</span>' in first  # Speaker 001 has two claims
    third = render.render_speakers(groups, sort="name", page=3)
    assert "speakers 7–7 of 7" in third and "Speaker 006" in third
    assert "past the last speaker" in render.render_speakers(groups, page=9)
