"""Learn the cue model (assistant/attribution/data/cue_model.json) from PolNeAR train.

    .venv/bin/python eval/train_cues.py --polnear ../shared/polnear/train

Every candidate word (verb, noun, adjective) of the training articles is an example; it is
positive when it heads a gold Cue span. A logistic regression over ``cue_features`` gives
the weights. The prepositions a cue takes ("call for", "point to") are those the gold cue
spans include at least half the times the cue word is followed by them; the light verbs
("voiced support for", "issued a statement saying") are those whose object the gold cue
spans include at least half the time, and the verbs whose infinitive joins the cue ("tried
to argue") likewise. Only weights and lemma statistics are written, never corpus text.
``--holdout N`` keeps the last N articles out of training (for development runs).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.attribution.cues import MODEL_PATH, CueModel, cue_features, is_candidate, light_objects  # noqa: E402
from assistant.attribution.parsed import is_copular_complement  # noqa: E402
from assistant.attribution.pipeline import attribution_pipeline  # noqa: E402
from assistant.attribution.text import QuoteIndex, find_quotations  # noqa: E402
from assistant.evaluate import GoldSet, read_polnear  # noqa: E402
from assistant.fileio import write_bytes_atomic, write_text_atomic  # noqa: E402
from assistant.types import Claim  # noqa: E402


def cue_heads(doc, claims: list[Claim]) -> tuple[set[int], list[tuple[str, str]], Counter]:
    """Token indexes heading a gold cue; (head lemma, preposition or particle right after
    it in the cue); and (head lemma, whether the cue takes it) for every infinitive right
    after a gold cue word ("tried to argue", "vowed to fight")."""
    heads: set[int] = set()
    tails: list[tuple[str, str]] = []
    infinitives: Counter = Counter()
    for claim in claims:
        if claim.cue is None:
            continue
        ids = _cue_token_ids(doc, claim)
        tokens = [doc[i] for i in sorted(ids)]
        roots = [t for t in tokens if t.head.i not in ids or t.head.i == t.i]
        if not roots:
            continue
        head = roots[0]
        # "is confident in": the engine reads the adjective as the cue word
        head = next((c for c in head.children if c.i in ids and is_copular_complement(c)), head)
        heads.add(head.i)
        nxt = head.i + 1
        if nxt in ids and doc[nxt].dep_ in ("prep", "prt", "dative"):
            tails.append((head.lemma_.lower(), doc[nxt].lower_))
        if nxt + 1 < len(doc) and doc[nxt].lower_ == "to" and doc[nxt + 1].head.i == head.i \
                and doc[nxt + 1].dep_ in ("xcomp", "advcl"):
            infinitives[(head.lemma_.lower(), nxt + 1 in ids)] += 1
    return heads, tails, infinitives


def _cue_token_ids(doc, claim: Claim) -> set[int]:
    return {t.i for a, b in claim.cue.parts() for t in (doc.char_span(a, b, alignment_mode="expand") or [])}


def light_object_counts(doc, claims: list[Claim]) -> Counter:
    """(verb lemma, whether the object is in the cue) for every object of a gold cue verb
    that ``light_objects`` finds: how often the object belongs to the cue."""
    counts: Counter = Counter()
    for claim in claims:
        if claim.cue is None:
            continue
        ids = _cue_token_ids(doc, claim)
        for verb in (doc[i] for i in ids if doc[i].pos_ == "VERB"):
            for obj, _, _ in light_objects(verb):
                counts[(verb.lemma_.lower(), obj.i in ids)] += 1
    return counts


def parse_cached(nlp, texts: list[str], cache: Path | None):
    """Parses of ``texts``, read from or written to the DocBin ``cache`` when given."""
    from spacy.tokens import DocBin

    if cache and cache.exists():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if [d.text for d in docs] == texts:
            return docs
    docs = list(nlp.pipe(texts, batch_size=16))
    if cache:
        bin_ = DocBin()
        for doc in docs:
            bin_.add(doc)
        write_bytes_atomic(cache, bin_.to_bytes())
    return docs


@dataclass
class ArticleExamples:
    """The cue model's training material from one article: candidate features and
    labels, and counts of the words following gold cue words."""

    features: list[dict[str, int]]
    labels: list[int]
    followers: Counter
    in_cue: Counter
    light: Counter
    infinitives: Counter


def article_examples(doc, gold: list[Claim]) -> ArticleExamples:
    heads, tails, infinitives = cue_heads(doc, gold)
    quotes = QuoteIndex(find_quotations(doc.text))
    features: list[dict[str, int]] = []
    labels: list[int] = []
    followers: Counter = Counter()
    for tok in doc:
        if tok.i in heads and tok.i + 1 < len(doc) and doc[tok.i + 1].dep_ in ("prep", "prt", "dative"):
            followers[(tok.lemma_.lower(), doc[tok.i + 1].lower_)] += 1
        if is_candidate(tok):
            features.append(dict.fromkeys(cue_features(tok, quotes.at(tok.idx) is not None), 1))
            labels.append(int(tok.i in heads))
    return ArticleExamples(features, labels, followers, Counter(tails), light_object_counts(doc, gold), infinitives)


def fit_cue_model(examples: list[ArticleExamples], *, C: float = 0.3, min_count: int = 3,
                  threshold: float = 0.4) -> CueModel:
    """A logistic regression over the candidates of ``examples``; the prepositions gold
    cues take at least half the times their word is followed by them; the light verbs,
    whose object (with a preposition, participle or that-clause after it) is in the gold
    cue at least half the time and at least three times; and, the same way, the verbs
    whose infinitive is in the gold cue."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    X = [x for ex in examples for x in ex.features]
    y = [label for ex in examples for label in ex.labels]
    # features seen only once or twice carry noise and bloat the shipped file
    seen = Counter(f for x in X for f in x)
    X = [{f: 1 for f in x if seen[f] >= min_count} for x in X]
    vectorizer = DictVectorizer()
    classifier = LogisticRegression(C=C, max_iter=2000, fit_intercept=False)
    classifier.fit(vectorizer.fit_transform(X), y)
    weights = dict(zip(vectorizer.get_feature_names_out(), classifier.coef_[0].tolist()))
    followers = sum((ex.followers for ex in examples), Counter())
    in_cue = sum((ex.in_cue for ex in examples), Counter())
    prepositions: dict[str, list[str]] = {}
    for (lemma, word), n in sorted(in_cue.items()):
        if n >= 3 and n >= 0.5 * followers[(lemma, word)]:
            prepositions.setdefault(lemma, []).append(word)
    return CueModel(weights=weights, threshold=threshold, prepositions=prepositions,
                    light_verbs=_majority(sum((ex.light for ex in examples), Counter())),
                    infinitive_verbs=_majority(sum((ex.infinitives for ex in examples), Counter())))


