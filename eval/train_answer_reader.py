"""Train the answer reader (assistant/data/answer_reader.safetensors) from PolNeAR train.

    .venv/bin/python eval/train_answer_reader.py --cache /tmp/answerability.pkl   # about an hour on 2 shared cores

A cross-encoder over (question, sentence | title) with one logit, "answers", started from
the bundled MiniLM sentence encoder (or, ``--init consistency``, from the consistency
model's layers), word embeddings frozen. The pairs are those of
``eval/train_answerability.py`` (the same articles, seed and held-out fifth: synthetic
questions asked against their sentence, its neighbours, the headline, another figure,
another report of the same story, and near misses), and two kinds of hard negative
(``hard_negatives``): the sentences just before and after the answering one, and sentences
of other articles that name what is asked about ("growth", "homicides") for another place,
time or entity. One pass over at most ``--pairs`` of them, batches of like length, AdamW
with warm-up and linear decay; ``--minutes`` stops the pass early (the schedule stays that
of the whole pass).

On the held-out fifth the reader's logit and the lexical model's probability are combined
by a logistic regression (three numbers), and the held-out questions are asked as
``eval qa`` asks them (``train_answerability.simulate``: the lexical model ranks, the reader
reads the 8 it keeps); the threshold where the worst of the three question figures is best
becomes 0.5 by shifting the combination's intercept. Both are written into the weights
file's metadata. PolNeAR dev, where the project's QA set lives, is never read.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

import numpy as np  # noqa: E402
from safetensors import safe_open  # noqa: E402

from assistant.answer_reader import MODEL_PATH, AnswerReader, build_network, read_reader, reader_text  # noqa: E402
from assistant.answerability import (MODEL_PATH as LEXICAL_PATH, Candidate, answer_kind_present,  # noqa: E402
                                     asked_words, load_answerability_model, parse_question)
from assistant.config import configure_runtime  # noqa: E402
from assistant.corpus import read_articles  # noqa: E402
from assistant.models import DEFAULT_EMBEDDING_MODEL, save_finetuned  # noqa: E402
from assistant.verify import content_words, numbers_in  # noqa: E402
from consistency_pairs import Pair as TextPair  # noqa: E402
from train_answerability import (Memo, Pair, _candidate, build_pairs, chosen_threshold,  # noqa: E402
                                 lexical_scorer, simulate)
from train_consistency import batches_by_length  # noqa: E402

ADJACENT, ELSEWHERE = "adjacent sentence", "names what is asked about for another place, time or entity"


def hard_negatives(articles, pairs: list[Pair], rng: random.Random) -> list[Pair]:
    """For each answering pair: the sentences just before and after its sentence (without the
    asked entity), and the sentence of another article that names what is asked about
    (``asked_words``) and holds an answer of the kind but not the entity, and lacks one of the
    question's specific terms (the IMF's forecast for Britain asked of China), sharing most
    words with the question."""
    by_id = {a.id: a for a in articles}
    naming: dict[str, list[tuple]] = defaultdict(list)  # asked word -> (article, sentence, its words, its terms)
    for n, article in enumerate(articles):
        for sentence in article.sentences[1:]:
            words = content_words(sentence.text)
            terms = set(re.findall(r"\w+", sentence.text.lower())) | numbers_in(sentence.text)
            for word in words:
                naming[word].append((n, sentence, words, terms))
    position = {a.id: n for n, a in enumerate(articles)}
    out = []
    for pair in (p for p in pairs if p.label == 1):
        article = by_id[pair.article_id]
        for index in (pair.sentence_index - 1, pair.sentence_index + 1):
            if 0 < index < len(article.sentences) and pair.answer not in article.sentences[index].text:
                out.append(Pair(pair.question, _candidate(article, article.sentences[index]), 0, ADJACENT,
                                article.id, index))
        parsed = parse_question(pair.question)
        asked = asked_words(pair.question, 1)
        if not asked:
            continue
        words = content_words(pair.question)
        pool = [x for x in naming.get(asked[0], []) if x[0] != position[article.id]
                and pair.answer not in x[1].text and (not parsed.specifics or parsed.specifics - x[3])]
        pool = [x for x in rng.sample(pool, min(200, len(pool))) if answer_kind_present(parsed, x[1].text)]
        if pool:
            best = max(pool, key=lambda x: len(words & x[2]))
            out.append(Pair(pair.question, _candidate(articles[best[0]], best[1]), 0, ELSEWHERE,
                            articles[best[0]].id, best[1].index))
    return out


def all_pairs(articles, per_article: int, seed: int) -> list[Pair]:
    pairs = build_pairs(articles, per_article, seed)
    return pairs + hard_negatives(articles, pairs, random.Random(seed))


def start_network(init: str, layers: int):
    """The network to train: the encoder's layers, or the consistency model's."""
    network, tokenizer = build_network(layers)
    if init == "consistency":
        from assistant.consistency import MODEL_PATH as CONSISTENCY_PATH, read_model

        trained = read_model(CONSISTENCY_PATH, quantize=False).network.state_dict()
        network.load_state_dict({k: v for k, v in trained.items() if k.startswith("bert.")}, strict=False)
    return network, tokenizer


def _update(network, loss, optimizer, schedule) -> None:
    """One optimiser step on ``loss``, gradients clipped at norm 1."""
    import torch

    loss.backward()
    torch.nn.utils.clip_grad_norm_(network.parameters(), 1.0)
    for move in (optimizer.step, schedule.step, optimizer.zero_grad):
        move()


def fit(pairs: list[Pair], out: Path, *, init: str, layers: int, lr: float, batch_size: int, max_tokens: int,
        seed: int, minutes: float) -> tuple[AnswerReader, str]:
    """One pass over ``pairs`` (stopped after ``minutes``; the steps taken of the pass are
    returned with the reader); positives weighed up to balance. Saved to ``out`` at the end."""
    import torch

    rng = random.Random(seed)
    torch.manual_seed(seed)
    network, tokenizer = start_network(init, layers)
    for p in network.bert.embeddings.parameters():
        p.requires_grad = False
    reader = AnswerReader(network, tokenizer, max_tokens=max_tokens)
    texts = [TextPair(p.question, reader_text(p.candidate), p.label, p.kind) for p in pairs]
    batches = batches_by_length(texts, batch_size, rng)
    total = len(batches)
    positives = sum(p.label for p in pairs)
    loss_of = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor((len(pairs) - positives) / max(positives, 1)))
    optimizer = torch.optim.AdamW([p for p in network.parameters() if p.requires_grad], lr=lr, weight_decay=0.01)
    warmup = max(1.0, 0.06 * total)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min(1.0, step / warmup) * max(0.0, (total - step) / total))
    network.train()
    started, running, step = time.time(), None, 0
    for step, batch in enumerate(batches, start=1):
        enc = reader.encode([(p.premise, p.hypothesis) for p in batch])
        loss = loss_of(network(**enc).logits[:, 0], torch.tensor([float(p.label) for p in batch]))
        _update(network, loss, optimizer, schedule)
        running = loss.item() if running is None else 0.98 * running + 0.02 * loss.item()
        elapsed = time.time() - started
        if step % 100 == 0:
            print(f"step {step}/{total}: loss {running:.3f}, {elapsed / 60:.1f} min", flush=True)
        if elapsed > minutes * 60:
            break
    network.eval()
    save_finetuned(network, out, encoder=DEFAULT_EMBEDDING_MODEL, layers=str(layers), steps=f"{step}/{total}",
                   max_tokens=str(max_tokens), init=init)
    return reader, f"{step}/{total}"


def calibrate(reader: AnswerReader, held, held_pairs: list[Pair], memo: Memo) -> dict:
    """The combination of the lexical probability and the reader's logit (fitted on the
    held-out pairs), its threshold (chosen on the held-out questions), and the figures."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    from train_answerability import featurise

    lexical_model = load_answerability_model(LEXICAL_PATH)
    lexical = lexical_model.probabilities(featurise(held_pairs, memo))
    logits = reader.logits([(p.question, reader_text(p.candidate)) for p in held_pairs])
    y = np.array([p.label for p in held_pairs])
    x = np.column_stack([np.log(np.clip(lexical, 1e-6, 1 - 1e-6) / np.clip(1 - lexical, 1e-6, 1)), logits])
    stack = LogisticRegression(C=1.0, class_weight="balanced").fit(x, y)
    reader.combine = {"lexical": float(stack.coef_[0][0]), "reader": float(stack.coef_[0][1]),
                      "intercept": float(stack.intercept_[0])}
    combined = reader.combined(lexical, logits)
    by_kind: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for pair, pl, pr, pc in zip(held_pairs, lexical, 1 / (1 + np.exp(-logits)), combined):
        for name, p in (("lexical", pl), ("reader", pr), ("combined", pc)):
            by_kind[pair.kind][name].append(int((p >= 0.5) == bool(pair.label)))
    lexical_rows = lexical_scorer(lexical_model)
    known: dict[tuple[str, str], float] = {}  # a question meets the same sentences when asked again

    def reader_rows(rows: list[tuple[str, Candidate]]) -> np.ndarray:
        texts = [(q, reader_text(c)) for q, c in rows]
        todo = list(dict.fromkeys(t for t in texts if t not in known))
        known.update(zip(todo, reader.logits(todo)))
        return reader.combined(lexical_rows(rows), np.array([known[t] for t in texts]))

    questions = {"lexical": simulate(held, held_pairs, lexical_rows, memo),
                 "combined": simulate(held, held_pairs, reader_rows, memo)}
    chosen = chosen_threshold(questions["combined"])
    reader.combine["intercept"] -= math.log(chosen / (1 - chosen))
    return {"held_out_pairs": dict(Counter(p.kind for p in held_pairs)),
            "held_out_auc": {"lexical": round(float(roc_auc_score(y, lexical)), 4),
                             "reader": round(float(roc_auc_score(y, logits)), 4),
                             "combined": round(float(roc_auc_score(y, combined)), 4)},
            "held_out_pairs_right_at_0.5_before_the_shift": {
                kind: {name: round(sum(v) / len(v), 4) for name, v in d.items()} for kind, d in by_kind.items()},
            "held_out_questions_by_threshold": questions, "threshold_chosen": chosen,
            "combine": {k: round(v, 4) for k, v in reader.combine.items()}}


