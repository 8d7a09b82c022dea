"""Structured checks of a claim against evidence, each with a plain-language reason.

They sit beside the consistency model (``consistency``) and catch what a small model
misses or cannot explain: a different figure for the same count, a name the article never
mentions, a negation, reversed roles, a certainty the source hedges, another date.

Each check is a pure function of spaCy parses (``parse``, cached) and returns
``Finding`` objects:

* ``contradicts``: the evidence says otherwise (another number for the same thing, the
  opposite polarity, swapped roles, another date);
* ``unsupported``: the claim states something the evidence (or the whole article) does not
  contain (an unknown name or number, a certainty where the source hedges).
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .figure_words import spelled_figures
from .fileio import read_word_lines
from .verify import _stem, _word_in, names_in, quotations_in

CONTRADICTS, UNSUPPORTED = "contradicts", "unsupported"


@dataclass(frozen=True)
class Finding:
    check: str    # number | name | entity | polarity | antonym | roles | modality | date | place | quotation
    effect: str   # contradicts | unsupported
    reason: str   # one plain sentence for the user


@lru_cache(maxsize=4096)
def parse(text: str) -> Any:
    """The spaCy parse of ``text`` (the bundled small English model), cached."""
    from .models import load_spacy

    return load_spacy()(text)


# --------------------------------------------------------------------------- numbers

_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
_NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
                      "ninety": 90, "hundred": 100, "dozen": 12, "dozens": 12, "hundreds": 100,
                      "thousands": 1000})
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_ORDINAL_OR_YEAR = {"DATE", "TIME", "ORDINAL"}


@dataclass(frozen=True)
class Quantity:
    value: float
    counted: str   # the lemma of what the number counts ("palestinian", "hostage"), or ""
    text: str      # as written, scale included ("2.3 million")
    event: str = ""  # the lemma of the verb the counted thing goes with ("kill", "displace"), or ""
    bound: str = ""  # "at least", "at most" or "about" when the figure is written as one
    part: bool = False  # "eight of them": a part of another count, no rival to a total
    up_to: float | None = None  # an order of size ("hundreds of"): the values from ``value`` to this

    def written(self) -> str:
        return f"{self.bound} {self.text}".strip()

    def span(self) -> tuple[float, float]:
        """The values the figure allows: "at least 17" any from 17 up, "hundreds" 200 to 999."""
        if self.up_to is not None:
            return self.value, self.up_to
        low, high = {"at least": (self.value, math.inf), "at most": (-math.inf, self.value),
                     "about": (0.9 * self.value, 1.1 * self.value)}.get(self.bound, (self.value, self.value))
        return low, high


def compatible(a: Quantity, b: Quantity) -> bool:
    """Whether two figures can both be true of one count ("more than 45,000" and "at
    least 17"; "about 100" and "98")."""
    (a_low, a_high), (b_low, b_high) = a.span(), b.span()
    return a_low <= b_high + 1e-9 and b_low <= a_high + 1e-9


_BOUNDS = {"at least": "at least", "more than": "at least", "over": "at least", "upwards of": "at least",
           "at most": "at most", "less than": "at most", "fewer than": "at most", "up to": "at most",
           "under": "at most", "nearly": "at most", "almost": "at most", "about": "about", "around": "about",
           "roughly": "about", "approximately": "about", "some": "about", "an estimated": "about"}


def _bound(doc, i: int) -> str:
    before = " ".join(t.lower_ for t in doc[max(0, i - 2):i])
    for words, bound in _BOUNDS.items():
        if before == words or before.endswith(" " + words):
            return bound
    return ""


def _value(token) -> float | None:
    text = token.lower_.replace(",", "")
    if text in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[text])
    try:
        return float(text)
    except ValueError:
        return None


_PARTITIVE = {"of them", "of whom", "of those", "of these", "of which"}


def quantities(doc) -> list[Quantity]:
    """Numbers with what they count and what happened to it ("17 Palestinians were killed"
    -> 17, palestinian, kill; "2.3 million" -> 2300000), leaving out dates, times and
    ordinals."""
    out = []
    for t in doc:
        if not t.like_num or t.ent_type_ in _ORDINAL_OR_YEAR or t.lower_ in _SCALES:
            continue
        value = _value(t)
        if value is None:
            continue
        text = t.text
        nxt = t.nbor(1) if t.i + 1 < len(doc) else None
        if nxt is not None and nxt.lower_ in _SCALES:
            value *= _SCALES[nxt.lower_]
            text = f"{t.text} {nxt.text}"
        head = t.head
        while head.lower_ in _SCALES and head.head.i != head.i:
            head = head.head
        counted = head.lemma_.lower() if head.pos_ in ("NOUN", "PROPN") and head.i != t.i else ""
        out.append(Quantity(value, counted, text, _event_of(head), _bound(doc, t.i),
                            doc[t.i + 1:t.i + 3].text.lower() in _PARTITIVE))
    return out


def _event_of(token) -> str:
    """The lemma of the verb a counted word goes with, or ""."""
    verb = token
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    return verb.lemma_.lower() if verb.pos_ in ("VERB", "AUX") else ""


# counts given by their order of size, as the values they allow ("hundreds of fighters")
_ORDERS = {"dozens": (24.0, 99.0), "scores": (40.0, 99.0), "hundreds": (200.0, 999.0),
           "thousands": (2e3, 9999.0), "millions": (2e6, 999e6)}
_TIMES = {"tens": 10, "hundreds": 100}


