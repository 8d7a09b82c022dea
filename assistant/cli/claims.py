"""`assistant claims` (placeholder until implemented)."""
from __future__ import annotations

import argparse

from ..errors import AssistantError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("claims", help="(not implemented yet)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    raise AssistantError("'claims' is not implemented yet")
