"""Speaker resolution on sentences written for these tests, plus the bundled sample.

Claims are marked inline (see ``marked_text``).
"""
from __future__ import annotations

import pytest

from assistant.attribution.speakers import (
    SpeakerEntry, SpeakerTable, generator_proposer, grounded_name, group_speakers, resolve_speakers,
    speaker_table,
)
from assistant.corpus import make_article
from assistant.models import load_spacy
from assistant.types import Article, Claim, Span
from marked_text import annotated, names, resolve


@pytest.fixture(scope="session")
def nlp():
    return load_spacy()


# --------------------------------------------------------------------------- pronouns

def test_he_she_take_the_nearest_person(nlp):
    got = resolve(nlp, "Health Minister Laura Okonkwo opened the clinic in Lagos on Friday. "
                       "[1:She] said {1:the new wing would treat children}. "
                       "Later, Governor Samuel Adeyemi toured the site. "
                       "[2:He] said {2:funding was secure}.")
    assert names(got) == [("Laura Okonkwo", "person"), ("Samuel Adeyemi", "person")]


def test_it_takes_an_organisation_not_a_person(nlp):
    got = resolve(nlp, "Chief executive Rosa Lindahl met the Harbour Authority on Tuesday. "
                       "The Harbour Authority published its annual figures afterwards. "
                       "[1:It] said {1:cargo volumes rose by a tenth}.")
    assert names(got) == [("Harbour Authority", "organisation")]


def test_previous_speaker_beats_a_person_named_as_object(nlp):
    got = resolve(nlp, "[1:Finance spokesman Tomas Verhoeven] told Marta Lindqvist that "
                       "{1:the budget was balanced}. “{2:We will not raise taxes},” [2:he] added.")
    assert names(got) == [("Tomas Verhoeven", "person"), ("Tomas Verhoeven", "person")]


def test_pronoun_skips_names_inside_quotations(nlp):
    got = resolve(nlp, "Coach Peter Lund praised the squad after the final. "
                       "“{1:Maria Sorensen was outstanding today},” [1:he] said.")
    assert names(got) == [("Peter Lund", "person")]


def test_they_takes_a_group(nlp):
    got = resolve(nlp, "[1:Residents of the valley] said {1:the river had flooded twice}. "
                       "[2:They] said {2:nobody had warned them}.")
    assert got[1].speaker_resolved == "residents of the valley"
    assert got[1].speaker_type == "unnamed source"


def test_who_takes_the_noun_its_clause_hangs_on(nlp):
    got = resolve(nlp, "The plan was approved by Mayor Ingrid Holm, [1:who] said {1:it would cut traffic}.")
    assert names(got) == [("Ingrid Holm", "person")]


def test_unresolvable_pronoun_asks_the_proposer_only_then(nlp):
    asked = []

    def propose(article, claim):
        asked.append(claim.speaker.text)
        return "Someone Proposed"

    article, claims = annotated("[1:He] said {1:the plan was sound}. "
                                "Judge Alma Ruiz heard the case. [2:She] said {2:the law was clear}.")
    got = resolve_speakers(nlp(article.text), article, claims, propose=propose)
    assert asked == ["He"]
    assert names(got) == [("Someone Proposed", "person"), ("Alma Ruiz", "person")]
    # the proposer names a speaker; it never changes what was said or where
    assert [(c.content, c.speaker, c.cue) for c in got] == [(c.content, c.speaker, c.cue) for c in claims]


class ScriptedGenerator:
    """Stands in for ``assistant.generate.Generator``: answers from a script, records prompts."""

    def __init__(self, *answers: str):
        self.answers = list(answers)
        self.prompts: list[str] = []

    def generate(self, prompts):
        self.prompts.extend(prompts)
        return [self.answers.pop(0) for _ in prompts]


# the only name stands inside a quotation, where the rules never look for an antecedent
UNRESOLVED = 'Banners reading "Oskar Lind for mayor" lined the road to the dam. [1:He] said {1:the plan was sound}.'


@pytest.mark.parametrize("answer, expected", [
    ("Oskar Lind", "Oskar Lind"),
    ("Answer: Oskar Lind.", "Oskar Lind"),
    ('"Oskar Lind"\nHe is the mayor.', "Oskar Lind"),
    ("Lind", "Lind"),
    ("Mayor Eva Berg", None),      # a name the text never wrote
    ("oskar lind", None),          # not as written
    ("Lindq", None),               # only part of a word
    ("He", None),
    ("unknown", None),
    ("", None),
])
def test_grounded_name_keeps_only_names_written_in_the_text(answer, expected):
    assert grounded_name(answer, "The town that Oskar Lind governs. Lindqvist came too.") == expected


