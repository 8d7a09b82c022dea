"""Fit the checker's score calibration (assistant/data/check_calibration.json).

    .venv/bin/python eval/fit_check.py            # about 15 minutes on two CPU cores

The score of ``assistant check`` is a logistic function of signals of a claim's evidence
(``assistant.check.SIGNALS``): by default the highest p(entailment), and the numbers of
contradicting and of unsupported structured findings. The model's p(contradiction) is
recorded but left out of the score by default: on FRANK and XSumFaith (development
cuts) it is higher for consistent summaries than for the rest (AUC 0.37 and 0.46 of its
negation), as near-copies of a source sentence draw it. Its weights are fitted here on
SummEdits' ``evaluation`` cut of every domain but news: data the consistency model never
saw in training, and none of the sets the checker is reported on (FRANK, XSumFaith,
SummEdits news, the project's claim set). A summary's signals are its sentences' means,
as its score is its sentences' mean.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.check import CALIBRATION_PATH, SIGNALS, Checker, CheckConfig, sigmoid  # noqa: E402
from assistant.config import configure_runtime  # noqa: E402
from assistant.evaluate_check import check_consistency, read_consistency_items, roc_auc  # noqa: E402
from assistant.fileio import write_text_atomic  # noqa: E402

SUMMEDITS = ROOT.parent / "shared" / "factcheck" / "summedits"


def mean_signals(result, names) -> list[float]:
    sentences = result.sentences or [result]
    return [sum(s.signals.get(name, 0.0) for s in sentences) / len(sentences) for name in names]


def fit_logistic(rows: list[list[float]], labels: list[int], c: float = 1.0) -> tuple[list[float], float]:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, max_iter=1000).fit(rows, labels)
    return [float(w) for w in model.coef_[0]], float(model.intercept_[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--summedits", type=Path, default=SUMMEDITS)
    parser.add_argument("--out", type=Path, default=CALIBRATION_PATH)
    parser.add_argument("--signals", default=",".join(CheckConfig.score_signals),
                        help=f"the signals the score reads, of {','.join(SIGNALS)} (default: %(default)s)")
    parser.add_argument("--dump", type=Path, help="also write each item's signals here (JSONL)")
    args = parser.parse_args()
    configure_runtime()
    items = [item for path in sorted(args.summedits.glob("summedits_*.json")) if path.stem != "summedits_news"
             for item in read_consistency_items(path) if item.cut == "evaluation"]
    names = [n.strip() for n in args.signals.split(",") if n.strip()]
    if not names or not set(names) <= set(SIGNALS):
        sys.exit(f"error: --signals must name some of {', '.join(SIGNALS)}")
    results = check_consistency(Checker(use_attribution=False), items)
    rows = [mean_signals(r, names) for r in results]
    labels = [item.label for item in items]
    weights, bias = fit_logistic(rows, labels)
    if args.dump:
        write_text_atomic(args.dump, "".join(json.dumps({"id": i.id, "dataset": i.dataset, "label": i.label,
                                                         "signals": dict(zip(names, row))}) + "\n"
                                                for i, row in zip(items, rows)))
    fitted = [sigmoid(bias + sum(w * x for w, x in zip(weights, row))) for row in rows]
    card = {"signals": names, "weights": weights, "bias": bias,
            "fitted_on": f"SummEdits evaluation cut, {len(items)} items of {len({i.dataset for i in items})} non-news domains",
            "auc_on_fit_data": roc_auc(fitted, labels)}
    write_text_atomic(args.out, json.dumps(card, indent=2) + "\n")
    print(json.dumps(card, indent=2))


if __name__ == "__main__":
    main()
