"""Fixtures shared by the attribution tests."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def nlp():
    from assistant.attribution import attribution_pipeline

    return attribution_pipeline()
