"""The hybrid sentence index: retrieval, filters, incremental adds, persistence, atomicity."""
from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

import assistant.index as index_module
import assistant.index.embedded as embedded_module
import assistant.index.sentence_index as sentence_index_module
from assistant.corpus import make_article
from assistant.errors import AssistantError
from assistant.index import Lexical, SentenceIndex, iso_date, tokenize


def small_articles():
    """Three hand-made articles with known sources and dates."""
    return [
        make_article(id="flood", title="River floods the old town", source="Daily Wire", published="2024-03-02",
                     text="River floods the old town\n\nThe river burst its banks on Sunday. "
                          "Shops in the old town were under water."),
        make_article(id="budget", title="Council passes budget", source="City Post", published="2024-06-15T08:00:00Z",
                     text="Council passes budget\n\nThe council approved the new budget. "
                          "Taxes on property will rise by two percent."),
        make_article(id="match", title="Local team wins final", source="City Post", published="",
                     text="Local team wins final\n\nThe team won the cup final on penalties."),
    ]


class EncodeCounter:
    """Wraps ``SentenceIndex.encode`` to record every text that goes through the encoder."""

    def __init__(self, monkeypatch):
        self.texts: list[str] = []
        original = SentenceIndex.encode

        def counting(index, texts):
            self.texts.extend(texts)
            return original(index, texts)

        monkeypatch.setattr(SentenceIndex, "encode", counting)


def snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != ".lock"}


@pytest.fixture(scope="session")
def small_index_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("small-index") / "index"
    SentenceIndex(path).add(small_articles())
    return path


@pytest.fixture
def sample_copy(sample_index_dir, tmp_path):
    path = tmp_path / "index"
    shutil.copytree(sample_index_dir, path)
    return path


# --------------------------------------------------------------------------- retrieval

def test_paraphrased_query_finds_the_ain_al_asad_sentence(sample_index_dir):
    hits = SentenceIndex(sample_index_dir).search("attack on the US base in Anbar", k=5)
    assert "Ain al-Asad" in hits[0].sentence.text
    assert hits[0].article_title.startswith("Iraq PM Pledges")
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_dense_ranking_alone_understands_a_paraphrase(sample_index_dir):
    # no word in common with the target sentence: only the embeddings can find it
    index = SentenceIndex(sample_index_dir)
    hits = index.search("ceasefire negotiations brokered by Doha and Cairo", k=3)
    [target] = [h for h in hits if "Qatar and Egypt" in h.sentence.text]
    assert target.lexical_score == 0.0
    assert target.dense_score == max(h.dense_score for h in hits)


def test_hits_point_at_exact_sentences(sample_index_dir, sample_articles):
    index = SentenceIndex(sample_index_dir)
    by_id = {a.id: a for a in sample_articles}
    for hit in index.search("Hamas", k=10):
        article = by_id[hit.article_id]
        assert article.text[hit.sentence.start:hit.sentence.end] == hit.sentence.text
        assert article.sentences[hit.sentence.index] == hit.sentence
        assert -1.0 <= hit.dense_score <= 1.0 and hit.lexical_score is not None


