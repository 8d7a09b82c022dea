"""Answering, not just sharing the topic: the near miss declined and explained, on sentences
written for these tests."""
from __future__ import annotations

import pytest

from assistant.answer import NO_COVERAGE, ScoredHit, answer_question, candidate_of, declined_answer
from assistant.answerability import (FEATURES, AnswerabilityConfig, Candidate, answer_kind_present, asked_words,
                                     context_of, embedded_question, lead_of, load_answerability_model, missing_asked,
                                     missing_specifics, opens_with_anaphor, pair_features, parse_question,
                                     question_focus, question_kind, rival_story_name, role_holder_named)
from assistant.corpus import make_article
from assistant.index import Hit, SentenceIndex
from assistant.types import Sentence

DEBATE = ("Debate draws a record audience\n\n"
          "The first presidential debate drew 84 million viewers, the Nielsen company said on Tuesday. "
          "The candidates clashed over taxes, trade and the economy for ninety minutes. "
          "The second debate will be held in St. Louis on October 9. "
          "Both campaigns claimed victory after the event.")
FIRST = "The first presidential debate drew 84 million viewers, the Nielsen company said on Tuesday."


def _index_of(folder, article_id: str, text: str, published: str) -> SentenceIndex:
    """An index of one article whose first line is its headline."""
    index = SentenceIndex(folder)
    index.add([make_article(text=text, title=text.split("\n")[0], id=article_id, source="Example Times",
                            published=published, body_start=text.index("\n\n") + 2)])
    return index


@pytest.fixture(scope="module")
def debate_index(tmp_path_factory):
    return _index_of(tmp_path_factory.mktemp("debate-index"), "debate", DEBATE, "2016-09-27")


def _hit(text: str, dense: float, index: int = 1) -> Hit:
    start = DEBATE.index(text)
    return Hit("debate", "Debate draws a record audience", Sentence(index, start, start + len(text), text),
               0.03, dense, 1.0, source="Example Times", published="2016-09-27")


def test_question_kinds_and_specific_terms():
    q = parse_question("How many people watched the third debate in St. Louis?")
    assert q.kind == "number" and {"third", "st", "louis"} <= q.specifics
    assert question_kind("Who is Bryan Pagliano's attorney?") == "person"
    assert question_kind("When was the program created?") == "date"
    assert parse_question("Who is Bryan Pagliano's attorney?").specifics == {"bryan", "pagliano"}


def test_a_near_miss_lacks_a_specific_term_the_right_question_has():
    right = pair_features(parse_question("How many people watched the first debate?"), Candidate(FIRST, dense=0.7))
    near = pair_features(parse_question("How many people watched the third debate?"), Candidate(FIRST, dense=0.7))
    missing = 3  # FEATURES: dense, cover_sentence, cover_context, missing_specific_sentence, ...
    assert right[missing] == 0 and near[missing] == 1
    assert missing_specifics(parse_question("How many people watched the third debate?"), [FIRST]) == ["third"]


def test_embedded_question_only_where_word_order_allows():
    assert embedded_question("How many people watched the third debate?") == "how many people watched the third debate"
    assert embedded_question("How much did Adelson give?") is None
    assert embedded_question("Who is the attorney?") is None


def test_the_near_miss_explanation_names_what_is_missing_and_cites_what_is_said():
    scored = [ScoredHit(_hit(FIRST, 0.72), 0.2),
              ScoredHit(_hit("Both campaigns claimed victory after the event.", 0.41, 4), 0.05)]
    answer = declined_answer("How many people watched the third debate?", scored)
    assert not answer.answered and answer.method == "none"
    assert answer.text == ("The coverage does not say how many people watched the third debate (no retrieved "
                           f"sentence mentions “third”); nearby it says: “{FIRST}” [1]")
    (source,) = answer.sources
    assert DEBATE[source.start:source.end] == FIRST == source.text and source.source == "Example Times"


def test_nothing_on_topic_is_the_plain_refusal():
    scored = [ScoredHit(_hit(FIRST, AnswerabilityConfig().nearby_at - 0.01), 0.1)]
    answer = declined_answer("What is the capital of Peru?", scored)
    assert answer.text == NO_COVERAGE and answer.sources == []


