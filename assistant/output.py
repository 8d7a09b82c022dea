"""Text made safe for where it goes: spreadsheet cells and Markdown (exports, `--format
csv|md`). Article text is untrusted: it may start with a formula or hold a link."""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from typing import Any

# a spreadsheet runs a cell that starts with one of these as a formula (OWASP, CSV injection)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A text cell a spreadsheet shows as text: a leading formula character gets a ``'``
    before it, as OWASP advises. Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


# "](" opens an inline link and "]:" a link definition; "<" (escaped) an autolink
_LINK_OPENER = re.compile(r"\](?=[(:])")


def markdown_text(text: str) -> str:
    """Inline text for Markdown: one line, Markdown's control characters escaped (brackets
    kept: citation markers stay readable), and no link can form, so article text cannot
    plant a ``javascript:`` link in the export."""
    out = " ".join(str(text).split())
    for ch in "\\`*_<>#|":
        out = out.replace(ch, "\\" + ch)
    return _LINK_OPENER.sub(r"]\\", out)


def provenance(record: dict[str, Any]) -> str:
    """"title · outlet · date · URL" of a record, leaving out what is not known."""
    return " · ".join(str(v) for v in (record.get("title") or record.get("article_title"), record.get("source"),
                                       record.get("published"), record.get("url")) if v)


def csv_text(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    """CSV of ``rows`` (dicts; the columns are the first row's, else ``columns``), each cell
    made safe by ``csv_cell``."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else list(columns))
    writer.writeheader()
    writer.writerows({k: csv_cell(v) for k, v in row.items()} for row in rows)
    return buffer.getvalue()


def markdown_table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> list[str]:
    """Markdown table lines of ``columns`` of ``rows``, each cell made safe by ``markdown_text``."""
    out = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    return out + ["| " + " | ".join(markdown_text(str(row[c])) for c in columns) + " |" for row in rows]


# control characters (C0 but line break and tab, DEL, C1): in article text they would reach
# the terminal as escape sequences that recolour, retitle or rewrite the screen
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_text(text: str) -> str:
    """``text`` without control characters, for human-readable output."""
    return _CONTROL.sub("", text)

