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


def test_a_claim_given_to_the_wrong_speaker_is_misattributed(checker, flood_index):
    result = checker.check_claim("Environmental groups said the rainfall was unprecedented.", flood_index)
    assert result.verdict == CONTRADICTED
    assert any(issue.startswith("misattributed") and "operator" in issue for issue in result.issues)
    # the model was asked about the reported content, not about "X said ..."
    assert any(h == "the rainfall was unprecedented" for _, h in checker.model.asked)


def test_the_right_speaker_keeps_the_support(checker, flood_index):
    result = checker.check_claim("The operator said the rainfall was unprecedented.", flood_index)
    assert result.verdict == SUPPORTED and same_speaker("operator", result.attributed_to[0])


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


def test_a_summarys_score_is_its_sentences_mean(checker):
    article = make_article(text=VALLEY, title="Floods", id="valley")
    result = checker.check_summary(["Flooding killed 12 residents.", "The mayor resigned."], article)
    assert result.score == pytest.approx(np.mean([s.score for s in result.sentences]))
    assert result.sentences[1].score < result.score < result.sentences[0].score


def test_same_speaker_matches_compatible_names_only():
    assert same_speaker("medics", "Palestinian medics")
    assert same_speaker("Israel", "the Israeli military")
    assert same_speaker("Sudani", "Mohammed Shia al-Sudani")
    assert not same_speaker("Environmental groups", "The operator")


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
