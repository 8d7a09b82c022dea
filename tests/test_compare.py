"""Comparing the coverage: groups, disagreements, timeline and the corpus scorer.

The logic is tested with a scripted consistency model (each case says what the model
saw); the encoder is the bundled one, with every pair a candidate (``pair_at=-1``)."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from assistant.compare import (DENIAL_KIND, FIGURE, CompareConfig, PairScore, Statement, compare_statements,
                               compared_text, counts, deny_alike, figure_relation, group_statements, margins,
                               negated_words, negates, one_line, statements_of, stored_encode, timeline, topic_words)
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


# --------------------------------------------------------------------------- figures and denials without the model

class ContradictingModel:
    """Finds a contradiction in every pair, as a poorly calibrated model does for near-copies."""

    def probabilities(self, pairs):
        return np.tile(np.array([0.05, 0.05, 0.9], dtype=np.float32), (len(pairs), 1)).reshape(-1, 3)


class NeutralModel:
    def probabilities(self, pairs):
        return np.tile(np.array([0.05, 0.9, 0.05], dtype=np.float32), (len(pairs), 1)).reshape(-1, 3)


def said(id_, text, speaker, source="Wire Daily", published="2026-03-02"):
    return Statement(id_, "Report", source, published, "", 0, 0, len(text), text, speaker=speaker, sentence=text,
                     context=text)


def test_counts_read_what_a_figure_counts_and_what_happened():
    def kinds(text, sentence=""):
        return [(c.value, c.unit, sorted(c.happened)) for c in counts(text, sentence)]

    assert kinds("Twenty-eight people were treated in hospital") == [(28.0, "people", ["hurt"])]
    assert kinds("At least 15 workers died, three more than the official toll") == [(15.0, "people", ["dead"])]
    assert kinds("The repair will cost about 6 million crowns") == [(6e6, "money", ["cost"])]
    # people with nothing named that happened to them: counted, to be the same figure only
    assert kinds("About 60 people were working the night shift") == [(60.0, "people", [])]
    assert kinds("The count stands at twelve") == [(12.0, "people", [])]
    # a noun used as an adverb names no happening: those who "never came home" are not displaced
    assert kinds("Nine passengers boarded that night and never came home") == [(9.0, "people", [])]
    assert kinds("40 families left their homes") == [(40.0, "people", ["displaced"])]
    assert kinds("Two drivers were hurt when their cars were caught by falling rock") == [(2.0, "people", ["hurt"])]
    assert kinds("The shop opened at nine") == []
    assert kinds("Fares will rise by 8 percent") == []
    # no counted noun: what happened is read from the sentence
    assert kinds("the true figure is 15", "The service says 12 people died, the union says the true figure is 15.") \
        == [(15.0, "people", ["dead"])]


def test_figure_relation_same_rival_or_unrelated():
    twelve, fifteen = counts("Twelve people were killed in the fire"), counts("15 workers died in the fire")
    assert figure_relation(twelve, counts("We recovered twelve bodies"))[0] == "same"
    assert figure_relation(twelve, fifteen)[0] == "rival"
    # figures of different counts: not one claim, and no rivals either
    assert figure_relation(twelve, counts("28 people were taken to hospital"))[0] == "differ"  # dead / hurt
    # rival estimates of one count lie within a factor of ten
    assert figure_relation(counts("A pass will cost 62 crowns"), counts("The strike cost 30 million crowns"))[0] == "differ"
    assert figure_relation(twelve, counts("The council will meet on Friday")) is None
    # strikers are counted as such: rivals of strikers, not of marchers
    union = counts("About 1,100 members of the union joined the strike")
    port = counts("The port put the number of strikers at 400")
    assert figure_relation(union, port)[0] == "rival"
    assert figure_relation(union, counts("Around 3,000 people joined the march"))[0] == "differ"
    # a figure with nothing named that happened: the same figure, never a rival
    assert figure_relation(twelve, counts("The count stands at twelve"))[0] == "same"
    assert figure_relation(fifteen, counts("The count stands at twelve")) is None


def test_negation_scope_and_falsity():
    assert {"close", "depot"} <= negated_words("There is no plan to close any depot")
    assert {"exit", "lock"} <= negated_words("No exit in our factory was locked.")
    assert "chain" in negated_words("The claim that they were chained is false")
    assert negated_words("The ministry plans to close three depots") == frozenset()


def test_a_high_contradiction_alone_is_no_disagreement(encode):
    statements = [said("a", "The council will meet on Friday to discuss the bridge", "mayor"),
                  said("b", "The council meets on Friday about the bridge", "union leader")]
    comparison = compare_statements("bridge", statements, encode, ContradictingModel(), ALL_PAIRS)
    assert comparison.disagreements == []


def test_a_negation_of_what_the_other_side_asserts_is_a_denial(encode):
    statements = [said("a", "the ministry was preparing to close three tram depots", "union leader"),
                  said("b", "There is no plan to close any depot", "ministry spokesman", published="2026-03-03")]
    comparison = compare_statements("depots", statements, encode, NeutralModel(), ALL_PAIRS)
    assert [d.kind for d in comparison.disagreements] == [DENIAL_KIND]
    assert not comparison.groups


def test_one_figure_for_one_count_groups_what_the_model_misses(encode):
    statements = [said("a", "Twelve people were killed when fire swept through the mill", "fire service"),
                  said("b", "The fire service has put the death toll at 12", None, source="Valley News"),
                  said("c", "At least 15 workers died in the mill fire", "union", source="Harbour Post")]
    comparison = compare_statements("mill fire", statements, encode, NeutralModel(), ALL_PAIRS)
    assert [sorted(m.article_id for m in g.members) for g in comparison.groups] == [["a", "b"]]
    assert [(d.kind, "c" in (d.a.article_id, d.b.article_id)) for d in comparison.disagreements] == [(FIGURE, True)]


def test_statements_leave_out_the_dateline_and_keep_unreported_sentences():
    text = ("PORT AVEN, March 2 (Wire One) - At least 15 workers died in the fire, the union said. "
            "Police put the number of marchers at 12,000.")
    a = make_article(text=text, title="T", id="w1", source="Wire One", published="2026-03-02", url="")
    statements = statements_of(a, [])
    assert [s.text for s in statements][0].startswith("At least 15 workers")
    assert all(a.text[s.start:s.end] == s.text for s in statements)
    assert any(s.text.startswith("Police put the number") for s in statements)


def test_denials_beyond_the_nearest_neighbours_only_within_one_article(encode):
    far = CompareConfig(pair_at=0.99)  # no candidate pairs: only the negation pairs are read
    claim = "the ministry was preparing to close three tram depots"
    denial = "There is no plan to close any depot"
    one_article = [said("a", claim, "union leader"), said("a", denial, "ministry spokesman")]
    one_article[1].start, one_article[1].end = 100, 100 + len(denial)
    assert [d.kind for d in compare_statements("depots", one_article, encode, NeutralModel(), far).disagreements] \
        == [DENIAL_KIND]
    two_articles = [said("a", claim, "union leader"), said("b", denial, "ministry spokesman")]
    assert compare_statements("depots", two_articles, encode, NeutralModel(), far).disagreements == []


def test_a_negation_denies_only_what_the_other_side_says_of_its_core():
    asserted = said("a", "Crews are repairing damage to the track outside the station", None)
    # the station building is what was not damaged: the track's damage is no denial of it
    assert not negates(said("b", "The station building was not damaged", None), asserted)
    assert not negates(said("b", "No sirens were sounded near the station track", None), asserted)
    assert negates(said("b", "The track outside the station was not damaged", None), asserted)
    # "no" takes its noun, or the clause that the noun stands for
    claim = said("a", "drivers had reported a signal fault on the bend", "union leader")
    assert negates(said("b", "No fault was ever reported on that signal", "spokeswoman"), claim)
    assert negates(said("b", "There is no plan to close any depot", "ministry"),
                   said("a", "the ministry was preparing to close three tram depots", "union"))


def test_two_that_deny_one_thing_are_one_group(encode):
    text = "The union leader said drivers had reported a signal fault on the bend. The rail company rejected that account."
    reported = Statement("r1", "Rail", "Wire Daily", "2026-03-02", "", 1, 72, 84, "that account", speaker="rail company",
                         cue="rejected", sentence=text[72:], context=text, denial=True)
    direct = said("r2", "No fault was ever reported on that signal", "company spokeswoman", published="2026-03-03")
    also = said("r3", "The company had received no report of a signal fault", "company spokeswoman",
                published="2026-03-04")
    assert deny_alike(reported, direct) and deny_alike(direct, also) and deny_alike(reported, also)
    assert not deny_alike(direct, said("r4", "The station building was not damaged", None))
    # denying that no fault was reported asserts one: no agreement with a negation of it
    negated = "The union leader said no fault had been reported on the signal. The rail company rejected that account."
    denied_negation = Statement("r5", "Rail", "Wire Daily", "2026-03-02", "", 1, 87, 99, "that account",
                                speaker="rail company", cue="rejected", context=negated, denial=True)
    assert not deny_alike(denied_negation, direct)
    comparison = compare_statements("signal", [reported, direct, also], encode, NeutralModel(), ALL_PAIRS)
    assert [sorted(m.article_id for m in g.members) for g in comparison.groups] == [["r1", "r2", "r3"]]
    assert comparison.disagreements == []


def test_figures_of_different_stories_are_no_rivals(encode):
    statements = [said("a", "Fourteen people died when the ferry sank", "families", source="Harbour Post"),
                  said("b", "Three passengers died in the train crash", "rail company", source="Valley News")]
    comparison = compare_statements("deaths", statements, encode, NeutralModel(), ALL_PAIRS)
    assert comparison.disagreements == [] and comparison.groups == []


def test_groups_join_when_most_pairs_across_them_are_confirmed(encode):
    # a and b give one figure (joined first); c is close to a (cosine 0.61) but not to b
    # (0.43): one confirmed pair of the two across, which is not more than half
    statements = [said("a", "Twelve people were killed in the mill fire", "fire service"),
                  said("b", "The fire service has put the death toll at 12", None, source="Valley News"),
                  said("c", "The fire service has put out the fire at the mill", None, source="Harbour Post")]

    def groups(share):
        config = CompareConfig(pair_at=-1.0, neighbours=20, close_at=0.5, link_share=share)
        return [sorted(m.article_id for m in g.members)
                for g in compare_statements("mill", statements, encode, NeutralModel(), config).groups]

    assert groups(0.5) == [["a", "b"]]
    assert groups(0.49) == [["a", "b", "c"]]


class StoredIndex:
    """An index that holds a vector for each sentence of its articles; records what it encodes."""

    def __init__(self, encode):
        self.fresh, self.encoder = [], encode
        self.vectors = {a.id: encode([s.text for s in a.sentences]) for a in ARTICLES}

    def sentence_embeddings(self, article_id):
        return self.vectors[article_id]

    def encode(self, texts):
        self.fresh.extend(texts)
        return self.encoder(texts)


def test_stored_vectors_are_taken_for_whole_sentences_and_claims_are_encoded(encode):
    index = StoredIndex(encode)
    whole = _statements()[:2]  # a1's two sentences, each a statement as indexed
    content = "the exits of the mill were locked"  # a claim within a1's second sentence
    start = whole[1].text.index(content)
    claim = replace(whole[1], start=whole[1].start + start, end=whole[1].start + start + len(content), text=content,
                    speaker="union leader")
    texts = [compared_text(s) for s in whole + [claim]]
    vectors = stored_encode(index, whole + [claim])(texts)
    assert index.fresh == [claim.text]
    assert np.allclose(vectors, encode(texts), atol=1e-5)


def test_illness_is_a_count_and_rival_figures_of_it_disagree(encode):
    def kinds(text):
        return [(c.value, c.unit, sorted(c.happened)) for c in counts(text)]

    assert kinds("35 people had fallen ill with stomach complaints") == [(35.0, "people", ["ill"])]
    assert kinds("The health board has recorded 35 cases") == [(35.0, "people", ["ill"])]
    board = said("h", "35 people had fallen ill from the tap water", "health board")
    doctors = said("d", "At least 120 people have been sick since the tap water was contaminated", "family doctors",
                   source="Valley News")
    assert figure_relation(counts(board.text), counts(doctors.text))[0] == "rival"
    comparison = compare_statements("illness", [board, doctors], encode, NeutralModel(), ALL_PAIRS)
    assert [d.kind for d in comparison.disagreements] == [FIGURE] and comparison.groups == []


def test_a_reported_denial_is_not_grouped_by_its_closeness_to_what_it_denies(encode):
    text = "Tomas Quill said the company had known about the faulty valve for weeks. Kelmar Water denied this."
    claim = said("w1", "the company had known about the faulty valve for weeks", "Tomas Quill")
    denial = Statement("w2", "Water", "Wire Daily", "2026-03-02", "", 1, 92, 96, "this", speaker="Kelmar Water",
                       cue="denied", sentence=text[73:], context=text, denial=True)
    vectors = encode([compared_text(claim), compared_text(denial)])
    close = float(vectors[0] @ vectors[1])
    assert close > 0.6  # read with the sentence before it, the denial is close to what it denies
    config = CompareConfig(pair_at=-1.0, neighbours=20, close_at=close - 0.05)
    assert compare_statements("valve", [claim, denial], encode, NeutralModel(), config).groups == []


def _claim(id_, text, cue="said", published="2026-03-02"):
    return replace(said(id_, text, "Sela Varn", published=published), cue=cue)


def test_one_speaker_keeps_one_line_in_other_words():
    warned = _claim("a", "drivers had reported a signal fault on the bend weeks ago")
    assert one_line(warned, _claim("b", "Our members warned about that signal for weeks"))
    # another speaker, or no word in common but names
    assert not one_line(warned, replace(_claim("c", "members warned about that signal for weeks"), speaker="Agna Frey"))
    assert not one_line(_claim("d", "the notice will stay in place at Kelmar"), _claim("e", "bills at Kelmar may rise"))


def test_one_speaker_who_changes_position_keeps_each_line_apart(encode):
    lines = [_claim("a", "any increase in water bills", cue="ruled out", published="2026-03-02"),
             _claim("b", "water bills may have to rise to pay for the repairs", published="2026-03-05"),
             _claim("c", "water bills will rise by 6 percent to pay for the repairs", published="2026-03-08")]
    assert not one_line(lines[0], lines[2])  # ruled out / will rise
    assert not one_line(lines[1], lines[2])  # may / will
    assert not one_line(_claim("d", "customers would not pay for the repairs"), lines[2])  # negated / not
    config = CompareConfig(pair_at=2.0, close_at=2.0, speaker_at=0.0)  # only the speaker rule can group
    assert compare_statements("bills", lines, encode, NeutralModel(), config).groups == []
    # the same line said again in the same story (here: the same article) is one line
    again = replace(_claim("c", "water bills will go up by 6 percent to cover the repairs", published="2026-03-08"),
                    start=100, end=160)
    grouped = compare_statements("bills", lines + [again], encode, NeutralModel(), config).groups
    assert [sorted(m.text for m in g.members) for g in grouped] == [sorted([lines[2].text, again.text])]
    # in an article of another story (no claims in common with the first) it is chance
    elsewhere = replace(again, article_id="e", published="2026-03-09")
    assert compare_statements("bills", lines + [elsewhere], encode, NeutralModel(), config).groups == []


class EntailingModel:
    def probabilities(self, pairs):
        return np.tile(np.array([0.95, 0.03, 0.02], dtype=np.float32), (len(pairs), 1)).reshape(-1, 3)


def test_what_only_may_happen_is_not_what_will(encode):
    may = said("a", "Water bills may have to rise to pay for the repairs", "Sela Varn")
    will = said("b", "Kelmar Water will raise bills by 6 percent to pay for the repairs", None, source="Valley News")
    also = said("c", "Bills will go up by 6 percent to pay for the repairs", None, source="Harbour Post")
    groups = compare_statements("bills", [may, will, also], encode, EntailingModel(), ALL_PAIRS).groups
    assert [sorted(m.article_id for m in g.members) for g in groups] == [["b", "c"]]


RAIL = [said("a1", "Services on the line will resume on Thursday", None, source="Harbour Post"),
        said("a1", "The carriages left the track on a curve near the station", None, source="Harbour Post"),
        said("a1", "Engineers are repairing the damaged track near the station", None, source="Harbour Post"),
        said("a2", "Trains will run on the line again from Thursday", None, source="Valley News"),
        said("a2", "The train came off the rails at a bend close to the station", None, source="Valley News"),
        said("a2", "The rail company has ordered an inquiry into the crash", None, source="Valley News")]


def test_a_pair_close_for_its_story_is_one_claim(encode):
    vectors = encode([s.text for s in RAIL])
    margin = margins(RAIL, vectors @ vectors.T, neighbours=2)
    # the paraphrase stands out from how close either statement is to the other article
    assert margin[0, 3] == max(margin[0, j] for j in (3, 4, 5)) and margin[0, 3] >= 1.1
    config = CompareConfig(close_at=2.0, speaker_at=None, margin_neighbours=2)  # the model entails nothing
    grouped = compare_statements("line", RAIL, encode, NeutralModel(), config).groups
    # across articles only: two sentences of one article are close for being one article's
    assert sorted(sorted(m.text for m in g.members) for g in grouped) == \
        sorted(sorted(RAIL[i].text for i in pair) for pair in ((0, 3), (1, 4)))
    off = replace(config, margin_at=None)
    assert compare_statements("line", RAIL, encode, NeutralModel(), off).groups == []


def test_a_tie_joins_when_the_pair_not_confirmed_was_never_read(encode):
    statements = [said("a", "Twelve people were killed in the mill fire", "fire service"),
                  said("b", "The fire service has put the death toll at 12", None, source="Valley News"),
                  said("c", "Twelve workers lost their lives in the blaze", None, source="Harbour Post")]
    vectors = encode([s.text for s in statements])
    config = CompareConfig(close_at=2.0, margin_at=None, speaker_at=None)
    confirmed = [PairScore(0, 1, 0.9, 0.9, 0.0, False), PairScore(1, 2, 0.9, 0.9, 0.0, False)]

    story = frozenset(frozenset(p) for p in (("a", "b"), ("b", "c"), ("a", "c")))  # one story (``story_links``)

    def groups(scores, linked=story):
        return [sorted(m.article_id for m in g.members)
                for g in group_statements(statements, scores, config, vectors, linked)]

    assert groups(confirmed) == [["a", "b", "c"]]  # a-c never read: it abstains
    # across articles of stories not linked, the model's entailment confirms nothing
    assert groups(confirmed, frozenset()) == []
    assert groups(confirmed + [PairScore(0, 2, 0.6, 0.1, 0.0, False)]) == [["a", "b"]]  # read, not entailed


def test_words_of_the_topic_make_no_line_of_one_speaker():
    lines = [_claim("a", "The boil-water notice could stay in place for another two weeks"),
             _claim("b", "Water bills may have to rise to pay for the repairs")]
    others = [said(str(n), f"Water was tested at site {n}", None) for n in range(3)]
    topic = topic_words(lines + others, 0.1)
    assert "water" in topic and "bill" not in topic
    assert one_line(*lines) and not one_line(*lines, topic)
    # a word only two statements share is what they say in common, never the topic
    assert topic_words(lines, 0.1) == frozenset()


# --------------------------------------------------------------------------- stories, measures, reported denials

def test_measures_read_a_figure_with_its_unit():
    from assistant.checks import parse
    from assistant.compare import measures

    assert measures(parse("The detour costs each lorry 40 minutes")) == {"40 minute"}
    assert measures(parse("The diversion makes trips roughly forty minutes longer")) == {"40 minute"}
    assert measures(parse("Nobody believes three weeks")) == {"3 week"}
    # people and money are counts, not measures
    assert measures(parse("Twelve people died and the repair will cost 6 million crowns")) == frozenset()


TOLLEY = [said("t1", "Drivers are sent round by Tolley Cross, which adds about 40 minutes to the journey", None,
               source="Harbour Post"),
          said("t2", "The detour by way of Tolley Cross costs each lorry 40 minutes", "Dora Quint",
               source="Valley News")]


def test_one_measure_of_one_thing_is_one_claim(encode):
    config = CompareConfig(pair_at=-1.0, neighbours=20, close_at=2.0, speaker_at=None, margin_at=None)
    grouped = compare_statements("detour", TOLLEY, encode, NeutralModel(), config).groups
    assert [sorted(m.article_id for m in g.members) for g in grouped] == [["t1", "t2"]]
    other = said("t3", "The detour by way of Tolley Cross costs each lorry 25 minutes", "Dora Quint",
                 source="Valley News")
    assert compare_statements("detour", [TOLLEY[0], other], encode, NeutralModel(), config).groups == []
    doubted = said("t4", "Nobody believes the detour by Tolley Cross adds 40 minutes", "Dora Quint",
                   source="Valley News")
    assert compare_statements("detour", [TOLLEY[0], doubted], encode, NeutralModel(), config).groups == []


def test_a_negation_over_a_measure_denies_it(encode):
    expects = said("s1", "it expects to reopen the road within three weeks", "county roads office")
    doubts = said("s1", "Nobody who has seen that hillside believes three weeks", "Dora Quint")
    doubts.start, doubts.end = 200, 200 + len(doubts.text)
    assert negates(doubts, expects)
    comparison = compare_statements("road", [expects, doubts], encode, NeutralModel(), ALL_PAIRS)
    assert [d.kind for d in comparison.disagreements] == [DENIAL_KIND]


class StoryModel:
    """Entails between two statements of one scripted fact; neutral otherwise."""

    FACTS = (("road is shut", "road closed"), ("rain", "downpour"))

    def fact(self, text):
        return next((n for n, words in enumerate(self.FACTS) if any(w in text for w in words)), None)

    def probabilities(self, pairs):
        out = [[0.9, 0.05, 0.05] if self.fact(p) is not None and self.fact(p) == self.fact(h) else [0.05, 0.9, 0.05]
               for p, h in pairs]
        return np.array(out, dtype=np.float32).reshape(-1, 3)


def test_articles_that_share_two_claims_tell_one_story(encode):
    from assistant.compare import story_links

    police = said("k", "Two drivers were hurt when their cars were caught by falling rock", "police",
                  source="Harbour Post")
    hospital = said("r", "Four people were injured in Sunday's landslide", "Ashby hospital", source="Valley News")
    shared = [said("k", "The road is shut until further notice", None, source="Harbour Post"),
              said("r", "The road closed on Monday until further notice", None, source="Valley News"),
              said("k", "The rain fell for two days", None, source="Harbour Post"),
              said("r", "A weekend downpour soaked the hillside", None, source="Valley News")]
    # no word in common beyond the count's: no rivals without a story
    one_claim = compare_statements("slide", [police, hospital] + shared[:2], encode, StoryModel(), ALL_PAIRS)
    assert one_claim.disagreements == []
    comparison = compare_statements("slide", [police, hospital] + shared, encode, StoryModel(), ALL_PAIRS)
    assert [(d.kind, {d.a.speaker, d.b.speaker}) for d in comparison.disagreements] == \
        [(FIGURE, {"police", "Ashby hospital"})]
    # a third article joined by two claims to one of them is in the story too
    scores = [PairScore(0, 1, 0.6, 0.9, 0.0, False), PairScore(2, 3, 0.6, 0.9, 0.0, False),
              PairScore(1, 4, 0.6, 0.9, 0.0, False), PairScore(3, 5, 0.6, 0.9, 0.0, False)]
    statements = [said(a, "The road stays shut until further notice", None) for a in ("a", "b", "a", "b", "c", "c")]
    assert frozenset(("a", "c")) in story_links(statements, scores, CompareConfig())
    assert story_links(statements, scores[:1] + scores[2:3], CompareConfig()) == frozenset()
    # the time stamps of two live blogs are no claims in common
    stamps = [said(a, "6:01 p.m.", None) for a in ("a", "b", "a", "b", "c", "c")]
    assert story_links(stamps, scores, CompareConfig()) == frozenset()


def test_counts_read_a_figure_of_a_count_and_a_home_that_is_no_happening():
    def kinds(text):
        return [(c.value, c.unit, sorted(c.happened)) for c in counts(text)]

    assert kinds("Police have so far given a figure of two.") == [(2.0, "people", [])]
    assert kinds("a crowd of 3,000 marched") == [(3000.0, "people", ["crowd"])]
    assert kinds("We know of fourteen people who boarded and never came home,") == [(14.0, "people", [])]


def test_an_outlets_sentence_can_report_a_denial():
    from assistant.compare import reports_a_denial

    assert reports_a_denial("Varn rejected claims that the company had ignored warnings about the valve.")
    assert reports_a_denial("The ministry denied that trams would stop.")
    assert not reports_a_denial("The court rejected the appeal.")  # a refused request
    assert not reports_a_denial("Police said two people died.")
    text = ("Tomas Quill said the company knew. "
            "Varn rejected claims that the company had ignored warnings about the valve.")
    a = make_article(text=text, title="T", id="v1", source="Radio North", published="2026-03-02", url="")
    statement = next(s for s in statements_of(a, []) if s.text.startswith("Varn"))
    assert statement.denial and statement.speaker is None


def test_a_denial_whose_content_stands_alone_is_read_as_itself():
    text = "The roads office said the slope was safe. The council denied that anyone had warned it about the slope."
    full = Statement("c1", "T", "Wire Daily", "2026-03-02", "", 1, 62, 104, "that anyone had warned it about the slope",
                     speaker="council", cue="denied", context=text, denial=True)
    assert compared_text(full) == "anyone had warned it about the slope"
    assert compared_text(replace(full, text="this")) == text  # what "this" denies is in the sentence before


def test_a_reported_content_is_read_as_what_it_reports():
    def read(text):
        return compared_text(said("a", text, "Tomas Quill"))

    assert read("his charge that Kelmar Water knew of the fault") == "Kelmar Water knew of the fault"
    assert read("claims that it had brought in strike-breakers") == "it had brought in strike-breakers"
    assert read("that customers would not pay for the repairs") == "customers would not pay for the repairs"
    # a quote that opens with a demonstrative is read whole
    assert read("That was never the plan for the depot") == "That was never the plan for the depot"


def test_one_speaker_naming_another_day_has_changed_the_line():
    monday = _claim("a", "engineers expected to restore power to every home by Wednesday")
    assert one_line(monday, _claim("b", "power would be back in every home on Wednesday"))
    assert not one_line(monday, _claim("c", "the last homes will have power again by Thursday night"))
    assert one_line(monday, _claim("d", "every home should have its power back soon"))  # no day named on one side


def test_a_short_content_is_read_with_its_own_sentence_unless_it_denies():
    sentence = "The regulator, the Energy Board, confirmed on Friday that it would examine the blackout."
    before = "Figures seen by the Gazette show the maintenance budget fell."
    content = "it would examine the blackout"
    claim = Statement("p", "Blackout", "Kelmar Gazette", "2026-05-16", "", 1, 100, 130, content, speaker="Energy Board",
                      sentence=sentence, context=f"{before} {sentence}")
    assert compared_text(claim) == sentence  # not the figures said before it
    denial = replace(claim, text="this", sentence="The company denied this.", context=f"{before} The company denied this.",
                     denial=True)
    assert compared_text(denial) == denial.context  # what "this" denies was said before it
    brief = replace(claim, text="it is true", sentence="It is true, she said.", context=f"{before} It is true, she said.")
    assert compared_text(brief) == brief.context  # the sentence says no more than the content


def test_homes_are_a_count_of_their_own_and_rival_figures_of_an_outage_disagree(encode):
    def kinds(text):
        return [(c.value, c.unit, sorted(c.happened)) for c in counts(text)]

    # the homes counted are not displaced: what happened to them is the outage
    assert kinds("Nearly 8,000 homes in Dunmore lost power after the storm") == [(8000.0, "homes", ["outage"])]
    assert kinds("About 20,000 households were without electricity overnight") == [(20000.0, "homes", ["outage"])]
    assert kinds("The order covers some 4,000 properties") == [(4000.0, "homes", [])]
    assert kinds("About 900 people fled their homes") == [(900.0, "people", ["displaced"])]
    # homes rival homes, never people; and they are a count, not a measure
    grid = counts("Nearly 8,000 homes in Dunmore lost power after the storm")
    assert figure_relation(grid, counts("About 20,000 households were without electricity overnight"))[0] == "rival"
    assert figure_relation(grid, counts("About 9,000 people lost power after the storm"))[0] == "differ"
    from assistant.checks import parse
    from assistant.compare import measures
    assert measures(parse("The order covers some 4,000 properties")) == frozenset()
    company = said("g", "Nearly 8,000 homes in Dunmore lost power after the storm", "the grid company")
    tenants = said("t", "About 20,000 households in Dunmore were without electricity after the storm",
                   "the tenants' association", source="Valley News")
    comparison = compare_statements("outage", [company, tenants], encode, NeutralModel(), ALL_PAIRS)
    assert [d.kind for d in comparison.disagreements] == [FIGURE] and comparison.groups == []


def test_a_negated_reply_after_an_accusation_denies_it(encode):
    from assistant.compare import answers_an_accusation

    def line(i, text, speaker, cue):
        return replace(said("m1", text, speaker), sentence_index=i, cue=cue, start=100 * i, end=100 * i + len(text))

    accusation = line(3, "the mill owners of bringing in drivers from another county", "the drivers' guild", "accused")
    reply = line(4, "\"Not one outside driver is working for us,\"", "Oren Lask", "said")
    assert answers_an_accusation(accusation, reply) and answers_an_accusation(reply, accusation)
    # a reply of the accuser, one later than the next sentence, a "said" claim, or an accusation that says nothing
    assert not answers_an_accusation(accusation, replace(reply, speaker="the drivers' guild"))
    assert not answers_an_accusation(accusation, replace(reply, sentence_index=6))
    assert not answers_an_accusation(replace(accusation, cue="said"), reply)
    assert not answers_an_accusation(replace(accusation, text="the owners in May"), reply)
    comparison = compare_statements("drivers", [accusation, reply], encode, NeutralModel(), ALL_PAIRS)
    assert [d.kind for d in comparison.disagreements] == [DENIAL_KIND] and comparison.groups == []
