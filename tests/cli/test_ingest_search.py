"""`assistant ingest` and `assistant search` end to end, in-process, and every error case:
one line each, the right exit status, the stored index untouched."""
from __future__ import annotations

import json
import shutil

import pytest

from assistant.cli import main


def problems(stderr: str) -> list[str]:
    """The warning and error lines (progress bars share stderr)."""
    lines = stderr.replace("\r", "\n").split("\n")
    return [line[line.index("warning:"):] if "warning:" in line else line[line.index("error:"):]
            for line in lines if "warning:" in line or "error:" in line]


def snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != ".lock"}


@pytest.fixture
def index(sample_index_dir, tmp_path):
    """A private copy of the indexed sample."""
    path = tmp_path / "index"
    shutil.copytree(sample_index_dir, path)
    return path


def ingest(capsys, index, *inputs: str) -> tuple[int, str, list[str]]:
    rc = main(["ingest", *map(str, inputs), "--index", str(index)])
    out, err = capsys.readouterr()
    return rc, out, problems(err)


# --------------------------------------------------------------------------- happy paths

def test_ingest_then_search(tmp_path, sample_path, capsys):
    folder = tmp_path / "fresh"
    rc, out, issues = ingest(capsys, folder, sample_path)
    assert rc == 0 and issues == []
    assert "2 articles read: 2 added, 0 updated, 0 skipped" in out and str(folder) in out

    assert main(["search", "attack on the US base in Anbar", "-k", "3", "--index", str(folder)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1. Iraq PM Pledges to Blinken")
    assert "> " in out and "Ain al-Asad" in out.split("\n2. ")[0]


def test_reingest_skips_and_leaves_files_alone(index, sample_path, capsys):
    files = snapshot(index)
    rc, out, issues = ingest(capsys, index, sample_path)
    assert rc == 0 and issues == [] and "0 added, 0 updated, 2 skipped; 0 sentences encoded" in out
    assert snapshot(index) == files


def test_search_json_with_context_and_filters(index, sample_articles, capsys):
    iraq, gaza = sample_articles
    assert main(["search", "hospital", "--json", "-k", "4", "--article", iraq.id, "--index", str(index)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["query"] == "hospital" and len(result["hits"]) == 4
    assert {h["article_id"] for h in result["hits"]} == {iraq.id}
    for hit in result["hits"]:
        s = hit["sentence"]
        assert iraq.text[s["start"]:s["end"]] == s["text"]
        assert hit["article_title"] == iraq.title
        before, after, i = hit["context"]["before"], hit["context"]["after"], s["index"]
        assert iraq.sentences[i - 1].text.endswith(before.lstrip("…")) if i > 0 else before == ""
        assert iraq.sentences[i + 1].text.startswith(after.rstrip("…")) if i + 1 < len(iraq.sentences) else after == ""
    assert main(["search", "hospital", "--json", "--source", "Nowhere", "--index", str(index)]) == 0
    assert json.loads(capsys.readouterr().out)["hits"] == []


def test_jsonl_ingest_with_a_malformed_line(index, tmp_path, capsys):
    path = tmp_path / "wire.jsonl"
    good = [{"id": f"w{i}", "title": f"Wire {i}", "text": f"Wire story number {i} about harbour cranes.",
             "source": "Wire", "published": "2024-01-0{}".format(i + 1)} for i in range(2)]
    path.write_text(json.dumps(good[0]) + "\n{\"id\": \"broken\",\n" + json.dumps(good[1]) + "\n")
    rc, out, issues = ingest(capsys, index, path)
    assert rc == 0 and "2 added" in out
    assert len(issues) == 1 and issues[0].startswith(f"warning: {path}:2: ")
    assert main(["search", "cranes", "--json", "--source", "wire", "--from", "2024-01-02", "--index", str(index)]) == 0
    assert {h["article_id"] for h in json.loads(capsys.readouterr().out)["hits"]} == {"w1"}


def test_non_utf8_file_is_ingested_with_a_warning(index, tmp_path, capsys):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Caf\xe9 owners protest rents\n\nThe caf\xe9 owners marched to the town hall.".encode("latin-1"))
    rc, out, issues = ingest(capsys, index, path)
    assert rc == 0 and "1 added" in out
    assert len(issues) == 1 and issues[0].startswith(f"warning: {path}: not valid UTF-8")


def test_some_bad_inputs_do_not_stop_the_good_ones(index, tmp_path, capsys):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "good.txt").write_text("Harbour cranes idle\n\nThe cranes stood idle all week.")
    rc, out, issues = ingest(capsys, index, tmp_path / "missing.txt", tmp_path / "empty.txt", tmp_path / "good.txt")
    assert rc == 0 and "1 added" in out
    assert len(issues) == 2 and "missing.txt: no such file" in issues[0] and "empty file" in issues[1]


# --------------------------------------------------------------------------- nothing could be done

@pytest.mark.parametrize("name, content, message", [
    ("missing.txt", None, "no such file or directory"),
    ("empty.txt", b"", "empty file"),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary file"),
    ("all-bad.jsonl", b"{oops\n[1, 2\n", "malformed JSON"),
])
def test_nothing_ingested_exits_non_zero_and_leaves_the_index(index, tmp_path, capsys, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    files = snapshot(index)
    rc, out, issues = ingest(capsys, index, path)
    assert rc == 2 and out == ""
    assert issues[0].startswith(f"warning: {path}") and message in issues[0]
    assert issues[-1].startswith("error: nothing ingested") and f"index {index} unchanged" in issues[-1]
    # one line per bad line and "no articles found" for the JSONL file, then the verdict
    assert len(issues) == (4 if name == "all-bad.jsonl" else 2)
    assert snapshot(index) == files


def test_index_built_with_another_model(index, sample_path, capsys):
    files = snapshot(index)
    rc = main(["ingest", str(sample_path), "--index", str(index), "--model", "sentence-transformers/all-mpnet-base-v2"])
    issues = problems(capsys.readouterr().err)
    assert rc == 2 and len(issues) == 1
    assert "built with embedding model 'sentence-transformers/all-MiniLM-L6-v2'" in issues[0]
    assert "all-mpnet-base-v2" in issues[0]
    assert snapshot(index) == files


def test_search_a_missing_index(tmp_path, capsys):
    rc = main(["search", "anything", "--index", str(tmp_path / "nothing-here")])
    issues = problems(capsys.readouterr().err)
    assert rc == 2 and len(issues) == 1 and "run `assistant ingest" in issues[0]
    assert not (tmp_path / "nothing-here").exists()


@pytest.mark.parametrize("extra, message", [(["--from", "last week"], "not a date"), (["-k", "0"], "-k")])
def test_search_bad_options(index, capsys, extra, message):
    rc = main(["search", "Blinken", *extra, "--index", str(index)])
    issues = problems(capsys.readouterr().err)
    assert rc == 2 and len(issues) == 1 and message in issues[0]


# --------------------------------------------------------------------------- index check / repair

def test_index_check_and_repair(index, sample_path, tmp_path, capsys):
    assert main(["index", "check", "--index", str(index)]) == 0
    assert "is intact: generation 1, 2 articles" in capsys.readouterr().out
    extra = tmp_path / "extra.txt"
    extra.write_text("Harbour reopens after storm\n\nThe harbour reopened on Monday.\n", encoding="utf-8")
    ingest(capsys, index, extra)
    (index / "embeddings.000002.npy").write_bytes(b"")
    assert main(["index", "check", "--index", str(index)]) == 2
    [line] = problems(capsys.readouterr().err)
    assert "embeddings.000002.npy" in line and "assistant index repair" in line
    assert main(["search", "harbour", "--index", str(index)]) == 2
    assert len(problems(capsys.readouterr().err)) == 1
    assert main(["index", "repair", "--index", str(index)]) == 0
    assert "restored generation 1, 2 articles" in capsys.readouterr().out
    assert main(["index", "repair", "--index", str(index)]) == 0
    assert "nothing to repair" in capsys.readouterr().out
    rc, out, issues = ingest(capsys, index, extra)  # the rerun adds the lost article again
    assert rc == 0 and "1 added" in out and issues == []


def test_index_check_without_an_index(tmp_path, capsys):
    assert main(["index", "check", "--index", str(tmp_path / "none")]) == 2
    assert problems(capsys.readouterr().err) == [f"error: no index at {tmp_path / 'none'}"]


def test_ingest_into_a_read_only_index_is_one_line(index, sample_path, capsys, monkeypatch):
    import assistant.index.embedded as index_module

    def read_only(path, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    files = snapshot(index)
    monkeypatch.setattr(index_module, "open", read_only, raising=False)
    extra = index.parent / "extra.jsonl"
    extra.write_text(json.dumps({"id": "n1", "text": "A new one."}) + "\n")
    rc, _, issues = ingest(capsys, index, extra)
    monkeypatch.undo()
    assert rc == 2 and len(issues) == 1 and "Permission denied" in issues[0] and snapshot(index) == files


# --------------------------------------------------------------------------- terminal safety, -k cap

ESCAPES = ("\x1b]0;pwned\x07", "\x1b[2J", "\x9b31m")


@pytest.fixture
def escape_index(tmp_path, capsys):
    folder = tmp_path / "escapes"
    path = tmp_path / "escapes.jsonl"
    text = f"Harbour reopens{ESCAPES[0]} after storm.\n\nThe harbour{ESCAPES[1]} reopened on Monday{ESCAPES[2]}."
    path.write_text(json.dumps({"id": "esc", "title": "Harbour news", "text": text}) + "\n", encoding="utf-8")
    assert ingest(capsys, folder, path)[0] == 0
    return folder, text


def assert_inert(out: str) -> None:
    assert not any(ch in out for ch in ("\x1b", "\x07", "\x9b")), repr(out)


@pytest.mark.parametrize("command", [["search", "harbour reopened"], ["ask", "When did the harbour reopen?"],
                                     ["claims", "esc"], ["summarize", "esc"]])
def test_control_characters_never_reach_the_terminal(escape_index, command, capsys):
    folder, text = escape_index
    assert main([*command, "--index", str(folder)]) == 0
    out = capsys.readouterr().out
    assert_inert(out)
    assert "harbour" in out.lower()


def test_json_output_keeps_the_text_but_escapes_it(escape_index, capsys):
    folder, text = escape_index
    assert main(["search", "harbour reopened", "--json", "--index", str(folder)]) == 0
    out = capsys.readouterr().out
    assert_inert(out)
    hits = json.loads(out)["hits"]
    assert any(h["sentence"]["text"] == text[h["sentence"]["start"]:h["sentence"]["end"]] and "\x9b" in
               h["sentence"]["text"] for h in hits)


def test_k_over_the_cap_is_capped_and_said(index, capsys):
    assert main(["search", "Blinken", "-k", "1000000", "--json", "--index", str(index)]) == 0
    out, err = capsys.readouterr()
    assert problems(err) == ["warning: -k 1000000 is over the limit of 1000; showing at most 1000"]
    assert 0 < len(json.loads(out)["hits"]) <= 1000
