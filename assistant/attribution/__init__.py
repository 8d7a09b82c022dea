"""The attribution engine: who said what in each article, with exact spans and resolved
speakers.

One spaCy pass (``nlp.pipe``, the model loaded once, sentences forced to start after line
breaks) parses every article; the ``news_attribution`` component (``components``) finds the
attributions on each parse (``extract``) and ``speakers`` resolves who they are by.
"""
from __future__ import annotations

from collections.abc import Sequence

from ..types import Article, Claim
from .pipeline import attribution_pipeline
from .speakers import (SPEAKER_TYPES, ProposeSpeaker, SpeakerEntry, SpeakerGroup, SpeakerTable, generator_proposer,
                       group_speakers, resolve_speakers, speaker_table)


def extract_claims(articles: Sequence[Article], *, progress: bool = False, batch_size: int = 16,
                   propose_speaker: ProposeSpeaker | None = None, contextual: bool = True) -> list[list[Claim]]:
    """The attributed claims of each article (one list per article, in order), speakers
    resolved. ``propose_speaker`` may name a speaker where the rules find none; it never
    touches spans. ``contextual=False`` leaves out the contextual cue tagger (faster, less
    accurate: see ``tagger``)."""
    from tqdm import tqdm

    from .components import NEWS_ATTRIBUTION
    from .extract import relations_to_claims

    nlp = attribution_pipeline()
    # the component outside the parse pipeline, which other users share parse-only
    attribution = nlp.create_pipe(NEWS_ATTRIBUTION, config={"use_tagger": contextual})
    docs = attribution.pipe(nlp.pipe((a.text for a in articles), batch_size=batch_size), batch_size=batch_size)
    results: list[list[Claim]] = []
    for article, doc in tqdm(zip(articles, docs), total=len(articles), desc="claims", unit="article",
                             disable=not progress):
        claims = relations_to_claims(article, doc._.attributions)
        results.append(resolve_speakers(doc, article, claims, propose=propose_speaker,
                                        lexicons=attribution.lexicons))
    return results


__all__ = ["extract_claims", "attribution_pipeline", "resolve_speakers", "speaker_table", "group_speakers", "SpeakerTable",
           "SpeakerEntry", "SpeakerGroup", "SPEAKER_TYPES", "ProposeSpeaker", "generator_proposer"]
