"""`assistant claims` end to end, in-process: files and indexed ids, every format, and the
error cases (one line each, exit status 2, nothing written)."""
from __future__ import annotations

import csv
import io
import json

import pytest

from assistant.cli import main
from assistant.types import Claim

ARTICLE = ("Mayor Ingrid Holm said the bridge would reopen in May. "
           "Engineers found no cracks in the deck, the city's transport office said on Friday.\n")


@pytest.fixture
def article_file(tmp_path):
    path = tmp_path / "bridge.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def errors(stderr: str) -> list[str]:
    return [line[line.index("error:"):] for line in stderr.replace("\r", "\n").split("\n") if "error:" in line]


def test_jsonl_from_a_file_written_atomically(article_file, tmp_path, capsys):
    out = tmp_path / "claims.jsonl"
    assert main(["claims", str(article_file), "--format", "jsonl", "-o", str(out), "--quiet"]) == 0
    assert "wrote" in capsys.readouterr().err
    claims = [Claim.from_dict(json.loads(line)) for line in out.read_text().splitlines()]
    text = ARTICLE.rstrip("\n")
    assert claims and all(c.content.text == text[c.content.start:c.content.end] for c in claims)
    holm = [c for c in claims if c.speaker and c.speaker.text.endswith("Ingrid Holm")]
    assert holm and holm[0].speaker_resolved == "Ingrid Holm" and holm[0].speaker_type == "person"
    assert "the bridge would reopen in May" in holm[0].content.text
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "md"])
def test_formats_to_stdout(article_file, fmt, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # the table wraps to the terminal
    assert main(["claims", str(article_file), "--format", fmt, "--quiet"]) == 0
    out = capsys.readouterr().out
    if fmt == "json":
        (entry,) = json.loads(out)["articles"]
        assert entry["title"].startswith("Mayor Ingrid Holm said")
        assert any(c["speaker_resolved"] == "Ingrid Holm" for c in entry["claims"])
        assert all(c["sentence"] for c in entry["claims"])
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert any(r["speaker_resolved"] == "Ingrid Holm" and "Mayor Ingrid Holm said" in r["sentence"] for r in rows)
    else:
        assert "Ingrid Holm" in out and "the bridge would reopen in May" in " ".join(out.split())


def test_indexed_ids_and_files_in_the_order_given(sample_index_dir, sample_articles, article_file, capsys):
    iraq, gaza = sample_articles
    rc = main(["claims", gaza.id, str(article_file), iraq.id, "--index", str(sample_index_dir),
               "--format", "jsonl", "--quiet"])
    assert rc == 0
    ids = [json.loads(line)["article_id"] for line in capsys.readouterr().out.splitlines()]
    order = list(dict.fromkeys(ids))
    assert order[0] == gaza.id and order[-1] == iraq.id and len(order) == 3


def test_progress_bar_counts_articles(article_file, capsys):
    assert main(["claims", str(article_file), str(article_file), "--format", "jsonl"]) == 0
    assert "2/2" in capsys.readouterr().err


@pytest.mark.parametrize("args, message", [
    (["missing.txt"], "missing.txt: no such file or directory, and no index at"),
    (["0123456789abcdef"], "0123456789abcdef: no such file or directory, and no index at"),
])
def test_unknown_input_without_an_index(tmp_path, args, message, capsys):
    assert main(["claims", *args, "--index", str(tmp_path / "none")]) == 2
    lines = errors(capsys.readouterr().err)
    assert len(lines) == 1 and message in lines[0]


def test_unknown_id_with_an_index(sample_index_dir, capsys):
    assert main(["claims", "ffffffffffffffff", "--index", str(sample_index_dir)]) == 2
    lines = errors(capsys.readouterr().err)
    assert len(lines) == 1 and "no article with this id in the index" in lines[0]


def test_output_folder_must_exist(article_file, tmp_path, capsys):
    target = tmp_path / "nowhere" / "claims.csv"
    assert main(["claims", str(article_file), "--format", "csv", "-o", str(target)]) == 2
    assert len(errors(capsys.readouterr().err)) == 1 and not target.parent.exists()


def test_output_onto_a_folder_or_fifo_is_one_line_and_leaves_it(article_file, tmp_path, capsys):
    import os
    import stat

    folder = tmp_path / "out"
    folder.mkdir()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for target in (folder, fifo):
        assert main(["claims", str(article_file), "--format", "csv", "-o", str(target), "--quiet"]) == 2
        lines = errors(capsys.readouterr().err)
        assert len(lines) == 1 and str(target) in lines[0]
    assert folder.is_dir() and stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_eval_outputs_onto_a_folder_fail_before_the_engine_runs(tmp_path, capsys):
    folder = tmp_path / "out"
    folder.mkdir()
    for option in ("--json", "--save-predictions"):
        assert main(["eval", "attribution", option, str(folder)]) == 2
        lines = errors(capsys.readouterr().err)
        assert len(lines) == 1 and "is a directory" in lines[0]


def test_empty_file_is_a_clear_error(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert main(["claims", str(empty), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "empty file" in err and len(errors(err)) == 1


def test_index_path_that_is_a_file(tmp_path, capsys):
    not_a_folder = tmp_path / "index"
    not_a_folder.write_text("x")
    assert main(["claims", "0123456789abcdef", "--index", str(not_a_folder)]) == 2
    lines = errors(capsys.readouterr().err)
    assert len(lines) == 1 and "no index at" in lines[0]


def test_generator_path_runs_a_real_model_and_never_moves_a_span(tmp_path, tmp_path_factory, capsys):
    """A tiny random T5 (no download) answers the speaker prompt; whatever it says, the
    claims keep the spans the rules found, and a proposed name is one the text wrote."""
    from tiny_models import tiny_t5

    text = "The new dam was debated in Tarvik, where Oskar Lind governs. He said the plan was sound.\n"
    path = tmp_path / "dam.txt"
    path.write_text(text, encoding="utf-8")
    model = tiny_t5(tmp_path_factory.mktemp("tiny-t5-claims"), text + "unknown Answer")
    assert main(["claims", str(path), "--format", "jsonl", "--quiet"]) == 0
    plain = [Claim.from_dict(json.loads(line)) for line in capsys.readouterr().out.splitlines()]
    assert main(["claims", str(path), "--format", "jsonl", "--quiet", "--generator", str(model)]) == 0
    generated = [Claim.from_dict(json.loads(line)) for line in capsys.readouterr().out.splitlines()]
    assert plain and [(c.speaker, c.cue, c.content) for c in generated] == [(c.speaker, c.cue, c.content) for c in plain]
    he = [c for c in generated if c.speaker and c.speaker.text == "He"]
    assert he and (he[0].speaker_resolved is None or he[0].speaker_resolved in text)


def test_no_tagger_runs_the_linear_engine(article_file, tmp_path, capsys):
    from assistant.attribution import extract_claims
    from assistant.corpus import make_article

    out = tmp_path / "claims.jsonl"
    assert main(["claims", str(article_file), "--format", "jsonl", "-o", str(out), "--quiet", "--no-tagger"]) == 0
    got = [json.loads(line) for line in out.read_text().splitlines()]
    article = make_article(text=ARTICLE.rstrip("\n"), id=got[0]["article_id"])
    expected = extract_claims([article], contextual=False)[0]
    assert [(c["cue"]["text"], c["content"]["text"]) for c in got] == [(c.cue.text, c.content.text) for c in expected]
