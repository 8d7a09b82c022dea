"""Learn the answerability model (assistant/data/answerability.json) from PolNeAR train.

    .venv/bin/python eval/train_answerability.py --polnear ../shared/polnear/train [--cache /tmp/answerability.pkl]

Synthetic questions, written from PolNeAR train sentences: a named entity, figure or date
of a sentence is what is asked for ("How many", "Who", "When", "Where", "How much"), and a
few of the sentence's other words around it are the question ("How many shooting victims
Chicago Tribune counted?"); some name their story with a word only the article holds
("... in Chicago"). Each question is asked against
- the sentence itself: answers;
- sentences that do not hold the entity: the one of the same article sharing most words
  with the question, a random one, the headline, the closest that holds something of the
  kind asked for (another figure), and the closest of another report of the same story;
- the sentence itself after one specific term of the question (a name, number, ordinal) was
  swapped for one the article lacks, or such a constraint added ("... in Ohio"), or for a
  name found elsewhere in the same article but not around the sentence nor in the article's
  lead (another donor, poll or country of the story), or for another name of the story's
  headline and first sentence that the sentence and its context lack ("the Democratic host
  committee" of the Republican one's sentence), or after what is asked about was swapped
  ("How many homicides ..."): near misses, do not answer.
A logistic regression over ``answerability.pair_features`` gives the weights. A fifth of the
articles is held out: its pairs are scored, and its questions are asked of all its sentences
as ``eval qa`` asks (answering; the same question with its answer taken out of the coverage;
the near misses), at thresholds 0.10-0.90. The threshold where the worst of those three
figures is best becomes ``answer_at`` (0.5), by shifting the intercept. Only weights are
written, never corpus text. PolNeAR dev, where the project's QA set lives, is never read.
"""
from __future__ import annotations

import argparse
import json
import math
import pickle
import random
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from assistant.answerability import (FEATURES, MODEL_PATH, AnswerabilityModel, Candidate,  # noqa: E402
                                     answer_kind_present, asked_words, context_of, lead_of, pair_features,
                                     parse_question)
from assistant.corpus import read_articles  # noqa: E402
from assistant.fileio import write_text_atomic  # noqa: E402
from assistant.models import load_spacy  # noqa: E402
from assistant.summarize import default_encode  # noqa: E402
from assistant.verify import content_words  # noqa: E402

WH = {"CARDINAL": "How many", "QUANTITY": "How many", "MONEY": "How much", "PERCENT": "What share",
      "PERSON": "Who", "ORG": "Who", "DATE": "When", "GPE": "Where", "LOC": "Where"}
LOOSE = 0.3
STORY = 0.3  # chance that a question also names its story with a word that only the article holds
_ORDINAL_SWAP = ["first", "second", "third", "fourth", "last", "next"]
THRESHOLDS = tuple(round(0.05 * n, 2) for n in range(2, 19))  # 0.10 ... 0.90, where answer_at may fall


@dataclass(frozen=True)
class Pair:
    question: str
    candidate: Candidate
    label: int  # 1: the sentence answers the question
    kind: str   # which kind of sentence it is for the question (see build_pairs)
    article_id: str
    sentence_index: int
    answer: str = ""  # what the question asks for, as the sentence it was written from says it


def question_from(sentence, ent, rng: random.Random, loose_words: list[str]) -> str:
    """The wh-word for the entity, then 3-8 of the sentence's other words nearest to it, in
    sentence order; as people word questions in their own words, each lower-case word is
    swapped with chance ``LOOSE`` for a word of the article that the sentence does not hold
    (names and figures stay: those are what near misses change)."""
    taken = [t for t in sentence if not (ent.start <= t.i < ent.end) and not t.is_punct and not t.is_space
             and not (t.is_stop and rng.random() < 0.7)]
    taken.sort(key=lambda t: min(abs(t.i - ent.start), abs(t.i - ent.end + 1)))
    chosen = sorted(taken[:rng.randint(3, 8)], key=lambda t: t.i)
    asked = next((t.i for t in chosen if t.text.islower() and not t.is_stop), None)  # kept: what is asked about
    words = [rng.choice(loose_words) if loose_words and t.text.islower() and not t.is_stop and t.i != asked
             and rng.random() < LOOSE else t.text for t in chosen]
    return f"{WH[ent.label_]} {' '.join(words)}?"


