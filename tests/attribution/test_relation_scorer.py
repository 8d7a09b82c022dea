"""The relation model: features of a found relation, and how it keeps and drops relations."""
from __future__ import annotations

import pytest

from assistant.attribution.extract import find_relations
from assistant.attribution.forms.verb import relation_for_verb
from assistant.attribution.relation_scorer import RelationScorer, relation_features
from assistant.attribution.settings import ExtractionSettings


def features_of(parsed, text: str, cue: str) -> list[str]:
    parse = parsed(text)
    tok = next(t for t in parse.doc if t.text == cue)
    rel = relation_for_verb(parse, tok)
    assert rel is not None
    return relation_features(parse, tok, rel, 0.33)


def cues(nlp, text: str, **kwargs) -> list[str]:
    return [" ".join(text[a:b] for a, b in r.cue) for r in find_relations(nlp(text), **kwargs)]


@pytest.mark.parametrize("text, cue, expected", [
    # a that-clause with its own subject, after the cue, by someone whose role can speak
    ("The mayor insisted that the ferry would sail in May.", "insisted",
     {"S=finite", "O=that", "POS=after", "SRC=NOUN_person", "K=indirect", "P=6"}),
    # a quotation before the cue, by a pronoun
    ("“The ferry will sail in May,” she insisted.", "insisted", {"POS=before", "K=direct", "SRC=pron_person"}),
    # a noun phrase for a content, by an organisation
    ("The council released a short video.", "released", {"S=noun", "SRC=NOUN_org", "N=4", "L=release"}),
    # a report denied, in the body, right after its subject, the source a common noun
    ("Headline here\nThe mayor did not say whether the ferry would sail.", "say",
     {"H=neg", "LH=say|neg", "HL=False|finite", "B=PART", "SNN=mayor", "G=0|after", "SRCP=NOUN_person|after"}),
    # a report in the headline, after "to"
    ("Mayor to claim ferry will sail", "claim", {"H=plain", "HL=True|noun", "LHL=claim|True", "B=to"}),
    ("The mayor would claim the ferry will sail.", "claim", {"H=modal", "LH=claim|modal"}),
    # a content that holds a report of its own
    ("The mayor insisted that the council said the ferry would sail.", "insisted", {"IN=True|indirect"}),
    ("The mayor insisted that the ferry would sail.", "insisted", {"IN=False|indirect", "H=plain"}),
    # a quotation two words before the cue (comma and quote mark)
    ("“The ferry will sail in May,” the mayor said.", "said", {"G=3|before", "CDP=ROOT|before"}),
])
def test_features_describe_the_relation_found(parsed, text, cue, expected):
    assert expected <= set(features_of(parsed, text, cue))


def test_a_cue_word_needs_the_veto_bar_and_any_other_word_the_threshold(parsed):
    parse = parsed("The mayor insisted that the ferry would sail in May.")
    tok = next(t for t in parse.doc if t.text == "insisted")
    rel = relation_for_verb(parse, tok)
    scorer = RelationScorer(weights={"bias": 0.0}, floor=0.1, threshold=0.6, veto=0.3)  # every relation: 0.5
    assert scorer.keeps(parse, tok, rel, 0.3, is_cue=True)
    assert not scorer.keeps(parse, tok, rel, 0.3, is_cue=False)


def test_a_relation_the_model_rejects_is_dropped_but_rules_stand(nlp):
    text = "The mayor said the bridge would reopen. According to the council, the ferry sails in May."
    assert "said" in cues(nlp, text, settings=ExtractionSettings(relation_model=False))
    never = RelationScorer(weights={"bias": -10.0}, floor=0.1, threshold=0.5, veto=0.5)
    assert cues(nlp, text, scorer=never) == ["According to"]


def test_a_word_below_the_cue_threshold_opens_a_relation_the_model_keeps(nlp):
    # no word is a cue to the cue model here; the relation model then decides on the spans
    # it finds: clauses yes, noun phrases no
    text = "The mayor insisted that the ferry would sail in May. The council released a short video."
    strict = ExtractionSettings(cue_threshold=1.01)
    assert cues(nlp, text, settings=strict, scorer=RelationScorer(weights={}, floor=1.01)) == []
    clauses = RelationScorer(weights={"bias": 10.0, "S=noun": -20.0}, floor=0.0, threshold=0.5, veto=0.5)
    assert cues(nlp, text, settings=strict, scorer=clauses) == ["insisted"]


def test_the_model_round_trips_through_its_plain_data():
    scorer = RelationScorer(weights={"bias": -0.5, "S=finite": 1.25, "tiny": 0.00001}, floor=0.1, threshold=0.4,
                            veto=0.15)
    again = RelationScorer.from_dict(scorer.to_dict())
    assert again == RelationScorer(weights={"bias": -0.5, "S=finite": 1.25}, floor=0.1, threshold=0.4, veto=0.15)


def test_a_missing_model_file_is_a_clear_error(tmp_path):
    from assistant.attribution.relation_scorer import load_relation_scorer
    from assistant.errors import AssistantError

    with pytest.raises(AssistantError, match="relation model missing.*train_relation_scorer"):
        load_relation_scorer(tmp_path / "none.json")
