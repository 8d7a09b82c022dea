"""The spaCy pipeline the attribution engine parses with, and its one addition to the
model: sentence starts after line breaks."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

LINE_BREAK_COMPONENT = "line_break_sentence_starts"


def mark_line_starts(doc: Any) -> Any:
    """A sentence starts after every line break: the parser would otherwise run a
    headline on into the first sentence of the body, and attach words across the gap."""
    for tok in doc[:-1]:
        if tok.is_space and "\n" in tok.text:
            doc[tok.i + 1].is_sent_start = True
    return doc


def register_line_breaks() -> None:
    """Register ``mark_line_starts`` as the ``line_break_sentence_starts`` component."""
    from spacy.language import Language

    if not Language.has_factory(LINE_BREAK_COMPONENT):
        Language.component(LINE_BREAK_COMPONENT, func=mark_line_starts)


@lru_cache(maxsize=1)
def attribution_pipeline() -> Any:
    """The spaCy pipeline the attribution engine parses with: the shared model, loaded as
    a copy of its own (``load_spacy`` hands out one object to every user), with sentence
    starts forced after line breaks before the parser runs."""
    from ..models import load_spacy

    register_line_breaks()
    nlp = load_spacy.__wrapped__()  # a fresh load, not the cached shared object
    nlp.add_pipe(LINE_BREAK_COMPONENT, before="parser")
    return nlp