def asked_swap(question: str, evidence: str, words: list[str], rng: random.Random) -> str | None:
    """The question asking about something else of the same story: its first asked word
    (``asked_words``) swapped for a word of another article that ``evidence`` lacks
    ("How many shootings ..." -> "How many homicides ...")."""
    asked = asked_words(question, 1)
    fresh = [w for w in words if not content_words(w) & content_words(evidence)]
    if not asked or not fresh:
        return None
    tokens = question.rstrip("?").split()
    at = next((i for i, t in enumerate(tokens) if i > 0 and asked[0] in content_words(t)), None)
    if at is None:
        return None
    tokens[at] = rng.choice(fresh)
    return " ".join(tokens) + "?"


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
            ordinals = [o for o in _ORDINAL_SWAP if o != words[i].lower() and o not in have]
            words[i] = rng.choice(ordinals or fresh)
        else:
            words[i] = rng.choice(fresh)
    else:
        words += [rng.choice(["in", "for", "by", "about"]), rng.choice(fresh)]
    return " ".join(words) + "?"


def story_swap(question: str, evidence: str, story: list[str], rng: random.Random) -> str | None:
    """The question with one of the story's names that it and ``evidence`` share swapped for
    another name of the story that ``evidence`` lacks: "the Democratic host committee" asked
    of the sentence about the Republican one, both parties named in the lead. Never a name
    added: a question naming its story more fully than its sentence does is still answered."""
    have = {w.lower() for w in re.findall(r"\w+", evidence)}
    fresh = [n for n in story if n.lower() not in have]
    words = question.rstrip("?").split()
    named = [i for i, w in enumerate(words) if i > 0 and w in story and w.lower() in have]
    if not fresh or not named:
        return None
    words[rng.choice(named)] = rng.choice(fresh)
    return " ".join(words) + "?"


def _story_names(article) -> list[str]:
    """Capitalised words of the headline and first sentence, not opening either: what a
    reader's question names about the story ("the Bloomberg poll") while the answering
    sentence leaves it to its article ("the poll")."""
    return [w for s in article.sentences[:2] for w in re.findall(r"(?<=\s)[A-Z][a-z]{2,}", s.text)]


def _candidate(article, sentence) -> Candidate:
    headline = article.body_start > 0 and sentence.end <= article.body_start
    return Candidate(sentence.text, context_of(article, sentence.index), article.text, 0.0, headline, article.title,
                     lead_of(article))


def _partner(n: int, articles, words_of: list[set[str]]) -> int | None:
    """The other article most alike in its headline and lead (a report of the same story)."""
    best = max((m for m in range(len(articles)) if m != n), key=lambda m: len(words_of[n] & words_of[m]), default=None)
    return best if best is not None and words_of[n] & words_of[best] else None


@lru_cache(maxsize=None)
def sentence_words(text: str) -> frozenset[str]:
    """``content_words`` of a sentence, worked out once (sentences are compared with many questions)."""
    return frozenset(content_words(text))


def build_pairs(articles, per_article: int, seed: int) -> list[Pair]:
    """Questions written from sentences of ``articles``, each asked against its sentence and
    the kinds of sentence that do not answer it (``Pair.kind``)."""
    rng = random.Random(seed)
    named_rng = random.Random(seed + 1000)  # its own stream: the other pairs stay as they were drawn before it
    story_rng = random.Random(seed + 2000)  # the same for the story's rival names
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
    common_of = [[t.text for _, d in group for t in d if t.text.isalpha() and t.text.islower() and not t.is_stop
                   and len(t.text) > 4] for group in parsed]
    leads = [content_words(" ".join(s.text for s in a.sentences[:3])) for a in articles]
    for n, (article, group) in enumerate(zip(articles, parsed)):
        other_names = [x for m in rng.sample(range(len(names_of)), min(6, len(names_of))) if m != n
                       for x in names_of[m]]
        partner = _partner(n, articles, leads)
        other_words = [x for m in rng.sample(range(len(common_of)), min(6, len(common_of))) if m != n
                       for x in common_of[m]]
        for sentence, doc in group:
            ents = [e for e in doc.ents if e.label_ in WH]
            if not ents:
                continue
            ent = rng.choice(ents)
            in_sentence = {w.lower() for w in re.findall(r"\w+", sentence.text)}
            loose = [w for s in article.sentences[1:] for w in re.findall(r"[a-z]{4,}", s.text)
                     if w not in in_sentence]
            question = question_from(doc, ent, rng, loose)
            story = [w for w in _story_names(article) if w.lower() not in in_sentence]
            if story and rng.random() < STORY:
                question = f"{question[:-1]} {rng.choice(['in', 'for', 'about'])} {rng.choice(story)}?"
            pairs.append(Pair(question, _candidate(article, sentence), 1, "answers", article.id, sentence.index,
                              ent.text))
            words, parsed_q = content_words(question), parse_question(question)
            others = [s for s in article.sentences if s.index != sentence.index and ent.text not in s.text]
            body = [s for s in others if s.index > 0]

            def closest(pool):
                return max(pool, key=lambda s: len(words & sentence_words(s.text))) if pool else None

            negatives = [(closest(body), "closest neighbour"), (rng.choice(body) if body else None, "random neighbour"),
                         (closest([s for s in others if s.index == 0]), "headline"),
                         (closest([s for s in body if answer_kind_present(parsed_q, s.text)]),
                          "closest neighbour with an answer of the kind")]
            for other, kind in negatives:
                if other is not None:
                    pairs.append(Pair(question, _candidate(article, other), 0, kind, article.id, other.index))
            if partner is not None:
                elsewhere = [s for s in articles[partner].sentences if ent.text not in s.text]
                if elsewhere:
                    pairs.append(Pair(question, _candidate(articles[partner], closest(elsewhere)), 0,
                                      "closest sentence of a report of the same story", articles[partner].id, -1))
            missed = near_miss(question, article.text, other_names, rng)
            if missed:
                pairs.append(Pair(missed, _candidate(article, sentence), 0, "near miss", article.id, sentence.index))
            candidate = _candidate(article, sentence)
            around = " ".join((sentence.text, candidate.context, candidate.lead))
            elsewhere_named = near_miss(question, around, names_of[n], named_rng)
            if elsewhere_named:
                pairs.append(Pair(elsewhere_named, candidate, 0, "near miss: another name of the same article",
                                  article.id, sentence.index))
            rival = story_swap(question, " ".join((sentence.text, candidate.context)), _story_names(article), story_rng)
            if rival:
                pairs.append(Pair(rival, candidate, 0, "near miss: another name of the story's lead", article.id,
                                  sentence.index))
            elsewise = asked_swap(question, article.text, other_words, rng)
            if elsewise:
                pairs.append(Pair(elsewise, _candidate(article, sentence), 0, "near miss: asks about another thing",
                                  article.id, sentence.index))
    return pairs


