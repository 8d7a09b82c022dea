"""The consistency model on DocNLI pairs it was not trained on.

    .venv/bin/python eval/consistency_heldout.py [--model PATH] [--nli 36000]

``train_consistency.py`` shuffles DocNLI's pairs with its seed and trains on the first
``--nli`` of them; this reads the rest (same seed, same draw) and reports, per source file,
the ROC AUC of p(entailment) against the binary label and the accuracy at p = 0.5.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

from assistant.config import configure_runtime  # noqa: E402
from assistant.consistency import MODEL_PATH, read_model  # noqa: E402
from assistant.evaluate_check import roc_auc  # noqa: E402
from consistency_pairs import ENTAIL, docnli_pairs  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=MODEL_PATH)
    parser.add_argument("--factcheck", type=Path, default=ROOT.parent / "shared" / "factcheck")
    parser.add_argument("--nli", type=int, default=36000, help="pairs the model was trained on (train_consistency --nli)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    configure_runtime()
    pairs = docnli_pairs(args.factcheck / "nli")
    random.Random(args.seed).shuffle(pairs)
    held = pairs[args.nli:]
    if not held:
        sys.exit(f"error: no DocNLI pair is held out (the model was trained on {args.nli} of {len(pairs)})")
    p_entail = read_model(args.model).probabilities([(p.premise, p.hypothesis) for p in held])[:, 0]
    by_origin: dict[str, list[int]] = defaultdict(list)
    for i, pair in enumerate(held):
        by_origin[pair.origin].append(i)
    report = {}
    for origin, rows in sorted(by_origin.items()) + [("all", list(range(len(held))))]:
        labels = [int(held[i].label == ENTAIL) for i in rows]
        scores = [float(p_entail[i]) for i in rows]
        report[origin] = {"n": len(rows), "auc": round(roc_auc(scores, labels), 4),
                          "accuracy": round(sum((s >= 0.5) == bool(y) for s, y in zip(scores, labels)) / len(rows), 4)}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
