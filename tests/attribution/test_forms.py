"""Each attribution form on its own, on a parse of a sentence written for it."""
from __future__ import annotations

import pytest

from assistant.attribution.cues import load_cue_model
from assistant.attribution.forms.according import relation_for_according
from assistant.attribution.forms.adverb import relation_for_report_adverb
from assistant.attribution.forms.colon import relation_for_colon
from assistant.attribution.forms.headline import sentence_case, title_case_headline_end
from assistant.attribution.forms.orphan_quotes import orphan_quotations
from assistant.attribution.forms.survey import relation_for_survey
from assistant.attribution.forms.verb import relation_for_verb
from assistant.attribution.parsed import ParsedText
from assistant.attribution.settings import ExtractionSettings


def word(parse: ParsedText, text: str):
    return next(t for t in parse.doc if t.text == text)


def texts(parse: ParsedText, pieces) -> list[str]:
    return [parse.text[a:b] for a, b in pieces or []]


def test_verb(parsed):
    parse = parsed("The harbour master said that the ferry would resume service.")
    rel = relation_for_verb(parse, word(parse, "said"))
    assert texts(parse, rel.source) == ["The harbour master"] and texts(parse, rel.cue) == ["said"]
    assert texts(parse, rel.content) == ["that the ferry would resume service"] and rel.kind == "indirect"


def test_nominal_cue_takes_the_verb_path(parsed):
    parse = parsed("Her claim that the budget was balanced surprised everyone.")
    rel = relation_for_verb(parse, word(parse, "claim"))
    assert texts(parse, rel.source) == ["Her"] and texts(parse, rel.content) == ["that the budget was balanced"]


def test_according_to(parsed):
    parse = parsed("The bridge will reopen in May, according to the city engineer.")
    rel = relation_for_according(parse, word(parse, "according"))
    assert texts(parse, rel.source) == ["the city engineer"] and texts(parse, rel.cue) == ["according to"]
    assert texts(parse, rel.content) == ["The bridge will reopen in May"]


def test_colon_at_a_line_start(parsed):
    parse = parsed("Ana Ruiz: the quay is repaired and the pumps are back.")
    rel = relation_for_colon(parse, word(parse, ":"))
    assert texts(parse, rel.source) == ["Ana Ruiz"] and texts(parse, rel.content) == [
        "the quay is repaired and the pumps are back"]
    page_label = parsed("Editor's note: the quay is repaired and the pumps are back.")
    assert relation_for_colon(page_label, word(page_label, ":")) is None


def test_survey_opening_a_sentence(parsed):
    parse = parsed("In a poll released Sunday, most voters backed the harbour plan.")
    rel = relation_for_survey(parse, parse.doc[0])
    assert texts(parse, rel.cue) == ["In"] and texts(parse, rel.source) == ["a poll released Sunday"]
    assert texts(parse, rel.content) == ["most voters backed the harbour plan"]


def test_reporting_adverb(parsed):
    parse = parsed("The ferry company has reportedly cancelled every crossing.")
    rel = relation_for_report_adverb(parse, word(parse, "reportedly"))
    assert rel.source is None and texts(parse, rel.cue) == ["reportedly"]
    assert " ".join(texts(parse, rel.content)) == "The ferry company has cancelled every crossing"


def test_orphan_quotation_takes_the_likeliest_cue_of_its_sentence(parsed):
    parse = parsed("“The harbour will never be the same again,” the old fisherman sighed.")
    [rel] = orphan_quotations(parse, [])
    assert texts(parse, rel.content) == ["“The harbour will never be the same again,”"]
    assert texts(parse, rel.source) == ["the old fisherman"] and rel.kind == "direct"


def test_title_case_headline():
    text = "Harbour Master Says Ferry Will Resume Friday\nThe ferry resumes."
    end = title_case_headline_end(text, ExtractionSettings())
    assert text[:end] == "Harbour Master Says Ferry Will Resume Friday"
    assert title_case_headline_end("The ferry resumes on Friday, the harbour master said.", ExtractionSettings()) == 0
    assert title_case_headline_end(text, ExtractionSettings(headline_min_words=8)) == 0
    lowered = sentence_case(text[:end], load_cue_model())
    assert len(lowered) == end and lowered.startswith("Harbour") and " says " in lowered


def test_colon_after_a_surname_the_article_names_elsewhere(parsed):
    # the parser reads the surname alone at a line start as a common noun ("Rivers") or an
    # adjective ("Lopez"); the article names both in full before
    text = ("The host, Mara Rivers, asked Ana Lopez about the tax.\n\n"
            "Rivers: Well, speculation is bad.\n\n"
            "Lopez: Well, nobody calls a pension speculation.\n\n"
            "Schedule: the panel ends at nine tonight.")
    parse = parsed(text)
    colons = [t for t in parse.doc if t.text == ":"]
    found = [relation_for_colon(parse, c) for c in colons[:2]]
    assert [(texts(parse, r.source), texts(parse, r.content)) for r in found] == [
        (["Rivers"], ["Well, speculation is bad"]), (["Lopez"], ["Well, nobody calls a pension speculation"])]
    # a word the article never writes as a name is no speaker
    assert relation_for_colon(parse, colons[2]) is None



@pytest.mark.parametrize("text, word, dateline", [
    ("BRIDGETON (Reuters) — The mayor said the wall was too low.", "BRIDGETON", True),
    ("PORT ELLEN, Islay - The mayor said the wall was too low.", "ELLEN", True),
    ("PORT ELLEN, Islay - The mayor said the wall was too low.", "mayor", False),
    ("HARBOUR PLAN HAS FAILED — The mayor said the wall was too low.", "PLAN", False),  # a verb: a lead-in
    ("The mayor said — again — that the BRIDGETON wall was too low.", "BRIDGETON", False),  # not at a line start
])
def test_dateline_words(parsed, text, word, dateline):
    parse = parsed(text)
    tok = next(t for t in parse.doc if t.text == word)
    assert (parse.dateline_dash(tok) is not None) == dateline


def test_a_report_set_off_by_commas_leaves_the_rest_of_its_clause_in_the_content(parsed):
    parse = parsed("The letters dealt with many local matters, the paper said, including roads and schools.")
    rel = relation_for_verb(parse, word(parse, "said"))
    assert texts(parse, rel.content) == ["The letters dealt with many local matters", "including roads and schools"]
    further = parsed("The letters dealt with many local matters, the paper said, adding that the mayor wrote most.")
    assert texts(further, relation_for_verb(further, word(further, "said")).content) == [
        "The letters dealt with many local matters"]


def test_a_capitalised_adverb_before_a_headline_cue_joins_it(parsed):
    # a Title Case headline, parsed in sentence case: the adverb keeps its capital
    parse = parsed("Governor Finally confirmed that the bridge will close.")
    rel = relation_for_verb(parse, word(parse, "confirmed"))
    assert texts(parse, rel.cue) == ["Finally confirmed"]
