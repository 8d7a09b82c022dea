"""Claims output formats, on a hand-made article and claims (no model needed)."""
from __future__ import annotations

import csv
import io
import json

import pytest

from assistant.attribution.formats import (
    FORMATS, content_text, render, source_sentence, to_table,
)
from assistant.corpus import make_article
from assistant.types import Claim, Span

TEXT = ("Harbour reopens after storm\n\n"
        "The port authority said the harbour would reopen on Monday. "
        "“We are ready,” the harbour master said, “and the cranes | work.” "
        "Fishermen were relieved.")


@pytest.fixture(scope="module")
def article():
    return make_article(text=TEXT, title="Harbour reopens after storm", id="art1",
                        body_start=TEXT.index("The port"))


def span(piece: str, after: int = 0) -> Span:
    start = TEXT.index(piece, after)
    return Span.of(TEXT, start, start + len(piece))


@pytest.fixture(scope="module")
def claims(article):
    first = article.sentences[1]
    second = article.sentences[2]
    quote_a, quote_b = span("“We are ready,”"), span("“and the cranes | work.”")
    return [
        Claim("art1", span("the harbour would reopen on Monday"), kind="indirect",
              speaker=span("The port authority"), speaker_resolved="port authority",
              speaker_type="organisation", cue=span("said"), sentence_ids=[first.index]),
        Claim("art1", Span.from_pieces(TEXT, [(quote_a.start, quote_a.end), (quote_b.start, quote_b.end)]),
              kind="direct", speaker=span("the harbour master"), speaker_resolved="Ana Lind",
              speaker_type="person", cue=span("said", second.start), sentence_ids=[second.index]),
    ]


def test_jsonl_round_trips_the_claims_format(article, claims):
    lines = render("jsonl", [article], [claims]).splitlines()
    assert [Claim.from_dict(json.loads(line)) for line in lines] == claims
    record = json.loads(lines[1])
    assert record["content"]["pieces"] and record["content"]["text"] == TEXT[record["content"]["start"]:record["content"]["end"]]
    assert "pieces" not in json.loads(lines[0])["content"]


def test_json_has_claims_with_sentences_and_speaker_tables(article, claims):
    data = json.loads(render("json", [article], [claims]))
    (entry,) = data["articles"]
    assert entry["article_id"] == "art1" and len(entry["claims"]) == 2
    assert entry["claims"][0]["sentence"] == article.sentences[1].text
    assert Claim.from_dict(entry["claims"][1]) == claims[1]
    assert {s["name"] for s in entry["speakers"]} == {"port authority", "Ana Lind"}
    assert {g["name"]: g["articles"] for g in data["speakers"]}["Ana Lind"] == {"art1": 1}


def test_csv_rows_carry_offsets_and_the_sentence(article, claims):
    rows = list(csv.DictReader(io.StringIO(render("csv", [article], [claims]))))
    assert len(rows) == 2
    assert rows[1]["content"] == "“We are ready,” … “and the cranes | work.”"
    assert TEXT[int(rows[0]["speaker_start"]):int(rows[0]["speaker_end"])] == "The port authority"
    assert rows[1]["sentence"] == article.sentences[2].text
    assert rows[1]["speaker_resolved"] == "Ana Lind" and rows[1]["kind"] == "direct"


def test_markdown_escapes_pipes_and_lists_speakers(article, claims):
    md = render("md", [article], [claims])
    claim_rows = [line for line in md.splitlines() if line.startswith("| Ana Lind") and "| direct |" in line]
    assert len(claim_rows) == 1 and "cranes \\| work" in claim_rows[0]
    assert "### Speakers" in md and "| port authority | organisation | 1 |" in md


def test_table_shows_speaker_claim_and_sentence_within_width(article, claims):
    out = to_table([article], [claims], width=90)
    assert all(len(line) <= 90 for line in out.splitlines())
    wide = to_table([article], [claims], width=200)
    assert "Ana Lind (the harbour master)" in wide and " direct " in wide
    assert "port authority · organisation" in wide  # "The port authority" is no other name
    assert article.sentences[1].text in wide
    assert "Fishermen" not in wide  # only claim sentences, not the whole article
    assert "2 claims" in out


@pytest.mark.parametrize("width", [60, 80])
def test_table_wraps_whole_words_to_a_fixed_width(article, claims, width):
    out = to_table([article], [claims], width=width)
    lines = out.splitlines()
    assert all(len(line) <= width for line in lines)
    assert "\x1b" not in out  # plain unless colour is asked for
    words = set(out.split())
    # every word of every cell is printed whole, never broken across lines ("reiterat ed")
    for claim in claims:
        for cell in (content_text(claim, TEXT), claim.cue.text, source_sentence(article, claim)):
            for word in cell.split():
                assert word in words, (width, word)


def test_table_colours_speaker_cue_and_claim_and_keeps_article_text_inert():
    text = "Title\n\nThe mayor said [bold]taxes\x1b[31m will fall[/bold]."
    article = make_article(text=text, title="Title", id="a", body_start=text.index("The"))
    start = text.index("taxes")
    claim = Claim("a", Span.of(text, start, len(text) - 1), kind="indirect", speaker=Span.of(text, text.index("The mayor"), text.index(" said")),
                  cue=Span.of(text, text.index("said"), text.index("said") + 4), sentence_ids=[1])
    coloured = to_table([article], [[claim]], width=100, color=True)
    assert "\x1b[36m" in coloured and "\x1b[33m" in coloured and "\x1b[32m" in coloured  # cyan, yellow, green
    plain = to_table([article], [[claim]], width=100)
    assert "[bold]taxes" in plain and "\x1b" not in plain  # console markup shown as written, escapes removed
    assert "\x1b[31m" not in coloured


def test_table_says_when_an_article_has_no_claims(article):
    assert "no attributed claims" in render("table", [article], [[]])


def test_every_format_renders_and_unknown_is_refused(article, claims):
    for fmt in FORMATS:
        assert render(fmt, [article], [claims]).strip()
    with pytest.raises(ValueError):
        render("xml", [article], [claims])


def test_helpers(article, claims):
    assert content_text(claims[1], TEXT).count(" … ") == 1
    assert source_sentence(article, claims[0]) == article.sentences[1].text
