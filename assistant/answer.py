"""Answers to questions about the coverage, every sentence cited.

Retrieval is the index's hybrid search; the retrieved sentences, and the sentence after
each (``follow_on.py``: a figure often leaves what it is about to the sentence before), are
then re-ranked by the answerability model (``answerability.py``: does this sentence answer the question, or only
share its topic?); with ``AnswerabilityConfig.reader`` (off: no reader ships yet) the first
few are read again by the answer reader (``answer_reader.py``, a cross-encoder that reads
question and sentence together), whose judgement is joined with the lexical one. A question
is answered only from sentences so accepted (``AnswerabilityConfig.answer_at``). When none
does, the answer says so, and what the coverage says nearby, cited: "The coverage does not
say how many people watched the third debate (no retrieved sentence mentions “third”);
nearby it says: “...” [1]". A sentence is
"nearby" when its cosine similarity to the question (``Hit.dense_score``, the index's
encoder) reaches ``RELEVANT_AT``; below it the answer is just "The coverage does not say."

How ``RELEVANT_AT`` was calibrated (``benchmarks/calibrate_relevance.py`` reruns it): 16
questions written by hand about the bundled sample, 8 that it answers (about the Iraqi
prime minister's call with Blinken, the Ain al-Asad suspects, the Kamal Adwan hospital
evacuation, ...) and 8 that it does not (sport, cooking, health, geography, music, ...),
none of them used by the tests. With all-MiniLM-L6-v2 the best hit of every answerable
question scored 0.46-0.81 and of every unanswerable one 0.05-0.30 (the highest: a
population question that brushes a sentence giving Gaza's population); the threshold is
the middle of that gap, 0.38. It tells on-topic from off-topic, not answered from not.

* Extractive (default): the answering sentences (at most ``MAX_SENTENCES``, most likely
  first), duplicates merged, grouped by article and in article order, each cited [n] with
  its article title.
* Generated (with a generator): the generator answers from the numbered answering and
  relevant sentences (their article titles listed apart); the answer is "The coverage does not
  say." only when that is all it writes, and repeated or cut-off sentences are dropped
  (``summarize.kept_sentences``). Each answer sentence keeps the [n] it cites, or when it
  cites nothing (or cites a number that is not a source) it is flagged and aligned to the
  sources by similarity, so every sentence carries at least one citation that resolves to
  a retrieved sentence. The verifier labels each sentence's support.
* "What did X say (about Y)?": answered from the claims the attribution engine finds in
  the retrieved articles whose speaker matches X, most relevant to Y first, with or
  without a generator (a note says so when one was given).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from .answer_reader import AnswerReader, load_answer_reader
from .answerability import (RELEVANT_AT, AnswerabilityConfig, AnswerabilityModel, Candidate, context_of,
                            embedded_question, lead_of, load_answerability_model, missing_asked, missing_specifics,
                            parse_question)
from .errors import AssistantError
from .follow_on import following_sentences
from .generate import Generator, render_prompt
from .headlines import weigh_down_headlines
from .index import Hit, SentenceIndex
from .summarize import generated_sentences, kept_sentences
from .types import Article, Claim
from .verify import SUPPORTED, WEAK, Citation, Verifier
from .verify import engine_claims as cached_engine_claims

NO_COVERAGE = "The coverage does not say."
MAX_SENTENCES = 3
MAX_CLAIMS = 4

_SAID_QUESTION = re.compile(
    r"^\s*(?:what|how)\s+(?:did|does|do|has|have|had)\s+(?P<speaker>.+?)\s+"
    r"(?:say|said|says|claim|claimed|state|stated|tell|told|think|thought|announce|announced|argue|argued)"
    r"(?:\s+(?:about|on|regarding|of|concerning)\s+(?P<topic>.+?))?\s*\??\s*$", re.IGNORECASE)
_MARKERS = re.compile(r"\[\s*(\d+(?:\s*[,;]\s*\d+)*)\s*\]")


@dataclass
class AnswerSentence:
    text: str
    sources: list[int]  # numbers [n] into Answer.sources (1-based)
    support: str = SUPPORTED
    issues: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)  # the verifier's, for generated sentences


@dataclass
class Answer:
    question: str
    answered: bool
    method: str  # "extractive" | "generated" | "claims" | "none"
    sentences: list[AnswerSentence]  # unanswered: what the coverage says nearby, if anything
    sources: list[Citation]  # [n] refers to sources[n - 1]
    generator: str | None = None
    notes: list[str] = field(default_factory=list)
    generated_text: str | None = None  # the generator's output as it came

    @property
    def text(self) -> str:
        if not self.answered and not self.sentences:
            return NO_COVERAGE
        return " ".join(f"{s.text} " + "".join(f"[{n}]" for n in s.sources) for s in self.sentences)

    def to_dict(self) -> dict[str, Any]:
        return {"question": self.question, "answer": self.text, **asdict(self)}


def said_question(question: str) -> tuple[str, str | None] | None:
    """(speaker, topic) for "What did X say (about Y)?", else None."""
    match = _SAID_QUESTION.match(question)
    if not match:
        return None
    return match["speaker"].strip(), (match["topic"] or "").strip() or None


def relevant_hits(hits: Sequence[Hit], threshold: float = RELEVANT_AT) -> list[Hit]:
    return [h for h in hits if (h.dense_score or 0.0) >= threshold]


@dataclass
class ScoredHit:
    hit: Hit
    answers: float  # p(the sentence answers the question), the answerability model's


def _context(index: SentenceIndex | None, hit: Hit) -> str:
    """The article's title and the sentence (or two) before the hit (``context_of``: what
    "she", "the poll" refer to)."""
    article = index.article(hit.article_id) if index is not None else None
    return context_of(article, hit.sentence.index) if article else hit.article_title


def candidate_of(index: SentenceIndex | None, hit: Hit) -> Candidate:
    """The hit as the answerability model reads it, with its article around it."""
    article = index.article(hit.article_id) if index is not None else None
    headline = bool(article and article.body_start > 0 and hit.sentence.end <= article.body_start)
    return Candidate(hit.sentence.text, _context(index, hit), article.text if article else "",
                     hit.dense_score or 0.0, headline, hit.article_title, lead_of(article) if article else "")


def score_hits(question: str, hits: Sequence[Hit], index: SentenceIndex | None,
               model: AnswerabilityModel) -> list[ScoredHit]:
    """The hits re-ranked by how likely each answers the question (the retrieval order breaks ties)."""
    p = model.score(question, [candidate_of(index, h) for h in hits])
    order = sorted(range(len(hits)), key=lambda i: -p[i])
    return [ScoredHit(hits[i], float(p[i])) for i in order]


def read_hits(question: str, scored: Sequence[ScoredHit], index: SentenceIndex | None,
              reader: AnswerReader) -> list[ScoredHit]:
    """``scored`` (the lexical model's) scored again by the answer reader, which reads each
    question and sentence together and joins its judgement with the lexical one; re-ranked."""
    p = reader.score(question, [candidate_of(index, s.hit) for s in scored], np.array([s.answers for s in scored]))
    order = sorted(range(len(scored)), key=lambda i: -p[i])
    return [ScoredHit(scored[i].hit, float(p[i])) for i in order]


# --------------------------------------------------------------------------- extractive

def extractive_answer(question: str, scored: Sequence[ScoredHit], config: AnswerabilityConfig = AnswerabilityConfig(),
                      index: SentenceIndex | None = None) -> Answer:
    """The answering sentences, merged (one sentence, all its citations), grouped by
    article (best article first) and in article order; none: ``declined_answer``."""
    kept = [s.hit for s in sorted(scored, key=lambda s: -s.answers) if s.answers >= config.answer_at]
    if not kept:
        return declined_answer(question, scored, config, index)
    merged: dict[str, list[Hit]] = {}
    for hit in kept:
        key = " ".join(hit.sentence.text.split())
        if key in merged or len(merged) < MAX_SENTENCES:
            merged.setdefault(key, []).append(hit)
    article_rank = {h.article_id: r for r, h in reversed(list(enumerate(kept)))}
    groups = sorted(merged.values(), key=lambda g: (article_rank[g[0].article_id], g[0].sentence.index))
    sources: list[Citation] = []
    sentences = []
    for group in groups:
        numbers = []
        for hit in group:
            sources.append(Citation.of_hit(hit))
            numbers.append(len(sources))
        sentences.append(AnswerSentence(group[0].sentence.text, numbers))
    return Answer(question, True, "extractive", sentences, sources)


def declined_answer(question: str, scored: Sequence[ScoredHit], config: AnswerabilityConfig = AnswerabilityConfig(),
                    index: SentenceIndex | None = None) -> Answer:
    """No retrieved sentence answers: say so, and what the coverage says nearby (the on-topic
    sentence most likely to answer), cited, naming the question's terms (names, figures,
    ordinals) that no retrieved sentence mentions, or where it mentions them all, what is asked
    about that none does ("homicides" asked of sentences about shootings). Nothing on topic: ``NO_COVERAGE``."""
    nearby = [s for s in scored if (s.hit.dense_score or 0.0) >= config.nearby_at]
    if not nearby:
        return Answer(question, False, "none", [], [])
    best = max(nearby, key=lambda s: (s.answers, s.hit.dense_score or 0.0)).hit
    parsed = parse_question(question)
    read = [f"{s.hit.sentence.text} {_context(index, s.hit)}" for s in scored]
    missing = missing_specifics(parsed, read) or missing_asked(parsed, read)  # the names first: the crisper reason
    clause = embedded_question(question)
    head = f"The coverage does not say {clause}" if clause else f"The coverage does not answer “{question.strip()}”"
    if missing:
        head += f" (no retrieved sentence mentions {', '.join(f'“{m}”' for m in missing)})"
    text = f"{head}; nearby it says: “{' '.join(best.sentence.text.split())}”"
    return Answer(question, False, "none", [AnswerSentence(text, [1])], [Citation.of_hit(best)])


# --------------------------------------------------------------------------- generated

_MARKERS_AFTER_STOP = re.compile(r"([.!?])((?:\s*\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\])+)")


def _split_cited(output: str) -> list[tuple[str, list[int]]]:
    """Generated sentences with the [n] markers they carry (markers removed from the
    text). Markers written after a full stop ("... Gaza. [2]") are first moved before it,
    so that the sentence splitter keeps them with their sentence."""
    output = _MARKERS_AFTER_STOP.sub(lambda m: " " + m.group(2).strip() + m.group(1), output)
    pieces: list[tuple[str, list[int]]] = []
    for sentence in generated_sentences(output):
        numbers = [int(n) for m in _MARKERS.findall(sentence) for n in re.split(r"[,;]", m)]
        text = " ".join(_MARKERS.sub("", sentence).split())
        text = re.sub(r"\s+([.,;:!?])", r"\1", text)
        if re.search(r"\w", text):
            pieces.append((text, numbers))
    return pieces


def _is_refusal(sentence: str) -> bool:
    return NO_COVERAGE.casefold().rstrip(".") in sentence.casefold()


def _answer_prompt(question: str, sources: Sequence[Citation]) -> str:
    """The answer prompt: the numbered source sentences, and apart from them which article
    each comes from (a title leading each sentence was copied into answers as if it were one)."""
    numbered = "\n".join(f"[{n}] {c.text}" for n, c in enumerate(sources, 1))
    by_title: dict[str, list[str]] = {}
    for n, c in enumerate(sources, 1):
        by_title.setdefault(c.article_title or c.article_id, []).append(f"[{n}]")
    articles = "\n".join(f"{', '.join(numbers)}: {title}" for title, numbers in by_title.items())
    return render_prompt("answer", question=question, sources=numbered, articles=articles)


def generated_answer(question: str, hits: Sequence[Hit], generator: Generator,
                     verifier: Verifier, answering: Sequence[Hit] = ()) -> Answer:
    """The generator's answer from the ``answering`` hits and the other relevant ones."""
    relevant = list(answering) + [h for h in relevant_hits(hits) if h not in answering]
    if not relevant:
        return Answer(question, False, "none", [], [], generator=generator.name)
    sources = [Citation.of_hit(h) for h in relevant]
    completion = generator.complete([_answer_prompt(question, sources)])[0]
    output = completion.text
    pieces = _split_cited(output)
    kept, notes = kept_sentences([t for t, _ in pieces], completion.cut_off)
    pieces = [pieces[i] for i in kept]
    answered = [p for p in pieces if not _is_refusal(p[0])]
    if not answered:
        refused = len(pieces) > len(answered)
        notes.append("the generator found no answer in the sources" if refused else "the generator produced no text")
        return Answer(question, False, "generated", [], sources, generator=generator.name,
                      notes=notes, generated_text=output)
    if len(answered) < len(pieces):
        notes.append(f"the generator also wrote \"{NO_COVERAGE}\"; left out, as other sentences answer")
    pieces = answered
    cited: list[list[int] | None] = []
    extra_issues: list[list[str]] = []
    for _, numbers in pieces:
        valid = [n - 1 for n in numbers if 1 <= n <= len(sources)]
        invalid = [n for n in numbers if not 1 <= n <= len(sources)]
        issues = [f"cites [{n}], which is not a retrieved source" for n in invalid]
        if not valid:
            issues.append("the generator cited no source: citations found by similarity")
        cited.append(valid or None)
        extra_issues.append(issues)
    embeddings = verifier.encode([c.text for c in sources])
    verdicts = verifier.verify([t for t, _ in pieces], sources, embeddings, cited)
    sentences = []
    for (text, _), verdict, issues in zip(pieces, verdicts, extra_issues):
        numbers = [sources.index(c) + 1 for c in verdict.citations]
        support = WEAK if issues and verdict.support == SUPPORTED else verdict.support
        sentences.append(AnswerSentence(text, numbers, support, issues + verdict.issues, verdict.scores))
    return Answer(question, True, "generated", sentences, sources,
                  generator=generator.name, notes=notes, generated_text=output)


