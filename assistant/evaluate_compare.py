"""Scoring ``compare`` against hand annotations (``examples/compare_corpus``).

Each annotated quote is matched to the statement of its article that overlaps it most
(characters). Then:

* **grouping**: pairwise precision / recall / F1 over pairs of annotated members: a pair is
  predicted together when their statements are in one predicted group (or are one
  statement), and is gold together when the annotation puts them in one group;
* **disagreements**: a predicted disagreement counts when both its statements are
  annotated quotes; it is correct when its sides fall on the two sides of an annotated
  disagreement, a side being the quote's statement or those of its gold group's members.
  Recall: annotated disagreements that some predicted one hits.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from .compare import Comparison, Statement
from .errors import AssistantError
from .types import Article

Key = tuple[str, int, int]


@dataclass(frozen=True)
class Quote:
    article: str
    quote: str
    speaker: str | None = None


@dataclass
class CompareGold:
    groups: dict[str, list[Quote]]
    disagreements: dict[str, tuple[Quote, Quote]]
    timelines: dict[str, list[Quote]] = field(default_factory=dict)


def read_compare_gold(path: Path) -> CompareGold:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        groups = {g["id"]: [Quote(m["article"], m["quote"], m.get("speaker")) for m in g["members"]]
                  for g in data["groups"]}
        disagreements = {d["id"]: tuple(Quote(d[s]["article"], d[s]["quote"], d[s].get("speaker")) for s in "ab")
                         for d in data["disagreements"]}
        timelines = {t["speaker"]: [Quote(e["article"], e["quote"], t["speaker"]) for e in t["entries"]]
                     for t in data.get("speaker_timeline", [])}
    except OSError as exc:
        raise AssistantError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise AssistantError(f"{path}: not a compare annotation file ({type(exc).__name__}: {exc})") from exc
    return CompareGold(groups, disagreements, timelines)


def match_quote(quote: Quote, articles: dict[str, Article], statements: Sequence[Statement]) -> Key | None:
    """The key of the statement of the quote's article that overlaps the quote most."""
    article = articles.get(quote.article)
    if article is None:
        raise AssistantError(f"annotated article {quote.article} is not in the corpus")
    start = article.text.find(quote.quote)
    if start < 0:
        raise AssistantError(f"{quote.article}: annotated quote not found in its text: {quote.quote[:60]!r}")
    end = start + len(quote.quote)
    best, overlap = None, 0
    for s in statements:
        if s.article_id == quote.article:
            shared = min(end, s.end) - max(start, s.start)
            if shared > overlap:
                best, overlap = s.key, shared
    return best


def _prf(tp: int, predicted: int, gold: int) -> dict[str, float]:
    p = tp / predicted if predicted else 0.0
    r = tp / gold if gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "tp": tp, "predicted": predicted, "gold": gold}


def score_comparison(gold: CompareGold, articles: Sequence[Article], comparison: Comparison) -> dict[str, Any]:
    """Grouping pairwise P/R/F1 and disagreement P/R (see the module docstring)."""
    by_id = {a.id: a for a in articles}
    statements = comparison.statements
    group_of = {m.key: g.id for g in comparison.groups for m in g.members}

    def key(q: Quote) -> Key | None:
        return match_quote(q, by_id, statements)

    members = [(gid, q, key(q)) for gid, quotes in gold.groups.items() for q in quotes]
    gold_pairs = predicted_pairs = together = 0
    for (g1, _, k1), (g2, _, k2) in combinations(members, 2):
        same_gold = g1 == g2
        same_predicted = k1 is not None and k2 is not None and (k1 == k2 or (k1 in group_of and group_of.get(k1) == group_of.get(k2)))
        gold_pairs += same_gold
        predicted_pairs += same_predicted
        together += same_gold and same_predicted
    grouping = _prf(together, predicted_pairs, gold_pairs)
    grouping["unmatched_members"] = sum(k is None for _, _, k in members)

    gold_group_keys: dict[str, set[Key]] = {}
    for gid, _, k in members:
        if k is not None:
            gold_group_keys.setdefault(gid, set()).add(k)

    def side(q: Quote) -> set[Key]:
        own = key(q)
        keys = {own} if own is not None else set()
        for gid, quotes in gold.groups.items():
            if any(m.article == q.article and (m.quote in q.quote or q.quote in m.quote) for m in quotes):
                keys |= gold_group_keys.get(gid, set())
        return keys

    sides = {did: (side(a), side(b)) for did, (a, b) in gold.disagreements.items()}
    annotated = {k for _, _, k in members if k is not None} | {k for a, b in sides.values() for k in a | b}
    counted = correct = 0
    hit: set[str] = set()
    wrong = []
    for d in comparison.disagreements:
        ka, kb = d.a.key, d.b.key
        if ka not in annotated or kb not in annotated:
            continue
        counted += 1
        matches = [did for did, (sa, sb) in sides.items() if (ka in sa and kb in sb) or (ka in sb and kb in sa)]
        if matches:
            correct += 1
            hit.update(matches)
        else:
            wrong.append(d)
    precision = correct / counted if counted else 0.0
    recall = len(hit) / len(sides) if sides else 0.0
    return {"grouping": grouping,
            "disagreements": {"precision": precision, "recall": recall, "correct": correct, "counted": counted,
                              "predicted": len(comparison.disagreements), "gold": len(sides),
                              "missed": sorted(set(sides) - hit),
                              "wrong": [f"{d.kind}: {d.a.voice}: {d.a.text} / {d.b.voice}: {d.b.text}" for d in wrong]},
            "groups": len(comparison.groups), "statements": len(statements)}


def score_speaker_timeline(gold: CompareGold, speaker: str, found: Sequence[Statement],
                           articles: Sequence[Article]) -> dict[str, Any]:
    """Share of a speaker's annotated statements that the speaker's timeline holds."""
    by_id = {a.id: a for a in articles}
    keys = {s.key for s in found}
    quotes = gold.timelines[speaker]
    recalled = sum(match_quote(q, by_id, found) in keys for q in quotes if q.article in by_id)
    return {"speaker": speaker, "annotated": len(quotes), "found": recalled, "statements": len(found)}
