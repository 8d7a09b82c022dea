"""The project's own attribution gold set (eval/attribution/sample_gold.jsonl)."""
from __future__ import annotations

import importlib.util
import json
import sys

import pytest

from assistant.config import SAMPLE_GOLD
from assistant.errors import AssistantError
from assistant.attribution.text import annotated_quote_kind
from assistant.evaluate import evaluate, read_claims, read_gold, sentence_ids_for
from assistant.types import Claim

SPEAKER_TYPES = {"person", "organisation", "unnamed source", "media report"}


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return [json.loads(line) for line in SAMPLE_GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_span_matches_the_article_text(records, sample_articles):
    by_id = {a.id: a for a in sample_articles}
    for record in records:
        article = by_id[record["article_id"]]
        assert record["title"] == article.title
        for role in ("speaker", "cue", "content"):
            span = record[role]
            if span is None:
                continue
            assert article.text[span["start"]:span["end"]] == span["text"], (record["relation_id"], role)
            assert span["text"] == span["text"].strip()
            for a, b in span.get("pieces") or []:
                assert span["start"] <= a < b <= span["end"]


def test_both_sample_articles_have_gold_and_headlines_are_covered(records, sample_articles):
    for article in sample_articles:
        mine = [r for r in records if r["article_id"] == article.id]
        assert mine, article.title
        # each sample headline carries an attribution ("Pledges", "Orders")
        assert any(r["content"]["end"] <= article.body_start for r in mine), article.title


def test_fields_follow_the_schema(records, sample_articles):
    by_id = {a.id: a for a in sample_articles}
    assert len({r["relation_id"] for r in records}) == len(records)
    seen = set()
    for record in records:
        claim = Claim.from_dict(record)
        article = by_id[claim.article_id]
        assert claim.speaker_type in SPEAKER_TYPES
        assert claim.speaker_resolved and claim.cue is not None
        assert claim.kind == annotated_quote_kind(article.text, claim.content.parts()), record["relation_id"]
        assert claim.sentence_ids == sentence_ids_for(article, claim)
        assert record["gold_notes"] is None or isinstance(record["gold_notes"], str)
        key = (claim.article_id, claim.speaker, claim.cue, claim.content)
        assert key not in seen
        seen.add(key)


def test_gold_loads_with_datasets(records, tmp_path):
    datasets = pytest.importorskip("datasets")
    data = datasets.load_dataset("json", data_files=str(SAMPLE_GOLD), split="train",
                                 cache_dir=str(tmp_path / "cache"))
    assert data.num_rows == len(records)
    assert data[0]["content"]["text"] == records[0]["content"]["text"]
    assert {"article_id", "speaker", "cue", "content", "kind", "speaker_resolved", "speaker_type",
            "sentence_ids", "title", "gold_notes"} <= set(data.column_names)


def test_read_gold_and_score_against_itself(records):
    gold = read_gold(SAMPLE_GOLD)
    assert len(gold.articles) == 2 and len(gold.claims) == len(records)
    assert len(gold.notes) == sum(1 for r in records if r["gold_notes"])
    # the gold file is also a valid predictions file (a superset of the claims format)
    report = evaluate(gold.articles, gold.claims, read_claims(SAMPLE_GOLD))
    assert report.counts["exact"]["relation"].f1 == 1.0
    assert report.speaker_accuracy == 1.0 and report.speaker_paired == len(records)


def test_read_gold_rejects_spans_that_do_not_match(records, tmp_path, sample_path):
    bad = dict(records[0], content=dict(records[0]["content"], start=records[0]["content"]["start"] + 1))
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(AssistantError, match=r"gold.jsonl:1: content text .* does not match"):
        read_gold(path, corpus=sample_path)
    path.write_text(json.dumps({k: v for k, v in records[0].items() if k != "corpus"}) + "\n", encoding="utf-8")
    with pytest.raises(AssistantError, match="'corpus' field"):
        read_gold(path)


def test_gold_file_is_what_the_annotation_script_writes(records, sample_articles, monkeypatch):
    spec = importlib.util.spec_from_file_location("make_sample_gold", SAMPLE_GOLD.parent / "make_sample_gold.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "make_sample_gold", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    assert module.build(sample_articles) == records


def test_cli_gold_against_itself(tmp_path, capsys):
    from assistant.cli import main

    out_json = tmp_path / "scores.json"
    assert main(["eval", "attribution", "--predictions", str(SAMPLE_GOLD), "--json", str(out_json)]) == 0
    assert "speaker resolution: 1.000" in capsys.readouterr().out
    data = json.loads(out_json.read_text())
    for mode in ("exact", "overlap"):
        for role in ("source", "cue", "content", "relation"):
            assert data["scores"][mode][role]["f1"] == 1.0
    assert data["speaker_resolution"]["accuracy"] == 1.0