def orders_of_size(doc) -> list[Quantity]:
    """Counts written as orders of size, "dozens of people" (24 to 99) to "tens of thousands
    of people" (20,000 to 99,999), with what they count: what "of" names."""
    out = []
    for t in doc:
        if t.lower_ not in _ORDERS or t.dep_ == "quantmod":
            continue
        counted = next((g.lemma_.lower() for c in t.children if c.dep_ == "prep" and c.lower_ == "of"
                        for g in c.children if g.dep_ == "pobj"), "")
        if not counted:
            continue
        low, high = _ORDERS[t.lower_]
        times = next((c for c in t.children if c.dep_ == "quantmod" and c.lower_ in _TIMES), None)
        if times is not None:  # "tens of thousands"
            low, high = low * _TIMES[times.lower_], (high + 1) * _TIMES[times.lower_] - 1
        text = doc[times.i:t.i + 1].text if times is not None else t.text
        out.append(Quantity(low, counted, text, _event_of(t), up_to=high))
    return out


_SPELLED = re.compile(r"\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-(one|two|three|four|five|six|"
                      r"seven|eight|nine)\b", re.I)
_TENS = {w: 20 + 10 * i for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
_UNITS = {w: i + 1 for i, w in enumerate("one two three four five six seven eight nine".split())}


# "5bn", "3.2tn", "5mn" anywhere; "$5m", "£40k" only after a currency sign ("5m" may be metres)
_ABBREVIATED = re.compile(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)\s?(bn|mn|tn|trn)\b"
                          r"|(?<=[$£€¥])(\d[\d,]*(?:\.\d+)?)\s?(m|b|k)\b")
_ABBREVIATIONS = {"bn": "billion", "b": "billion", "mn": "million", "m": "million", "tn": "trillion",
                  "trn": "trillion", "k": "thousand"}


def normal_figures(text: str) -> str:
    """Figures written one way, which the parser and the number checks read: figures
    spelled out in several words as digits ("nine hundred" -> "900", "half a million" ->
    "500,000": ``figure_words``), hyphenated number words as digits ("Twenty-eight" -> "28",
    which the parser splits) and abbreviated scales as words ("$5bn" -> "$5 billion", "£3m"
    -> "£3 million")."""
    text = _SPELLED.sub(lambda m: str(_TENS[m.group(1).lower()] + _UNITS[m.group(2).lower()]), spelled_figures(text))
    return _ABBREVIATED.sub(lambda m: f"{m.group(1) or m.group(3)} {_ABBREVIATIONS[(m.group(2) or m.group(4)).lower()]}",
                            text)


_RAW_NUMBER = re.compile(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)(?:\s+(thousand|million|billion|trillion))?", re.I)
_RAW_WORD = re.compile(r"[A-Za-z]+")


@lru_cache(maxsize=1024)
def numbers_written(text: str) -> frozenset[float]:
    """Every number written in ``text`` (digits, scales, small number words), read from the
    raw text: an article is looked up whole without being parsed."""
    values = set()
    text = normal_figures(text)
    for digits, scale in _RAW_NUMBER.findall(text):
        try:
            values.add(float(digits.replace(",", "")) * (_SCALES[scale.lower()] if scale else 1))
        except ValueError:
            continue
    values |= {float(_NUMBER_WORDS[w.lower()]) for w in _RAW_WORD.findall(text) if w.lower() in _NUMBER_WORDS}
    return frozenset(values)


def figures_missing(claim_text: str, texts: Iterable[str]) -> list[str]:
    """The claim's figures (as written) that none of ``texts`` writes."""
    texts = list(texts)
    written = frozenset().union(*(numbers_written(t) for t in texts))

    def is_written(q: Quantity) -> bool:
        if q.up_to is None:
            return q.value in written
        # an order of size is written as itself ("hundreds"), or as a figure it allows
        return any(re.search(rf"\b{re.escape(q.text)}\b", t, re.I) for t in texts) \
            or any(q.value <= v <= q.up_to for v in written)

    claim = parse(normal_figures(claim_text))
    return [q.written() for q in quantities(claim) + orders_of_size(claim) if not is_written(q)]


# events that count the same thing ("17 died" and "killed 17")
_SAME_EVENT = {"die": "kill", "perish": "kill", "wound": "injure", "hurt": "injure"}


def same_count(a: Quantity, b: Quantity) -> bool:
    """Whether two figures count the same thing for the same event ("killed 17
    Palestinians" and "25 Palestinians died", not "2.3 million people displaced")."""
    ea, eb = _SAME_EVENT.get(a.event, a.event), _SAME_EVENT.get(b.event, b.event)
    return bool(a.counted) and a.counted == b.counted and (not ea or not eb or ea == eb)


def number_findings(claim, evidence: Sequence[Any], article_texts: Sequence[str]) -> list[Finding]:
    """A number of the claim that the evidence gives differently for the same thing
    (contradicts), or that appears nowhere in the articles (unsupported)."""
    findings = []
    seen_values = frozenset().union(*(numbers_written(t) for t in article_texts))
    evidence_quantities = [q for d in evidence for q in quantities(d) + orders_of_size(d)]
    for q in quantities(claim) + orders_of_size(claim):
        if any(abs(e.value - q.value) < 1e-9 and e.up_to == q.up_to for e in evidence_quantities):
            continue
        rivals = [e for e in evidence_quantities if same_count(q, e) and not e.part and not compatible(q, e)]
        if rivals:
            findings.append(Finding("number", CONTRADICTS,
                                    f"the coverage gives {rivals[0].written()} {q.counted}, not {q.written()}"))
        elif q.up_to is None and q.value not in seen_values and not any(same_count(q, e) for e in evidence_quantities):
            findings.append(Finding("number", UNSUPPORTED, f"the number {q.text} does not appear in the coverage"))
    return findings


