"""Checking a claim, or a summary, against the coverage.

A claim is checked against the sentences that bear on it: retrieved from the whole index
(``check_claim``), taken from one article (``check_summary``), or from a document given
with it (``check_pair``, no index needed: the evaluation interface). For each piece of
evidence:

1. the consistency model (``consistency``) reads the sentence with the one before it (for
   pronouns) and gives p(entailment), p(neutral), p(contradiction);
2. the structured checks (``checks``) compare numbers, names, polarity, roles, modality
   and dates, and may turn "supports" into "contradicts" (another figure for the same
   count), with a plain reason;
3. the attribution engine says who the sentence reports ("medics said ..."): support
   through a reported claim is support *as that speaker's claim* (``attributed_to``), and
   a speaker who denies something contradicts it. A claim that a speaker denies something
   ("Hamas denied X") is supported only by that speaker's denial of X, and contradicted by
   that speaker asserting X.

The stance of the evidence: ``supports`` when the sentence's own calibrated score reaches
``CheckConfig.support_at`` and no structured check finds a figure, name, date or certainty
of the claim missing or contradicted there; ``contradicts`` with a contradicting finding or
a denial, or when the model alone reads a contradiction in a sentence about the claim (not
against a sentence that supports it: a dispute needs a reason; nor where both negate, as
the model reads one form of a negation against another as a contradiction); else ``related``. The
verdict: ``supported`` / ``contradicted`` / ``disputed`` (a voice, speaker or outlet,
contradicts what another supports) / ``not_in_coverage``; a claim that names its speaker
("medics said X") is contradicted as misattributed when the coverage gives X only to
someone else. The score is the probability that the claim is consistent with the coverage
(``calibrated_score``).
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .checks import (CONTRADICTS, DENYING_VERBS, UNSUPPORTED, Finding, clause_findings, figure_findings,
                     figures_missing, named_by_description, names_missing, negates, run_checks, subject_of)
from .consistency import ConsistencyModel, load_consistency_model
from .errors import AssistantError
from .types import Article, Claim, Sentence
from .verify import lexical_overlap

SUPPORTED, CONTRADICTED, DISPUTED, NOT_IN_COVERAGE = "supported", "contradicted", "disputed", "not_in_coverage"
VERDICTS = (SUPPORTED, CONTRADICTED, DISPUTED, NOT_IN_COVERAGE)
SUPPORTS, CONTRADICTS_STANCE, RELATED = "supports", "contradicts", "related"
SIGNALS = ("entailment", "overlap", "contradiction", "contradicting_findings", "unsupported_findings")
DENIAL = re.compile(r"\b(den(y|ies|ied|ying|ial)|reject(s|ed)?|dismiss(es|ed)?|refute[sd]?|rebuff(s|ed)?|disput(e|es|ed))\b", re.I)


CALIBRATION_PATH = Path(__file__).resolve().parent / "data" / "check_calibration.json"


@dataclass(frozen=True)
class CheckConfig:
    """Thresholds of the checker (probabilities of the consistency model). ``weights`` and
    ``bias`` calibrate the score; ``default_config`` takes the fitted ones when shipped."""

    k: int = 8                    # evidence sentences retrieved per claim
    support_at: float = 0.5       # a sentence's own calibrated score for it to support the claim
    contradict_at: float = 0.5    # p(contradiction) for a sentence to contradict it
    windows: int = 6              # sentences per summary sentence judged for stance (closest by words/embedding)
    read_sentences: int = 64      # sentences of a document the model reads per summary sentence
    same_topic_overlap: float = 0.6  # share of the claim's content words that makes a sentence comparable
    contradict_overlap: float = 0.25  # share of the claim's content words a contradicting sentence must hold
    # logistic calibration of the score: the signals it reads (of ``SIGNALS``), their
    # weights and a bias; refit by eval/fit_check.py
    score_signals: tuple[str, ...] = ("entailment", "overlap", "contradicting_findings", "unsupported_findings")
    weights: tuple[float, ...] = (3.0, 1.0, -0.7, -1.0)
    bias: float = -1.4


def default_config(**overrides: Any) -> CheckConfig:
    """``CheckConfig`` with the calibration fitted by ``eval/fit_check.py``, where shipped."""
    try:
        fitted = json.loads(CALIBRATION_PATH.read_text(encoding="utf-8"))
        calibration = {"score_signals": tuple(str(n) for n in fitted["signals"]),
                       "weights": tuple(float(w) for w in fitted["weights"]), "bias": float(fitted["bias"])}
        if len(calibration["weights"]) != len(calibration["score_signals"]) \
                or not set(calibration["score_signals"]) <= set(SIGNALS):
            raise ValueError("calibration does not match the signals")
    except (OSError, ValueError, KeyError, TypeError):
        calibration = {}
    return CheckConfig(**{**calibration, **overrides})


@dataclass
class Evidence:
    """A sentence that bears on the claim; ``start``/``end`` index its article's text."""

    article_id: str
    title: str
    source: str
    published: str
    sentence_index: int
    start: int
    end: int
    text: str
    stance: str = RELATED
    speaker: str | None = None
    probabilities: dict[str, float] = field(default_factory=dict)
    url: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class CheckResult:
    claim: str
    verdict: str
    score: float
    evidence: list[Evidence] = field(default_factory=list)
    attributed_to: list[str] = field(default_factory=list)
    issues: list[str] = field(default_factory=list)
    id: str | None = None
    sentences: list["CheckResult"] | None = None  # a summary's sentences, each checked
    # what the score was computed from: the highest p(entailment) of the evidence, the
    # highest p(contradiction) of the evidence that contradicts it, and the numbers of
    # contradicting and of unsupported findings
    signals: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id} if self.id is not None else {}
        d.update({"claim": self.claim, "verdict": self.verdict, "score": round(self.score, 4),
                  "evidence": [e.to_dict() for e in self.evidence], "attributed_to": self.attributed_to,
                  "issues": self.issues, "signals": self.signals})
        if self.sentences is not None:
            d["sentences"] = [s.to_dict() for s in self.sentences]
        return d


