"""The hand-written claim sets in eval/factcheck: well formed, and every evidence snippet of the
PolNeAR dev set is verbatim in the article it names."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.check import VERDICTS
from assistant.evaluate_check import read_check_set

FACTCHECK = Path(__file__).resolve().parent.parent / "eval" / "factcheck"
SETS = sorted(FACTCHECK.glob("*.jsonl"))


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("path", SETS, ids=[p.name for p in SETS])
def test_claim_set_is_well_formed(path):
    items = read_check_set(path)
    assert len({i.id for i in items}) == len(items)
    for row in _rows(path):
        assert row["label"] in VERDICTS
        # a verdict other than "not in coverage" is backed by a quoted snippet; "not in coverage" has none
        assert bool(row["evidence"]) == (row["label"] != "not_in_coverage"), row["id"]


def test_polnear_dev_evidence_is_verbatim_in_its_article(polnear_dir):
    texts = polnear_dir / "dev" / "text"
    for row in _rows(FACTCHECK / "polnear_dev_checks.jsonl"):
        text = (texts / f"{row['article']}.txt").read_text(encoding="utf-8")
        for snippet in row["evidence"]:
            assert snippet in text, (row["id"], snippet)