# --------------------------------------------------------------------------- names

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
           "nov", "dec"}


def subject_of(text: str) -> str:
    """What a sentence is about: its main verb's subject (or a passive's agent), whole."""
    doc = parse(text)
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None:
        return ""
    heads = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
    heads += [g for c in root.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    return " ".join(doc[h.left_edge.i:h.right_edge.i + 1].text for h in heads)


def names_missing(claim_text: str, texts: Iterable[str]) -> list[str]:
    """Names in the claim that ``texts`` never mention (a name's capitalised words, each
    exact or sharing a long prefix: Iraqi ~ Iraq). Dates are the date check's."""
    texts = list(texts)
    words = {w.lower().replace("’", "'") for text in texts for w in _WORD.findall(text)}
    # "EPA" for "the Environmental Protection Agency", and the other way round
    words |= {a.lower() for text in texts for a in _acronyms(text)}
    # "the World Health Organization" for "WHO", written in capitals ("who" is a word)
    capitals = {w for text in texts for w in _WORD.findall(text) if len(w) > 1 and w.isupper()}
    for run in _NAME_RUN.findall(claim_text):
        if _initials(run) in capitals:
            words |= {w.lower() for w in _WORD.findall(run)}
    # in text without capitals (some summarisers write lower case) the parser's names count whole
    caseless = claim_text == claim_text.lower()
    missing: list[str] = []
    for name in sorted(names_in(claim_text), key=len, reverse=True):
        # "UNK", the unknown-word token of tokenised summaries, names nothing
        parts = [w for w in _WORD.findall(name) if len(w) > 1 and (w[0].isupper() or caseless)
                 and w.lower().rstrip(".") not in _WEEKDAYS | _MONTHS and w != "UNK"]
        if any(not _word_in(w.replace("’", "'"), words) for w in parts) and not any(name in longer for longer in missing):
            missing.append(name)
    return missing


_NOT_MODIFIERS = {"the", "a", "an", "this", "that", "these", "those", "its", "his", "her", "their", "our"}


def named_by_description(name: str, claim_text: str, sentence: str, article_text: str) -> bool:
    """Whether ``sentence`` names ``name`` through a definite description the article gives
    it: "the army" is "the Israeli army" in an article that writes "Israeli army" and no
    other name before "army" ("the Israeli army told staff" against "the army ordered staff")."""
    found = re.search(rf"\b{re.escape(name)}\s+([a-z]+)\b", claim_text)
    if found is None or not re.search(rf"\b(?i:the)\s+{found[1]}\b", sentence):
        return False
    modifiers = set()
    for run in re.finditer(rf"\b([A-Z][\w’'-]*(?: [A-Z][\w’'-]*)*) {found[1]}\b", article_text):
        words = run[1].split()
        # "The Israeli army" at the start of a sentence: "The" is no part of the name
        starts = [i + 1 for i, w in enumerate(words) if w.lower() in _NOT_MODIFIERS]
        modifiers.add(" ".join(words[max(starts, default=0):]))
    return modifiers - {""} == {name}


_NAME_RUN = re.compile(r"\b(?!(?:The|A|An)\b)[A-Z][\w’'-]*(?:\s+(?:(?:of|for|on)\s+)?[A-Z][\w’'-]*)+")


@lru_cache(maxsize=1024)
def _acronyms(text: str) -> frozenset[str]:
    """The initials of each run of capitalised words ("Environmental Protection Agency" ->
    EPA; "Bureau of Labor Statistics" -> BLS), at least two of them (cached: an article
    is looked up for every claim checked against it)."""
    return frozenset(_initials(run) for run in _NAME_RUN.findall(text))


def _initials(run: str) -> str:
    return "".join(w[0] for w in run.split() if w[0].isupper())


def name_findings(claim_text: str, article_texts: Iterable[str]) -> list[Finding]:
    """Names in the claim that the articles never mention (looked up in the whole article,
    not only in the sentences cited)."""
    return [Finding("name", UNSUPPORTED, f"'{name}' is not named in the coverage")
            for name in names_missing(claim_text, article_texts)]


# --------------------------------------------------------------------------- polarity, roles, modality

_NEGATIONS = {"not", "n't", "never", "no", "neither", "nor", "without"}
_HEDGES = {"may", "might", "could", "would", "possibly", "reportedly", "allegedly", "likely", "probably",
           "perhaps", "plan", "expect", "consider", "hope", "seek", "aim", "intend", "propose",
           # what something is for, not what it did: "meant to fight", "designed to", "tries to"
           "mean", "design", "want", "try", "attempt"}
_SUBJECTS = {"nsubj", "agent_pobj"}
_OBJECTS = {"dobj", "nsubjpass"}


def _content_lemmas(doc) -> set[str]:
    return {t.lemma_.lower() for t in doc if t.pos_ in ("VERB", "NOUN", "PROPN", "ADJ", "NUM") and not t.is_stop}


_NOMINAL = re.compile(r"(ment|ion|al|ance|ence)$")


def _predicate_key(token) -> str | None:
    """What a word predicates, for matching a verb with its noun ("commit" and
    "commitment", "evacuate" and "evacuation"): the verb's lemma, or a nominalisation's
    lemma without its suffix, both without a final "e"; None for other words."""
    lemma = token.lemma_.lower()
    if token.pos_ in ("VERB", "AUX") and token.dep_ != "aux":
        return lemma.rstrip("e") or lemma
    if token.pos_ == "NOUN" and _NOMINAL.search(lemma) and len(lemma) > 6:
        return _NOMINAL.sub("", lemma).rstrip("e")
    return None


def _predicates(doc) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for t in doc:
        key = _predicate_key(t)
        if key is not None:
            out.setdefault(key, t)
    return out


_NOBODY = {"nothing", "nobody", "none", "no-one"}
# verbs that deny what they govern: "failed to stop" did not stop, "declined to commit"
# did not commit (implicatives); "has yet to secure" has not secured
DENYING_VERBS = {"fail", "refuse", "decline", "neglect"}


def _negated(token) -> bool:
    """"did not have", and also "had no ambulances", "nobody came": the negation can sit
    on the verb's subject or object, or in the verb that governs it ("failed to stop",
    "have yet to secure")."""
    head = token.head
    if token.dep_ == "xcomp" and (head.lemma_.lower() in DENYING_VERBS
                                  or any(c.lower_ == "yet" for c in head.children if c.dep_ == "advmod")):
        return True
    for c in token.children:
        if c.dep_ == "neg" or c.lower_ in _NEGATIONS and c.dep_ in ("advmod", "det"):
            return True
        if c.dep_ in ("dobj", "nsubj", "nsubjpass", "attr") and (
                c.lower_ in _NOBODY or any(d.dep_ == "det" and d.lower_ == "no" for d in c.children)):
            return True
    return False


def negates(text: str) -> bool:
    """Whether ``text`` negates something it predicates ("did not have", "had no
    ambulances", "have yet to secure")."""
    return any(_negated(t) for t in parse(text) if t.pos_ in ("VERB", "AUX", "NOUN"))


def _hedged(token) -> bool:
    if token.lemma_.lower() in _HEDGES:
        return True
    if any(c.lower_ in _HEDGES for c in token.children if c.dep_ in ("aux", "advmod")):
        return True
    # "plans to attack", "is aimed at fighting": the hedge governs the verb
    while token.dep_ in ("xcomp", "pcomp", "prep") and token.head.i != token.i:
        token = token.head
        if token.lemma_.lower() in _HEDGES:
            return True
    return False


def _same_subject_matter(claim, evidence) -> bool:
    """Whether claim and evidence share most of the claim's content words."""
    shared = _content_lemmas(claim) & _content_lemmas(evidence)
    return len(shared) >= max(2, 0.5 * len(_content_lemmas(claim)))


def _shared_verbs(claim, evidence) -> list[tuple[Any, Any]]:
    """Pairs of the same verb (or its noun: "declined to commit" / "his commitment") in
    claim and evidence, when the two talk about the same thing (they share most content
    words)."""
    if not _same_subject_matter(claim, evidence):
        return []
    claimed, given = _predicates(claim), _predicates(evidence)
    return [(t, given[key]) for key, t in claimed.items() if key in given]


def _shared_objects(claim, evidence) -> list[tuple[Any, Any]]:
    """Pairs of verbs done to the same thing ("brokered a ceasefire" / "have yet to secure a
    ceasefire"), when the two talk about the same thing: one may deny what the other does."""
    if not _same_subject_matter(claim, evidence):
        return []
    objects = {}
    for t in evidence:
        if t.dep_ in _OBJECTS and t.pos_ in ("NOUN", "PROPN") and t.head.pos_ == "VERB":
            objects.setdefault(t.lemma_.lower(), t.head)
    return [(t.head, objects[t.lemma_.lower()]) for t in claim
            if t.dep_ in _OBJECTS and t.pos_ in ("NOUN", "PROPN") and t.head.pos_ == "VERB"
            and t.lemma_.lower() in objects]


def _load_antonyms() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    for words in read_word_lines(Path(__file__).resolve().parent / "data" / "antonyms.txt"):
        if len(words) == 2:
            table.setdefault(words[0], set()).add(words[1])
            table.setdefault(words[1], set()).add(words[0])
    return {w: frozenset(o) for w, o in table.items()}


_ANTONYMS = _load_antonyms()


def _word_senses(doc) -> dict[str, Any]:
    """Lemmas of the content words, and of each verb with its particle ("bring_forward")."""
    out = {}
    for t in doc:
        if t.pos_ in ("VERB", "AUX", "ADJ", "ADV", "NOUN"):
            out.setdefault(t.lemma_.lower(), t)
            for c in t.children:
                if c.dep_ in ("prt", "advmod") and t.pos_ == "VERB":
                    out.setdefault(f"{t.lemma_.lower()}_{c.lower_}", t)
    return out


def _polar(token) -> bool:
    """Whether a word is negated, as a verb or as what a negated verb says ("not easy"), or
    within a phrase of a negated verb ("did not respond to requests for a comment")."""
    if _negated(token) or token.dep_ in ("acomp", "attr", "dobj") and _negated(token.head):
        return True
    if token.dep_ != "pobj":
        return False
    while token.dep_ in ("pobj", "prep") and token.head.i != token.i:
        token = token.head
    return token.pos_ in ("VERB", "AUX") and _negated(token)


_NEGATIVE_PREFIXES = ("un", "in", "im", "il", "ir", "dis", "non-", "non")
_DESCRIBING = {"ADJ", "ADV"}
# prefixed words that do not mean the opposite of their base
_NOT_OPPOSITES = {"invaluable", "inflammable", "infamous", "incredible", "incredibly", "indifferent", "inquiring",
                  "impassioned", "irregardless", "unravelled", "disgruntled", "dissolute", "unless"}


def _negative_forms(word: str, token, given: dict[str, Any]) -> set[str]:
    """The words of ``given`` that are ``word`` with a negative prefix, or ``word`` without
    one ("suitable" / "unsuitable", "inefficient" / "efficient"): opposites by their form.
    Only describing words count ("install" is no "stall" undone), with a base of four
    letters or more (five for "in-", "im-", "il-", "ir-")."""
    out = set()
    for prefix in _NEGATIVE_PREFIXES:
        others = [prefix + word] + ([word[len(prefix):]] if word.startswith(prefix) else [])
        for other in others:
            base, negative = sorted((word, other), key=len)
            # "in-" and its kin need a longer base: "inside" is no "side" undone
            shortest = 5 if prefix[0] == "i" else 4
            if other in given and len(base) >= shortest and negative not in _NOT_OPPOSITES \
                    and _DESCRIBING & {token.pos_, given[other].pos_}:
                out.add(other)
    return out


def antonym_findings(claim, evidence) -> list[Finding]:
    """A word of the claim whose opposite the evidence uses instead ("extend the mission"
    / "end the mission"; "would be easy" / "next to impossible"), when the two talk about
    the same thing; a negated opposite ("not difficult") says the same."""
    if not _same_subject_matter(claim, evidence):
        return []
    said, given = _word_senses(claim), _word_senses(evidence)
    for word, token in said.items():
        for opposite in _ANTONYMS.get(word, frozenset()) | _negative_forms(word, token, given):
            if opposite in given and word not in given and opposite not in said \
                    and _polar(token) == _polar(given[opposite]):
                return [Finding("antonym", CONTRADICTS, f"the claim says '{word.replace('_', ' ')}', the source "
                                f"'{opposite.replace('_', ' ')}': \"{given[opposite].sent.text.strip()}\"")]
    return []


_NAMED = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT"}


def _slot(span) -> tuple[str, str]:
    """Where a name stands: its relation and the word it attaches to, through a
    preposition ("in Tehran" of "assassinated": pobj, in assassinate)."""
    root = span.root
    if root.dep_ == "pobj":
        return f"pobj {root.head.lower_}", root.head.head.lemma_.lower()
    return root.dep_, root.head.lemma_.lower()


def _phrase(span) -> str:
    """A name with what hangs on it ("Tbilisi, Georgia"; "Vettel, who won")."""
    subtree = list(span.root.subtree)
    return span.doc[subtree[0].i:subtree[-1].i + 1].text


def entity_findings(claim, evidence) -> list[Finding]:
    """A name of the claim in the place of another name in the evidence, when the two talk
    about the same thing ("Foreign Minister Hussein Allawi held contacts" / "Foreign
    Minister Fuad Hussein has held contacts"): the source names someone else."""
    if not _same_subject_matter(claim, evidence):
        return []
    given = [e for e in evidence.ents if e.label_ in _NAMED]
    for name in (e for e in claim.ents if e.label_ in _NAMED):
        # what the evidence names in the same place, a name of the same kind ("expect
        # Clinton to win" for "expect Trump to win", though it names Trump elsewhere)
        there = [other for other in given if _slot(other) == _slot(name) and other.label_ == name.label_]
        # the same name, or one in apposition to it ("a native of Tbilisi, Georgia")
        if any(not names_missing(name.text, [_phrase(other)]) for other in there):
            continue
        for other in there:
            if names_missing(other.text, [claim.text]):
                return [Finding("entity", CONTRADICTS, f"the source names {other.text}, not {name.text}: "
                                f"\"{other.sent.text.strip()}\"")]
    return []


_LIGHT_VERBS = {"be", "have", "do", "get", "make", "take", "go", "come", "see", "seem"}
_ARGUMENT_DEPS = {"nsubj", "nsubjpass", "dobj", "attr", "acomp", "xcomp", "oprd", "dative"}


def _verb_of(token) -> Any:
    """The verb an auxiliary helps, else the token itself."""
    return token.head if token.dep_ in ("aux", "auxpass") else token


def _arguments(token) -> set[str]:
    """The content words a verb says something of: its subject, object or complement and
    what its prepositions take ("killed in Gaza": gaza); pronouns left out. An auxiliary's
    are its verb's ("were" of "were killed in the school")."""
    token = _verb_of(token)
    words = [c for c in token.children if c.dep_ in _ARGUMENT_DEPS]
    words += [g for c in token.children if c.dep_ in ("prep", "agent") for g in c.children if g.dep_ == "pobj"]
    return {w.lemma_.lower() for w in words if w.pos_ != "PRON" and not w.is_stop}


def _subjects(token) -> set[str]:
    """What a verb is said of: its subject and those the subject includes ("eight people,
    including children": person, child); pronouns left out."""
    token = _verb_of(token)
    subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ != "PRON"]
    subjects += [g for s in subjects for p in s.children if p.dep_ == "prep" and p.lower_ == "including"
                 for g in p.children if g.dep_ == "pobj"]
    return {s.lemma_.lower() for s in subjects}


