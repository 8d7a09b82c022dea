"""Whether a retrieved sentence answers a question, not just shares its topic.

A logistic model over features of (question, sentence) that separate "answers" from
"is about the same thing": how much of the question the sentence (with its article's title
and the sentence before it) covers, whether the question's specific terms (names, numbers,
ordinals, years) are there, in the sentence and anywhere in its article ("the third debate"
is not "the first debate"), whether what is asked about is named ("homicides" is not
"shootings"), whether the sentence holds something of the kind asked for (a figure for "how
many", a name for "who", a date for "when") that the question does not already give,
whether it is the article's headline, and the encoder's cosine.
It is learned by ``eval/train_answerability.py`` from synthetic questions written from
PolNeAR train sentences and asked against the sentence itself, its neighbours, the headline,
a report of the same story, and after one specific term or what is asked about was swapped
(near misses); only its weights ship (``data/answerability.json``; model card
``data/answerability.md``).
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .errors import AssistantError
from .verify import content_words, numbers_in

MODEL_PATH = Path(__file__).resolve().parent / "data" / "answerability.json"
RELEVANT_AT = 0.38  # cosine: on topic or not (calibrated on the sample; see answer.py's docstring)

NUMBER, PERSON, DATE, PLACE, OTHER = "number", "person", "date", "place", "other"
_KIND_OF = [  # the question's first words -> the kind of answer asked for
    (re.compile(r"^(?:how\s+(?:many|much|big|large|old|often|fast|far|long|high|low|small)|"
                r"what\s+(?:share|percentage|percent|proportion|number|amount|margin|vote|sum|rate)|"
                r"by\s+(?:what|how)|at\s+what\s+rate)\b", re.I), NUMBER),
    (re.compile(r"^(?:who|whom|whose|(?:which|what)\s+(?:[\w'’.-]+\s+){0,3}?(?:judge|justice|person|official|"
                r"lawyer|attorney|spokesman|spokeswoman|spokesperson|senator|governor|minister|secretary|candidate|"
                r"lawmaker|politician|chairman|chairwoman|mayor|aide|adviser|advisor|group|company|union)s?)\b", re.I),
     PERSON),
    (re.compile(r"^(?:when|what\s+(?:year|date|day|month|time)|on\s+what\s+date|in\s+what\s+year)\b", re.I), DATE),
    (re.compile(r"^(?:where|what\s+(?:city|state|country|place)|in\s+which|at\s+which)\b", re.I), PLACE),
]
_QUESTION_WORDS = frozenset(
    "how many much what which who whom whose when where why share percentage percent proportion number "
    "amount big large old often fast far long high low small kind type".split())
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_ORDINALS = frozenset("first second third fourth fifth sixth seventh eighth ninth tenth last previous next "
                      "latest".split())
_MONTHS = ("january february march april may june july august september october november december "
           "jan feb mar apr jun jul aug sep sept oct nov dec").split()
_DATE = re.compile(r"\b(?:(?:18|19|20)\d\d|" + "|".join(_MONTHS) +
                   r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|"
                   r"tomorrow|week|month|year)\b", re.I)
_AUX = frozenset("do does did is are was were has have had will would can could should".split())
# Nouns that say how something is counted, not what: "How many people were wounded" asks about "wounded".
_GENERIC = frozenset("people person percent percentage share number amount total times one ones money".split())
# Titles name no one by themselves ("Senator Chris Murphy" is "Sen. Chris Murphy" or "Murphy"): not specific terms.
_TITLES = frozenset("mr mrs ms dr sen senator rep representative gov governor president vice secretary judge "
                    "mayor chairman chairwoman gen general lt sgt".split())
# Irregular verb forms the light stemmer cannot bring to their base ("gave" is "give").
_IRREGULAR_FORMS = {
    "give": "gave given", "pay": "paid", "win": "won", "run": "ran", "spend": "spent", "sell": "sold",
    "buy": "bought", "take": "took taken", "make": "made", "lose": "lost", "hold": "held", "lead": "led",
    "write": "wrote written", "tell": "told", "find": "found", "leave": "left", "meet": "met", "bring": "brought",
    "begin": "began begun", "rise": "rose risen", "fall": "fell fallen", "grow": "grew grown", "draw": "drew drawn",
    "see": "saw seen", "come": "came", "know": "knew known", "think": "thought", "strike": "struck",
    "shoot": "shot", "choose": "chose chosen", "drive": "drove driven", "fly": "flew flown", "steal": "stole stolen",
    "throw": "threw thrown", "fight": "fought", "catch": "caught", "seek": "sought", "build": "built",
    "send": "sent", "speak": "spoke spoken", "stand": "stood", "become": "became", "keep": "kept", "feel": "felt",
    "hear": "heard", "swear": "swore sworn", "teach": "taught", "sit": "sat", "forbid": "forbade forbidden"}
# What "how old", "what share" and "how much (money)" ask for, beyond any number.
_AGE, _PERCENT, _MONEY = "age", "percent", "money"
_MEASURE_OF = [
    (re.compile(r"^how\s+old\b", re.I), _AGE),
    (re.compile(r"^what\s+(?:share|percentage|percent|proportion)\b", re.I), _PERCENT),
    (re.compile(r"^how\s+much\b(?:\s+money\b|.*\b(?:give|gave|given|donat\w*|rais\w*|pa(?:y|ys|id|ying)|spen[dt]\w*|"
                r"earn\w*|costs?|contribut\w*|commit\w*|receiv\w*|charg\w*|owe[sd]?|invest\w*|fund\w*|sold|sell\w*|"
                r"bought|buy\w*|worth|rent)\b)", re.I), _MONEY),
]
_MEASURE_FOUND = {
    _AGE: re.compile(r"\b\d{1,3}[- ]years?[- ]old\b|\baged?\s+\d{1,3}\b|(?<=,\s)\d{1,3}(?=,)", re.I),
    _PERCENT: re.compile(r"%|\bper\s?cent|\bpercentage\b|\bhalf\b|\bthirds?\b|\bquarters?\b|\bmajority\b|"
                         r"\b\w+\s+(?:in|of|out\s+of)\s+(?:every\s+)?(?:(?!(?:18|19|20)\d\d\b)\d+|ten|five|four|three)\b", re.I),
    _MONEY: re.compile(r"[$£€¥]|\b(?:dollars?|cents?|pounds|euros?|yuan|yen|bucks)\b", re.I),
}
ROLE_NOUNS_PATH = Path(__file__).resolve().parent / "data" / "role_nouns.txt"
ROLE_REACH = 4  # words at most between a role and its holder's name ("Ed Rendell, who serves as chairman")
_YEAR = re.compile(r"(?<![\d,.$])(?:19|20)\d\d(?:['’]?s)?(?![\d%]|,\d)")
_NAME_LABELS = frozenset({"PERSON", "ORG"})

FEATURES = ("dense", "cover_sentence", "cover_context", "missing_specific_sentence", "missing_specific_context",
            "has_specific", "missing_terms", "answer_kind_present", "kind_number", "kind_person", "kind_date",
            "dense_x_cover", "log_words", "headline", "missing_specific_article", "missing_asked",
            "missing_specific_lead", "rival_story_name")
_TYPED_KINDS = [FEATURES.index(f) for f in ("kind_number", "kind_person", "kind_date")]
_KIND_PRESENT = FEATURES.index("answer_kind_present")
_LEADING_WH = re.compile(  # the wh-phrase and its auxiliary, dropped to leave the question's focus
    r"^(?:(?:by|at|on|in|for|from|to|with)\s+)?(?:how(?:\s+(?:many|much|big|large|old|often|fast|far|long|high|low|"
    r"small))?|what(?:\s+(?:share|percentage|percent|proportion|number|amount|margin|vote|sum|rate|year|date|day|"
    r"month|time|city|state|country|place|kind\s+of|type\s+of))?|which|who|whom|whose|when|where|why)\b"
    r"(?:\s+(?:do|does|did|is|are|was|were|has|have|had|will|would|can|could|should)\b)?\s*", re.I)


@dataclass(frozen=True)
class AnswerabilityConfig:
    """``answer_at``: the probability from which a sentence counts as answering (0.5; the
    model's intercept is shifted so that 0.5 falls at the threshold chosen on held-out PolNeAR
    train questions, see ``eval/train_answerability.py``). ``nearby_at``: the cosine from
    which a sentence that does not answer is still shown as what the coverage says nearby (the
    relevance cut-off calibrated on the sample, ``RELEVANT_AT``). ``rerank``: retrieve
    ``rerank_depth`` sentences and keep the ``k`` the model rates most likely to answer. On:
    with the model of this commit it kept the answering sentence in the first 8 more often
    than the index's fused ranking (`assistant eval qa`: recall@8 0.946 re-ranked against
    0.865 fused on PolNeAR dev, 1.000 for both on the sample). ``follow_depth``: with
    ``rerank``, the sentence after each of the first ``follow_depth`` retrieved (in its
    paragraph) is read too (``follow_on.py``: "He succeeded only about 8 to 10 percent of the
    time." after the sentence naming Lazar); 24, all of them: recall@8 re-ranked 0.953 ->
    0.984 on the development set, 0.946 -> 0.973 on PolNeAR dev. ``reader``: the answer reader
    (``answer_reader.py``, a cross-encoder) reads the first ``read_depth`` sentences so ranked
    and its judgement, joined with this model's, decides (``answer_at`` then applies to the
    joined probability, whose threshold was chosen the same way); sentences past
    ``read_depth`` are left out of the answer. Off: the one reader trained so far did not
    beat this model on the PolNeAR dev question set, so none ships (README, "Asking
    questions"); ``assistant eval qa --reader FILE`` scores one."""

    answer_at: float = 0.5
    nearby_at: float = RELEVANT_AT
    rerank: bool = True
    rerank_depth: int = 24
    follow_depth: int = 24
    reader: bool = False
    read_depth: int = 8


@dataclass(frozen=True)
class Candidate:
    """A retrieved sentence as the model reads it: ``context`` is its article's title and
    the sentence before it, two where it opens with a pronoun (``context_of``: what "she",
    "the poll" refer to), ``article`` the article's whole
    text (where "the two" were named), ``dense`` the encoder's cosine to the question and
    ``headline`` whether it is the article's headline (which restates a topic, seldom answers);
    ``title`` the article's title alone (what the answer reader reads with the sentence);
    ``lead`` its article's first sentences and the names it repeats (``lead_of``: what a reader
    names the story by: "the Bloomberg poll" of a sentence that says "the poll"; a name found
    only once further on in the article is more likely another poll, donor or country than
    this sentence's)."""

    sentence: str
    context: str = ""
    article: str = ""
    dense: float = 0.0
    headline: bool = False
    title: str = ""
    lead: str = ""


LEAD_SENTENCES = 3  # the headline and the first sentences: what a reader names the story by
RECURRING_IN = 3  # a name in this many of an article's sentences is what the story is about, lead or not
# A sentence whose subject is a pronoun or demonstrative ("He succeeded ...", "On Dec. 1, that changes.")
# is about what the sentences before it name.
_ANAPHOR = re.compile(r"^\W*(?:[^,;:!?\"“]{1,40},\s*)?(?:he|she|it|they|this|that|these|those|his|her|its|their)\b",
                      re.I)


def lead_of(article: Any) -> str:
    """The article's first ``LEAD_SENTENCES`` sentences and the names it repeats
    (``Candidate.lead``): a story that names its subject only in its fourth sentence
    ("Marcel Lehel Lazar, 44, known online as ...") is still about him."""
    lead = " ".join(s.text for s in article.sentences[:LEAD_SENTENCES])
    return " ".join([lead, *_recurring_names(tuple(s.text for s in article.sentences))])


@lru_cache(maxsize=512)
def _recurring_names(sentences: tuple[str, ...]) -> tuple[str, ...]:
    """Names (words ``_specifics`` finds somewhere) capitalised in at least ``RECURRING_IN`` of
    the sentences, opening them or not ("Lazar admitted ..." names him too)."""
    names = {x for text in sentences for x in _specifics(text) if not x[:1].isdigit() and x not in _ORDINALS}
    counts: dict[str, int] = {}
    for text in sentences:
        for name in {_norm(w) for w in _WORD.findall(text) if w[:1].isupper()} & names:
            counts[name] = counts.get(name, 0) + 1
    return tuple(name for name, n in counts.items() if n >= RECURRING_IN)


def opens_with_anaphor(sentence: str) -> bool:
    """The sentence's subject is a pronoun or demonstrative, perhaps after a short opening
    phrase: what it says is about what the sentences before it name."""
    return bool(_ANAPHOR.match(sentence))


def context_of(article: Any, index: int) -> str:
    """What the model reads around sentence ``index`` of ``article`` (``Candidate.context``):
    the title and the sentence before; where the sentence opens with a pronoun
    (``opens_with_anaphor``), the two before (the one before may itself go on about the
    subject: "The rule was overturned. Managers earning $30,000 get no overtime. On Dec. 1,
    that changes.")."""
    reach = 2 if opens_with_anaphor(article.sentences[index].text) else 1
    before = [s.text for s in article.sentences[max(1, index - reach):index]]
    return " ".join([article.title, *before])


@dataclass(frozen=True)
class Question:
    text: str
    kind: str
    terms: frozenset[str]       # content words, stemmed, question words left out
    specifics: frozenset[str]   # names, numbers, ordinals and years the question pins down (lower case)
    asked: tuple[str, ...] = ()  # what is asked about (``asked_words``)
    measure: str = ""            # for a number: an age, a share or a sum of money (``question_measure``)
    surnames: tuple[tuple[str, str], ...] = ()  # (first name, last name) pairs (``_first_names``)
    role: str = ""               # for a who-question, the role whose holder is asked for (``asked_role``)


def question_kind(text: str) -> str:
    text = text.strip()
    for pattern, kind in _KIND_OF:
        if pattern.match(text):
            return kind
    return OTHER


def question_measure(text: str) -> str:
    """What a number question asks for beyond a number: "age" (how old), "percent" (what share),
    "money" (how much money, how much did X pay / give / raise); "" for any number."""
    text = text.strip()
    return next((measure for pattern, measure in _MEASURE_OF if pattern.match(text)), "")


@lru_cache(maxsize=1)
def _irregular() -> dict[str, str]:
    """Stemmed irregular form -> stemmed base form (``_IRREGULAR_FORMS``)."""
    found = {}
    for base, forms in _IRREGULAR_FORMS.items():
        for stem in content_words(base):
            found.update({form: stem for f in forms.split() for form in content_words(f)})
    return found


def _content(text: str) -> set[str]:
    """``content_words``, irregular verb forms brought to their base ("gave" -> "give")."""
    irregular = _irregular()
    return {irregular.get(w, w) for w in content_words(text)}


def _norm(word: str) -> str:
    return re.sub(r"['’]s?$", "", word).lower()


def _specifics(text: str) -> set[str]:
    """Capitalised words not opening the text (names; titles left out), ordinals, and numbers
    (as digits). "last" closing the text is the verb ("How long did it last?"), no ordinal."""
    found = set()
    words = [m.group() for m in _WORD.finditer(text)]
    for n, word in enumerate(words):
        if (n > 0 and word[0].isupper() and len(word) > 1) or (
                word.lower() in _ORDINALS and not (word.lower() == "last" and n == len(words) - 1)):
            found.add(_norm(word))
    return (found - _QUESTION_WORDS - _TITLES) | numbers_in(text)


def _first_names(text: str) -> tuple[tuple[str, str], ...]:
    """(first word, last word) of each run of two or three capitalised words: "Lael Brainard" is
    named where "Ms. Brainard" is, so the first word counts as found where the last is."""
    runs = re.findall(r"(?<!^)(?<![.?!]\s)\b([A-Z][\w'’-]+)(?:\s+[A-Z][\w'’-]+)?\s+([A-Z][\w'’-]+)\b", text.strip())
    return tuple((_norm(first), _norm(last)) for first, last in runs)


def _missing(question: Question, text: str, names_only: bool = False) -> int:
    """How many of the question's specific terms ``text`` lacks; a first name counts as found
    where its last name is; ``names_only``: names and figures, not ordinals."""
    words, numbers = _name_forms(text), numbers_in(text)
    last_of = dict(question.surnames)
    return sum(not (_has_specific(x, words, numbers) or x in last_of and _has_specific(last_of[x], words, numbers))
               for x in question.specifics if not (names_only and x in _ORDINALS))


def _has_specific(specific: str, words: set[str], numbers: set[str]) -> bool:
    """``words``: ``_name_forms`` of a text's words."""
    return specific in numbers if specific[:1].isdigit() else _name_form(specific) in words


def _name_form(word: str) -> str:
    """A name's form without plural or adjective endings, so that "Democrat", "Democrats" and
    "Democratic", "Republicans" and "Republican", "Romania" and "Romanian" match."""
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if len(word) > 5 and word.endswith("ic"):
        word = word[:-2]
    if len(word) > 5 and word.endswith("an"):
        word = word[:-1]
    return word


def _name_forms(text: str) -> set[str]:
    return {_name_form(w) for w in _lower_words(text)}


def parse_question(text: str) -> Question:
    terms = frozenset(t for t in _content(text) if t not in _QUESTION_WORDS)
    kind = question_kind(text)
    return Question(text, kind, terms, frozenset(_specifics(text)), tuple(asked_words(text)),
                    question_measure(text), _first_names(text), asked_role(text) if kind == PERSON else "")


@lru_cache(maxsize=1)
def _role_nouns() -> frozenset[str]:
    from .fileio import read_word_lines

    return frozenset(w for line in read_word_lines(ROLE_NOUNS_PATH) for w in line)


def _role_forms(word: str) -> set[str]:
    """A role word's forms: "judge", "judges", "heads" (the verb: "who heads the committee")."""
    return {word, word + "s", word + "es", word + "ed"}


def asked_role(text: str) -> str:
    """The role whose holder a who-question asks for: the first word of its focus that is a
    role noun (``data/role_nouns.txt``), capitalised or not: "mayor" in "Who is the mayor of
    Atlantic City?", "secretary" in "Who was Labor Secretary before Thomas Perez?"; "" for none."""
    roles = _role_nouns()
    for m in _WORD.finditer(question_focus(text)):
        word = m.group().lower()
        found = next((r for r in roles if word in _role_forms(r)), None)
        if found:
            return found
    return ""


def role_holder_named(role: str, sentence: str, names: Sequence[str]) -> bool:
    """The sentence names one of ``names`` within ``ROLE_REACH`` words of ``role``
    ("Atlantic City Mayor Don Guardian", "Tom Fitton, the president of Judicial Watch"): the
    holder is named, not just someone the sentence mentions (a witness of the driver's
    attack). A pronoun holding the role is no name: "It was clear that the driver ..."."""
    words = [m.group().lower() for m in _WORD.finditer(sentence)]
    at = [i for i, w in enumerate(words) if w in _role_forms(role)]
    if not at:
        return False
    for name in names:
        name_words = [w.lower() for w in _WORD.findall(name)]
        for start in range(len(words) - len(name_words) + 1):
            if name_words and words[start:start + len(name_words)] == name_words:
                end = start + len(name_words) - 1
                if any(min(abs(i - start), abs(i - end)) - 1 <= ROLE_REACH for i in at):
                    return True
    return False


def _lower_words(text: str) -> set[str]:
    return {_norm(w) for w in _WORD.findall(text)}


@lru_cache(maxsize=1)
def _entity_tagger() -> Any:
    from .models import load_spacy

    return load_spacy(disable=("tagger", "parser", "lemmatizer", "attribute_ruler"))


_NAMES: dict[str, tuple[str, ...]] = {}  # sentence -> the names in it, filled by ``tag_names``
_NAMES_KEPT = 20000  # sentences remembered; the memo starts afresh past this


def tag_names(sentences: Sequence[str]) -> None:
    """Find the people and organisations (spaCy's PERSON and ORG) of the sentences not yet
    seen, in one batch: who-questions read them for every retrieved sentence."""
    todo = [s for s in dict.fromkeys(sentences) if s not in _NAMES]
    if not todo:
        return
    if len(_NAMES) + len(todo) > _NAMES_KEPT:
        _NAMES.clear()
    for sentence, doc in zip(todo, _entity_tagger().pipe(todo, batch_size=32)):
        _NAMES[sentence] = tuple(e.text for e in doc.ents if e.label_ in _NAME_LABELS)


def names_in(sentence: str) -> tuple[str, ...]:
    tag_names([sentence])
    return _NAMES[sentence]


def answer_kind_present(question: Question, sentence: str) -> bool:
    """The sentence holds something of the kind asked for that the question does not give:
    for "how many" a number that is not a year, for "who" a person or organisation spaCy
    names (not one the question's words make up: "District Court" does not answer "Which
    district court judge"; for a role, "Who is the mayor of X?", named next to the role:
    ``role_holder_named``), for "when" a date word, for "where" a capitalised name; "how old"
    wants an age, "what share" a percentage or fraction, "how much money" a currency."""
    if question.kind == NUMBER:
        if question.measure and not _MEASURE_FOUND[question.measure].search(sentence):
            return False
        return bool(numbers_in(_YEAR.sub(" ", sentence)) - numbers_in(question.text))
    if question.kind == PERSON:
        asked = _lower_words(question.text)
        names = [name for name in names_in(sentence) if _lower_words(name) - asked]
        return role_holder_named(question.role, sentence, names) if question.role else bool(names)
    if question.kind == PLACE:
        return bool(_specifics(sentence) - question.specifics - _lower_words(question.text))
    if question.kind == DATE:
        return bool({m.lower() for m in _DATE.findall(sentence)} - {m.lower() for m in _DATE.findall(question.text)})
    return True


def question_focus(text: str) -> str:
    """The question without its wh-phrase and auxiliary: "How many people watched the first
    debate?" -> "people watched the first debate"."""
    return _LEADING_WH.sub("", text.strip().rstrip("?").strip()) or text.strip()


# Verbs that name nothing a reader would look for ("get" in "How did he get into the accounts?",
# "take" in "take their own life"): not what is asked about.
_LIGHT_VERBS = {"take", "takes", "took", "taken", "taking", "give", "gives", "gave", "given", "giving", "get", "gets",
                "got", "gotten", "make", "makes", "made", "have", "has", "had", "do", "does", "did", "done", "go",
                "goes", "went", "gone", "come", "comes", "came", "put", "puts"}


def asked_words(text: str, n: int = 2) -> list[str]:
    """The first ``n`` lower-case content words of the question's focus, stemmed: what is
    asked about ("homicides" in "How many homicides has Chicago had?", "attorney" in "Who is
    Bryan Pagliano's attorney?"), which a sentence on the same topic often lacks. Words that
    only say how it is counted are passed over ("wounded" in "How many people were wounded?"),
and light verbs ("accounts" in "How did Lazar get into the accounts?")."""
    found = []
    for m in _WORD.finditer(question_focus(text)):
        word = m.group()
        if (word.islower() and word not in _AUX and word not in _QUESTION_WORDS and word not in _ORDINALS
                and word not in _GENERIC and word not in _LIGHT_VERBS):
            found += [w for w in _content(word) if w not in found]
        if len(found) >= n:
            break
    return found[:n]


def _found(word: str, words: set[str]) -> bool:
    """``word`` (stemmed) is among ``words``, or shares its stem with one of them: the light
    stemmer leaves "donat" (donating) and "donate", "meet" and "meeting" apart."""
    return word in words or len(word) >= 4 and any(
        len(w) >= 4 and (w.startswith(word) or word.startswith(w)) for w in words)


def _share_found(terms: frozenset[str], words: set[str]) -> float:
    return sum(_found(t, words) for t in terms) / len(terms)


def rival_story_name(question: Question, sentence: str, context: str, lead: str) -> bool:
    """The question names something of the story (a name of its lead or one it repeats) that
    the sentence and its context lack, and the sentence names another such thing the question
    does not: "the Democratic host committee" against a sentence about "the host committee for
    the Republican gathering", both parties named in the lead."""
    story = _name_forms(lead)
    around = _name_forms(sentence + " " + context)
    asked = _name_forms(question.text)
    names = [x for x in question.specifics if not x[:1].isdigit() and x not in _ORDINALS]
    if not any(_name_form(x) in story and _name_form(x) not in around for x in names):
        return False
    own = {_name_form(x) for x in _specifics(sentence) if not x[:1].isdigit() and x not in _ORDINALS}
    return bool((own & story) - asked)


def pair_features(question: Question, candidate: Candidate) -> list[float]:
    """The model's inputs for one sentence, in the order of ``FEATURES``. A sentence opening
    with a pronoun (``opens_with_anaphor``) is read with its context for what it covers of the
    question, its specific terms and what is asked about: "He" names whom the sentences
    before name."""
    sentence, context = candidate.sentence, candidate.context
    in_context, anaphoric = _content(sentence + " " + context), opens_with_anaphor(sentence)
    in_sentence = in_context if anaphoric else _content(sentence)
    terms = question.terms or frozenset({""})
    cover_s, cover_c = _share_found(terms, in_sentence), _share_found(terms, in_context)
    with_context = sentence + " " + context
    missing_s, missing_c = _missing(question, with_context if anaphoric else sentence), _missing(question, with_context)
    missing_a = _missing(question, " ".join((with_context, candidate.article)))
    missing_l = _missing(question, " ".join((with_context, candidate.lead)), names_only=True)
    asked = question.asked or ("",)
    dense = candidate.dense
    return [dense, cover_s, cover_c, min(missing_s, 3), min(missing_c, 3), float(bool(question.specifics)),
            min(sum(not _found(w, in_context) for w in terms), 5), float(answer_kind_present(question, sentence)),
            float(question.kind == NUMBER), float(question.kind == PERSON), float(question.kind == DATE),
            dense * cover_c, math.log1p(len(_WORD.findall(sentence))), float(candidate.headline), min(missing_a, 3),
            sum(not _found(w, in_sentence) for w in asked) / len(asked) if question.asked else 0.0,
            min(missing_l, 3), float(rival_story_name(question, sentence, context, candidate.lead))]


def missing_specifics(question: Question, texts: Sequence[str]) -> list[str]:
    """The question's specific terms that none of ``texts`` mentions, in question order."""
    joined = " ".join(texts)
    words, numbers = _name_forms(joined), numbers_in(joined)
    missing = {x for x in question.specifics if not _has_specific(x, words, numbers)}
    named = [re.sub(r"['’]s$", "", m.group()) for m in _WORD.finditer(question.text)
             if _norm(m.group()) in missing or numbers_in(m.group()) & missing]
    return list(dict.fromkeys(named))




def missing_asked(question: Question, texts: Sequence[str]) -> list[str]:
    """What is asked about (``Question.asked``) that none of ``texts`` mentions, as the question
    words it ("wounded" in "How many people were wounded in Brussels?" asked of sentences that
    say "killed")."""
    words = _content(" ".join(texts))
    gone = {w for w in question.asked if not _found(w, words)}
    # a light verb names nothing a reader would look for ("take" in "take their own life")
    named = [m.group() for m in _WORD.finditer(question_focus(question.text))
             if _content(m.group()) & gone and m.group().lower() not in _LIGHT_VERBS]
    return list(dict.fromkeys(named))


def embedded_question(text: str) -> str | None:
    """"How many people watched the debate?" -> "how many people watched the debate"; None
    where that needs the word order changed ("How much did X raise?")."""
    words = text.strip().rstrip("?").split()
    if not words or question_kind(text) == OTHER and words[0].lower() not in ("what", "which", "why"):
        return None
    lowered = [w.lower() for w in words]
    if any(w in ("do", "does", "did") for w in lowered) or any(w in _AUX for w in lowered[1:3]):
        return None
    return " ".join([lowered[0]] + words[1:])


class AnswerabilityModel:
    """p(the sentence answers the question) from ``pair_features``, a logistic model."""

    def __init__(self, weights: dict[str, Any]):
        if tuple(weights.get("features", ())) != FEATURES:
            raise AssistantError("the answerability model was trained on other features: retrain it with "
                                 "eval/train_answerability.py")
        self.mean = np.asarray(weights["mean"], dtype=np.float64)
        self.scale = np.asarray(weights["scale"], dtype=np.float64)
        self.coef = np.asarray(weights["coef"], dtype=np.float64)
        self.intercept = float(weights["intercept"])

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """p(answers) of feature rows; 0 where the question asks for a number, a name or a
        date and the sentence holds none (``answer_kind_present``): whatever else it shares
        with the question, it cannot answer it."""
        if not len(rows):
            return np.zeros(0)
        rows = np.asarray(rows, dtype=np.float64)
        z = ((rows - self.mean) / self.scale) @ self.coef + self.intercept
        typed = rows[:, _TYPED_KINDS].any(axis=1)
        return np.where(typed & (rows[:, _KIND_PRESENT] == 0), 0.0, 1.0 / (1.0 + np.exp(-z)))

    def score(self, question: str, candidates: Sequence[Candidate]) -> np.ndarray:
        parsed = parse_question(question)
        if parsed.kind == PERSON:
            tag_names([c.sentence for c in candidates])
        return self.probabilities(np.array([pair_features(parsed, c) for c in candidates]))


@lru_cache(maxsize=2)
def load_answerability_model(path: Path = MODEL_PATH) -> AnswerabilityModel:
    """The shipped model, read once; a clear error where it is missing or unreadable."""
    try:
        weights = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AssistantError(f"cannot read the answerability model at {path} ({exc}); "
                             f"retrain it with eval/train_answerability.py") from exc
    return AnswerabilityModel(weights)
