"""`assistant serve`: the web UI on the index (or the bundled sample when there is none)."""
from __future__ import annotations

import argparse
from pathlib import Path

from ..config import MAX_UPLOAD_MB
from .common import add_generator_options, add_index_option, generator_from_args


def port_number(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (1-65535)")
    return port


def user_and_password(text: str) -> tuple[str, str]:
    user, colon, password = text.partition(":")
    if not (user and colon and password):
        raise argparse.ArgumentTypeError("expected USER:PASS")
    return user, password


def megabytes(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of MB")
    return value


def add_serve_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by `assistant serve` and `python app.py`."""
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to bind (default 127.0.0.1; 0.0.0.0 exposes it to the network)")
    parser.add_argument("--port", type=port_number, default=7860, help="port (default 7860)")
    add_index_option(parser)
    parser.add_argument("--data-root", type=Path, action="append", default=[], metavar="DIR",
                        help="a folder whose files the browser may ingest by path (repeatable; "
                             "default: none, uploads only)")
    parser.add_argument("--polnear", type=Path, default=None, metavar="DIR",
                        help="a PolNeAR brat directory offered in the Eval tab")
    parser.add_argument("--auth", type=user_and_password, default=None, metavar="USER:PASS",
                        help="ask for this user name and password (use it whenever --host is not local)")
    parser.add_argument("--max-upload-mb", type=megabytes, default=MAX_UPLOAD_MB, metavar="MB",
                        help=f"largest file the browser may upload (default {MAX_UPLOAD_MB})")
    add_generator_options(parser)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve", help="web UI: ask, summaries, claims with their source sentences",
        description="Serve the web UI on the index (or on the bundled sample when there is no index).")
    add_serve_options(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..ui import serve

    serve(args.index, host=args.host, port=args.port, data_roots=args.data_root, polnear_dir=args.polnear,
          generator=generator_from_args(args), nli=args.nli, auth=args.auth, max_upload_mb=args.max_upload_mb)
    return 0
