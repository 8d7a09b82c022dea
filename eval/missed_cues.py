"""Which gold cues the engine never finds, grouped by construction, for development on train.

    .venv/bin/python eval/crossval_attribution.py --docs /tmp/train_docs.spacy --save-predictions cv.jsonl
    .venv/bin/python eval/missed_cues.py cv.jsonl --docs /tmp/train_docs.spacy [--examples 3]

Reads predictions (best the cross-validated ones, so the cue model never saw the article)
and lists the gold relations of the split that no prediction pairs with and whose cue no
predicted cue touches: the cue was never detected. They are counted by why (the shipped cue
model, without the tagger, rates the cue word below its threshold; rates it a cue but no
relation is built on it; builds one that the cross-validated model did not; or the word
lies inside a predicted content), by the cue's head word (lemma and part of speech), its
dependency label and the shipped model's probability for it, with a few example sentences
per lemma (``--cause`` narrows the lemmas to one reason). Prints to the terminal only: the
corpus text is not to be copied anywhere.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "eval"))

from assistant.attribution.cues import is_candidate, load_cue_model  # noqa: E402
from assistant.attribution.extract import relations_in  # noqa: E402
from assistant.attribution.forms.verb import relation_for_verb  # noqa: E402
from assistant.attribution.lexicons import default_lexicons  # noqa: E402
from assistant.attribution.parsed import ParsedText  # noqa: E402
from assistant.attribution.settings import ExtractionSettings  # noqa: E402
from assistant.evaluate import evaluate, read_claims, read_polnear  # noqa: E402
from assistant.attribution.pipeline import attribution_pipeline  # noqa: E402
from train_cues import _cue_token_ids, parse_cached  # noqa: E402


def cue_head(doc, claim):
    """The gold cue's head token: the first of its words whose head lies outside the cue."""
    ids = _cue_token_ids(doc, claim)
    roots = [doc[i] for i in sorted(ids) if doc[i].head.i not in ids or doc[i].head.i == i]
    return roots[0] if roots else None


class ShippedEngine:
    """The shipped cue model (no tagger) on one article: why it misses a gold cue word."""

    def __init__(self, doc, model):
        self.parse = ParsedText(doc, model, settings=ExtractionSettings(), lexicons=default_lexicons())
        self.cues = [piece for rel in relations_in(self.parse) for piece in rel.cue]

    def why_missed(self, head, predicted_contents: list[tuple[int, int]]) -> str:
        if not self.parse.is_cue(head):
            return "not a cue to the shipped model"
        if relation_for_verb(self.parse, head) is None:
            return "a cue, but no relation built"
        if any(a <= head.idx < b for a, b in predicted_contents):
            return "a cue inside a predicted content"
        if any(a <= head.idx < b for a, b in self.cues):
            return "found by the shipped model, not by the cross-validated one"
        return "a cue, relation built, dropped by nesting"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("predictions", type=Path)
    parser.add_argument("--polnear", type=Path, default=ROOT.parent / "shared" / "polnear" / "train")
    parser.add_argument("--docs", type=Path, help="cache of the parses (spaCy DocBin)")
    parser.add_argument("--examples", type=int, default=2, help="example sentences per lemma")
    parser.add_argument("--top", type=int, default=40, help="lemmas to list")
    parser.add_argument("--cause", help="list lemmas and examples only for reasons starting with this")
    args = parser.parse_args()

    gold = read_polnear(args.polnear)
    report = evaluate(gold.articles, gold.claims, read_claims(args.predictions))
    docs = dict(zip((a.id for a in gold.articles),
                    parse_cached(attribution_pipeline(), [a.text for a in gold.articles], args.docs)))
    model = load_cue_model()
    predicted_cues, predicted_contents = defaultdict(list), defaultdict(list)
    for r in report.results:
        if r.pred is not None and r.pred.cue is not None:
            predicted_cues[r.article_id].append(r.pred.cue)
            predicted_contents[r.article_id].extend(r.pred.content.parts())
    engines: dict[str, ShippedEngine] = {}
    counts = {title: Counter() for title in ("why (shipped model, no tagger)", "cue model probability of the head",
                                             "part of speech / dependency of the head", "cue text", "head lemma")}
    why, probability, dep, cue_text, lemma = counts.values()
    examples = defaultdict(list)
    unpaired = missed = 0
    for r in report.results:
        g = r.gold
        if g is None or r.pred is not None or g.cue is None:
            continue
        unpaired += 1
        if any(c.start < g.cue.end and g.cue.start < c.end for c in predicted_cues[r.article_id]):
            continue
        missed += 1
        head = cue_head(docs[r.article_id], g)
        if head is None:
            continue
        if r.article_id not in engines:
            engines[r.article_id] = ShippedEngine(docs[r.article_id], model)
        engine = engines[r.article_id]
        p = engine.parse.probability(head) if is_candidate(head) else None
        probability["not a candidate" if p is None else f"p {min(int(p * 10), 9) / 10:.1f}-"] += 1
        cause = engine.why_missed(head, predicted_contents[r.article_id])
        why[cause] += 1
        if args.cause and not cause.startswith(args.cause):
            continue
        key = f"{head.lemma_.lower()}/{head.pos_}"
        lemma[key] += 1
        cue_text[" ".join(g.cue.text.lower().split())] += 1
        dep[f"{head.pos_}/{head.dep_}"] += 1
        if len(examples[key]) < args.examples:
            examples[key].append(f"[{g.cue.text}] source={g.speaker.text if g.speaker else '-'!r} :: "
                                 + " ".join(head.sent.text.split())[:220])
    print(f"{unpaired} gold relations unpaired; {missed} with a cue no prediction touches")
    for title, counter in counts.items():
        print(f"\n{title}:")
        for k, n in counter.most_common(args.top):
            print(f"  {n:5d}  {k}")
            for e in examples[k] if counter is lemma else ():
                print(f"           {e}")


if __name__ == "__main__":
    main()