class Memo:
    """Embeddings and entailments already computed, kept in ``path`` between runs (``--cache``)."""

    def __init__(self, path: Path | None):
        self.path = path
        self.data = pickle.loads(path.read_bytes()) if path and path.is_file() else {}

    def get(self, kind: str, keys: list, compute) -> list:
        todo = list(dict.fromkeys(k for k in keys if (kind, k) not in self.data))
        for start in range(0, len(todo), 2048):
            chunk = todo[start:start + 2048]
            for key, value in zip(chunk, compute(chunk)):
                self.data[(kind, key)] = value
            if self.path:
                self.path.write_bytes(pickle.dumps(self.data))
        return [self.data[(kind, k)] for k in keys]


def embeddings(texts: list[str], memo: Memo) -> dict[str, np.ndarray]:
    return dict(zip(texts, memo.get("vector", texts, lambda chunk: list(default_encode(chunk)))))


def featurise(pairs: list[Pair], memo: Memo) -> np.ndarray:
    vectors = embeddings(sorted({p.question for p in pairs} | {p.candidate.sentence for p in pairs}), memo)
    return np.array([pair_features(parse_question(p.question),
                                   replace(p.candidate, dense=float(vectors[p.question] @ vectors[p.candidate.sentence])))
                     for p in pairs])


def lexical_scorer(model: AnswerabilityModel) -> Callable[[list[tuple[str, Candidate]]], np.ndarray]:
    """p(answers) of (question, candidate) rows by the lexical answerability model."""
    return lambda rows: model.probabilities(np.array([pair_features(parse_question(q), c) for q, c in rows]))


