"""Comparing the coverage: the same claim across outlets and speakers, where they
disagree, and who said what when.

The units are **statements**: each attributed claim the attribution engine finds (its
content, with the resolved speaker), and each sentence that reports nobody (the outlet's
own voice; one whose main verb denies something said reports a denial). Every statement
carries its article's outlet, date and URL and exact offsets.

* **Groups** (``group_statements``): candidate pairs are statements whose embeddings (the
  index's encoder) are close (``CompareConfig.pair_at``, at most ``neighbours`` a
  statement), read by the consistency model both ways; a pair is the same claim when the
  model finds that one entails the other (``same_at``; within one article or two of one
  story, ``story_links``), when the two are very close
  (``close_at``; never for a reported denial, which is read with what it denies), or
  close for their story (``margins``: the cosine over each one's usual closeness), when
  they give the same figure for the same count, or a candidate pair one measure
  (``measures``: "40 minutes"), when both deny one thing (a reported
  denial and a negation of what it denies), or when one speaker says one thing in other
  words in one story (``one_line``: same stance, a word in common beyond the topic's, cosine
  ``speaker_at``), and they do
  not disagree and neither only allows what the other asserts ("may rise"). Groups join
  average-link (more than half the pairs across them confirmed, or half and more than half
  of those read; shared figures and
  denials first) and never join two statements that disagree or give figures with none
  in common.
* **Disagreements** (``find_disagreements``): pairs from different voices that give rival
  figures for one count (what is counted and what happened to it read from the words,
  see ``counts``; across articles of one story, ``story_links``, or with a word in
  common), or where one denies what the other asserts (a reported denial whose
  context the model finds entailing the other side, or a negation over words the other
  side asserts, its core among them: ``Negation``, or another speaker's negation in the
  sentence after an accusation: ``answers_an_accusation``). The model's p(contradiction) decides
  nothing: it runs high for near-copies. One disagreement is kept for each pair of
  groups, the likeliest.
* **Timeline** (``timeline``): statements by date, with outlet and speaker.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .check import DENIAL, denies_a_statement, premise_of, same_speaker, speaker_name
from .checks import normal_figures, numbers_written, parse, quantities
from .errors import AssistantError
from .types import Article, Claim
from .verify import content_words

FIGURE, DENIAL_KIND = "figure", "denial"
Encode = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True)
class CompareConfig:
    """Thresholds of the comparison (cosines of the index's encoder, probabilities of the
    consistency model). See README "Comparing the coverage" for how they were chosen."""

    candidates: int = 40        # sentences retrieved for a topic
    pair_at: float = 0.5        # cosine that makes two statements a candidate pair
    neighbours: int = 6         # candidate pairs per statement, the closest first
    same_at: float = 0.5        # p(entailment), either way, that confirms the same claim
    close_at: float = 0.7       # cosine at which a pair is the same claim unless it disagrees
    link_share: float = 0.5     # two groups join when more than this share of the pairs across them is confirmed
    speaker_at: float | None = 0.4  # cosine at which two claims of one speaker can be one line (None: off)
    topic_share: float = 0.1    # a word more statements than this share hold names the topic (``topic_words``)
    margin_at: float | None = 1.05  # a candidate's cosine over its usual closeness that confirms it (``margins``)
    margin_neighbours: int = 4  # a statement's usual closeness: the mean cosine of its closest in other articles


@dataclass
class Statement:
    """A claim or statement as one article makes it; ``start``/``end`` index the article's
    text (the claim's content, or the whole sentence)."""

    article_id: str
    title: str
    source: str
    published: str
    url: str
    sentence_index: int
    start: int
    end: int
    text: str
    speaker: str | None = None      # resolved speaker; None: the outlet's own statement
    speaker_type: str | None = None
    cue: str | None = None
    sentence: str = ""              # the source sentence, for display
    context: str = ""               # the sentence with the one before it (what "it" refers to)
    denial: bool = False            # it reports a denial of its content ("X denied the claim")

    @property
    def voice(self) -> str:
        """Who makes the statement: the speaker, else the outlet."""
        return self.speaker or self.source or self.article_id

    @property
    def key(self) -> tuple[str, int, int]:
        return self.article_id, self.start, self.end

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("context")
        return d


@dataclass
class ClaimGroup:
    """Statements asserting the same thing; ``representative`` is the most central one."""

    id: str
    representative: Statement
    members: list[Statement]

    @property
    def outlets(self) -> list[str]:
        return sorted({m.source for m in self.members if m.source})

    @property
    def speakers(self) -> list[str]:
        return list(dict.fromkeys(m.speaker for m in self.members if m.speaker))

    @property
    def first_report(self) -> Statement:
        """The earliest dated member (undated ones last)."""
        return min(self.members, key=lambda m: (not m.published, m.published))

    def to_dict(self) -> dict[str, Any]:
        first = self.first_report
        return {"id": self.id, "representative": self.representative.to_dict(), "outlets": self.outlets,
                "speakers": self.speakers, "first_reported": first.published, "first_reported_by": first.source,
                "members": [m.to_dict() for m in self.members]}


@dataclass
class Disagreement:
    """Two statements (of two groups) that cannot both be true."""

    kind: str                    # figure | denial
    a: Statement
    b: Statement
    group_a: str
    group_b: str
    probability: float           # denial: the model's p(contradiction); figure: the cosine of the two
    figures: tuple[list[str], list[str]] = field(default_factory=lambda: ([], []))  # numbers of each side

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "group_a": self.group_a, "group_b": self.group_b,
                "probability": round(self.probability, 4), "a": self.a.to_dict(), "b": self.b.to_dict(),
                "figures_a": self.figures[0], "figures_b": self.figures[1]}


@dataclass
class TimelineEntry:
    published: str
    source: str
    speaker: str | None
    text: str
    article_id: str
    title: str
    url: str
    start: int
    end: int
    group: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Comparison:
    """What ``compare`` reports on a topic or a speaker."""

    query: str
    statements: list[Statement]
    groups: list[ClaimGroup]
    disagreements: list[Disagreement]
    timeline: list[TimelineEntry]

    def to_dict(self) -> dict[str, Any]:
        return {"query": self.query, "groups": [g.to_dict() for g in self.groups],
                "disagreements": [d.to_dict() for d in self.disagreements],
                "timeline": [t.to_dict() for t in self.timeline]}


