"""`assistant index check|repair`: verify a stored index, or fall back to its last good
generation."""
from __future__ import annotations

import argparse

from ..index import SentenceIndex
from .common import FORMATS, add_output_options, index_dir, render_output, write_output


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("index", help="check or repair the stored index")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = actions.add_parser(
        "check", help="verify the index's files against the checksums in its manifest",
        description="Verify the live generation: the manifest's fields, each data file's SHA-256 "
                    "and the files' contents. Exit status 2 names the first damaged file.")
    add_output_options(check, FORMATS)
    check.set_defaults(func=run_check)
    repair = actions.add_parser(
        "repair", help="fall back to the last good generation",
        description="When the live generation is damaged, make the newest intact earlier one (the "
                    "index keeps the one before the live one) live again; articles added since are "
                    "lost and can be ingested again.")
    add_output_options(repair, FORMATS)
    repair.set_defaults(func=run_repair)


def _describe(manifest: dict) -> str:
    return f"generation {manifest['generation']}, {manifest['articles']} articles, {manifest['sentences']} sentences"


def _report(args: argparse.Namespace, manifest: dict, text: str, **fields: object) -> int:
    """The outcome for a person, or as one record (index, generation, counts) in --format."""
    record = {"index": str(index_dir(args)), "generation": manifest["generation"], "articles": manifest["articles"],
              "sentences": manifest["sentences"], **fields}
    write_output(render_output(args.format, record, [record], lambda: text + "\n", list(record)), args.format,
                 args.output)
    return 0


def run_check(args: argparse.Namespace) -> int:
    folder = index_dir(args)
    manifest = SentenceIndex(folder).check()
    checked = ("checksums verified" if manifest.get("checksums") else
               "counts verified" if "checksums" not in manifest else "no checksums stored (an older index)")
    return _report(args, manifest, f"index {folder} is intact: {_describe(manifest)}; {checked}", intact=True,
                   checksums=bool(manifest.get("checksums")))


def run_repair(args: argparse.Namespace) -> int:
    folder = index_dir(args)
    manifest, problem = SentenceIndex(folder).repair()
    if problem is None:
        text = f"index {folder} is intact, nothing to repair: {_describe(manifest)}"
    else:
        text = f"index {folder} was damaged ({problem}); restored {_describe(manifest)}"
    return _report(args, manifest, text, repaired=problem is not None, problem=problem or "")
