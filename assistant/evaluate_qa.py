"""Scoring `ask` against a question set (``eval/qa``): answerable questions answered and
cited right, near misses declined, and the retrieval recall of the answering sentence.

An answerable question is **answered and cited right** when the answer is given, one of its
citations overlaps a listed answering sentence of the named article, and its text holds
every key string (case-insensitive). A near miss is **declined** when no answer is given
(what the coverage says nearby may be shown). **Recall@k** is the share of answerable
questions whose answering sentence is among the first ``k`` retrieved, ranked by the
encoder alone (dense), BM25 alone, the index's fusion of the two, and the fusion re-ranked
by the answerability model from its first ``rerank_depth`` and the sentences following them
(``follow_on``), as ``ask`` reads them.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .answer import Answer, answer_question, score_hits
from .answer_reader import AnswerReader
from .answerability import AnswerabilityConfig, AnswerabilityModel
from .errors import AssistantError
from .fileio import read_jsonl
from .follow_on import following_sentences
from .index import MAX_K, Hit, SentenceIndex
from .types import Article


@dataclass(frozen=True)
class QAItem:
    id: str
    question: str
    answerable: bool
    article: str = ""                                   # PolNeAR file name (no .txt) or title
    sentences: tuple[tuple[int, int], ...] = ()          # character offsets of answering sentences
    keys: tuple[str, ...] = ()                          # what a right answer contains
    near_miss: str = ""                                  # what the coverage says instead


def read_qa_set(path: Path) -> list[QAItem]:
    """The question set; a malformed line is an error naming ``file:line``."""
    items = []
    for number, record in read_jsonl(path):
        try:
            item = QAItem(str(record["id"]), str(record["question"]), bool(record["answerable"]),
                          str(record.get("article", "")),
                          tuple((int(a), int(b)) for a, b in record.get("sentences", [])),
                          tuple(str(k) for k in record.get("keys", [])), str(record.get("near_miss", "")))
        except (ValueError, KeyError, TypeError) as exc:
            raise AssistantError(f"{path}:{number}: not a question record ({type(exc).__name__}: {exc})") from exc
        if item.answerable and not (item.article and item.sentences):
            raise AssistantError(f"{path}:{number}: an answerable question needs 'article' and 'sentences'")
        items.append(item)
    if not items:
        raise AssistantError(f"{path}: no questions")
    return items


def _article_keys(article: Article) -> set[str]:
    origin = article.origin.split(":")[0] if article.origin else ""
    return {article.id, article.title.strip(), Path(origin).stem} - {""}


def article_ids(items: Sequence[QAItem], articles: Sequence[Article]) -> dict[str, str]:
    """Each answerable item's article name -> the id of that article in the index; an error
    naming the first article not found (the set was written for other coverage)."""
    by_key: dict[str, str] = {}
    for article in articles:
        for key in _article_keys(article):
            by_key.setdefault(key, article.id)
    found = {}
    for item in items:
        if item.answerable:
            if item.article not in by_key:
                raise AssistantError(f"question {item.id}: article {item.article!r} is not in the index")
            found[item.article] = by_key[item.article]
    return found


def is_gold(item: QAItem, article_id: str, start: int, end: int, ids: dict[str, str]) -> bool:
    return ids.get(item.article) == article_id and any(start < b and a < end for a, b in item.sentences)


@dataclass
class QAResult:
    id: str
    question: str
    answerable: bool
    answered: bool
    cited_right: bool
    keys_found: bool
    answer: str
    cited: list[str] = field(default_factory=list)  # "article_id:start-end" of each citation

    @property
    def right(self) -> bool:
        return (self.answered and self.cited_right and self.keys_found) if self.answerable else not self.answered


def judge(item: QAItem, answer: Answer, ids: dict[str, str]) -> QAResult:
    cited_right = any(is_gold(item, c.article_id, c.start, c.end, ids) for c in answer.sources)
    text = answer.text.casefold()
    keys = all(k.casefold() in text for k in item.keys)
    return QAResult(item.id, item.question, item.answerable, answer.answered, cited_right, keys, answer.text,
                    [f"{c.article_id}:{c.start}-{c.end}" for c in answer.sources])


def recall_at(item: QAItem, index: SentenceIndex, ids: dict[str, str], model: AnswerabilityModel,
              config: AnswerabilityConfig, k: int) -> dict[str, bool]:
    """Whether the answering sentence is in the first ``k`` of each ranking. One deep fused
    search holds the top of the dense and BM25 rankings (each list's best ``3 * MAX_K`` rows
    enter the fusion), so both are read from its hits."""
    hits = index.search(item.question, MAX_K)

    def found(ranked: Sequence[Hit]) -> bool:
        return any(is_gold(item, h.article_id, h.sentence.start, h.sentence.end, ids) for h in ranked[:k])

    dense = sorted(hits, key=lambda h: -(h.dense_score or 0.0))
    lexical = sorted((h for h in hits if h.lexical_score), key=lambda h: -(h.lexical_score or 0.0))
    pool = hits[:max(k, config.rerank_depth)]
    if config.rerank:
        pool = following_sentences(item.question, pool, index, config.follow_depth)
    reranked = [s.hit for s in score_hits(item.question, pool, index, model)]
    return {"dense": found(dense), "bm25": found(lexical), "fused": found(hits), "reranked": found(reranked)}


def evaluate_qa(items: Sequence[QAItem], index: SentenceIndex, model: AnswerabilityModel,
                config: AnswerabilityConfig = AnswerabilityConfig(), k: int = 8,
                reader: AnswerReader | None = None) -> dict[str, Any]:
    """The set's figures; ``reader``: the answer reader to use when ``config.reader`` (by
    default the one at ``answer_reader.MODEL_PATH``)."""
    ids = article_ids(items, index.articles())
    results = [judge(item, answer_question(item.question, index, k, answerability=model, reader=reader,
                                           config=config, disagreements=False), ids) for item in items]
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    recalls = [recall_at(item, index, ids, model, config, k) for item in items if item.answerable]

    def share(values: Sequence[bool]) -> float | None:
        return sum(values) / len(values) if values else None

    return {
        "questions": len(results), "answerable": len(answerable), "unanswerable": len(unanswerable),
        "answered_and_cited_right": share([r.right for r in answerable]),
        "answered": share([r.answered for r in answerable]),
        "cited_right": share([r.answered and r.cited_right for r in answerable]),
        "unanswerable_declined": share([r.right for r in unanswerable]),
        "recall_at_k": {name: share([r[name] for r in recalls]) for name in ("dense", "bm25", "fused", "reranked")},
        "k": k, "config": asdict(config),
        "results": [asdict(r) | {"right": r.right} for r in results],
    }
