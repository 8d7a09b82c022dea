"""Grounding checks and support labels for generated sentences."""
from __future__ import annotations

import numpy as np
import pytest

from assistant.corpus import make_article
from assistant.errors import AssistantError
from assistant.verify import (SUPPORTED, UNSUPPORTED, WEAK, Citation, EntailmentModel, Verifier,
                              grounding_issues, lexical_overlap, numbers_in, quotations_in)
from tiny_models import tiny_nli

SOURCE = ("Mayor Ana Ruiz said on Tuesday that the city will open three new libraries in Valencia. "
          "She called the plan \"a promise to every reader\". The council approved 1,200 new jobs.")


@pytest.fixture(scope="session")
def encode():
    from assistant.models import load_encoder

    model = load_encoder()
    return lambda texts: np.asarray(model.encode(texts, normalize_embeddings=True, show_progress_bar=False))


@pytest.fixture(scope="session")
def source_citations():
    article = make_article(text=SOURCE, title="Libraries", id="lib")
    return article, [Citation.of(article, s) for s in article.sentences]


def test_numbers_are_normalised_from_digits_and_words():
    assert numbers_in("three libraries, 1,200 jobs and 45.5 percent") == {"3", "1200", "45.5"}


def test_quotations_straight_and_curly():
    assert quotations_in("He said “next to impossible” and \"we are ready\".") == ["next to impossible", "we are ready"]


def test_faithful_sentence_has_no_grounding_issues():
    assert grounding_issues("Ruiz said Valencia will get 3 libraries, \"a promise to every reader\".", [SOURCE]) == []


def test_invented_name_number_and_quotation_are_each_flagged():
    issues = grounding_issues("Ruiz said Madrid will get 40 libraries, \"a gift to the nation\".", [SOURCE])
    assert any("'Madrid'" in i for i in issues)
    assert any("'40'" in i for i in issues)
    assert any("a gift to the nation" in i for i in issues)
    assert len(issues) == 3


def test_lexical_overlap_counts_content_words():
    assert lexical_overlap("the libraries open", "libraries will open soon") == 1.0
    assert lexical_overlap("bananas", SOURCE) == 0.0


def test_verbatim_sentence_is_supported_and_cites_its_source(encode, source_citations):
    article, candidates = source_citations
    verdict = Verifier(encode).verify([article.sentences[2].text], candidates)[0]
    assert verdict.support == SUPPORTED and verdict.issues == []
    assert verdict.citations[0].sentence_index == 2
    c = verdict.citations[0]
    assert article.text[c.start:c.end] == c.text


def test_fabricated_sentence_is_unsupported_and_flagged(encode, source_citations):
    _, candidates = source_citations
    verdict = Verifier(encode).verify(["General Ortega ordered 500 tanks to the northern border."], candidates)[0]
    assert verdict.support == UNSUPPORTED
    assert verdict.citations  # still points at the closest source, so the reader can check
    assert verdict.issues[0].startswith(("not supported by the sources", "contradicted by"))
    assert any("'500'" in i for i in verdict.issues) and any("Ortega" in i for i in verdict.issues)


def test_supported_wording_with_a_wrong_number_is_not_supported(encode, source_citations):
    _, candidates = source_citations
    verdict = Verifier(encode).verify(["The council approved 1,500 new jobs."], candidates)[0]
    assert verdict.support != SUPPORTED and any("'1500'" in i for i in verdict.issues)


def test_negation_and_swapped_roles_are_not_supported(encode):
    """The old cosine-plus-overlap score read these as paraphrases."""
    article = make_article(text="The council approved the budget. Hamas attacked Israel on Saturday.", id="n")
    candidates = [Citation.of(article, s) for s in article.sentences]
    verifier = Verifier(encode)
    faithful, negated, swapped = verifier.verify(
        ["The council approved the budget.", "The council did not approve the budget.",
         "Israel attacked Hamas on Saturday."], candidates)
    assert faithful.support == SUPPORTED
    assert negated.support == UNSUPPORTED and swapped.support != SUPPORTED
    assert set(negated.scores) >= {"entailment", "neutral", "contradiction"}


def test_given_citations_are_used_as_is(encode, source_citations):
    article, candidates = source_citations
    verdict = Verifier(encode).verify([article.sentences[0].text], candidates, cited=[[2]])[0]
    assert [c.sentence_index for c in verdict.citations] == [2]
    assert verdict.support != SUPPORTED  # the cited sentence is not the one that says it


def test_no_candidates_means_unsupported(encode):
    verdict = Verifier(encode).verify(["Anything at all."], [])[0]
    assert verdict.support == UNSUPPORTED and verdict.citations == []


def test_contradiction_from_the_entailment_model_makes_a_sentence_unsupported(encode, source_citations, monkeypatch):
    article, candidates = source_citations
    entailment = EntailmentModel("scripted-nli")
    monkeypatch.setattr(entailment, "probabilities", lambda premise, hypothesis: (0.05, 0.9))
    verdict = Verifier(encode, entailment).verify([article.sentences[2].text], candidates)[0]
    assert verdict.support == UNSUPPORTED and any("contradicted" in i for i in verdict.issues)
    monkeypatch.setattr(entailment, "probabilities", lambda premise, hypothesis: (0.4, 0.2))
    verdict = Verifier(encode, entailment).verify([article.sentences[2].text], candidates)[0]
    assert verdict.support == WEAK and any("not entailed" in i for i in verdict.issues)


def test_entailment_model_loads_from_a_local_directory(tmp_path):
    path = tiny_nli(tmp_path / "nli", SOURCE)
    entail, contradict = EntailmentModel(str(path)).probabilities(SOURCE, "The council approved new jobs .")
    assert 0.0 <= entail <= 1.0 and 0.0 <= contradict <= 1.0 and entail + contradict <= 1.0 + 1e-6


def test_missing_entailment_model_is_one_line_error():
    with pytest.raises(AssistantError, match="cannot load entailment model 'no-such/nli'"):
        EntailmentModel("no-such/nli").probabilities("a", "b")
