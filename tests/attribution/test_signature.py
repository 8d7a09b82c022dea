"""The signature rule: a quotation signed with a dash and a name, on sentences written for
these tests."""
from __future__ import annotations

import pytest

from assistant.attribution.extract import relations_in
from assistant.attribution.forms.signature import relation_for_signature, signature_dash
from assistant.attribution.parsed import ParsedText


def signatures(parse: ParsedText) -> list[tuple[str, str, str]]:
    """(source, cue, content) of every signature relation in the parse."""
    out = []
    for tok in parse.doc:
        rel = relation_for_signature(parse, tok) if signature_dash(tok) else None
        if rel is not None:
            out.append(tuple(" ".join(parse.text[a:b] for a, b in pieces)
                             for pieces in (rel.source, rel.cue, rel.content)))
    return out


def test_dash_after_a_quotation_on_its_line(parsed):
    text = "“The ferry will run again by May, and the fares stay as they are.” ― Ana Ruiz\n“Next.”"
    assert signatures(parsed(text)) == [
        ("Ana Ruiz", "―", "“The ferry will run again by May, and the fares stay as they are.”")]


def test_signature_on_a_line_of_its_own_with_a_note(parsed):
    text = "Harbour news.\n\n\"The pumps are back and the quay is dry again.\"\n\n- Tomas Berg, Lisbon.\n"
    assert signatures(parsed(text)) == [("Tomas Berg", "-", "\"The pumps are back and the quay is dry again.\"")]


def test_unpaired_opening_mark_and_dash_joined_to_the_quote(parsed):
    # a closing mark opens the quotation, and spaCy keeps "”―" as one token
    text = "”The quay is repaired and the pumps are back.”― Ana Ruiz\n"
    assert signatures(parsed(text)) == [("Ana Ruiz", "―", "”The quay is repaired and the pumps are back.”")]


@pytest.mark.parametrize("text", [
    "“We will reopen the quay.” — and then the mayor left the room.\n",  # prose, not a name
    "“We will reopen the quay.” — Ruiz said nothing more about it.\n",  # a verb: a sentence
    "The mayor — Ana Ruiz — opened the quay.\n",  # no quotation before the dash
])
def test_dashes_that_sign_nothing(parsed, text):
    assert signatures(parsed(text)) == []


def test_signature_survives_a_cue_inside_unpaired_marks(parsed):
    # the marks do not pair, so "said" is outside any quotation; the dash is a rule's cue,
    # never less likely than a cue word, so that word does not displace it
    text = "”The mayor said the quay is repaired and the pumps are back.” ― Ana Ruiz\n"
    parse = parsed(text)
    found = [(text[r.source[0][0]:r.source[-1][1]], text[r.cue[0][0]:r.cue[-1][1]]) for r in relations_in(parse)]
    assert ("Ana Ruiz", "―") in found


def test_a_credit_after_prose_ending_in_a_quotation_signs_nothing(parsed):
    text = "The mayor has called the new quay \"a gift to the town.\"\n\n- Harbour Press.\n"
    assert signatures(parsed(text)) == []
