"""Every command speaks the same way: --format table|json|jsonl|csv|md and -o FILE, with
outlet and date on each row; `demo` leaves the user's own index alone."""
from __future__ import annotations

import csv
import io
import json

import pytest

from assistant.cli import build_parser, main

QUESTION = "How many people were killed at the school in Gaza City?"
OUTPUT_COMMANDS = [["ingest", "x"], ["search", "x"], ["claims", "x"], ["summarize", "x"], ["ask", "x"],
                   ["check", "x"], ["compare", "x"], ["eval", "attribution"], ["eval", "factcheck"],
                   ["eval", "compare"], ["eval", "speakers"], ["eval", "qa"], ["index", "check"], ["index", "repair"]]


@pytest.mark.parametrize("command", OUTPUT_COMMANDS, ids=" ".join)
def test_every_command_takes_the_common_output_options(command, tmp_path):
    for fmt in ("table", "json", "jsonl", "csv", "md"):
        args = build_parser().parse_args([*command, "--format", fmt, "-o", str(tmp_path / "out")])
        assert args.format == fmt and args.output == tmp_path / "out"


def test_search_and_ask_in_every_format(sample_index_dir, capsys, tmp_path):
    index = ["--index", str(sample_index_dir)]
    assert main(["search", "school in Gaza City", "-k", "3", "--format", "csv", *index]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 3 and all(r["title"] and r["sentence"] for r in rows)
    assert main(["search", "school in Gaza City", "-k", "3", "--json", *index]) == 0  # the old flag still works
    assert len(json.loads(capsys.readouterr().out)["hits"]) == 3
    out = tmp_path / "answer.jsonl"
    assert main(["ask", QUESTION, "--format", "jsonl", "-o", str(out), *index]) == 0
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert lines and all(r["article_title"] and r["source_text"] for r in lines)
    assert main(["ask", QUESTION, "--format", "md", *index]) == 0
    assert capsys.readouterr().out.startswith("| sentence | text |")


def test_eval_attribution_writes_its_scores_with_format_and_output(tmp_path):
    from assistant.config import SAMPLE_GOLD

    out = tmp_path / "scores.json"
    assert main(["eval", "attribution", "--predictions", str(SAMPLE_GOLD), "--format", "json", "-o", str(out)]) == 0
    assert json.loads(out.read_text())["scores"]["exact"]["relation"]["f1"] == 1.0
    assert main(["eval", "attribution", "--predictions", str(SAMPLE_GOLD), "--format", "csv", "-o", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert {(r["role"], r["match"]) for r in rows} >= {("relation", "exact"), ("relation", "overlap")}


def test_demo_uses_a_temporary_index_unless_told(monkeypatch, tmp_path):
    from assistant.cli import demo

    own = tmp_path / "own-index"
    monkeypatch.setenv("ASSISTANT_INDEX", str(own))
    used = []
    monkeypatch.setattr(demo, "run_in", lambda args, folder: used.append(folder) or 0)
    assert main(["demo"]) == 0
    assert used[0] != own and not used[0].exists()  # removed at the end
    assert not own.exists()
    assert main(["demo", "--index", str(own)]) == 0
    assert used[1] == own
