"""Scoring attribution relations (source, cue, content) against gold.

Readers turn three inputs into ``Article`` and ``Claim`` objects: the project's gold JSONL
(the claims format plus a few annotation fields, see eval/attribution/README.md), PolNeAR
brat standoff directories, and predictions in the claims format. ``evaluate`` then pairs
gold and predicted relations one-to-one and counts, per role and for whole relations,
true positives, false positives and false negatives under two span-match rules:

- exact: the spans are equal once the edges of every piece are trimmed of white space,
  quote marks and punctuation (and pieces separated only by such characters are merged);
- overlap: the F1 of the two spans' word tokens is at least 0.5.

Pairing is greedy by content-token F1 (ties broken by how many other roles agree); only
pairs whose contents share a token are paired. Within a pair a role is a true positive
when its spans match, a false positive plus a false negative when they do not, a false
positive when only the prediction has it and a false negative when only gold has it.
Unpaired relations count against every role they have. A whole relation is correct when
every role matches or is absent on both sides.
"""
from __future__ import annotations

import bisect
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .attribution.text import QUOTE_CHARACTERS, annotated_quote_kind, fold_name
from .corpus import make_article, read_articles
from .errors import AssistantError
from .fileio import read_jsonl
from .types import Article, Claim, Span

ROLES = ("source", "cue", "content")
MODES = ("exact", "overlap")
OVERLAP_THRESHOLD = 0.5
_WORD = re.compile(r"\w+")

Warn = Callable[[str], None]


def _ignore(_: str) -> None:
    pass


@dataclass
class GoldSet:
    """Articles and their gold relations (``claims`` in article order)."""

    articles: list[Article]
    claims: list[Claim]
    notes: dict[int, str] = field(default_factory=dict)  # claim index -> annotator's note


# --------------------------------------------------------------------------- readers

def _claim_from_record(path: Path, number: int, record: dict[str, Any]) -> Claim:
    try:
        claim = Claim.from_dict(record)
    except (KeyError, TypeError, ValueError, AssertionError) as exc:
        raise AssistantError(f"{path}:{number}: not a claim in the claims format ({type(exc).__name__}: {exc})") from exc
    if claim.kind not in ("direct", "indirect", "mixed"):
        raise AssistantError(f"{path}:{number}: kind must be direct, indirect or mixed, not {claim.kind!r}")
    return claim


def read_claims(path: Path) -> list[Claim]:
    """Predicted claims from a claims-format JSONL file."""
    return [_claim_from_record(path, number, record) for number, record in read_jsonl(Path(path))]


def read_gold(path: Path, corpus: Path | None = None) -> GoldSet:
    """The project's gold JSONL. Its articles come from ``corpus`` or else from each
    record's ``corpus`` field (a path relative to the gold file); every span is checked
    against the article text."""
    path = Path(path)
    records = read_jsonl(path)
    if not records:
        raise AssistantError(f"{path}: no gold relations")
    if corpus is not None:
        corpus_paths = [Path(corpus)]
    else:
        names = {record.get("corpus") for _, record in records}
        if None in names or "" in names:
            raise AssistantError(f"{path}: every record needs a 'corpus' field (or pass the corpus file)")
        corpus_paths = [(path.parent / str(name)).resolve() for name in sorted(names)]
    articles = read_articles(corpus_paths)
    by_id = {a.id: a for a in articles}
    claims: list[Claim] = []
    notes: dict[int, str] = {}
    for number, record in records:
        claim = _claim_from_record(path, number, record)
        article = by_id.get(claim.article_id)
        if article is None:
            raise AssistantError(f"{path}:{number}: article {claim.article_id} is not in {', '.join(map(str, corpus_paths))}")
        problem = span_problem(article, claim)
        if problem:
            raise AssistantError(f"{path}:{number}: {problem}")
        if record.get("gold_notes"):
            notes[len(claims)] = str(record["gold_notes"])
        claims.append(claim)
    used = {c.article_id for c in claims}
    return GoldSet([a for a in articles if a.id in used], claims, notes)


