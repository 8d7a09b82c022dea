"""The colon rule on a transcript quoted whole, each paragraph opening with a quotation mark
left open ("\\"MORALES: ..."), on text written for these tests."""
from __future__ import annotations

import pytest

from assistant.attribution.extract import relations_in
from assistant.attribution.forms.colon import left_open, relation_for_colon

TRANSCRIPT = (
    "Part of the interview follows:\n\n"
    "\"MORALES: Minister, the ferry has been late every day this week. Will it run on Sunday?\n\n"
    "\"KESTNER: It will. The pumps are back, and the crews say the quay is dry again.\n\n"
    "\"We also bought a second boat, which starts in May.\n\n"
    "\"(LAUGHTER.)\n\n"
    "\"MORALES: And the fares?\n\n"
    "\"KESTNER: They stay as they are this year.\n\n"
    "\"Listen to the whole interview on our site.\"\n"
)


def turns(parse) -> list[tuple[str, list[str]]]:
    """(source, content pieces) of every colon relation in the parse."""
    out = []
    for tok in parse.doc:
        rel = relation_for_colon(parse, tok) if tok.text == ":" else None
        if rel is not None:
            out.append((parse.text[rel.source[0][0]:rel.source[-1][1]], [parse.text[a:b] for a, b in rel.content]))
    return out


def test_each_quoted_turn_is_its_speakers(parsed):
    assert turns(parsed(TRANSCRIPT)) == [
        ("MORALES", ["Minister, the ferry has been late every day this week. Will it run on Sunday?"]),
        # the turn goes on in the next paragraph opened the same way, and stops at the stage note
        ("KESTNER", ["It will. The pumps are back, and the crews say the quay is dry again",
                     "We also bought a second boat, which starts in May"]),
        ("MORALES", ["And the fares?"]),
        # a closed quotation after the last turn (a note of the page) does not carry it on
        ("KESTNER", ["They stay as they are this year"]),
    ]


def test_cues_inside_a_turn_open_no_relation_of_their_own(parsed):
    parse = parsed(TRANSCRIPT)
    cues = [parse.text[r.cue[0][0]:r.cue[-1][1]] for r in relations_in(parse)]
    assert cues == [":"] * 4  # the four turns; "say" is inside one


@pytest.mark.parametrize("text", [
    "\"Kestner: the quay is dry again,\" the ferry company wrote on its page.\n",  # closed on its line
    "“Kestner: the quay is dry again,” the ferry company wrote on its page.\n",
    "\"Video: the quay is dry again and the pumps are back.\n",  # a page label
    "\"The plan is simple: the quay is dry again and the pumps are back.\n",  # no name
])
def test_quoted_lines_that_are_no_turn(parsed, text):
    assert turns(parsed(text)) == []


@pytest.mark.parametrize("line, expected", [
    ("\"KESTNER: It will, “and soon.”", True),  # curly marks inside do not close the straight one
    ("\"KESTNER: It will.\" And it did.", False),
    ("“KESTNER: It will.", True),
    ("“KESTNER: It will.”", False),
    ("''KESTNER: It will.", True),
    ("KESTNER: It will.", False),
])
def test_left_open(line, expected):
    assert left_open("Intro.\n" + line + "\nNext.", len("Intro.\n")) is expected
