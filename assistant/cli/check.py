"""`assistant check`: is a claim (or a summary) supported, contradicted, disputed or not in
the coverage? With the evidence, its stance and who says it."""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ..errors import AssistantError
from ..fileio import read_jsonl, writable_target
from ..output import csv_text, markdown_table, provenance
from .common import FORMATS, add_output_options, index_dir, warn, write_output

MAX_EVIDENCE = 100  # sentences read by the model per claim


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "check", help="check a claim or a summary against the coverage",
        description="Check claims against the indexed coverage: supported, contradicted, disputed (sources "
                    "disagree) or not_in_coverage, with a score (probability that the claim is consistent "
                    "with the coverage) and the evidence: each sentence with its article, outlet, date, exact "
                    "offsets, stance and the speaker it reports.")
    parser.add_argument("claim", nargs="?", help="the claim to check")
    parser.add_argument("--file", type=Path, metavar="F",
                        help="claims to check: one per line, or JSONL with 'claim' (and optional 'id')")
    parser.add_argument("--article", metavar="ID", help="with --summary-file: the indexed article to check against")
    parser.add_argument("--summary-file", type=Path, metavar="F", help="a summary, checked sentence by sentence")
    parser.add_argument("--pairs", type=Path, metavar="F.jsonl",
                        help="lines {id, document, summary}: each summary checked against its own document "
                             "(no index needed)")
    parser.add_argument("-k", type=int, default=8, help="evidence sentences retrieved per claim (default 8)")
    parser.add_argument("--no-attribution", action="store_true",
                        help="do not run the attribution engine (faster; no speakers, no misattribution)")
    add_output_options(parser, FORMATS)
    parser.set_defaults(func=run)


