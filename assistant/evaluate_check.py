"""Measuring the checker: summary/document consistency sets and the project's own claim set.

* Consistency sets (``read_consistency_items``): FRANK / XSumFaith (``val.jsonl``: one
  object a line with ``dataset``, ``cut``, ``document``, ``summary``, ``label``), SummEdits
  (a JSON list per domain with ``doc``, ``summary``, ``label``, ``split``) or plain pairs
  (``document``, ``summary``, ``label``). Per dataset: ROC AUC of the score, balanced
  accuracy at the threshold that is best on the threshold cut (``val`` for FRANK and
  XSumFaith, where it is also the cut reported, and a two-fold cross-fitted figure beside
  it; SummEdits' ``evaluation`` cut for its ``test`` cut), and the balanced accuracy of the
  verdict itself (supported against the rest: no threshold at all).
* The claim set (``read_check_set``): claims about an indexed coverage with their expected
  verdict; accuracy over the four verdicts and over three (disputed counted with
  contradicted), per kind, and whether the speaker is named for attributed supported claims.
"""
from __future__ import annotations

import json
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .check import CONTRADICTED, DISPUTED, SUPPORTED, VERDICTS, Checker, CheckResult, same_speaker
from .errors import AssistantError
from .fileio import read_jsonl


@dataclass
class ConsistencyItem:
    id: str
    dataset: str
    cut: str
    document: str
    summary: str
    label: int  # 1 consistent


@dataclass
class CheckItem:
    id: str
    claim: str
    label: str
    kind: str = ""
    attributed_to: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- metrics

def roc_auc(scores: Sequence[float], labels: Sequence[int]) -> float:
    """Probability that a random positive scores above a random negative (ties half)."""
    ranked = sorted(zip(scores, labels))
    ranks: list[float] = [0.0] * len(ranked)
    i = 0
    while i < len(ranked):
        j = i
        while j + 1 < len(ranked) and ranked[j + 1][0] == ranked[i][0]:
            j += 1
        for k in range(i, j + 1):
            ranks[k] = (i + j) / 2 + 1
        i = j + 1
    positives = sum(label for _, label in ranked)
    negatives = len(ranked) - positives
    if not positives or not negatives:
        return float("nan")
    rank_sum = sum(r for r, (_, label) in zip(ranks, ranked) if label)
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def balanced_accuracy(predicted: Sequence[bool], labels: Sequence[int]) -> float:
    pos = [p for p, label in zip(predicted, labels) if label]
    neg = [not p for p, label in zip(predicted, labels) if not label]
    if not pos or not neg:
        return float("nan")
    return (sum(pos) / len(pos) + sum(neg) / len(neg)) / 2


def best_threshold(scores: Sequence[float], labels: Sequence[int]) -> float:
    """The cut that maximises balanced accuracy on (scores, labels)."""
    candidates = sorted(set(scores))
    cuts = [(a + b) / 2 for a, b in zip(candidates, candidates[1:])] or candidates or [0.5]
    return max(cuts, key=lambda t: balanced_accuracy([s >= t for s in scores], labels))


def cross_fitted_accuracy(scores: Sequence[float], labels: Sequence[int], seed: int = 0) -> float:
    """Balanced accuracy with each half's threshold chosen on the other half."""
    order = list(range(len(scores)))
    random.Random(seed).shuffle(order)
    halves = [order[::2], order[1::2]]
    predicted = [False] * len(scores)
    for a, b in (halves, halves[::-1]):
        cut = best_threshold([scores[i] for i in a], [labels[i] for i in a])
        for i in b:
            predicted[i] = scores[i] >= cut
    return balanced_accuracy(predicted, labels)


# --------------------------------------------------------------------------- consistency sets

