"""The attribution engine: who said what in each article, with exact spans and resolved
speakers.

One spaCy pass (``nlp.pipe``, the model loaded once, sentences forced to start after line
breaks) parses every article; ``extract`` finds the attributions on each parse and
``speakers`` resolves who they are by.
"""
from __future__ import annotations

from collections.abc import Sequence

from ..types import Article, Claim
from .extract import attribution_pipeline
from .speakers import (SPEAKER_TYPES, ProposeSpeaker, SpeakerEntry, SpeakerGroup, SpeakerTable, generator_proposer,
                       group_speakers, resolve_speakers, speaker_table)


def extract_claims(articles: Sequence[Article], *, progress: bool = False, batch_size: int = 16,
                   propose_speaker: ProposeSpeaker | None = None) -> list[list[Claim]]:
    """The attributed claims of each article (one list per article, in order), speakers
    resolved. ``propose_speaker`` may name a speaker where the rules find none; it never
    touches spans."""
    from tqdm import tqdm

    from .extract import find_attributions

    nlp = attribution_pipeline()
    docs = nlp.pipe((a.text for a in articles), batch_size=batch_size)
    results: list[list[Claim]] = []
    for article, doc in tqdm(zip(articles, docs), total=len(articles), desc="claims", unit="article",
                             disable=not progress):
        claims = find_attributions(doc, article)
        results.append(resolve_speakers(doc, article, claims, propose=propose_speaker))
    return results


__all__ = ["extract_claims", "attribution_pipeline", "resolve_speakers", "speaker_table", "group_speakers", "SpeakerTable",
           "SpeakerEntry", "SpeakerGroup", "SPEAKER_TYPES", "ProposeSpeaker", "generator_proposer"]