# --------------------------------------------------------------------------- statements

# a wire dateline opening the text ("PORT AVEN, March 2 (Wire One) - ") is no part of the claim
_QUOTES = "\"'“”‘’ ,"
_DATELINE = re.compile(r"[A-Z][A-Z .'-]+, [A-Z][a-z]+\.? \d{1,2} \([^)]{1,40}\) [-–—] ")


def statements_of(article: Article, claims: Sequence[Claim], sentence_indices: set[int] | None = None) -> list[Statement]:
    """The article's claims (content, resolved speaker) and the sentences that report
    nobody, limited to ``sentence_indices`` when given; the headline is left out."""
    body = {s.index: s for s in article.body_sentences}
    wanted = set(body) if sentence_indices is None else set(sentence_indices) & set(body)
    out: list[Statement] = []
    reported: set[int] = set()

    def statement(sentence, start: int, end: int, claim: Claim | None) -> Statement:
        dateline = _DATELINE.match(article.text, start, end)
        start = dateline.end() if dateline else start
        cue = claim.cue.text if claim is not None and claim.cue is not None else None
        denial = denies_a_statement(claim) if claim is not None else reports_a_denial(article.text[start:end])
        return Statement(article.id, article.title, article.source, article.published, article.url,
                         sentence.index, start, end, article.text[start:end], speaker_name(claim),
                         claim.speaker_type if claim is not None else None, cue, sentence.text,
                         premise_of(article.sentences, sentence.index, always=denial), denial)

    for claim in claims:  # a sentence reports somebody when a claim's content lies in it (quote marks aside)
        start = claim.content.start + len(claim.content.text) - len(claim.content.text.lstrip(_QUOTES))
        end = claim.content.start + len(claim.content.text.rstrip(_QUOTES))
        here = [i for i, b in body.items() if b.start < end and start < b.end]
        reported.update(here)
        if not set(here) & wanted:
            continue
        out.append(statement(body[here[0]], claim.content.start, claim.content.end, claim))
    for index in sorted(wanted - reported):
        sentence = body[index]
        out.append(statement(sentence, sentence.start, sentence.end, None))
    return sorted(out, key=lambda s: (s.article_id, s.start))


_SAID_THINGS = {"claim", "allegation", "report", "account", "suggestion", "charge", "accusation", "assertion",
                "story", "rumour", "rumor", "statement"}


def reports_a_denial(sentence: str) -> bool:
    """An outlet's own sentence that reports a denial: its main verb denies something said
    ("Varn rejected claims that the company had ignored warnings about the valve", "denied
    that ..."), which the sentence does not assert; a refused request ("rejected the
    appeal") is none."""
    root = next((t for t in parse(sentence) if t.dep_ == "ROOT"), None)
    if root is None or root.pos_ != "VERB" or not DENIAL.fullmatch(root.text):
        return False
    return any(c.dep_ == "ccomp" or (c.dep_ == "dobj" and c.lemma_.lower() in _SAID_THINGS) for c in root.children)


# --------------------------------------------------------------------------- pairs

# What a figure counts: people under any name, homes, or money; and what happened to them.
# Rival figures for one count ("12 killed" / "15 died", "40,000 marched" / "a crowd of
# 12,000", "12,000 homes lost power" / "30,000 households were left without electricity")
# share both; a figure of no kind ("8 percent", "three depots") rivals nothing.
_PEOPLE = {"people", "person", "worker", "resident", "civilian", "victim", "employee", "passenger", "child",
           "man", "woman", "member", "protester", "marcher", "student", "patient", "body", "colleague",
           "survivor", "evacuee", "demonstrator", "family", "casualty", "figure", "toll", "count", "number",
           "total", "tally", "case", "driver", "motorist", "commuter", "traveller", "pedestrian", "tourist",
           "visitor", "villager", "customer", "voter", "refugee", "migrant", "prisoner", "hostage", "miner",
           "firefighter", "soldier", "officer", "pupil", "spectator", "fan", "crew", "striker", "docker",
           "dockworker", ""}
# homes are a count of their own, as outages, floods and notices give them: never rivals of people
_HOMES = {"home", "household", "house", "property", "dwelling"}
_MONEY = {"crown", "dollar", "euro", "pound", "franc", "yen", "rupee", "shekel", "peso", "$", "€", "£"}
_HAPPENINGS = {
    "dead": {"kill", "die", "dead", "death", "drown", "body", "toll", "life", "perish", "fatality"},
    "hurt": {"injure", "wound", "hurt", "injury", "hospital", "hospitalise", "hospitalize"},
    "ill": {"ill", "sick", "illness", "sickness", "case", "infect", "infection", "poison", "poisoning"},
    "displaced": {"evacuate", "evacuee", "displace", "flee", "homeless", "home", "shelter"},
    "crowd": {"march", "marcher", "protest", "protester", "crowd", "turnout", "rally", "demonstrator", "attend"},
    "striking": {"strike", "striker", "walkout", "picket"},
    "rescued": {"rescue", "survivor", "save"},
    "outage": {"power", "electricity", "blackout", "outage"},
}
_COMPARATIVE = {"more", "fewer", "less", "times", "percent", "%"}  # "three more than" is no count


@dataclass(frozen=True)
class Count:
    """A figure and what it counts: ``unit`` people, homes or money; ``happened`` the happenings
    (dead, hurt...) its words name (money: cost), empty when they name none ("fourteen
    people who boarded", "the count stands at twelve"): such a figure can be the same as
    another, never its rival."""

    value: float
    text: str
    unit: str
    happened: frozenset[str]


def _lemmas(text: str) -> set[str]:
    return {_happening_lemma(t) for t in parse(normal_figures(text)) if not t.is_stop}


def _happening_lemma(t: Any) -> str:
    """The token's lemma, blank for a noun used as an adverb, which names no happening
    ("never came home", "stay home": not displaced; "fled their homes" is; the parser tags
    such a "home" a noun or an adverb)."""
    return "" if t.pos_ in ("NOUN", "ADV") and t.dep_ == "advmod" else t.lemma_.lower()