# --------------------------------------------------------------------------- names

_FOLD = str.maketrans("’‘", "''")
_DETERMINERS = {"the", "a", "an", "its", "his", "her", "their", "our"}


def _name_words(name: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9']+", name.lower().translate(_FOLD)) if w not in _DETERMINERS and len(w) > 1]


def _compatible(x: str, y: str) -> bool:
    return x == y or (min(len(x), len(y)) >= 4 and (x.startswith(y) or y.startswith(x)))


_POSTMODIFIER = re.compile(r"\s+(?:of|from|by|for|at|in|on|with)\s+.*$", re.I | re.S)


def _head_of(name: str) -> str:
    """A name without what follows its head ("USA TODAY analysis of FEC records" ->
    "USA TODAY analysis"), but a name that is all post-modifier stays whole."""
    head = _POSTMODIFIER.sub("", name)
    return head if _name_words(head) else name


def same_speaker(a: str, b: str) -> bool:
    """Whether two speaker names can be the same speaker ("medics" ~ "Palestinian medics",
    "Israel" ~ "the Israeli military", "Sudani" ~ "Mohammed Shia al-Sudani"). Two names of
    several words must end alike: "Fuad Hussein" is not "Hussein Allawi"."""
    return _same_name(a, b) or _same_name(_head_of(a), _head_of(b))  # "USA TODAY analysis of FEC records"


def _same_name(a: str, b: str) -> bool:
    wa, wb = _name_words(a), _name_words(b)
    if not wa or not wb:
        return False
    if len(wa) > 1 and len(wb) > 1 and not _compatible(wa[-1], wb[-1]):
        return False
    return any(_compatible(x, y) for x in wa for y in wb)


# --------------------------------------------------------------------------- the checker

@dataclass
class _Candidate:
    evidence: Evidence
    premise: str
    denial: bool = False  # the sentence reports a denial ("X denies this")
    asserted: list[str] = field(default_factory=list)  # what the sentence reports someone asserting
    before: str = ""  # the sentence before it (with what that points back to): it may name "the school"
    consistency: float = 0.0  # its own calibrated score against the claim, once judged

    def denies(self, content: str) -> bool:
        """Whether the sentence denies ``content``: "X denied this and said Y" denies all
        but what X goes on to assert."""
        return self.denial and not any(lexical_overlap(content, a) >= 0.5 for a in self.asserted)


# what one rejects or denies that is not a statement: "rejected a request from Democrats to
# restore an extra week of voting" denies nothing said
_NOT_STATEMENTS = re.compile(
    r"^\W*(?:(?:a|an|the|its|his|her|their|our|this|that|any|all)\s+)?(?:\w+\s+)?"
    r"(?:request|offer|proposal|plan|bid|appeal|call|demand|invitation|nomination|motion|bill|deal|"
    r"application|petition|measure|amendment|settlement|permit|visa|entry|access|treatment|loan|aid)s?\b", re.I)


def denies_a_statement(claim: Claim) -> bool:
    """Whether a reported claim is a denial of something said ("Israel denies this", "the
    company rejected the account"), not the refusal of a request ("the court rejected a
    request to ...", "denied the motion")."""
    return claim.cue is not None and DENIAL.search(claim.cue.text) is not None \
        and not _NOT_STATEMENTS.match(claim.content.text)


_POINTS_BACK = re.compile(r"\b(he|she|it|they|this|that|these|those|his|her|its|their|him|them)\b", re.I)


_DEMONSTRATIVE = re.compile(r"\b(these|those)\s+[a-z]+", re.I)


_ACCUSES = re.compile(r"\b(accus|charg|blam|suspect)", re.I)
_OF_DOING = re.compile(r"^(?P<who>.+?)\s+of\s+(?P<doing>[A-Za-z]+ing\b.*)$", re.S)


def asserted_clause(cue: str, content: str) -> str:
    """What a reported claim asserts, as a clause the model can read: "accused Israel of
    carrying out X" asserts "Israel is carrying out X"."""
    found = _OF_DOING.match(content.strip()) if _ACCUSES.search(cue) else None
    return f"{found['who']} is {found['doing']}" if found else content


def premise_of(article_sentences: Sequence[Sentence], position: int, *, always: bool = False) -> str:
    """The sentence, with the one before it when it points back in the same paragraph ("It
    said ..."), names what the one before names ("those areas", "these towns": in wire
    copy, where each sentence is a paragraph, across the break), or ``always`` (a denial:
    what "Israel denies this" denies was said just before, often as a paragraph of its
    own); otherwise what the sentence before says would be credited to this one."""
    sentence = article_sentences[position]
    if position > 0 and (always or _DEMONSTRATIVE.search(sentence.text)
                         or article_sentences[position - 1].paragraph == sentence.paragraph
                         and _POINTS_BACK.search(sentence.text)):
        return f"{article_sentences[position - 1].text} {sentence.text}"
    return sentence.text


def reported_claim(claims: Sequence[Claim], sentence: Sentence) -> Claim | None:
    """The attributed claim whose content overlaps ``sentence`` most."""
    best, overlap = None, 0
    for claim in claims:
        if sentence.index not in claim.sentence_ids:
            continue
        shared = sum(max(0, min(b, sentence.end) - max(a, sentence.start)) for a, b in claim.content.parts())
        if claim.cue is not None and sentence.start <= claim.cue.start < sentence.end:
            shared += 1
        if shared > overlap:
            best, overlap = claim, shared
    return best


def speaker_name(claim: Claim | None) -> str | None:
    if claim is None:
        return None
    return claim.speaker_resolved or (claim.speaker.text if claim.speaker else None)


@lru_cache(maxsize=1024)
def reported_in(text: str) -> tuple[tuple[str, str], ...]:
    """(speaker, content) of each attribution with a speaker in a short text (a claim)."""
    from .corpus import make_article
    try:
        from .attribution import extract_claims
    except ImportError as exc:
        raise AssistantError(f"the attribution engine is not available ({exc})") from exc
    article = make_article(text=text, id="claim")
    claims = extract_claims([article])[0]
    return tuple((speaker_name(c), c.content.text) for c in claims
                 if c.speaker is not None and next_to_its_cue(c, article.text))


def next_to_its_cue(claim: Claim, text: str) -> bool:
    """Whether a reported content stands next to its cue or speaker ("X said [that] Y",
    "X told reporters Y", "Y, X said"), not a fragment further on ("a study found 31
    incidents ... out of [more than a billion ballots cast]")."""
    if claim.cue is None:
        return True
    start, end = claim.content.start, claim.content.end
    anchors = [claim.cue] + ([claim.speaker] if claim.speaker else [])
    after = max((a.end for a in anchors if a.end <= start), default=None)
    before = min((a.start for a in anchors if a.start >= end), default=None)
    if after is not None:
        # "told reporters", "told reporters at the depot that"
        gap = re.findall(r"\w+", text[after:start]) + re.findall(r"^\w+", claim.content.text)
        if len(gap) <= 3 or len(gap) <= 9 and gap[-1].lower() == "that":
            return True
    return before is not None and not re.search(r"\w", text[end:before], re.UNICODE)


# a full stop written as its own token ("... family . the darwin woman ..."): tokenised,
# lower-cased summaries (as in CNN/DailyMail and XSum data) that a splitter keeps whole
_TOKENISED_STOP = re.compile(r"(?<=\s[.!?])\s+(?=\S)")


_DETOKENISE = [(re.compile(r"-lrb-", re.I), "("), (re.compile(r"-rrb-", re.I), ")"),
               (re.compile(r"\s+([.,;:!?%)\]])"), r"\1"), (re.compile(r"([(\[$])\s+"), r"\1"),
               (re.compile(r"\s+(n't|'s|'re|'ve|'ll|'d|'m)\b", re.I), r"\1"),
               (re.compile(r"``\s*|`\s*|\s*''"), "'"), (re.compile(r"\s+'\s+(?=[,.;]|$)"), "'")]


def summary_sentences(text: str) -> list[str]:
    """The sentences of a summary; tokenised text (as in CNN/DailyMail and XSum data:
    "family . the darwin woman", "` the barbie '") is split at its stops and its tokens
    joined back, as the model read running text."""
    from .summarize import generated_sentences

    pieces = generated_sentences(text) or [text.strip()]
    out = []
    for piece in pieces:
        for sentence in _TOKENISED_STOP.split(piece):
            for pattern, joined in _DETOKENISE:
                sentence = pattern.sub(joined, sentence)
            if sentence.strip():
                out.append(sentence.strip())
    return out


def _voice(evidence: Evidence) -> str:
    """Who a piece of evidence speaks for: its speaker, else its outlet, else its article."""
    return evidence.speaker or evidence.source or evidence.article_id


def weigh(supports: Sequence[_Candidate], contradicts: Sequence[_Candidate]) -> tuple[str, list[str]]:
    """The verdict from the evidence for and against a claim, and the dispute, if any.
    Disputed: a voice contradicts what another supports. When one voice says both, its
    other statement is about something else (another event's figure) unless it reads as
    consistent with the claim no worse (a sentence's own calibrated score)."""
    if supports and contradicts:
        # an article that reports the claim does not dispute it in its own voice: its own
        # figure ("strikes kill 17") counts something else than the one it reports
        # ("authorities say the campaign has killed 45,000"), or it would say they disagree
        backing = {c.evidence.article_id for c in supports}
        against = {_voice(c.evidence) for c in contradicts
                   if c.evidence.speaker is not None or c.evidence.article_id not in backing} \
            - {_voice(c.evidence) for c in supports}
        if against:
            return DISPUTED, ["sources disagree: " + "; ".join(
                f"{c.evidence.speaker or c.evidence.title} {c.evidence.stance}"
                for c in [*supports[:2], *contradicts[:2]])]
        stronger = max(c.consistency for c in supports) >= max(c.consistency for c in contradicts)
        return (SUPPORTED if stronger else CONTRADICTED), []
    if supports:
        return SUPPORTED, []
    return (CONTRADICTED if contradicts else NOT_IN_COVERAGE), []


def restance_for_denial(speaker: str, candidates: Sequence[_Candidate], reasoned: set[int]) -> None:
    """Stances for a claim that ``speaker`` denies something, from those read for what is
    denied: that speaker's denial of it supports the claim, that speaker asserting it
    contradicts it, and what anyone else says is only related (the military asserting X
    is no evidence that Hamas denies X)."""
    for n, cand in enumerate(candidates):
        e = cand.evidence
        theirs = e.speaker is not None and same_speaker(speaker, e.speaker)
        if theirs and cand.denial and e.stance == CONTRADICTS_STANCE:
            e.stance = SUPPORTS
        elif theirs and not cand.denial and e.stance == SUPPORTS:
            e.stance = CONTRADICTS_STANCE
            reasoned.add(n)
        else:
            e.stance = RELATED


def denies_the_support(content: str, candidates: Sequence[_Candidate], reasoned: set[int]) -> None:
    """A denial that points back ("Israel denies this") right after a sentence that
    supports the claim denies the claim, unless the claim is what it goes on to assert."""
    backed = {(c.evidence.article_id, c.evidence.sentence_index) for c in candidates
              if c.evidence.stance == SUPPORTS}
    for n, cand in enumerate(candidates):
        e = cand.evidence
        if cand.denies(content) and e.stance != CONTRADICTS_STANCE and (e.article_id, e.sentence_index - 1) in backed \
                and _POINTS_BACK.search(e.text):
            e.stance = CONTRADICTS_STANCE
            reasoned.add(n)


def relays(speaker: str, supports: Sequence["_Candidate"]) -> bool:
    """Whether a supporting sentence reports ``speaker``'s own claim (“Iraq believes that
    a ceasefire is key,” he added): the claim is then the speaker's, as relayed."""
    for cand in supports:
        for asserted in cand.asserted:
            if any(name and same_speaker(speaker, name) for name, _ in reported_in(asserted.strip(" “”\"',"))):
                return True
    return False


# who an office or a spokesman speaks for: "the PM's office", "a spokesman for the president"
_VOICE_OF = re.compile(r"^(?:(?:a|an|the)\s+)?(?:statement|spokes\w+|office|aides?|campaign)\s+(?:from|of|for)\s+"
                       r"(?:the\s+)?(?P<of>.+)$|^(?:(?:a|the)\s+)?(?P<owner>.+?)['’]s\s+(?:press\s+)?"
                       r"(?:office|spokes\w+|campaign|aides?|statement)$", re.I)
_TITLES = {"pm": "prime minister", "fm": "foreign minister"}


def voice_of(speaker: str) -> str | None:
    """Whom an office, a spokesman or a statement speaks for ("PM's office" -> "prime
    minister"), if ``speaker`` is one."""
    owner = None
    while found := _VOICE_OF.match((owner or speaker).strip()):  # "a statement from the PM's office"
        owner = (found["of"] or found["owner"]).strip()
    return _TITLES.get(owner.lower(), owner) if owner else None


def titled(title: str, name: str, sentences: Sequence[str]) -> bool:
    """Whether the coverage writes ``name`` after ``title`` ("Prime Minister Mohammed Shia
    al-Sudani" for "Sudani")."""
    # the title in any case, then the capitalised words of the name ("al-Sudani" among them)
    word = r"(?:[A-Z][\w'’-]*|[a-z]+-[A-Z][\w'’-]*)"
    pattern = re.compile(rf"(?i:\b{re.escape(title)})\s+({word}(?:\s+{word})*)")
    return any(same_speaker(name, found[1]) for sentence in sentences for found in pattern.finditer(sentence))


def speaks_for(voice: str, speaker: str, sentences: Sequence[str]) -> bool:
    """Whether ``voice`` is the office or spokesman of ``speaker`` ("PM's office" speaks for
    Sudani, whom the coverage calls Prime Minister Mohammed Shia al-Sudani)."""
    owner = voice_of(voice)
    return owner is not None and (same_speaker(speaker, owner) or titled(owner, speaker, sentences))


def describes(description: str, name: str, sentences: Sequence[str]) -> bool:
    """Whether the coverage introduces ``name`` with ``description``, in apposition or
    before it ("Hussam Abu Safiya, the director of Kamal Adwan Hospital," for "Kamal Adwan
    Hospital's director"; "hospital director Hussam Abu Safiya")."""
    words = [re.sub(r"'s$", "", w) for w in _name_words(description)]
    name_words = _name_words(name)
    if not words or not name_words:
        return False
    first, last = re.escape(name_words[0]), re.escape(name_words[-1])
    for sentence in sentences:
        folded = sentence.lower().translate(_FOLD)
        phrases = [m[1] for m in re.finditer(rf"\b{last}\b\W*,([^,]+)", folded)]
        for found in re.finditer(rf"\b{first}\b", folded):
            # the words right before the name ("hospital director Hussam Abu Safiya"), or
            # an apposition before it ("aide to Sudani, Dr. Hussein Allawi")
            pieces = re.split(r"[,;:()]", folded[:found.start()])
            before = _name_words(pieces[-1] if pieces[-1].strip() or len(pieces) < 2 else pieces[-2])
            if before and any(_compatible(before[-1], w) for w in words):  # it ends next to the name
                phrases.append(" ".join(before))
        if any(len(_name_words(p)) <= len(words) + 3
               and all(any(_compatible(w, h) for h in _name_words(p)) for w in words) for p in phrases):
            return True
    return False


def is_clause(text: str) -> bool:
    """Whether ``text`` states something (has a verb) rather than naming it ("the school
    budget"): only a clause can be checked, or stand as a reported claim on its own."""
    from .checks import parse

    return len(text.split()) >= 3 and any(t.pos_ in ("VERB", "AUX") for t in parse(text))


_FINITE = {"VBD", "VBZ", "VBP", "MD"}
# a denial cue right before what it denies ("denies that", "rejected the claim that")
_DENIES_WHAT_FOLLOWS = re.compile(
    DENIAL.pattern + r"(\s+(the\s+)?(claims?|reports?|accusations?|charges?))?(\s+that)?\W*$", re.I)


def states(text: str) -> bool:
    """Whether ``text`` is a statement: its head is a verb, or it has a finite one ("eight
    people were killed", "killing civilians"), not a noun with a participle after it ("the
    suspects held over the attack", what "released" took for a cue in "forces have released
    none of the suspects held over the attack")."""
    from .checks import parse

    doc = parse(text)
    return any(t.dep_ == "ROOT" and t.pos_ in ("VERB", "AUX") or t.tag_ in _FINITE for t in doc)


def introduces_a_clause(text: str) -> bool:
    """Whether ``text`` opens with "that" as a conjunction ("that its operations amount to
    X"): what follows is a clause even where the parser reads its verb as a noun."""
    from .checks import parse

    doc = parse(text)
    return len(doc) >= 4 and doc[0].lower_ == "that" and doc[0].dep_ == "mark"


def infinitive_only(text: str) -> bool:
    """Whether ``text`` is an infinitive with no finite verb: what one aims, votes, pledges
    or orders someone to do ("to fight Hamas", "staff to evacuate the hospital"), not a
    statement."""
    from .checks import parse

    doc = parse(text)
    return not any(t.tag_ in _FINITE for t in doc) \
        and any(t.tag_ == "VB" and any(c.tag_ == "TO" for c in t.children) for t in doc)


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(min(x, 40.0), -40.0)))


