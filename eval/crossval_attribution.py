"""Cross-validated attribution scores on PolNeAR train, for development without touching dev.

    .venv/bin/python eval/crossval_attribution.py --folds 5 --docs /tmp/train_docs.spacy
    .venv/bin/python eval/crossval_attribution.py --tagger --docs /tmp/train_docs.spacy
    .venv/bin/python eval/crossval_attribution.py --docs /tmp/train_docs.spacy --save-predictions cv.jsonl
    .venv/bin/python eval/crossval_attribution.py --tagger --taggers /tmp/cv_taggers --unsure-low 0.05
    .venv/bin/python eval/crossval_attribution.py --docs /tmp/train_docs.spacy --relation-models /tmp/relation_folds

The articles are split into K folds (article i goes to fold i mod K); each fold is scored
with a cue model trained on the other folds, so every article is scored by a model that
never saw it. With ``--tagger``, a contextual cue tagger is fine-tuned on the other folds
as well (about 5 minutes a fold on two CPU cores) and goes through the shipped file
format, 8-bit weights included; ``--taggers DIR`` keeps each fold's tagger there and reads
it back on the next run, so settings (``--threshold``, ``--unsure-low``, ``--unsure-high``)
can be compared without fine-tuning again. The shipped relation model saw every train
article, so each fold is judged by its own (``--relation-models DIR``, written by
``eval/train_relation_scorer.py --folds-out DIR``) or, without it, by none. Prints the
same table as ``assistant eval attribution``.
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

from assistant.attribution.extract import find_relations, read_with_tagger, relations_to_claims  # noqa: E402
from assistant.attribution.relation_scorer import load_relation_scorer  # noqa: E402
from assistant.attribution.settings import ExtractionSettings  # noqa: E402
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
    parser.add_argument("--fold", type=int, help="score only this fold (0 to folds - 1), for quick comparisons")
    parser.add_argument("--threshold", type=float, default=0.4, help="cue probability to report")
    parser.add_argument("--C", type=float, default=0.3, help="the cue model's inverse regularisation strength")
    parser.add_argument("--docs", type=Path, help="cache of the parses (spaCy DocBin); written when absent")
    parser.add_argument("--tagger", action="store_true", help="fine-tune and use a contextual cue tagger per fold")
    parser.add_argument("--taggers", type=Path, metavar="DIR",
                        help="keep each fold's tagger in DIR; read it from there when present")
    parser.add_argument("--layers", type=int, default=3, help="encoder layers of each fold's tagger (default 3)")
    parser.add_argument("--epochs", type=float, default=1.0, help="epochs of each fold's tagger (default 1)")
    defaults = ExtractionSettings()
    parser.add_argument("--unsure-low", type=float, default=defaults.tagger_unsure_low,
                        help="the tagger reads sentences with a candidate at least this likely")
    parser.add_argument("--unsure-high", type=float, default=defaults.tagger_unsure_high,
                        help="... and at most this likely")
    parser.add_argument("--relation-models", type=Path, metavar="DIR",
                        help="each fold's relation model (foldKofN.json, from eval/train_relation_scorer.py "
                             "--folds-out DIR); without it the relation model is off")
    parser.add_argument("--save-predictions", type=Path, metavar="FILE.jsonl",
                        help="write every fold's predictions, in the claims format, in article order")
    args = parser.parse_args()
    if args.folds < 2:
        parser.error("--folds must be at least 2")
    if args.fold is not None and not 0 <= args.fold < args.folds:
        parser.error("--fold must be between 0 and folds - 1")
    configure_runtime()
    # the shipped relation model saw every train article: a fold is judged by its own or none
    settings = ExtractionSettings(tagger_unsure_low=args.unsure_low, tagger_unsure_high=args.unsure_high,
                                  relation_model=args.relation_models is not None)
    from tqdm import tqdm

    gold, docs, examples = polnear_examples(args.polnear, args.docs)
    sentences = tagged_articles(gold, docs) if args.tagger else []
    predictions = []
    scored = range(args.folds) if args.fold is None else [args.fold]
    for k in tqdm(scored, desc="folds", unit="fold"):
        model = fit_cue_model([ex for i, ex in enumerate(examples) if i % args.folds != k], C=args.C,
                               threshold=args.threshold)
        scorer = load_relation_scorer(args.relation_models / f"fold{k}of{args.folds}.json") \
            if args.relation_models else None
        tagger = None
        if args.tagger:
            tagger = fold_tagger(sentences, k, args.folds, args.taggers, layers=args.layers, epochs=args.epochs)
        fold = list(range(k, len(docs), args.folds))
        for start in range(0, len(fold), 16):  # batches of 16 texts, as `assistant claims` reads them
            batch = fold[start:start + 16]
            contexts = read_with_tagger([docs[i] for i in batch], model, tagger, settings=settings)() \
                if tagger else [None] * len(batch)
            for i, context in zip(batch, contexts):
                relations = find_relations(docs[i], model, tagger, context, settings=settings, scorer=scorer)
                predictions.extend(relations_to_claims(gold.articles[i], relations))
    if args.save_predictions is not None:
        # sorted by article, so the file does not depend on the fold count
        order = {a.id: i for i, a in enumerate(gold.articles)}
        write_text_atomic(args.save_predictions, "".join(
            json.dumps(c.to_dict(), ensure_ascii=False) + "\n"
            for c in sorted(predictions, key=lambda c: order[c.article_id])))
    articles = [a for i, a in enumerate(gold.articles) if i % args.folds in scored]
    ids = {a.id for a in articles}
    print(evaluate(articles, [c for c in gold.claims if c.article_id in ids], predictions).table())


def fold_tagger(sentences: list, k: int, folds: int, keep: Path | None, *, layers: int = 3, epochs: float = 1.0):
    """The tagger of fold ``k`` (``layers`` encoder layers, ``epochs``), fine-tuned on the
    other folds' sentences, read back through the shipped file format; kept in (and read
    from) the folder ``keep`` when given."""
    def train(path: Path):
        save_tagger(fit_cue_tagger([s for i, article in enumerate(sentences) if i % folds != k for s in article],
                                   layers=layers, epochs=epochs), path)
        return read_tagger(path)

    if keep is None:
        with tempfile.TemporaryDirectory() as tmp:
            return train(Path(tmp) / "tagger.safetensors")
    # the shipped size keeps the old names, so kept taggers are still found
    size = "" if (layers, epochs) == (3, 1.0) else f"-{layers}l{epochs:g}e"
    path = keep / f"fold{k}of{folds}{size}.safetensors"
    if path.exists():
        return read_tagger(path)
    keep.mkdir(parents=True, exist_ok=True)
    return train(path)


if __name__ == "__main__":
    main()
