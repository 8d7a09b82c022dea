"""The check engine: verdicts, attribution-aware support, misattribution, denials, disputes.

The verdict logic is tested with a scripted consistency model (so each case says exactly
what the model saw); the shipped model is tested on its own cases at the end."""
from __future__ import annotations

import numpy as np
import pytest

from assistant.check import (CONTRADICTED, DISPUTED, NOT_IN_COVERAGE, SUPPORTED, CheckConfig, Checker,
                             same_speaker)
from assistant.corpus import make_article

VALLEY = ("Floods kill 12 in river valley\n\n"
          "Flooding in the river valley killed 12 residents on Tuesday, the regional governor Maria Costa said. "
          "Rescue teams evacuated 2,400 people from three villages. "
          "Environmental groups said the dam operator caused the disaster. "
          "The operator denied this and said the rainfall was unprecedented.")
LEDGER = ("Valley counts its losses\n\n"
          "The town hall reopened on Wednesday after the floods. "
          "Shopkeepers said the clean-up would take months.")


class ScriptedModel:
    """Entails a hypothesis whose key phrase (``ENTAILS``) is in the premise; otherwise
    neutral. Records what it was asked."""

    ENTAILS = {
        "killed 12 residents": "killed 12 residents",
        "dam operator caused": "dam operator caused",
        "rainfall was unprecedented": "rainfall was unprecedented",
        "evacuated 2,400": "evacuated 2,400",
    }

    def __init__(self):
        self.asked = []

    def probabilities(self, pairs):
        self.asked.extend(pairs)
        out = []
        for premise, hypothesis in pairs:
            keys = [k for k in self.ENTAILS if k in hypothesis.replace("Flooding killed", "killed")]
            if any(self.ENTAILS[k] in premise for k in keys):
                out.append([0.9, 0.05, 0.05])
            else:
                out.append([0.05, 0.9, 0.05])
        return np.array(out, dtype=np.float32)


@pytest.fixture(scope="module")
def flood_index(tmp_path_factory):
    from assistant.index import SentenceIndex

    index = SentenceIndex(tmp_path_factory.mktemp("flood") / "index")
    index.add([make_article(text=VALLEY, title="Floods kill 12 in river valley", id="valley", source="Valley Post",
                            published="2026-03-02"),
               make_article(text=LEDGER, title="Valley counts its losses", id="ledger", source="Daily Ledger",
                            published="2026-03-03")])
    return index


@pytest.fixture()
def checker():
    return Checker(ScriptedModel(), CheckConfig(k=6))


def test_a_reported_claim_is_supported_as_that_speakers_claim(checker, flood_index):
    result = checker.check_claim("Flooding in the river valley killed 12 residents.", flood_index)
    assert result.verdict == SUPPORTED
    assert result.attributed_to == ["Maria Costa"]
    best = result.evidence[0]
    assert best.stance == "supports" and best.speaker == "Maria Costa"
    assert (best.source, best.published, best.title) == ("Valley Post", "2026-03-02", "Floods kill 12 in river valley")
    assert VALLEY[best.start:best.end] == best.text


def test_another_figure_for_the_same_count_is_contradicted(checker, flood_index):
    result = checker.check_claim("Rescue teams evacuated 3,000 people from three villages.", flood_index)
    assert result.verdict == CONTRADICTED
    assert any("2,400" in issue for issue in result.issues)


class ClauseModel:
    """Entails what the reported clause says; reads the whole sentence as neutral."""

    def probabilities(self, pairs):
        return np.array([[0.05, 0.9, 0.05] if "where" in premise else [0.9, 0.05, 0.05] for premise, _ in pairs],
                        dtype=np.float32)


def test_a_date_of_the_sentence_counts_when_the_model_reads_its_reported_clause():
    # the model reads "the army ordered residents to leave" (what the mayor says); the
    # sentence still dates the operation: October, not July
    document = ("In the valley, where the army has operated since October, the mayor said the army "
                "ordered residents to leave.")
    result = Checker(ClauseModel(), CheckConfig(k=6)).check_pair(
        document, "The army has operated in the valley since July and ordered residents to leave.")
    assert result.verdict == CONTRADICTED
    assert any("another month (oct)" in issue for issue in result.issues)



