"""Shared fixtures: everything runs offline, models are loaded once per session."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import configure_runtime

configure_runtime()

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "sample_coverage.txt"
POLNEAR = ROOT.parent / "shared" / "polnear"


@pytest.fixture(scope="session")
def sample_path() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def sample_articles():
    from assistant.corpus import read_articles

    return read_articles([SAMPLE])


@pytest.fixture(scope="session")
def polnear_dir() -> Path:
    if not (POLNEAR / "dev").is_dir():
        pytest.skip("../shared/polnear is not present")
    return POLNEAR


@pytest.fixture(scope="session")
def index_of_one_article(tmp_path_factory):
    """Builds an index of one article written for a test: its title, a blank line, its body
    (``make_article`` fields as keywords)."""
    from assistant.corpus import make_article
    from assistant.index import SentenceIndex

    def build(text: str, **fields):
        index = SentenceIndex(tmp_path_factory.mktemp("one-article-index"))
        index.add([make_article(text=text, body_start=text.index("\n\n") + 2, **fields)])
        return index
    return build


@pytest.fixture(scope="session")
def sample_index_dir(tmp_path_factory, sample_articles) -> Path:
    """The sample coverage indexed once per session. Read-only: copy it (shutil.copytree)
    before changing it."""
    from assistant.index import SentenceIndex

    path = tmp_path_factory.mktemp("sample-index") / "index"
    SentenceIndex(path).add(sample_articles)
    return path
