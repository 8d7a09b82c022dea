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
                   propose_speaker: ProposeSpeaker | None = None, contextual: bool = True) -> list[list[Claim]]:
    """The attributed claims of each article (one list per article, in order), speakers
    resolved. ``propose_speaker`` may name a speaker where the rules find none; it never
    touches spans. ``contextual=False`` leaves out the contextual cue tagger (faster, less
    accurate: see ``tagger``)."""
    from concurrent.futures import ThreadPoolExecutor

    from tqdm import tqdm

    from .cues import load_cue_model
    from .extract import find_attributions, read_with_tagger
    from .tagger import load_cue_tagger

    model = load_cue_model()
    tagger = load_cue_tagger() if contextual else None
    nlp = attribution_pipeline()
    docs = nlp.pipe((a.text for a in articles), batch_size=batch_size)
    results: list[list[Claim]] = []

    def finish(batch, parsed, contexts) -> None:
        for article, doc, context in zip(batch, parsed, contexts()):
            claims = find_attributions(doc, article, model, tagger, context)
            results.append(resolve_speakers(doc, article, claims, propose=propose_speaker))
            bar.update()

    # the tagger reads a whole batch at once (fuller passes), on a second thread, while this
    # one parses the next batch and extracts the last
    with tqdm(total=len(articles), desc="claims", unit="article", disable=not progress) as bar, \
            ThreadPoolExecutor(max_workers=1) as executor:
        previous = None
        for start in range(0, len(articles), batch_size):
            batch = articles[start:start + batch_size]
            parsed = [next(docs) for _ in batch]
            contexts = read_with_tagger(parsed, model, tagger, executor) if tagger is not None \
                else (lambda n=len(batch): [None] * n)
            if previous is not None:
                finish(*previous)
            previous = (batch, parsed, contexts)
        if previous is not None:
            finish(*previous)
    return results


__all__ = ["extract_claims", "attribution_pipeline", "resolve_speakers", "speaker_table", "group_speakers", "SpeakerTable",
           "SpeakerEntry", "SpeakerGroup", "SPEAKER_TYPES", "ProposeSpeaker", "generator_proposer"]