def read_claims_file(path: Path) -> list[tuple[str | None, str]]:
    """(id, claim) from one claim a line or JSONL with ``claim`` (and ``id``)."""
    from ..corpus import read_bytes_as_text

    text = read_bytes_as_text(path, warn) if path.is_file() else None
    if text is None:
        raise AssistantError(f"{path}: not a readable text file")
    out: list[tuple[str | None, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if line.startswith("{"):
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise AssistantError(f"{path}:{number}: malformed JSON ({exc.msg})") from exc
            if not isinstance(record, dict) or not isinstance(record.get("claim"), str) or not record["claim"].strip():
                raise AssistantError(f"{path}:{number}: a JSON line needs a non-empty 'claim'")
            out.append((None if record.get("id") is None else str(record["id"]), record["claim"]))
        else:
            out.append((None, line))
    if not out:
        raise AssistantError(f"{path}: no claims")
    return out


def read_pairs(path: Path) -> list[dict[str, Any]]:
    pairs = []
    for number, record in read_jsonl(path):
        if not all(isinstance(record.get(k), str) and record[k].strip() for k in ("document", "summary")):
            raise AssistantError(f"{path}:{number}: a line needs non-empty 'document' and 'summary'")
        pairs.append(record)
    if not pairs:
        raise AssistantError(f"{path}: no pairs")
    return pairs


def run(args: argparse.Namespace) -> int:
    from ..check import Checker, default_config

    modes = [bool(args.claim), args.file is not None, args.summary_file is not None, args.pairs is not None]
    if sum(modes) != 1:
        raise AssistantError("give one of: a CLAIM, --file F, --article ID --summary-file F, or --pairs F.jsonl")
    if (args.summary_file is None) != (args.article is None):
        raise AssistantError("--article and --summary-file go together")
    if not 1 <= args.k <= MAX_EVIDENCE:
        raise AssistantError(f"-k must be between 1 and {MAX_EVIDENCE}")
    if args.output is not None:
        writable_target(args.output)  # a bad -o fails before the long work
    checker = Checker(config=default_config(k=args.k), use_attribution=not args.no_attribution)
    if args.pairs is not None:
        from tqdm import tqdm

        pairs = read_pairs(args.pairs)
        results = [checker.check_pair(p["document"], p["summary"], claim_id=None if p.get("id") is None else str(p["id"]))
                   for p in tqdm(pairs, desc="check", unit="pair", disable=len(pairs) < 5)]
    else:
        from ..index import SentenceIndex

        claims = read_claims_file(args.file) if args.file is not None else [(None, args.claim or "")]
        summary = (" ".join(text for _, text in read_claims_file(args.summary_file))
                   if args.summary_file is not None else "")
        folder = index_dir(args)
        if not SentenceIndex.exists(folder):
            raise AssistantError(f"no index at {folder}: run `assistant ingest PATH... --index {folder}` first")
        index = SentenceIndex(folder)
        if args.summary_file is not None:
            from ..check import summary_sentences

            article = index.article(args.article)
            if article is None:
                raise AssistantError(f"{args.article}: no article with this id in the index at {folder}")
            results = [checker.check_summary(summary_sentences(summary), article,
                                             embeddings=index.sentence_embeddings(article.id), encode=index.encode)]
        else:
            results = [checker.check_claim(text, index, claim_id=claim_id) for claim_id, text in claims]
    output = render([r.to_dict() for r in results], args.format)
    write_output(output, args.format, args.output)
    return 0


# --------------------------------------------------------------------------- output

_BADGE = {"supported": "SUPPORTED", "contradicted": "CONTRADICTED", "disputed": "DISPUTED",
          "not_in_coverage": "NOT IN COVERAGE"}


def _table(records: list[dict[str, Any]], depth: int = 0) -> list[str]:
    lines = []
    pad = "  " * depth
    for n, r in enumerate(records, start=1):
        head = f"{r['id']}: " if r.get("id") else ""
        lines.append(f"{pad}{n}. {head}{r['claim']}")
        lines.append(f"{pad}   {_BADGE[r['verdict']]} (consistency {r['score']:.2f})"
                     + (f" · as claimed by {', '.join(r['attributed_to'])}" if r["attributed_to"] else ""))
        for issue in r["issues"]:
            lines.append(f"{pad}   - {issue}")
        for e in [e for e in r["evidence"] if e["stance"] != "related"][:4]:
            who = f"{e['speaker']}: " if e.get("speaker") else ""
            lines.append(f"{pad}   [{e['stance']}] {who}{e['text']}")
            lines.append(f"{pad}      {provenance(e)} · sentence {e['sentence_index']} "
                         f"[{e['start']}:{e['end']}] · p(entail) {e['probabilities'].get('entailment', 0):.2f} "
                         f"p(contradict) {e['probabilities'].get('contradiction', 0):.2f}")
        if r.get("sentences"):
            lines.extend(_table(r["sentences"], depth + 1))
    return lines


def _flat_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per (claim, evidence) for CSV and Markdown; a claim without evidence gets one row."""
    rows = []
    for r in records:
        for s in r.get("sentences") or [r]:
            shown = [e for e in s["evidence"] if e["stance"] != "related"] or [None]
            for e in shown:
                rows.append({"id": r.get("id") or "", "claim": s["claim"], "verdict": s["verdict"],
                             "score": s["score"], "attributed_to": "; ".join(s["attributed_to"]),
                             "issues": "; ".join(s["issues"]),
                             "stance": e["stance"] if e else "", "speaker": (e or {}).get("speaker") or "",
                             "evidence": e["text"] if e else "", "title": e["title"] if e else "",
                             "source": e["source"] if e else "", "published": e["published"] if e else "",
                             "url": e["url"] if e else "",
                             "article_id": e["article_id"] if e else "",
                             "start": e["start"] if e else "", "end": e["end"] if e else ""})
    return rows


def render(records: list[dict[str, Any]], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if fmt == "csv":
        return csv_text(_flat_rows(records), ["claim"])
    if fmt == "md":
        cols = ["claim", "verdict", "score", "stance", "speaker", "evidence", "source", "published", "url"]
        return "\n".join(markdown_table(_flat_rows(records), cols)) + "\n"
    return "\n".join(_table(records)) + "\n"
