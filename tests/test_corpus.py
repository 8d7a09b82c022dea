"""Reading coverage: article splitting of the sample, exact offsets, every input format and
every bad-input case."""
from __future__ import annotations

import json
import pytest

from assistant.corpus import make_article, read_articles, read_file
from assistant.errors import AssistantError
from assistant.types import Article

SAMPLE_TITLES = [
    "Iraq PM Pledges to Blinken to Protect International Coalition Advisors",
    "Israeli Strikes Kill 17 Palestinians in Gaza, Orders Hospital to Evacuate",
]


def assert_exact_offsets(article: Article) -> None:
    """Every sentence is exactly its slice of the text, in order, without overlap, trimmed,
    and together the sentences cover every non-space character."""
    covered = [False] * len(article.text)
    previous_end = 0
    for i, s in enumerate(article.sentences):
        assert s.index == i
        assert article.text[s.start:s.end] == s.text
        assert s.text and s.text == s.text.strip()
        assert s.start >= previous_end
        previous_end = s.end
        covered[s.start:s.end] = [True] * (s.end - s.start)
    uncovered = [c for c, hit in zip(article.text, covered) if not hit and not c.isspace()]
    assert not uncovered


def records(n: int) -> list[dict]:
    return [{"id": f"r{i}", "title": f"Record {i}", "text": f"Line one of record {i}.  Second sentence {i}!\n\nNext paragraph.",
             "source": "Wire", "url": f"https://example.org/{i}", "published": f"2024-05-0{i + 1}"}
            for i in range(n)]


class Warnings(list):
    def __call__(self, message: str) -> None:
        self.append(message)


# --------------------------------------------------------------------------- the sample

def test_sample_yields_exactly_its_two_articles(sample_articles):
    assert [a.title for a in sample_articles] == SAMPLE_TITLES
    assert len({a.id for a in sample_articles}) == 2


def test_sample_text_is_headline_then_body(sample_articles):
    for article in sample_articles:
        assert article.text.startswith(article.title + "\n\n")
        assert article.body_start == len(article.title) + 2
        assert article.sentences[0].text == article.title
        assert article.text.count(article.title) == 1  # the repeated header title is dropped
        assert "\nTT\n" not in article.text


def test_sample_captions_are_metadata_never_body(sample_articles):
    for article in sample_articles:
        assert len(article.captions) == 1  # the repeated caption, deduplicated
        caption = article.captions[0]
        caption_sentence = caption.split(" (")[0]  # without the photo credit
        assert caption_sentence not in article.text
        for s in article.sentences:
            assert s.text not in caption and caption_sentence not in s.text


def test_sample_offsets(sample_articles):
    for article in sample_articles:
        assert_exact_offsets(article)
    assert sum(len(a.sentences) for a in sample_articles) > 30


def test_polnear_dev_offsets(polnear_dir):
    texts = sorted((polnear_dir / "dev" / "text").glob("*.txt"))
    assert texts
    for path in texts:
        raw = path.read_text(encoding="utf-8")
        assert_exact_offsets(make_article(text=raw, origin=str(path)))  # verbatim, as the gold offsets need
        for article in read_file(path):
            assert_exact_offsets(article)


def test_sentences_never_cross_a_line_break():
    article = make_article(text="Title here\n\nFirst line without stop\nSecond line. Third one.")
    assert [s.text for s in article.sentences] == ["Title here", "First line without stop", "Second line.", "Third one."]
    assert [s.paragraph for s in article.sentences] == [0, 1, 2, 2]


# --------------------------------------------------------------------------- formats

def test_jsonl_text_kept_verbatim_with_given_ids(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records(3)) + "\n")
    articles = read_articles([path])
    assert [a.id for a in articles] == ["r0", "r1", "r2"]
    assert [a.text for a in articles] == [r["text"] for r in records(3)]
    assert articles[1].source == "Wire" and articles[1].published == "2024-05-02"
    assert articles[1].url == "https://example.org/1"
    for a in articles:
        assert_exact_offsets(a)


def test_malformed_jsonl_line_reported_as_file_and_line(tmp_path):
    good = records(2)
    path = tmp_path / "b.jsonl"
    path.write_text(json.dumps(good[0]) + "\n{not json\n" + json.dumps(good[1]) + "\n")
    warnings = Warnings()
    articles = read_articles([path], warnings)
    assert [a.id for a in articles] == ["r0", "r1"]
    assert len(warnings) == 1 and warnings[0].startswith(f"{path}:2: ")


