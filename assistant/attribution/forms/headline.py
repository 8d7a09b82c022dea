"""A Title Case headline, parsed again in sentence case."""
from __future__ import annotations

from ..cues import CueModel
from ..settings import ExtractionSettings


def title_case_headline_end(text: str, settings: ExtractionSettings) -> int:
    """End of the first line when it is written in Title Case (``settings``: how long a
    line and how many capitals), else 0."""
    end = text.find("\n")
    end = len(text) if end < 0 else end
    words = [w for w in text[:end].split() if w[:1].isalpha()]
    if len(words) < settings.headline_min_words or end > settings.headline_max_chars:
        return 0
    capitalised = sum(w[0].isupper() for w in words)
    return end if capitalised >= settings.headline_capitalised_share * len(words) else 0


def sentence_case(line: str, model: CueModel) -> str:
    """``line`` with capitalised common words lowered (same length, same offsets): a word
    is common when the cue model knows it, inflected or not, as a verb, noun or adjective."""
    out = []
    for i, word in enumerate(line.split(" ")):
        bare = word.strip(".,:;!?\"“”‘’'()")
        low = bare.lower()
        if i > 0 and bare[:1].isupper() and not bare.isupper() and model.knows_word(low):
            word = word.replace(bare, low, 1)
        out.append(word)
    return " ".join(out)