def test_the_right_question_is_answered_with_its_sentence_cited(debate_index):
    answered = answer_question("How many viewers did the first presidential debate draw?", debate_index,
                               disagreements=False)
    assert answered.answered and answered.sentences[0].text == FIRST
    source = answered.sources[answered.sentences[0].sources[0] - 1]
    assert DEBATE[source.start:source.end] == FIRST


@pytest.mark.xfail(strict=True, reason="known limit of the shipped model (late evening and sixth session): 'watched' is paraphrased by "
                   "'drew ... viewers', and it declines (p below answer_at); see the model card")
def test_a_question_counting_people_is_answered_by_a_sentence_that_says_viewers(debate_index):
    """"people" only says how it is counted (``asked_words`` passes it over), so "viewers" is no near miss."""
    answer = answer_question("How many people watched the first presidential debate?", debate_index,
                             disagreements=False)
    assert answer.answered and answer.sentences[0].text == FIRST


def test_the_near_miss_is_declined_and_explained(debate_index):
    declined = answer_question("How many people watched the third presidential debate?", debate_index,
                               disagreements=False)
    assert not declined.answered
    assert declined.text.startswith("The coverage does not say how many people watched the third presidential debate")
    assert "“third”" in declined.text and declined.sources and declined.sources[0].text in DEBATE


CHICAGO = ("Chicago violence returns to the debate\n\n"
           "Chicago has had more than 3,000 shootings since January 1, the Tribune's running tally shows. "
           "Donald Trump raised the city's violence at the presidential debate on Monday. "
           "The mayor said the police department would hire 970 more officers over two years.")
SHOOTINGS = "Chicago has had more than 3,000 shootings since January 1, the Tribune's running tally shows."


BRUSSELS = ("Suicide bombers strike Brussels\n\n"
            "In March, attackers killed 32 people in suicide bombings at the Brussels airport and a metro station. "
            "Belgium raised its threat level to the highest on its scale. "
            "Hospitals across the city treated the injured through the night.")
KILLED = "In March, attackers killed 32 people in suicide bombings at the Brussels airport and a metro station."


@pytest.mark.parametrize("text, sentence, asked, near_miss, unsaid", [
    # every name of the question is there, and a figure: but shootings are not homicides
    (CHICAGO, SHOOTINGS, "How many shootings has Chicago had since January?",
     "How many homicides has Chicago had since January?", "homicides"),
    # "people" only counts: what is asked is "wounded", and the sentence gives the killed
    pytest.param(BRUSSELS, KILLED, "How many people were killed in the Brussels bombings?",
                 "How many people were wounded in the Brussels bombings?", "wounded",
                 marks=pytest.mark.xfail(strict=True, reason="known limit: one of the two words asked about "
                                         "('bombings') is there, and the shipped model lets that pass; see the "
                                         "model card")),
])
def test_a_topical_near_miss_naming_every_term_is_declined_and_what_is_said_shown(tmp_path, text, sentence, asked,
                                                                                   near_miss, unsaid):
    index = _index_of(tmp_path, "article", text, "2016-09-28")
    answered = answer_question(asked, index, disagreements=False)
    assert answered.answered and answered.sentences[0].text == sentence
    declined = answer_question(near_miss, index, disagreements=False)
    assert not declined.answered
    clause = near_miss[0].lower() + near_miss[1:-1]
    assert declined.text == (f"The coverage does not say {clause} (no retrieved sentence mentions “{unsaid}”); "
                             f"nearby it says: “{sentence}” [1]")
    assert text[declined.sources[0].start:declined.sources[0].end] == sentence


def test_a_question_about_a_person_the_coverage_never_names_is_declined(debate_index):
    answer = answer_question("How many viewers did Fox News report for the debate?", debate_index,
                             disagreements=False)
    assert not answer.answered and "“Fox”" in answer.text


def test_the_question_focus_is_what_an_answering_sentence_entails():
    assert question_focus("How many people watched the first debate?") == "people watched the first debate"
    assert question_focus("Who is Bryan Pagliano's attorney?") == "Bryan Pagliano's attorney"
    assert question_focus("By what margin did Clinton lead?") == "Clinton lead"
    assert question_focus("Why?") == "Why?"


