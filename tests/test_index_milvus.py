"""The Milvus store, against Milvus Lite: the same search, filters and ingest rules as the
embedded store, and writes that leave the stored index consistent when they fail."""
from __future__ import annotations

import itertools

import numpy as np
import pytest

from assistant.corpus import make_article
from assistant.errors import AssistantError
from assistant.index import SentenceIndex
from assistant.index.milvus import MilvusStore, filter_expression
from assistant.index.store import Filters

from test_index import EncodeCounter, small_articles

pytest.importorskip("milvus_lite")
pytest.importorskip("pymilvus")

_names = itertools.count()


@pytest.fixture(scope="module")
def lite_db(tmp_path_factory):
    """One Milvus Lite file for the module (its server starts once); each test gets its own
    collections."""
    return tmp_path_factory.mktemp("milvus") / "store.db"


@pytest.fixture
def milvus_index(lite_db, tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_COLLECTION", f"t{next(_names)}")
    index = SentenceIndex(tmp_path / "unused", store=f"milvus:{lite_db}")
    index.add(small_articles())
    return index


def test_search_finds_exact_sentences_with_their_provenance(milvus_index):
    hits = milvus_index.search("penalties", k=2)
    assert len(hits) == 2 and hits[0].sentence.text == "The team won the cup final on penalties."
    assert (hits[0].article_id, hits[0].source) == ("match", "City Post")
    article = milvus_index.article("match")
    assert article.text[hits[0].sentence.start:hits[0].sentence.end] == hits[0].sentence.text
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert -1.0 <= hits[0].dense_score <= 1.0 and hits[0].lexical_score is None
    # a paraphrase with no word in common: the dense side finds it
    assert milvus_index.search("the stream overflowed its shores", k=1)[0].article_id == "flood"


def test_filters_are_pushed_down(milvus_index):
    search = milvus_index.search
    assert {h.article_id for h in search("water", k=10, article_ids=["budget"])} == {"budget"}
    assert {h.article_id for h in search("river", k=10, sources=["city post"])} == {"budget", "match"}
    assert {h.article_id for h in search("town", k=10, date_from="2024-06-01")} == {"budget"}
    assert {h.article_id for h in search("town", k=10, date_to="2024-05-31")} == {"flood"}
    assert {h.article_id for h in search("town", k=10, date_from="2024-03", date_to="2024-03")} == {"flood"}
    assert {h.article_id for h in search("town", k=10, date_from="2024")} == {"flood", "budget"}
    assert search("town", k=10, date_from="2025-01-01") == []


def test_filter_expression_quotes_values():
    expression = filter_expression(Filters.of(['a"b'], ["Daily Wire"], "2024", "2024-06"), 3)
    assert expression == ('gen <= 3 and article_id in ["a\\"b"] and source in ["daily wire"] and '
                          'published >= "2024" and published != "" and published < "2024-06~"')


def test_records_stats_embeddings_and_paging(milvus_index):
    assert milvus_index.stats()["articles"] == 3 and len(milvus_index) == 8
    assert [a.to_dict() for a in milvus_index.articles()] == [
        a.to_dict() for a in sorted(small_articles(), key=lambda a: a.id)]
    vectors = milvus_index.sentence_embeddings("flood")
    assert vectors.shape == (3, 384)
    np.testing.assert_allclose(vectors, milvus_index.encode([s.text for s in small_articles()[0].sentences]),
                               atol=1e-4)
    page, total = milvus_index.find_articles("", offset=0, limit=2)
    assert total == 3 and [a.id for a in page] == ["budget", "flood"]  # newest first; undated last
    assert [a.id for a in milvus_index.find_articles("", offset=2, limit=2)[0]] == ["match"]
    assert [a.id for a in milvus_index.find_articles("TEAM")[0]] == ["match"]
    assert milvus_index.find_articles("", sources="city post")[1] == 2


def test_reingest_encodes_nothing_and_a_change_replaces(milvus_index, monkeypatch):
    counter = EncodeCounter(monkeypatch)
    report = milvus_index.add(small_articles())
    assert (report.added, report.skipped, report.sentences) == (0, 3, 0) and counter.texts == []
    changed = make_article(id="match", title="Local team wins final", source="City Post",
                           text="Local team wins final\n\nA volcano erupted near the stadium. Fans left early.")
    report = milvus_index.add([changed])
    assert (report.updated, report.sentences) == (1, 3)
    assert milvus_index.article("match").text == changed.text and len(milvus_index) == 9
    assert all("penalties" not in h.sentence.text for h in milvus_index.search("penalties", k=10))
    assert milvus_index.check()["sentences"] == 9


def test_delete(milvus_index):
    assert milvus_index.delete(["match", "absent"]) == 1
    assert milvus_index.article("match") is None and milvus_index.stats()["articles"] == 2
    assert all(h.article_id != "match" for h in milvus_index.search("penalties", k=10))
    assert milvus_index.check()["sentences"] == 6


def test_a_failed_write_leaves_the_stored_index_searchable_and_consistent(milvus_index, monkeypatch):
    before = milvus_index.stats()
    original = MilvusStore._insert_sentences

    def fail_midway(store, number, records, vectors):
        original(store, number, records[:1], vectors[:len(records[0][0].sentences)])
        raise ConnectionError("server went away")

    monkeypatch.setattr(MilvusStore, "_insert_sentences", fail_midway)
    extra = [make_article(id="new1", text="Harbour reopens. Boats return."),
             make_article(id="new2", text="Harbour closes again. Storm warning.")]
    with pytest.raises(AssistantError, match="server went away.*committed before is kept"):
        milvus_index.add(extra)
    assert milvus_index.stats() == before and milvus_index.article("new1") is None
    assert all(h.article_id not in ("new1", "new2") for h in milvus_index.search("harbour boats", k=10))
    assert milvus_index.check()["articles"] == 3
    monkeypatch.undo()
    assert milvus_index.add(extra).added == 2  # the next write removes the leftovers first
    assert milvus_index.check()["sentences"] == before["sentences"] + 4


def test_an_interrupted_switch_is_consistent_and_repair_finishes_it(milvus_index, monkeypatch):
    calls = []
    original = MilvusStore._finish

    def stop_after_switch(store, state):
        calls.append(state)
        if len(calls) == 2:  # the call after the new state went live
            raise KeyboardInterrupt
        original(store, state)

    monkeypatch.setattr(MilvusStore, "_finish", stop_after_switch)
    changed = make_article(id="flood", title="River floods the old town", source="Daily Wire",
                           published="2024-03-02", text="River floods the old town\n\nThe dam held.")
    with pytest.raises(KeyboardInterrupt):
        milvus_index.add([changed])
    monkeypatch.undo()
    # the old version's rows are still stored, but no read shows them
    assert milvus_index.article("flood").text == changed.text
    assert all("burst its banks" not in h.sentence.text for h in milvus_index.search("river burst banks", k=10))
    manifest, problem = milvus_index.repair()
    assert "replaced articles not yet removed" in problem and manifest["sentences"] == 7
    assert milvus_index.repair()[1] is None


def test_store_choice_by_environment_and_bad_specs(lite_db, tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_STORE", f"milvus:{lite_db}")
    monkeypatch.setenv("ASSISTANT_COLLECTION", "never_written")
    assert isinstance(SentenceIndex(tmp_path).store, MilvusStore)
    assert not SentenceIndex.exists(tmp_path)
    with pytest.raises(AssistantError, match="is empty"):
        SentenceIndex(tmp_path).search("anything")
    with pytest.raises(AssistantError, match="ends in .db"):
        SentenceIndex(tmp_path, store="milvus:store.sqlite")
    with pytest.raises(AssistantError, match="use 'embedded'"):
        SentenceIndex(tmp_path, store="elastic://x")
    embedded = SentenceIndex(tmp_path / "embedded", store="embedded", fusion="borda")
    embedded.add(small_articles()[:1])
    with pytest.raises(AssistantError, match="unknown fusion 'borda'"):
        embedded.search("river")


def test_cli_ingest_and_search_with_a_milvus_store(lite_db, tmp_path, monkeypatch, capsys):
    import json

    from assistant.cli import main

    monkeypatch.setenv("ASSISTANT_STORE", "embedded")  # main's --store sets it; monkeypatch restores it
    monkeypatch.setenv("ASSISTANT_COLLECTION", f"t{next(_names)}")
    path = tmp_path / "news.jsonl"
    path.write_text(json.dumps({"id": "h1", "title": "Harbour reopens", "source": "Coast Post",
                                "published": "2024-05-01", "text": "Harbour reopens\n\nBoats returned on Monday."})
                    + "\n", encoding="utf-8")
    store = ["--store", f"milvus:{lite_db}", "--index", str(tmp_path / "unused")]
    assert main(["ingest", str(path), *store]) == 0
    capsys.readouterr()
    assert main(["search", "boats returned", "--json", *store]) == 0
    hits = json.loads(capsys.readouterr().out)["hits"]
    assert hits[0]["article_id"] == "h1" and hits[0]["source"] == "Coast Post"
    assert main(["index", "check", *store]) == 0