def test_generator_proposer_names_a_speaker_only_from_the_text(nlp):
    article, claims = annotated(UNRESOLVED)
    generator = ScriptedGenerator("Oskar Lind")
    got = resolve_speakers(nlp(article.text), article, claims, propose=generator_proposer(generator))
    assert names(got) == [("Oskar Lind", "person")]
    # the prompt shows the text up to the claim and names the mention to resolve
    assert len(generator.prompts) == 1
    assert "Oskar Lind for mayor" in generator.prompts[0] and '"He"' in generator.prompts[0]
    assert [(c.content, c.speaker, c.cue) for c in got] == [(c.content, c.speaker, c.cue) for c in claims]


def test_generator_proposer_drops_an_invented_name(nlp):
    article, claims = annotated(UNRESOLVED)
    got = resolve_speakers(nlp(article.text), article, claims,
                           propose=generator_proposer(ScriptedGenerator("Mayor Eva Berg")))
    assert got[0].speaker_resolved is None and got[0].speaker_type == "person"


# --------------------------------------------------------------------------- roles and aliases

@pytest.mark.parametrize("mention", ["the prime minister", "the PM"])
def test_role_noun_takes_the_holder_named_with_the_title(nlp, mention):
    got = resolve(nlp, "Portuguese Prime Minister Ana Ribeiro Costa met farmers in Evora. "
                       f"Transport Minister Rui Sampaio joined her. [1:{mention[0].upper() + mention[1:]}] said "
                       "{1:subsidies would continue}.")
    assert names(got) == [("Ana Ribeiro Costa", "person")]


def test_apposition_gives_a_role(nlp):
    got = resolve(nlp, "[1:Ilse Brandt, the director of the city museum,] said {1:the roof leaks}. "
                       "Visitors were moved out. [2:The director] said {2:repairs start soon}.")
    assert names(got) == [("Ilse Brandt", "person"), ("Ilse Brandt", "person")]


def test_short_forms_merge_with_the_fullest_name(nlp):
    got = resolve(nlp, "Interior Minister Karim al-Haddad visited the port. "
                       "[1:Haddad] said {1:the checkpoints would stay}. "
                       "[2:Minister al-Haddad] said {2:more police were coming}. "
                       "[3:Dr. Nadia Fares] said {3:the clinic was full}. [4:Fares] added {4:it needed staff}.")
    assert names(got) == [("Karim al-Haddad", "person"), ("Karim al-Haddad", "person"),
                          ("Dr. Nadia Fares", "person"), ("Dr. Nadia Fares", "person")]


def test_short_form_before_the_full_name_still_merges(nlp):
    got = resolve(nlp, "[1:Okafor] said {1:the vote was fair}. "
                       "Electoral Commissioner Grace Okafor spoke in Abuja on Monday.")
    assert names(got) == [("Grace Okafor", "person")]


def test_the_army_is_the_military_named_before(nlp):
    got = resolve(nlp, "[1:The Ruritanian military] said {1:its units had left the border}. "
                       "Villagers disputed that. [2:The army] said {2:patrols would resume}.")
    assert names(got) == [("Ruritanian military", "organisation")] * 2


def test_bare_plural_takes_the_one_fuller_form(nlp):
    got = resolve(nlp, "[1:Workers] said {1:the tunnel had collapsed}. "
                       "[2:Rescue workers] said {2:two people were trapped}.")
    assert names(got) == [("rescue workers", "unnamed source")] * 2
    got = resolve(nlp, "[1:Workers] said {1:the tunnel had collapsed}. Rescue workers and union "
                       "workers arrived later.")
    assert names(got) == [("workers", "unnamed source")]  # two kinds of workers: left as written


def test_coordinated_speakers_and_the_group_noun_after_them(nlp):
    got = resolve(nlp, "[1:Lindqvist and Okafor] discussed {1:the new treaty}. Foreign Minister Eva "
                       "Lindqvist arrived first; Trade Minister Grace Okafor came later. "
                       "[2:The officials] said {2:talks would continue}.")
    assert names(got) == [("Eva Lindqvist and Grace Okafor", "person")] * 2


def test_statement_from_an_office_is_by_the_office(nlp):
    got = resolve(nlp, "[1:A statement from the Water Board] said {1:supplies were safe}.")
    assert names(got) == [("Water Board", "organisation")]