def test_a_name_of_the_sentence_counts_when_the_model_reads_its_reported_clause():
    document = "In Tbilisi, where the army has operated since October, the mayor said the army ordered residents to leave."
    result = Checker(ClauseModel(), CheckConfig(k=6)).check_pair(document, "The army ordered residents of Tbilisi to leave.")
    assert result.verdict == SUPPORTED, result.sentences[0].issues


def test_an_opposite_in_the_sentence_counts_when_the_model_reads_its_reported_clause():
    # the model reads "the union offered to hold the talks at city hall" (what aides noted);
    # the rest of the sentence says the mayor turned it down
    document = "Aides noted the union offered to hold the talks at city hall, but the mayor declined."
    model = ByPremiseModel({"Aides noted": [0.05, 0.9, 0.05], "union offered": [0.9, 0.05, 0.05]})
    result = Checker(model, CheckConfig(k=6)).check_pair(document, "The mayor accepted the offer to hold the talks at city hall.")
    assert result.verdict == CONTRADICTED
    assert any("'accept'" in issue and "'decline'" in issue for issue in result.issues)


def test_a_claim_given_to_the_wrong_speaker_is_misattributed(checker, flood_index):
    result = checker.check_claim("Environmental groups said the rainfall was unprecedented.", flood_index)
    assert result.verdict == CONTRADICTED
    assert any(issue.startswith("misattributed") and "operator" in issue for issue in result.issues)
    # the model was asked about the reported content, not about "X said ..."
    assert any(h == "the rainfall was unprecedented" for _, h in checker.model.asked)


def test_the_right_speaker_keeps_the_support(checker, flood_index):
    result = checker.check_claim("The operator said the rainfall was unprecedented.", flood_index)
    assert result.verdict == SUPPORTED and same_speaker("operator", result.attributed_to[0])


def test_an_office_speaks_for_the_one_it_serves():
    from assistant.check import speaks_for, voice_of

    assert voice_of("A statement from the PM's office") == "prime minister"
    assert voice_of("a spokeswoman for the mayor") == "mayor" and voice_of("the city council") is None
    sentences = ["Prime Minister Lena Park met the delegation on Monday."]
    assert speaks_for("the PM's office", "Park", sentences)
    assert not speaks_for("the PM's office", "Omar Haddad", sentences)
    assert speaks_for("Haddad's office", "Omar Haddad", sentences)


def test_a_statement_of_the_speakers_office_is_not_misattributed(tmp_path):
    text = ("Talks\n\nPrime Minister Lena Park met the delegation on Monday. "
            "A statement from the PM's office said the talks would resume in May.")
    index = _index_of(tmp_path, ("Talks", "North Times", text))
    model = ByPremiseModel({"talks would resume": [0.9, 0.05, 0.05]})
    result = Checker(model, CheckConfig(k=4)).check_claim("Park said the talks would resume in May.", index)
    assert result.verdict == SUPPORTED, result.issues


def test_a_claim_relayed_by_another_speaker_is_not_misattributed(tmp_path):
    from assistant.index import SentenceIndex

    class CeasefireModel:
        def probabilities(self, pairs):
            return np.array([[0.9, 0.05, 0.05] if "ceasefire is key" in p and "ceasefire" in h else [0.05, 0.9, 0.05]
                             for p, h in pairs], dtype=np.float32)

    index = SentenceIndex(tmp_path / "index")
    index.add([make_article(text="Talks in Baghdad\n\nThe adviser Hussein Allawi spoke to reporters on Monday. "
                                 "“Iraq believes that a ceasefire is key to ending the crisis,” he added.",
                            title="Talks in Baghdad", id="talks")])
    result = Checker(CeasefireModel(), CheckConfig(k=4)).check_claim(
        "Iraq believes a ceasefire is key to ending the crisis.", index)
    assert result.verdict == SUPPORTED, result.issues
    assert not any(issue.startswith("misattributed") for issue in result.issues)


def test_a_denial_is_not_support_and_makes_a_dispute(checker, flood_index):
    result = checker.check_claim("The dam operator caused the disaster.", flood_index)
    assert result.verdict == DISPUTED
    stances = {e.speaker: e.stance for e in result.evidence if e.stance != "related"}
    assert stances.get("environmental groups") == "supports"
    assert stances.get("operator") == "contradicts"


