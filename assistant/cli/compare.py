"""`assistant compare`: the same claim across outlets and speakers, where they disagree, and
a timeline; on a topic or for one speaker. Every row carries outlet, date and URL."""
from __future__ import annotations

import argparse
import json
from typing import Any

from ..errors import AssistantError
from ..fileio import writable_target
from ..output import csv_text, markdown_table, markdown_text, provenance
from .common import FORMATS, add_output_options, index_dir, write_output

PROVENANCE = ("source", "published", "url", "article_id", "title", "start", "end")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "compare", help="compare the coverage of a topic, or one speaker's claims over time",
        description="Group the statements the coverage makes on a topic (claims with their resolved "
                    "speakers, and the outlets' own sentences) into claims asserted alike across outlets "
                    "and speakers; flag disagreements (different figures for the same count, X says / Y "
                    "denies); and list them by date. With --speaker, one speaker's claims over time.")
    parser.add_argument("topic", nargs="?", help="a topic or question")
    parser.add_argument("--speaker", metavar="NAME", help="one speaker's claims over time (instead of a topic)")
    parser.add_argument("-k", type=int, default=None, metavar="N",
                        help="sentences retrieved for the topic or speaker (default 40)")
    parser.add_argument("--source", action="append", metavar="OUTLET", help="only these outlets (repeatable)")
    parser.add_argument("--from", dest="date_from", metavar="DATE", help="only articles published on or after DATE")
    parser.add_argument("--to", dest="date_to", metavar="DATE", help="only articles published on or before DATE")
    parser.add_argument("--no-attribution", action="store_true",
                        help="sentences only, no speakers (faster; not with --speaker)")
    add_output_options(parser, FORMATS)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..compare import CompareConfig, compare_index

    if bool(args.topic) == bool(args.speaker):
        raise AssistantError("give a TOPIC or --speaker NAME (one of them)")
    if args.speaker and args.no_attribution:
        raise AssistantError("--speaker needs the attribution engine; leave out --no-attribution")
    if args.k is not None and not 1 <= args.k <= 200:
        raise AssistantError("-k must be between 1 and 200")
    if args.output is not None:
        writable_target(args.output)  # a bad -o fails before the long work
    from ..index import SentenceIndex

    folder = index_dir(args)
    if not SentenceIndex.exists(folder):
        raise AssistantError(f"no index at {folder}: run `assistant ingest PATH... --index {folder}` first")
    config = CompareConfig(**({"candidates": args.k} if args.k else {}))
    comparison = compare_index(SentenceIndex(folder), args.topic or args.speaker, config, speaker=bool(args.speaker),
                               attribution=not args.no_attribution, sources=args.source,
                               date_from=args.date_from, date_to=args.date_to)
    output = render(comparison.to_dict(), args.format)
    write_output(output, args.format, args.output)
    return 0


# --------------------------------------------------------------------------- output

def rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per statement shown: group members, both sides of each disagreement, and the
    timeline; every row with its provenance."""
    out = []

    def row(section: str, ref: str, s: dict[str, Any], **extra: Any) -> dict[str, Any]:
        r = {"section": section, "ref": ref, "kind": "", "side": "", "figures": "", "speaker": s.get("speaker") or "",
             "text": s["text"]}
        r.update(extra)
        r.update({k: s.get(k, "") for k in PROVENANCE})
        return r

    for g in report["groups"]:
        for m in g["members"]:
            out.append(row("group", g["id"], m, kind="representative" if m == g["representative"] else "member"))
    for n, d in enumerate(report["disagreements"], start=1):
        for side in "ab":
            out.append(row("disagreement", f"d{n}", d[side], kind=d["kind"], side=side,
                           figures=" ".join(d[f"figures_{side}"])))
    for t in report["timeline"]:
        out.append(row("timeline", t.get("group") or "", t))
    return out


def _who(s: dict[str, Any]) -> str:
    return s.get("speaker") or f"{s.get('source') or 'the outlet'} (own reporting)"


def table(report: dict[str, Any]) -> str:
    lines = [f"Compare: {report['query']}", ""]
    lines.append(f"Claim groups ({len(report['groups'])})")
    for g in report["groups"]:
        rep = g["representative"]
        lines.append(f"  {g['id']}. {rep['text']}")
        lines.append(f"      outlets: {', '.join(g['outlets']) or '-'} · speakers: {', '.join(g['speakers']) or '-'}"
                     f" · first reported {g['first_reported'] or 'undated'} by {g['first_reported_by'] or '-'}")
        for m in g["members"]:
            lines.append(f"      - {_who(m)}: {m['text']}  [{provenance(m)}]")
    lines += ["", f"Disagreements ({len(report['disagreements'])})"]
    for n, d in enumerate(report["disagreements"], start=1):
        lines.append(f"  d{n}. {d['kind']} ({d['group_a']} vs {d['group_b']}, p {d['probability']:.2f})")
        for side in "ab":
            s = d[side]
            numbers = f" [figures: {', '.join(d[f'figures_{side}'])}]" if d[f"figures_{side}"] else ""
            lines.append(f"      {side.upper()}: {_who(s)}: {s['text']}{numbers}  [{provenance(s)}]")
    lines += ["", f"Timeline ({len(report['timeline'])})"]
    for t in report["timeline"]:
        group = f" ({t['group']})" if t.get("group") else ""
        lines.append(f"  {t['published'] or 'undated'}  {t['source'] or '-'}  {_who(t)}: {t['text']}{group}")
    return "\n".join(lines) + "\n"


def markdown(report: dict[str, Any]) -> str:
    cols = ["section", "ref", "kind", "side", "figures", "speaker", "text", "source", "published", "url"]
    return "\n".join([f"# Compare: {markdown_text(report['query'])}", "", *markdown_table(rows(report), cols)]) + "\n"


def render(report: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows(report))
    if fmt == "csv":
        return csv_text(rows(report), ["section", *PROVENANCE])
    if fmt == "md":
        return markdown(report)
    return table(report)