def test_headline_cue_without_subject_takes_the_body_speaker(nlp):
    text = ("Storm Hits Coast, Orders Ferries Home\n\n"
            "The Coast Guard ordered all ferries back to port on Sunday.")
    article = make_article(text=text, title="Storm Hits Coast, Orders Ferries Home", id="h",
                           body_start=text.index("The Coast"))

    def span(piece, after=0):
        start = text.index(piece, after)
        return Span.of(text, start, start + len(piece))

    claims = [Claim("h", span("Ferries Home"), cue=span("Orders")),
              Claim("h", span("all ferries back to port"), speaker=span("The Coast Guard"),
                    cue=span("ordered"))]
    got = resolve_speakers(nlp(text), article, claims)
    assert names(got) == [("Coast Guard", "organisation")] * 2
    assert got[0].speaker is None  # no span is invented


# --------------------------------------------------------------------------- types

@pytest.mark.parametrize("marked, expected", [
    ("[1:Witnesses] said {1:the lights went out}.", ("witnesses", "unnamed source")),
    ("[1:Sources familiar with the talks] said {1:a deal was close}.",
     ("sources familiar with the talks", "unnamed source")),
    ("[1:Local media reports] said {1:the mine had closed}.", ("local media reports", "media report")),
    ("{1:The mine had closed}, according to [1:Reuters].", ("Reuters", "media report")),
    ("[1:The Transport Ministry] said {1:fares would rise}.", ("Transport Ministry", "organisation")),
    ("[1:Judge Alma Ruiz] said {1:the law was clear}.", ("Alma Ruiz", "person")),
])
def test_speaker_types(nlp, marked, expected):
    got = resolve(nlp, marked)
    assert names(got) == [expected]


# --------------------------------------------------------------------------- tables

def test_speaker_table_counts_and_aliases(nlp):
    article, claims = annotated("Interior Minister Karim al-Haddad visited the port. "
                                "[1:Haddad] said {1:the checkpoints would stay}. "
                                "[2:He] said {2:more police were coming}. "
                                "[3:Witnesses] said {3:the gates were shut}.")
    table = speaker_table(article, resolve_speakers(nlp(article.text), article, claims))
    haddad = table.get("karim al-haddad")
    assert haddad is not None and haddad.claims == 2 and haddad.type == "person"
    assert "Haddad" in haddad.aliases and "He" not in haddad.aliases  # pronouns are no aliases
    assert [s.name for s in table.speakers] == ["Karim al-Haddad", "witnesses"]


def test_group_speakers_across_articles():
    def table(article_id, *entries):
        return SpeakerTable(article_id, [SpeakerEntry(n, t, [n], c) for n, t, c in entries])

    groups = group_speakers([
        table("a", ("Karim al-Haddad", "person", 2), ("Jonas Berg", "person", 1)),
        table("b", ("karim al-haddad", "person", 1), ("Haddad", "person", 1), ("Elin Berg", "person", 1),
              ("Berg", "person", 1)),
    ])
    by_name = {g.name: g for g in groups}
    assert by_name["Karim al-Haddad"].claims == 4  # case-insensitive name, and the unambiguous surname
    assert by_name["Karim al-Haddad"].articles == {"a": 2, "b": 2}
    assert "Berg" in by_name and by_name["Berg"].claims == 1  # two Bergs: left apart
    assert groups[0].name == "Karim al-Haddad"


# --------------------------------------------------------------------------- the sample

def _sample_claim(article: Article, speaker: str, anchor: str) -> Claim:
    """A claim whose speaker is ``speaker`` where it starts ``anchor`` (first occurrence)
    and whose content is the rest of that sentence."""
    start = article.text.index(anchor)
    sentence = next(s for s in article.sentences if s.start <= start < s.end)
    return Claim(article.id, Span.of(article.text, start + len(anchor), sentence.end),
                 speaker=Span.of(article.text, start, start + len(speaker)))