def span_problem(article: Article, claim: Claim) -> str | None:
    """Why the claim's spans do not index ``article.text``, or None when they do."""
    for role, span in (("source", claim.speaker), ("cue", claim.cue), ("content", claim.content)):
        if span is None:
            continue
        if not 0 <= span.start < span.end <= len(article.text):
            return f"{role} offsets {span.start}:{span.end} are outside the article text"
        if article.text[span.start:span.end] != span.text:
            return (f"{role} text {span.text[:40]!r} does not match the article text at "
                    f"{span.start}:{span.end} ({article.text[span.start:span.end][:40]!r})")
        for a, b in span.parts():
            if not span.start <= a < b <= span.end:
                return f"{role} piece {a}:{b} lies outside its span {span.start}:{span.end}"
    return None


_BRAT_SPAN = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t")
_BRAT_EVENT = re.compile(r"^(E\d+)\t(.*)$")


def polnear_annotation_files(directory: Path) -> list[tuple[Path, Path]]:
    """(text file, annotation file) per article of a PolNeAR split directory: the first
    annotator's file in sorted order."""
    directory = Path(directory)
    text_dir, ann_dir = directory / "text", directory / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise AssistantError(f"{directory}: not a PolNeAR split (expected text/ and attributions/ in it)")
    chosen: dict[str, Path] = {}
    for ann in sorted(ann_dir.glob("*.ann")):
        stem = ann.stem.rsplit("_", 1)[0]  # NAME_ANNOTATOR.ann
        chosen.setdefault(stem, ann)
    pairs = []
    for text_path in sorted(text_dir.glob("*.txt")):
        if text_path.stem in chosen:
            pairs.append((text_path, chosen[text_path.stem]))
    if not pairs:
        raise AssistantError(f"{directory}: no annotated articles found")
    return pairs


def parse_brat(text: str, ann: str, article_id: str) -> tuple[list[Claim], int]:
    """Gold claims from one brat standoff file, and how many relations were skipped for
    want of a content span. Repeated roles (``Content2``) join the role's pieces."""
    spans: dict[str, list[tuple[int, int]]] = {}
    events: list[list[tuple[str, str]]] = []
    for line in ann.split("\n"):
        # span text may run over several lines; offsets are all that is read
        if m := _BRAT_SPAN.match(line):
            spans[m.group(1)] = [(int(a), int(b)) for a, b in
                                 (p.split() for p in m.group(3).split(";"))]
        elif m := _BRAT_EVENT.match(line):
            args = [tuple(arg.split(":", 1)) for arg in m.group(2).split() if ":" in arg]
            events.append([(re.sub(r"\d+$", "", role), ref) for role, ref in args])
    claims: list[Claim] = []
    skipped = 0
    for args in events:
        pieces: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for role, ref in args:
            if role in ("Source", "Cue", "Content") and ref in spans:
                pieces[role].extend(spans[ref])
        if not pieces["Content"]:
            skipped += 1
            continue
        content = Span.from_pieces(text, pieces["Content"])
        speaker = Span.from_pieces(text, pieces["Source"]) if pieces["Source"] else None
        cue = Span.from_pieces(text, pieces["Cue"]) if pieces["Cue"] else None
        claims.append(Claim(article_id=article_id, content=content, kind=annotated_quote_kind(text, content.parts()),
                            speaker=speaker, cue=cue))
    return claims, skipped


def read_polnear(directory: Path, *, limit: int | None = None, warn: Warn = _ignore,
                 progress: bool = False) -> GoldSet:
    """Articles and gold claims of a PolNeAR split (``DIR/text``, ``DIR/attributions``).
    Article text is the ``.txt`` verbatim; title its first line; id the file stem."""
    pairs = polnear_annotation_files(Path(directory))[:limit]
    if progress:
        from tqdm import tqdm

        pairs = tqdm(pairs, desc="reading PolNeAR", unit="article")
    articles: list[Article] = []
    claims: list[Claim] = []
    skipped = 0
    for text_path, ann_path in pairs:
        raw = text_path.read_text(encoding="utf-8")
        article = make_article(text=raw, title=raw.split("\n", 1)[0], id=text_path.stem,
                               origin=str(text_path))
        found, n_skipped = parse_brat(raw, ann_path.read_text(encoding="utf-8"), article.id)
        for claim in found:
            claim.sentence_ids = sentence_ids_for(article, claim)
        articles.append(article)
        claims.extend(found)
        skipped += n_skipped
    if skipped:
        warn(f"{directory}: {skipped} relation(s) without a content span skipped")
    return GoldSet(articles, claims)


