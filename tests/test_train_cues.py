"""eval/train_cues.py: the cue model is learned from gold relations (here invented ones)."""
from __future__ import annotations

import pytest

from assistant.attribution import attribution_pipeline
from assistant.types import Claim, Span

from eval_scripts import eval_module


@pytest.fixture(scope="module")
def train_cues():
    yield from eval_module("train_cues")


def relation(text: str, speaker: str, cue: str, content: str) -> Claim:
    def span(words: str) -> Span:
        start = text.index(words)
        return Span(start, start + len(words), words)
    return Claim(article_id="a", content=span(content), kind="indirect", speaker=span(speaker), cue=span(cue))


SENTENCES = [
    ("The mayor said the bridge would reopen.", "The mayor", "said", "the bridge would reopen"),
    ("The ferry left the harbour at noon.", None, None, None),
    ("Farmers told reporters that prices had fallen.", "Farmers", "told", "that prices had fallen"),
    ("The children walked to the old mill.", None, None, None),
    ("The agency said the road was closed.", "The agency", "said", "the road was closed"),
    ("A storm damaged the roof of the school.", None, None, None),
    ("The coach told players that training was over.", "The coach", "told", "that training was over"),
    ("The river rose during the night.", None, None, None),
]


def test_fit_learns_cue_words_from_gold(train_cues):
    nlp = attribution_pipeline()
    examples = []
    for _ in range(3):  # min_count drops features seen fewer than three times
        for text, speaker, cue, content in SENTENCES:
            gold = [relation(text, speaker, cue, content)] if cue else []
            examples.append(train_cues.article_examples(nlp(text), gold))
    assert sum(sum(ex.labels) for ex in examples) == 12  # one cue per reporting sentence
    model = train_cues.fit_cue_model(examples, C=1.0)
    doc = nlp("The council said the park would open. The dog walked home.")
    said = next(t for t in doc if t.text == "said")
    walked = next(t for t in doc if t.text == "walked")
    assert model.probability(said, False) > 0.5 > model.probability(walked, False)
    assert model.is_cue(said, False) and not model.is_cue(walked, False)


def test_parse_cache_is_written_whole_and_read_back(train_cues, tmp_path):
    nlp = attribution_pipeline()
    texts = [s[0] for s in SENTENCES[:2]]
    cache = tmp_path / "docs.spacy"
    first = train_cues.parse_cached(nlp, texts, cache)
    assert cache.exists() and [p.name for p in tmp_path.iterdir()] == ["docs.spacy"]  # no temp file left
    again = train_cues.parse_cached(nlp, texts, cache)
    assert [[t.dep_ for t in d] for d in again] == [[t.dep_ for t in d] for d in first]
    # a cache of other texts is parsed afresh, not trusted
    other = train_cues.parse_cached(nlp, texts[:1], cache)
    assert [d.text for d in other] == texts[:1]


LIGHT_VERBS = [  # the object and its preposition are part of the gold cue ...
    ("The union voiced support for the strike.", "The union", "voiced support for", "the strike"),
    ("The club voiced opposition to the fines.", "The club", "voiced opposition to", "the fines"),
    ("The firm voiced doubts about the merger.", "The firm", "voiced doubts about", "the merger"),
    # ... or the object is the content
    ("The judge cited a ruling from the appeal court.", "The judge", "cited", "a ruling from the appeal court"),
    ("The mayor cited reports of damage.", "The mayor", "cited", "reports of damage"),
    ("The coach cited an injury to the captain.", "The coach", "cited", "an injury to the captain"),
]
INFINITIVE_VERBS = [  # the infinitive is part of the gold cue ...
    ("The firm tried to deny the report.", "The firm", "tried to deny", "the report"),
    ("The team tried to explain the loss.", "The team", "tried to explain", "the loss"),
    ("The mayor tried to defend the plan.", "The mayor", "tried to defend", "the plan"),
    # ... or the content
    ("The union vowed to fight the cuts.", "The union", "vowed", "to fight the cuts"),
    ("The club vowed to appeal the fine.", "The club", "vowed", "to appeal the fine"),
    ("The chief vowed to find the thief.", "The chief", "vowed", "to find the thief"),
]


@pytest.mark.parametrize("cases, field, test, yes, no", [
    pytest.param(LIGHT_VERBS, "light_verbs", "is_light_verb", "voice", "cite", id="light-verbs"),
    pytest.param(INFINITIVE_VERBS, "infinitive_verbs", "joins_infinitive", "try", "vow", id="infinitive-verbs"),
])
def test_fit_learns_verb_lists_from_gold_spans(train_cues, cases, field, test, yes, no):
    nlp = attribution_pipeline()
    examples = [train_cues.article_examples(nlp(text), [relation(text, *rest)]) for text, *rest in cases]
    model = train_cues.fit_cue_model(examples, C=1.0)
    assert getattr(model, field) == [yes]
    assert getattr(model, test)(yes) and not getattr(model, test)(no)
    assert getattr(train_cues.CueModel.from_dict(model.to_dict()), field) == [yes]
