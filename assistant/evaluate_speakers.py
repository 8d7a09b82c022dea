"""Scoring speaker resolution against the project's speaker gold (`assistant eval speakers`).

A gold row names one attribution relation of a PolNeAR article by its source and content
offsets, and says who the source is, judged by reading the article: the canonical name
(``speaker``, with accepted variants in ``also``) or, for a source that names nobody
("officials", "a source"), no name and the type ``unnamed source``. The file holds offsets
and names only; the article text is read from PolNeAR at run time.

Each gold row is paired with the predicted claim whose content overlaps its content most
(a claim whose speaker span overlaps the gold source first). A row is right when that
claim's resolved speaker is the gold name (compared without case, titles, honorifics,
middle initials or a leading "the") or, for an unnamed source, when the claim's speaker
is typed ``unnamed source``. A row no claim pairs with is wrong.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import AssistantError
from .fileio import read_jsonl
from .types import Claim

UNNAMED = "unnamed source"
KINDS = ("name", "nominal", "pronoun")
# words that are no part of whom a name picks out
_TITLES = {"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "president", "sen", "senator", "rep",
           "representative", "gov", "governor", "rev", "reverend", "gen", "lt", "del", "former", "the",
           "secretary", "mayor", "chief", "justice", "judge", "vice", "jr", "sr"}


@dataclass(frozen=True)
class SpeakerGold:
    article: str
    source: tuple[int, int]
    content: tuple[int, int]
    kind: str  # name / nominal / pronoun: how the source refers
    speaker: str | None  # the canonical name; None for an unnamed source
    also: tuple[str, ...]  # other spellings of the same name that count as right
    type: str | None  # person / organisation / unnamed source / media report; None: not judged


def read_speaker_gold(path: Path) -> list[SpeakerGold]:
    """Rows of a speaker gold JSONL file; a malformed line is an error naming it."""
    rows = []
    for number, r in read_jsonl(path):
        try:
            rows.append(SpeakerGold(r["article"], tuple(r["source"]), tuple(r["content"]), r["kind"],
                                    r.get("speaker"), tuple(r.get("also", ())), r.get("type")))
        except (ValueError, KeyError, TypeError) as exc:
            raise AssistantError(f"{path}:{number}: not a speaker gold row ({exc})") from exc
        if rows[-1].kind not in KINDS:
            raise AssistantError(f"{path}:{number}: kind must be one of {', '.join(KINDS)}")
    if not rows:
        raise AssistantError(f"{path}: no speaker gold rows")
    return rows


def name_words(name: str | None) -> tuple[str, ...]:
    """What two names are compared on: lower-case words without titles, honorifics,
    initials, possessive endings or punctuation."""
    words = []
    for word in re.split(r"[\s/]+", (name or "").replace("’", "'").casefold()):
        word = re.sub(r"'s$", "", word).strip(".,;:'\"()–—-")
        if word and word not in _TITLES and not (len(word) == 1 and word.isalpha()):
            words.append(word)
    return tuple(words)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _paired(row: SpeakerGold, claims: Sequence[Claim]) -> Claim | None:
    best, best_key = None, (False, 0)
    for claim in claims:
        content = max((_overlap(row.content, part) for part in claim.content.parts()), default=0)
        if not content:
            continue
        key = (claim.speaker is not None and _overlap(row.source, (claim.speaker.start, claim.speaker.end)) > 0,
               content)
        if key > best_key:
            best, best_key = claim, key
    return best


def is_right(row: SpeakerGold, claim: Claim | None) -> bool:
    if claim is None:
        return False
    if row.speaker is None:
        return claim.speaker_type == UNNAMED
    predicted = name_words(claim.speaker_resolved)
    return bool(predicted) and predicted in {name_words(n) for n in (row.speaker, *row.also)}


def score_speakers(rows: Iterable[SpeakerGold], claims: Iterable[Claim]) -> dict[str, Any]:
    """Accuracy over all rows, by kind of source and on named and unnamed sources; type
    accuracy over the paired rows whose type is judged; the wrong rows."""
    by_article: dict[str, list[Claim]] = {}
    for claim in claims:
        by_article.setdefault(claim.article_id, []).append(claim)
    right, total, typed = Counter(), Counter(), Counter()
    wrong, articles = [], set()
    for row in rows:
        articles.add(row.article)
        claim = _paired(row, by_article.get(row.article, []))
        ok = is_right(row, claim)
        groups = ("all", row.kind, "named" if row.speaker else "unnamed")
        for group in groups:
            total[group] += 1
            right[group] += ok
        if claim is not None and row.type is not None:
            typed["judged"] += 1
            typed["right"] += claim.speaker_type == row.type
        if not ok:
            wrong.append({"article": row.article, "source": list(row.source), "kind": row.kind,
                          "gold": row.speaker or f"({UNNAMED})", "gold_type": row.type,
                          "predicted": None if claim is None else claim.speaker_resolved,
                          "predicted_type": None if claim is None else claim.speaker_type,
                          "predicted_span": None if claim is None or claim.speaker is None else claim.speaker.text,
                          "missed": claim is None})
    groups = ["all", *KINDS, "named", "unnamed"]
    return {
        "rows": total["all"],
        "articles": len(articles),
        "accuracy": {g: {"right": right[g], "n": total[g], "accuracy": right[g] / total[g] if total[g] else None}
                     for g in groups if total[g]},
        "missed": sum(w["missed"] for w in wrong),
        "type_accuracy": typed["right"] / typed["judged"] if typed["judged"] else None,
        "type_judged": typed["judged"],
        "wrong": wrong,
    }