def simulate(held, pairs: list[Pair], score: Callable[[list[tuple[str, Candidate]]], np.ndarray], memo: Memo,
             k: int = 8) -> dict[str, dict[str, float]]:
    """Question-level figures on the held-out articles, as ``eval qa`` counts them, at each
    threshold of ``THRESHOLDS``: a question is retrieved against every sentence of those
    articles (the ``k`` nearest by the encoder); an answering question is answered right
    when its sentence is among the (at most 3) accepted, most likely first; declined right
    are (a) the same question with its sentence, and every sentence holding the asked
    entity, taken out of the coverage (the topic is covered, the answer is not) and (b) the
    near miss (one specific term swapped), when no retrieved sentence is accepted. ``score``
    gives p(answers) of (question, candidate) rows (``lexical_scorer``)."""
    pool = [(a, s) for a in held for s in a.sentences]
    texts = [s.text for _, s in pool]
    vectors = embeddings(sorted(set(texts)), memo)
    matrix = np.array([vectors[t] for t in texts])
    answers = {(p.article_id, p.sentence_index): p for p in pairs if p.label == 1}
    asks = []  # (question, sentence positions left out, gold position or None)
    position = {(a.id, s.index): i for i, (a, s) in enumerate(pool)}
    for (article_id, index), pair in answers.items():
        gold = position[(article_id, index)]
        asks.append((pair.question, set(), gold))
        asks.append((pair.question, {gold} | {i for i, t in enumerate(texts) if pair.answer in t}, None))
    asks += [(p.question, set(), None) for p in pairs if p.kind.startswith("near miss")]
    qv = embeddings(sorted({q for q, _, _ in asks}), memo)
    rows, owners = [], []
    for n, (question, left_out, gold) in enumerate(asks):
        scores = matrix @ qv[question]
        ranked = [i for i in np.argsort(-scores) if i not in left_out][:k]
        for i in ranked:
            article, sentence = pool[i]
            rows.append((question, replace(_candidate(article, sentence), dense=float(scores[i])), i))
            owners.append(n)
    p = score([(q, c) for q, c, _ in rows])
    by_ask: dict[int, list[tuple[float, int]]] = {}
    for j, n in enumerate(owners):
        by_ask.setdefault(n, []).append((float(p[j]), rows[j][2]))
    figures = {}
    for threshold in THRESHOLDS:
        right = {"answerable, its sentence retrieved": [], "topic covered, answer taken out": [],
                 "near miss (either kind)": []}
        for n, (question, left_out, gold) in enumerate(asks):
            accepted = sorted((x for x in by_ask.get(n, []) if x[0] >= threshold), reverse=True)[:3]
            if gold is not None:
                if any(i == gold for _, i in by_ask.get(n, [])):  # retrieval's misses are not the model's to judge
                    right["answerable, its sentence retrieved"].append(any(i == gold for _, i in accepted))
            else:
                right["topic covered, answer taken out" if left_out else "near miss (either kind)"].append(not accepted)
        figures[f"{threshold:.2f}"] = {kind: round(sum(v) / len(v), 4) for kind, v in right.items() if v}
    golds = [gold for _, _, gold in asks if gold is not None]
    retrieved = sum(any(i == gold for _, i in by_ask.get(n, [])) for n, (_, _, gold) in enumerate(asks) if gold is not None)
    return {"answering sentence retrieved": round(retrieved / len(golds), 4), "by threshold": figures}


def chosen_threshold(questions: dict) -> float:
    """The threshold where the worst of the three held-out question figures (``simulate``)
    is best, the nearer 0.5 on a tie."""
    return max(THRESHOLDS, key=lambda t: (min(questions["by threshold"][f"{t:.2f}"].values()), -abs(t - 0.5)))


def main() -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--polnear", type=Path, default=ROOT.parent / "shared" / "polnear" / "train")
    parser.add_argument("--articles", type=int, default=400, help="training articles drawn (a fifth held out)")
    parser.add_argument("--per-article", type=int, default=6, help="sentences a question is written from, per article")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache", type=Path, help="keep embeddings and entailments here between runs")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args()
    if "dev" in args.polnear.parts:
        sys.exit("train on PolNeAR train: dev holds the QA set")
    memo = Memo(args.cache)
    articles = read_articles([args.polnear / "text"])
    articles = random.Random(args.seed).sample(articles, min(args.articles, len(articles)))
    cut = len(articles) // 5
    held, train = articles[:cut], articles[cut:]
    train_pairs = build_pairs(train, args.per_article, args.seed)
    held_pairs = build_pairs(held, args.per_article, args.seed + 1)
    x, y = featurise(train_pairs, memo), np.array([p.label for p in train_pairs])
    hx, hy = featurise(held_pairs, memo), np.array([p.label for p in held_pairs])
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000).fit((x - mean) / scale, y)
    p = model.predict_proba((hx - mean) / scale)[:, 1]
    by_kind: dict[str, list[int]] = {}
    for pair, prob in zip(held_pairs, p):
        by_kind.setdefault(pair.kind, []).append(int((prob >= 0.5) == bool(pair.label)))
    weights = {"features": list(FEATURES), "mean": mean.round(6).tolist(), "scale": scale.round(6).tolist(),
               "coef": model.coef_[0].round(6).tolist(), "intercept": round(float(model.intercept_[0]), 6)}
    questions = simulate(held, held_pairs, lexical_scorer(AnswerabilityModel(weights)), memo)
    chosen = chosen_threshold(questions)  # answer_at (0.5) is moved there by shifting the intercept
    weights["intercept"] = round(weights["intercept"] - math.log(chosen / (1 - chosen)), 6)
    report = {"train_pairs": dict(Counter(p.kind for p in train_pairs)), "held_out_articles": len(held),
              "held_out_auc": round(float(roc_auc_score(hy, p)), 4),
              "held_out_pairs_right_at_0.5_before_the_shift": {k: round(sum(v) / len(v), 4) for k, v in by_kind.items()},
              "held_out_questions_by_threshold": questions, "threshold_chosen": chosen}
    weights["trained"] = {"data": str(args.polnear.name), "articles": len(train), "seed": args.seed, **report}
    write_text_atomic(args.out, json.dumps(weights, indent=1) + "\n")
    print(json.dumps(report, indent=1))
    for name, c in zip(FEATURES, model.coef_[0]):
        print(f"{name:28s} {c:+.3f}")


if __name__ == "__main__":
    main()
