"""Train the consistency model (assistant/data/consistency.safetensors).

    .venv/bin/python eval/train_consistency.py                 # about an hour on two CPU cores

A cross-encoder over (premise, hypothesis) with three outputs (entailment, neutral,
contradiction), started from the bundled MiniLM sentence encoder (its word embeddings
frozen, so only the layers above them ship). The pairs (``consistency_pairs.py``):

* DocNLI's binary MNLI and FEVER pairs, ``--nli`` of them;
* SummEdits' ``test`` cut of every domain but news (news is kept for evaluation, and every
  domain's ``evaluation`` cut for fitting the verdict combiner, ``eval/fit_check.py``);
* ``--synthetic`` edits of PolNeAR train sentences, drawn evenly over the kinds of edit.

Binary "not entailment" pairs are trained with the loss -log(1 - p(entailment)), which
leaves open whether they are neutral or contradictory. AdamW with a linear warm-up and
decay, batches of like length, one pass, seeded. A hand-written loop rather than
sentence-transformers' CrossEncoder trainer for two reasons: that partial-label loss, and
the frozen embeddings that keep the shipped file small. The weights are written every
``--save-every`` steps, so an interrupted run leaves a usable model.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

from assistant.config import configure_runtime  # noqa: E402
from assistant.consistency import MODEL_PATH, ConsistencyModel, build_network  # noqa: E402
from assistant.models import save_finetuned  # noqa: E402
from consistency_pairs import NOT_ENTAIL, Pair, docnli_pairs, polnear_pairs, summedits_pairs  # noqa: E402

SHARED = ROOT.parent / "shared"


# shares of the synthetic pairs per label: more faithful near-copies than contradicting
# edits, so that a changed word is not by itself a sign of contradiction, and as many
# neutral pairs, so that an on-topic claim the premise does not state reads as neutral
LABEL_SHARES = {0: 0.40, 2: 0.30, 1: 0.30}


def balanced_sample(pairs: list[Pair], n: int, rng: random.Random) -> list[Pair]:
    """``n`` pairs, ``LABEL_SHARES`` of them per label, drawn as evenly as the kinds of edit
    (``origin``) of that label allow."""
    by_origin: dict[tuple[int, str], list[Pair]] = defaultdict(list)
    for pair in pairs:
        by_origin[pair.label, pair.origin].append(pair)
    chosen: list[Pair] = []
    for label, share in LABEL_SHARES.items():
        groups = sorted((g for (lab, _), g in sorted(by_origin.items()) if lab == label), key=len)
        budget = int(n * share)
        taken = 0
        for k, group in enumerate(groups):
            rng.shuffle(group)
            part = group[:(budget - taken) // (len(groups) - k)]
            chosen += part
            taken += len(part)
    return chosen


def batches_by_length(pairs: list[Pair], batch_size: int, rng: random.Random) -> list[list[Pair]]:
    """Batches of pairs of like length (little padding), in random order."""
    ordered = sorted(pairs, key=lambda p: len(p.premise) + len(p.hypothesis) + rng.random() * 40)
    batches = [ordered[i:i + batch_size] for i in range(0, len(ordered), batch_size)]
    rng.shuffle(batches)
    return batches


def partial_label_loss(logits, labels):
    """Cross-entropy for three-way labels; -log(1 - p(entailment)) for ``NOT_ENTAIL``."""
    import torch

    log_p = torch.log_softmax(logits, dim=-1)
    known = labels >= 0
    loss = torch.zeros((), dtype=log_p.dtype)
    if known.any():
        loss = loss + torch.nn.functional.nll_loss(log_p[known], labels[known], reduction="sum")
    unknown = ~known
    if unknown.any():
        loss = loss - torch.logsumexp(log_p[unknown][:, 1:], dim=-1).sum()
    return loss / len(labels)


def fit(pairs: list[Pair], out: Path, *, layers: int = 6, lr: float = 5e-5, batch_size: int = 16,
        max_tokens: int = 160, seed: int = 0, save_every: int = 500, stop_after: int | None = None,
        progress: bool = True) -> object:
    """The trained network; written to ``out`` every ``save_every`` steps and at the end.
    ``stop_after`` ends the run after that many steps, the learning-rate schedule still
    that of the whole run (so it reproduces the checkpoint a full run writes then)."""
    import torch
    from tqdm import tqdm

    rng = random.Random(seed)
    torch.manual_seed(seed)
    network, tokenizer = build_network(layers)
    for p in network.bert.embeddings.parameters():
        p.requires_grad = False
    reader = ConsistencyModel(network, tokenizer, max_tokens=max_tokens)
    batches = batches_by_length(pairs, batch_size, rng)
    total = len(batches)
    optimizer = torch.optim.AdamW([p for p in network.parameters() if p.requires_grad], lr=lr, weight_decay=0.01)
    warmup = max(1.0, 0.06 * total)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min(1.0, step / warmup) * max(0.0, (total - step) / total))
    network.train()
    running = None
    todo = batches[:stop_after] if stop_after else batches
    for step, batch in enumerate(tqdm(todo, desc="consistency", unit="batch", disable=not progress,
                                      mininterval=30), start=1):
        enc = reader.encode([(p.premise, p.hypothesis) for p in batch])
        labels = torch.tensor([p.label for p in batch])
        loss = partial_label_loss(network(**enc).logits, labels)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(network.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
        running = loss.item() if running is None else 0.98 * running + 0.02 * loss.item()
        if step % save_every == 0 or step == len(todo):
            save_finetuned(network, out, encoder=_encoder(), layers=str(layers), steps=f"{step}/{total}")
            if progress:
                print(f"step {step}/{total}: loss {running:.3f}, saved {out}", flush=True)
    network.eval()
    return network


def _encoder() -> str:
    from assistant.models import DEFAULT_EMBEDDING_MODEL

    return DEFAULT_EMBEDDING_MODEL


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--factcheck", type=Path, default=SHARED / "factcheck")
    parser.add_argument("--polnear", type=Path, default=SHARED / "polnear" / "train")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--nli", type=int, default=36000,
                        help="DocNLI pairs drawn (default 36000 of 37856; the rest are held out)")
    parser.add_argument("--synthetic", type=int, default=24000, help="synthetic news pairs drawn (default 24000)")
    parser.add_argument("--articles", type=int, default=None, help="PolNeAR articles used (default all)")
    parser.add_argument("--layers", type=int, default=6)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--save-every", type=int, default=500)
    parser.add_argument("--stop-after", type=int, default=None, metavar="STEPS",
                        help="stop after this many steps (the schedule stays that of the whole run)")
    parser.add_argument("--dump", type=Path, help="also write the training pairs here (JSONL)")
    args = parser.parse_args()
    configure_runtime()
    rng = random.Random(args.seed)
    nli = docnli_pairs(args.factcheck / "nli")
    rng.shuffle(nli)
    nli = nli[:args.nli]
    edits = summedits_pairs(args.factcheck / "summedits", split="test")
    synthetic = balanced_sample(polnear_pairs(args.polnear, limit=args.articles, seed=args.seed), args.synthetic, rng)
    pairs = nli + edits + synthetic
    counts = defaultdict(int)
    for pair in pairs:
        counts[pair.origin] += 1
    print(json.dumps({"pairs": len(pairs), "by_origin": dict(sorted(counts.items())),
                      "not_entailment": sum(p.label == NOT_ENTAIL for p in pairs)}), flush=True)
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as handle:
            for pair in pairs:
                handle.write(json.dumps(pair.__dict__) + "\n")
    started = time.time()
    fit(pairs, args.out, layers=args.layers, lr=args.lr, batch_size=args.batch_size, max_tokens=args.max_tokens,
        seed=args.seed, save_every=args.save_every, stop_after=args.stop_after)
    print(f"{len(pairs)} pairs, {(time.time() - started) / 60:.1f} min -> {args.out} "
          f"({args.out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
