"""Checking generated sentences against the source sentences they rest on.

For each generated sentence the verifier finds (or takes) its citations and labels how well
they support it, ``supported`` / ``weak`` / ``unsupported``:

* citations: the sentence's own, else found by alignment (cosine of the index's encoder
  and shared content words; a sentence may fuse up to ``MAX_ALIGNED`` sources);
* support: the consistency model (``consistency``, trained by the project) reads the cited
  sentences and the generated one: ``supported`` when p(entailment) >= ``SUPPORTED_AT``,
  ``unsupported`` when p(neutral) or p(contradiction) reaches it (the sources do not say
  it, or say otherwise), ``weak`` when the model is unsure;
* names, numbers and quotations in the sentence must occur in the cited sources, else an
  issue is recorded and a "supported" label drops to "weak";
* a structured check that finds the sources saying otherwise (``checks``: another figure
  for the same count, the opposite polarity, reversed roles, another date) makes it
  ``unsupported``, with that reason.

An entailment model named with ``--nli`` (``EntailmentModel``) takes the consistency
model's place. Every verdict carries its scores. Nothing is dropped: every sentence comes
back with its label and issues.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from .attribution.text import strip_suffix
from .errors import AssistantError
from .types import Article, Sentence

SUPPORTED, WEAK, UNSUPPORTED = "supported", "weak", "unsupported"
SUPPORTED_AT = 0.5       # a label's probability that makes it the verdict
MAX_ALIGNED = 3          # citations found by alignment for one sentence
MIN_COVERAGE_GAIN = 0.15  # an extra citation must add this much coverage

Encode = Callable[[list[str]], np.ndarray]

_STOPWORDS = frozenset("""
a an the and or but if of at by for with about against between into through during before
after above below to from up down in out on off over under again further then once here there
when where why how all any both each few more most other some such no nor not only own same so
than too very can will just should now is are was were be been being have has had having do
does did doing i me my we our you your he him his she her it its they them their what which
who whom this that these those am would could also said says say told as while since
""".split())
_NAME_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
_NUMBER_WORDS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
_NUMBER_WORDS.update({"thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70",
                      "eighty": "80", "ninety": "90", "hundred": "100", "dozen": "12"})
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_NUMBER = re.compile(r"\d(?:[\d,.]*\d)?")
_QUOTE = re.compile(r"[\"“”]([^\"“”]{4,}?)[\"“”]|(?<!\w)[‘']([^‘’']{4,}?)[’'](?!\w)")
_CAPITALISED = re.compile(r"(?<![.!?:;\"“]\s)(?<![“\"‘(\[])(?<!^)\b([A-Z][\w’'-]*[a-z][\w’'-]*)")


@dataclass
class Citation:
    """A source sentence (or a claim's content): ``start``/``end`` index the article's text;
    the article's outlet, date and URL go with it."""

    article_id: str
    sentence_index: int
    start: int
    end: int
    text: str
    article_title: str = ""
    source: str = ""
    published: str = ""
    url: str = ""

    @classmethod
    def of(cls, article: Article, sentence: Sentence) -> "Citation":
        return cls.of_span(article, sentence.index, sentence.start, sentence.end)

    @classmethod
    def of_span(cls, article: Article, sentence_index: int, start: int, end: int) -> "Citation":
        return cls(article.id, sentence_index, start, end, article.text[start:end], article.title,
                   article.source, article.published, article.url)

    @classmethod
    def of_hit(cls, hit: Any) -> "Citation":
        """A retrieved sentence (``index.Hit``)."""
        s = hit.sentence
        return cls(hit.article_id, s.index, s.start, s.end, s.text, hit.article_title, hit.source,
                   hit.published, hit.url)


@dataclass
class Verdict:
    """How well a sentence's citations support it."""

    support: str
    citations: list[Citation]
    issues: list[str] = field(default_factory=list)
    similarity: float = 0.0
    coverage: float = 0.0
    scores: dict[str, float] = field(default_factory=dict)  # entailment, neutral, contradiction


# --------------------------------------------------------------------------- text features

def _stem(word: str) -> str:
    word = word.lower().replace("’", "'")
    return strip_suffix(word[:-2] if word.endswith("'s") else word, 4)


def content_words(text: str) -> set[str]:
    """Lower-cased, lightly stemmed words that carry meaning (stopwords left out)."""
    return {_stem(w) for w in _WORD.findall(text) if w.lower() not in _STOPWORDS}


def lexical_overlap(sentence: str, source: str) -> float:
    """Share of ``sentence``'s content words that ``source`` contains."""
    words = content_words(sentence)
    return len(words & content_words(source)) / len(words) if words else 0.0


def numbers_in(text: str) -> set[str]:
    """Numbers written in digits or as small number words, normalised to digits."""
    found = {m.group().replace(",", "").rstrip(".") for m in _NUMBER.finditer(text)}
    found |= {_NUMBER_WORDS[w.lower()] for w in _WORD.findall(text) if w.lower() in _NUMBER_WORDS}
    return found


def quotations_in(text: str) -> list[str]:
    return [(a or b).strip() for a, b in _QUOTE.findall(text) if (a or b).strip()]


def _normalise(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.lower().split())


@lru_cache(maxsize=4096)
def names_in(text: str) -> tuple[str, ...]:
    """Named entities (spaCy) and capitalised words that do not open a sentence (cached:
    a claim is looked up against every piece of its evidence)."""
    from .models import load_spacy

    doc = load_spacy(disable=("parser", "lemmatizer"))(text)
    names = [ent.text for ent in doc.ents if ent.label_ in _NAME_LABELS]
    names += [m.group(1) for m in _CAPITALISED.finditer(text)]
    return tuple(dict.fromkeys(names))


def _load_demonyms() -> dict[str, frozenset[str]]:
    """Each word of ``data/demonyms.txt`` with the other words of its group."""
    from pathlib import Path

    from .fileio import read_word_lines

    table: dict[str, frozenset[str]] = {}
    for words in read_word_lines(Path(__file__).resolve().parent / "data" / "demonyms.txt"):
        group = frozenset(words)
        table.update({w: group - {w} for w in group})
    return table


_DEMONYMS = _load_demonyms()


def _word_in(word: str, source_words: set[str]) -> bool:
    """Exact, sharing a long prefix (Iraqi ~ Iraq, Israeli ~ Israel), or a country and its
    people (Chinese ~ China, Welsh ~ Wales). A possessive names what it owns ("EPA's" ~ EPA)."""
    word = re.sub(r"'s?$", "", word.lower().replace("’", "'")) or word.lower()
    if word in source_words or not _DEMONYMS.get(word, frozenset()).isdisjoint(source_words):
        return True
    prefix = word[: max(4, len(word) - 2)]
    return any(w.startswith(prefix) or word.startswith(w) and len(w) >= 4 for w in source_words)


def grounding_issues(sentence: str, sources: Sequence[str]) -> list[str]:
    """Names, numbers and quotations in ``sentence`` that ``sources`` do not contain."""
    joined = " ".join(sources)
    issues = []
    source_words = {w.lower().replace("’", "'") for w in _WORD.findall(joined)}
    for name in names_in(sentence):
        parts = [w for w in _WORD.findall(name) if w.lower() not in _STOPWORDS and len(w) > 1]
        missing = [w for w in parts if not _word_in(w.replace("’", "'"), source_words)]
        if missing:
            issues.append(f"name '{name}' not in cited sources")
    source_numbers = numbers_in(joined)
    for number in sorted(numbers_in(sentence) - source_numbers):
        issues.append(f"number '{number}' not in cited sources")
    normalised = _normalise(joined)
    for quote in quotations_in(sentence):
        if _normalise(quote) not in normalised:
            issues.append(f"quotation \"{quote}\" not found verbatim in cited sources")
    return issues


# --------------------------------------------------------------------------- entailment

class EntailmentModel:
    """An NLI cross-encoder (e.g. a local MNLI model), loaded lazily; gives the
    probabilities that a premise entails / contradicts a hypothesis."""

    def __init__(self, name: str, device: str | None = None) -> None:
        self.name = name
        self.device = device

    def probabilities(self, premise: str, hypothesis: str) -> tuple[float, float]:
        import torch

        model, tokenizer, entail, contradict = _load_nli(self.name, self.device)
        batch = tokenizer(premise, hypothesis, truncation=True, return_tensors="pt").to(model.device)
        with torch.inference_mode():
            probs = model(**batch).logits.softmax(-1)[0].tolist()
        return probs[entail], probs[contradict]


@lru_cache(maxsize=2)
def _load_nli(name: str, device: str | None) -> tuple[Any, Any, int, int]:
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from .generate import downloads_allowed
    from .models import _auto_device

    try:
        tokenizer = AutoTokenizer.from_pretrained(name, local_files_only=not downloads_allowed())
        model = AutoModelForSequenceClassification.from_pretrained(
            name, local_files_only=not downloads_allowed())
    except Exception as exc:  # noqa: BLE001 - any load failure becomes one clear line
        raise AssistantError(
            f"cannot load entailment model {name!r} ({type(exc).__name__}): pass a local model "
            f"directory, or allow downloads from the hub with HF_HUB_OFFLINE=0") from exc
    labels = {i: str(label).lower() for i, label in model.config.id2label.items()}
    entail = next((i for i, label in labels.items() if label.startswith("entail")), None)
    contradict = next((i for i, label in labels.items() if label.startswith("contradict")), None)
    if entail is None or contradict is None:
        raise AssistantError(f"entailment model {name!r} has no entailment/contradiction labels "
                             f"(labels: {sorted(labels.values())})")
    model.to(device or _auto_device()).eval()
    return model, tokenizer, entail, contradict


# --------------------------------------------------------------------------- verifier

class Verifier:
    """Aligns generated sentences to source sentences and labels their support.

    ``encode`` maps texts to L2-normalised embeddings (``SentenceIndex.encode`` or a
    SentenceTransformer's ``encode(..., normalize_embeddings=True)``); ``entailment``, when
    given, replaces the shipped consistency model.
    """

    def __init__(self, encode: Encode, entailment: EntailmentModel | None = None,
                 consistency: Any | None = None) -> None:
        self.encode = encode
        self.entailment = entailment
        self._consistency = consistency

    def probabilities(self, premise: str, hypothesis: str) -> tuple[float, float, float]:
        """p(entailment), p(neutral), p(contradiction) of ``hypothesis`` given ``premise``."""
        if self.entailment is not None:
            entail, contradict = self.entailment.probabilities(premise, hypothesis)
            return entail, max(0.0, 1.0 - entail - contradict), contradict
        if self._consistency is None:
            from .consistency import load_consistency_model
            self._consistency = load_consistency_model()
        p = self._consistency.probabilities([(premise, hypothesis)])[0]
        return float(p[0]), float(p[1]), float(p[2])

    def verify(self, sentences: Sequence[str], candidates: Sequence[Citation],
               candidate_embeddings: np.ndarray | None = None,
               cited: Sequence[Sequence[int] | None] | None = None) -> list[Verdict]:
        """A verdict per sentence. ``cited[i]``, when given, lists the candidates that
        sentence i cites itself; otherwise its citations are found by alignment."""
        if not sentences:
            return []
        if not candidates:
            return [Verdict(UNSUPPORTED, [], ["no source sentences to check against"]) for _ in sentences]
        if candidate_embeddings is None:
            candidate_embeddings = self.encode([c.text for c in candidates])
        similarities = self.encode(list(sentences)) @ np.asarray(candidate_embeddings).T
        cited = cited or [None] * len(sentences)
        return [self._verdict(text, candidates, sims, chosen)
                for text, sims, chosen in zip(sentences, similarities, cited)]

    def _verdict(self, text: str, candidates: Sequence[Citation], similarities: np.ndarray,
                 chosen: Sequence[int] | None) -> Verdict:
        if chosen:
            picked = list(dict.fromkeys(chosen))
        else:
            picked = self.align(text, candidates, similarities)
        cited_texts = [candidates[i].text for i in picked]
        similarity = float(max(similarities[i] for i in picked))
        coverage = lexical_overlap(text, " ".join(cited_texts))
        from .checks import CONTRADICTS, run_checks

        entail, neutral, contradict = self.probabilities(" ".join(cited_texts), text)
        issues = grounding_issues(text, cited_texts)
        opposed = [f.reason for f in run_checks(text, [" ".join(cited_texts)], []) if f.effect == CONTRADICTS]
        if opposed:  # another figure, the opposite polarity, reversed roles, another date
            support = UNSUPPORTED
            issues = opposed + issues
        elif contradict >= SUPPORTED_AT:
            support = UNSUPPORTED
            issues.insert(0, f"contradicted by the cited sources (p={contradict:.2f})")
        elif neutral >= SUPPORTED_AT:
            support = UNSUPPORTED
            issues.insert(0, f"not supported by the sources (p(entailment)={entail:.2f})")
        elif entail >= SUPPORTED_AT:
            support = WEAK if issues else SUPPORTED
        else:
            support = WEAK
            issues.insert(0, f"not entailed by the cited sources with confidence (p={entail:.2f})")
        scores = {"entailment": round(entail, 4), "neutral": round(neutral, 4), "contradiction": round(contradict, 4),
                  "similarity": round(similarity, 3), "coverage": round(coverage, 3)}
        return Verdict(support, [candidates[i] for i in picked], issues, round(similarity, 3), round(coverage, 3), scores)

    @staticmethod
    def align(text: str, candidates: Sequence[Citation], similarities: np.ndarray) -> list[int]:
        """The best-matching candidate, plus up to ``MAX_ALIGNED - 1`` more that each cover
        further content words of ``text`` (a sentence may fuse several sources)."""
        words = content_words(text)
        candidate_words = [content_words(c.text) for c in candidates]
        scores = [0.7 * float(s) + 0.3 * (len(words & cw) / len(words) if words else 0.0)
                  for s, cw in zip(similarities, candidate_words)]
        order = sorted(range(len(candidates)), key=lambda i: -scores[i])
        picked = [order[0]]
        covered = set(candidate_words[order[0]]) & words
        for i in order[1:]:
            if len(picked) >= MAX_ALIGNED or scores[i] < 0.5 * scores[order[0]]:
                break
            gain = len((candidate_words[i] & words) - covered) / len(words) if words else 0.0
            if gain >= MIN_COVERAGE_GAIN:
                picked.append(i)
                covered |= candidate_words[i] & words
        return picked


# --------------------------------------------------------------------------- engine claims

_CLAIMS_CACHE: dict[tuple[str, str], list[Any]] = {}


def engine_claims(articles: Sequence[Article]) -> list[list[Any]]:
    """The attribution engine's claims for each article, computed once per article
    version (keyed by id and text checksum)."""
    from .corpus import text_checksum

    try:
        from .attribution import extract_claims
    except ImportError as exc:
        raise AssistantError(f"the attribution engine is not available ({exc})") from exc
    keys = [(a.id, text_checksum(a)) for a in articles]
    missing = [a for a, key in zip(articles, keys) if key not in _CLAIMS_CACHE]
    if missing:
        for article, claims in zip(missing, extract_claims(missing)):
            _CLAIMS_CACHE[(article.id, text_checksum(article))] = list(claims)
    return [_CLAIMS_CACHE[key] for key in keys]
