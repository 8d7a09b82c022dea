"""Fusing ranked lists into one ranking, chosen by name.

A store hands over its dense and lexical rankings (row ids, best first); the fusion turns
them into one score per row. Milvus runs the same fusion inside the server: its ranker is
chosen by the same name (``milvus.py``).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from ..errors import AssistantError

RRF_K = 60  # the usual reciprocal-rank-fusion constant
DEFAULT_FUSION = "rrf"


def reciprocal_rank(rankings: Sequence[Sequence[int]]) -> dict[int, float]:
    """Sum over the rankings of 1 / (RRF_K + rank): rank-based, so dense cosines and BM25
    weights need no common scale."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, row in enumerate(ranking, start=1):
            fused[row] = fused.get(row, 0.0) + 1.0 / (RRF_K + rank)
    return fused


FUSIONS: dict[str, Callable[[Sequence[Sequence[int]]], dict[int, float]]] = {"rrf": reciprocal_rank}


def fusion(name: str) -> Callable[[Sequence[Sequence[int]]], dict[int, float]]:
    """The fusion called ``name``; an unknown name is a user error listing the known ones."""
    try:
        return FUSIONS[name]
    except KeyError:
        raise AssistantError(f"unknown fusion {name!r} (known: {', '.join(sorted(FUSIONS))})") from None