def sentence_ids_for(article: Article, claim: Claim) -> list[int]:
    """Indexes of the sentences that any of the claim's spans touches."""
    starts = [s.start for s in article.sentences]
    ids: set[int] = set()
    for span in (claim.speaker, claim.cue, claim.content):
        if span is None:
            continue
        for a, b in span.parts():
            i = max(bisect.bisect_right(starts, a) - 1, 0)
            while i < len(article.sentences) and article.sentences[i].start < b:
                if article.sentences[i].end > a:
                    ids.add(i)
                i += 1
    return sorted(ids)


# --------------------------------------------------------------------------- span matching

def _is_trimmed(ch: str) -> bool:
    return ch.isspace() or ch in QUOTE_CHARACTERS or unicodedata.category(ch).startswith("P")


def normalized_pieces(text: str, span: Span) -> tuple[tuple[int, int], ...]:
    """The span's pieces with trimmable edges removed, empty pieces dropped and pieces
    separated only by trimmable characters merged: what exact match compares."""
    out: list[list[int]] = []
    for a, b in span.parts():
        while a < b and _is_trimmed(text[a]):
            a += 1
        while b > a and _is_trimmed(text[b - 1]):
            b -= 1
        if a == b:
            continue
        if out and out[-1][1] <= a and all(_is_trimmed(ch) for ch in text[out[-1][1]:a]):
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return tuple((a, b) for a, b in out)


class _Tokens:
    """Word tokens of one article, for looking up which tokens a span covers."""

    def __init__(self, text: str):
        self.text = text
        matches = list(_WORD.finditer(text))
        self.starts = [m.start() for m in matches]
        self.ends = [m.end() for m in matches]

    def of(self, span: Span) -> frozenset[int]:
        """Indexes of the tokens that overlap any piece of the span."""
        found: set[int] = set()
        for a, b in span.parts():
            first = bisect.bisect_right(self.ends, a)   # first token ending after a
            last = bisect.bisect_left(self.starts, b)   # tokens starting before b
            found.update(range(first, last))
        return frozenset(found)


def token_f1(a: frozenset[int], b: frozenset[int]) -> float:
    common = len(a & b)
    return 0.0 if not common else 2 * common / (len(a) + len(b))


@dataclass
class _Relation:
    """A claim with what matching needs precomputed."""

    claim: Claim
    spans: dict[str, Span | None]
    norm: dict[str, tuple[tuple[int, int], ...] | None]
    tokens: dict[str, frozenset[int] | None]

    @classmethod
    def of(cls, claim: Claim, text: str, tokens: _Tokens) -> "_Relation":
        spans = {"source": claim.speaker, "cue": claim.cue, "content": claim.content}
        return cls(claim, spans,
                   {r: normalized_pieces(text, s) if s else None for r, s in spans.items()},
                   {r: tokens.of(s) if s else None for r, s in spans.items()})


def _role_match(gold: _Relation, pred: _Relation, role: str, mode: str) -> bool:
    """Whether both relations have the role and its spans match under ``mode``."""
    if gold.spans[role] is None or pred.spans[role] is None:
        return False
    if gold.norm[role] == pred.norm[role]:
        return True
    if mode == "exact":
        return False
    g, p = gold.tokens[role], pred.tokens[role]
    return bool(g and p) and token_f1(g, p) >= OVERLAP_THRESHOLD


