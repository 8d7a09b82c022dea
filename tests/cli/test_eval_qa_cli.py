"""`assistant eval qa` end to end on the sample index with a small question set, and its
one-line errors."""
from __future__ import annotations

import json

import numpy as np

from assistant.cli import main

GAZA = "Israeli Strikes Kill 17 Palestinians in Gaza, Orders Hospital to Evacuate"


class OnlyMentionsModel:
    """A stand-in answerability model: a question about the evacuation is answered by a sentence
    holding the word 'ambulances'; nothing else answers."""

    def score(self, question, candidates):
        return np.array([0.9 if "ambulances" in c.sentence and "evacuat" in question else 0.1 for c in candidates])


def _write_set(path, sample_articles):
    article = next(a for a in sample_articles if a.title == GAZA)
    answering = next(s for s in article.sentences if "ambulances" in s.text)
    other = next(s for s in article.sentences if "Musa Bin Nusayr" in s.text)
    rows = [
        {"id": "a1", "question": "Why was evacuating the hospital so hard?", "answerable": True, "article": GAZA,
         "sentences": [[answering.start, answering.end]], "keys": ["ambulances"]},
        {"id": "a2", "question": "How many people were killed at the school?", "answerable": True, "article": GAZA,
         "sentences": [[other.start, other.end]], "keys": ["eight"]},
        {"id": "u1", "question": "How many ambulances did the evacuation of the hospital need?", "answerable": False,
         "near_miss": "the coverage says there were none to move patients, not how many were needed"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))


def test_eval_qa_scores_answers_citations_declines_and_recall(tmp_path, sample_index_dir, sample_articles,
                                                              capsys, monkeypatch):
    monkeypatch.setattr("assistant.answerability.load_answerability_model", lambda: OnlyMentionsModel())
    monkeypatch.setattr("assistant.answer.load_answerability_model", lambda: OnlyMentionsModel())
    qa = tmp_path / "qa.jsonl"
    _write_set(qa, sample_articles)
    report_path = tmp_path / "report.json"
    assert main(["eval", "qa", "--set", str(qa), "--index", str(sample_index_dir), "--json", str(report_path)]) == 0
    out = capsys.readouterr().out
    report = json.loads(report_path.read_text())
    # a1 answered from the ambulance sentence; a2 declined (the stand-in accepts nothing for it); u1 answered
    assert report["answered_and_cited_right"] == 0.5 and report["unanswerable_declined"] == 0.0
    by_id = {r["id"]: r for r in report["results"]}
    assert by_id["a1"]["right"] and by_id["a1"]["cited_right"]
    assert not by_id["a2"]["answered"] and not by_id["u1"]["right"]
    assert set(report["recall_at_k"]) == {"dense", "bm25", "fused", "reranked"}
    assert report["recall_at_k"]["reranked"] >= 0.5  # a1's sentence is ranked first by the stand-in
    assert report["config"]["answer_at"] == 0.5 and report["config"]["rerank"]
    assert "answered and cited right 0.500" in out and "declined 0.000" in out and "wrong: a2 (declined)" in out
    assert main(["eval", "qa", "--set", str(qa), "--index", str(sample_index_dir), "--rerank", "0",
                 "--format", "json", "-o", str(report_path)]) == 0
    assert not json.loads(report_path.read_text())["config"]["rerank"]


def test_eval_qa_bad_set_is_one_line_and_status_2(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "question": "Q?", "answerable": true, "article": "A", "sentences": [[0, 5]]}\n{not json\n')
    assert main(["eval", "qa", "--set", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and f"{bad}:2" in err
    assert main(["eval", "qa", "--set", str(tmp_path / "missing.jsonl")]) == 2
    assert "missing.jsonl: no such file" in capsys.readouterr().err
    assert main(["eval", "qa", "-k", "8", "--rerank", "4"]) == 2
    assert "--rerank 0 or at least -k" in capsys.readouterr().err
    assert main(["eval", "qa", "--reader", str(tmp_path / "reader.safetensors")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "answer reader not found at" in err and "eval/train_answer_reader.py" in err


def test_eval_qa_names_an_article_the_index_lacks(tmp_path, sample_index_dir, capsys):
    qa = tmp_path / "qa.jsonl"
    qa.write_text(json.dumps({"id": "z", "question": "Q?", "answerable": True, "article": "No such article",
                              "sentences": [[0, 5]], "keys": []}) + "\n")
    assert main(["eval", "qa", "--set", str(qa), "--index", str(sample_index_dir)]) == 2
    assert "article 'No such article' is not in the index" in capsys.readouterr().err


def test_eval_qa_writes_its_scores_as_csv(tmp_path):
    import csv

    out = tmp_path / "qa.csv"
    assert main(["eval", "qa", "--format", "csv", "-o", str(out)]) == 0
    rows = {r["measure"]: float(r["value"]) for r in csv.DictReader(out.open(encoding="utf-8"))}
    assert set(rows) >= {"answered and cited right", "near misses declined", "recall@8 fused"}
    assert all(0.0 <= v <= 1.0 for v in rows.values())
