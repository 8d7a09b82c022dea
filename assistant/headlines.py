"""Headlines weighed down among retrieved sentences. A headline restates its article in a
few words, so it matches many questions closely and crowds out the body sentence that holds
the detail asked for (the figure, the names, who said it). Where a body sentence of the same
article says the same as the headline, the headline's similarity to the question counts
``HEADLINE_PENALTY`` less: it is still cited when it is clearly the best match."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from .index import Hit, SentenceIndex

SAME_AT = 0.5  # cosine at which two sentences say the same (compare's candidate-pair level)
HEADLINE_PENALTY = 0.1  # the margin within which extractive answers keep sentences (answer.MARGIN)


def weigh_down_headlines(hits: Sequence[Hit], index: SentenceIndex) -> list[Hit]:
    """``hits`` with the ``dense_score`` of each headline lowered by ``HEADLINE_PENALTY``
    where a body sentence of its article says the same (cosine >= ``SAME_AT``)."""
    out = []
    for hit in hits:
        article = index.article(hit.article_id)
        if (hit.dense_score is not None and article is not None and article.body_start > 0
                and hit.sentence.end <= article.body_start):
            vectors = index.sentence_embeddings(article.id)
            body = [s.index for s in article.sentences if s.start >= article.body_start]
            if body and float((vectors[body] @ vectors[hit.sentence.index]).max()) >= SAME_AT:
                hit = replace(hit, dense_score=hit.dense_score - HEADLINE_PENALTY)
        out.append(hit)
    return out