def test_stored_articles_and_embeddings(sample_index_dir, sample_articles):
    index = SentenceIndex(sample_index_dir)
    assert len(index) == sum(len(a.sentences) for a in sample_articles)
    assert [a.to_dict() for a in index.articles()] == [a.to_dict() for a in sample_articles]
    article = sample_articles[1]
    assert index.article(article.id).to_dict() == article.to_dict()
    assert index.article("no-such-id") is None
    stored = index.sentence_embeddings(article.id)
    assert stored.shape == (len(article.sentences), 384) and stored.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(stored, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(stored, index.encode([s.text for s in article.sentences]), atol=1e-4)
    assert index.model_name == "sentence-transformers/all-MiniLM-L6-v2"


def test_nothing_is_loaded_until_used(sample_index_dir, monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("loaded too early")

    monkeypatch.setattr(sentence_index_module, "load_encoder", fail)
    monkeypatch.setattr(embedded_module.EmbeddedStore, "_load_generation", fail)
    index = SentenceIndex(sample_index_dir)
    assert len(index) > 0 and index.model_name  # the manifest alone answers these


# --------------------------------------------------------------------------- filters

def test_filter_by_article(small_index_dir):
    hits = SentenceIndex(small_index_dir).search("water", k=10, article_ids=["budget"])
    assert hits and {h.article_id for h in hits} == {"budget"}
    assert SentenceIndex(small_index_dir).search("water", k=10, article_ids="match")[0].article_id == "match"


def test_filter_by_source_is_case_insensitive(small_index_dir):
    hits = SentenceIndex(small_index_dir).search("river", k=10, sources=["city post"])
    assert hits and {h.article_id for h in hits} == {"budget", "match"}


def test_filter_by_date_range(small_index_dir):
    index = SentenceIndex(small_index_dir)
    assert {h.article_id for h in index.search("town", k=10, date_from="2024-06-01")} == {"budget"}
    assert {h.article_id for h in index.search("town", k=10, date_to="2024-05-31")} == {"flood"}
    assert {h.article_id for h in index.search("town", k=10, date_from="2024-03", date_to="2024-03")} == {"flood"}
    assert {h.article_id for h in index.search("town", k=10, date_from="2024")} == {"flood", "budget"}
    assert index.search("town", k=10, date_from="2025-01-01") == []


def test_bad_date_and_empty_query_are_user_errors(small_index_dir):
    index = SentenceIndex(small_index_dir)
    with pytest.raises(AssistantError, match="not a date"):
        index.search("town", date_from="last week")
    with pytest.raises(AssistantError, match="empty query"):
        index.search("  ")


def test_k_limits_hits_and_lexical_match_ranks_first(small_index_dir):
    hits = SentenceIndex(small_index_dir).search("penalties", k=2)
    assert len(hits) == 2
    assert hits[0].sentence.text == "The team won the cup final on penalties."


# --------------------------------------------------------------------------- incremental adds

def test_incremental_add_encodes_only_new_sentences(sample_copy, monkeypatch):
    before = {a.id: SentenceIndex(sample_copy).sentence_embeddings(a.id).copy()
              for a in SentenceIndex(sample_copy).articles()}
    counter = EncodeCounter(monkeypatch)
    index = SentenceIndex(sample_copy)
    new = small_articles()[0]
    report = index.add([*index.articles(), new])
    assert (report.added, report.updated, report.skipped, report.sentences) == (1, 0, 2, len(new.sentences))
    assert sorted(counter.texts) == sorted(s.text for s in new.sentences)
    for article_id, vectors in before.items():
        np.testing.assert_array_equal(index.sentence_embeddings(article_id), vectors)
    assert index.search("river burst its banks", k=1)[0].article_id == "flood"


def test_reingest_is_a_no_op(sample_copy, sample_articles, monkeypatch):
    files = snapshot(sample_copy)
    counter = EncodeCounter(monkeypatch)
    report = SentenceIndex(sample_copy).add(sample_articles)
    assert (report.added, report.updated, report.skipped, report.sentences) == (0, 0, 2, 0)
    assert counter.texts == []
    assert snapshot(sample_copy) == files


def test_changed_text_replaces_the_old_version(sample_copy, sample_articles, monkeypatch):
    old = sample_articles[1]
    other = sample_articles[0]
    other_vectors = SentenceIndex(sample_copy).sentence_embeddings(other.id).copy()
    changed = make_article(id=old.id, title=old.title,
                           text=old.title + "\n\nA volcano erupted near the coast. Flights were cancelled.")
    counter = EncodeCounter(monkeypatch)
    index = SentenceIndex(sample_copy)
    report = index.add([changed])
    assert (report.added, report.updated, report.skipped) == (0, 1, 0)
    assert sorted(counter.texts) == sorted(s.text for s in changed.sentences)
    assert index.article(old.id).text == changed.text
    assert len(index) == len(other.sentences) + len(changed.sentences)
    assert [a.id for a in index.articles()] == [other.id, old.id]
    np.testing.assert_array_equal(index.sentence_embeddings(other.id), other_vectors)
    assert all("Musa Bin Nusayr" not in h.sentence.text for h in index.search("Musa Bin Nusayr School", k=50))
    assert index.search("volcanic eruption", k=1)[0].sentence.text == "A volcano erupted near the coast."
    index.add([make_article(id="another", text="Another article. It is short.")])
    assert sorted(p.name for p in sample_copy.glob("*.0000*")) == [  # generation 1 removed, 2 kept for repair
        f"{kind}.00000{n}.{suffix}" for kind, suffix in [("articles", "jsonl"), ("embeddings", "npy"),
                                                          ("lexical", "npz"), ("manifest", "json")] for n in (2, 3)]


def test_another_instance_sees_a_new_generation(sample_copy):
    reader = SentenceIndex(sample_copy)
    assert reader.article("flood") is None
    SentenceIndex(sample_copy).add(small_articles()[:1])
    assert reader.article("flood") is not None
    assert reader.search("river banks", k=1)[0].article_id == "flood"


def test_first_add_creates_the_index(tmp_path):
    folder = tmp_path / "new" / "index"
    assert not SentenceIndex.exists(folder)
    index = SentenceIndex(folder)
    assert len(index) == 0 and index.articles() == []
    assert index.add([]) == index_module.IngestReport(0, 0, 0, 0) and not folder.exists()
    index.add(small_articles())
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["model"] == "sentence-transformers/all-MiniLM-L6-v2" and manifest["dim"] == 384
    assert manifest["articles"] == 3 and manifest["sentences"] == len(index) == 8
    stats = index.stats()
    assert (stats["articles"], stats["sentences"], stats["generation"]) == (3, 8, 1)


def test_unusable_index_path_is_a_user_error(tmp_path):
    (tmp_path / "file").write_text("not a directory")
    assert SentenceIndex(tmp_path / "file").stats()["articles"] == 0
    with pytest.raises(AssistantError, match="cannot create the index directory"):
        SentenceIndex(tmp_path / "file").add(small_articles()[:1])


# --------------------------------------------------------------------------- atomicity and errors

def test_crash_before_the_manifest_swap_keeps_the_previous_index(sample_copy, sample_articles, monkeypatch):
    files = snapshot(sample_copy)

    def crash(folder, manifest):
        raise RuntimeError("simulated crash")

    monkeypatch.setattr(embedded_module, "_commit_manifest", crash)
    with pytest.raises(RuntimeError, match="simulated crash"):
        SentenceIndex(sample_copy).add(small_articles())
    assert snapshot(sample_copy) == files  # the partial generation was removed too
    reopened = SentenceIndex(sample_copy)
    assert [a.id for a in reopened.articles()] == [a.id for a in sample_articles]
    assert "Ain al-Asad" in reopened.search("attack on the US base in Anbar", k=1)[0].sentence.text


def test_leftovers_of_a_killed_ingest_are_ignored_then_removed(sample_copy):
    # a process killed after writing generation 2's files but before the manifest swap
    for name in ("articles.000002.jsonl", "embeddings.000002.npy", "lexical.000002.npz"):
        (sample_copy / name).write_bytes(b"partial")
    index = SentenceIndex(sample_copy)
    assert len(index.articles()) == 2 and index.search("Blinken", k=1)
    index.add(small_articles()[:1])
    assert json.loads((sample_copy / "manifest.json").read_text())["generation"] == 2
    assert len(SentenceIndex(sample_copy).articles()) == 3 and SentenceIndex(sample_copy).check()


def test_index_built_with_another_model_is_refused(sample_copy, sample_articles):
    files = snapshot(sample_copy)
    other = SentenceIndex(sample_copy, model="sentence-transformers/paraphrase-MiniLM-L3-v2")
    with pytest.raises(AssistantError, match="built with embedding model 'sentence-transformers/all-MiniLM-L6-v2'"):
        other.search("Blinken")
    with pytest.raises(AssistantError, match="paraphrase-MiniLM-L3-v2"):
        other.add(small_articles())
    assert snapshot(sample_copy) == files
    assert SentenceIndex(sample_copy, model="all-MiniLM-L6-v2").search("Blinken", k=1)  # same model, short name


def test_searching_a_missing_index_says_to_ingest(tmp_path):
    with pytest.raises(AssistantError, match="assistant ingest"):
        SentenceIndex(tmp_path / "absent").search("anything")


def test_damaged_manifest_is_a_clear_error(sample_copy):
    (sample_copy / "manifest.json").write_text("{ truncated")
    with pytest.raises(AssistantError, match="damaged"):
        SentenceIndex(sample_copy).articles()


@pytest.mark.parametrize("name", ["articles.000001.jsonl", "embeddings.000001.npy", "lexical.000001.npz"])
def test_damaged_generation_file_is_a_clear_error(sample_copy, name):
    path = sample_copy / name
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(AssistantError, match="damaged"):
        SentenceIndex(sample_copy).articles()


# --------------------------------------------------------------------------- parts

def test_tokenize_folds_case_plurals_and_stopwords():
    assert tokenize("The Strikes on the US bases, and a strike.") == ["strike", "us", "base", "strike"]


def test_bm25_prefers_rare_terms_and_short_documents(tmp_path):
    lexical = Lexical.build(["common word here", "common word", "rare common", "nothing at all"])
    scores = lexical.scores("rare common", 4)
    assert int(np.argmax(scores)) == 2 and scores[3] == 0
    assert scores[1] > scores[0]  # same terms, shorter document
    assert lexical.scores("of the", 4) is None
    lexical.save(tmp_path / "l.npz", lambda f: None)
    np.testing.assert_array_equal(Lexical.load(tmp_path / "l.npz").scores("rare common", 4), scores)


@pytest.mark.parametrize("value, expected", [
    ("2024-06-15T08:00:00Z", "2024-06-15"), ("2024-06-15", "2024-06-15"),
    ("Sat, 15 Jun 2024 08:00:00 GMT", "2024-06-15"), ("June 15, 2024", "2024-06-15"),
    ("15 June 2024", "2024-06-15"), ("", ""), ("yesterday", ""),
])
def test_iso_date(value, expected):
    assert iso_date(value) == expected


# --------------------------------------------------------------------------- damage, check, repair

def rewrite_manifest(folder, **changes):
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest.update(changes)
    (folder / "manifest.json").write_text(json.dumps(manifest))


def damage_first_offset(folder, generation=1):
    path = folder / f"articles.00000{generation}.jsonl"
    lines = path.read_text().splitlines()
    record = json.loads(lines[0])
    record["article"]["sentences"][0][0] = "7"
    path.write_text("\n".join([json.dumps(record), *lines[1:]]) + "\n")


DAMAGE = {
    "empty npy": (lambda f: (f / "embeddings.000001.npy").write_bytes(b""), "embeddings.000001.npy"),
    "empty npz": (lambda f: (f / "lexical.000001.npz").write_bytes(b""), "lexical.000001.npz"),
    "generation not a number": (lambda f: rewrite_manifest(f, generation="1"), "'generation'"),
    "files a list": (lambda f: rewrite_manifest(f, files=["a", "b"]), "'files'"),
    "file outside the folder": (lambda f: rewrite_manifest(f, files={"articles": "../../etc/passwd",
                                                                      "embeddings": "embeddings.000001.npy",
                                                                      "lexical": "lexical.000001.npz"}), "'files'"),
    "wrong width": (lambda f: rewrite_manifest(f, dim=100), "embeddings.000001.npy"),
    "non-integer offset": (damage_first_offset, "articles.000001.jsonl"),
    "deleted data file": (lambda f: (f / "lexical.000001.npz").unlink(), "lexical.000001.npz is missing"),
    "manifest deleted": (lambda f: (f / "manifest.json").unlink(), "manifest.json is missing"),
}


@pytest.mark.parametrize("case", DAMAGE)
def test_damaged_index_is_one_line_naming_the_file(sample_copy, case):
    damage, names = DAMAGE[case]
    damage(sample_copy)
    for action in (lambda: SentenceIndex(sample_copy).search("Blinken"), lambda: SentenceIndex(sample_copy).check()):
        with pytest.raises(AssistantError) as error:
            action()
        message = str(error.value)
        assert "\n" not in message and names in message and "damaged" in message, message
        assert "keeps changing" not in message and "assistant index repair" in message


def test_embedding_width_unlike_the_model_is_reported(sample_copy):
    count = json.loads((sample_copy / "manifest.json").read_text())["sentences"]
    np.save(sample_copy / "embeddings.000001.npy", np.ones((count, 8), dtype=np.float32))
    rewrite_manifest(sample_copy, dim=8, checksums={})
    with pytest.raises(AssistantError, match="embeddings are 8 wide, but .* gives 384"):
        SentenceIndex(sample_copy).search("Blinken")


def test_check_verifies_checksums(sample_copy):
    assert SentenceIndex(sample_copy).check()["generation"] == 1
    path = sample_copy / "lexical.000001.npz"
    data = bytearray(path.read_bytes())
    data[-30] ^= 1  # inside the zip's directory: still loads, but not the file that was written
    path.write_bytes(bytes(data))
    with pytest.raises(AssistantError, match="lexical.000001.npz: checksum mismatch"):
        SentenceIndex(sample_copy).check()


@pytest.mark.parametrize("damage, restored", [(lambda f: (f / "lexical.000002.npz").write_bytes(b""), 1),
                                               (lambda f: damage_first_offset(f, generation=2), 1),
                                               (lambda f: (f / "manifest.json").unlink(), 2)])
def test_repair_falls_back_to_the_last_good_generation(sample_copy, sample_articles, damage, restored):
    SentenceIndex(sample_copy).add(small_articles()[:1])  # generation 2; generation 1 is kept
    damage(sample_copy)
    manifest, problem = SentenceIndex(sample_copy).repair()
    assert manifest["generation"] == restored and problem
    repaired = SentenceIndex(sample_copy)
    assert len(repaired.articles()) == len(sample_articles) + restored - 1
    assert repaired.check() and repaired.repair()[1] is None
    repaired.add([make_article(id="later", text="A later story. It is short.")])  # writes on as usual
    assert repaired.article("later") is not None and repaired.check()["generation"] == restored + 1


def test_repair_without_a_good_generation_says_so(sample_copy):
    (sample_copy / "embeddings.000001.npy").write_bytes(b"")
    with pytest.raises(AssistantError, match="no earlier generation is intact"):
        SentenceIndex(sample_copy).repair()


# --------------------------------------------------------------------------- chunked commits, permissions, k

def test_interrupted_add_keeps_committed_chunks_and_a_rerun_continues(tmp_path, monkeypatch):
    articles = [make_article(id=f"a{i}", text=f"Story {i} begins here. It has a second sentence.")
                for i in range(6)]
    monkeypatch.setattr(sentence_index_module, "COMMIT_SENTENCES", 4)  # two articles a commit
    original = SentenceIndex.encode
    calls = []

    def interrupted(index, texts):
        calls.append(texts)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return original(index, texts)

    monkeypatch.setattr(SentenceIndex, "encode", interrupted)
    index = SentenceIndex(tmp_path / "index")
    with pytest.raises(KeyboardInterrupt):
        index.add(articles)
    assert [a.id for a in SentenceIndex(tmp_path / "index").articles()] == ["a0", "a1", "a2", "a3"]
    assert SentenceIndex(tmp_path / "index").check()
    monkeypatch.setattr(SentenceIndex, "encode", original)
    counter = EncodeCounter(monkeypatch)
    report = SentenceIndex(tmp_path / "index").add(articles)
    assert (report.added, report.skipped) == (2, 4) and len(counter.texts) == 4
    assert len(SentenceIndex(tmp_path / "index").articles()) == 6


def test_manifest_is_as_readable_as_the_data_files(small_index_dir):
    modes = {p.name: p.stat().st_mode & 0o777 for p in small_index_dir.iterdir() if p.name != ".lock"}
    assert len(set(modes.values())) == 1, modes


def test_read_only_index_is_a_user_error(sample_copy, monkeypatch):
    files = snapshot(sample_copy)

    def read_only(path, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(embedded_module, "open", read_only, raising=False)
    with pytest.raises(AssistantError, match="cannot write the index .*Permission denied.*unchanged"):
        SentenceIndex(sample_copy).add(small_articles())
    monkeypatch.undo()
    assert snapshot(sample_copy) == files


def test_k_is_capped(small_index_dir, monkeypatch):
    monkeypatch.setattr(sentence_index_module, "MAX_K", 2)
    assert len(SentenceIndex(small_index_dir).search("town", k=1_000_000)) == 2
