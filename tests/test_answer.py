"""Cited answers over an index of the sample."""
from __future__ import annotations

import json

import pytest

from assistant.answer import (NO_COVERAGE, answer_question, claims_answer, extractive_answer,
                              generated_answer, said_question, score_hits)
from assistant.answerability import load_answerability_model
from assistant.corpus import make_article
from assistant.generate import Generator
from assistant.index import SentenceIndex
from assistant.types import Claim, Span
from assistant.verify import UNSUPPORTED, Verifier
from tiny_models import scripted_generator, tiny_llama

GAZA_QUESTION = "How many people were killed at the school in Gaza City?"


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory, sample_articles):
    folder = tmp_path_factory.mktemp("sample-index")
    index = SentenceIndex(folder)
    index.add(sample_articles)
    return index


def _resolves(index, citation):
    article = index.article(citation.article_id)
    return article is not None and article.text[citation.start:citation.end] == citation.text


def test_gaza_school_question_is_answered_from_the_musa_bin_nusayr_sentence(sample_index):
    answer = answer_question(GAZA_QUESTION, sample_index)
    assert answer.answered and answer.method == "extractive"
    musa = [s for s in answer.sentences if "Musa Bin Nusayr" in s.text]
    assert musa and musa[0].sources
    source = answer.sources[musa[0].sources[0] - 1]
    assert "Musa Bin Nusayr" in source.text and source.article_title.startswith("Israeli Strikes")
    assert _resolves(sample_index, source)
    assert "[" in answer.text and NO_COVERAGE not in answer.text


def test_every_extractive_sentence_cites_a_retrieved_sentence(sample_index):
    hits = sample_index.search(GAZA_QUESTION, 8)
    answer = extractive_answer(GAZA_QUESTION, score_hits(GAZA_QUESTION, hits, sample_index, load_answerability_model()))
    assert answer.answered
    retrieved = {(h.article_id, h.sentence.index) for h in hits}
    for sentence in answer.sentences:
        assert sentence.sources
        for n in sentence.sources:
            c = answer.sources[n - 1]
            assert (c.article_id, c.sentence_index) in retrieved and c.text == sentence.text


def test_off_topic_question_gets_the_coverage_does_not_say(sample_index):
    answer = answer_question("What is the capital of Peru?", sample_index)
    assert not answer.answered and answer.text == NO_COVERAGE and answer.sentences == []


def test_said_question_parsing():
    assert said_question("What did Hussam Abu Safiya say about the hospital?") == ("Hussam Abu Safiya", "the hospital")
    assert said_question("what has the State Department said") == ("the State Department", None)
    assert said_question(GAZA_QUESTION) is None


def test_said_question_is_answered_from_attributed_claims():
    text = "Mayor Ana Ruiz said the bridge will reopen in May. Ruiz added that taxes will not rise."
    article = make_article(text=text, title="Council", id="c1")
    claims = []
    for content, sentence in (("the bridge will reopen in May", 0), ("taxes will not rise", 1)):
        a = text.index(content)
        claims.append(Claim("c1", Span.of(text, a, a + len(content)), "indirect", Span.of(text, 6, 14),
                            "Ana Ruiz", "person", None, [sentence]))
    from assistant.summarize import default_encode

    answer = claims_answer("What did Ruiz say about the bridge?", "Ruiz", "the bridge", [article], [claims],
                           default_encode)
    assert answer is not None and answer.method == "claims"
    assert answer.sentences[0].text == "Ana Ruiz (said): the bridge will reopen in May"
    assert answer.sources[0].text == "the bridge will reopen in May"
    assert claims_answer("What did Lee say?", "Lee", None, [article], [claims], default_encode) is None


