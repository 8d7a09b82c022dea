"""Fine-tune the contextual cue tagger (assistant/attribution/data/cue_tagger.safetensors)
on PolNeAR train.

    .venv/bin/python eval/train_cue_tagger.py --docs /tmp/train_docs.spacy

Every sentence of the training articles with a candidate word (verb, noun, adjective) is an
example; a candidate is positive when it heads a gold Cue span (the same labels as the
linear model, ``train_cues.cue_heads``); other words carry no loss. The network is the
sentence encoder's embeddings (frozen) and first ``--layers`` layers, with one output per
word piece, trained for ``--epochs`` with AdamW, a linear warm-up and decay, seeded. About
7 minutes on two CPU cores.
"""
from __future__ import annotations

import argparse
import math
import random
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

from assistant.attribution.cues import is_candidate  # noqa: E402
from assistant.attribution.tagger import TAGGER_PATH, CueTagger, build_network, save_tagger  # noqa: E402
from assistant.config import configure_runtime  # noqa: E402
from assistant.evaluate import GoldSet  # noqa: E402
from train_cues import claims_by_article, cue_heads, polnear_examples  # noqa: E402


@dataclass
class TaggedSentence:
    words: list[str]
    labels: list[int]  # 1 cue head, 0 other candidate, -1 not a candidate (no loss)


def tagged_sentences(doc, claims) -> list[TaggedSentence]:
    """The sentences of ``doc`` that hold a candidate word, labelled by the gold ``claims``."""
    heads = cue_heads(doc, claims)[0]
    out = []
    for sent in doc.sents:
        labels = [(int(t.i in heads) if is_candidate(t) else -1) for t in sent]
        if any(label >= 0 for label in labels):
            out.append(TaggedSentence([t.text for t in sent], labels))
    return out


def fit_cue_tagger(sentences: list[TaggedSentence], *, layers: int = 3, epochs: float = 1.0, lr: float = 1e-4,
                   batch_size: int = 32, seed: int = 0, progress: bool = True):
    """The fine-tuned network (embeddings frozen)."""
    import torch
    from tqdm import tqdm

    random.seed(seed)
    torch.manual_seed(seed)
    network, tokenizer = build_network(layers)
    for p in network.bert.embeddings.parameters():
        p.requires_grad = False
    encoder = CueTagger(network, tokenizer)
    by_length = sorted(sentences, key=lambda s: len(s.words))
    batches = [by_length[i:i + batch_size] for i in range(0, len(by_length), batch_size)]
    total = max(1, int(len(batches) * epochs))
    optimizer = torch.optim.AdamW([p for p in network.parameters() if p.requires_grad], lr=lr, weight_decay=0.01)
    warmup = 0.06 * total
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min(1.0, step / warmup) * max(0.0, (total - step) / total))
    network.train()
    bar = tqdm(total=total, desc="tagger", unit="batch", disable=not progress)
    step = 0
    while step < total:
        random.shuffle(batches)
        for batch in batches[:total - step]:
            enc, firsts = encoder.encode([s.words for s in batch])
            target = torch.full(enc["input_ids"].shape, -1.0)
            for row, s in enumerate(batch):
                for word, position in enumerate(firsts[row]):
                    if position is not None:
                        target[row, position] = s.labels[word]
            logits = network(**enc).logits[..., 0]
            scored = target >= 0
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits[scored], target[scored])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(network.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            step += 1
            bar.update()
            bar.set_postfix(loss=f"{loss.item():.3f}")
    bar.close()
    network.eval()
    return network


def tagged_articles(gold: GoldSet, docs: list) -> list[list[TaggedSentence]]:
    """The tagged sentences of each article of ``gold`` (``docs``: their parses)."""
    by_article = claims_by_article(gold)
    return [tagged_sentences(doc, by_article.get(a.id, [])) for a, doc in zip(gold.articles, docs)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--polnear", type=Path, default=ROOT.parent / "shared" / "polnear" / "train")
    parser.add_argument("--out", type=Path, default=TAGGER_PATH)
    parser.add_argument("--docs", type=Path, help="cache of the parses (spaCy DocBin); written when absent")
    parser.add_argument("--layers", type=int, default=3, help="encoder layers kept (default 3)")
    parser.add_argument("--epochs", type=float, default=1.0)
    parser.add_argument("--lr", type=float, default=1e-4)
    args = parser.parse_args()
    if not 1 <= args.layers <= 6:
        parser.error("--layers must be between 1 and 6")
    if not math.isfinite(args.epochs) or args.epochs <= 0:
        parser.error("--epochs must be positive")
    configure_runtime()
    gold, docs, _ = polnear_examples(args.polnear, args.docs)
    sentences = [s for article in tagged_articles(gold, docs) for s in article]
    network = fit_cue_tagger(sentences, layers=args.layers, epochs=args.epochs, lr=args.lr)
    save_tagger(network, args.out)
    print(f"{len(sentences)} sentences, {args.layers} layers -> {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
