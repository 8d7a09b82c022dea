"""Attribution scoring: hand-made cases whose counts are worked out by hand."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from assistant.corpus import make_article
from assistant.errors import AssistantError
from assistant.evaluate import (
    normalized_pieces, parse_brat, polnear_annotation_files, read_claims, read_polnear, evaluate,
)
from assistant.types import Claim, Span

TEXT = ('Officials said the bridge will reopen in May. "We are ready," the mayor told reporters, '
        '"and the work is done." The council denied the report.')


@pytest.fixture(scope="module")
def article():
    return make_article(text=TEXT, title="", id="a1")


def span(text: str, piece: str, after: int = 0) -> Span:
    start = text.index(piece, after)
    return Span.of(text, start, start + len(piece))


def claim(content: str | list[str], source: str | None = None, cue: str | None = None,
          resolved: str | None = None, kind: str = "indirect") -> Claim:
    if isinstance(content, list):
        starts = [TEXT.index(p) for p in content]
        content_span = Span.from_pieces(TEXT, [(s, s + len(p)) for s, p in zip(starts, content)])
    else:
        content_span = span(TEXT, content)
    return Claim(article_id="a1", content=content_span, kind=kind,
                 speaker=span(TEXT, source) if source else None, speaker_resolved=resolved,
                 cue=span(TEXT, cue) if cue else None)


def officials(**kw) -> Claim:
    return claim("the bridge will reopen in May", "Officials", "said", **kw)


def mayor(**kw) -> Claim:
    return claim(['"We are ready,"', '"and the work is done."'], "the mayor", "told", kind="direct", **kw)


def scores(report, mode: str, role: str) -> tuple[int, int, int]:
    c = report.counts[mode][role]
    return c.tp, c.fp, c.fn


def test_perfect_predictions_score_one(article):
    gold = [officials(resolved="City officials"), mayor(resolved="Jane Roe")]
    report = evaluate([article], gold, [officials(resolved="city OFFICIALS"), mayor(resolved="Jane Roe")])
    for mode in ("exact", "overlap"):
        for role in ("source", "cue", "content", "relation"):
            c = report.counts[mode][role]
            assert (c.precision, c.recall, c.f1) == (1.0, 1.0, 1.0)
    assert report.speaker_accuracy == 1.0
    assert report.to_dict()["scores"]["exact"]["relation"]["f1"] == 1.0


def test_empty_predictions_score_zero(article):
    report = evaluate([article], [officials(), mayor()], [])
    for mode in ("exact", "overlap"):
        assert scores(report, mode, "content") == (0, 0, 2)
        c = report.counts[mode]["relation"]
        assert (c.precision, c.recall, c.f1) == (0.0, 0.0, 0.0)
    empty = evaluate([article], [], [])
    assert empty.counts["exact"]["relation"].f1 == 0.0 and empty.speaker_accuracy is None


def test_shifted_span_loses_exact_keeps_overlap(article):
    # "bridge will reopen in May" vs gold "the bridge will reopen in May": token F1 = 10/11
    shifted = claim("bridge will reopen in May", "Officials", "said")
    report = evaluate([article], [officials()], [shifted])
    assert scores(report, "exact", "content") == (0, 1, 1)
    assert scores(report, "overlap", "content") == (1, 0, 0)
    assert scores(report, "exact", "source") == (1, 0, 0)
    assert scores(report, "exact", "relation") == (0, 1, 1)
    assert scores(report, "overlap", "relation") == (1, 0, 0)


def test_small_overlap_is_not_a_match(article):
    # "in May" vs 6 gold tokens: F1 = 4/8 = 0.5 passes; "May" alone: 2/7 fails
    assert scores(evaluate([article], [officials()], [claim("in May", "Officials", "said")]),
                  "overlap", "content") == (1, 0, 0)
    assert scores(evaluate([article], [officials()], [claim("May", "Officials", "said")]),
                  "overlap", "content") == (0, 1, 1)


def test_exact_match_ignores_edge_quotes_and_punctuation(article):
    gold = claim('"We are ready,"', "the mayor", "told")
    pred = claim("We are ready", "the mayor", "told")
    assert scores(evaluate([article], [gold], [pred]), "exact", "relation") == (1, 0, 0)
    # "the mayor told" is not a trimmable edge
    wide = claim('"We are ready," the mayor', "the mayor", "told")
    assert scores(evaluate([article], [gold], [wide]), "exact", "content") == (0, 1, 1)


def test_duplicate_predictions_do_not_count_twice(article):
    report = evaluate([article], [officials()], [officials(), officials()])
    for role in ("source", "cue", "content", "relation"):
        assert scores(report, "exact", role) == (1, 1, 0)
    c = report.counts["exact"]["content"]
    assert (c.precision, c.recall) == (0.5, 1.0)
    assert c.f1 == pytest.approx(2 / 3)


def test_missing_source(article):
    denied = claim("the report", None, "denied")
    with_source = claim("the report", "The council", "denied")
    # gold has none, prediction has one: a false positive only
    report = evaluate([article], [denied], [with_source])
    assert scores(report, "exact", "source") == (0, 1, 0)
    assert scores(report, "exact", "cue") == (1, 0, 0)
    assert scores(report, "exact", "relation") == (0, 1, 1)
    # gold has one, prediction none: a false negative only
    report = evaluate([article], [with_source], [denied])
    assert scores(report, "exact", "source") == (0, 0, 1)
    # absent on both sides: nothing counted, the relation is correct
    report = evaluate([article], [denied], [denied])
    assert scores(report, "exact", "source") == (0, 0, 0)
    assert scores(report, "exact", "relation") == (1, 0, 0)


def test_discontinuous_content(article):
    gold = mayor()
    assert gold.content.pieces is not None
    # the covering span adds "the mayor told reporters": all 8 gold tokens among 12, F1 = 16/20
    covering = claim('"We are ready," the mayor told reporters, "and the work is done."', "the mayor", "told")
    report = evaluate([article], [gold], [covering])
    assert scores(report, "exact", "content") == (0, 1, 1)
    assert scores(report, "overlap", "content") == (1, 0, 0)
    # one piece of two: 3 of the 8 gold tokens, F1 = 6/11
    half = claim('"We are ready,"', "the mayor", "told")
    assert scores(evaluate([article], [gold], [half]), "overlap", "content") == (1, 0, 0)


def test_pieces_split_by_punctuation_equal_one_span():
    text = 'He said: "Yes." "No."'
    whole = Span.of(text, 9, 21)
    split = Span.from_pieces(text, [(9, 15), (16, 21)])
    assert normalized_pieces(text, whole) == normalized_pieces(text, split) == ((10, 19),)


def test_unpaired_relations_count_against_every_role(article):
    # no shared content token with any gold relation: unpaired
    report = evaluate([article], [officials()], [claim("the report", "The council", "denied")])
    assert report.n_paired == 0
    for role in ("source", "cue", "content", "relation"):
        assert scores(report, "overlap", role) == (0, 1, 1)


def test_pairing_is_one_to_one_by_content_overlap(article):
    # predictions in the opposite order; each finds its own gold relation
    report = evaluate([article], [officials(), mayor()], [mayor(), officials()])
    assert scores(report, "exact", "relation") == (2, 0, 0)


def test_speaker_accuracy_denominator_is_paired_gold_with_a_name(article):
    gold = [officials(resolved="City officials"), mayor(resolved="Jane Roe"),
            claim("the report", "The council", "denied", resolved="the City Council")]
    pred = [officials(resolved="city officials"), mayor(resolved="John Doe")]
    report = evaluate([article], gold, pred)
    assert (report.speaker_correct, report.speaker_paired, report.speaker_gold) == (1, 2, 3)
    assert report.speaker_accuracy == 0.5
    assert report.to_dict()["speaker_resolution"]["end_to_end"] == pytest.approx(1 / 3)


def test_leading_the_and_apostrophes_do_not_matter_for_speakers(article):
    gold = [officials(resolved="the PM’s office")]
    report = evaluate([article], gold, [officials(resolved="PM's Office")])
    assert report.speaker_accuracy == 1.0


def test_prediction_with_wrong_offsets_is_an_error(article):
    bad = Claim(article_id="a1", content=Span(0, 9, "something"))
    with pytest.raises(AssistantError, match="does not match"):
        evaluate([article], [officials()], [bad])


def test_predictions_for_other_articles_are_ignored(article):
    other = Claim(article_id="elsewhere", content=Span(0, 3, "abc"))
    report = evaluate([article], [officials()], [officials(), other])
    assert report.ignored_predictions == 1
    assert scores(report, "exact", "relation") == (1, 0, 0)


def test_errors_list_sentences(article):
    report = evaluate([article], [officials(), mayor()], [claim("bridge will reopen", "Officials", "told")])
    errors = report.errors(5)
    assert len(errors["false_positives"]) == 1 and len(errors["false_negatives"]) == 2
    assert errors["false_negatives"][0]["sentence"].startswith("Officials said the bridge will reopen in May.")
    assert errors["false_positives"][0]["mismatched_roles"] == ["cue"]
    assert len(report.errors(1)["false_negatives"]) == 1
    assert "false negatives" in report.format_errors(1)


def test_read_claims(tmp_path, article):
    path = tmp_path / "pred.jsonl"
    path.write_text(json.dumps(mayor().to_dict()) + "\n\n" + json.dumps(officials().to_dict()) + "\n")
    claims = read_claims(path)
    assert claims == [mayor(), officials()]
    path.write_text(json.dumps(mayor().to_dict()) + "\n{broken\n")
    with pytest.raises(AssistantError, match=r"pred.jsonl:2: malformed JSON"):
        read_claims(path)
    path.write_text(json.dumps({"article_id": "a1"}) + "\n")
    with pytest.raises(AssistantError, match=r":1: not a claim"):
        read_claims(path)


# --------------------------------------------------------------------------- brat reader

BRAT_TEXT = ("Budget fight\n\nThe senator said the plan fails. \"It is dead,\" she added, "
             "\"and we know it.\"\nCritics were warned.")


def _offsets(piece: str, after: int = 0) -> str:
    start = BRAT_TEXT.index(piece, after)
    return f"{start} {start + len(piece)}"


def brat_annotation() -> str:
    quote1, quote2 = '"It is dead,"', '"and we know it."'
    return "\n".join([
        f"T1\tSource {_offsets('The senator')}\tThe senator",
        f"T2\tCue {_offsets('said')}\tsaid",
        f"T3\tContent {_offsets('the plan fails')}\tthe plan fails",
        f"T4\tAttribution {_offsets('said')}\tsaid",
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        f"T5\tCue {_offsets('added')}\tadded",
        f"T6\tContent {_offsets(quote1)};{_offsets(quote2)}\t{quote1} {quote2}",
        "T7\tAttribution 0 1\tB",
        # the source of the sentence before serves this relation too
        "E2\tAttribution:T7 Content:T6 Cue:T5 Source:T1",
        f"T8\tCue {_offsets('were warned')}\twere warned",
        f"T9\tContent {_offsets('were')}\twere",
        f"T10\tContent {_offsets('warned.')}\twarned.\nspan text running onto a second line",
        "E3\tAttribution-no-source:T8 Cue:T8 Content:T9 Content2:T10",
        "E4\tAttribution:T4 Cue:T2",  # no content: skipped
        "#1\tAnnotatorNotes T1\ta note",
    ]) + "\n"


def test_parse_brat():
    claims, skipped = parse_brat(BRAT_TEXT, brat_annotation(), "doc")
    assert skipped == 1
    assert [c.content.text for c in claims][0] == "the plan fails"
    first, second, third = claims
    assert first.speaker == second.speaker == span(BRAT_TEXT, "The senator")
    assert first.kind == "indirect"
    assert second.content.pieces is not None and len(second.content.pieces) == 2
    assert second.content.text == '"It is dead," she added, "and we know it."'
    assert second.kind == "direct"
    assert third.speaker is None and third.cue.text == "were warned"
    assert third.content.pieces is not None and third.content.text == "were warned."


def test_read_polnear_directory(tmp_path):
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    (tmp_path / "text" / "doc_one.txt").write_text(BRAT_TEXT, encoding="utf-8")
    (tmp_path / "attributions" / "doc_one_aaaa.ann").write_text(brat_annotation(), encoding="utf-8")
    # a second annotator's file sorts later and is not read
    (tmp_path / "attributions" / "doc_one_bbbb.ann").write_text("garbage\n", encoding="utf-8")
    (tmp_path / "text" / "unannotated.txt").write_text("Nothing here.", encoding="utf-8")
    assert [p[1].name for p in polnear_annotation_files(tmp_path)] == ["doc_one_aaaa.ann"]
    warnings: list[str] = []
    gold = read_polnear(tmp_path, warn=warnings.append)
    assert [a.id for a in gold.articles] == ["doc_one"]
    assert gold.articles[0].text == BRAT_TEXT and gold.articles[0].title == "Budget fight"
    assert len(gold.claims) == 3 and warnings and "1 relation" in warnings[0]
    # sentence 0 is the headline; the senator's claims are in sentences 1 and 2
    assert gold.claims[0].sentence_ids == [1]
    report = evaluate(gold.articles, gold.claims, gold.claims)
    assert report.counts["exact"]["relation"].f1 == 1.0


def test_polnear_needs_its_layout(tmp_path):
    with pytest.raises(AssistantError, match="not a PolNeAR split"):
        read_polnear(tmp_path)


def test_polnear_dev_scored_against_itself_is_perfect(polnear_dir):
    gold = read_polnear(polnear_dir / "dev")
    assert len(gold.articles) > 50 and len(gold.claims) > 1000
    report = evaluate(gold.articles, gold.claims, gold.claims)
    for mode in ("exact", "overlap"):
        for role in ("source", "cue", "content", "relation"):
            c = report.counts[mode][role]
            assert (c.precision, c.recall, c.fp, c.fn) == (1.0, 1.0, 0, 0), (mode, role)


# --------------------------------------------------------------------------- CLI

def test_cli_without_engine_gives_one_line_error(monkeypatch, capsys, tmp_path):
    import assistant.attribution.formats  # noqa: F401  (the parser needs it; only the engine goes missing)
    from assistant.cli import main

    monkeypatch.setitem(sys.modules, "assistant.attribution", None)  # import fails
    assert main(["eval", "attribution"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: the attribution engine is not available") and "\n" not in err


def test_cli_scores_polnear_predictions(tmp_path, capsys):
    from assistant.cli import main

    for sub in ("text", "attributions"):
        (tmp_path / sub).mkdir()
    (tmp_path / "text" / "doc_one.txt").write_text(BRAT_TEXT, encoding="utf-8")
    (tmp_path / "attributions" / "doc_one_aaaa.ann").write_text(brat_annotation(), encoding="utf-8")
    gold = read_polnear(tmp_path)
    predictions = tmp_path / "pred.jsonl"
    predictions.write_text(json.dumps(gold.claims[0].to_dict()) + "\n", encoding="utf-8")
    out_json = tmp_path / "scores.json"
    assert main(["eval", "attribution", "--polnear", str(tmp_path), "--predictions", str(predictions),
                 "--json", str(out_json), "--errors", "5"]) == 0
    out = capsys.readouterr().out
    assert "relation" in out and "false negatives" in out
    data = json.loads(Path(out_json).read_text())
    assert data["scores"]["exact"]["relation"]["tp"] == 1
    assert data["scores"]["exact"]["relation"]["fn"] == 2
    assert data["scores"]["exact"]["relation"]["precision"] == 1.0
    assert len(data["errors"]["false_negatives"]) == 2
