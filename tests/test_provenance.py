"""Provenance everywhere: outlet, date and URL in every export format, claim row, citation
and compare row; same-title articles never overwrite each other; the compare CLI and the
Compare/Speakers renderings."""
from __future__ import annotations

import csv
import io
import json

import pytest

from assistant.corpus import make_article, with_provenance
from assistant.types import Claim, Span
from assistant.ui import export, render
from assistant.ui.render import AnswerLine, AnswerView, Cited, SpeakerGroup, SummaryLine, SummaryView

OUTLET, DATE, URL = "Harbour Post", "2026-03-02", "https://harbourpost.example/2026/03/02/mill-fire"
HOSTILE_URL = "javascript:alert(1)"


@pytest.fixture(scope="module")
def article():
    text = "Mill fire kills twelve\n\nTwelve people were killed in the mill fire, the fire service said. Flags flew."
    return make_article(text=text, title="Mill fire kills twelve", id="p1", source=OUTLET, published=DATE, url=URL,
                        body_start=len("Mill fire kills twelve") + 2)


@pytest.fixture(scope="module")
def claim(article):
    t = article.text
    content = t.index("Twelve people")
    cue = t.index("said")
    speaker = t.index("the fire service")
    return Claim("p1", Span.of(t, content, t.index(", the fire")), "indirect",
                 Span.of(t, speaker, speaker + len("the fire service")), "the fire service", "organisation",
                 Span.of(t, cue, cue + 4), [1])


def _has_provenance(text: str) -> None:
    assert OUTLET in text and DATE in text and URL in text


# --------------------------------------------------------------------------- exports and claim formats

@pytest.mark.parametrize("fmt", ["json", "csv", "md"])
def test_every_ui_export_carries_outlet_date_and_url(article, claim, fmt):
    sentence = article.sentences[1]
    answer = AnswerView("How many died?", [AnswerLine("Twelve.", [1])], [Cited(1, article, sentence.start, sentence.end)])
    summary = SummaryView("p1", [SummaryLine(sentence.text, "supported", [sentence])], "extractive")
    for kind, records in (("claims", export.claim_records([article], {"p1": [claim]})),
                          ("summaries", export.summary_records([article], {"p1": summary})),
                          ("answers", export.answer_records([answer]))):
        _has_provenance(export.render_export(kind, fmt, records))


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "md", "table"])
def test_every_claims_format_carries_outlet_date_and_url(article, claim, fmt):
    from assistant.attribution.formats import render as render_claims

    text = render_claims(fmt, [article], [[claim]], width=400)
    _has_provenance(text)
    if fmt == "jsonl":
        assert Claim.from_dict(json.loads(text)) == claim  # still the shared claims format
    if fmt == "csv":
        row = next(csv.DictReader(io.StringIO(text)))
        assert (row["source"], row["published"], row["url"]) == (OUTLET, DATE, URL)


def test_citations_carry_provenance(article):
    from assistant.verify import Citation

    c = Citation.of(article, article.sentences[1])
    assert (c.source, c.published, c.url, c.article_title) == (OUTLET, DATE, URL, article.title)
    claim_citation = Citation.of_span(article, 1, 24, 40)
    assert claim_citation.text == article.text[24:40] and claim_citation.url == URL


# --------------------------------------------------------------------------- ingest

def test_same_title_from_unknown_outlets_is_kept_apart_unless_the_text_is_the_same(tmp_path):
    from assistant.index import SentenceIndex

    first = make_article(text="Same title\n\nA fire broke out at the mill.", title="Same title", origin="one.txt")
    second = make_article(text="Same title\n\nThe river flooded the town.", title="Same title", origin="two.txt")
    assert first.id == second.id  # derived from the title alone
    index = SentenceIndex(tmp_path / "index")
    index.add([first])
    report = index.add([second])
    assert (report.added, report.updated) == (1, 0)
    assert sorted(a.text for a in index.articles()) == sorted([first.text, second.text])
    again = index.add([first, second, make_article(text=first.text, title="Same title", origin="three.txt")])
    assert again.added == 0 and again.updated == 0 and len(index.articles()) == 2
    # two same-title articles in one input are two articles; one file edited is an update
    twins = [make_article(text=f"Twin\n\nText {n}.", title="Twin", origin="both.txt") for n in (1, 2)]
    assert index.add(twins).added == 2
    assert index.add([make_article(text="Same title\n\nA fire broke out.", title="Same title",
                                   origin="one.txt")]).updated == 1
    # different outlets, same title: two articles; the same outlet's corrected text replaces
    one = make_article(text="Same title\n\nText one.", title="Same title", source="Outlet A")
    two = make_article(text="Same title\n\nText two.", title="Same title", source="Outlet B")
    assert index.add([one, two]).added == 2
    fixed = make_article(text="Same title\n\nText one, corrected.", title="Same title", source="Outlet A")
    assert index.add([fixed]).updated == 1 and len(index.articles()) == 6


def test_ingest_source_and_published_fill_in_what_the_input_lacks():
    plain = make_article(text="A title\n\nBody text here.", title="A title")
    named = make_article(text="B title\n\nBody.", title="B title", source="Own Outlet", published="2026-01-01")
    filled, kept = with_provenance([plain, named], "Valley News", "2026-03-04")
    assert (filled.source, filled.published) == ("Valley News", "2026-03-04")
    assert filled.id != plain.id  # the id is derived again, with the outlet
    assert (kept.source, kept.published, kept.id) == ("Own Outlet", "2026-01-01", named.id)


# --------------------------------------------------------------------------- rendering

def test_open_the_article_at_this_sentence_links_only_web_urls():
    link = render.sentence_url(URL, "Twelve people were killed in the mill fire, the fire service said.")
    assert link.startswith(URL + "#:~:text=Twelve%20people%20were%20killed,")
    assert render.sentence_url(HOSTILE_URL, "x") is None
    html = render.provenance_html("<b>t</b>", OUTLET, DATE, HOSTILE_URL, "x")
    assert "javascript" not in html and "<b>" not in html


def test_speakers_sort_filter_and_pair(article, claim):
    other = make_article(text="Other\n\nThe union said fifteen died.", title="Other", id="p2", source="Wire Daily",
                         published="2026-03-03", url="https://wire.example/p2", body_start=7)
    union = Claim("p2", Span.of(other.text, 22, other.text.index(" died") + 5), "indirect",
                  Span.of(other.text, 7, 16), "the union", "organisation", Span.of(other.text, 17, 21), [1])
    groups = [SpeakerGroup("the fire service", "organisation", [], [(article, claim)]),
              SpeakerGroup("the union", "organisation", [], [(other, union), (other, union)])]
    by_count = render.render_speakers(groups)
    assert by_count.index("the union") < by_count.index("the fire service")
    by_name = render.render_speakers(groups, sort="name")
    assert by_name.index("the fire service") < by_name.index("the union")
    assert "the union" not in render.render_speakers(groups, outlet=OUTLET)
    assert "No speakers match" in render.render_speakers(groups, speaker_type="person")
    pair = render.render_speaker_pair(groups, "the fire service", "the union")
    assert pair.count('class="na-side"') == 2 and "Wire Daily" in pair and OUTLET in pair
    assert "Choose two" in render.render_speaker_pair(groups, "the union", None)
