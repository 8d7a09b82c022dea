"""Cross-validated attribution scores on PolNeAR train, for development without touching dev.

    .venv/bin/python eval/crossval_attribution.py --folds 5 --docs /tmp/train_docs.spacy

The articles are split into K folds (article i goes to fold i mod K); each fold is scored
with a cue model trained on the other folds, so every article is scored by a model that
never saw it. Prints the same table as ``assistant eval attribution``.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

from assistant.attribution.extract import find_attributions  # noqa: E402
from assistant.config import configure_runtime  # noqa: E402
from assistant.evaluate import evaluate  # noqa: E402
from train_cues import fit_cue_model, polnear_examples  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--polnear", type=Path, default=ROOT.parent / "shared" / "polnear" / "train")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--threshold", type=float, default=0.4, help="cue probability to report")
    parser.add_argument("--docs", type=Path, help="cache of the parses (spaCy DocBin); written when absent")
    args = parser.parse_args()
    if args.folds < 2:
        parser.error("--folds must be at least 2")
    configure_runtime()
    from tqdm import tqdm

    gold, docs, examples = polnear_examples(args.polnear, args.docs)
    predictions = []
    for k in tqdm(range(args.folds), desc="folds", unit="fold"):
        model = fit_cue_model([ex for i, ex in enumerate(examples) if i % args.folds != k], threshold=args.threshold)
        for i in range(k, len(docs), args.folds):
            predictions.extend(find_attributions(docs[i], gold.articles[i], model))
    print(evaluate(gold.articles, gold.claims, predictions).table())


if __name__ == "__main__":
    main()