def test_nothing_bears_on_it_is_not_in_coverage(checker, flood_index):
    result = checker.check_claim("The mayor of the valley resigned over the floods.", flood_index)
    assert result.verdict == NOT_IN_COVERAGE and result.attributed_to == []
    assert result.issues[0] == "no sentence of the coverage states or contradicts it"
    assert 0.0 <= result.score < 0.5


def test_score_is_a_probability_that_orders_the_verdicts(checker, flood_index):
    supported = checker.check_claim("Flooding in the river valley killed 12 residents.", flood_index)
    missing = checker.check_claim("The mayor of the valley resigned over the floods.", flood_index)
    assert 0.0 <= missing.score < supported.score <= 1.0


def test_a_summary_is_checked_sentence_by_sentence(checker):
    article = make_article(text=VALLEY, title="Floods", id="valley")
    result = checker.check_summary(["Flooding killed 12 residents.", "The mayor resigned."], article,
                                   encode=lambda texts: np.ones((len(texts), 4), dtype=np.float32) / 2)
    assert [s.verdict for s in result.sentences] == [SUPPORTED, NOT_IN_COVERAGE]
    assert result.verdict == NOT_IN_COVERAGE and result.issues[0].startswith("sentence 2:")


def test_check_pair_needs_no_index(checker):
    result = checker.check_pair(VALLEY, "Rescue teams evacuated 2,400 people.", claim_id="p1")
    assert result.id == "p1" and result.verdict == SUPPORTED and result.sentences[0].evidence


class LivesLostModel:
    """Entails only from the sentence that says lives were lost."""

    def probabilities(self, pairs):
        return np.array([[0.9, 0.05, 0.05] if "lost their lives" in premise else [0.05, 0.9, 0.05]
                         for premise, _ in pairs], dtype=np.float32)


def test_the_model_reads_beyond_the_sentences_that_share_the_claims_words():
    filler = " ".join(f"Flooding of the river valley closed mill number {i}." for i in range(8))
    document = f"{filler} Twelve people lost their lives."
    checker = Checker(LivesLostModel(), CheckConfig(windows=2), use_attribution=False)
    result = checker.check_pair(document, "Flooding in the river valley killed twelve residents.")
    supporting = [e for e in result.sentences[0].evidence if e.stance == "supports"]
    assert result.verdict == SUPPORTED and [e.text for e in supporting] == ["Twelve people lost their lives."]
    assert len(result.sentences[0].evidence) <= 2 * 2  # the closest two, and the two that entail most


def test_a_summarys_score_reads_its_sentences_mean_signals(checker):
    article = make_article(text=VALLEY, title="Floods", id="valley")
    result = checker.check_summary(["Flooding killed 12 residents.", "The mayor resigned."], article)
    for name in result.signals:
        assert result.signals[name] == pytest.approx(np.mean([s.signals[name] for s in result.sentences]), abs=1e-3)
    assert result.score == pytest.approx(checker.calibrated_score(result.signals))
    assert result.sentences[1].score < result.score < result.sentences[0].score


def test_what_the_coverage_never_writes_counts_once_whichever_sentence_is_read(checker, flood_index):
    # no sentence is about the mayor, yet the name and the figure are unsupported all the same
    result = checker.check_claim("Mayor Olsen said 31 homes in the river valley were lost.", flood_index)
    assert result.signals["unsupported_findings"] == 2
    named = checker.check_claim("The mayor said homes in the river valley were lost.", flood_index)
    assert named.signals["unsupported_findings"] == 0 and result.score < named.score


def test_same_speaker_matches_compatible_names_only():
    assert same_speaker("medics", "Palestinian medics")
    assert same_speaker("Israel", "the Israeli military")
    assert same_speaker("Sudani", "Mohammed Shia al-Sudani")
    assert not same_speaker("Environmental groups", "The operator")
    assert not same_speaker("Foreign Minister Fuad Hussein", "Dr. Hussein Allawi")  # a first name is no surname
    assert same_speaker("the State Department", "the US State Department")


# --------------------------------------------------------------------------- the shipped model

