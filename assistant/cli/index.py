"""`assistant index check|repair`: verify a stored index, or fall back to its last good
generation."""
from __future__ import annotations

import argparse

from ..index import SentenceIndex
from .common import add_index_option, index_dir


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("index", help="check or repair the stored index")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = actions.add_parser(
        "check", help="verify the index's files against the checksums in its manifest",
        description="Verify the live generation: the manifest's fields, each data file's SHA-256 "
                    "and the files' contents. Exit status 2 names the first damaged file.")
    add_index_option(check)
    check.set_defaults(func=run_check)
    repair = actions.add_parser(
        "repair", help="fall back to the last good generation",
        description="When the live generation is damaged, make the newest intact earlier one (the "
                    "index keeps the one before the live one) live again; articles added since are "
                    "lost and can be ingested again.")
    add_index_option(repair)
    repair.set_defaults(func=run_repair)


def _describe(manifest: dict) -> str:
    return f"generation {manifest['generation']}, {manifest['articles']} articles, {manifest['sentences']} sentences"


def run_check(args: argparse.Namespace) -> int:
    folder = index_dir(args)
    manifest = SentenceIndex(folder).check()
    checked = ("checksums verified" if manifest.get("checksums") else
               "counts verified" if "checksums" not in manifest else "no checksums stored (an older index)")
    print(f"index {folder} is intact: {_describe(manifest)}; {checked}")
    return 0


def run_repair(args: argparse.Namespace) -> int:
    folder = index_dir(args)
    manifest, problem = SentenceIndex(folder).repair()
    if problem is None:
        print(f"index {folder} is intact, nothing to repair: {_describe(manifest)}")
    else:
        print(f"index {folder} was damaged ({problem}); restored {_describe(manifest)}")
    return 0