def _same_predication(c, e) -> bool:
    """Whether two uses of one verb say it of the same thing: they share an argument, or
    one names none and the verb means more than "be" or "have"; "be" and "have" of the
    same subject (a sentence can use "was" of one thing and "was not" of another)."""
    if c.pos_ == "NOUN" or e.pos_ == "NOUN":  # a verb against its noun ("commit" / "commitment")
        return True
    light = c.lemma_.lower() in _LIGHT_VERBS
    if light and _subjects(c) and _subjects(e) and not _subjects(c) & _subjects(e):
        return False
    ours, theirs = _arguments(c), _arguments(e)
    if ours and theirs:
        return bool(ours & theirs)
    return not light


def polarity_findings(claim, evidence) -> list[Finding]:
    for c, e in _shared_verbs(claim, evidence) + _shared_objects(claim, evidence):
        if _polar(c) != _polar(e) and _same_predication(c, e) and not any(
                _predicate_key(t) == _predicate_key(c) and _polar(t) == _polar(c) and _same_predication(c, t)
                for t in evidence):  # "I don't want that, I want this": the source says it both ways
            said = "denies" if _polar(c) else "asserts"
            return [Finding("polarity", CONTRADICTS,
                            f"the claim {said} '{c.lemma_}', the source says the opposite: \"{e.sent.text.strip()}\"")]
    return []


