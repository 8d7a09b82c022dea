import pytest

from assistant.attribution.cues import cue_features


@pytest.mark.parametrize("text, before, after", [
    ("“The port stays shut,” the harbour master insisted.", True, False),
    ("The harbour master insisted: “The port stays shut.”", False, True),
    ("The harbour master insisted that the port stays shut.", False, False),
    # the quotation ends the sentence before: not next to the word
    ("She asked: “Is the port shut?” Harbour staff insisted that it was open.", False, False),
])
def test_features_see_a_quotation_next_to_the_word(nlp, text, before, after):
    insisted = next(t for t in nlp(text) if t.lower_ == "insisted")
    features = cue_features(insisted, in_quote=False)
    assert f"QB={before}" in features
    assert f"QA={after}" in features