def test_what_is_asked_about_is_the_focus_first_common_words():
    assert asked_words("How many homicides has Chicago had this year?", 1) == ["homicid"]
    assert asked_words("Who is Bryan Pagliano's attorney?") == ["attorney"]
    question = parse_question("How many homicides has Chicago had this year?")
    shootings = Candidate("Chicago has had thousands of shootings this year.", dense=0.6)
    homicides = Candidate("Chicago has had 500 homicides this year.", dense=0.6)
    asked = FEATURES.index("missing_asked")
    assert pair_features(question, shootings)[asked] == 0.5 and pair_features(question, homicides)[asked] == 0.0


def test_a_headline_is_read_as_one(debate_index):
    article = debate_index.article("debate")
    headline, first = (_hit(s.text, 0.6, s.index) for s in article.sentences[:2])
    assert candidate_of(debate_index, headline).headline and not candidate_of(debate_index, first).headline
    assert candidate_of(debate_index, first).article == DEBATE


def test_which_and_a_role_asks_for_a_person():
    assert question_kind("Which Clinton spokesman called the report misleading?") == "person"
    assert question_kind("Which district court judge ruled for the Democrats in May?") == "person"
    assert question_kind("What share of voters back Johnson?") == "number"


def test_a_counting_noun_is_passed_over_for_what_is_asked():
    assert asked_words("How many people were wounded in the bombings?", 1) == ["wound"]
    assert asked_words("What share of voters back Johnson?", 1) == ["voter"]


def test_a_year_is_no_answer_to_how_much_and_a_role_no_answer_to_who():
    how_much = parse_question("How much did Gene Sperling donate to the campaign?")
    assert not answer_kind_present(how_much, "Sperling hired her as his deputy in the mid-1990s and again in 2009.")
    assert answer_kind_present(how_much, "She donated $2,700 to the campaign in 2016.")
    which = parse_question("Which district court judge ruled for the Democrats in May?")
    assert not answer_kind_present(which, "In May, a U.S. District Court judge sided with the Democrats.")
    assert answer_kind_present(which, "Judge David McKeague wrote for the majority.")


def test_a_sentence_without_an_answer_of_the_kind_asked_never_answers():
    model = load_answerability_model()
    question = "How many people watched the first presidential debate?"
    without, with_figure = model.score(question, [Candidate("The first presidential debate was watched by many people.",
                                                            dense=0.8),
                                                  Candidate(FIRST, dense=0.7)])
    assert without == 0.0 and with_figure > 0.0


def test_a_stem_the_light_stemmer_splits_still_matches():
    question = parse_question("How much did Lael Brainard donate to the campaign?")
    asked = FEATURES.index("missing_asked")
    assert pair_features(question, Candidate("Lael Brainard has been donating $2,700 to the campaign."))[asked] == 0.0
    assert pair_features(question, Candidate("Lael Brainard has given $2,700 to the campaign."))[asked] == 0.5


def test_how_old_what_share_and_how_much_money_want_an_age_a_share_and_a_sum():
    old = parse_question("How old is Senator Chris Murphy?")
    assert old.measure == "age"
    assert answer_kind_present(old, "The 43-year-old former congressman led a filibuster in June.")
    assert answer_kind_present(old, "Murphy, 43, said he would run again.")
    assert not answer_kind_present(old, "At least nine people were killed and 21 wounded.")
    share = parse_question("What share of Democrats back Clinton?")
    assert share.measure == "percent" and answer_kind_present(share, "73 percent of Democrats back her.")
    assert not answer_kind_present(share, "She leads by 7 points among 1,131 voters.")
    money = parse_question("How much did Saudi Arabia give to the foundation?")
    assert money.measure == "money" and answer_kind_present(money, "The kingdom gave between $10 million and $25 million.")
    assert not answer_kind_present(money, "Hackers compromised 12 workstations and 10 servers.")
    assert parse_question("How much higher did contractors bid?").measure == ""  # any figure: "20 percent higher"


def test_a_title_is_no_specific_term_and_a_closing_last_is_the_verb():
    assert parse_question("How old is Senator Chris Murphy?").specifics == {"chris", "murphy"}
    assert "last" not in parse_question("How long did Murphy's filibuster last?").specifics
    assert "last" in parse_question("Who won the last debate?").specifics