def _happenings(lemmas: set[str]) -> frozenset[str]:
    return frozenset(kind for kind, words in _HAPPENINGS.items() if lemmas & words)


def _nearest_happening(doc: Any, figure: str, unit: frozenset[str] = frozenset()) -> frozenset[str]:
    """The happening named nearest the figure ("14 people lost their lives, a group of
    survivors said": dead, not rescued), the words of its ``unit`` aside ("12,000 homes lost
    power": the homes are what is counted, not displaced)."""
    at = next((t.i for t in doc if t.text == figure.split()[0]), 0)
    named = [(abs(t.i - at), _happenings({_happening_lemma(t)} - unit)) for t in doc]
    named = [(d, h) for d, h in named if h]
    return min(named, key=lambda x: x[0])[1] if named else frozenset()


def counts(text: str, sentence: str = "") -> list[Count]:
    """The figures of ``text`` that count people or money, with what happened to them: read
    from the figure's own words (its noun and verb), else from ``text``, else from its
    ``sentence`` ("the true figure is 15" in "12 people died, while the union insists the
    true figure is 15"). A figure of people with nothing named that happened to them
    counts only when its noun or its verb's subject says it is people or a count."""
    text = normal_figures(text)  # "one and a half million" is the figure "1.5 million" is
    doc = parse(text)
    out = []
    for q in quantities(doc):
        after = text[text.find(q.text) + len(q.text):].split()[:1] if q.text in text else []
        if after and after[0].lower().strip(".,") in _COMPARATIVE:
            continue
        if q.counted in _MONEY or any(m in q.text for m in _MONEY):
            out.append(Count(q.value, q.text, "money", frozenset({"cost"})))
            continue
        counted = q.counted or _noun_of(doc, q.text)
        if counted in _HOMES:
            happened = (_happenings({q.event}) or _nearest_happening(doc, q.text, _HOMES)
                        or (_happenings(_lemmas(sentence) - _HOMES) if sentence else frozenset()))
            out.append(Count(q.value, q.text, "homes", happened))
            continue
        if counted not in _PEOPLE:
            continue
        happened = (_happenings({counted, q.event}) or _nearest_happening(doc, q.text)
                    or (_happenings(_lemmas(sentence)) if sentence else frozenset()))
        if happened or counted or _counted_subject(doc, q.event):
            out.append(Count(q.value, q.text, "people", happened))
    return out


def _noun_of(doc: Any, figure: str) -> str:
    """The count a figure is "of" ("a figure of two": figure), else blank ("a crowd of
    3,000": the crowd is what happened)."""
    at = next((t for t in doc if t.text == figure.split()[0]), None)
    if at is None or at.head.lower_ != "of" or at.head.head.pos_ != "NOUN":
        return ""
    noun = at.head.head.lemma_.lower()
    return noun if noun in _PEOPLE else ""


def _counted_subject(doc: Any, verb: str) -> bool:
    """The figure's verb has a count for subject ("The count stands at twelve")."""
    return any(t.dep_ in ("nsubj", "nsubjpass") and t.head.lemma_.lower() == verb and t.lemma_.lower() in _PEOPLE
               for t in doc)


def _alike(x: Count, y: Count) -> bool:
    """The same unit and happening; rival estimates of one count lie within a factor of ten
    ("62 crowns" for a pass is not "30 million crowns" lost to a strike)."""
    return x.unit == y.unit and bool(x.happened & y.happened) and \
        max(x.value, y.value) <= 10 * max(min(x.value, y.value), 1e-9)


def _same_figure(x: Count, y: Count) -> bool:
    """One value of one unit, for one happening or where one side names none."""
    return x.value == y.value and x.unit == y.unit and \
        (bool(x.happened & y.happened) or not x.happened or not y.happened)


def figure_relation(a: Sequence[Count], b: Sequence[Count]) -> tuple[str, Count, Count] | None:
    """``("same", x, y)`` when the two give one figure for one count, ``("rival", x, y)``
    when they count the same thing and share no figure for it, ``("differ", x, y)`` when
    both give figures and share none (not one claim, nor rivals), else None."""
    same = next(((x, y) for x in a for y in b if _same_figure(x, y)), None)
    if same:
        return ("same", *same)
    a, b = [x for x in a if x.happened], [y for y in b if y.happened]  # the rest rival nothing
    if not a or not b:
        return None
    alike = [(x, y) for x in a for y in b if _alike(x, y)]
    if alike:
        return ("rival", *alike[0])
    return None if {(x.unit, x.value) for x in a} & {(y.unit, y.value) for y in b} else ("differ", a[0], b[0])


# words of any count, not of its story ("died" in a ferry sinking and in a train crash)
_NOT_TOPIC = _MONEY | _PEOPLE | _HOMES | set().union(*_HAPPENINGS.values()) | {"cost", "million", "billion", "thousand",
                                                                     "estimate", "put", "say"}


class StoryFigures:
    """The counts of each statement, and how two statements' figures relate. Rivals must
    tell one story: the same article, two articles ``linked`` by a claim they share
    (``story_links``), or a word in common beyond the figures themselves ("fire",
    "strike"), so that "the strike cost 30 million" and "the dam repair will cost 6
    million" are no rivals."""

    def __init__(self, statements: Sequence[Statement], linked: frozenset[frozenset[str]] = frozenset()):
        self.statements, self.linked = statements, linked
        self.counts = [counts(s.text, s.sentence) for s in statements]
        self.words = [{t.lemma_.lower() for t in parse(normal_figures(compared_text(s))) if t.pos_ in _CONTENT and not t.is_stop
                       and not t.like_num and t.lemma_.lower() not in _NOT_TOPIC} for s in statements]
        self.holders = [i for i, c in enumerate(self.counts) if c]

    def relation(self, i: int, j: int) -> str | None:
        """See ``figure_relation``; across articles, rivals and figures the same only
        where one side names nothing that happened ("fourteen people who boarded") must
        share a story word."""
        found = figure_relation(self.counts[i], self.counts[j])
        articles = frozenset((self.statements[i].article_id, self.statements[j].article_id))
        if not found or len(articles) == 1 or articles in self.linked or self.words[i] & self.words[j]:
            return found[0] if found else None
        if found[0] == "rival":
            return "differ"
        return None if found[0] == "same" and not (found[1].happened and found[2].happened) else found[0]