def _roles(verb) -> tuple[str | None, str | None]:
    """(doer, done-to) of ``verb``, passive voice undone."""
    subject = obj = None
    for c in verb.children:
        if c.dep_ == "nsubj":
            subject = c
        elif c.dep_ == "dobj" or c.dep_ == "nsubjpass" \
                or c.dep_ == "acomp" and c.pos_ == "PROPN" and verb.lemma_ != "be":  # "leads Trump", misparsed
            obj = c
        elif c.dep_ == "agent":
            subject = next((g for g in c.children if g.dep_ == "pobj"), subject)
    if subject is not None and subject.lower_ in ("he", "she", "they"):
        subject = _antecedent(subject)
    key = (lambda t: _stem(t.text) if t is not None and t.pos_ in ("PROPN", "NOUN") else None)
    return key(subject), key(obj)


def _antecedent(pronoun):
    """The name a subject pronoun most likely stands for: the nearest one before it
    ("Clinton's advantage is the same: She leads Trump"), or None."""
    return next((t for t in reversed(pronoun.doc[:pronoun.i]) if t.pos_ == "PROPN" and t.ent_type_), None)


_DONE_TO = {"on", "against", "of"}


_GIVING = {"make", "place", "send", "give", "pay", "deliver", "extend", "issue"}
_RECEIVING = {"receive", "get", "take"}
_TRANSFERS = _GIVING | _RECEIVING