# --------------------------------------------------------------------------- said questions

def _speaker_matches(claim: Claim, speaker: str) -> bool:
    """Whether the claim is by the asked speaker, as a whole resolved name ("the State
    Department" is not "the Department of Transportation"); a claim whose speaker no rule
    resolved is matched on its speaker as written, unless that is a bare pronoun."""
    from .attribution.speakers import is_pronoun, same_speaker

    written = claim.speaker.text if claim.speaker else ""
    name = claim.speaker_resolved or (written if written and not is_pronoun(written) else None)
    return same_speaker(speaker, name)


def claims_answer(question: str, speaker: str, topic: str | None, articles: Sequence[Article],
                  claims: Sequence[Sequence[Claim]], encode: Callable[[list[str]], np.ndarray]) -> Answer | None:
    """The speaker's claims in ``articles``, most relevant to ``topic`` first; None when
    the speaker has no claim there (or none relevant to the topic)."""
    found = [(a, c) for a, cs in zip(articles, claims) for c in cs if _speaker_matches(c, speaker)]
    if not found:
        return None
    if topic:
        vectors = encode([topic] + [c.content.text for _, c in found])
        scores = vectors[1:] @ vectors[0]
        found = [f for f, s in sorted(zip(found, scores), key=lambda x: -x[1]) if s >= RELEVANT_AT]
        if not found:
            return None
    sources, sentences = [], []
    for article, claim in found[:MAX_CLAIMS]:
        name = claim.speaker_resolved or (claim.speaker.text if claim.speaker else speaker)
        cue = claim.cue.text if claim.cue else "said"
        sentence_index = claim.sentence_ids[0] if claim.sentence_ids else -1
        sources.append(Citation.of_span(article, sentence_index, claim.content.start, claim.content.end))
        sentences.append(AnswerSentence(f"{name} ({cue}): {claim.content.text}", [len(sources)]))
    return Answer(question, True, "claims", sentences, sources)


