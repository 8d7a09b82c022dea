"""`assistant check` and `assistant eval factcheck` end to end, in-process, with the shipped
consistency model: output shape and provenance, input order, the pairs round trip, and the
error cases (one line, exit status 2)."""
from __future__ import annotations

import csv
import io
import json

import pytest

from assistant.cli import main

REQUIRED = {"claim", "verdict", "score", "evidence", "attributed_to", "issues"}
EVIDENCE = {"article_id", "title", "source", "published", "sentence_index", "start", "end", "text", "stance", "speaker"}


def errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


def test_one_claim_as_jsonl_with_evidence_and_exact_offsets(sample_index_dir, sample_articles, capsys):
    assert main(["check", "Medics said eight people were killed at a school in Gaza City.",
                 "--index", str(sample_index_dir), "--format", "jsonl"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(records) == 1 and REQUIRED <= set(records[0])
    record = records[0]
    assert record["verdict"] in {"supported", "contradicted", "disputed", "not_in_coverage"}
    assert 0.0 <= record["score"] <= 1.0
    texts = {a.id: a.text for a in sample_articles}
    for e in record["evidence"]:
        assert EVIDENCE <= set(e)
        assert texts[e["article_id"]][e["start"]:e["end"]] == e["text"]


def test_a_file_of_claims_keeps_input_order_and_ids(sample_index_dir, tmp_path, capsys):
    claims = tmp_path / "claims.jsonl"
    claims.write_text('{"id": "a", "claim": "Blinken delayed his visit to the Middle East."}\n\n'
                      '{"id": "b", "claim": "The World Cup final was played in Qatar."}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["check", "--file", str(claims), "--index", str(sample_index_dir), "--format", "jsonl",
                 "-o", str(out), "--no-attribution"]) == 0
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in records] == ["a", "b"]
    assert records[1]["verdict"] == "not_in_coverage"


def test_pairs_round_trip_without_an_index(tmp_path, capsys):
    pairs = tmp_path / "pairs.jsonl"
    document = "On Monday the city council approved the budget for the new school. Work starts in May."
    pairs.write_text("\n".join(json.dumps(p) for p in [
        {"id": "faithful", "document": document, "summary": "The council approved the school budget."},
        {"id": "negated", "document": document, "summary": "The council did not approve the school budget. Work starts in May."},
    ]) + "\n", encoding="utf-8")
    assert main(["check", "--pairs", str(pairs), "--format", "jsonl", "--index", str(tmp_path / "none")]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in records] == ["faithful", "negated"]
    assert [len(r["sentences"]) for r in records] == [1, 2]
    assert records[0]["verdict"] == "supported" and records[1]["verdict"] != "supported"
    assert records[1]["sentences"][0]["verdict"] != "supported"


def test_csv_and_markdown_carry_provenance(sample_index_dir, capsys):
    assert main(["check", "Eight people were killed at a school in Gaza City.", "--index", str(sample_index_dir),
                 "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows and {"verdict", "evidence", "source", "published", "title", "speaker"} <= set(rows[0])
    assert main(["check", "Eight people were killed at a school in Gaza City.", "--index", str(sample_index_dir),
                 "--format", "md"]) == 0
    assert capsys.readouterr().out.startswith("| claim | verdict |")


def test_a_summary_against_one_indexed_article(sample_index_dir, sample_articles, tmp_path, capsys):
    gaza = next(a for a in sample_articles if "Gaza" in a.title)
    summary = tmp_path / "summary.txt"
    summary.write_text("Israeli strikes killed at least 17 Palestinians in Gaza. Hamas signed a ceasefire.\n")
    assert main(["check", "--article", gaza.id, "--summary-file", str(summary), "--index", str(sample_index_dir),
                 "--format", "json"]) == 0
    [record] = json.loads(capsys.readouterr().out)
    assert len(record["sentences"]) == 2
    assert all(e["article_id"] == gaza.id for s in record["sentences"] for e in s["evidence"])


@pytest.mark.parametrize("argv, message", [
    (["check"], "give one of"),
    (["check", "x", "--pairs", "p.jsonl"], "give one of"),
    (["check", "--summary-file", "s.txt"], "go together"),
    (["check", "--file", "/no/such/file"], "not a readable text file"),
    (["check", "claim", "-k", "0"], "-k must be between"),
])
def test_bad_arguments_are_one_line_errors(argv, message, tmp_path, capsys):
    assert main(argv + ["--index", str(tmp_path / "none")]) == 2
    lines = errors(capsys.readouterr().err)
    assert len(lines) == 1 and message in lines[0]


def test_malformed_pairs_line_names_the_line(tmp_path, capsys):
    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text('{"document": "a", "summary": "b"}\n{not json\n', encoding="utf-8")
    assert main(["check", "--pairs", str(pairs)]) == 2
    assert errors(capsys.readouterr().err) == [f"error: {pairs}:2: malformed JSON (Expecting property name enclosed in double quotes)"]


def test_eval_factcheck_scores_a_consistency_set_and_a_claim_set(sample_index_dir, tmp_path, capsys):
    data = tmp_path / "val.jsonl"
    document = "The council approved the budget for the new school on Monday. Work starts in May."
    rows = [("The council approved the school budget.", 1), ("Work starts in May.", 1),
            ("The council rejected the school budget.", 0), ("Work starts in December.", 0)]
    data.write_text("".join(json.dumps({"dataset": "mine", "cut": "val", "document": document, "summary": s,
                                        "label": y}) + "\n" for s, y in rows), encoding="utf-8")
    checks = tmp_path / "checks.jsonl"
    checks.write_text(json.dumps({"id": "c1", "claim": "The World Cup final was played in Qatar.",
                                  "label": "not_in_coverage", "kind": "not_in_coverage"}) + "\n", encoding="utf-8")
    report = tmp_path / "report.json"
    assert main(["eval", "factcheck", "--data", str(data), "--checks", str(checks), "--index", str(sample_index_dir),
                 "--no-attribution", "--json", str(report)]) == 0
    scores = json.loads(report.read_text())
    assert scores["mine"]["n"] == 4 and 0.0 <= scores["mine"]["auc"] <= 1.0
    assert scores["checks:checks.jsonl"]["accuracy"] == 1.0
    assert "AUC" in capsys.readouterr().out
