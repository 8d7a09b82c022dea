"""Pronoun speakers (issue 17, second round): the entity the text is about, not just the
nearest name. Sentences written for these tests (claims marked inline, see ``marked_text``)."""
from __future__ import annotations

from marked_text import names, resolve


def test_the_main_clause_subject_outranks_a_subordinate_one(nlp):
    got = resolve(nlp, "While Governor Tom Ruiz had the unions behind him, that is not the case this year, which "
                       "worries Paul Okafor, head of the Riverside Democratic Club.\n\n"
                       "\"{1:Nobody is knocking on doors}. Nobody,\" [1:he] said.")
    assert names(got) == [("Paul Okafor", "person")]


def test_he_or_she_subjects_carry_the_referent_beyond_the_window(nlp):
    got = resolve(nlp, "Susan Miller became attorney general in 2015, sworn in by Judge Ann Porter. She grew up in Tulsa. "
                       "She studied law in Boston. She worked as a prosecutor for a decade. She rarely gives "
                       "interviews. She seldom speaks at rallies.\n\n"
                       "\"{1:We will get there together},\" [1:she] said.")
    assert names(got) == [("Susan Miller", "person")]


def test_the_sentences_of_a_quotation_count_as_one(nlp):
    got = resolve(nlp, "Mara Quist stood at the gate with a phone. \"Stop. Wait. Listen to me. Not now. Go home now.\" "
                       "[1:She] then told {1:the officers to leave}.")
    assert names(got) == [("Mara Quist", "person")]


def test_a_name_in_what_a_claim_says_can_be_a_later_pronoun_s_referent(nlp):
    got = resolve(nlp, "[1:Police] said {1:Lena Ortiz had called them at noon}. [2:She] told "
                       "{2:reporters that she had been afraid}.")
    assert names(got)[1] == ("Lena Ortiz", "person")


def test_a_name_that_only_modifies_a_noun_is_no_antecedent(nlp):
    got = resolve(nlp, "The Tampa Tribune ran an editorial on Sunday. It praised the U.S. senator. "
                       "Meanwhile, [1:it] attacked {1:the governor's budget}.")
    assert got[0].speaker_resolved == "Tampa Tribune"


def test_they_prefers_people_in_the_plural_to_an_organisation(nlp):
    got = resolve(nlp, "Reuters interviewed more than 20 former workers and managers. "
                       "[1:They] described {1:long shifts without pay}.")
    assert names(got) == [("more than 20 former workers", "unnamed source")]


def test_they_still_means_an_organisation_when_no_people_are_named(nlp):
    got = resolve(nlp, "Norvell Inc. recalled its heaters in May. [1:They] said {1:no one had been hurt}.")
    assert names(got) == [("Norvell Inc.", "organisation")]


def test_a_relative_pronoun_names_its_noun_without_the_clause(nlp):
    got = resolve(nlp, "The mayor thanked the volunteers [1:who] cleared the park on Sunday and said "
                       "{1:they would come back next spring}.")
    assert names(got) == [("volunteers", "unnamed source")]


def test_a_phrase_opening_with_a_preposition_is_no_antecedent(nlp):
    # the entity model reads "Among Latinos" as a person's name
    got = resolve(nlp, "Senator Ann Lee leads the race. Among Latinos, her lead is larger. On other measures, "
                       "such as whether she is likable, [1:she] has seen {1:her standing erode}.")
    assert names(got) == [("Ann Lee", "person")]


def test_they_is_the_named_group_still_speaking_not_people_mentioned_since(nlp):
    got = resolve(nlp, "In a new paper, [1:Mara Quist and Tom Reyes] argue {1:that tariffs rarely protect jobs}. "
                       "They studied steel workers in Ohio after the mills closed. "
                       "{2:The promised recovery}, [2:they] concluded, never came.")
    assert names(got)[1] == ("Mara Quist and Tom Reyes", "person")
