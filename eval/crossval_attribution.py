"""Cross-validated attribution scores on PolNeAR train, for development without touching dev.

    .venv/bin/python eval/crossval_attribution.py --folds 5 --docs /tmp/train_docs.spacy
    .venv/bin/python eval/crossval_attribution.py --tagger --docs /tmp/train_docs.spacy
    .venv/bin/python eval/crossval_attribution.py --docs /tmp/train_docs.spacy --save-predictions cv.jsonl

The articles are split into K folds (article i goes to fold i mod K); each fold is scored
with a cue model trained on the other folds, so every article is scored by a model that
never saw it. With ``--tagger``, a contextual cue tagger is fine-tuned on the other folds
as well (about 5 minutes a fold on two CPU cores) and goes through the shipped file
format, 8-bit weights included. Prints the same table as ``assistant eval attribution``.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

from assistant.attribution.extract import find_attributions, read_with_tagger  # noqa: E402
from assistant.attribution.tagger import read_tagger, save_tagger  # noqa: E402
from assistant.config import configure_runtime  # noqa: E402
from assistant.evaluate import evaluate  # noqa: E402
from assistant.fileio import write_text_atomic  # noqa: E402
from train_cue_tagger import fit_cue_tagger, tagged_articles  # noqa: E402
from train_cues import fit_cue_model, polnear_examples  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--polnear", type=Path, default=ROOT.parent / "shared" / "polnear" / "train")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--threshold", type=float, default=0.4, help="cue probability to report")
    parser.add_argument("--docs", type=Path, help="cache of the parses (spaCy DocBin); written when absent")
    parser.add_argument("--tagger", action="store_true", help="fine-tune and use a contextual cue tagger per fold")
    parser.add_argument("--save-predictions", type=Path, metavar="FILE.jsonl",
                        help="write every fold's predictions, in the claims format, in article order")
    args = parser.parse_args()
    if args.folds < 2:
        parser.error("--folds must be at least 2")
    configure_runtime()
    from tqdm import tqdm

    gold, docs, examples = polnear_examples(args.polnear, args.docs)
    sentences = tagged_articles(gold, docs) if args.tagger else []
    predictions = []
    for k in tqdm(range(args.folds), desc="folds", unit="fold"):
        model = fit_cue_model([ex for i, ex in enumerate(examples) if i % args.folds != k], threshold=args.threshold)
        tagger = None
        if args.tagger:
            network = fit_cue_tagger([s for i, article in enumerate(sentences) if i % args.folds != k
                                         for s in article])
            with tempfile.TemporaryDirectory() as tmp:
                save_tagger(network, Path(tmp) / "tagger.safetensors")
                tagger = read_tagger(Path(tmp) / "tagger.safetensors")
        fold = list(range(k, len(docs), args.folds))
        for start in range(0, len(fold), 16):  # batches of 16 texts, as `assistant claims` reads them
            batch = fold[start:start + 16]
            contexts = read_with_tagger([docs[i] for i in batch], model, tagger)() if tagger else [None] * len(batch)
            for i, context in zip(batch, contexts):
                predictions.extend(find_attributions(docs[i], gold.articles[i], model, tagger, context))
    if args.save_predictions is not None:
        # sorted by article, so the file does not depend on the fold count
        order = {a.id: i for i, a in enumerate(gold.articles)}
        write_text_atomic(args.save_predictions, "".join(
            json.dumps(c.to_dict(), ensure_ascii=False) + "\n"
            for c in sorted(predictions, key=lambda c: order[c.article_id])))
    print(evaluate(gold.articles, gold.claims, predictions).table())


if __name__ == "__main__":
    main()