@pytest.fixture(scope="module")
def shipped():
    return Checker(use_attribution=False)


@pytest.mark.parametrize("claim, verdict", [
    ("The council approved the budget for the new school.", SUPPORTED),
    ("The council did not approve the budget for the new school.", CONTRADICTED),
    ("The council rejected the budget for the new school.", CONTRADICTED),
])
def test_shipped_model_tells_negation_from_support(shipped, claim, verdict):
    document = "On Monday the council approved the budget for the new school. Work starts in May."
    assert shipped.check_pair(document, claim).verdict == verdict


class ByPremiseModel:
    """Gives each premise the probabilities of the first key phrase it contains."""

    def __init__(self, script):
        self.script = script

    def probabilities(self, pairs):
        return np.array([next((p for key, p in self.script.items() if key in premise), [0.05, 0.9, 0.05])
                         for premise, _ in pairs], dtype=np.float32)


def _index_of(tmp_path, *articles):
    from assistant.index import SentenceIndex

    index = SentenceIndex(tmp_path / "index")
    index.add([make_article(text=text, title=title, id=title.lower().replace(" ", "-"), source=source,
                            published="2026-04-01") for title, source, text in articles])
    return index


def test_the_model_alone_against_a_supporting_sentence_is_no_dispute(tmp_path):
    index = _index_of(tmp_path, ("Bridge open", "North Times", "Bridge open\n\nOfficials said the bridge reopened on Monday."),
                      ("Bridge works", "South Daily", "Bridge works\n\nThe bridge reopened on Monday after repairs."))
    model = ByPremiseModel({"Officials said": [0.9, 0.05, 0.05], "after repairs": [0.1, 0.1, 0.8]})
    result = Checker(model, CheckConfig(k=4), use_attribution=False).check_claim("The bridge reopened on Monday.", index)
    assert result.verdict == SUPPORTED
    assert {e.text: e.stance for e in result.evidence}["The bridge reopened on Monday after repairs."] == "related"


def test_the_model_alone_does_not_contradict_a_claim_about_someone_the_coverage_never_names(tmp_path):
    index = _index_of(tmp_path, ("Bridge shut", "North Times", "Bridge shut\n\nThe city closed the bridge on Monday."))
    model = ByPremiseModel({"closed the bridge": [0.1, 0.1, 0.8]})
    checker = Checker(model, CheckConfig(k=4), use_attribution=False)
    unnamed = checker.check_claim("The Harbor Trust criticised the closing of the bridge.", index)
    assert unnamed.verdict == NOT_IN_COVERAGE and any("Harbor Trust" in issue for issue in unnamed.issues)
    # a claim about what the coverage does name still reads the model's contradiction, also
    # where what it says of it names a place the coverage never gives
    assert checker.check_claim("The city opened the bridge on Monday.", index).verdict == CONTRADICTED
    assert checker.check_claim("The city closed the bridge to Harbor Town.", index).verdict == CONTRADICTED


def test_another_voices_figure_for_the_same_count_is_a_dispute(tmp_path):
    index = _index_of(tmp_path, ("Fire toll", "North Times", "Fire toll\n\nThe ministry said 40 people died in the fire."),
                      ("Fire count", "South Daily", "Fire count\n\nThe police said 25 people died in the fire."))
    model = ByPremiseModel({"40 people": [0.9, 0.05, 0.05]})
    result = Checker(model, CheckConfig(k=4)).check_claim("40 people died in the fire.", index)
    assert result.verdict == DISPUTED
    assert any("25 people" in issue for issue in result.issues)


def test_one_voices_figure_for_another_event_does_not_contradict_it(tmp_path):
    text = ("Strikes\n\nMedics said four people were killed when a strike hit a car. "
            "Medics said strikes across the region killed 17 people.")
    index = _index_of(tmp_path, ("Strikes", "North Times", text))
    model = ByPremiseModel({"hit a car": [0.9, 0.05, 0.05]})
    result = Checker(model, CheckConfig(k=4)).check_claim("A strike on a car killed four people.", index)
    assert result.verdict == SUPPORTED and [n.lower() for n in result.attributed_to] == ["medics"]


