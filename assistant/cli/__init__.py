"""The ``assistant`` command: a thin layer over the library.

Each subcommand lives in its own module here and exposes ``register(subparsers)``, which
adds its parser and sets ``func``; errors the user can fix are ``AssistantError`` and
become one line on stderr with exit status 2.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

from ..config import configure_runtime
from ..errors import AssistantError
from ..index.store import STORE_ENV

SUBCOMMANDS = ("ingest", "search", "claims", "summarize", "ask", "check", "compare", "eval", "serve", "demo", "index")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="assistant",
        description="News claim and summary fact-check assistant: every statement it makes "
                    "cites the article sentences it rests on.")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in SUBCOMMANDS:
        importlib.import_module(f"{__name__}.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    configure_runtime()
    args = build_parser().parse_args(argv)
    if getattr(args, "store", None) is not None:
        # every index the command opens (the UI's too) uses this store
        os.environ[STORE_ENV] = args.store
    try:
        return int(args.func(args) or 0)
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
