"""Fixtures shared by the attribution tests."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def nlp():
    from assistant.attribution import attribution_pipeline

    return attribution_pipeline()


@pytest.fixture(scope="session")
def parsed(nlp):
    """A ``ParsedText`` of a text, with the shipped cue model and the default settings."""
    from assistant.attribution.cues import load_cue_model
    from assistant.attribution.lexicons import default_lexicons
    from assistant.attribution.parsed import ParsedText
    from assistant.attribution.settings import ExtractionSettings

    def make(text: str) -> ParsedText:
        return ParsedText(nlp(text), load_cue_model(), settings=ExtractionSettings(), lexicons=default_lexicons())
    return make