def test_an_articles_own_figure_does_not_dispute_the_figure_it_reports(tmp_path):
    text = ("Storm kills 3 in Eastport\n\nThe storm killed 3 people in Eastport on Sunday. "
            "Officials said the storm season has killed more than 40 people across the coast.")
    index = _index_of(tmp_path, ("Storm kills 3 in Eastport", "Coast Herald", text))
    model = ByPremiseModel({"Officials said": [0.9, 0.05, 0.05], "Eastport on Sunday": [0.6, 0.1, 0.3]})
    result = Checker(model, CheckConfig(k=4)).check_claim(
        "The storm season has killed more than 40 people across the coast.", index)
    # the article counts the day's dead in its own voice and reports the season's toll:
    # no dispute, and the reported toll is supported as the officials' claim
    assert result.verdict == SUPPORTED and [n.lower() for n in result.attributed_to] == ["officials"]
    # another outlet giving its own figure for the season is a dispute
    index = _index_of(tmp_path / "two", ("Storm kills 3 in Eastport", "Coast Herald", text),
                      ("Season toll", "Bay Daily", "Season toll\n\nThe storm season has killed 25 people across the coast."))
    result = Checker(model, CheckConfig(k=4)).check_claim(
        "The storm season has killed more than 40 people across the coast.", index)
    assert result.verdict == DISPUTED


def test_the_army_is_the_army_the_article_names(tmp_path):
    text = ("Clinic\n\nThe Northland army has surrounded the town since May. Food is scarce. "
            "Doctors said the army ordered staff to leave the clinic.")
    model = ByPremiseModel({"ordered staff": [0.9, 0.05, 0.05]})
    checker = Checker(model, CheckConfig(k=4), use_attribution=False)
    index = _index_of(tmp_path, ("Clinic", "North Times", text))
    assert checker.check_claim("The Northland army ordered staff to leave the clinic.", index).verdict == SUPPORTED
    # where the article names two armies, "the army" is not said to be either
    both = text.replace("since May.", "since May. The Southland army withdrew.")
    index = _index_of(tmp_path / "both", ("Clinic", "North Times", both))
    assert checker.check_claim("The Northland army ordered staff to leave the clinic.", index).verdict == NOT_IN_COVERAGE


def test_those_towns_are_read_with_the_paragraph_before_that_names_them():
    from assistant.check import premise_of

    article = make_article(text="Siege\n\nTroops have surrounded Alden and Brill since May.\n\n"
                                "Residents accuse them of starving those towns.\n\nThey deny it.", id="siege")
    towns = next(s for s in article.sentences if "those towns" in s.text)
    assert premise_of(article.sentences, towns.index).startswith("Troops have surrounded Alden and Brill")
    # a pronoun in a paragraph of its own may point further back: the sentence is read alone
    deny = next(s for s in article.sentences if s.text == "They deny it.")
    assert premise_of(article.sentences, deny.index) == "They deny it."


def test_the_model_alone_does_not_contradict_one_negation_with_another():
    text = "Talks\n\nThe unions have yet to sign a deal with the port authority."
    model = ByPremiseModel({"have yet to sign": [0.05, 0.15, 0.8], "signed a deal": [0.05, 0.15, 0.8]})
    checker = Checker(model, CheckConfig(k=4), use_attribution=False)
    result = checker.check_pair(text, "The unions have not reached a deal with the port authority.")
    assert result.verdict == NOT_IN_COVERAGE
    # against a sentence that does not negate, the model's reading still counts
    result = checker.check_pair(text.replace("have yet to sign", "signed"),
                                "The unions have not reached a deal with the port authority.")
    assert result.verdict == CONTRADICTED


def test_a_name_counts_from_what_the_sentence_before_points_back_to(tmp_path):
    text = ("Storm\n\nThe storm flooded Alden and Brill on Monday.\n\nResidents of those towns lost power.\n\n"
            "The council reopened the bridge on Tuesday.")
    model = ByPremiseModel({"reopened the bridge": [0.9, 0.05, 0.05]})
    checker = Checker(model, CheckConfig(k=4), use_attribution=False)
    index = _index_of(tmp_path, ("Storm", "North Times", text))
    # "those towns" are Alden and Brill: the bridge is theirs
    assert checker.check_claim("The council reopened the bridge in Alden on Tuesday.", index).verdict == SUPPORTED


