"""Options and output helpers shared by subcommands."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..config import INDEX_ENV, default_index_dir


def add_index_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--index", type=Path, default=None, metavar="DIR",
                        help=f"index directory (default: ${INDEX_ENV} or {default_index_dir()})")


def index_dir(args: argparse.Namespace) -> Path:
    return args.index if args.index is not None else default_index_dir()


def warn(message: str) -> None:
    """One warning line on stderr."""
    print(f"warning: {message}", file=sys.stderr)