def _majority(counts: Counter) -> list[str]:
    """The lemmas of (lemma, yes/no) counts answered yes at least three times and at least
    half the time."""
    return sorted(lemma for (lemma, yes), n in counts.items() if yes and n >= 3 and n >= counts[(lemma, False)])


def claims_by_article(gold: GoldSet) -> dict[str, list[Claim]]:
    """The gold relations of each article id."""
    by_article: dict[str, list[Claim]] = {}
    for claim in gold.claims:
        by_article.setdefault(claim.article_id, []).append(claim)
    return by_article


def polnear_examples(directory: Path, docs_cache: Path | None) -> tuple[GoldSet, list, list[ArticleExamples]]:
    """Gold, parses (the engine's own pipeline, so features match at run time) and
    training examples of every article of a PolNeAR split."""
    from tqdm import tqdm

    gold = read_polnear(directory)
    by_article = claims_by_article(gold)
    docs = parse_cached(attribution_pipeline(), [a.text for a in gold.articles], docs_cache)
    examples = [article_examples(doc, by_article.get(article.id, []))
                for article, doc in tqdm(zip(gold.articles, docs), total=len(docs), desc="features", unit="article")]
    return gold, docs, examples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--polnear", type=Path, default=ROOT.parent / "shared" / "polnear" / "train")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--holdout", type=int, default=0, help="leave the last N articles out")
    parser.add_argument("--C", type=float, default=0.3, help="inverse regularisation strength")
    parser.add_argument("--min-count", type=int, default=3, help="drop rarer features")
    parser.add_argument("--min-weight", type=float, default=0.05,
                        help="leave out smaller weights (keeps the shipped file small)")
    # chosen in 5-fold cross-validation on the train split (eval/crossval_attribution.py):
    # at 0.35 / 0.40 / 0.45 / 0.50, relation overlap F1 0.641 / 0.643 / 0.643 / 0.642, cue
    # exact 0.656 / 0.659 / 0.659 / 0.657, content overlap 0.752 / 0.750 / 0.747 / 0.742
    parser.add_argument("--threshold", type=float, default=0.4, help="cue probability to report (default 0.4)")
    parser.add_argument("--docs", type=Path, help="cache of the parses (spaCy DocBin); written when absent")
    args = parser.parse_args()

    _, _, examples = polnear_examples(args.polnear, args.docs)
    examples = examples[:len(examples) - args.holdout]
    model = fit_cue_model(examples, C=args.C, min_count=args.min_count, threshold=args.threshold)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(args.out, json.dumps(model.to_dict(args.min_weight), ensure_ascii=False, indent=0, sort_keys=True))
    n, cues = sum(len(ex.labels) for ex in examples), sum(sum(ex.labels) for ex in examples)
    print(f"{n} candidates, {cues} cues, {len(model.to_dict(args.min_weight)['weights'])} weights -> {args.out}")


if __name__ == "__main__":
    main()