def test_a_misquote_is_contradicted(tmp_path):
    text = 'Bridge\n\nThe mayor said the repairs were "next to impossible" before spring.'
    model = ByPremiseModel({"repairs were": [0.9, 0.05, 0.05]})
    checker = Checker(model, CheckConfig(k=4))
    index = _index_of(tmp_path, ("Bridge", "North Times", text))
    assert checker.check_claim('The mayor said the repairs were "next to impossible" before spring.', index).verdict \
        == SUPPORTED
    misquote = checker.check_claim('The mayor said the repairs were "completely impossible" before spring.', index)
    assert misquote.verdict == CONTRADICTED
    assert any('quotes "next to impossible", not "completely impossible"' in issue for issue in misquote.issues)


def test_support_states_the_claim_whole(checker, flood_index):
    # the model entails the toll, but the coverage never gives the claim's second figure
    result = checker.check_claim("Flooding in the river valley killed 12 residents, 300 of them children.", flood_index)
    assert result.verdict == NOT_IN_COVERAGE
    assert any("300" in issue for issue in result.issues)


def test_a_sentence_about_other_actors_is_no_support(tmp_path):
    text = ("Talks\n\nSouthland's envoy arrived in Geneva on Thursday. Negotiators met in Geneva on Friday. "
            "The talks were held at the lakeside hotel. "
            "Northland's envoy signed the accord on Friday.")
    index = _index_of(tmp_path, ("Talks", "North Times", text))
    model = ByPremiseModel({"signed the accord": [0.9, 0.05, 0.05]})
    checker = Checker(model, CheckConfig(k=4), use_attribution=False)
    # the model reads it as entailed, and the article names Southland, but not where it
    # says who signed: that sentence names another signer in its place
    other = checker.check_claim("Southland's envoy signed the accord on Friday.", index)
    assert other.verdict == CONTRADICTED
    assert any("Northland" in issue and "Southland" in issue for issue in other.issues)
    assert checker.check_claim("Northland's envoy signed the accord on Friday.", index).verdict == SUPPORTED
    # a sentence that names no signer does not say it was Southland's
    unnamed = _index_of(tmp_path / "unnamed", ("Talks", "North Times", text.replace("Northland's", "An")))
    other = checker.check_claim("Southland's envoy signed the accord on Friday.", unnamed)
    assert other.verdict == NOT_IN_COVERAGE and any("Southland" in issue for issue in other.issues)


def test_a_speaker_described_as_someone_the_coverage_never_names_is_not_supported(tmp_path):
    text = "Ward\n\nLena Park, the director of the city hospital, said the ward would close in May."
    index = _index_of(tmp_path, ("Ward", "North Times", text))
    checker = Checker(ByPremiseModel({"ward would close": [0.9, 0.05, 0.05]}), CheckConfig(k=4))
    wrong = checker.check_claim("Lena Park, director of the Harbor Clinic, said the ward would close in May.", index)
    assert wrong.verdict != SUPPORTED and any("Harbor Clinic" in issue for issue in wrong.issues)
    right = checker.check_claim("Lena Park said the ward would close in May.", index)
    assert right.verdict == SUPPORTED


def test_an_accusation_supports_its_charge_as_the_accusers_claim_and_a_denial_disputes_it(tmp_path):
    from assistant.check import asserted_clause

    assert asserted_clause("have accused", "the council of hiding the report") == "the council is hiding the report"
    assert asserted_clause("said", "the council of elders met") == "the council of elders met"
    text = "Report\n\nCritics have accused the council of hiding the report. The council denies this."
    index = _index_of(tmp_path, ("Report", "North Times", text))
    model = ByPremiseModel({"council is hiding the report": [0.9, 0.05, 0.05], "denies this": [0.6, 0.2, 0.2]})
    result = Checker(model, CheckConfig(k=4)).check_claim("The council is hiding the report.", index)
    assert result.verdict == DISPUTED
    assert [n.lower() for n in result.attributed_to] == ["critics"]


