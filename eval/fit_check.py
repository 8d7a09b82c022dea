"""Fit the checker's score calibration (assistant/data/check_calibration.json).

    .venv/bin/python eval/fit_check.py            # about 15 minutes on two CPU cores

The score of ``assistant check`` is a logistic function of signals of a claim's evidence
(``assistant.check.SIGNALS``): by default the highest p(entailment) of the consistency
model, the most of the claim's content words that one evidence sentence holds, and the
numbers of distinct contradicting and unsupported structured findings (a name, figure or
date the coverage never writes counts whichever sentence is read). A summary's signals are
its sentences' means, and its score is the logistic function of them. The model's
p(contradiction) is recorded and left out by default: on FRANK and XSumFaith it is higher
for consistent summaries than for the rest, as near-copies of a source sentence draw it.

The weights are fitted on every cut meant for development, as SummaC-Conv fits its
aggregation on the benchmarks' validation cuts: SummEdits' ``evaluation`` cut of every
domain (the consistency model never saw it in training) and FRANK's and XSumFaith's
``val`` cuts. Every item weighs the same, the two labels balanced; weighing each dataset
the same instead lets the eight SummEdits domains outvote the two sets of real system
summaries, on which the word overlap matters most (AUC alone 0.86 on FRANK). Never fitted here: SummEdits' ``test`` cuts (news is reported on
it), the project's claim set, and held-out test data. Because the val cuts are also
reported, the script prints, beside the fit, each dataset's AUC under weights fitted
without that dataset: the figure to expect on data of a kind not seen in the fit.
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

FACTCHECK = ROOT.parent / "shared" / "factcheck"


def development_items(factcheck: Path) -> list:
    """SummEdits' evaluation cuts and the val cuts of FRANK and XSumFaith."""
    items = [item for path in sorted((factcheck / "summedits").glob("summedits_*.json"))
             for item in read_consistency_items(path) if item.cut == "evaluation"]
    return items + [item for item in read_consistency_items(factcheck / "benchmarks" / "val.jsonl") if item.cut == "val"]


def fit_logistic(rows: list[list[float]], labels: list[int], c: float = 1.0) -> tuple[list[float], float]:
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, max_iter=1000, class_weight="balanced").fit(rows, labels)
    return [float(w) for w in model.coef_[0]], float(model.intercept_[0])


def scores_of(rows: list[list[float]], weights: list[float], bias: float) -> list[float]:
    return [sigmoid(bias + sum(w * x for w, x in zip(weights, row))) for row in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--factcheck", type=Path, default=FACTCHECK, help="the shared fact-check data folder")
    parser.add_argument("--out", type=Path, default=CALIBRATION_PATH)
    parser.add_argument("--signals", default=",".join(CheckConfig.score_signals),
                        help=f"the signals the score reads, of {','.join(SIGNALS)} (default: %(default)s)")
    parser.add_argument("--dump", type=Path, help="also write each item's signals here (JSONL)")
    args = parser.parse_args()
    configure_runtime()
    names = [n.strip() for n in args.signals.split(",") if n.strip()]
    if not names or not set(names) <= set(SIGNALS):
        sys.exit(f"error: --signals must name some of {', '.join(SIGNALS)}")
    items = development_items(args.factcheck)
    results = check_consistency(Checker(use_attribution=False), items)
    rows = [[r.signals.get(name, 0.0) for name in names] for r in results]
    labels = [item.label for item in items]
    datasets = [item.dataset for item in items]
    weights, bias = fit_logistic(rows, labels)
    if args.dump:
        write_text_atomic(args.dump, "".join(json.dumps({"id": i.id, "dataset": i.dataset, "cut": i.cut,
                                                         "label": i.label, "signals": r.signals}) + "\n"
                                                for i, r in zip(items, results)))
    fitted = scores_of(rows, weights, bias)
    per_dataset = {}
    for dataset in sorted(set(datasets)):
        inside = [n for n, d in enumerate(datasets) if d == dataset]
        outside = [n for n, d in enumerate(datasets) if d != dataset]
        w_out, b_out = fit_logistic([rows[n] for n in outside], [labels[n] for n in outside])
        per_dataset[dataset] = {
            "n": len(inside),
            "auc_fitted": roc_auc([fitted[n] for n in inside], [labels[n] for n in inside]),
            "auc_fitted_without_it": roc_auc(scores_of([rows[n] for n in inside], w_out, b_out),
                                             [labels[n] for n in inside])}
    card = {"signals": names, "weights": weights, "bias": bias,
            "fitted_on": f"{len(items)} development items: SummEdits evaluation cuts of "
                         f"{sum(d.startswith('summedits') for d in set(datasets))} domains, FRANK and XSumFaith val cuts; "
                         "labels balanced",
            "auc_per_dataset": per_dataset}
    write_text_atomic(args.out, json.dumps(card, indent=2) + "\n")
    print(json.dumps(card, indent=2))


if __name__ == "__main__":
    main()