# --------------------------------------------------------------------------- entry point

_PRONOUNS = {"he", "she", "they", "it", "we", "you", "them", "him", "her", "i"}


def unknown_speaker_note(speaker: str) -> str:
    """What to tell the reader when no claim by ``speaker`` is found: for a pronoun, ask
    whom it means (a question stands alone, without the conversation before it)."""
    if speaker.strip().casefold() in _PRONOUNS:
        return f"Who do you mean by '{speaker.strip()}'? Ask again with their name, e.g. 'What did <name> say?'"
    return (f"Nothing said by '{speaker.strip()}' was found in the coverage; here are the sentences that match "
            f"the question best.")


MAX_DISAGREEMENTS = 2  # shown at the head of an answer


def with_disagreements(answer: Answer, hits: Sequence[Hit], index: SentenceIndex,
                       engine_claims: Callable[[Sequence[Article]], list[list[Claim]]], model: Any) -> Answer:
    """When the relevant sources disagree (``compare``: rival figures, one says and another
    denies), the answer says so first and cites both sides."""
    from .compare import CompareConfig, compare_statements, hit_statements

    statements = hit_statements(index, relevant_hits(hits), engine_claims)
    found = compare_statements("", statements, index.encode, model, CompareConfig()).disagreements
    if not found:
        return answer
    lines = []
    for d in found[:MAX_DISAGREEMENTS]:
        numbers = []
        for s in (d.a, d.b):
            known = [n for n, c in enumerate(answer.sources, 1) if c.article_id == s.article_id
                     and c.start <= s.start and s.end <= c.end]
            if not known:
                answer.sources.append(Citation.of_span(index.article(s.article_id), s.sentence_index, s.start, s.end))
                known = [len(answer.sources)]
            numbers.append(known[0])
        a, b = d.a, d.b
        lines.append(AnswerSentence(f"The sources disagree: {_voice(a)} says “{a.text}”, while {_voice(b)} says "
                                    f"“{b.text}”.", numbers))
    answer.sentences[:0] = lines
    answer.notes.append("the sources disagree; both sides are cited")
    return answer