def test_a_denial_in_the_next_paragraph_disputes_what_it_points_back_to(tmp_path):
    # wire copy: one sentence a paragraph; retrieval finds the accusation only (k=1), and
    # "The council denies this" repeats nothing of it
    text = ("Report\n\nCritics have accused the council of hiding the report.\n\nThe council denies this.\n\n"
            "The library opened on Monday.")
    index = _index_of(tmp_path, ("Report", "North Times", text))
    model = ByPremiseModel({"council is hiding the report": [0.9, 0.05, 0.05]})
    result = Checker(model, CheckConfig(k=1)).check_claim("The council is hiding the report.", index)
    assert result.verdict == DISPUTED, result.issues
    assert {e.text: e.stance for e in result.evidence}["The council denies this."] == "contradicts"
    # the claim in other words: the denial shares none of them, and still denies it
    reworded = Checker(model, CheckConfig(k=2)).check_claim("The council conceals its findings.", index)
    assert reworded.verdict == DISPUTED, reworded.issues


def test_a_denial_is_supported_only_by_that_speakers_denial(tmp_path):
    text = ("Report\n\nCritics have accused the council of hiding the report. The council denies this.\n\n"
            "The auditor said the council hid the report from residents.")
    index = _index_of(tmp_path, ("Report", "North Times", text))
    model = ByPremiseModel({"denies this": [0.6, 0.2, 0.2], "accused": [0.9, 0.05, 0.05], "auditor": [0.9, 0.05, 0.05]})
    checker = Checker(model, CheckConfig(k=4))
    found = checker.check_claim("The council denied hiding the report.", index)
    assert found.verdict == SUPPORTED and [n.lower() for n in found.attributed_to] == ["council"]
    # the auditor says what it would deny; nobody reports a denial by the mayor (not "misattributed")
    assert checker.check_claim("The auditor denied that the council hid the report.", index).verdict == CONTRADICTED
    absent = checker.check_claim("The mayor denied that the council hid the report.", index)
    assert absent.verdict == NOT_IN_COVERAGE and not any("misattributed" in i for i in absent.issues)


def test_only_a_statement_is_a_reported_claim():
    from assistant.check import states

    assert states("eight people were killed") and states("killing civilians")
    assert not states("the suspects held over the riot")  # "released" is no cue of it
    speaker, content = Checker(ByPremiseModel({})).claim_speaker("The mayor declined to commit to the plan.")
    assert speaker is None and content == "The mayor declined to commit to the plan."
    # an intention, a vote or an order is no statement: the claim is checked whole, not as
    # "to raise taxes" or "residents to leave"
    checker = Checker(ByPremiseModel({}))
    for claim in ("The council voted to raise the parking fees.", "The harbour board aims to dredge the channel.",
                  "The army ordered residents to leave the valley."):
        assert checker.claim_speaker(claim) == (None, claim)
    speaker, content = checker.claim_speaker("The mayor said the council raised the parking fees.")
    assert speaker.lower().endswith("mayor") and content == "the council raised the parking fees"
    # "that" opens a clause, also where the parser takes its verb ("amount") for a noun
    speaker, content = checker.claim_speaker("The company conceded that its prices in the region amount to a monopoly.")
    assert speaker.lower().endswith("company") and content.endswith("amount to a monopoly")


def test_a_speaker_described_as_the_coverage_introduces_them_is_that_speaker(tmp_path):
    from assistant.check import describes

    sentences = ["In the old town, Lena Park, the director of the city hospital, said the ward would close.",
                 "Aide to the mayor, Tom Reyes told reporters the plan was final.",
                 "Storms hit the city hospital, Lena Park's office said."]
    assert describes("the city hospital's director", "Lena Park", sentences)
    assert describes("the mayor's aide", "Tom Reyes", sentences)
    assert not describes("the mayor's aide", "Lena Park", sentences)
    text = "Ward\n\nLena Park, the director of the city hospital, said the ward would close in May."
    index = _index_of(tmp_path, ("Ward", "North Times", text))
    checker = Checker(ByPremiseModel({"ward would close": [0.9, 0.05, 0.05]}), CheckConfig(k=4))
    result = checker.check_claim("The city hospital's director said the ward would close in May.", index)
    assert result.verdict == SUPPORTED, result.issues
    assert checker.check_claim("The mayor said the ward would close in May.", index).verdict == CONTRADICTED