def test_an_irregular_verb_form_matches_its_base():
    question = parse_question("How much did Saudi Arabia give to the Clinton Foundation?")
    asked = FEATURES.index("missing_asked")
    assert pair_features(question, Candidate("The kingdom gave $10 million to the Clinton Foundation."))[asked] == 0.0


def test_a_name_in_the_lead_counts_one_found_only_further_on_does_not():
    question = parse_question("What share of voters in the CNN poll were bothered by the foreign money?")
    lead = FEATURES.index("missing_specific_lead")
    sentence = "The poll showed that 72 percent of voters were bothered by the foreign money."
    named_in_lead = Candidate(sentence, lead="A CNN poll in June asked voters about the foundation.",
                              article="... In a CNN poll, 38 percent said he should step down.")
    named_further_on = Candidate(sentence, lead="A Bloomberg poll in June asked voters about the foundation.",
                                 article="... In a CNN poll, 38 percent said he should step down.")
    assert pair_features(question, named_in_lead)[lead] == 0 and pair_features(question, named_further_on)[lead] == 1


def test_a_first_name_counts_as_found_where_the_last_name_is():
    question = parse_question("How much did Lael Brainard give to the campaign?")
    missing = FEATURES.index("missing_specific_sentence")
    assert pair_features(question, Candidate("Ms. Brainard donated $2,700 to the campaign."))[missing] == 0
    assert pair_features(question, Candidate("Ms. Sperling donated $2,700 to the campaign."))[missing] == 2


HACKER = make_article(
    id="hacker", title="Hacker gets prison sentence",
    text="Hacker gets prison sentence\n\nA Romanian hacker was sentenced on Thursday. "
         "The judge imposed a long term. Prosecutors had asked for more. "
         "Marcel Lazar, 44, was extradited in 2014. Lazar admitted to targeting 100 Americans. "
         "In his interview, Lazar told agents he picked his targets at random. "
         "Most of his attempts failed. He succeeded only about 8 percent of the time, he estimated. "
         "The new rule on overtime was announced in May. Managers are not entitled to extra pay today. "
         "On Dec. 1, that changes.", body_start=len("Hacker gets prison sentence\n\n"))


def _sentence_of(article, start: str):
    return next(s for s in article.sentences if s.text.startswith(start))


def test_a_sentence_opening_with_a_pronoun_reads_the_two_sentences_before():
    assert opens_with_anaphor("He succeeded only about 8 percent of the time.")
    assert opens_with_anaphor("On Dec. 1, that changes.")
    assert not opens_with_anaphor("In his interview, Lazar told agents he picked his targets at random.")
    succeeded = _sentence_of(HACKER, "He succeeded")
    assert "Lazar told agents" in context_of(HACKER, succeeded.index)
    plain = _sentence_of(HACKER, "Lazar admitted")
    assert context_of(HACKER, plain.index) == "Hacker gets prison sentence Marcel Lazar, 44, was extradited in 2014."


def test_he_is_whom_the_sentences_before_name_and_that_what_they_name():
    succeeded = _sentence_of(HACKER, "He succeeded")
    features = pair_features(parse_question("What share of the time did Lazar's attempts succeed?"),
                             Candidate(succeeded.text, context_of(HACKER, succeeded.index)))
    assert features[FEATURES.index("missing_specific_sentence")] == 0
    changes = _sentence_of(HACKER, "On Dec. 1")
    features = pair_features(parse_question("When does the new overtime rule take effect?"),
                             Candidate(changes.text, context_of(HACKER, changes.index)))
    assert features[FEATURES.index("missing_asked")] == 0.0
    not_anaphoric = Candidate("Managers are not entitled to extra pay today.", "The new rule on overtime.")
    assert pair_features(parse_question("When does the new overtime rule take effect?"),
                         not_anaphoric)[FEATURES.index("missing_asked")] == 1.0


def test_a_name_the_article_repeats_is_of_its_lead():
    lead = lead_of(HACKER).split()
    assert "lazar" in lead and "marcel" not in lead  # named in three sentences, and in one
    question = parse_question("What share of Lazar's attempts failed?")
    sentence = _sentence_of(HACKER, "Most of his attempts")
    features = pair_features(question, Candidate(sentence.text, lead=lead_of(HACKER)))
    assert features[FEATURES.index("missing_specific_lead")] == 0