def _prep_object(tokens, word: str):
    return next((g for t in tokens for c in t.children if c.dep_ in ("prep", "dative") and c.lower_ == word
                 for g in c.children if g.dep_ == "pobj"), None)


def _nominal_roles(noun) -> tuple[str | None, str | None]:
    """(doer, done-to) of an event noun: "an attack by Iran on Israel", "Russia's invasion
    of Ukraine", "an Israeli attack on Iran" (the people's adjective names the doer), and
    one given or received: "X placed a call to Y" (X calls Y), "X received a call from Y"
    (Y calls X)."""
    key = (lambda t: _stem(t.text) if t is not None else None)
    verb = noun.head
    if noun.dep_ == "dobj" and verb.lemma_.lower() in _TRANSFERS:
        subject = next((c for c in verb.children if c.dep_ == "nsubj" and c.pos_ != "PRON"), None)
        if verb.lemma_.lower() in _GIVING:
            return key(subject), key(_prep_object((noun, verb), "to"))
        return key(_prep_object((noun, verb), "from")), key(subject)
    doer = done_to = None
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in ("by", *_DONE_TO):
            pobj = next((g for g in c.children if g.dep_ == "pobj"), None)
            if pobj is not None and pobj.pos_ in ("PROPN", "NOUN"):
                if c.lower_ == "by":
                    doer = pobj
                else:
                    done_to = done_to or pobj
        elif c.dep_ == "poss" and c.pos_ == "PROPN" or c.dep_ == "amod" and c.ent_type_ in ("NORP", "GPE"):
            doer = c
    return key(doer), key(done_to)


def _same_party(a: str | None, b: str | None) -> bool:
    """One party, named or by its people's adjective ("israel" / "israeli", "iran" / "iranian")."""
    if not a or not b:
        return False
    return a == b or min(len(a), len(b)) >= 4 and (a.startswith(b) or b.startswith(a))


def _event_roles(token) -> tuple[str | None, str | None]:
    return _roles(token) if token.pos_ == "VERB" else _nominal_roles(token)


def role_findings(claim, evidence) -> list[Finding]:
    """The same event with doer and done-to swapped ("Hamas attacked Israel" against "Israel
    attacked Hamas"; "an Israeli attack on Iran" against "an attack by Iran on Israel")."""
    evidence_events = [t for t in evidence if t.pos_ in ("VERB", "NOUN")]
    for event in (t for t in claim if t.pos_ in ("VERB", "NOUN")):
        doer, done_to = _event_roles(event)
        if not doer or not done_to or _same_party(doer, done_to):
            continue
        for other in evidence_events:
            if other.lemma_.lower() != event.lemma_.lower():
                continue
            e_doer, e_done_to = _event_roles(other)
            if _same_party(e_doer, done_to) and _same_party(e_done_to, doer):
                return [Finding("roles", CONTRADICTS,
                                f"roles are reversed: the source has {other.sent.text.strip()!r}")]
    return []


# --------------------------------------------------------------------------- places

_PLACES = {"GPE", "LOC", "FAC"}


