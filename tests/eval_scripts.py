"""Scripts of eval/ imported as modules, for the tests of their functions."""
from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

EVAL_DIR = Path(__file__).resolve().parent.parent / "eval"


def eval_module(name: str) -> Iterator[ModuleType]:
    """eval/NAME.py as a module, for a fixture to ``yield from``; it stays in
    ``sys.modules`` while in use, where dataclasses look their module up."""
    spec = importlib.util.spec_from_file_location(name, EVAL_DIR / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules[name]