def read_consistency_items(path: Path) -> list[ConsistencyItem]:
    """Items of a consistency set in any of the three layouts (see the module docstring)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise AssistantError(f"{path}: cannot read ({exc})") from exc
    items: list[ConsistencyItem] = []
    if text.lstrip().startswith("["):
        try:
            records = json.loads(text)
        except json.JSONDecodeError as exc:
            raise AssistantError(f"{path}: malformed JSON ({exc.msg})") from exc
        dataset = path.stem.removeprefix("summedits_")
        dataset = f"summedits-{dataset}" if path.stem.startswith("summedits_") else dataset
        for n, r in enumerate(records):
            items.append(_item(path, n + 1, r, dataset, r.get("split", "test"), "doc"))
        return items
    for n, record in read_jsonl(path):
        items.append(_item(path, n, record, record.get("dataset", path.stem), record.get("cut", "val"), "document"))
    if not items:
        raise AssistantError(f"{path}: no items")
    return items


def _item(path: Path, n: int, record: Any, dataset: str, cut: str, doc_key: str) -> ConsistencyItem:
    if not isinstance(record, dict) or not isinstance(record.get(doc_key), str) \
            or not isinstance(record.get("summary"), str) or record.get("label") not in (0, 1):
        raise AssistantError(f"{path}:{n}: needs '{doc_key}', 'summary' and a 0/1 'label'")
    return ConsistencyItem(str(record.get("id", record.get("doc_id", n))), dataset, cut,
                           record[doc_key], record["summary"], int(record["label"]))


def threshold_cut(dataset: str) -> tuple[str, str]:
    """(cut the threshold is chosen on, cut reported) for a dataset."""
    return ("evaluation", "test") if dataset.startswith("summedits") else ("val", "val")


def consistency_report(items: Sequence[ConsistencyItem], results: Sequence[CheckResult]) -> dict[str, Any]:
    by_dataset: dict[str, list[tuple[ConsistencyItem, CheckResult]]] = defaultdict(list)
    for item, result in zip(items, results):
        by_dataset[item.dataset].append((item, result))
    report = {}
    for dataset, rows in sorted(by_dataset.items()):
        fit_cut, test_cut = threshold_cut(dataset)
        fit = [(r.score, i.label) for i, r in rows if i.cut == fit_cut]
        test = [(r.score, i.label, r.verdict) for i, r in rows if i.cut == test_cut]
        if not fit or not test:
            fit = [(r.score, i.label) for i, r in rows]
            test = [(r.score, i.label, r.verdict) for i, r in rows]
            fit_cut = test_cut = "all"
        cut = best_threshold([s for s, _ in fit], [y for _, y in fit])
        scores, labels = [s for s, _, _ in test], [y for _, y, _ in test]
        entry = {"n": len(test), "consistent": sum(labels), "cut": test_cut, "auc": roc_auc(scores, labels),
                 "threshold": cut, "threshold_cut": fit_cut,
                 "balanced_accuracy": balanced_accuracy([s >= cut for s in scores], labels),
                 "verdict_balanced_accuracy": balanced_accuracy([v == SUPPORTED for _, _, v in test], labels)}
        if fit_cut == test_cut:
            entry["balanced_accuracy_cross_fitted"] = cross_fitted_accuracy(scores, labels)
        report[dataset] = entry
    return report


def check_consistency(checker: Checker, items: Sequence[ConsistencyItem], *, progress: bool = True,
                      encode: Callable[[list[str]], Any] | None = None) -> list[CheckResult]:
    from tqdm import tqdm

    return [checker.check_pair(item.document, item.summary, claim_id=item.id, encode=encode)
            for item in tqdm(items, desc="check", unit="pair", disable=not progress, mininterval=10)]


# --------------------------------------------------------------------------- the claim set

def read_check_set(path: Path) -> list[CheckItem]:
    items = []
    for n, r in read_jsonl(path):
        if r.get("label") not in VERDICTS or not isinstance(r.get("claim"), str):
            raise AssistantError(f"{path}:{n}: needs 'claim' and a 'label' among {', '.join(VERDICTS)}")
        items.append(CheckItem(str(r.get("id", n)), r["claim"], r["label"], r.get("kind", ""),
                               list(r.get("attributed_to") or [])))
    if not items:
        raise AssistantError(f"{path}: no claims")
    return items


def _three_way(verdict: str) -> str:
    return CONTRADICTED if verdict == DISPUTED else verdict


def check_set_report(items: Sequence[CheckItem], results: Sequence[CheckResult]) -> dict[str, Any]:
    per_kind: dict[str, list[bool]] = defaultdict(list)
    confusion: dict[str, dict[str, int]] = {g: {p: 0 for p in VERDICTS} for g in VERDICTS}
    speakers: list[bool] = []
    errors = []
    for item, result in zip(items, results):
        right = result.verdict == item.label
        per_kind[item.kind or item.label].append(right)
        confusion[item.label][result.verdict] += 1
        if item.label == SUPPORTED and item.attributed_to:
            speakers.append(right and any(same_speaker(a, b) for a in item.attributed_to for b in result.attributed_to))
        if not right:
            errors.append({"id": item.id, "claim": item.claim, "expected": item.label, "got": result.verdict,
                           "score": round(result.score, 3), "issues": result.issues[:3]})
    n = len(items)
    return {
        "n": n,
        "accuracy": sum(r.verdict == i.label for i, r in zip(items, results)) / n,
        "accuracy_three_way": sum(_three_way(r.verdict) == _three_way(i.label) for i, r in zip(items, results)) / n,
        "speaker_named": (sum(speakers) / len(speakers)) if speakers else None,
        "speaker_cases": len(speakers),
        "by_kind": {k: {"n": len(v), "accuracy": sum(v) / len(v)} for k, v in sorted(per_kind.items())},
        "confusion": confusion,
        "errors": errors,
    }
