"""Comparing the coverage: groups, disagreements, timeline and the corpus scorer.

The logic is tested with a scripted consistency model (each case says what the model
saw); the encoder is the bundled one, with every pair a candidate (``pair_at=-1``)."""
from __future__ import annotations

import numpy as np
import pytest

from assistant.compare import (DENIAL_KIND, FIGURE, CompareConfig, Statement, compare_statements, statements_of,
                               timeline)
from assistant.corpus import make_article
from assistant.evaluate_compare import CompareGold, Quote, score_comparison

ALL_PAIRS = CompareConfig(pair_at=-1.0, neighbours=20)


class FactModel:
    """Entails a hypothesis that states the same fact as the premise (facts are phrases);
    neutral otherwise. Records the pairs it read."""

    FACTS = {
        "toll 12": ("Twelve people were killed in the mill fire", "12 people died in the mill fire",
                    "12 workers died in the mill fire"),
        "toll 15": ("15 workers died in the mill fire",),
        "locked": ("exits of the mill were locked",),
        "meeting": ("council will meet on Friday",),
    }

    def __init__(self):
        self.asked = []

    def fact(self, text):
        return next((k for k, phrases in self.FACTS.items() if any(p in text for p in phrases)), None)

    def probabilities(self, pairs):
        self.asked.extend(pairs)
        out = []
        for premise, hypothesis in pairs:
            a, b = self.fact(premise), self.fact(hypothesis)
            out.append([0.9, 0.05, 0.05] if a is not None and a == b else [0.05, 0.9, 0.05])
        return np.array(out, dtype=np.float32).reshape(-1, 3)


def article(id_, text, source, published):
    return make_article(text=text, title=f"Report {id_}", id=id_, source=source, published=published,
                        url=f"https://{source.lower().replace(' ', '')}.example/{id_}")


ARTICLES = [
    article("a1", "Twelve people were killed in the mill fire. The union leader said the exits of the mill were locked.",
            "Harbour Post", "2026-03-02"),
    article("a2", "The fire service said 12 people died in the mill fire. The council will meet on Friday.",
            "Valley News", "2026-03-03"),
    article("a3", "The union says 15 workers died in the mill fire. The mill owner denied that the exits were locked.",
            "Wire Daily", "2026-03-04"),
]


@pytest.fixture(scope="module")
def encode():
    from assistant.summarize import default_encode

    return default_encode


def _statements():
    return [s for a in ARTICLES for s in statements_of(a, [])]


def test_statements_carry_provenance_and_exact_offsets():
    statements = _statements()
    assert len(statements) == 6
    for s in statements:
        source = next(a for a in ARTICLES if a.id == s.article_id)
        assert source.text[s.start:s.end] == s.text
        assert (s.source, s.published, s.url, s.title) == (source.source, source.published, source.url, source.title)
        assert s.speaker is None and s.voice == source.source


def test_the_same_fact_across_outlets_is_one_group(encode):
    comparison = compare_statements("mill fire", _statements(), encode, FactModel(), ALL_PAIRS)
    groups = [{m.article_id for m in g.members} for g in comparison.groups]
    assert {"a1", "a2"} in groups  # "Twelve people were killed" = "12 people died"
    toll = next(g for g in comparison.groups if {m.article_id for m in g.members} == {"a1", "a2"})
    assert toll.outlets == ["Harbour Post", "Valley News"]
    assert toll.first_report.published == "2026-03-02" and toll.first_report.source == "Harbour Post"
    assert toll.representative in toll.members
    # the meeting is said once: no group; the rival figure is never grouped with the toll
    assert not any("15 workers" in m.text for g in comparison.groups for m in g.members if "12" in g.representative.text)


def test_rival_figures_for_one_count_disagree(encode):
    model = FactModel()
    comparison = compare_statements("mill fire", _statements(), encode, model, ALL_PAIRS)
    figures = [d for d in comparison.disagreements if d.kind == FIGURE]
    assert len(figures) == 1
    d = figures[0]
    assert {d.a.article_id, d.b.article_id} in ({"a1", "a3"}, {"a2", "a3"})
    assert "15" in d.figures[1] or "15" in d.figures[0]
    # the model read the union's figure with the other figure put in its place
    assert any("died in the mill fire" in h and "15" not in h for _, h in model.asked)


def test_a_reported_denial_disagrees_with_what_it_denies(encode):
    claims_article = make_article(
        text="The union leader said the exits of the mill were locked. The mill owner denied the claim.",
        title="Exits", id="a4", source="Wire Daily", published="2026-03-05", url="https://wiredaily.example/a4")
    asserted = Statement("a4", "Exits", "Wire Daily", "2026-03-05", "https://wiredaily.example/a4", 0, 0, 56,
                         claims_article.text[0:56], speaker="union leader", context=claims_article.text[0:56])
    denial = Statement("a4", "Exits", "Wire Daily", "2026-03-05", "https://wiredaily.example/a4", 1, 81, 90,
                       "the claim", speaker="mill owner", cue="denied", context=claims_article.text, denial=True)
    comparison = compare_statements("exits", [asserted, denial], encode, FactModel(), ALL_PAIRS)
    assert [d.kind for d in comparison.disagreements] == [DENIAL_KIND]
    assert not comparison.groups  # a denial is never grouped with what it denies


def test_one_speaker_changing_position_is_no_disagreement(encode):
    def said(day, text):
        return Statement(f"m{day}", "Minister", "Valley News", f"2026-03-0{day}", "", 0, 0, len(text), text,
                         speaker="Corin Halloway", context=text)

    comparison = compare_statements("fares", [said(3, "12 people died in the mill fire"),
                                              said(8, "15 workers died in the mill fire")],
                                    encode, FactModel(), ALL_PAIRS)
    assert comparison.disagreements == []
    assert [t.published for t in comparison.timeline] == ["2026-03-03", "2026-03-08"]


def test_timeline_is_by_date_with_outlet_and_speaker():
    statements = list(reversed(_statements()))
    entries = timeline(statements)
    assert [e.published for e in entries] == sorted(e.published for e in entries)
    assert all(e.source and e.url and e.title for e in entries)


def test_scoring_pairs_and_disagreements(encode):
    comparison = compare_statements("mill fire", _statements(), encode, FactModel(), ALL_PAIRS)
    gold = CompareGold(
        groups={"g1": [Quote("a1", "Twelve people were killed in the mill fire"),
                       Quote("a2", "12 people died in the mill fire")],
                "g2": [Quote("a3", "15 workers died in the mill fire")]},
        disagreements={"d1": (Quote("a1", "Twelve people were killed in the mill fire"),
                              Quote("a3", "15 workers died in the mill fire"))})
    report = score_comparison(gold, ARTICLES, comparison)
    assert report["grouping"]["f1"] == 1.0
    assert report["disagreements"]["recall"] == 1.0 and report["disagreements"]["precision"] == 1.0
