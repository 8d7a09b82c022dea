"""Fuzzing the readers: random bytes, random Unicode and huge lines in every input format
are warnings at worst: never a traceback, and nothing already stored is lost."""
from __future__ import annotations

import json
import random
import shutil

import pytest

from assistant.cli import main
from assistant.index import SentenceIndex
from assistant.models import sentence_splitter

SUFFIXES = (".txt", ".md", ".json", ".jsonl", ".ndjson", ".csv", ".tsv", ".parquet", ".arrow")
HUGE = 200_000  # over csv's field limit (131,072) and the (lowered) sentence splitter limit


def random_bytes(rng: random.Random) -> bytes:
    return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 3000)))


def random_unicode(rng: random.Random) -> bytes:
    chars = []
    for _ in range(rng.randrange(1, 1500)):
        point = rng.choice([rng.randrange(0x20, 0x7f), rng.randrange(0x80, 0x3000), rng.randrange(0x10000, 0x10ffff),
                            ord(rng.choice('\n\t.,;"{}[]=:'))])
        if not 0xd800 <= point <= 0xdfff:
            chars.append(chr(point))
    return "".join(chars).encode("utf-8")


def huge_line(rng: random.Random, suffix: str) -> bytes:
    words = " ".join(rng.choice(["storm", "harbour", "said", "minister", "“quote”"]) for _ in range(HUGE // 6))
    if suffix in (".json", ".jsonl", ".ndjson"):
        return (json.dumps({"id": "huge", "title": "Huge", "text": words}) + "\n"
                + json.dumps({"id": "small", "text": "A small record survives."}) + "\n").encode()
    if suffix in (".csv", ".tsv"):
        sep = "," if suffix == ".csv" else "\t"
        return f"id{sep}text\nhuge{sep}{words}\nsmall{sep}A small row survives.\n".encode()
    return f"Huge line ahead\n\n{words}\n".encode()


@pytest.fixture
def stored(sample_index_dir, tmp_path):
    path = tmp_path / "index"
    shutil.copytree(sample_index_dir, path)
    return path


@pytest.mark.parametrize("seed", [1, 2])
def test_fuzzed_files_never_crash_an_ingest_or_lose_stored_articles(stored, tmp_path, seed, capsys, monkeypatch):
    monkeypatch.setattr(sentence_splitter(), "max_length", 50_000)
    rng = random.Random(seed)
    folder = tmp_path / "fuzz"
    folder.mkdir()
    for suffix in SUFFIXES:
        (folder / f"bytes{suffix}").write_bytes(random_bytes(rng))
        (folder / f"unicode{suffix}").write_bytes(random_unicode(rng))
        (folder / f"huge{suffix}").write_bytes(huge_line(rng, suffix))
    before = {a.id: a.to_dict() for a in SentenceIndex(stored).articles()}
    rc = main(["ingest", str(folder), "--index", str(stored)])
    out, err = capsys.readouterr()
    assert rc in (0, 2) and "Traceback" not in err
    lines = [line for line in err.replace("\r", "\n").split("\n") if "warning:" in line or "error:" in line]
    assert lines and all(("warning: " in line or "error: " in line) and str(folder) in line for line in lines)
    index = SentenceIndex(stored)
    after = {a.id: a.to_dict() for a in index.articles()}
    assert all(after[article_id] == article for article_id, article in before.items())
    assert index.check()
    if rc == 0:  # the small record next to each huge one was kept
        assert {"small"} <= set(after)
