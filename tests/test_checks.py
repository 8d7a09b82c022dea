"""Structured checks: each on sentences written for the test."""
from __future__ import annotations

from assistant.checks import (CONTRADICTS, UNSUPPORTED, date_findings, modality_findings, name_findings,
                              number_findings, parse, polarity_findings, quantities, role_findings, run_checks)

ARTICLE = ("Flooding in the river valley killed 12 residents on Tuesday, the regional governor Maria Costa said. "
           "Rescue teams evacuated 2,400 people from three villages. "
           "The governor said the dam may be reopened next month.")


def test_quantities_know_what_they_count():
    found = {(q.value, q.counted) for q in quantities(parse("Rescue teams evacuated 2,400 people and 2.3 million litres."))}
    assert (2400.0, "people") in found and (2300000.0, "litre") in found


def test_another_figure_for_the_same_count_contradicts():
    findings = number_findings(parse("Rescue teams evacuated 3,000 people."), [parse(ARTICLE)], [ARTICLE])
    assert [f.effect for f in findings] == [CONTRADICTS] and "2,400" in findings[0].reason


def test_dying_and_being_killed_count_the_same_thing():
    findings = number_findings(parse("Fifteen residents died in the flooding."), [parse(ARTICLE)], [ARTICLE])
    assert [f.effect for f in findings] == [CONTRADICTS] and "12" in findings[0].reason


def test_a_number_nowhere_in_the_coverage_is_unsupported():
    findings = number_findings(parse("The storm destroyed 40 bridges."), [], [ARTICLE])
    assert [f.effect for f in findings] == [UNSUPPORTED] and "40" in findings[0].reason


def test_the_same_figure_passes():
    assert number_findings(parse("The flood killed twelve residents."), [parse(ARTICLE)], [ARTICLE]) == []


def test_names_are_looked_up_in_the_whole_article():
    assert name_findings("Maria Costa spoke about the dam.", [ARTICLE]) == []
    findings = name_findings("Governor Paolo Ricci spoke about the dam.", [ARTICLE])
    assert len(findings) == 1 and "Paolo Ricci" in findings[0].reason and findings[0].effect == UNSUPPORTED


def test_negation_of_the_same_statement_contradicts():
    evidence = parse("The council approved the new budget for the schools.")
    assert polarity_findings(parse("The council did not approve the new budget for the schools."), evidence)[0].effect == CONTRADICTS
    assert polarity_findings(parse("The council approved the new school budget."), evidence) == []


def test_a_negated_object_negates_its_verb():
    evidence = parse("The director said staff did not have ambulances to move the patients.")
    assert polarity_findings(parse("Staff had no ambulances to move the patients."), evidence) == []
    assert polarity_findings(parse("Staff had ambulances to move the patients."), evidence)[0].effect == CONTRADICTS


def test_swapped_roles_contradict_active_and_passive():
    evidence = parse("Rebels attacked the convoy near the border.")
    assert role_findings(parse("The convoy attacked rebels near the border."), evidence)[0].check == "roles"
    assert role_findings(parse("Rebels were attacked by the convoy."), evidence)[0].effect == CONTRADICTS
    assert role_findings(parse("The convoy was attacked by rebels."), evidence) == []


def test_a_certainty_where_the_source_hedges_is_unsupported():
    evidence = parse("The governor said the dam may be reopened next month.")
    found = modality_findings(parse("The dam will be reopened next month, the governor said."), evidence)
    assert found and found[0].effect == UNSUPPORTED
    assert modality_findings(parse("The dam may be reopened next month."), evidence) == []


def test_another_weekday_contradicts_and_an_unknown_year_is_unsupported():
    doc = parse(ARTICLE)
    assert date_findings(parse("The flood killed 12 residents on Friday."), [doc], [ARTICLE])[0].effect == CONTRADICTS
    assert date_findings(parse("The flood of 1998 killed residents."), [], [ARTICLE])[0].effect == UNSUPPORTED
    assert date_findings(parse("The flood killed 12 residents on Tuesday."), [doc], [ARTICLE]) == []


def test_numbers_and_dates_are_read_from_the_raw_article():
    from assistant.checks import dates_written, numbers_written

    assert {12.0, 2400.0, 3.0} <= numbers_written(ARTICLE)
    assert numbers_written("It cost 2.3 million dollars.") >= {2300000.0}
    assert dates_written(ARTICLE) == {"tue"} and dates_written("He may go in May 2024.") == {"may", "2024"}


def test_run_checks_on_a_faithful_compression_finds_nothing():
    assert run_checks("Floods killed 12 residents, the governor said.", [ARTICLE.split(". ")[0]], [ARTICLE]) == []
