"""Fit the checker's score calibration (assistant/data/check_calibration.json).

    .venv/bin/python eval/fit_check.py            # about 10 minutes on two CPU cores

The score of ``assistant check`` is a logistic function of four signals of a claim's
evidence: the highest p(entailment) and p(contradiction), and the numbers of contradicting
and of unsupported structured findings (``assistant.check.SIGNALS``). Its weights are fitted
here on SummEdits' ``evaluation`` cut of every domain but news: data the consistency
model never saw in training, and none of the sets the checker is reported on (FRANK,
XSumFaith, SummEdits news, the project's claim set). Each summary is represented by its
weakest sentence (the lowest p(entailment) - p(contradiction)), as a summary is
consistent only when every sentence is.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.check import CALIBRATION_PATH, SIGNALS, Checker  # noqa: E402
from assistant.config import configure_runtime  # noqa: E402
from assistant.evaluate_check import check_consistency, read_consistency_items, roc_auc  # noqa: E402
from assistant.fileio import write_text_atomic  # noqa: E402

SUMMEDITS = ROOT.parent / "shared" / "factcheck" / "summedits"


def weakest_signals(result) -> dict[str, float]:
    sentences = result.sentences or [result]
    weakest = min(sentences, key=lambda r: r.signals.get("entailment", 0) - r.signals.get("contradiction", 0))
    return weakest.signals


def fit_logistic(rows: list[list[float]], labels: list[int], c: float = 1.0) -> tuple[list[float], float]:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, max_iter=1000).fit(rows, labels)
    return [float(w) for w in model.coef_[0]], float(model.intercept_[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--summedits", type=Path, default=SUMMEDITS)
    parser.add_argument("--out", type=Path, default=CALIBRATION_PATH)
    parser.add_argument("--signals", type=Path, help="also write each item's signals here (JSONL)")
    args = parser.parse_args()
    configure_runtime()
    items = [item for path in sorted(args.summedits.glob("summedits_*.json")) if path.stem != "summedits_news"
             for item in read_consistency_items(path) if item.cut == "evaluation"]
    results = check_consistency(Checker(use_attribution=False), items)
    rows = [[weakest_signals(r)[name] for name in SIGNALS] for r in results]
    labels = [item.label for item in items]
    weights, bias = fit_logistic(rows, labels)
    if args.signals:
        write_text_atomic(args.signals, "".join(json.dumps({"id": i.id, "dataset": i.dataset, "label": i.label,
                                                            "signals": dict(zip(SIGNALS, row))}) + "\n"
                                                for i, row in zip(items, rows)))
    fitted = [1 / (1 + __import__("math").exp(-(bias + sum(w * x for w, x in zip(weights, row))))) for row in rows]
    card = {"signals": list(SIGNALS), "weights": weights, "bias": bias,
            "fitted_on": f"SummEdits evaluation cut, {len(items)} items of {len({i.dataset for i in items})} non-news domains",
            "auc_on_fit_data": roc_auc(fitted, labels), "entailment_auc_on_fit_data": roc_auc([r[0] for r in rows], labels)}
    write_text_atomic(args.out, json.dumps(card, indent=2) + "\n")
    print(json.dumps(card, indent=2))


if __name__ == "__main__":
    main()