def add_metadata(path: Path, **metadata: str) -> None:
    """``metadata`` added to the safetensors file at ``path``, its tensors as they are."""
    from safetensors.torch import save

    from assistant.fileio import write_bytes_atomic

    with safe_open(str(path), framework="pt") as f:
        tensors = {name: f.get_tensor(name) for name in f.keys()}
        kept = dict(f.metadata() or {})
    write_bytes_atomic(path, save(tensors, metadata=kept | metadata))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--polnear", type=Path, default=ROOT.parent / "shared" / "polnear" / "train")
    parser.add_argument("--articles", type=int, default=400, help="training articles drawn (a fifth held out)")
    parser.add_argument("--per-article", type=int, default=6)
    parser.add_argument("--pairs", type=int, default=9600, help="training pairs drawn (at most)")
    parser.add_argument("--init", choices=("encoder", "consistency"), default="encoder")
    parser.add_argument("--layers", type=int, default=6)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--max-tokens", type=int, default=96)
    parser.add_argument("--minutes", type=float, default=40.0, help="stop the pass after this long")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache", type=Path, help="sentence embeddings kept between runs (train_answerability's)")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--calibrate-only", action="store_true",
                        help="do not train: join and calibrate the reader already at --out")
    args = parser.parse_args()
    if "dev" in args.polnear.parts:
        sys.exit("train on PolNeAR train: dev holds the QA set")
    configure_runtime()
    began = time.time()
    articles = read_articles([args.polnear / "text"])
    articles = random.Random(args.seed).sample(articles, min(args.articles, len(articles)))
    cut = len(articles) // 5
    held, train = articles[:cut], articles[cut:]
    done: dict = {}
    if args.calibrate_only:
        with safe_open(str(args.out), framework="pt") as f:
            done = json.loads((f.metadata() or {}).get("trained", "{}"))
            steps = (f.metadata() or {}).get("steps", "")
        drawn, trained_minutes = [], done.get("minutes", 0.0)
    else:
        train_pairs = all_pairs(train, args.per_article, args.seed)
        drawn = random.Random(args.seed).sample(train_pairs, min(args.pairs, len(train_pairs)))
        print(json.dumps({"train_pairs": dict(Counter(p.kind for p in drawn))}), flush=True)
        print(f"pairs built in {(time.time() - began) / 60:.1f} min", flush=True)
        started = time.time()
        _, steps = fit(drawn, args.out, init=args.init, layers=args.layers, lr=args.lr, batch_size=args.batch_size,
                       max_tokens=args.max_tokens, seed=args.seed, minutes=args.minutes)
        trained_minutes = round((time.time() - started) / 60, 1)
    held_pairs = all_pairs(held, args.per_article, args.seed + 1)
    reader = read_reader(args.out)  # as `ask` reads it: from half precision, 8-bit linear layers
    report = calibrate(reader, held, held_pairs, Memo(args.cache))
    report = {"data": args.polnear.name, "articles": len(train), "seed": args.seed, "init": args.init,
              "train_pairs": dict(Counter(p.kind for p in drawn)) or done.get("train_pairs"), "steps": steps,
              "minutes": trained_minutes, **report}
    add_metadata(args.out, combine=json.dumps(reader.combine), trained=json.dumps(report))
    print(json.dumps(report, indent=1))
    print(f"-> {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