def test_record_without_text_is_reported(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"id": "x", "title": "No text"}) + "\n" + json.dumps(records(1)[0]) + "\n")
    warnings = Warnings()
    assert [a.id for a in read_articles([path], warnings)] == ["r0"]
    assert len(warnings) == 1 and f"{path}:1:" in warnings[0] and "text" in warnings[0]


def test_json_list_and_articles_object(tmp_path):
    (tmp_path / "list.json").write_text(json.dumps(records(2)))
    (tmp_path / "obj.json").write_text(json.dumps({"articles": records(3)[2:]}))
    assert [a.id for a in read_articles([tmp_path / "list.json", tmp_path / "obj.json"])] == ["r0", "r1", "r2"]


def test_csv_with_text_column_and_custom_field(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('title,body\n"A title","Body text, with a comma. Another sentence."\n')
    [article] = read_articles([path])
    assert article.title == "A title" and article.text == "Body text, with a comma. Another sentence."
    custom = tmp_path / "u.csv"
    custom.write_text('headline,story\nH,"The story text."\n')
    assert read_articles([custom]) == []
    [article] = read_articles([custom], text_field="story")
    assert article.text == "The story text."


def test_directory_is_read_recursively_by_extension(tmp_path, sample_path):
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "sub" / "deeper" / "s.txt").write_text(sample_path.read_text(encoding="utf-8"))
    (tmp_path / "r.jsonl").write_text("\n".join(json.dumps(r) for r in records(2)))
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / ".hidden.txt").write_text("Hidden\n\nNot to be read.")
    titles = [a.title for a in read_articles([tmp_path])]
    assert titles == ["Record 0", "Record 1", *SAMPLE_TITLES]


def test_saved_dataset_and_parquet(tmp_path):
    datasets = pytest.importorskip("datasets")
    data = datasets.Dataset.from_list(records(2))
    data.save_to_disk(str(tmp_path / "saved"))
    data.to_parquet(str(tmp_path / "d.parquet"))
    for item in (tmp_path / "saved", tmp_path / "d.parquet"):
        articles = read_articles([item])
        assert [a.id for a in articles] == ["r0", "r1"]
        assert articles[0].text == records(1)[0]["text"]
    # a saved dataset inside a directory is one input, not a pile of arrow files
    assert [a.id for a in read_articles([tmp_path])] == ["r0", "r1", "r0", "r1"]


def test_ids_are_stable_and_content_based_without_an_id(tmp_path):
    path = tmp_path / "n.jsonl"
    path.write_text(json.dumps({"title": "T", "text": "Some text."}) + "\n" + json.dumps({"text": "Other."}) + "\n")
    first, second = read_articles([path]), read_articles([path])
    assert [a.id for a in first] == [a.id for a in second]
    assert first[0].id != first[1].id


# --------------------------------------------------------------------------- bad input

def test_missing_path_raises_or_is_skipped(tmp_path):
    with pytest.raises(AssistantError, match="no such file"):
        read_articles([tmp_path / "absent.txt"])
    warnings = Warnings()
    (tmp_path / "ok.jsonl").write_text(json.dumps(records(1)[0]))
    assert len(read_articles([tmp_path / "absent.txt", tmp_path / "ok.jsonl"], warnings, skip_unreadable=True)) == 1
    assert len(warnings) == 1 and "absent.txt" in warnings[0]


