"""The sentences that go on from the best retrieved ones, added to what the answerability
model reads.

A sentence that carries a figure often leaves what it is about to the sentence before it
("He succeeded only about 8 to 10 percent of the time." after "Lazar told FBI agents that
he trawled ... the online accounts", "The rent for that space has been about $212,000 per
month." after the sentence naming the Brooklyn offices): neither the encoder nor BM25 finds
it from the question's words, while the sentence before it is found. The answerability
model reads each sentence with the one before it (``answerability.context_of``), so the
sentence after a retrieved one is worth reading too.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from .index import Hit, SentenceIndex


def following_sentences(question: str, hits: Sequence[Hit], index: SentenceIndex, depth: int) -> list[Hit]:
    """``hits``, then the sentence after each of the first ``depth`` in the same paragraph that
    is not retrieved already, with its cosine to the question (the index's encoder) and no
    BM25 score; ranked after every retrieved hit, in the order of the hits they follow."""
    have = {(h.article_id, h.sentence.index) for h in hits}
    added: list[tuple[Hit, int]] = []  # (the retrieved hit, the position of the sentence after it)
    for hit in hits[:depth]:
        article = index.article(hit.article_id)
        after = hit.sentence.index + 1
        if (article is None or after >= len(article.sentences) or (hit.article_id, after) in have
                or article.sentences[after].paragraph != hit.sentence.paragraph):
            continue
        have.add((hit.article_id, after))
        added.append((hit, after))
    if not added:
        return list(hits)
    query = index.encode([question])[0]
    lowest = min(h.score for h in hits)
    out = list(hits)
    for hit, after in added:
        article = index.article(hit.article_id)
        cosine = float(np.asarray(index.sentence_embeddings(hit.article_id))[after] @ query)
        out.append(replace(hit, sentence=article.sentences[after], score=lowest, dense_score=cosine,
                           lexical_score=None))
    return out