def test_generated_answer_flags_uncited_and_unsupported_sentences(sample_index, monkeypatch):
    output = ("Eight people were killed at the Musa Bin Nusayr School in Gaza City [2]. "
              "Peru sent 300 doctors to the school. The strike was condemned [9].")
    generator = scripted_generator(monkeypatch, output)
    hits = sample_index.search(GAZA_QUESTION, 8)
    answer = generated_answer(GAZA_QUESTION, hits, generator, Verifier(sample_index.encode))
    assert answer.answered and len(answer.sentences) == 3
    first, uncited, wrong = answer.sentences
    assert first.sources == [2] and not any("cited no source" in i for i in first.issues)
    assert uncited.sources and uncited.support == UNSUPPORTED
    assert any("cited no source" in i for i in uncited.issues) and any("'Peru'" in i for i in uncited.issues)
    assert wrong.sources and any("[9]" in i for i in wrong.issues)
    for sentence in answer.sentences:  # every sentence cites at least one retrieved sentence
        assert all(1 <= n <= len(answer.sources) and _resolves(sample_index, answer.sources[n - 1])
                   for n in sentence.sources)


def test_generated_answer_end_to_end_with_a_tiny_chat_model(tmp_path_factory, sample_path, sample_index):
    path = tiny_llama(tmp_path_factory.mktemp("llama-answer"), sample_path.read_text() + " [ ] 1 2 3")
    generator = Generator(str(path), max_new_tokens=16)
    answer = answer_question(GAZA_QUESTION, sample_index, generator=generator)
    assert answer.method == "generated" and answer.generator == str(path)
    for sentence in answer.sentences:
        assert sentence.sources and all(1 <= n <= len(answer.sources) for n in sentence.sources)


def test_off_topic_question_does_not_call_the_generator(sample_index, monkeypatch):
    generator = Generator("scripted")
    monkeypatch.setattr(generator, "complete", lambda prompts, progress=False: pytest.fail("generator called"))
    assert answer_question("What is the capital of Peru?", sample_index, generator=generator).text == NO_COVERAGE