def _pair(gold: list[_Relation], pred: list[_Relation]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index), greedy by content-token F1."""
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            f1 = token_f1(g.tokens["content"], p.tokens["content"])  # type: ignore[arg-type]
            if f1 > 0:
                agree = sum(_role_match(g, p, r, "overlap") for r in ("source", "cue"))
                candidates.append((-f1, -agree, gi, pi))
    candidates.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, _, gi, pi in candidates:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return pairs


# --------------------------------------------------------------------------- scores

@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, float | int]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1,
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class PairResult:
    """One gold relation, one prediction, or a pair of both, with its role outcomes."""

    article_id: str
    gold: Claim | None
    pred: Claim | None
    matches: dict[str, dict[str, bool]]  # mode -> role -> spans match
    correct: dict[str, bool]             # mode -> whole relation correct


@dataclass
class Report:
    """Scores of one evaluation; ``counts[mode][role]`` with role in source, cue, content,
    relation."""

    articles: dict[str, Article]
    counts: dict[str, dict[str, Counts]]
    results: list[PairResult]
    n_gold: int
    n_pred: int
    speaker_correct: int = 0
    speaker_paired: int = 0   # paired relations whose gold names a canonical speaker
    speaker_gold: int = 0     # all gold relations that name a canonical speaker
    kind_agree: int = 0
    ignored_predictions: int = 0

    @property
    def n_paired(self) -> int:
        return sum(1 for r in self.results if r.gold is not None and r.pred is not None)

    @property
    def speaker_accuracy(self) -> float | None:
        return self.speaker_correct / self.speaker_paired if self.speaker_paired else None

    @property
    def kind_accuracy(self) -> float | None:
        return self.kind_agree / self.n_paired if self.n_paired else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": len(self.articles),
            "gold_relations": self.n_gold,
            "predicted_relations": self.n_pred,
            "paired_relations": self.n_paired,
            "ignored_predictions": self.ignored_predictions,
            "scores": {mode: {role: c.to_dict() for role, c in roles.items()}
                       for mode, roles in self.counts.items()},
            "speaker_resolution": {
                "accuracy": self.speaker_accuracy,
                "correct": self.speaker_correct,
                "paired_with_gold_name": self.speaker_paired,
                "gold_with_name": self.speaker_gold,
                "end_to_end": self.speaker_correct / self.speaker_gold if self.speaker_gold else None,
            },
            "kind_accuracy": {"accuracy": self.kind_accuracy, "agree": self.kind_agree,
                              "paired": self.n_paired},
        }

    def table(self) -> str:
        lines = [f"{len(self.articles)} articles, {self.n_gold} gold relations, "
                 f"{self.n_pred} predicted, {self.n_paired} paired",
                 f"{'role':<9} {'match':<8} {'P':>6} {'R':>6} {'F1':>6} {'TP':>6} {'FP':>6} {'FN':>6}"]
        for role in (*ROLES, "relation"):
            for mode in MODES:
                c = self.counts[mode][role]
                lines.append(f"{role:<9} {mode:<8} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f} "
                             f"{c.tp:6d} {c.fp:6d} {c.fn:6d}")
        if self.speaker_gold:
            acc = self.speaker_accuracy
            lines.append(f"speaker resolution: {'n/a' if acc is None else f'{acc:.3f}'} "
                         f"({self.speaker_correct}/{self.speaker_paired} paired relations whose gold "
                         f"names a speaker; {self.speaker_correct}/{self.speaker_gold} of all such gold)")
        if self.kind_accuracy is not None:
            lines.append(f"kind (direct/indirect/mixed): {self.kind_accuracy:.3f} "
                         f"({self.kind_agree}/{self.n_paired} paired)")
        if self.ignored_predictions:
            lines.append(f"{self.ignored_predictions} prediction(s) for articles not in the gold set ignored")
        return "\n".join(lines)

    def errors(self, n: int, mode: str = "overlap") -> dict[str, list[dict[str, Any]]]:
        """Up to ``n`` false positives (predictions not counted correct) and ``n`` false
        negatives (gold relations not found), each with its article's sentences."""
        out: dict[str, list[dict[str, Any]]] = {"false_positives": [], "false_negatives": []}
        for result in self.results:
            if result.correct[mode]:
                continue
            for key, claim, other in (("false_positives", result.pred, result.gold),
                                      ("false_negatives", result.gold, result.pred)):
                if claim is None or len(out[key]) >= n:
                    continue
                article = self.articles[result.article_id]
                out[key].append({
                    "article_id": result.article_id,
                    "sentence": " ".join(article.sentences[i].text for i in sentence_ids_for(article, claim)),
                    "claim": claim.to_dict(),
                    "paired_with": other.to_dict() if other else None,
                    "mismatched_roles": [r for r in ROLES if not result.matches[mode][r]
                                         and (_span(result.gold, r) or _span(result.pred, r))],
                })
        return out

    def format_errors(self, n: int, mode: str = "overlap") -> str:
        lines = []
        for key, items in self.errors(n, mode).items():
            lines.append(f"{key.replace('_', ' ')} ({mode} match), first {len(items)}:")
            for item in items:
                c = item["claim"]
                lines.append(f"- [{item['article_id']}] {item['sentence']}")
                lines.append(f"    source={_show(c['speaker'])} cue={_show(c['cue'])} "
                             f"content={_show(c['content'])}")
                if item["paired_with"]:
                    o = item["paired_with"]
                    lines.append(f"    paired with: source={_show(o['speaker'])} cue={_show(o['cue'])} "
                                 f"content={_show(o['content'])}; differs in {', '.join(item['mismatched_roles'])}")
        return "\n".join(lines)


