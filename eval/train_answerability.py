"""Learn the answerability model (assistant/data/answerability.json) from PolNeAR train.

    .venv/bin/python eval/train_answerability.py --polnear ../shared/polnear/train

Synthetic questions, written from PolNeAR train sentences: a named entity, figure or date
of a sentence is what is asked for ("How many", "Who", "When", "Where", "How much"), and a
few of the sentence's other words around it are the question ("How many shooting victims
Chicago Tribune counted?"). Each question is asked against
- the sentence itself: answers;
- the sentence of the same article that shares most words with it, and a random one, neither
  holding the entity: about the same thing, does not answer;
- the sentence itself after one specific term of the question (a name, number, ordinal) was
  swapped for one of another article, or a constraint of another article added ("... in
  Ohio"): the near miss, does not answer.
A logistic regression over ``answerability.pair_features`` (the encoder's cosine included)
gives the weights; a fifth of the articles is held out and scored. Only weights are
written, never corpus text. PolNeAR dev, where the project's QA set lives, is never read.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from assistant.answerability import FEATURES, MODEL_PATH, pair_features, parse_question  # noqa: E402
from assistant.corpus import read_articles  # noqa: E402
from assistant.fileio import write_text_atomic  # noqa: E402
from assistant.models import load_spacy  # noqa: E402
from assistant.summarize import default_encode  # noqa: E402
from assistant.verify import content_words  # noqa: E402

WH = {"CARDINAL": "How many", "QUANTITY": "How many", "MONEY": "How much", "PERCENT": "What share",
      "PERSON": "Who", "ORG": "Who", "DATE": "When", "GPE": "Where", "LOC": "Where"}
LOOSE = 0.3
_ORDINAL_SWAP = ["first", "second", "third", "fourth", "last", "next"]


def question_from(sentence, ent, rng: random.Random, loose_words: list[str]) -> str:
    """The wh-word for the entity, then 3-8 of the sentence's other words nearest to it, in
    sentence order; as people word questions in their own words, each lower-case word is
    swapped with chance ``LOOSE`` for a word of the article that the sentence does not hold
    (names and figures stay: those are what near misses change)."""
    taken = [t for t in sentence if not (ent.start <= t.i < ent.end) and not t.is_punct and not t.is_space
             and not (t.is_stop and rng.random() < 0.7)]
    taken.sort(key=lambda t: min(abs(t.i - ent.start), abs(t.i - ent.end + 1)))
    chosen = sorted(taken[:rng.randint(3, 8)], key=lambda t: t.i)
    words = [rng.choice(loose_words) if loose_words and t.text.islower() and not t.is_stop and rng.random() < LOOSE
             else t.text for t in chosen]
    return f"{WH[ent.label_]} {' '.join(words)}?"


def near_miss(question: str, evidence: str, names: list[str], rng: random.Random) -> str | None:
    """The question with one specific term swapped for another, or a constraint added, that
    ``evidence`` does not mention."""
    have = {w.lower() for w in re.findall(r"\w+", evidence)}
    fresh = [n for n in names if n.lower() not in have]
    if not fresh:
        return None
    words = question.rstrip("?").split()
    swappable = [i for i, w in enumerate(words) if i > 0 and (w[:1].isupper() or w[:1].isdigit()
                                                              or w.lower() in _ORDINAL_SWAP)]
    if swappable and rng.random() < 0.6:
        i = rng.choice(swappable)
        if words[i][:1].isdigit():
            words[i] = str(rng.randint(2, 99) * rng.choice([1, 10, 1000]))
        elif words[i].lower() in _ORDINAL_SWAP:
            words[i] = rng.choice([o for o in _ORDINAL_SWAP if o != words[i].lower() and o not in have])
        else:
            words[i] = rng.choice(fresh)
    else:
        words += [rng.choice(["in", "for", "by", "about"]), rng.choice(fresh)]
    return " ".join(words) + "?"


def build_pairs(articles, per_article: int, seed: int) -> list[tuple[str, str, str, int, str]]:
    """(question, sentence, context, label, kind of pair)."""
    rng = random.Random(seed)
    nlp = load_spacy(disable=("parser", "lemmatizer"))
    names_of: list[list[str]] = []
    picked = []
    for article in articles:
        candidates = [s for s in article.sentences[1:] if 8 <= len(s.text.split()) <= 45]
        picked.append(rng.sample(candidates, min(per_article, len(candidates))))
    docs = nlp.pipe([s.text for group in picked for s in group], batch_size=64)
    pairs = []
    parsed = [[(s, next(docs)) for s in group] for group in picked]
    for group in parsed:
        names_of.append([e.text.split()[-1] for _, d in group for e in d.ents
                         if e.label_ in ("PERSON", "GPE", "ORG") and e.text[:1].isupper()])
    for n, (article, group) in enumerate(zip(articles, parsed)):
        other_names = [x for m in rng.sample(range(len(names_of)), min(6, len(names_of))) if m != n
                       for x in names_of[m]]
        for sentence, doc in group:
            ents = [e for e in doc.ents if e.label_ in WH]
            if not ents:
                continue
            ent = rng.choice(ents)
            in_sentence = {w.lower() for w in re.findall(r"\w+", sentence.text)}
            loose = [w for s in article.sentences[1:] for w in re.findall(r"[a-z]{4,}", s.text)
                     if w not in in_sentence]
            question = question_from(doc, ent, rng, loose)
            before = article.sentences[sentence.index - 1].text if sentence.index > 1 else ""
            context = f"{article.title} {before}"
            pairs.append((question, sentence.text, context, 1, "answers"))
            words = content_words(question)
            others = [s for s in article.sentences[1:] if s.index != sentence.index and ent.text not in s.text]
            if others:
                closest = max(others, key=lambda s: len(words & content_words(s.text)))
                for other, kind in ((closest, "closest neighbour"), (rng.choice(others), "random neighbour")):
                    previous = article.sentences[other.index - 1].text if other.index > 1 else ""
                    pairs.append((question, other.text, f"{article.title} {previous}", 0, kind))
            missed = near_miss(question, f"{sentence.text} {context}", other_names, rng)
            if missed:
                pairs.append((missed, sentence.text, context, 0, "near miss"))
    return pairs


def featurise(pairs) -> np.ndarray:
    questions = sorted({q for q, *_ in pairs})
    sentences = sorted({s for _, s, *_ in pairs})
    qv = dict(zip(questions, default_encode(questions)))
    sv = dict(zip(sentences, default_encode(sentences)))
    return np.array([pair_features(parse_question(q), s, c, float(qv[q] @ sv[s])) for q, s, c, *_ in pairs])


def main() -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--polnear", type=Path, default=ROOT.parent / "shared" / "polnear" / "train")
    parser.add_argument("--articles", type=int, default=400, help="training articles drawn (a fifth held out)")
    parser.add_argument("--per-article", type=int, default=6, help="sentences a question is written from, per article")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args()
    if "dev" in args.polnear.parts:
        sys.exit("train on PolNeAR train: dev holds the QA set")
    articles = read_articles([args.polnear / "text"])
    articles = random.Random(args.seed).sample(articles, min(args.articles, len(articles)))
    cut = len(articles) // 5
    held, train = articles[:cut], articles[cut:]
    train_pairs = build_pairs(train, args.per_article, args.seed)
    held_pairs = build_pairs(held, args.per_article, args.seed + 1)
    x, y = featurise(train_pairs), np.array([p[3] for p in train_pairs])
    hx, hy = featurise(held_pairs), np.array([p[3] for p in held_pairs])
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000).fit((x - mean) / scale, y)
    p = model.predict_proba((hx - mean) / scale)[:, 1]
    by_kind: dict[str, list[int]] = {}
    for pair, prob in zip(held_pairs, p):
        by_kind.setdefault(pair[4], []).append(int((prob >= 0.5) == bool(pair[3])))
    report = {"train_pairs": dict(Counter(k for *_, k in train_pairs)), "held_out_articles": len(held),
              "held_out_auc": round(float(roc_auc_score(hy, p)), 4),
              "held_out_accuracy_at_0.5": {k: round(sum(v) / len(v), 4) for k, v in by_kind.items()}}
    weights = {"features": list(FEATURES), "mean": mean.round(6).tolist(), "scale": scale.round(6).tolist(),
               "coef": model.coef_[0].round(6).tolist(), "intercept": round(float(model.intercept_[0]), 6),
               "trained": {"data": str(args.polnear.name), "articles": len(train), "seed": args.seed, **report}}
    write_text_atomic(args.out, json.dumps(weights, indent=1) + "\n")
    print(json.dumps(report, indent=1))
    for name, c in zip(FEATURES, model.coef_[0]):
        print(f"{name:28s} {c:+.3f}")


if __name__ == "__main__":
    main()
