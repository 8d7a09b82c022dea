"""Answers to questions about the coverage, every sentence cited.

Retrieval is the index's hybrid search. A retrieved sentence counts as relevant when its
cosine similarity to the question (``Hit.dense_score``, the index's encoder) reaches
``RELEVANT_AT``; with no relevant sentence the answer is "The coverage does not say."

How ``RELEVANT_AT`` was calibrated (``benchmarks/calibrate_relevance.py`` reruns it): 16
questions written by hand about the bundled sample, 8 that it answers (about the Iraqi
prime minister's call with Blinken, the Ain al-Asad suspects, the Kamal Adwan hospital
evacuation, ...) and 8 that it does not (sport, cooking, health, geography, music, ...),
none of them used by the tests. With all-MiniLM-L6-v2 the best hit of every answerable
question scored 0.46-0.81 and of every unanswerable one 0.05-0.30 (the highest: a
population question that brushes a sentence giving Gaza's population); the threshold is
the middle of that gap, 0.38.

* Extractive (default): the best relevant sentences (within ``MARGIN`` of the best, at
  most ``MAX_SENTENCES``), duplicates merged, grouped by article and in article order,
  each cited [n] with its article title.
* Generated (with a generator): the generator answers from the numbered relevant
  sentences (their article titles listed apart); the answer is "The coverage does not
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

from .errors import AssistantError
from .generate import Generator, render_prompt
from .index import Hit, SentenceIndex
from .summarize import generated_sentences, kept_sentences
from .types import Article, Claim
from .verify import SUPPORTED, WEAK, Citation, Verifier
from .verify import engine_claims as cached_engine_claims

NO_COVERAGE = "The coverage does not say."
RELEVANT_AT = 0.38   # see the module docstring for how this was calibrated
MARGIN = 0.1         # extractive answers keep sentences this close to the best one
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
    sentences: list[AnswerSentence]
    sources: list[Citation]  # [n] refers to sources[n - 1]
    generator: str | None = None
    notes: list[str] = field(default_factory=list)
    generated_text: str | None = None  # the generator's output as it came

    @property
    def text(self) -> str:
        if not self.answered:
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


# --------------------------------------------------------------------------- extractive

def extractive_answer(question: str, hits: Sequence[Hit]) -> Answer:
    """The best relevant sentences, merged (one sentence, all its citations), grouped by
    article (best article first) and in article order."""
    relevant = sorted(relevant_hits(hits), key=lambda h: -(h.dense_score or 0.0))
    if not relevant:
        return Answer(question, False, "none", [], [])
    best = relevant[0].dense_score or 0.0
    kept = [h for h in relevant if (h.dense_score or 0.0) >= best - MARGIN]
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
                     verifier: Verifier) -> Answer:
    relevant = relevant_hits(hits)
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
                    consistency: Any = None) -> Answer:
    """Answer ``question`` from the ``k`` sentences the index retrieves for it; where the
    sources disagree, the answer says so and cites both (``consistency``: the model that
    judges it, by default the shipped one; without it, or without the attribution engine,
    the answer is given with a note)."""
    if not question.strip():
        raise AssistantError("empty question")
    if k < 1:
        raise AssistantError("-k must be at least 1")
    hits = index.search(question, k)
    said = said_question(question)
    notes = []
    if said:
        engine_claims = engine_claims or cached_engine_claims
        article_ids = list(dict.fromkeys(h.article_id for h in hits))
        articles = [a for a in (index.article(i) for i in article_ids) if a is not None]
        try:
            answer = claims_answer(question, said[0], said[1], articles, engine_claims(articles), index.encode)
        except AssistantError as exc:  # no attribution engine: answer from the sentences, and say so
            answer, notes = None, [f"attributed claims unavailable ({exc}); answered from retrieved sentences"]
        if answer is not None:
            if generator is not None:
                answer.notes.append(f"answered from the claims attributed to '{said[0]}'; "
                                    f"the generator is not used for 'What did X say' questions")
            return answer
        notes = notes or [f"no attributed claim by '{said[0]}' found; answered from retrieved sentences"]
    if generator is not None:
        answer = generated_answer(question, hits, generator, verifier or Verifier(index.encode))
    else:
        answer = extractive_answer(question, hits)
    answer.notes = notes + answer.notes
    if answer.answered:
        try:
            from .consistency import load_consistency_model

            answer = with_disagreements(answer, hits, index, engine_claims or cached_engine_claims,
                                        consistency or load_consistency_model())
        except AssistantError as exc:
            answer.notes.append(f"not checked for disagreeing sources ({exc})")
    return answer