def test_sample_speakers(nlp, sample_articles):
    iraq, gaza = sample_articles
    cases = {
        iraq.id: [("He", "He called on"), ("the PM", "the PM underscored"),
                  ("Sudani", "Sudani underlined"), ("he", "he added"), ("he", "he went on")],
        gaza.id: [("Abu Safiya", "Abu Safiya said"), ("It", "It said Hamas")],
    }
    # the Allawi claim that "he added" follows
    allawi = iraq.text.index("Dr. Hussein Allawi")
    resolved = {}
    for article in (iraq, gaza):
        claims = [_sample_claim(article, s, a) for s, a in cases[article.id]]
        if article is iraq:
            claims.append(Claim(iraq.id, Span.of(iraq.text, allawi + 40, allawi + 80),
                                speaker=Span.of(iraq.text, allawi, allawi + len("Dr. Hussein Allawi"))))
        if article is gaza:
            claims.append(_sample_claim(article, "medics", "medics said"))
        for c in resolve_speakers(nlp(article.text), article, claims):
            resolved[(article.id, c.speaker.start)] = (c.speaker_resolved, c.speaker_type)

    def get(article, anchor):
        return resolved[(article.id, article.text.index(anchor))]

    sudani = ("Mohammed Shia al-Sudani", "person")
    assert get(iraq, "He called on") == sudani
    assert get(iraq, "the PM underscored") == sudani
    assert get(iraq, "Sudani underlined") == sudani
    assert get(iraq, "he added") == ("Dr. Hussein Allawi", "person")
    assert get(iraq, "he went on") == ("Dr. Hussein Allawi", "person")
    assert get(gaza, "Abu Safiya said") == ("Hussam Abu Safiya", "person")
    assert get(gaza, "medics said") == ("Palestinian medics", "unnamed source")  # named so later
    assert get(gaza, "It said Hamas") == ("Israeli military", "organisation")


# --------------------------------------------------------------------------- the engine

@pytest.fixture(scope="module")
def sample_claims(sample_articles):
    from assistant.attribution import extract_claims

    return extract_claims(sample_articles)


def test_engine_offsets_hold_for_every_claim(sample_articles, sample_claims):
    from assistant.attribution import SPEAKER_TYPES

    assert len(sample_claims) == len(sample_articles) and all(sample_claims)
    for article, claims in zip(sample_articles, sample_claims):
        for c in claims:
            assert c.article_id == article.id
            for span in (c.speaker, c.cue, c.content):
                if span is None:
                    continue
                assert article.text[span.start:span.end] == span.text
                for a, b in span.parts():
                    assert span.start <= a < b <= span.end
            touched = {s.index for s in article.sentences for a, b in c.content.parts()
                       if s.start < b and a < s.end}
            assert touched <= set(c.sentence_ids)
            if c.speaker is not None:
                assert c.speaker_resolved and c.speaker_type in SPEAKER_TYPES


def test_engine_resolves_the_sample_speakers(sample_articles, sample_claims):
    iraq, gaza = sample_articles
    found = {(c.article_id, c.speaker.start): c.speaker_resolved for claims in sample_claims
             for c in claims if c.speaker}

    def at(article, anchor):
        return found.get((article.id, article.text.index(anchor)))

    assert at(iraq, "He called on") == "Mohammed Shia al-Sudani"
    assert at(iraq, "the PM underscored") == "Mohammed Shia al-Sudani"
    assert at(iraq, "he added") == "Dr. Hussein Allawi"
    assert at(gaza, "Abu Safiya said") == "Hussam Abu Safiya"


def test_engine_parses_in_one_pipe_pass(sample_articles, monkeypatch):
    import assistant.attribution as engine

    real = engine.attribution_pipeline()
    calls = []

    class Counting:
        def __getattr__(self, name):  # all but the parse itself is the real pipeline's
            return getattr(real, name)

        def pipe(self, texts, batch_size):
            texts = list(texts)
            calls.append((len(texts), batch_size))
            return real.pipe(texts, batch_size=batch_size)

    monkeypatch.setattr(engine, "attribution_pipeline", lambda: Counting())
    result = engine.extract_claims(sample_articles, batch_size=7)
    assert calls == [(len(sample_articles), 7)] and len(result) == len(sample_articles)


# --------------------------------------------------------------------------- phrase edges

def test_a_place_before_a_role_resolves_to_the_role_holder(nlp):
    got = resolve(nlp, "[1:Chile FM] Vows {1:to Reopen Border Crossings}\n\n"
                       "Chilean Foreign Minister Alberto Van Klaveren said on Monday that the "
                       "crossings would reopen.")
    assert names(got) == [("Alberto Van Klaveren", "person")]


def test_a_time_phrase_is_no_part_of_the_speaker(nlp):
    got = resolve(nlp, "{1:The bridge will reopen in May}, according to [1:Reuters on Friday].")
    assert names(got) == [("Reuters", "media report")]


def test_a_quoted_name_loses_its_quote_marks_even_when_one_is_cut_off(nlp):
    got = resolve(nlp, "Talks stalled after [1:the so-called “Northern Harbour Alliance] declared "
                       "{1:that it would boycott the vote}.")
    assert names(got)[0][0] == "Northern Harbour Alliance"