def story_links(statements: Sequence[Statement], scores: Sequence[PairScore], config: CompareConfig
                ) -> frozenset[frozenset[str]]:
    """Pairs of articles that tell one story: joined, directly or through others, by
    articles that make two claims in common (p(entailment) >= ``same_at`` or cosine >=
    ``close_at``, neither denying the other). Their figures can rival or match with no word
    in common ("Two drivers were hurt when their cars were caught by falling rock" / "Four
    people were injured in Sunday's landslide"). One claim in common is not enough: the
    model reads figures barely ("Forty-one people were rescued" entails "Forty people were
    injured" at 0.93, a ferry sinking and a train crash). A claim counts when each side
    has two content words or more: the "6:01 p.m." and "___." lines of two live blogs are
    no claims in common."""
    shared = Counter(frozenset((statements[s.i].article_id, statements[s.j].article_id)) for s in scores
                     if statements[s.i].article_id != statements[s.j].article_id and not s.denial
                     and (s.entail >= config.same_at or s.cosine >= config.close_at)
                     and all(len(_common_words(statements[k].text)) >= 2 for k in (s.i, s.j)))
    story = {a: a for a in {s.article_id for s in statements}}

    def root(a: str) -> str:
        while story[a] != a:
            a = story[a]
        return a
    for pair, n in shared.items():
        if n >= 2:
            x, y = sorted(pair)
            story[root(y)] = root(x)
    members: dict[str, list[str]] = {}
    for a in story:
        members.setdefault(root(a), []).append(a)
    return frozenset(frozenset((x, y)) for ids in members.values() for x in ids for y in ids if x != y)


# --------------------------------------------------------------------------- denials

_NEGATORS = {"no", "not", "n't", "never", "nothing", "nobody", "none", "without", "neither", "nor"}
_FALSE = {"false", "untrue", "baseless", "unfounded", "wrong", "lie", "nonsense"}
_CONTENT = {"NOUN", "PROPN", "VERB", "ADJ"}


@dataclass(frozen=True)
class Negation:
    """What one negation governs: the lemmas of its scope's content words, and its
    ``core``, the thing denied, which the other side must assert for a denial: the noun
    that "no" takes ("no report": report; "no plan to close": close), else the subject of
    the negated verb ("the wall was not damaged": wall), else the verb ("did not lock").
    ``core`` is None for negations without one ("nothing", "without")."""

    words: frozenset[str]
    core: str | None


def _denied_thing(word: Any) -> str:
    """A noun's clause stands for it ("no plan to close": close; "the claim that they were
    chained": chain)."""
    clause = next((c for c in word.children if c.dep_ == "acl" and c.pos_ == "VERB"), None)
    return (clause or word).lemma_.lower()


