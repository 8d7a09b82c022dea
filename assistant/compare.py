"""Comparing the coverage: the same claim across outlets and speakers, where they
disagree, and who said what when.

The units are **statements**: each attributed claim the attribution engine finds (its
content, with the resolved speaker), and each sentence that reports nobody (the outlet's
own voice). Every statement carries its article's outlet, date and URL and exact offsets.

* **Groups** (``group_statements``): candidate pairs are statements whose embeddings (the
  index's encoder) are close (``CompareConfig.pair_at``, at most ``neighbours`` a
  statement); a pair is the same claim when the consistency model finds that one entails
  the other (``same_at``), or when the two are very close (``close_at``), and they do not
  disagree. Groups join average-link and never join two statements that disagree or give
  different figures.
* **Disagreements** (``find_disagreements``): pairs from different voices that give rival
  figures for one count (the model, reading them with the figures made equal, finds them
  alike), or where one denies what the other asserts (a reported denial, or a
  contradiction with exactly one side negated). One disagreement is kept for each pair
  of groups, the likeliest.
* **Timeline** (``timeline``): statements by date, with outlet and speaker.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .check import DENIAL, premise_of, same_speaker, speaker_name
from .checks import Quantity, parse, quantities, same_count
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
    close_at: float = 0.6       # cosine at which a pair is the same claim unless it disagrees
    contradict_at: float = 0.5  # p(contradiction), either way, that makes a disagreement


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

def statements_of(article: Article, claims: Sequence[Claim], sentence_indices: set[int] | None = None) -> list[Statement]:
    """The article's claims (content, resolved speaker) and the sentences that report
    nobody, limited to ``sentence_indices`` when given; the headline is left out."""
    body = {s.index: s for s in article.body_sentences}
    wanted = set(body) if sentence_indices is None else set(sentence_indices) & set(body)
    out: list[Statement] = []
    reported: set[int] = set()

    def statement(sentence, start: int, end: int, claim: Claim | None) -> Statement:
        cue = claim.cue.text if claim is not None and claim.cue is not None else None
        denial = bool(cue and DENIAL.search(cue))
        return Statement(article.id, article.title, article.source, article.published, article.url,
                         sentence.index, start, end, article.text[start:end], speaker_name(claim),
                         claim.speaker_type if claim is not None else None, cue, sentence.text,
                         premise_of(article.sentences, sentence.index, always=denial), denial)

    for claim in claims:
        here = [i for i in claim.sentence_ids if i in body]
        reported.update(here)
        if not set(here) & wanted:
            continue
        out.append(statement(body[here[0]], claim.content.start, claim.content.end, claim))
    for index in sorted(wanted - reported):
        sentence = body[index]
        out.append(statement(sentence, sentence.start, sentence.end, None))
    return sorted(out, key=lambda s: (s.article_id, s.start))


# --------------------------------------------------------------------------- pairs

# "X says / Y denies": exactly one side is negated (or reports a denial)
_NEGATION = re.compile(r"\b(no|not|never|none|nothing|nobody|untrue|false|without)\b|n't\b", re.I)


def figures(text: str) -> list[Quantity]:
    """The numbers of ``text`` with what they count (dates and times left out)."""
    return quantities(parse(text))


# people under any name are counted as people ("12 people" / "15 workers")
_PEOPLE = {"people", "person", "worker", "resident", "civilian", "victim", "employee", "passenger", "child",
           "man", "woman", "member", "protester", "marcher", "student", "patient", "body", "colleague"}


def _counted(q: Quantity) -> str:
    return "people" if q.counted in _PEOPLE else q.counted


def rival_figures(a: str, b: str) -> tuple[Quantity, Quantity] | None:
    """Two figures, one of each text, that may be rival counts of one thing: they count
    the same thing (people under any name alike; the same event preferred, see
    ``same_count``) with different values, and the texts share no figure. The model
    decides whether they are about the same event (``score_pairs``)."""
    fa, fb = figures(a), figures(b)
    if {q.value for q in fa} & {q.value for q in fb}:
        return None
    alike = [(x, y) for x in fa for y in fb if _counted(x) and _counted(x) == _counted(y)]
    return next((p for p in alike if same_count(*p)), alike[0] if alike else None)


@dataclass
class PairScore:
    i: int
    j: int
    cosine: float
    entail: float      # the larger p(entailment) of the two directions
    contradict: float  # the larger p(contradiction)
    denial: bool       # one side reports a denial and reads as denying the other
    rival: bool        # rival figures for one count: the model, figures made equal, finds them alike


def compared_text(s: Statement) -> str:
    """What the model and the encoder read: the claim's content, or the sentence with the
    one before it where the content cannot stand alone ("denied the claim", "this")."""
    return s.context if s.denial or len(content_words(s.text)) < 3 else s.text


def _negated(s: Statement) -> bool:
    return s.denial or bool(_NEGATION.search(s.text))


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


def score_pairs(statements: Sequence[Statement], pairs: Sequence[tuple[int, int, float]], model: Any,
                config: CompareConfig) -> list[PairScore]:
    """Each candidate pair read by the consistency model both ways. Where the two give
    different figures for what may be one count, the model also reads them with the
    figures made equal: if they then agree, they are rival figures for the same count.
    A denial ("Y denied the claim") read with the sentence before it, entailing the other
    side, denies it."""
    texts = [compared_text(s) for s in statements]
    asked = [(texts[i], texts[j]) for i, j, _ in pairs] + [(texts[j], texts[i]) for i, j, _ in pairs]
    rivals = {}
    for k, (i, j, _) in enumerate(pairs):
        found = rival_figures(statements[i].text, statements[j].text)
        if found:  # b with a's figure in place of its own
            rivals[k] = len(asked)
            asked.append((texts[i], texts[j].replace(found[1].text, found[0].text, 1)))
    probabilities = model.probabilities(asked) if asked else np.zeros((0, 3))
    n = len(pairs)
    out = []
    for k, (i, j, cosine) in enumerate(pairs):
        forward, backward = probabilities[k], probabilities[n + k]
        a, b = statements[i], statements[j]
        entail = float(max(forward[0], backward[0]))
        contradict = float(max(forward[2], backward[2]))
        denial = False
        if a.denial != b.denial:  # what the denial's context states is what it denies
            through = float(forward[0] if a.denial else backward[0])
            denial, contradict, entail = through >= config.same_at, max(contradict, through), 0.0
        rival = k in rivals and float(probabilities[rivals[k]][0]) >= config.same_at
        out.append(PairScore(i, j, cosine, entail, contradict, denial, rival))
    return out


# --------------------------------------------------------------------------- groups

def group_statements(statements: Sequence[Statement], scores: Sequence[PairScore], config: CompareConfig,
                     vectors: np.ndarray) -> list[ClaimGroup]:
    """Average-link clustering of confirmed pairs: two clusters join, strongest pair first,
    when most of the pairs between them are confirmed (p(entailment) >= ``same_at``) and
    none of them contradicts, denies or gives a rival figure. Singletons are left out;
    groups come largest first, each with its most central member as representative."""
    confirmed: set[tuple[int, int]] = set()
    apart: set[tuple[int, int]] = set()
    for s in scores:
        a, b = statements[s.i], statements[s.j]
        if s.denial or s.rival or rival_figures(a.text, b.text) is not None or _denies(s, a, b, config):
            apart.add((s.i, s.j))
        elif (s.entail >= config.same_at and s.entail > s.contradict) or s.cosine >= config.close_at:
            confirmed.add((s.i, s.j))
    cluster = list(range(len(statements)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(statements))}
    for s in sorted(scores, key=lambda s: -s.entail):
        if (s.i, s.j) not in confirmed or cluster[s.i] == cluster[s.j]:
            continue
        left, right = members[cluster[s.i]], members[cluster[s.j]]
        cross = [(min(x, y), max(x, y)) for x in left for y in right]
        if any(p in apart for p in cross) or sum(p in confirmed for p in cross) * 2 < len(cross):
            continue
        keep, gone = cluster[s.i], cluster[s.j]
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

def disagreement_kind(score: PairScore, a: Statement, b: Statement, config: CompareConfig) -> str | None:
    """``figure`` (rival figures for one count) or ``denial`` (one side asserts, the other
    denies: a reported denial of it, or a contradiction where exactly one side is
    negated), else None. Two statements of one voice never disagree (a speaker who changes
    position is the timeline's business)."""
    if a.voice == b.voice or (a.speaker and b.speaker and same_speaker(a.speaker, b.speaker)):
        return None
    if score.rival:
        return FIGURE
    if score.denial or _denies(score, a, b, config):
        return DENIAL_KIND
    return None


def _denies(score: PairScore, a: Statement, b: Statement, config: CompareConfig) -> bool:
    """The model finds a contradiction where exactly one side is negated."""
    return score.contradict >= config.contradict_at and score.contradict > score.entail and _negated(a) != _negated(b)


def find_disagreements(statements: Sequence[Statement], scores: Sequence[PairScore], groups: Sequence[ClaimGroup],
                       config: CompareConfig) -> list[Disagreement]:
    """One disagreement per pair of groups (a statement in no group stands for itself),
    the likeliest pair; figure disagreements first."""
    group_of = {m.key: g.id for g in groups for m in g.members}
    best: dict[tuple[str, str], Disagreement] = {}
    for s in scores:
        a, b = statements[s.i], statements[s.j]
        kind = disagreement_kind(s, a, b, config)
        if kind is None:
            continue
        ga, gb = group_of.get(a.key, _loose(a)), group_of.get(b.key, _loose(b))
        if ga == gb:
            continue
        if (b.published, b.source) < (a.published, a.source):
            a, b, ga, gb = b, a, gb, ga
        key = (min(ga, gb), max(ga, gb))
        found = Disagreement(kind, a, b, ga, gb, s.contradict if kind != FIGURE else s.cosine,
                             ([q.text for q in figures(a.text)], [q.text for q in figures(b.text)]))
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
    scores = score_pairs(statements, candidate_pairs(vectors, config), model, config)
    groups = group_statements(statements, scores, config, vectors)
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
    return compare_statements(query, found, index.encode, model or load_consistency_model(), config)