def _place_of(token) -> str | None:
    """The place a word is said to be or happen at: its own "in X" / "at X" with a named place."""
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ in ("in", "at"):
            for obj in prep.children:
                if obj.dep_ == "pobj" and obj.ent_type_ in _PLACES:
                    return next(e.text for e in obj.doc.ents if e.start <= obj.i < e.end)
    return None


def _participants(event) -> list[Any]:
    """Who an event is done by or to: a verb's subject and object, an event noun's "of" /
    "by" objects and owner, with those joined to them ("Haniyeh ... and Shukr")."""
    found = [c for c in event.children if c.dep_ in ("nsubj", "nsubjpass", "dobj", "poss")]
    found += [g for c in event.children if c.dep_ == "agent" or c.dep_ == "prep" and c.lower_ in ("of", "by")
              for g in c.children if g.dep_ == "pobj"]
    return found + [c for t in found for c in t.conjuncts]


def _within(name: str, text: str) -> bool:
    """Whether ``name`` is written in ``text`` ("Gaza" in "Gaza City"), whole words, any case."""
    return re.search(rf"(?<!\w){re.escape(name.lower())}(?!\w)", text.lower()) is not None


def place_findings(claim, evidence) -> list[Finding]:
    """The same event of the same participant placed elsewhere ("Haniyeh was assassinated
    in Beirut" against "the assassination of Haniyeh in Tehran and of Shukr in Beirut").
    Only places swapped within the source count: one place may lie in another ("in Rafah",
    "in Gaza"), so a place the source does not name is left to the name check."""
    for event in claim:
        key = _predicate_key(event)
        if key is None:
            continue
        for name in (t for t in _participants(event) if t.pos_ == "PROPN"):
            place = _place_of(event) or _place_of(name)
            if place is None or not _within(place, evidence.text):
                continue
            for other in (t for t in evidence if _predicate_key(t) == key):
                for who in _participants(other):
                    there = _place_of(who) or _place_of(other)
                    if there and who.lower_ == name.lower_ and not _within(there, place) and not _within(place, there):
                        return [Finding("place", CONTRADICTS, f"the source places it in {there}, not {place}: "
                                        f"\"{other.sent.text.strip()}\"")]
    return []


_UNCERTAIN = {"unclear", "uncertain", "unknown", "unconfirmed"}
_CERTAIN = {"know", "certain", "clear", "confirm", "sure"}


def _said_not_known(doc) -> list[Any]:
    """The clauses a sentence says are not known ("it is unclear how many are alive", "it
    is not known whether")."""
    out = []
    for t in doc:
        predicate = t.head if t.dep_ == "acomp" else t
        if t.lemma_.lower() in _UNCERTAIN or t.lemma_.lower() in _CERTAIN and _negated(predicate):
            out += [c for c in predicate.children if c.dep_ in ("ccomp", "csubj", "advcl")]
    return out


def _said_known(doc) -> bool:
    """Whether a sentence says outright that what it states is known ("it is known that",
    "it is clear that", "officials confirmed that")."""
    for t in doc:
        predicate = t.head if t.dep_ == "acomp" else t
        if t.lemma_.lower() in _CERTAIN and not _negated(predicate) \
                and any(c.dep_ in ("ccomp", "csubj") for c in predicate.children):
            return True
    return False


_EVERY = {"all", "every", "each"}
_SOME = {"some", "several", "few", "many", "most", "part"}


def _quantifier(noun) -> str | None:
    """How much of a thing a sentence speaks of: "every difference", "all the
    differences" (every); "some differences", "a few of the differences" (some)."""
    words = {c.lower_ for c in noun.children if c.dep_ in ("det", "amod", "predet", "nummod")}
    if noun.head.lower_ == "of" and noun.head.head.pos_ in ("PRON", "NOUN", "ADJ", "DET"):  # "some of the"
        words.add(noun.head.head.lower_)
    return "every" if words & _EVERY else "some" if words & _SOME else None


def _quantifier_findings(claim, evidence) -> list[Finding]:
    """The claim speaks of every one of a thing where the source speaks of some ("settled
    every remaining difference" / "resolved some differences")."""
    some = {t.lemma_.lower(): t for t in evidence if t.pos_ == "NOUN" and _quantifier(t) == "some"}
    for t in claim:
        if t.pos_ == "NOUN" and t.lemma_.lower() in some and _quantifier(t) == "every":
            other = some[t.lemma_.lower()]
            return [Finding("modality", CONTRADICTS, f"the claim says every {t.lemma_.lower()}, the source only "
                            f"some: \"{other.sent.text.strip()}\"")]
    return []


def modality_findings(claim, evidence) -> list[Finding]:
    if _same_subject_matter(claim, evidence) and (found := _quantifier_findings(claim, evidence)):
        return found
    for c, e in _shared_verbs(claim, evidence):
        if _hedged(e) and not _hedged(c):
            return [Finding("modality", UNSUPPORTED,
                            f"the source is hedged (\"{e.sent.text.strip()}\"); the claim is certain")]
    # "it is unclear how many are alive" against "all of them are alive"
    claimed = _content_lemmas(claim)
    for clause in _said_not_known(evidence):
        words = _content_lemmas(clause.subtree)
        if words and words <= claimed and not _said_not_known(claim):
            quoted = f"\"{clause.sent.text.strip()}\""
            if _said_known(claim):
                return [Finding("modality", CONTRADICTS, f"the source says this is not known ({quoted}); "
                                                          "the claim says it is")]
            return [Finding("modality", UNSUPPORTED, f"the source says this is not known ({quoted})")]
    return []


# --------------------------------------------------------------------------- dates

