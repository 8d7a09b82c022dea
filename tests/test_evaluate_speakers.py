"""Scoring speaker resolution (`assistant eval speakers`) on hand-built gold rows and claims."""
from __future__ import annotations

import json

import pytest

from assistant.cli import main
from assistant.errors import AssistantError
from assistant.evaluate_speakers import SpeakerGold, name_words, read_speaker_gold, score_speakers
from assistant.types import Claim, Span

TEXT = "Mayor Ann Lee said the bridge would open. Officials said it was safe. She said more."


def claim(speaker: tuple[int, int] | None, content: tuple[int, int], name: str | None, type_: str | None) -> Claim:
    return Claim("a", Span.of(TEXT, *content), speaker=Span.of(TEXT, *speaker) if speaker else None,
                 speaker_resolved=name, speaker_type=type_)


def row(source, content, kind, speaker, type_="person", also=()) -> SpeakerGold:
    return SpeakerGold("a", source, content, kind, speaker, tuple(also), type_)


ROWS = [row((0, 13), (19, 40), "name", "Ann Lee"),
        row((42, 51), (57, 69), "nominal", None, "unnamed source"),
        row((71, 74), (80, 84), "pronoun", "Ann Lee")]


def test_a_row_is_right_by_name_or_by_type_for_an_unnamed_source_and_a_missed_one_is_wrong():
    claims = [claim((0, 13), (19, 40), "Mayor Ann Lee", "person"),  # titles do not count
              claim((42, 51), (57, 69), "officials", "unnamed source")]
    report = score_speakers(ROWS, claims)
    assert report["accuracy"]["all"] == {"right": 2, "n": 3, "accuracy": 2 / 3}
    assert report["accuracy"]["pronoun"]["right"] == 0 and report["missed"] == 1
    assert report["type_accuracy"] == 1.0 and report["type_judged"] == 2


def test_the_claim_whose_speaker_overlaps_the_source_is_paired_first():
    claims = [claim((42, 51), (19, 40), "officials", "unnamed source"),
              claim((0, 13), (19, 30), "Ann Lee", "person")]
    assert score_speakers(ROWS[:1], claims)["accuracy"]["all"]["right"] == 1


@pytest.mark.parametrize("a, b, same", [
    ("Loretta E. Lynch", "Loretta Lynch", True),
    ("Sen. Bernie Sanders", "Bernie Sanders", True),
    ("Trump’s", "trump", True),
    ("Michelle Obama", "Obama", False),
])
def test_names_are_compared_without_titles_initials_or_case(a, b, same):
    assert (name_words(a) == name_words(b)) is same


def test_a_malformed_gold_line_is_an_error_naming_it(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({"article": "a", "source": [0, 1], "content": [2, 3], "kind": "name",
                                "speaker": "X"}) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(AssistantError, match=r"gold.jsonl:2"):
        read_speaker_gold(path)


def test_the_command_scores_saved_predictions_and_refuses_a_missing_gold(tmp_path, capsys):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps({"article": r.article, "source": list(r.source), "content": list(r.content),
                                        "kind": r.kind, "speaker": r.speaker, "type": r.type}) + "\n" for r in ROWS))
    predictions = tmp_path / "claims.jsonl"
    predictions.write_text(json.dumps(claim((0, 13), (19, 40), "Ann Lee", "person").to_dict()) + "\n")
    out = tmp_path / "scores.json"
    assert main(["eval", "speakers", "--gold", str(gold), "--predictions", str(predictions), "--json", str(out)]) == 0
    assert json.loads(out.read_text())["accuracy"]["all"]["right"] == 1
    assert "1/3" in capsys.readouterr().out
    assert main(["eval", "speakers", "--gold", str(tmp_path / "missing.jsonl"), "--predictions", str(predictions)]) == 2
