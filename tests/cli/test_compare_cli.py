"""`assistant compare` end to end, in-process, with a scripted consistency model: every
format carries outlet, date and URL; the errors are one line with exit status 2."""
from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest

from assistant.cli import main
from assistant.corpus import make_article

FIRE = [("c1", "Twelve people were killed in the mill fire. The council will meet on Friday.", "Harbour Post", "2026-03-02"),
        ("c2", "The fire service said 12 people died in the mill fire.", "Valley News", "2026-03-03"),
        ("c3", "The union says 15 workers died in the mill fire.", "Wire Daily", "2026-03-04")]


class TollModel:
    """Entails when both texts give the same toll of the mill fire; neutral otherwise."""

    @staticmethod
    def toll(text):
        if "mill fire" not in text:
            return None
        return "15" if "15" in text else "12" if "12" in text or "Twelve" in text else None

    def probabilities(self, pairs):
        same = [self.toll(p) is not None and self.toll(p) == self.toll(h) for p, h in pairs]
        return np.array([[0.9, 0.05, 0.05] if s else [0.05, 0.9, 0.05] for s in same], dtype=np.float32).reshape(-1, 3)


@pytest.fixture(scope="module")
def fire_index(tmp_path_factory):
    from assistant.index import SentenceIndex

    path = tmp_path_factory.mktemp("fire") / "index"
    SentenceIndex(path).add([make_article(text=text, title=f"Fire {i}", id=i, source=source, published=date,
                                          url=f"https://{i}.example/fire") for i, text, source, date in FIRE])
    return path


@pytest.fixture(autouse=True)
def scripted_model(monkeypatch):
    import assistant.consistency

    monkeypatch.setattr(assistant.consistency, "load_consistency_model", lambda *a, **k: TollModel())


def run(capsys, *args):
    code = main(["compare", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_has_groups_disagreements_and_timeline_with_provenance(fire_index, capsys):
    code, out, _ = run(capsys, "mill fire deaths", "--no-attribution", "--format", "json", "--index", str(fire_index))
    assert code == 0
    report = json.loads(out)
    assert [sorted(m["article_id"] for m in g["members"]) for g in report["groups"]] == [["c1", "c2"]]
    assert report["groups"][0]["first_reported"] == "2026-03-02"
    assert [d["kind"] for d in report["disagreements"]] == ["figure"]
    assert [t["published"] for t in report["timeline"]] == sorted(t["published"] for t in report["timeline"])
    for s in [m for g in report["groups"] for m in g["members"]] + report["timeline"]:
        assert s["source"] and s["published"] and s["url"].startswith("https://")


@pytest.mark.parametrize("fmt", ["table", "jsonl", "csv", "md"])
def test_every_format_carries_outlet_date_and_url(fire_index, capsys, fmt):
    code, out, _ = run(capsys, "mill fire deaths", "--no-attribution", "--format", fmt, "--index", str(fire_index))
    assert code == 0
    for _, _, source, date in FIRE[1:]:
        assert source in out and date in out
    assert "https://c3.example/fire" in out
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert {r["section"] for r in rows} == {"group", "disagreement", "timeline"}
        assert all(r["source"] and r["published"] and r["url"] for r in rows)
    if fmt == "jsonl":
        assert all({"source", "published", "url", "article_id", "start", "end"} <= set(json.loads(line))
                   for line in out.splitlines())


def test_output_file(fire_index, tmp_path, capsys):
    target = tmp_path / "compare.csv"
    assert run(capsys, "mill fire", "--no-attribution", "--format", "csv", "-o", str(target),
               "--index", str(fire_index))[0] == 0
    assert "Harbour Post" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize("args, message", [
    ([], "give a TOPIC or --speaker NAME"),
    (["fire", "--speaker", "Vell"], "give a TOPIC or --speaker NAME"),
    (["--speaker", "Vell", "--no-attribution"], "--speaker needs the attribution engine"),
    (["fire", "-k", "0"], "-k must be between 1 and 200"),
])
def test_user_errors_are_one_line(fire_index, capsys, args, message):
    code, _, err = run(capsys, *args, "--index", str(fire_index))
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert code == 2 and len(lines) == 1 and message in lines[0]


def test_no_index_and_bad_output_are_one_line(tmp_path, fire_index, capsys):
    code, _, err = run(capsys, "fire", "--index", str(tmp_path / "none"))
    assert code == 2 and "no index at" in err
    code, _, err = run(capsys, "fire", "-o", str(tmp_path), "--index", str(fire_index))
    assert code == 2 and "is a directory" in err
