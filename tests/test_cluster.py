"""Batch work on a local Ray (2 CPUs, tiny data): encoding for ingest, resumable from
written shards, and claim extraction, each equal to the single-process result."""
from __future__ import annotations

import numpy as np
import pytest

from assistant.corpus import make_article
from assistant.index import SentenceIndex

from test_index import EncodeCounter, small_articles

pytest.importorskip("ray")


@pytest.fixture(scope="module")
def local_ray(monkeypatch_module):
    from assistant.cluster.session import start_ray

    monkeypatch_module.setenv("ASSISTANT_RAY_CPUS", "2")
    ray = start_ray(None)
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_ingest_on_ray_stores_what_a_single_process_stores(local_ray, tmp_path, monkeypatch):
    from assistant.cluster import encode

    monkeypatch.setattr(encode, "SHARD_ARTICLES", 2)  # two shards
    index = SentenceIndex(tmp_path / "ray")
    report = encode.ingest_on_ray(index, small_articles(), None, progress=False)
    assert (report.added, report.sentences) == (3, 8) and len(index) == 8
    assert sorted(a.id for a in index.articles()) == ["budget", "flood", "match"]
    for article in small_articles():
        np.testing.assert_allclose(index.sentence_embeddings(article.id),
                                   index.encode([s.text for s in article.sentences]), atol=1e-4)
    assert index.search("penalties", k=1)[0].article_id == "match"
    assert not list((tmp_path / "ray" / "ray-shards").glob("*.npy"))  # committed shards are removed
    counter = EncodeCounter(monkeypatch)
    assert encode.ingest_on_ray(index, small_articles(), None, progress=False).skipped == 3
    assert counter.texts == []


def test_written_shards_are_not_encoded_again(tmp_path, monkeypatch):
    from assistant.cluster import encode

    index = SentenceIndex(tmp_path / "resume")
    articles = [make_article(id=f"a{i}", text=f"Story {i} begins. It goes on.") for i in range(3)]
    changed, _ = index.changes(articles)
    monkeypatch.setattr(encode, "SHARD_ARTICLES", 2)
    first = changed[:2]  # a shard written before an interruption, not yet committed
    vectors = index.encode([s.text for a, _ in first for s in a.sentences])
    encode._Spool(index.path / "ray-shards").write(encode._shard_key(first), vectors)
    asked = []

    def fake_encode(model, shards, todo, address, bar):
        asked.extend(todo)
        for shard in todo:
            yield shard, index.encode([s.text for a, _ in shards[shard] for s in a.sentences])

    monkeypatch.setattr(encode, "_encode_shards", fake_encode)
    report = encode.ingest_on_ray(index, articles, None, progress=False)
    assert asked == [1] and report.added == 3 and len(index) == 6
    np.testing.assert_array_equal(index.sentence_embeddings("a0"), vectors[:2])


@pytest.mark.slow
def test_claims_on_ray_equal_the_single_process_claims(local_ray, sample_articles):
    from assistant.attribution import extract_claims
    from assistant.cluster.claims import claims_on_ray

    articles = sample_articles[:2]
    on_ray = claims_on_ray(articles, None, progress=False)
    assert [[c.to_dict() for c in found] for found in on_ray] == \
        [[c.to_dict() for c in found] for found in extract_claims(articles)]
    assert any(on_ray)
