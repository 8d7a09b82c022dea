"""Choose `compare`'s thresholds on the dev corpus: each grid point of `CompareConfig`
scored as `assistant eval compare --corpus DIR` scores it.

    .venv/bin/python eval/compare_thresholds.py                  # examples/compare_dev, a few minutes

Run it on the dev corpus only: `examples/compare_corpus` is the scored corpus, and a
threshold read off it would be tuned on the test data. The model and the encoder read each
text (pair) once for the whole grid.
"""
from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.compare import CompareConfig, compare_statements, statements_of  # noqa: E402
from assistant.consistency import load_consistency_model  # noqa: E402
from assistant.corpus import read_articles  # noqa: E402
from assistant.evaluate_compare import read_compare_gold, score_comparison  # noqa: E402
from assistant.summarize import default_encode  # noqa: E402
from assistant.verify import engine_claims  # noqa: E402

GRID = {"close_at": (0.6, 0.65, 0.7), "same_at": (0.4, 0.5, 0.6), "link_share": (0.49, 0.5),
        "pair_at": (0.45, 0.5), "speaker_at": (None, 0.4, 0.45)}


class Remembered:
    """The consistency model and the encoder, each text (pair) read once."""

    def __init__(self, model):
        self.model, self.pairs, self.vectors = model, {}, {}

    def probabilities(self, pairs):
        new = [p for p in dict.fromkeys(pairs) if p not in self.pairs]
        self.pairs.update(zip(new, self.model.probabilities(new)))
        return np.asarray([self.pairs[p] for p in pairs], dtype=np.float32).reshape(-1, 3)

    def encode(self, texts):
        new = [t for t in dict.fromkeys(texts) if t not in self.vectors]
        self.vectors.update(zip(new, default_encode(new) if new else []))
        return np.asarray([self.vectors[t] for t in texts], dtype=np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "examples" / "compare_dev")
    args = parser.parse_args()
    gold = read_compare_gold(args.corpus / "annotations.json")
    articles = read_articles([args.corpus / "articles.jsonl"])
    statements = [s for a, c in zip(articles, engine_claims(articles)) for s in statements_of(a, c)]
    remembered = Remembered(load_consistency_model())
    print(" ".join(GRID), "| grouping P R F1 | disagreements P R")
    for values in itertools.product(*GRID.values()):
        config = CompareConfig(**dict(zip(GRID, values)))
        comparison = compare_statements(str(args.corpus), statements, remembered.encode, remembered, config)
        report = score_comparison(gold, articles, comparison)
        g, d = report["grouping"], report["disagreements"]
        print(" ".join(f"{v!s:<5}" for v in values), f"| {g['precision']:.3f} {g['recall']:.3f} {g['f1']:.3f} "
              f"| {d['precision']:.3f} {d['recall']:.3f}")


if __name__ == "__main__":
    main()