class Checker:
    """Checks claims with the consistency model, the structured checks and (optionally)
    the attribution engine; models are loaded once, lazily."""

    def __init__(self, model: ConsistencyModel | None = None, config: CheckConfig | None = None, *,
                 attribution: Callable[[Sequence[Article]], list[list[Claim]]] | None = None,
                 use_attribution: bool = True) -> None:
        self._model = model
        self.config = config or default_config()
        self._attribution = attribution
        self.use_attribution = use_attribution

    @property
    def model(self) -> ConsistencyModel:
        if self._model is None:
            self._model = load_consistency_model()
        return self._model

    def _claims_of(self, articles: Sequence[Article]) -> list[list[Claim]]:
        if not self.use_attribution or not articles:
            return [[] for _ in articles]
        if self._attribution is None:
            from .verify import engine_claims
            self._attribution = engine_claims
        try:
            return self._attribution(articles)
        except AssistantError:
            return [[] for _ in articles]

    def claim_speaker(self, claim: str) -> tuple[str | None, str]:
        """(speaker, content) when the claim reports someone ("Medics said X"), else (None, claim)."""
        if not self.use_attribution:
            return None, claim
        try:
            found = reported_in(claim)
        except AssistantError:
            return None, claim
        if not found:
            return None, claim
        speaker, content = max(found, key=lambda sc: len(sc[1]))
        content = content.strip().strip("“”\"'").strip()
        if infinitive_only(content):
            # "aims to fight Hamas", "voted to expel", "ordered staff to evacuate": an
            # intention, a commitment or an order, not a statement; the claim is checked whole
            return None, claim
        # "refused comment on the plan" reports no claim: it says what the speaker did not do
        denied = re.search(rf"\b({'|'.join(v.rstrip('e') for v in DENYING_VERBS)})\w*\s+{re.escape(content[:20])}",
                           claim, re.I)
        return (speaker, content) if (is_clause(content) and states(content) or introduces_a_clause(content)) \
            and not denied else (None, claim)

    # ----------------------------------------------------------------- entry points

    def check_claim(self, claim: str, index: Any, *, claim_id: str | None = None, **filters: Any) -> CheckResult:
        """``claim`` against the ``k`` sentences the index retrieves for it."""
        if not claim.strip():
            raise AssistantError("empty claim")
        hits = index.search(claim, self.config.k, **filters)
        articles = {h.article_id: index.article(h.article_id) for h in hits}
        by_article = [a for a in articles.values() if a is not None]
        reported = dict(zip((a.id for a in by_article), self._claims_of(by_article)))
        candidates = []
        for hit in hits:
            article = articles.get(hit.article_id)
            if article is None:
                continue
            candidates.append(self._candidate(article, hit.sentence, reported.get(article.id, [])))
        return self._judge(claim, candidates + self._denials_after(candidates, articles, reported), by_article,
                           claim_id=claim_id)

    def check_text(self, text: str, index: Any, **filters: Any) -> CheckResult:
        """A claim, or a summary of several sentences each checked against the index."""
        sentences = summary_sentences(text)
        if len(sentences) == 1:
            return self.check_claim(sentences[0], index, **filters)
        return self._combine(text.strip(), [self.check_claim(s, index, **filters) for s in sentences], None)

    def check_summary(self, sentences: Sequence[str], article: Article, *,
                      embeddings: np.ndarray | None = None, encode: Callable[[list[str]], np.ndarray] | None = None,
                      claim_id: str | None = None) -> CheckResult:
        """Each summary sentence against the article's sentences that bear on it most."""
        reported = self._claims_of([article])[0]
        results = []
        for text, positions in zip(sentences, self._nearest(sentences, article, embeddings, encode)):
            candidates = [self._candidate(article, article.sentences[p], reported) for p in positions]
            results.append(self._judge(text, candidates, [article], shortlist=self.config.windows))
        return self._combine(" ".join(sentences), results, claim_id)

    def check_pair(self, document: str, summary: str, *, claim_id: str | None = None,
                   encode: Callable[[list[str]], np.ndarray] | None = None) -> CheckResult:
        """A summary against its own document (no index)."""
        from .corpus import make_article

        article = make_article(text=document, id=claim_id or "document")
        sentences = summary_sentences(summary)
        return self.check_summary(sentences, article, encode=encode, claim_id=claim_id)

    # ----------------------------------------------------------------- internals

    def _candidate(self, article: Article, sentence: Sentence, reported: Sequence[Claim]) -> _Candidate:
        claim = reported_claim(reported, sentence)
        evidence = Evidence(article.id, article.title, article.source, article.published, sentence.index,
                            sentence.start, sentence.end, sentence.text, speaker=speaker_name(claim), url=article.url)
        here = [c for c in reported if c.cue is not None and sentence.start <= c.cue.start < sentence.end]
        denials = [c for c in here if denies_a_statement(c)]
        if denials:  # the one who denies is the voice of this sentence
            evidence.speaker = speaker_name(denials[0]) or evidence.speaker
        return _Candidate(evidence, premise_of(article.sentences, sentence.index, always=bool(denials)), bool(denials),
                          [asserted_clause(c.cue.text, c.content.text) for c in here if c not in denials],
                          premise_of(article.sentences, sentence.index - 1) if sentence.index > 0 else "")

    def _denials_after(self, candidates: Sequence[_Candidate], articles: dict[str, Article | None],
                       reported: dict[str, list[Claim]]) -> list[_Candidate]:
        """The sentences right after the evidence that deny what it says ("Israel denies
        this"): retrieval seldom finds them, as they hardly repeat what they deny."""
        seen = {(c.evidence.article_id, c.evidence.sentence_index) for c in candidates}
        out = []
        for cand in candidates:
            article, position = articles[cand.evidence.article_id], cand.evidence.sentence_index + 1
            if article is None or position >= len(article.sentences) or (article.id, position) in seen:
                continue
            after = self._candidate(article, article.sentences[position], reported.get(article.id, []))
            if after.denial and _POINTS_BACK.search(after.evidence.text):
                seen.add((article.id, position))
                out.append(after)
        return out

    def _nearest(self, sentences: Sequence[str], article: Article, embeddings: np.ndarray | None,
                 encode: Callable[[list[str]], np.ndarray] | None) -> list[list[int]]:
        """For each summary sentence, the article sentences the model reads (at most
        ``read_sentences``), most similar first: shared content words, plus the cosine of
        the index's encoder when the article's sentence embeddings (or an ``encode``) are
        at hand. Without them (a document given with its summary) shared words alone
        rank: encoding every sentence of a long document cost more than checking the summary."""
        n = len(article.sentences)
        similarity = np.zeros((len(sentences), n), dtype=np.float32)
        if embeddings is not None or encode is not None:
            if encode is None:
                from .summarize import default_encode
                encode = default_encode
            if embeddings is None:
                embeddings = encode([s.text for s in article.sentences])
            similarity = encode(list(sentences)) @ np.asarray(embeddings).T
        out = []
        for text, row in zip(sentences, similarity):
            overlap = np.array([lexical_overlap(text, s.text) for s in article.sentences])
            order = np.argsort(-(row + overlap), kind="stable")[: self.config.read_sentences]
            out.append([int(i) for i in order])
        return out

    def _read(self, candidates: Sequence[_Candidate], content: str) -> tuple[np.ndarray, list[str]]:
        """The model's probabilities for each candidate, and the premise they are of: its
        sentence (with the one before), or, where it reports someone asserting a clause,
        that clause on its own if it entails the claim more (support through a reported
        claim is support as that speaker's claim)."""
        pairs, owners = [], []
        for n, cand in enumerate(candidates):
            for premise in [cand.premise] + [a for a in cand.asserted if is_clause(a)]:
                pairs.append((premise, content))
                owners.append(n)
        read = self.model.probabilities(pairs)
        best = np.zeros((len(candidates), read.shape[1]), dtype=np.float32)
        premises = [""] * len(candidates)
        for (premise, _), n, p in zip(pairs, owners, read):
            if not premises[n] or p[0] > best[n][0]:
                best[n], premises[n] = p, premise
        return best, premises

    def _judge(self, claim: str, candidates: Sequence[_Candidate], articles: Sequence[Article],
               *, claim_id: str | None = None, shortlist: int | None = None) -> CheckResult:
        """The verdict on ``claim`` from what the model reads in ``candidates``. With a
        ``shortlist``, the candidates come most similar first and only the first
        ``shortlist`` of them, and those the model finds entail the claim most, are judged:
        the model reads them all, as the sentence that supports a claim need not share its
        words, but a contradiction counts only from a sentence about the same thing."""
        cfg = self.config
        speaker, content = self.claim_speaker(claim)
        # "Hamas denies that X": the claim is the denial, X is what the evidence is read for
        denies = speaker is not None and _DENIES_WHAT_FOLLOWS.search(claim[:max(claim.find(content), 0)])
        denier = speaker if denies else None
        if not candidates:
            return CheckResult(claim, NOT_IN_COVERAGE, 0.0, [], [], ["no sentence of the coverage bears on it"], claim_id)
        probabilities, premises = self._read(candidates, content)
        # the most of the claim's content words one sentence holds: a claim whose words no
        # sentence holds is seldom stated there, whatever the model reads into it
        overlap = max(lexical_overlap(content, c.evidence.text) for c in candidates)
        if shortlist is not None and len(candidates) > shortlist:
            kept = sorted(set(range(shortlist)) | set(np.argsort(-probabilities[:, 0], kind="stable")[:shortlist].tolist()))
            candidates = [candidates[i] for i in kept]
            probabilities, premises = probabilities[kept], [premises[i] for i in kept]
        article_texts = [a.text for a in articles]
        texts_by_id = {a.id: a.text for a in articles}
        # the claim's words about its speaker ("X, director of the Y hospital, said") are
        # checked too: a speaker or description the coverage never names is not supported
        unknown_speaker = [Finding("name", UNSUPPORTED, f"'{name}' is not named in the coverage")
                           for name in names_missing(claim, article_texts)
                           if speaker and name not in names_missing(content, article_texts)]
        findings_by_candidate: list[list[Finding]] = []
        reasoned: set[int] = set()  # candidates that contradict with a reason a reader can check
        issues_by_candidate: list[list[str]] = [[] for _ in candidates]
        for n, (cand, p, premise) in enumerate(zip(candidates, probabilities, premises)):
            e = cand.evidence
            e.probabilities = {"entailment": round(float(p[0]), 4), "neutral": round(float(p[1]), 4),
                               "contradiction": round(float(p[2]), 4)}
            shared = lexical_overlap(content, e.text)
            alone = self.calibrated_score({"entailment": float(p[0]), "overlap": shared, "contradiction": float(p[2]),
                                           "contradicting_findings": 0, "unsupported_findings": 0})
            cand.consistency = alone
            # structured checks compare only what is about the same thing: the sentence
            # shares most of the claim's words, or reads as consistent with it; the model's
            # p(contradiction) does not decide it (near-copies on the same subject draw it)
            related = alone >= cfg.support_at or shared >= cfg.same_topic_overlap
            # the checks read what the model read (pronouns and "this" may point back); a
            # figure or date counts only from a sentence about the same thing; all are read in
            # the whole sentence also when the model read a clause of it: "where the army has
            # operated since October, X said the army ordered ..." dates the operation, and
            # "they noted his attorney offered X, but Chaffetz declined" turns the offer down
            read = list(dict.fromkeys([premise, cand.premise]))
            findings = figure_findings(content, read, article_texts) + clause_findings(content, read) + unknown_speaker \
                if related else clause_findings(content, read)
            findings_by_candidate.append(findings)
            denial = cand.denies(content)
            # the model reads a sentence with the one before it: a contradiction counts when
            # this sentence is about the claim (shares its words), not only the one before
            # nor when both negate: the model reads one negation against another form of it
            # ("have yet to secure" against "have not yet managed to broker") as a contradiction
            said_otherwise = p[2] >= cfg.contradict_at and p[2] > p[0] \
                and shared >= cfg.contradict_overlap and alone < cfg.support_at \
                and not (negates(content) and negates(premise))
            # what "X denies this" denies is in the sentence before, which the premise holds
            denies_it = denial and (related or said_otherwise
                                    or lexical_overlap(content, premise) >= cfg.same_topic_overlap)
            if any(f.effect == CONTRADICTS for f in findings) or denies_it:
                e.stance = CONTRADICTS_STANCE
                reasoned.add(n)
            elif alone >= cfg.support_at and not findings:
                # support states the claim whole: no figure, name, date or certainty it lacks,
                # every figure of the claim in what the model read, and every name in its whole
                # sentence, the sentence before (which may name what it calls "the school") or
                # its speaker:
                # a sentence about other actors, or without the count, is no support
                article_text = texts_by_id.get(e.article_id, "")
                unnamed = [name for name in names_missing(content, [cand.before, cand.premise, premise, e.speaker or ""])
                           if not named_by_description(name, content, cand.premise, article_text)]
                unfigured = figures_missing(content, [premise])
                if unnamed:
                    issues_by_candidate[n].append(f"'{unnamed[0]}' is not named in the sentence that says the rest")
                elif unfigured:
                    issues_by_candidate[n].append(f"'{unfigured[0]}' is not in the sentence that says the rest")
                else:
                    e.stance = SUPPORTS
            elif said_otherwise:
                e.stance = CONTRADICTS_STANCE
        denies_the_support(content, candidates, reasoned)
        if denier:
            restance_for_denial(denier, candidates, reasoned)
        supports = [c for c in candidates if c.evidence.stance == SUPPORTS]
        if supports or names_missing(subject_of(content), article_texts):
            # the model alone, against a sentence that supports the claim, is no dispute: a
            # dispute needs a reason (a figure, a polarity, roles, a date, a denial); nor
            # does it contradict a claim about someone the coverage never names (the World
            # Health Organization's statement is not in it, whatever the model reads); a
            # name the claim gives as what it says of its subject ("the base is in Nineveh
            # province") may still be contradicted
            for n, cand in enumerate(candidates):
                if cand.evidence.stance == CONTRADICTS_STANCE and n not in reasoned:
                    cand.evidence.stance = RELATED
        contradicts = [c for c in candidates if c.evidence.stance == CONTRADICTS_STANCE]
        attributed = list(dict.fromkeys(c.evidence.speaker for c in supports if c.evidence.speaker))
        verdict, issues = weigh(supports, contradicts)
        if speaker and not denier and verdict in (SUPPORTED, DISPUTED):
            # the coverage gives the claim to whoever says it most clearly
            ranked = sorted(supports, key=lambda c: -c.evidence.probabilities["entailment"])
            givers = [c.evidence.speaker for c in ranked if c.evidence.speaker]
            sentences = [s.text for a in articles for s in a.sentences]
            if givers and not same_speaker(speaker, givers[0]) and not relays(speaker, ranked) \
                    and not describes(speaker, givers[0], sentences) and not speaks_for(givers[0], speaker, sentences):
                verdict = CONTRADICTED
                issues.append(f"misattributed: the coverage gives this to {givers[0]}, not {speaker}")
            elif not givers:
                issues.append(f"the coverage states this without attributing it to {speaker}")
        for n, (c, findings) in enumerate(zip(candidates, findings_by_candidate)):
            if c.evidence.stance != RELATED:
                issues.extend(f.reason for f in findings)
            if c.evidence.stance == CONTRADICTS_STANCE and n not in reasoned:
                # no check can show why: say the verdict is the model's reading alone
                p_contradiction = c.evidence.probabilities["contradiction"]
                issues.append(f"the model reads this as contradicting the claim (p {p_contradiction:.2f}), with no "
                              f"figure, name, date, negation or role to show why: \"{c.evidence.text}\"")
        # a name, figure or date the coverage never writes is unsupported whichever sentence is read
        never_written = [f for f in run_checks(content, [], article_texts) + unknown_speaker if f.effect == UNSUPPORTED]
        if verdict == NOT_IN_COVERAGE:
            issues.insert(0, "no sentence of the coverage states or contradicts it")
            issues.extend(f.reason for f in never_written)
            issues.extend(i for found in issues_by_candidate for i in found)
        all_findings = [f for fs in findings_by_candidate for f in fs]
        # each reason counts once, however many sentences repeat it
        unsupported = {f.reason for f in all_findings + never_written if f.effect == UNSUPPORTED}
        # a denial is as consistent as the denial found, not as what it denies
        entailment = max((c.evidence.probabilities["entailment"] for c in supports), default=0.0) if denier \
            else float(probabilities[:, 0].max())
        signals = {"entailment": round(entailment, 4), "overlap": round(overlap, 4),
                   # a contradiction counts from a sentence judged to contradict: the model
                   # also gives near-copies on the same subject a high p(contradiction)
                   "contradiction": round(max((c.evidence.probabilities["contradiction"] for c in contradicts),
                                              default=0.0), 4),
                   "contradicting_findings": len({f.reason for f in all_findings if f.effect == CONTRADICTS}),
                   "unsupported_findings": len(unsupported)}
        score = self.calibrated_score(signals)
        if verdict == CONTRADICTED and score >= 0.5:
            # on human-labelled summaries a finding alone is weak evidence (its fitted
            # weight is small): say that the two readings part
            issues.append(f"uncertain: the model reads the evidence as consistent with the claim (score "
                          f"{score:.2f}); the verdict rests on the reason given")
        evidence = sorted((c.evidence for c in candidates),
                          key=lambda e: ({SUPPORTS: 0, CONTRADICTS_STANCE: 0, RELATED: 1}[e.stance],
                                         -max(e.probabilities["entailment"], e.probabilities["contradiction"])))
        return CheckResult(claim, verdict, score, evidence, attributed if verdict != CONTRADICTED else [],
                           list(dict.fromkeys(issues)), claim_id, signals=signals)

    def calibrated_score(self, signals: dict[str, float]) -> float:
        """The probability that the claim is consistent with the coverage: a logistic
        function of the ``signals`` (weights fitted by ``eval/fit_check.py``)."""
        z = self.config.bias + sum(w * signals[name] for w, name in zip(self.config.weights, self.config.score_signals))
        return sigmoid(z)

    def _combine(self, text: str, results: list[CheckResult], claim_id: str | None) -> CheckResult:
        """A summary's result from its sentences': the weakest sentence decides the verdict;
        the score reads the sentences' mean signals (as SummaC averages over sentences),
        which ranks summaries better than the weakest sentence's: one sentence's reading is
        noisy."""
        if not results:
            return CheckResult(text, NOT_IN_COVERAGE, 0.0, id=claim_id, sentences=[])
        order = {CONTRADICTED: 0, DISPUTED: 1, NOT_IN_COVERAGE: 2, SUPPORTED: 3}
        worst = min(results, key=lambda r: (order[r.verdict], r.score))
        issues = [f"sentence {i + 1}: {issue}" for i, r in enumerate(results) if r.verdict != SUPPORTED
                  for issue in r.issues[:2]]
        attributed = list(dict.fromkeys(n for r in results for n in r.attributed_to))
        signals = {name: round(float(np.mean([r.signals.get(name, 0.0) for r in results])), 4) for name in SIGNALS}
        return CheckResult(text, worst.verdict, self.calibrated_score(signals), [], attributed, issues,
                           claim_id, sentences=results, signals=signals)