def _span(claim: Claim | None, role: str) -> Span | None:
    if claim is None:
        return None
    return {"source": claim.speaker, "cue": claim.cue, "content": claim.content}[role]


def _show(span: dict[str, Any] | None, width: int = 80) -> str:
    if span is None:
        return "-"
    text = " ".join(span["text"].split())
    return repr(text if len(text) <= width else text[:width - 3] + "...")


def evaluate(gold_articles: Sequence[Article], gold_claims: Iterable[Claim],
             predicted_claims: Iterable[Claim], *, warn: Warn = _ignore) -> Report:
    """Score predictions against gold. Predictions for articles outside ``gold_articles``
    are ignored (and counted); a prediction whose spans do not index its article's text
    raises ``AssistantError``."""
    articles = {a.id: a for a in gold_articles}
    gold_by: dict[str, list[Claim]] = defaultdict(list)
    pred_by: dict[str, list[Claim]] = defaultdict(list)
    n_gold = n_pred = ignored = 0
    for claim in gold_claims:
        if claim.article_id not in articles:
            raise AssistantError(f"gold relation for unknown article {claim.article_id}")
        gold_by[claim.article_id].append(claim)
        n_gold += 1
    for claim in predicted_claims:
        article = articles.get(claim.article_id)
        if article is None:
            ignored += 1
            continue
        problem = span_problem(article, claim)
        if problem:
            raise AssistantError(f"prediction for article {claim.article_id}: {problem}")
        pred_by[claim.article_id].append(claim)
        n_pred += 1
    if ignored:
        warn(f"{ignored} prediction(s) for articles not in the gold set ignored")

    counts = {mode: {role: Counts() for role in (*ROLES, "relation")} for mode in MODES}
    report = Report(articles, counts, [], n_gold, n_pred, ignored_predictions=ignored)
    for article_id, article in articles.items():
        tokens = _Tokens(article.text)
        gold = [_Relation.of(c, article.text, tokens) for c in gold_by.get(article_id, [])]
        pred = [_Relation.of(c, article.text, tokens) for c in pred_by.get(article_id, [])]
        pairs = _pair(gold, pred)
        paired_g = {gi for gi, _ in pairs}
        paired_p = {pi for _, pi in pairs}
        items: list[tuple[_Relation | None, _Relation | None]] = [(gold[gi], pred[pi]) for gi, pi in pairs]
        items += [(g, None) for gi, g in enumerate(gold) if gi not in paired_g]
        items += [(None, p) for pi, p in enumerate(pred) if pi not in paired_p]
        for g, p in items:
            report.results.append(_score(article_id, g, p, counts))
            if g is not None and p is not None:
                report.kind_agree += g.claim.kind == p.claim.kind
            if g is not None and fold_name(g.claim.speaker_resolved):
                report.speaker_gold += 1
                if p is not None:
                    report.speaker_paired += 1
                    report.speaker_correct += (fold_name(g.claim.speaker_resolved)
                                               == fold_name(p.claim.speaker_resolved))
    return report


def _score(article_id: str, g: _Relation | None, p: _Relation | None,
           counts: dict[str, dict[str, Counts]]) -> PairResult:
    matches: dict[str, dict[str, bool]] = {}
    correct: dict[str, bool] = {}
    for mode in MODES:
        c = counts[mode]
        matches[mode] = {}
        for role in ROLES:
            has_g = g is not None and g.spans[role] is not None
            has_p = p is not None and p.spans[role] is not None
            ok = has_g and has_p and _role_match(g, p, role, mode)  # type: ignore[arg-type]
            matches[mode][role] = ok
            if ok:
                c[role].tp += 1
            else:
                c[role].fp += has_p
                c[role].fn += has_g
        paired = g is not None and p is not None
        correct[mode] = paired and all(
            matches[mode][r] or (g.spans[r] is None and p.spans[r] is None) for r in ROLES)  # type: ignore[union-attr]
        if correct[mode]:
            c["relation"].tp += 1
        else:
            c["relation"].fp += p is not None
            c["relation"].fn += g is not None
    return PairResult(article_id, g.claim if g else None, p.claim if p else None, matches, correct)