_YEAR = re.compile(r"^(1[89]|20)\d\d$")
# a time told from the day of writing: "last week", "this month", "yesterday"
_RELATIVE = re.compile(r"\b(?:(?:last|this|next|past)\s+(?:week(?:end)?|month|year)|yesterday|today|tomorrow|tonight)\b",
                       re.I)
_WEEKDAY_KEYS = {w[:3] for w in _WEEKDAYS}
_RELATIVE_DAYS = {"yesterday", "today", "tomorrow", "tonight"}


def _relative_times(text: str) -> set[str]:
    return {" ".join(m.lower().split()).replace("past ", "last ") for m in _RELATIVE.findall(text)}


def _date_words(doc) -> set[str]:
    out = _relative_times(doc.text)
    for t in doc:
        word = t.lower_.rstrip(".")
        if word in _WEEKDAYS or (word in _MONTHS and (t.ent_type_ == "DATE" or word != "may")):
            out.add(word[:3])
        elif _YEAR.match(t.text) and t.ent_type_ == "DATE":
            out.add(t.text)
    return out


@lru_cache(maxsize=1024)
def dates_written(text: str) -> frozenset[str]:
    """Weekdays, months (capitalised: "may" is a verb), years and times told from the day
    of writing ("last week") written in ``text``, raw."""
    out = _relative_times(text)
    for word in _RAW_WORD.findall(text):
        low = word.lower()
        if low in _WEEKDAYS or (low in _MONTHS and word[0].isupper()):
            out.add(low[:3])
    out |= set(re.findall(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)", text))
    return frozenset(out)


def _date_kind(word: str) -> str:
    return "weekday" if word in _WEEKDAY_KEYS else "year" if word.isdigit() else \
        "day" if word in _RELATIVE_DAYS else "time" if " " in word else "month"


def date_findings(claim, evidence: Sequence[Any], article_texts: Sequence[str]) -> list[Finding]:
    """A date of the claim (weekday, month, year, "last week") that the articles never
    write: another of its kind in the evidence contradicts, none is unsupported."""
    claimed = _date_words(claim)
    if not claimed:
        return []
    given = set().union(*(_date_words(d) for d in evidence)) if evidence else set()
    anywhere = frozenset().union(*(dates_written(t) for t in article_texts))
    findings = []
    for word in sorted(claimed - anywhere):
        kind = _date_kind(word)
        rivals = sorted(w for w in given if _date_kind(w) == kind)
        if rivals:
            findings.append(Finding("date", CONTRADICTS, f"the source gives another {kind} ({', '.join(rivals)})"))
        else:
            findings.append(Finding("date", UNSUPPORTED, f"the {kind} '{word}' does not appear in the coverage"))
    return findings


def clause_findings(claim_text: str, evidence_texts: Sequence[str]) -> list[Finding]:
    """The checks of how a sentence about the same thing says it: polarity, opposites,
    names in another's place, roles, modality. Each compares only a sentence that shares
    most of the claim's words (roles: the same verb), so any sentence may be given."""
    claim = parse(claim_text)
    findings = []
    for doc in (parse(t) for t in evidence_texts):
        findings += polarity_findings(claim, doc) + antonym_findings(claim, doc) + role_findings(claim, doc)
        findings += modality_findings(claim, doc) + entity_findings(claim, doc) + place_findings(claim, doc)
    return list(dict.fromkeys(findings))


def _words_of(text: str) -> str:
    return " ".join(w.lower().replace("’", "'") for w in _WORD.findall(text))


def quotation_findings(claim_text: str, evidence_texts: Sequence[str], article_texts: Sequence[str]) -> list[Finding]:
    """Words the claim quotes that the articles never write (the words alone, in order:
    punctuation and case aside): a sentence about the same thing that quotes other words
    contradicts it (a misquote), else the quotation is unsupported."""
    quotes = quotations_in(claim_text)
    if not quotes:
        return []
    findings = []
    written = [f" {_words_of(t)} " for t in article_texts]
    for quote in quotes:
        # "...": each part of a shortened quotation is written on its own
        parts = [_words_of(part) for part in re.split(r"\.\.\.|…", quote)]
        if all(not words or any(f" {words} " in text for text in written) for words in parts):
            continue
        others = [q for t in evidence_texts for q in quotations_in(t)]
        if others:
            findings.append(Finding("quotation", CONTRADICTS, f"the source quotes \"{others[0]}\", not \"{quote}\""))
        else:
            findings.append(Finding("quotation", UNSUPPORTED, f"the quotation \"{quote}\" is not in the coverage"))
    return findings


def figure_findings(claim_text: str, evidence_texts: Sequence[str], article_texts: Sequence[str]) -> list[Finding]:
    """The checks of figures, names, dates and quotations, against evidence about the same
    event (a sentence with another event's figure does not contradict) and the whole articles."""
    claim = parse(normal_figures(claim_text))
    evidence = [parse(normal_figures(t)) for t in evidence_texts]
    findings = number_findings(claim, evidence, article_texts) + name_findings(claim_text, article_texts)
    findings += date_findings(claim, evidence, article_texts) + quotation_findings(claim_text, evidence_texts,
                                                                                     article_texts)
    return list(dict.fromkeys(findings))


def run_checks(claim_text: str, evidence_texts: Sequence[str], article_texts: Sequence[str]) -> list[Finding]:
    """Every structured check of ``claim_text`` against the evidence sentences that bear on
    it and the whole text of their articles."""
    return list(dict.fromkeys(figure_findings(claim_text, evidence_texts, article_texts)
                              + clause_findings(claim_text, evidence_texts)))