def test_a_party_is_found_by_its_adjective_and_plural():
    question = parse_question("How many delegates does a Democrat need?")
    missing = FEATURES.index("missing_specific_sentence")
    assert pair_features(question, Candidate("Democratic candidates need 2,383 delegates."))[missing] == 0
    assert pair_features(question, Candidate("Republican candidates need 1,237 delegates."))[missing] == 1


CONVENTIONS_LEAD = "Both the Republican and Democratic conventions remain short of their fundraising goals."
REPUBLICAN_PRESIDENT = ("The host committee for the Republican gathering has collected $56.5 million, said David "
                        "Gilbert, its president.")


def test_a_sentence_naming_another_of_the_story_s_parties_is_a_rival():
    question = parse_question("Who is the president of the Democratic host committee?")
    assert rival_story_name(question, REPUBLICAN_PRESIDENT, "Conventions race", CONVENTIONS_LEAD)
    assert not rival_story_name(question, REPUBLICAN_PRESIDENT.replace("Republican", "Democratic"), "",
                                CONVENTIONS_LEAD)
    # the question's party named just before ("That puts the committee ..."): no rival
    assert not rival_story_name(question, REPUBLICAN_PRESIDENT, "The Democratic committee met.", CONVENTIONS_LEAD)
    # a party the story never names is a missing specific term, not a rival
    assert not rival_story_name(parse_question("Who is the president of the Green host committee?"),
                                REPUBLICAN_PRESIDENT, "", CONVENTIONS_LEAD)


def test_the_explanation_names_what_is_asked_that_no_sentence_mentions():
    question = parse_question("How many people were wounded in the Brussels bombings?")
    said = ["Attackers killed 32 people in suicide bombings at the Brussels airport."]
    assert missing_asked(question, said) == ["wounded"]
    assert missing_asked(parse_question("How many people were killed in the Brussels bombings?"), said) == []
    # a light verb names nothing to look for: "take" is left out, "firefighter" and "day" kept
    asked = parse_question("How often does a firefighter take a day off?")
    assert missing_asked(asked, ["City workers were given a new schedule."]) == ["firefighter", "day"]
    brussels = "Brussels bombings kill 32\n\n" + said[0]
    start = brussels.index(said[0])
    hit = Hit("brussels", "Brussels bombings kill 32", Sentence(1, start, start + len(said[0]), said[0]), 0.03, 0.6, 1.0,
              source="Example Times", published="2016-03-22")
    answer = declined_answer("How many people were wounded in the Brussels bombings?", [ScoredHit(hit, 0.3)])
    assert answer.text.startswith("The coverage does not say how many people were wounded in the Brussels bombings "
                                  "(no retrieved sentence mentions “wounded”); nearby it says: “Attackers killed")


def test_a_who_question_about_a_role_wants_the_holder_named_next_to_it():
    q = parse_question("Who is the mayor of Atlantic City?")
    assert q.role == "mayor" and parse_question("Who was Labor Secretary before Thomas Perez?").role == "secretary"
    assert parse_question("Who made the statement?").role == ""
    names = ["Don Guardian"]
    assert role_holder_named("mayor", "“I agree,” said Atlantic City Mayor Don Guardian in an interview.", names)
    assert role_holder_named("president", "But Tom Fitton, the president of Judicial Watch, said so.", ["Tom Fitton"])
    # a witness named far from the driver is not the driver
    witness = ("The Associated Press quoted Wassim Bouhlel, a Nice native, as saying that after slamming into the "
               "crowd, the truck driver emerged with a gun.")
    assert not role_holder_named("driver", witness, ["Wassim Bouhlel"])
    assert not role_holder_named("mayor", "Don Guardian spoke on Tuesday.", names)  # no role: no holder


def test_a_share_is_no_year_after_in():
    share = parse_question("What share of the time did the attempts succeed?")
    assert not answer_kind_present(share, "He began targeting celebrities in 2012 and was sentenced to seven years.")
    assert answer_kind_present(share, "One in 10 attempts succeeded.")


def test_a_light_verb_is_not_what_is_asked_about():
    assert asked_words("How did Lazar get into the accounts of high-profile people?") == ["account", "profile"]