@pytest.mark.parametrize("content, message", [(b"", "empty file"), (b"  \n\n ", "empty file"),
                                              (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file")])
def test_empty_and_binary_files_are_skipped_with_a_warning(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    warnings = Warnings()
    assert read_articles([path], warnings) == []
    assert len(warnings) == 1 and warnings[0].startswith(f"{path}: ") and message in warnings[0]


def test_non_utf8_bytes_are_replaced_with_a_warning(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\xe9 owners protest\n\nThe caf\xe9 closed. Owners said so.".encode("latin-1"))
    warnings = Warnings()
    [article] = read_articles([path], warnings)
    assert "\ufffd" in article.text and article.title == "Caf\ufffd owners protest"
    assert len(warnings) == 1 and "UTF-8" in warnings[0]
    assert_exact_offsets(article)


def test_same_id_with_different_content_is_reported(tmp_path):
    a, b = records(1)[0], dict(records(1)[0], text="A corrected text.")
    (tmp_path / "x.jsonl").write_text(json.dumps(a) + "\n" + json.dumps(b) + "\n" + json.dumps(b) + "\n")
    warnings = Warnings()
    assert len(read_articles([tmp_path / "x.jsonl"], warnings)) == 3
    assert len(warnings) == 1 and "r0" in warnings[0]


def test_unsupported_file_given_explicitly(tmp_path):
    path = tmp_path / "doc.pdf"
    path.write_bytes(b"%PDF-1.4 text")
    warnings = Warnings()
    assert read_articles([path], warnings) == []
    assert len(warnings) == 1 and "unsupported" in warnings[0]



# --------------------------------------------------------------------------- hardening

ARTICLE_TEXT = "Harbour reopens after storm\n\nThe harbour reopened on Monday. Ferries ran again.\n"


def test_random_bytes_without_nul_are_binary(tmp_path):
    import random

    rng = random.Random(7)
    data = bytes(rng.randrange(1, 256) for _ in range(4000))
    assert b"\x00" not in data
    path = tmp_path / "noise.txt"
    path.write_bytes(data)
    warnings = Warnings()
    assert read_articles([path], warnings) == []
    assert warnings == [f"{path}: skipped: binary file"]


def test_links_out_of_the_allowed_root_are_refused_and_said(tmp_path):
    from assistant.corpus import expand_paths

    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    (root / "ok.txt").write_text(ARTICLE_TEXT)
    (root / "secret.txt").symlink_to(outside / "secret.txt")
    (root / "elsewhere").symlink_to(outside)
    (root / "z-link.txt").symlink_to(root / "ok.txt")  # inside the root, but already listed
    warnings = Warnings()
    assert expand_paths([root], warnings, roots=[root]) == [root / "ok.txt"]
    assert sorted(warnings) == [f"{root / 'elsewhere'}: skipped: leads outside the allowed folders",
                                f"{root / 'secret.txt'}: skipped: leads outside the allowed folders"]
    # without roots (the CLI) links are followed; the secret, reached twice, is listed once
    assert expand_paths([root]) == [root / "elsewhere" / "secret.txt", root / "ok.txt"]


def test_link_loops_are_walked_once(tmp_path):
    from assistant.corpus import expand_paths

    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.txt").write_text(ARTICLE_TEXT)
    (tmp_path / "a" / "b" / "up").symlink_to(tmp_path / "a")
    (tmp_path / "a" / "self.txt").symlink_to(tmp_path / "a" / "self.txt")
    warnings = Warnings()
    assert expand_paths([tmp_path / "a"], warnings) == [tmp_path / "a" / "b" / "x.txt"]
    assert len(warnings) == 1 and "self.txt: skipped" in warnings[0]


def test_one_bad_file_is_a_warning_and_the_rest_is_read(tmp_path, monkeypatch):
    from pathlib import Path

    from assistant.models import sentence_splitter

    (tmp_path / "good.txt").write_text(ARTICLE_TEXT)
    (tmp_path / "locked.txt").write_text(ARTICLE_TEXT.replace("Harbour", "Airport"))
    (tmp_path / "long.txt").write_text("Title of a long one\n\n" + "word " * 100 + "\n")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (tmp_path / "long.jsonl").write_text(json.dumps({"id": "x", "text": "word " * 100}) + "\n"
                                         + json.dumps({"id": "y", "text": "A short one."}) + "\n")
    real_read_bytes = Path.read_bytes

    def read_bytes(path):
        if path.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real_read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(sentence_splitter(), "max_length", 300)
    warnings = Warnings()
    articles = read_articles([tmp_path], warnings)
    assert sorted(a.id for a in articles if a.id in ("x", "y")) == ["y"]
    assert [a.title for a in articles if a.origin.endswith("good.txt")] == ["Harbour reopens after storm"]
    assert len(articles) == 2
    assert sorted(w.split(": ")[0] for w in warnings) == sorted(
        str(tmp_path / n) for n in ("dangling.txt", "locked.txt", "long.jsonl:1", "long.txt"))
    assert any("Permission denied" in w for w in warnings)
    assert any("limit of 300" in w for w in warnings)


def test_an_opening_quotation_mark_starts_the_sentence_it_opens():
    from assistant.corpus import split_sentences

    text = ('Fares rose, making travel more expensive. "We cannot pay this," a driver said. "Nobody can." '
            "He said “it is over.” “We go home now,” she said. It rose. 'Too much,' he added.")
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "Fares rose, making travel more expensive.", '"We cannot pay this," a driver said.', '"Nobody can."',
        "He said “it is over.”", "“We go home now,” she said.", "It rose.", "'Too much,' he added."]
    assert all(text[s.start:s.end] == s.text for s in sentences)
    # a closing mark stays with its sentence
    assert split_sentences('She said "no." Then she left.')[0].text == 'She said "no."'