def test_a_contradiction_the_model_does_not_read_is_marked_uncertain(tmp_path):
    index = _index_of(tmp_path, ("Curfew", "North Times", "Curfew\n\nThe council voted to end the curfew in the old town."))
    model = ByPremiseModel({"curfew": [0.95, 0.03, 0.02]})
    result = Checker(model, CheckConfig(k=4), use_attribution=False).check_claim(
        "The council voted to extend the curfew in the old town.", index)
    assert result.verdict == CONTRADICTED and result.score >= 0.5
    assert any("'extend'" in issue for issue in result.issues) and result.issues[-1].startswith("uncertain")
    plain = Checker(ByPremiseModel({"curfew": [0.02, 0.03, 0.95]}), CheckConfig(k=4), use_attribution=False)
    result = plain.check_claim("The council voted to extend the curfew in the old town.", index)
    assert result.verdict == CONTRADICTED and not any(i.startswith("uncertain") for i in result.issues)


def test_a_contradiction_only_the_model_reads_says_so(tmp_path):
    index = _index_of(tmp_path, ("Curfew", "North Times", "Curfew\n\nThe council voted to end the curfew in the old town."))
    checker = Checker(ByPremiseModel({"curfew": [0.05, 0.1, 0.85]}), CheckConfig(k=4), use_attribution=False)
    result = checker.check_claim("The council backed the curfew in the old town.", index)
    assert result.verdict == CONTRADICTED
    assert any(issue.startswith("the model reads this as contradicting the claim (p 0.85)") and "end the curfew" in issue
               for issue in result.issues), result.issues
    reasoned = checker.check_claim("The council voted to extend the curfew in the old town.", index)
    assert not any(issue.startswith("the model reads") for issue in reasoned.issues)


def test_support_needs_the_claims_figures_in_the_sentence(tmp_path):
    index = _index_of(tmp_path, ("Raid", "North Times", "Raid\n\nThe raid lasted three hours. "
                                 "Police later released the suspects held over the bank raid."))
    checker = Checker(ByPremiseModel({"released the suspects": [0.9, 0.05, 0.05]}), CheckConfig(k=4),
                      use_attribution=False)
    result = checker.check_claim("Police released three suspects held over the bank raid.", index)
    assert result.verdict == NOT_IN_COVERAGE
    assert "'three' is not in the sentence that says the rest" in result.issues
    assert checker.check_claim("Police released the suspects held over the bank raid.", index).verdict == SUPPORTED


def test_a_refused_request_is_no_denial_and_a_fragment_is_no_reported_claim():
    from assistant.check import denies_a_statement, reported_in
    from assistant.types import Claim, Span

    def claim(cue, content):
        return Claim("a", Span(0, len(content), content), cue=Span(0, len(cue), cue))

    assert denies_a_statement(claim("denied", "this"))
    assert denies_a_statement(claim("rejected", "that account of the crash"))
    assert not denies_a_statement(claim("rejected", "a request from the union to reopen the depot"))
    assert not denies_a_statement(claim("said", "the depot would reopen"))
    whole = reported_in("Inspectors said the depot would reopen in May.")
    assert [content for _, content in whole] == ["the depot would reopen in May"]
    told = reported_in("The mayor told reporters at the depot that it would reopen in May.")
    assert len(told) == 1 and "reopen in May" in told[0][1]
    # what "found" governs is the whole clause after it, not a stretch further on
    assert all("billion" not in content or "31" in content
               for _, content in reported_in("A 2014 study found 31 cases of fraud out of a billion ballots cast."))


def test_same_speaker_compares_names_without_what_follows_their_head():
    assert same_speaker("a USA TODAY analysis", "USA TODAY analysis of Federal Election Commission records")
    assert not same_speaker("Foreign Minister Fuad Hussein", "aide to Sudani Dr. Hussein Allawi")
    assert same_speaker("Blinken", "US Secretary of State Antony Blinken")


def test_a_tokenised_summary_is_read_as_running_text():
    from assistant.check import summary_sentences

    assert summary_sentences("the crew has a service unit -lrb- psu -rrb- . it was fitted in may .") == \
        ["the crew has a service unit (psu).", "it was fitted in may."]
    assert summary_sentences("the council did n't approve the budget .") == ["the council didn't approve the budget."]
