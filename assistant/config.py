"""Defaults that the user can override by flag or environment variable."""
from __future__ import annotations

import os
from pathlib import Path

INDEX_ENV = "ASSISTANT_INDEX"
PACKAGE_ROOT = Path(__file__).resolve().parent
PROMPTS_DIR = PACKAGE_ROOT.parent / "prompts"
SAMPLE_CORPUS = PACKAGE_ROOT.parent / "examples" / "sample_coverage.txt"
SAMPLE_GOLD = PACKAGE_ROOT.parent / "eval" / "attribution" / "sample_gold.jsonl"
SAMPLE_CHECKS = PACKAGE_ROOT.parent / "eval" / "factcheck" / "sample_checks.jsonl"
COMPARE_CORPUS = PACKAGE_ROOT.parent / "examples" / "compare_corpus"  # annotated for `eval compare`
SPEAKER_GOLD = PACKAGE_ROOT.parent / "eval" / "speakers" / "polnear_dev_speakers.jsonl"  # offsets and names only
POLNEAR_DEV = PACKAGE_ROOT.parent.parent / "shared" / "polnear" / "dev"  # read at run time, never copied here
MAX_UPLOAD_MB = 50  # the UI's upload limit (`serve --max-upload-mb`)


def default_index_dir() -> Path:
    """``$ASSISTANT_INDEX``, else ``$XDG_DATA_HOME/news-assistant/index``."""
    if os.environ.get(INDEX_ENV):
        return Path(os.environ[INDEX_ENV]).expanduser()
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return data_home / "news-assistant" / "index"


def configure_runtime() -> None:
    """Process-wide defaults for the command line, the web app and the tests; a value the
    user has set wins. Call before torch is first imported (it is imported lazily)."""
    # models come from installed packages or local paths; never wait on a hub
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    # idle OpenMP threads sleep instead of spinning: on a busy machine spinning threads made
    # encoding 2-3x slower
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