def test_cli_ask_json(capsys, sample_index):
    from assistant.cli import main

    assert main(["ask", GAZA_QUESTION, "-k", "5", "--json", "--index", str(sample_index.path)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["answered"] and "Musa Bin Nusayr" in result["answer"] and result["sources"]


def test_cli_ask_without_index(capsys, tmp_path):
    from assistant.cli import main

    assert main(["ask", "Anything?", "--index", str(tmp_path / "missing")]) == 2
    assert "no index at" in capsys.readouterr().err


def test_said_question_over_the_sample_uses_the_attribution_engine(sample_index):
    pytest.importorskip("assistant.attribution")
    answer = answer_question("What did Hussam Abu Safiya say?", sample_index)
    assert answer.answered and answer.method == "claims", answer.notes
    for sentence in answer.sentences:
        assert sentence.text.startswith("Hussam Abu Safiya") or "Abu Safiya" in sentence.text
        source = answer.sources[sentence.sources[0] - 1]
        article = sample_index.article(source.article_id)
        assert article.text[source.start:source.end] == source.text and source.text in sentence.text


def test_cli_summarize_by_article_id_uses_the_index(capsys, sample_index, sample_articles):
    from assistant.cli import main

    article = sample_articles[1]
    assert main(["summarize", article.id, "--sentences", "2", "--json", "--index", str(sample_index.path)]) == 0
    (summary,) = json.loads(capsys.readouterr().out)
    assert summary["article_id"] == article.id and len(summary["sentences"]) == 2
    assert all(article.text[c["start"]:c["end"]] == c["text"] for s in summary["sentences"] for c in s["citations"])


def test_citation_markers_stay_with_their_sentence():
    from assistant.answer import _split_cited

    output = "Eight died at the school [2]. Four died in a car. [3]\nIt was in Gaza City [1, 2]. Unsourced claim."
    assert _split_cited(output) == [("Eight died at the school.", [2]), ("Four died in a car.", [3]),
                                    ("It was in Gaza City.", [1, 2]), ("Unsourced claim.", [])]


MUSA = "Eight people were killed at the Musa Bin Nusayr School in Gaza City [2]."


def test_a_refusal_after_cited_sentences_does_not_discard_them(sample_index, monkeypatch):
    generator = scripted_generator(monkeypatch, f"{MUSA} The coverage does not say who fired.")
    answer = generated_answer(GAZA_QUESTION, sample_index.search(GAZA_QUESTION, 8), generator,
                              Verifier(sample_index.encode))
    assert answer.answered and [s.text for s in answer.sentences] == [MUSA.replace(" [2]", "")]
    assert any("left out" in n for n in answer.notes)


def test_a_refusal_alone_is_no_answer_but_the_cli_still_lists_the_sources(sample_index, monkeypatch, capsys):
    from assistant.cli.ask import answer_text

    generator = scripted_generator(monkeypatch, "The coverage does not say.")
    answer = generated_answer(GAZA_QUESTION, sample_index.search(GAZA_QUESTION, 8), generator,
                              Verifier(sample_index.encode))
    assert not answer.answered and answer.sources
    lines = answer_text(answer).splitlines()
    assert lines[0] == NO_COVERAGE
    assert [line for line in lines if line.startswith("[")] == [
        f"[{n}] {c.article_title} (sentence {c.sentence_index}): {c.text}" for n, c in enumerate(answer.sources, 1)]


def test_generated_answer_drops_repeats_and_a_cut_off_fragment(sample_index, monkeypatch):
    generator = scripted_generator(monkeypatch, f"{MUSA} {MUSA} The strike hit the", cut_off=True)
    answer = generated_answer(GAZA_QUESTION, sample_index.search(GAZA_QUESTION, 8), generator,
                              Verifier(sample_index.encode))
    assert [s.text for s in answer.sentences] == [MUSA.replace(" [2]", "")]
    assert len(answer.notes) == 2


def test_answer_prompt_lists_article_titles_apart_from_the_source_sentences(sample_index, monkeypatch):
    generator = scripted_generator(monkeypatch, MUSA)
    answer = generated_answer(GAZA_QUESTION, sample_index.search(GAZA_QUESTION, 8), generator,
                              Verifier(sample_index.encode))
    (prompt,) = generator.prompts
    source_lines = [line for line in prompt.splitlines() if line.startswith("[") and "]: " not in line]
    assert source_lines == [f"[{n}] {c.text}" for n, c in enumerate(answer.sources, 1)]
    titles = {c.article_title for c in answer.sources}
    articles_block = prompt.split("Articles the sources come from:")[1]
    assert all(title in articles_block for title in titles)
    assert all(prompt.count(title) == 1 for title in titles)  # once, never before a sentence


def test_cli_said_question_with_a_generator_says_which_method_answered(capsys, sample_index, tmp_path):
    pytest.importorskip("assistant.attribution")
    from assistant.cli import main

    question = "What did Hussam Abu Safiya say?"
    assert main(["ask", question, "--generator", str(tmp_path / "never-loaded"),
                 "--index", str(sample_index.path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1] == "(method: claims)"
    assert "! answered from the claims attributed to 'Hussam Abu Safiya'; the generator is not used " \
           "for 'What did X say' questions" in out


def test_a_said_question_about_a_pronoun_asks_whom_it_means(sample_index):
    pytest.importorskip("assistant.attribution")
    answer = answer_question("What did they say about the hospital?", sample_index)
    assert answer.method != "claims"
    assert answer.notes[0].startswith("Who do you mean by 'they'?")
    nobody = answer_question("What did Zelda Quimby say?", sample_index)
    assert nobody.notes[0].startswith("Nothing said by 'Zelda Quimby' was found in the coverage")


def test_a_headline_does_not_crowd_out_the_body_sentence_that_says_the_same(tmp_path):
    from assistant.corpus import parse_text
    from assistant.headlines import HEADLINE_PENALTY, weigh_down_headlines
    from assistant.index import SentenceIndex

    text = ("Fire kills workers at Port Aven factory\n\n"
            "Twelve workers were killed when a fire swept through the Port Aven paint factory on Monday, the fire "
            "service said. The blaze started in a storeroom. Crews fought it for six hours.\n")
    index = SentenceIndex(tmp_path / "index")
    index.add(parse_text(text, source="Daily"))
    question = "How many workers were killed in the Port Aven factory fire?"
    hits = index.search(question, 8)
    weighed = {h.sentence.index: h.dense_score for h in weigh_down_headlines(hits, index)}
    raw = {h.sentence.index: h.dense_score for h in hits}
    assert weighed[0] == pytest.approx(raw[0] - HEADLINE_PENALTY)
    assert all(weighed[i] == raw[i] for i in raw if i != 0)  # body sentences as they were
    assert "Twelve workers were killed" in answer_question(question, index).text