def _voice(s: Any) -> str:
    """Who makes a statement, with outlet and date."""
    where = ", ".join(v for v in (s.source, s.published) if v)
    return f"{s.speaker or 'the outlet'}" + (f" ({where})" if where else "")


def answer_question(question: str, index: SentenceIndex, k: int = 8, *,
                    generator: Generator | None = None, verifier: Verifier | None = None,
                    engine_claims: Callable[[Sequence[Article]], list[list[Claim]]] | None = None,
                    consistency: Any = None, answerability: AnswerabilityModel | None = None,
                    reader: AnswerReader | None = None, config: AnswerabilityConfig | None = None,
                    disagreements: bool = True) -> Answer:
    """Answer ``question`` from the ``k`` sentences the index retrieves for it (re-ranked by
    answerability from ``config.rerank_depth`` when ``config.rerank``), from those that
    answer it; where the sources disagree, the answer says so and cites both
    (``consistency``: the model that judges it, by default the shipped one; without it, or
    without the attribution engine, the answer is given with a note; ``disagreements=False``
    skips that check)."""
    if not question.strip():
        raise AssistantError("empty question")
    if k < 1:
        raise AssistantError("-k must be at least 1")
    config = config or AnswerabilityConfig()
    hits = weigh_down_headlines(index.search(question, max(k, config.rerank_depth) if config.rerank else k), index)
    said = said_question(question)
    notes = []
    if said:
        engine_claims = engine_claims or cached_engine_claims
        article_ids = list(dict.fromkeys(h.article_id for h in hits[:k]))
        articles = [a for a in (index.article(i) for i in article_ids) if a is not None]
        try:
            answer = claims_answer(question, said[0], said[1], articles, engine_claims(articles), index.encode)
        except AssistantError as exc:  # no attribution engine: answer from the sentences, and say so
            answer, notes = None, [f"Who said what could not be worked out ({exc}); here are the sentences "
                                   f"that match the question best."]
        if answer is not None:
            if generator is not None:
                answer.notes.append(f"answered from the claims attributed to '{said[0]}'; "
                                    f"the generator is not used for 'What did X say' questions")
            return answer
        notes = notes or [unknown_speaker_note(said[0])]
    if config.rerank:
        hits = following_sentences(question, hits, index, config.follow_depth)
    scored = score_hits(question, hits, index, answerability or load_answerability_model())
    if config.rerank:
        scored, hits = scored[:k], [s.hit for s in scored[:k]]
    if config.reader:
        try:
            scored = read_hits(question, scored[:config.read_depth], index, reader or load_answer_reader())
        except AssistantError as exc:  # no reader: the lexical model's judgement alone, and say so
            notes.append(f"answered by the lexical answerability model alone ({exc})")
    answering = [s.hit for s in scored if s.answers >= config.answer_at]
    if generator is not None and answering:
        answer = generated_answer(question, hits, generator, verifier or Verifier(index.encode), answering)
    else:
        answer = extractive_answer(question, scored, config, index)
    answer.notes = notes + answer.notes
    if answer.answered and disagreements:
        try:
            from .consistency import load_consistency_model

            answer = with_disagreements(answer, hits, index, engine_claims or cached_engine_claims,
                                        consistency or load_consistency_model())
        except AssistantError as exc:
            answer.notes.append(f"not checked for disagreeing sources ({exc})")
    return answer