def _core(t: Any, scope: Any) -> str | None:
    if t.dep_ == "det" and t.head.pos_ in ("NOUN", "PROPN"):
        return _denied_thing(t.head)
    if t.dep_ == "neg" or t.lemma_.lower() in _FALSE:
        subject = next((c for c in scope.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None and subject.pos_ in ("NOUN", "PROPN"):
            return _denied_thing(subject)
        return scope.lemma_.lower() if scope.pos_ in _CONTENT and scope.lemma_.lower() not in ("be", "have") else None
    return None


def negations(text: str) -> tuple[Negation, ...]:
    """Each negation of ``text`` ("no plan to close any depot": plan, close, depot) and
    each call of something false ("the claim that they were chained is false")."""
    out = []
    for t in parse(text):
        if t.lower_ in _NEGATORS or (t.lemma_.lower() in _FALSE and t.dep_ in ("acomp", "attr")):
            scope = t.head  # "no" negates its noun's clause: "No exit ... was locked"
            if scope.pos_ in ("NOUN", "PROPN", "PRON") and scope.head.pos_ in ("VERB", "AUX"):
                scope = scope.head
            words = frozenset(w.lemma_.lower() for w in scope.subtree if w.pos_ in _CONTENT and not w.is_stop
                              and w.i != t.i) | measures(scope.subtree)
            out.append(Negation(words, _core(t, scope)))
    return tuple(out)


def negated_words(text: str) -> frozenset[str]:
    """Lemmas of the content words that a negation of ``text`` governs."""
    return frozenset().union(*(n.words for n in negations(text)))


def _asserted(text: str) -> set[str]:
    doc = parse(text)
    return {t.lemma_.lower() for t in doc if t.pos_ in _CONTENT and not t.is_stop} | measures(doc)


def measures(tokens: Any) -> frozenset[str]:
    """Figures with their unit noun ("40 minutes": "40 minute", "three weeks": "3 week"),
    read as one word: two statements giving one measure of one thing say it in common
    ("adds about 40 minutes to the journey" / "costs each lorry 40 minutes"), and a
    negation over it denies it ("Nobody ... believes three weeks" / "expects to reopen the
    road within three weeks"). People, homes and money are counts (``counts``), not measures."""
    out = set()
    for t in tokens:
        values = numbers_written(t.text) if t.like_num and t.dep_ == "nummod" and t.head.pos_ == "NOUN" else ()
        unit = t.head.lemma_.lower() if values else ""
        if len(values) == 1 and unit not in _PEOPLE and unit not in _HOMES and unit not in _MONEY:
            out.add(f"{next(iter(values)):g} {unit}")
    return frozenset(out)


def _denies(negated: Sequence[Negation], asserted: set[str]) -> bool:
    """A negation covers what the other side asserts: two words of its scope at least, as
    one in common can be chance ("the dam" in two claims about it), and its core ("the
    station building was not damaged" does not deny "repairing damage to the track
    outside the station")."""
    return any(len(n.words & asserted) >= 2 and (n.core is None or n.core in asserted) for n in negated)


def negates(a: Statement, b: Statement) -> bool:
    """One side negates what the other, not negated, asserts ("There is no plan to close
    any depot" / "the ministry was preparing to close three tram depots")."""
    return _negates(negations(a.text), negations(b.text), _asserted(a.text), _asserted(b.text))


def _negates(negated_a: Sequence[Negation], negated_b: Sequence[Negation], asserted_a: set[str],
             asserted_b: set[str]) -> bool:
    if bool(negated_a) == bool(negated_b):
        return False
    return _denies(negated_a, asserted_b) if negated_a else _denies(negated_b, asserted_a)


def negation_pairs(statements: Sequence[Statement], vectors: np.ndarray,
                   known: set[tuple[int, int]]) -> list[tuple[int, int, float]]:
    """(i, j, cosine) beyond the nearest neighbours, within one article, where one side
    negates what the other asserts: a denial is worded unlike what it denies ("There is no
    plan to close any depot" / "the ministry was preparing to close three tram depots":
    cosine 0.41), and reporters set the two side by side, or the reply right after the
    accusation (``answers_an_accusation``). Across articles, lexical overlap under a
    negation is too weak a link (hundreds of false denials in 48 PolNeAR articles)."""
    negated = [negations(s.text) for s in statements]
    asserted = [_asserted(s.text) for s in statements]
    n = len(statements)
    return [(i, j, float(vectors[i] @ vectors[j])) for i in range(n) for j in range(i + 1, n)
            if (i, j) not in known and statements[i].article_id == statements[j].article_id
            and (_negates(negated[i], negated[j], asserted[i], asserted[j])
                 or answers_an_accusation(statements[i], statements[j]))]


_ACCUSING_CUE = re.compile(r"\b(?:accus|alleg)", re.I)


def answers_an_accusation(a: Statement, b: Statement) -> bool:
    """One side accuses or alleges ("The union accused the port authority of hiring
    replacement crews"), and the next sentence of its article gives another speaker's
    negation ("'No outside labour has been brought in,' Gil Marrow said"): the reply
    reporters set after an accusation denies it in its own words, which share none with
    it. Only an accusation's cue (after "said" the next negation is as often about
    something else), and one that says what it alleges (three content words or more:
    "made these same allegations against the NRA in February" does not)."""
    for accusation, reply in ((a, b), (b, a)):
        if accusation.article_id == reply.article_id and reply.sentence_index == accusation.sentence_index + 1 \
                and accusation.cue and _ACCUSING_CUE.search(accusation.cue) and reply.speaker \
                and len(content_words(accusation.text)) >= 3 \
                and accusation.voice != reply.voice and negations(reply.text) and not negations(accusation.text):
            return True
    return False


# --------------------------------------------------------------------------- pairs

@dataclass
class PairScore:
    i: int
    j: int
    cosine: float
    entail: float      # the larger p(entailment) of the two directions
    contradict: float  # the larger p(contradiction) (shown, decides nothing)
    denial: bool       # one side denies the other: a reported denial or a negation of what it asserts
    figures: str | None = None  # "same" / "rival" / "differ": see ``figure_relation``
    agrees: bool = False  # both deny one thing (see ``deny_alike``)


# what reports a claim rather than makes it: "that ...", "his charge that ...", "claims that ..."
_REPORTED = re.compile(r"(?:(?:(?:his|her|its|their|the|a|an)\s+)?(?:%s)s?\s+)?that\s+"
                       % "|".join(sorted(_SAID_THINGS)))


def compared_text(s: Statement) -> str:
    """What the model and the encoder read: the claim's content, or the sentence with the
    one before it where the content cannot stand alone ("denied the claim", "this"); a
    content that opens as reported ("his charge that X", "that X") is read as X."""
    if len(content_words(s.text)) < 3:
        # too short to stand alone: a denial is read with what it denies, said just before it;
        # another short content with its own sentence, whose words say what "it" is
        return s.context if s.denial or len(content_words(s.sentence)) < 4 else s.sentence
    text = s.text.strip(_QUOTES)
    reported = _REPORTED.match(text)
    return text[reported.end():] if reported else s.text


def candidate_pairs(vectors: np.ndarray, config: CompareConfig) -> list[tuple[int, int, float]]:
    """(i, j, cosine), i < j: each statement's ``neighbours`` closest above ``pair_at``."""
    if len(vectors) < 2:
        return []
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, -1.0)
    pairs: dict[tuple[int, int], float] = {}
    depth = min(config.neighbours, len(vectors) - 1)
    for i, row in enumerate(similarity):
        for j in np.argpartition(-row, depth - 1)[:depth]:
            if row[j] >= config.pair_at:
                pairs[min(i, int(j)), max(i, int(j))] = float(row[j])
    return [(i, j, c) for (i, j), c in sorted(pairs.items())]


def deny_alike(a: Statement, b: Statement) -> bool:
    """Both deny one thing: a reported denial ("The company rejected that account", read
    with the sentence before it) and a negation of what it denies ("No fault was ever
    reported on that signal"), or two negations of one thing, each one's core within the
    other's scope ("No fault was reported" / "received no report of a fault")."""
    if a.denial != b.denial:
        denier, other = (a, b) if a.denial else (b, a)
        denied = compared_text(denier)  # what is denied must be an assertion: a denied negation asserts
        return not negations(denied) and _denies(negations(other.text), _asserted(denied))
    if a.denial:
        return False  # two reported denials: the model reads what each denies
    return any(len(x.words & y.words) >= 2 and x.core in y.words and y.core in x.words
               for x in negations(a.text) for y in negations(b.text))


def score_pairs(statements: Sequence[Statement], pairs: Sequence[tuple[int, int, float]], model: Any,
                config: CompareConfig) -> list[PairScore]:
    """Each candidate pair read by the consistency model both ways (figures are compared
    later: ``figure_pairs``). A denial ("Y denied the claim") read with the sentence before it, entailing
    the other side, denies it; so does a negation of what the other side asserts, unless
    the model finds the two the same claim ("No trams ran" / "the strike shut the trams").
    Two that deny one thing agree (``deny_alike``)."""
    texts = [compared_text(s) for s in statements]
    asked = [(texts[i], texts[j]) for i, j, _ in pairs] + [(texts[j], texts[i]) for i, j, _ in pairs]
    probabilities = model.probabilities(asked) if asked else np.zeros((0, 3))
    n = len(pairs)
    out = []
    for k, (i, j, cosine) in enumerate(pairs):
        forward, backward = probabilities[k], probabilities[n + k]
        a, b = statements[i], statements[j]
        entail = float(max(forward[0], backward[0]))
        contradict = float(max(forward[2], backward[2]))
        if a.denial != b.denial:  # what the denial's context states is what it denies
            through = float(forward[0] if a.denial else backward[0])
            denial, entail = through >= config.same_at, 0.0
        else:
            denial = entail < config.same_at and (negates(a, b) or answers_an_accusation(a, b))
        out.append(PairScore(i, j, cosine, entail, contradict, denial, None, not denial and deny_alike(a, b)))
    return out


def figure_pairs(figures: StoryFigures, vectors: np.ndarray, scores: list[PairScore]) -> list[PairScore]:
    """``scores`` with their figures compared, and the pairs the model is not asked about
    (not close enough) that give one figure, or rival figures, for one count: the encoder
    barely reads figures ("twelve bodies" / "the death toll at 12": cosine 0.2)."""
    for s in scores:
        s.figures = figures.relation(s.i, s.j)
    scored = {(s.i, s.j) for s in scores}
    out = list(scores)
    for x, i in enumerate(figures.holders):
        for j in figures.holders[x + 1:]:
            relation = None if (i, j) in scored else figures.relation(i, j)
            if relation:
                out.append(PairScore(i, j, float(vectors[i] @ vectors[j]), 0.0, 0.0, False, relation))
    return out


# --------------------------------------------------------------------------- groups

# "ruled out any increase" denies it, a cue that the checker's denials leave out
_REFUSING_CUE = re.compile(r"\brul(e|es|ed|ing) out\b", re.I)
_HEDGES = {"may", "might", "could", "perhaps", "possibly"}


def _stance(s: Statement) -> tuple[bool, bool]:
    """(negative, hedged): the statement denies or negates what it says, or only allows it
    ("may have to rise")."""
    refused = s.denial or bool(s.cue and _REFUSING_CUE.search(s.cue))
    return refused != bool(negations(s.text)), _hedged(s.text)


def _hedged(text: str) -> bool:
    return any(t.lower_ in _HEDGES for t in parse(text))


def one_line(a: Statement, b: Statement, topic: frozenset[str] = frozenset()) -> bool:
    """Two claims of one speaker that can be one line: the same stance (a speaker who rules
    out a rise, then says bills may rise, then that they will, has changed position), no
    two different days named (one on each side, none in common) and a
    content word in common beyond names, figures and the ``topic`` words (``topic_words``:
    "water" in "the boil-water notice could stay" and "water bills may rise")."""
    if not (a.speaker and b.speaker and same_speaker(a.speaker, b.speaker)) or _stance(a) != _stance(b):
        return False
    days_a, days_b = _days(a.text), _days(b.text)
    if days_a and days_b and not days_a & days_b:
        return False  # "back by Wednesday", then "by Thursday night": the line has changed
    return bool((_common_words(a.text) & _common_words(b.text)) - topic)


_WEEKDAYS = re.compile(r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b")


def _days(text: str) -> set[str]:
    return set(_WEEKDAYS.findall(text))


def topic_words(statements: Sequence[Statement], share: float) -> frozenset[str]:
    """Content words that more than ``share`` of the statements hold, and more than two:
    they say what the topic is, not what a claim says (a word two statements share can be
    what they say in common)."""
    held = Counter(w for s in statements for w in _common_words(s.text))
    return frozenset(w for w, n in held.items() if n > max(2.0, share * len(statements)))


def _common_words(text: str) -> set[str]:
    return {t.lemma_.lower() for t in parse(normal_figures(text)) if t.pos_ in ("NOUN", "VERB", "ADJ")
            and not t.is_stop and not t.like_num}


def margins(statements: Sequence[Statement], similarity: np.ndarray, neighbours: int) -> np.ndarray:
    """Each pair's cosine over the two statements' usual closeness: the mean cosine of each
    one's ``neighbours`` closest statements in other articles (the ratio margin of bitext
    mining). Reports of one event are all close to each other; two that say one thing in
    other words ("Services on the line will resume on Thursday" / "Trains will run on the
    line again from Thursday": cosine 0.59) stand out from the rest of their story."""
    n = len(statements)
    articles = np.array([s.article_id for s in statements])
    usual = np.zeros(n, dtype=np.float32)
    for i in range(n):
        others = similarity[i][articles != articles[i]]
        if len(others):
            k = min(neighbours, len(others))
            usual[i] = np.partition(others, len(others) - k)[-k:].mean()
    scale = (usual[:, None] + usual[None, :]) / 2
    return np.divide(similarity, scale, out=np.zeros_like(similarity), where=scale > 0)


def _links(cross: Sequence[tuple[int, int]], confirmed: Any, read: set[tuple[int, int]], share: float) -> bool:
    """Two groups join when more than ``share`` of the pairs across them are confirmed, or
    exactly that share and more than it of the pairs read (a pair neither read nor alike
    abstains): A-B and B-C confirmed, A-C too far apart to be read, make one group."""
    yes = sum(p in confirmed for p in cross)
    return yes > share * len(cross) or (yes >= share * len(cross) and yes > share * sum(p in read for p in cross))


def group_statements(statements: Sequence[Statement], scores: Sequence[PairScore], config: CompareConfig,
                     vectors: np.ndarray, linked: frozenset[frozenset[str]] = frozenset()) -> list[ClaimGroup]:
    """Average-link clustering of confirmed pairs: two clusters join, strongest pair first,
    when more than ``link_share`` of the pairs between them are confirmed, or that share
    and more of the pairs read (``_links``) (p(entailment) >= ``same_at``, cosine >=
    ``close_at``, a candidate's margin >= ``margin_at`` (``margins``), one figure for one
    count, one measure of a candidate pair with the same stance (``measures``), one
    thing denied, or one speaker's one line at cosine >= ``speaker_at``, in words beyond
    the topic's: ``one_line``) and none of them
    denies the other or gives other figures (rival or of another count). The model's
    entailment and one speaker's line count only within one story: one article, or two
    articles ``linked`` (``story_links``). A pair of which
    one only allows what it says ("may rise") is never confirmed. A reported denial is
    never confirmed by its closeness to another statement: it is read with what it denies.
    Singletons are left out; groups come largest first, each with its most central member
    as representative."""
    apart = {(s.i, s.j) for s in scores if s.denial or s.figures in ("rival", "differ")}
    similarity = vectors @ vectors.T if len(statements) else np.zeros((0, 0))
    def one_story(i: int, j: int) -> bool:
        a, b = statements[i].article_id, statements[j].article_id
        return a == b or frozenset((a, b)) in linked

    # across articles of two stories the model's entailment, and one speaker's words, are chance
    # ("Services on the line will resume on Thursday" entails "Talks ... will resume on Thursday");
    # one figure for one count, or one thing denied, is the firmest evidence: joined first
    strength = {(s.i, s.j): 1.0 + s.cosine if s.figures == "same" or s.agrees else max(s.entail, s.cosine)
                for s in scores if (s.entail >= config.same_at and one_story(s.i, s.j)) or s.figures == "same"
                or s.agrees}
    for i, j in zip(*np.nonzero(np.triu(similarity >= config.close_at, 1))):
        # a reported denial is read with what it denies: close to that, and its opposite
        if statements[i].denial == statements[j].denial:
            strength.setdefault((int(i), int(j)), float(similarity[i, j]))
    if config.speaker_at is not None:
        topic = topic_words(statements, config.topic_share)
        for i, j in zip(*np.nonzero(np.triu(similarity >= config.speaker_at, 1))):
            if one_story(int(i), int(j)) and one_line(statements[int(i)], statements[int(j)], topic):
                strength.setdefault((int(i), int(j)), float(similarity[i, j]))
    measured = [measures(parse(normal_figures(s.text))) for s in statements]
    # one measure of one thing in two articles ("adds about 40 minutes" / "costs 40 minutes"); within
    # one article a figure said again serves another claim ("Some 14 candidates" / "Out of 14 candidates, ...")
    for s in scores:
        if s.cosine >= config.pair_at and measured[s.i] & measured[s.j] \
                and statements[s.i].article_id != statements[s.j].article_id \
                and _stance(statements[s.i]) == _stance(statements[s.j]):
            strength.setdefault((s.i, s.j), float(similarity[s.i, s.j]))
    if config.margin_at is not None:
        margin = margins(statements, similarity, config.margin_neighbours)
        for s in scores:  # across articles; a reported denial is read with what it denies, as above
            a, b = statements[s.i], statements[s.j]
            if s.cosine >= config.pair_at and margin[s.i, s.j] >= config.margin_at \
                    and a.article_id != b.article_id and a.denial == b.denial:
                strength.setdefault((s.i, s.j), float(similarity[s.i, s.j]))
    # pairs with evidence either way; the rest (never read, not alike) abstain in a tie
    read = {(s.i, s.j) for s in scores if s.cosine >= config.pair_at} | set(strength)
    hedged = [_hedged(s.text) for s in statements]
    # "bills may have to rise" is not "bills will rise by 6 percent", whatever the model reads
    confirmed = {(i, j): v for (i, j), v in strength.items() if (i, j) not in apart and hedged[i] == hedged[j]}
    cluster = list(range(len(statements)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(statements))}
    for (i, j), _ in sorted(confirmed.items(), key=lambda item: -item[1]):
        if cluster[i] == cluster[j]:
            continue
        left, right = members[cluster[i]], members[cluster[j]]
        cross = [(min(x, y), max(x, y)) for x in left for y in right]
        if any(p in apart for p in cross) or not _links(cross, confirmed, read, config.link_share):
            continue
        keep, gone = cluster[i], cluster[j]
        for m in members[gone]:
            cluster[m] = keep
        members[keep] += members.pop(gone)
    groups = []
    for ids in members.values():
        if len(ids) < 2:
            continue
        ordered = sorted(ids, key=lambda i: (statements[i].published or "~", statements[i].article_id, statements[i].start))
        centre = vectors[ordered].mean(axis=0)
        representative = ordered[int(np.argmax(vectors[ordered] @ centre))]
        groups.append((ordered, representative))
    groups.sort(key=lambda g: (-len(g[0]), g[0][0]))
    return [ClaimGroup(f"g{n}", statements[rep], [statements[i] for i in ids])
            for n, (ids, rep) in enumerate(groups, start=1)]


# --------------------------------------------------------------------------- disagreements

def disagreement_kind(score: PairScore, a: Statement, b: Statement) -> str | None:
    """``figure`` (rival figures for one count) or ``denial`` (one side denies what the
    other asserts), else None. Two statements of one voice never disagree (a speaker who
    changes position is the timeline's business)."""
    if a.voice == b.voice or (a.speaker and b.speaker and same_speaker(a.speaker, b.speaker)):
        return None
    if score.figures == "rival":
        return FIGURE
    return DENIAL_KIND if score.denial else None


def find_disagreements(statements: Sequence[Statement], scores: Sequence[PairScore], groups: Sequence[ClaimGroup],
                       config: CompareConfig) -> list[Disagreement]:
    """One disagreement per pair of groups (a statement in no group stands for itself),
    the likeliest pair; figure disagreements first."""
    group_of = {m.key: g.id for g in groups for m in g.members}
    best: dict[tuple[str, str], Disagreement] = {}
    for s in scores:
        a, b = statements[s.i], statements[s.j]
        kind = disagreement_kind(s, a, b)
        if kind is None:
            continue
        ga, gb = group_of.get(a.key, _loose(a)), group_of.get(b.key, _loose(b))
        if ga == gb:
            continue
        if (b.published, b.source) < (a.published, a.source):
            a, b, ga, gb = b, a, gb, ga
        key = (min(ga, gb), max(ga, gb))
        found = Disagreement(kind, a, b, ga, gb, s.contradict if kind != FIGURE else s.cosine,
                             ([q.text for q in counts(a.text, a.sentence)], [q.text for q in counts(b.text, b.sentence)]))
        if key not in best or _rank(found) > _rank(best[key]):
            best[key] = found
    return sorted(best.values(), key=lambda d: (d.kind != FIGURE, -d.probability, d.a.published, d.a.article_id, d.a.start))


def _loose(s: Statement) -> str:
    return f"{s.article_id}:{s.start}"


def _rank(d: Disagreement) -> tuple[bool, float]:
    """Figures first (the clearest kind), then the likelier."""
    return d.kind == FIGURE, d.probability


# --------------------------------------------------------------------------- timeline

def timeline(statements: Sequence[Statement], groups: Sequence[ClaimGroup] = ()) -> list[TimelineEntry]:
    """Statements by date (undated last), then outlet and position."""
    group_of = {m.key: g.id for g in groups for m in g.members}
    ordered = sorted(statements, key=lambda s: (not s.published, s.published, s.source, s.article_id, s.start))
    return [TimelineEntry(s.published, s.source, s.speaker, s.text, s.article_id, s.title, s.url, s.start, s.end,
                          group_of.get(s.key)) for s in ordered]


# --------------------------------------------------------------------------- entry points

def compare_statements(query: str, statements: list[Statement], encode: Encode, model: Any,
                       config: CompareConfig) -> Comparison:
    """Groups, disagreements and timeline of ``statements``."""
    vectors = encode([compared_text(s) for s in statements]) if statements else np.zeros((0, 1), dtype=np.float32)
    pairs = candidate_pairs(vectors, config)
    pairs += negation_pairs(statements, vectors, {(i, j) for i, j, _ in pairs})
    scores = score_pairs(statements, pairs, model, config)
    linked = story_links(statements, scores, config)
    scores = figure_pairs(StoryFigures(statements, linked), vectors, scores)
    groups = group_statements(statements, scores, config, vectors, linked)
    return Comparison(query, statements, groups, find_disagreements(statements, scores, groups, config),
                      timeline(statements, groups))


def topic_statements(index: Any, topic: str, config: CompareConfig,
                     claims_of: Callable[[Sequence[Article]], list[list[Claim]]], **filters: Any) -> list[Statement]:
    """The statements of the sentences the index retrieves for ``topic``."""
    return hit_statements(index, index.search(topic, config.candidates, **filters), claims_of)


def hit_statements(index: Any, hits: Sequence[Any], claims_of: Callable[[Sequence[Article]], list[list[Claim]]]
                   ) -> list[Statement]:
    """The statements of retrieved sentences (``index.Hit``)."""
    wanted: dict[str, set[int]] = {}
    for hit in hits:
        wanted.setdefault(hit.article_id, set()).add(hit.sentence.index)
    articles = [a for a in (index.article(i) for i in wanted) if a is not None]
    return [s for a, claims in zip(articles, claims_of(articles)) for s in statements_of(a, claims, wanted[a.id])]


def speaker_statements(index: Any, name: str, config: CompareConfig,
                       claims_of: Callable[[Sequence[Article]], list[list[Claim]]], **filters: Any) -> list[Statement]:
    """Every claim the attribution engine gives to ``name`` in the articles that mention it."""
    hits = index.search(name, config.candidates, **filters)
    articles = [a for a in (index.article(i) for i in dict.fromkeys(h.article_id for h in hits)) if a is not None]
    return statements_by(name, articles, claims_of(articles))


def statements_by(name: str, articles: Sequence[Article], claims: Sequence[Sequence[Claim]]) -> list[Statement]:
    """The claims of ``articles`` whose resolved speaker can be ``name``."""
    found = []
    for article, article_claims in zip(articles, claims):
        mine = [c for c in article_claims if speaker_name(c) and same_speaker(name, speaker_name(c))]
        found.extend(statements_of(article, mine, {i for c in mine for i in c.sentence_ids}))
    return [s for s in found if s.speaker]


def compare_index(index: Any, query: str, config: CompareConfig | None = None, *, speaker: bool = False,
                  attribution: bool = True, model: Any = None,
                  claims_of: Callable[[Sequence[Article]], list[list[Claim]]] | None = None,
                  **filters: Any) -> Comparison:
    """``compare`` on an index: the topic's statements (or, with ``speaker``, the claims of
    the speaker named by ``query``), grouped, their disagreements and their timeline.
    ``filters``: the index's search filters (sources, date_from, date_to)."""
    from .consistency import load_consistency_model
    from .verify import engine_claims

    if not query.strip():
        raise AssistantError("empty topic" if not speaker else "empty speaker name")
    config = config or CompareConfig()
    claims_of = claims_of or (engine_claims if attribution else (lambda articles: [[] for _ in articles]))
    find = speaker_statements if speaker else topic_statements
    found = find(index, query, config, claims_of, **filters)
    return compare_statements(query, found, stored_encode(index, found), model or load_consistency_model(), config)


def stored_encode(index: Any, statements: Sequence[Statement]) -> Encode:
    """The index's encoder, which takes the vector the index holds for a statement that
    the encoder reads as its whole sentence (an outlet's own sentence) instead of encoding
    it again: encoding took about a third of a compare call on PolNeAR."""
    stored: dict[str, np.ndarray] = {}
    for article_id in dict.fromkeys(s.article_id for s in statements):
        whole = [s for s in statements if s.article_id == article_id and compared_text(s) == s.sentence]
        if whole:
            vectors = index.sentence_embeddings(article_id)  # one row a sentence, in the article's order
            stored.update((s.sentence, vectors[s.sentence_index]) for s in whole if s.sentence_index < len(vectors))

    def encode(texts: list[str]) -> np.ndarray:
        fresh = [t for t in dict.fromkeys(texts) if t not in stored]
        encoded = dict(zip(fresh, index.encode(fresh))) if fresh else {}
        return np.asarray([stored[t] if t in stored else encoded[t] for t in texts], dtype=np.float32)
    return encode
