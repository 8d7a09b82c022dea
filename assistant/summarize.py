"""Per-article summaries in which every sentence cites the source sentences it rests on.

* Extractive (default): the N most central, mutually non-redundant body sentences, chosen
  by maximal marginal relevance over sentence embeddings, with the lead bias of news
  writing (early sentences carry the story); the headline is never picked, nor a sentence
  that opens on a bare pronoun ("It said ...") while enough others remain. Each sentence
  cites itself.
* Abstractive (with a :class:`~assistant.generate.Generator`): the generator writes the
  summary; repeated sentences, an unfinished last sentence (output cut off at the token
  limit) and sentences beyond N are dropped, with a note; each remaining sentence is
  aligned to its supporting source sentences and labelled by
  :class:`~assistant.verify.Verifier`. Flagged sentences stay in the output.
* Generated claim lists: the generator lists "speaker: claim" items (or "speaker said
  claim"), each matched to a claim of the attribution engine (with its spans) or flagged
  unverified.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from .corpus import split_sentences
from .generate import Generator, render_prompt
from .types import Article, Claim, Sentence
from .verify import SUPPORTED, SUPPORTED_AT, Citation, Verifier, content_words, grounding_issues
from .verify import engine_claims as cached_engine_claims

LEAD_WEIGHT = 0.3      # share of a sentence's relevance that comes from its position
MMR_LAMBDA = 0.7       # relevance vs. novelty in maximal marginal relevance
REDUNDANT_AT = 0.85    # cosine above which two sentences say the same thing
MIN_WORDS = 5          # shorter body sentences (datelines, bylines) are not candidates
CLAIM_CANDIDATES = 3   # engine claims (the most similar) the consistency model reads per generated claim

# a sentence that opens on a bare pronoun ("It said Hamas used the place...") does not say
# who out of its article: such sentences are picked only when too few others remain
_PRONOUN_START = re.compile(r"^\W*(?:it|he|she|they|we|its|his|her|their)\b", re.IGNORECASE)

Embed = Callable[[Article], np.ndarray]
Encode = Callable[[list[str]], np.ndarray]


@dataclass
class SummarySentence:
    text: str
    citations: list[Citation]
    support: str = SUPPORTED
    issues: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)  # the verifier's, for generated sentences


@dataclass
class ClaimCheck:
    """A "speaker: claim" item from the generator and the engine claim it matches."""

    speaker: str
    claim: str
    status: str  # "verified" | "unverified"
    matched: dict[str, Any] | None = None  # the engine claim, in the claims JSONL format
    citation: Citation | None = None
    similarity: float = 0.0  # cosine to the matched claim's content
    issues: list[str] = field(default_factory=list)
    entailment: float = 0.0  # p(entailment) of the claim given the matched claim's sentences


@dataclass
class Summary:
    article_id: str
    title: str
    method: str  # "extractive" | "abstractive"
    sentences: list[SummarySentence]
    generator: str | None = None
    claims: list[ClaimCheck] | None = None
    notes: list[str] = field(default_factory=list)
    generated_text: str | None = None  # the generator's output as it came

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def default_encode(texts: list[str]) -> np.ndarray:
    """L2-normalised embeddings from the default encoder."""
    from .models import load_encoder

    return np.asarray(load_encoder().encode(texts, normalize_embeddings=True, show_progress_bar=False))


def encoder_embed(encode: Encode = default_encode) -> Embed:
    """Embeddings of every sentence of an article (row i = sentence i)."""
    return lambda article: encode([s.text for s in article.sentences])


# --------------------------------------------------------------------------- extractive

def extractive_sentences(article: Article, embeddings: np.ndarray, n: int = 3) -> list[Sentence]:
    """The ``n`` sentences of the summary, in article order (see the module docstring)."""
    body = article.body_sentences or article.sentences
    candidates = [s for s in body if len(s.text.split()) >= MIN_WORDS] or body
    standalone = [s for s in candidates if not _PRONOUN_START.match(s.text)]
    if len(standalone) >= n:
        candidates = standalone
    if not candidates or n < 1:
        return []
    vectors = embeddings[[s.index for s in candidates]]
    similarity = vectors @ vectors.T
    count = len(candidates)
    centrality = (similarity.sum(1) - 1) / max(count - 1, 1)
    spread = centrality.max() - centrality.min()
    centrality = (centrality - centrality.min()) / spread if spread > 0 else np.ones(count)
    position = np.array([body.index(s) for s in candidates], dtype=float)
    lead = 1 - position / max(len(body), 1)
    relevance = (1 - LEAD_WEIGHT) * centrality + LEAD_WEIGHT * lead
    chosen: list[int] = []
    while len(chosen) < min(n, count):
        best, best_score = None, -np.inf
        for i in range(count):
            if i in chosen:
                continue
            overlap = max((similarity[i, j] for j in chosen), default=0.0)
            if overlap > REDUNDANT_AT:
                continue
            score = MMR_LAMBDA * relevance[i] - (1 - MMR_LAMBDA) * overlap
            if score > best_score:
                best, best_score = i, score
        if best is None:
            break
        chosen.append(best)
    return sorted((candidates[i] for i in chosen), key=lambda s: s.index)


def extractive_summary(article: Article, embeddings: np.ndarray, n: int = 3) -> Summary:
    sentences = [SummarySentence(s.text, [Citation.of(article, s)])
                 for s in extractive_sentences(article, embeddings, n)]
    notes = [] if sentences else ["the article has no body sentences to summarise"]
    return Summary(article.id, article.title, "extractive", sentences, notes=notes)


# --------------------------------------------------------------------------- abstractive

_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_FINISHED = re.compile(r"[.!?…][\"'”’)\]]*$")


def generated_sentences(output: str) -> list[str]:
    """Sentences of generated text, list markers removed."""
    lines = (_BULLET.sub("", line) for line in output.splitlines())
    text = "\n".join(line for line in lines if line.strip())
    return [s.text for s in split_sentences(text)]


def kept_sentences(texts: Sequence[str], cut_off: bool, limit: int | None = None) -> tuple[list[int], list[str]]:
    """Which generated sentences to keep (indices into ``texts``) and a note for each kind
    dropped: the unfinished last sentence of an output that was cut off at the token
    limit, exact repeats of an earlier sentence, and any beyond ``limit``."""
    kept = list(range(len(texts)))
    notes = []
    if cut_off and texts and not _FINISHED.search(texts[-1]):
        kept.pop()
        notes.append("the generator reached its token limit; its unfinished last sentence was dropped")
    seen: set[str] = set()
    unique = []
    for i in kept:
        key = " ".join(re.findall(r"\w+", texts[i].casefold()))
        if key not in seen:
            seen.add(key)
            unique.append(i)
    if len(unique) < len(kept):
        notes.append(f"{len(kept) - len(unique)} repeated sentence(s) dropped")
    if limit is not None and len(unique) > limit:
        notes.append(f"the generator wrote {len(unique)} sentences; the first {limit} are kept")
        unique = unique[:limit]
    return unique, notes


def _source_text(article: Article) -> str:
    return article.text[article.body_start:].strip() or article.text


def abstractive_summaries(articles: Sequence[Article], generator: Generator, verifier: Verifier,
                          embed: Embed, n: int = 3, progress: bool = False) -> list[Summary]:
    """One generated, verified summary of at most ``n`` sentences per article (prompts
    decoded in batches)."""
    prompts = [render_prompt("summarize", n=n, title=a.title, text=_source_text(a)) for a in articles]
    completions = generator.complete(prompts, progress=progress)
    summaries = []
    for article, completion in zip(articles, completions):
        texts = generated_sentences(completion.text)
        kept, notes = kept_sentences(texts, completion.cut_off, n)
        texts = [texts[i] for i in kept]
        candidates = [Citation.of(article, s) for s in article.sentences]
        verdicts = verifier.verify(texts, candidates, embed(article))
        sentences = [SummarySentence(t, v.citations, v.support, v.issues, v.scores) for t, v in zip(texts, verdicts)]
        notes += [] if sentences else ["the generator produced no text"]
        summaries.append(Summary(article.id, article.title, "abstractive", sentences,
                                 generator=generator.name, notes=notes, generated_text=completion.text))
    return summaries


# --------------------------------------------------------------------------- claim lists

_CLAIM_LINE = re.compile(r"^(?P<speaker>[^:]{1,80}?)\s*:\s*(?P<claim>.+)$")
_ACCORDING_LINE = re.compile(r"^according to (?P<speaker>[^,]{1,80}),\s*(?P<claim>.+)$", re.IGNORECASE)
_IRREGULAR_FORMS = {"say": ["said"], "tell": ["told"], "think": ["thought"], "write": ["wrote"],
                    "swear": ["swore"], "feel": ["felt"]}
MAX_SPEAKER_WORDS = 8  # a longer "speaker" is a sentence that merely contains a reporting verb


@lru_cache(maxsize=1)
def _said_line() -> re.Pattern[str]:
    """"X said (that) ...", "X, in a call, reiterated ...": the form small models write
    despite the prompt, with any inflection of the attribution engine's reporting verbs;
    the speaker is what comes before the verb and any aside between commas (not before a
    passive: "X was accused of ...")."""
    from .attribution.cues import REPORTING_VERBS

    forms = set()
    for verb in REPORTING_VERBS:
        forms |= {verb, verb + "s", verb + "es", verb + "d", verb + "ed", verb + verb[-1] + "ed",
                  verb[:-1] + "ied", verb[:-1] + "ies", *_IRREGULAR_FORMS.get(verb, [])}
    alternation = "|".join(sorted(forms, key=len, reverse=True))
    return re.compile(rf"^(?P<speaker>[^:;,\"“]{{1,80}}?)(?:,[^:;\"“]{{1,120}}?,)?"
                      rf"(?<!\sbeen)(?<!\swas)(?<!\swere)(?<!\sis)(?<!\sare)\s+(?:{alternation})\b"
                      rf"(?:\s+that)?[\s,:]+(?P<claim>.+)$", re.IGNORECASE)


def parse_claim_lines(output: str) -> list[tuple[str, str]]:
    """("speaker", "claim") pairs from generated lines written as "speaker: claim",
    "speaker said (that) claim" (any reporting verb) or "according to speaker, claim"; a
    line in none of these forms gives an empty speaker, so that it is still shown (and
    flagged)."""
    items = []
    for line in output.splitlines():
        line = _BULLET.sub("", line).strip()
        if not line:
            continue
        match = next((m for m in (p.match(line) for p in (_ACCORDING_LINE, _said_line(), _CLAIM_LINE))
                      if m and len(m["speaker"].split()) <= MAX_SPEAKER_WORDS), None)
        speaker, claim = (match["speaker"], match["claim"]) if match else ("", line)
        items.append((speaker.strip().strip("*\"“”"), claim.strip().strip("\"“”")))
    return items


def _speaker_words(claim: Claim) -> set[str]:
    names = " ".join(x for x in (claim.speaker.text if claim.speaker else "", claim.speaker_resolved or "") if x)
    return content_words(names)


def check_claims(article: Article, items: Sequence[tuple[str, str]], engine_claims: Sequence[Claim],
                 verifier: Verifier) -> list[ClaimCheck]:
    """Match each generated (speaker, claim) to an engine claim by that speaker (sharing a
    word with the name) whose sentences entail it (the consistency model, among the
    ``CLAIM_CANDIDATES`` most similar); unmatched items, and items whose names, numbers or
    quotations the matched claim lacks, are flagged unverified."""
    if not items:
        return []
    if not engine_claims:
        return [ClaimCheck(s, c, "unverified", issues=["the attribution engine found no claims here"])
                for s, c in items]
    item_vectors = verifier.encode([c for _, c in items])
    claim_vectors = verifier.encode([c.content.text for c in engine_claims])
    similarity = item_vectors @ claim_vectors.T
    checks = []
    for row, (speaker, text) in enumerate(items):
        if not speaker:
            checks.append(ClaimCheck(speaker, text, "unverified", issues=["no speaker given"]))
            continue
        wanted = content_words(speaker)
        allowed = [j for j, c in enumerate(engine_claims)
                   if not _speaker_words(c) or wanted & _speaker_words(c)]
        if not allowed:
            checks.append(ClaimCheck(speaker, text, "unverified",
                                     issues=[f"no engine claim by '{speaker}'"]))
            continue
        nearest = sorted(allowed, key=lambda j: -similarity[row, j])[:CLAIM_CANDIDATES]
        sources = {j: " ".join(article.sentences[i].text for i in engine_claims[j].sentence_ids
                               if 0 <= i < len(article.sentences)) or engine_claims[j].content.text for j in nearest}
        entail = {j: verifier.probabilities(sources[j], text)[0] for j in nearest}
        best = max(nearest, key=lambda j: entail[j])
        claim, matched = engine_claims[best], entail[best] >= SUPPORTED_AT
        issues = [] if matched else ["no matching claim in the article"]
        issues += grounding_issues(text, [claim.content.text, sources[best]])
        citation = Citation.of_span(article, claim.sentence_ids[0] if claim.sentence_ids else -1,
                                    claim.content.start, claim.content.end)
        checks.append(ClaimCheck(speaker, text, "unverified" if issues else "verified",
                                 claim.to_dict() if matched else None, citation if matched else None,
                                 round(float(similarity[row, best]), 3), issues, round(entail[best], 4)))
    return checks


def generated_claims(articles: Sequence[Article], generator: Generator,
                     engine_claims: Sequence[Sequence[Claim]], verifier: Verifier,
                     progress: bool = False) -> list[list[ClaimCheck]]:
    """The generator's claim list for each article, checked against the engine's claims."""
    prompts = [render_prompt("claims", title=a.title, text=_source_text(a)) for a in articles]
    outputs = generator.generate(prompts, progress=progress)
    return [check_claims(article, parse_claim_lines(output), claims, verifier)
            for article, output, claims in zip(articles, outputs, engine_claims)]


# --------------------------------------------------------------------------- entry point

def summarize_articles(articles: Sequence[Article], n: int = 3, *, generator: Generator | None = None,
                       verifier: Verifier | None = None, embed: Embed | None = None,
                       encode: Encode = default_encode, with_claims: bool = False,
                       engine_claims: Callable[[Sequence[Article]], list[list[Claim]]] | None = None,
                       progress: bool = False) -> list[Summary]:
    """A summary per article: extractive, or abstractive and verified when ``generator``
    is given (plus the checked claim list when ``with_claims``). ``embed`` gives an
    article's stored sentence embeddings (e.g. from the index); default: encode them."""
    from tqdm import tqdm

    embed = embed or encoder_embed(encode)
    if generator is None:
        return [extractive_summary(a, embed(a), n) for a in
                tqdm(articles, desc="summarising", unit="article", disable=not progress)]
    verifier = verifier or Verifier(encode)
    summaries = abstractive_summaries(articles, generator, verifier, embed, n, progress)
    if with_claims:
        engine_claims = engine_claims or cached_engine_claims
        for summary, checks in zip(summaries, generated_claims(articles, generator, engine_claims(articles),
                                                               verifier, progress)):
            summary.claims = checks
    return summaries
