"""Training pairs for the consistency model (``eval/train_consistency.py``).

Each pair is (premise, hypothesis, label) with label 0 entailment, 1 neutral,
2 contradiction, or -1 "not entailment" (binary data: neutral or contradiction, which one
unknown). Sources:

* DocNLI's binary MNLI and FEVER pairs (``../shared/factcheck/nli``);
* SummEdits, every domain but news (kept for evaluation): the summary against the
  document sentences that share most words with it;
* synthetic edits of news sentences (FactCC-style), from a parsed article: the premise is
  a window of one to three sentences, the hypothesis one of them
  - kept (entailment): the sentence, a compression (a modifier, clause or apposition
    dropped), its attributed content alone or re-attributed ("According to X, ...");
  - contradicted: negation added or removed, an antonym, subject and object swapped, a
    number or date changed, a name swapped for another of the article, a quotation given
    to another speaker of the article (PolNeAR's gold sources);
  - neutral: a hedge made certain, a name from another article, another sentence of the
    same article (on topic, not stated in the window), a sentence of another article.
"""
from __future__ import annotations

import csv
import json
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

ENTAIL, NEUTRAL, CONTRADICT, NOT_ENTAIL = 0, 1, 2, -1


@dataclass(frozen=True)
class Pair:
    premise: str
    hypothesis: str
    label: int
    origin: str  # which source or edit made it


# --------------------------------------------------------------------------- public data

def docnli_pairs(folder: Path) -> list[Pair]:
    pairs = []
    for path in sorted(folder.glob("*-binary-*.tsv")):
        with path.open(encoding="utf-8") as handle:
            for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                if len(row) != 3 or not row[1].strip() or not row[2].strip():
                    continue
                label = ENTAIL if row[0] == "entailment" else NOT_ENTAIL
                pairs.append(Pair(row[1].strip(), row[2].strip(), label, path.stem))
    return pairs


_WORD = re.compile(r"[^\W_]+")


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text) if len(w) > 2}


def closest_sentences(sentences: Sequence[str], claim: str, k: int = 3) -> str:
    """The ``k`` sentences that share most words with ``claim``, in document order."""
    target = _words(claim)
    ranked = sorted(range(len(sentences)), key=lambda i: -len(_words(sentences[i]) & target))[:k]
    return " ".join(sentences[i] for i in sorted(ranked))


def split_sentences(text: str) -> list[str]:
    from assistant.models import sentence_splitter

    return [s.text.strip() for s in sentence_splitter()(text).sents if s.text.strip()]


def summedits_pairs(folder: Path, *, split: str, exclude: Sequence[str] = ("news",)) -> list[Pair]:
    """The items of one ``split`` (``test`` or ``evaluation``) of every domain not excluded."""
    pairs = []
    for path in sorted(folder.glob("summedits_*.json")):
        domain = path.stem.removeprefix("summedits_")
        if domain in exclude:
            continue
        for item in json.loads(path.read_text(encoding="utf-8")):
            if item.get("split") != split:
                continue
            premise = closest_sentences(split_sentences(item["doc"]), item["summary"])
            label = ENTAIL if int(item["label"]) == 1 else NOT_ENTAIL
            pairs.append(Pair(premise, item["summary"], label, f"summedits-{domain}"))
    return pairs


# --------------------------------------------------------------------------- token edits

def rebuild(tokens, replace: dict[int, str] | None = None, drop: set[int] | frozenset = frozenset()) -> str:
    """The text of ``tokens`` (a spaCy span) with some tokens replaced or dropped."""
    replace = replace or {}
    out = []
    for t in tokens:
        if t.i in drop:
            if out and t.whitespace_ == "" and out[-1].endswith(" "):
                pass
            continue
        out.append(replace.get(t.i, t.text) + t.whitespace_)
    text = "".join(out)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r",\s*,", ",", text)
    text = re.sub(r"\s{2,}", " ", text).strip()
    return text[:1].upper() + text[1:] if text else text


_AUX_NEGATABLE = {"is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could",
                  "should", "may", "might", "must", "did", "does", "do", "am", "be"}


def negate(sent) -> str | None:
    """Add a negation to the main verb, or remove one it has."""
    verb = sent.root
    negs = [c for c in verb.children if c.dep_ == "neg"]
    if negs:
        neg = negs[0]
        if neg.lower_ == "n't":
            return None  # "didn't" -> "did" reads badly; skip
        return rebuild(sent, drop={neg.i})
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass") and c.lower_ in _AUX_NEGATABLE and c.i < verb.i]
    if auxes:
        return rebuild(sent, {auxes[0].i: auxes[0].text + " not"})
    if verb.lemma_ == "be" and verb.lower_ in _AUX_NEGATABLE:
        return rebuild(sent, {verb.i: verb.text + " not"})
    if verb.pos_ != "VERB":
        return None
    do = {"VBD": "did", "VBZ": "does", "VBP": "do"}.get(verb.tag_)
    if do is None:
        return None
    return rebuild(sent, {verb.i: f"{do} not {verb.lemma_}"})


def both_ways(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """A word-for-word table that maps each word of a pair to the other."""
    return dict(pair for a, b in pairs for pair in ((a, b), (b, a)))


ANTONYMS = both_ways([
    ("increased", "decreased"), ("rose", "fell"), ("won", "lost"), ("approved", "rejected"),
    ("supported", "opposed"), ("supports", "opposes"), ("support", "oppose"), ("allowed", "banned"),
    ("before", "after"), ("more", "fewer"), ("higher", "lower"), ("first", "last"),
    ("accepted", "refused"), ("agreed", "refused"), ("praised", "criticized"), ("praised", "condemned"),
    ("majority", "minority"), ("gained", "lost"), ("raised", "cut"), ("ended", "began"),
    ("opened", "closed"), ("confirmed", "denied"), ("released", "arrested"), ("largest", "smallest"),
    ("strong", "weak"), ("positive", "negative"), ("leading", "trailing"), ("ahead", "behind"),
    ("wins", "loses"), ("win", "lose"), ("likely", "unlikely"), ("legal", "illegal"),
    ("increase", "decrease"), ("rise", "fall"), ("always", "never"), ("early", "late"),
    ("north", "south"), ("east", "west"), ("killed", "wounded"), ("attacked", "defended"),
])


def antonym(sent) -> str | None:
    hits = [t for t in sent if t.lower_ in ANTONYMS]
    if not hits:
        return None
    t = random.choice(hits)
    new = ANTONYMS[t.lower_]
    return rebuild(sent, {t.i: new.capitalize() if t.text[:1].isupper() else new})


def _phrase(token) -> tuple[int, int] | None:
    """The contiguous token range of ``token``'s subtree."""
    ids = sorted(t.i for t in token.subtree)
    return (ids[0], ids[-1] + 1) if ids[-1] - ids[0] + 1 == len(ids) else None


def _noun_roles(verb) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The token ranges of ``verb``'s noun subject and noun object, when both are contiguous."""
    subj = [c for c in verb.children if c.dep_ == "nsubj" and c.pos_ in ("PROPN", "NOUN")]
    obj = [c for c in verb.children if c.dep_ == "dobj" and c.pos_ in ("PROPN", "NOUN")]
    if not subj or not obj:
        return None
    a, b = _phrase(subj[0]), _phrase(obj[0])
    return (a, b) if a and b else None


def swap_roles(sent) -> str | None:
    """Subject and object of one verb swapped ("Israel attacked Hamas" -> "Hamas attacked Israel")."""
    for verb in sent:
        if verb.pos_ != "VERB":
            continue
        roles = _noun_roles(verb)
        if roles is None:
            continue
        a, b = roles
        if a[1] > b[0] or b[1] - b[0] > 6 or a[1] - a[0] > 6:
            continue
        doc = sent.doc
        left, right = doc[a[0]:a[1]].text, doc[b[0]:b[1]].text
        if left.lower() == right.lower():
            continue
        replace = {a[0]: right + " ", b[0]: _mid_sentence(doc[a[0]:a[1]]) + " "}
        drop = set(range(a[0] + 1, a[1])) | set(range(b[0] + 1, b[1]))
        return rebuild(sent, replace, drop)
    return None


_NUMBER_WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve",
                 "fifteen", "twenty", "thirty", "hundred", "dozen"]


def change_number(sent) -> str | None:
    nums = [t for t in sent if t.like_num and (any(ch.isdigit() for ch in t.text) or t.lower_ in _NUMBER_WORDS)]
    if not nums:
        return None
    t = random.choice(nums)
    if t.lower_ in _NUMBER_WORDS:
        return rebuild(sent, {t.i: random.choice([w for w in _NUMBER_WORDS if w != t.lower_])})
    digits = t.text.replace(",", "")
    try:
        value = float(digits)
    except ValueError:
        return None
    choices = [value * f for f in (2, 3, 0.5, 10, 0.1)] + [value + d for d in (1, 2, 5, -1, 10)]
    new = random.choice([c for c in choices if c > 0 and c != value] or [value + 1])
    text = f"{new:,.0f}" if "," in t.text else (f"{new:.0f}" if new == int(new) or "." not in t.text else f"{new:.1f}")
    return None if text == t.text else rebuild(sent, {t.i: text})


_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]


def change_date(sent) -> str | None:
    for t in sent:
        for names in (_WEEKDAYS, _MONTHS):
            if t.text in names and (names is _WEEKDAYS or t.ent_type_ == "DATE"):
                return rebuild(sent, {t.i: random.choice([n for n in names if n != t.text])})
        if t.ent_type_ == "DATE" and re.fullmatch(r"(19|20)\d\d", t.text):
            return rebuild(sent, {t.i: str(int(t.text) + random.choice([-3, -2, -1, 1, 2]))})
    return None


_NAME_TYPES = ("PERSON", "ORG", "GPE", "NORP")


def swap_entity(sent, pool: Sequence[tuple[str, str]]) -> str | None:
    """A name in ``sent`` replaced by another name of the same type from ``pool``."""
    ents = [e for e in sent.ents if e.label_ in _NAME_TYPES]
    random.shuffle(ents)
    for ent in ents:
        others = [text for text, label in pool if label == ent.label_ and text.lower() not in ent.text.lower()
                  and ent.text.lower() not in text.lower()]
        if others:
            replace = {ent.start: random.choice(others)}
            return rebuild(sent, replace, set(range(ent.start + 1, ent.end)))
    return None


_HEDGES = {"may": "will", "might": "will", "could": "will", "possibly": "", "reportedly": "",
           "allegedly": "", "likely": "certainly", "probably": "certainly",
           "considering": "planning", "suggested": "announced", "believes": "knows", "plans": "has decided"}


def make_certain(sent) -> str | None:
    hits = [t for t in sent if t.lower_ in _HEDGES]
    if not hits:
        return None
    t = hits[0]
    new = _HEDGES[t.lower_]
    return rebuild(sent, {t.i: new}) if new else rebuild(sent, drop={t.i})


_DROPPABLE = {"prep", "advcl", "relcl", "appos", "npadvmod", "advmod", "acl", "conj", "parataxis"}
# adverbs whose loss changes what is claimed ("nearly 100", "only once")
_KEPT_ADVERBS = {"only", "nearly", "almost", "barely", "hardly", "never", "not", "no", "just", "about",
                 "roughly", "approximately", "reportedly", "allegedly", "possibly", "probably", "likely"}


def compress(sent) -> str | None:
    """One or two modifiers (a preposition phrase, clause, apposition...) dropped."""
    options = []
    for t in sent:
        if t.dep_ not in _DROPPABLE or t.head.i == t.i:
            continue
        if t.dep_ == "advmod" and (t.lower_ in _KEPT_ADVERBS or not t.lower_.endswith("ly")):
            continue
        span = _phrase(t)
        if not span or span[1] - span[0] >= len(sent) * 0.6 or span[1] - span[0] < 1:
            continue
        start, end = span
        if t.dep_ == "conj":  # drop the coordinator before it too
            if start > sent.start and sent.doc[start - 1].dep_ == "cc":
                start -= 1
        if t.dep_ in ("appos", "relcl") and start > sent.start and sent.doc[start - 1].text == ",":
            start -= 1
            if end < sent.end and sent.doc[end].text == ",":
                end += 1
        options.append((start, end))
    if not options:
        return None
    random.shuffle(options)
    drop: set[int] = set()
    for start, end in options[:random.choice((1, 1, 2))]:
        drop |= set(range(start, end))
    if len(drop) >= len(sent) - 3:
        return None
    return rebuild(sent, drop=drop)


# --------------------------------------------------------------------------- paraphrases

# word swaps that keep the meaning in news copy (both ways); the model must learn that new
# words are not by themselves a contradiction
SYNONYMS = both_ways([
    ("said", "stated"), ("says", "states"), ("began", "started"), ("begin", "start"), ("launched", "began"),
    ("freed", "released"), ("helped", "assisted"), ("bought", "purchased"), ("large", "big"),
    ("rose", "increased"), ("fell", "dropped"), ("nearly", "almost"), ("about", "around"),
    ("discussed", "talked about"), ("talks", "negotiations"), ("deal", "agreement"), ("urged", "called on"),
    ("warned", "cautioned"), ("troops", "soldiers"), ("officials", "authorities"), ("ceasefire", "truce"),
    ("kidnapped", "abducted"), ("arrested", "detained"), ("wounded", "injured"), ("chief", "head"),
    ("attack", "assault"), ("attacks", "assaults"), ("demanded", "called for"), ("stressed", "emphasised"),
    ("underlined", "stressed"), ("reiterated", "repeated"), ("announced", "declared"), ("plans", "intends"),
    ("quickly", "rapidly"), ("residents", "inhabitants"), ("meeting", "talks"), ("vowed", "pledged"),
    ("pledged", "promised"), ("received", "got"), ("delayed", "postponed"), ("ended", "finished"),
    ("percent", "per cent"), ("U.S.", "US"), ("United States", "US"), ("statement", "communique"),
])
_SMALL = {str(i): w for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())}
_SMALL.update({w: d for d, w in list(_SMALL.items())})
_MONTH_ABBREVIATIONS = {"Jan.": "January", "Feb.": "February", "Aug.": "August", "Sept.": "September",
                        "Oct.": "October", "Nov.": "November", "Dec.": "December"}
_MONTH_ABBREVIATIONS.update({v: k for k, v in list(_MONTH_ABBREVIATIONS.items())})


def _mid_sentence(span) -> str:
    """A phrase moved from the start of a sentence: its opening determiner lower-cased."""
    text = span.text
    return text[0].lower() + text[1:] if span[0].pos_ == "DET" else text


def passive(sent) -> str | None:
    """"X attacked Y" -> "Y was attacked by X" for a regular past-tense verb."""
    for verb in sent:
        if verb.tag_ != "VBD" or not verb.text.endswith("ed") or any(c.dep_ in ("aux", "auxpass", "neg") for c in verb.children):
            continue
        roles = _noun_roles(verb)
        if roles is None:
            continue
        a, b = roles
        if not (a[1] == verb.i and b[0] == verb.i + 1):
            continue
        doc = sent.doc
        done_to = next(c for c in verb.children if c.dep_ == "dobj")
        be = "were" if done_to.tag_ in ("NNS", "NNPS") else "was"
        doer = _mid_sentence(doc[a[0]:a[1]])
        replace = {a[0]: doc[b[0]:b[1]].text + " ", verb.i: f"{be} {verb.text} by {doer}"}
        drop = set(range(a[0] + 1, a[1])) | set(range(b[0], b[1]))
        return rebuild(sent, replace, drop)
    return None


def paraphrase(sent) -> str | None:
    """One to three meaning-keeping rewrites: synonyms, numbers and months written another
    way, the passive voice."""
    options = []
    for t in sent:
        if t.text in SYNONYMS or t.lower_ in SYNONYMS:
            new = SYNONYMS.get(t.text) or SYNONYMS[t.lower_]
            options.append({t.i: new[:1].upper() + new[1:] if t.text[:1].isupper() and t.i == sent.start else new})
        elif t.text in _SMALL and t.like_num and t.ent_type_ not in ("DATE", "TIME"):
            options.append({t.i: _SMALL[t.text]})
        elif t.text in _MONTH_ABBREVIATIONS:
            options.append({t.i: _MONTH_ABBREVIATIONS[t.text]})
    random.shuffle(options)
    replace: dict[int, str] = {}
    for option in options[:random.choice((1, 2, 3))]:
        replace.update(option)
    voiced = passive(sent) if random.random() < 0.5 else None
    if voiced and not replace:
        return voiced
    return rebuild(sent, replace) if replace else None


# --------------------------------------------------------------------------- an article

@dataclass
class Attribution:
    sentence: int  # index into the article's sentences
    source: str
    content: str
    cue: str = ""


_LOWERABLE = {"The", "A", "An", "It", "There", "This", "That", "These", "Those", "He", "She", "They", "We"}
_PRONOUN = re.compile(r"^(he|she|they|it|we|i|you|who|which|that|this|those|these)$", re.I)


# a cue like these says the speaker does not assert the content ("did not want to address")
_NOT_ASSERTED = re.compile(r"\b(not|n't|never|no|deny|denies|denied|reject\w*|question\w*|doubt\w*|may|might|"
                           r"could|would|wonder\w*|ask\w*|hope\w*|want\w*|urg\w*|call\w* (for|on)|if)\b", re.I)


def attribution_edits(att: Attribution, speakers: Sequence[str]) -> Iterator[tuple[str, int, str]]:
    """The content alone and re-attributed (entailed), and given to another speaker of the
    article (contradicted), for a content asserted as a clause."""
    content = att.content.strip().strip(",").strip()
    if len(content.split()) < 5 or not content[:1].isalpha() and content[:1] not in "“\"" \
            or _NOT_ASSERTED.search(att.cue):
        return
    first = content.split()[0]
    body = content[0].lower() + content[1:] if first in _LOWERABLE else content
    yield content[:1].upper() + content[1:], ENTAIL, "content-alone"
    if _PRONOUN.match(att.source.strip()):
        return
    source = att.source.strip()
    form = random.choice([f"{source} said {body}", f"According to {source}, {body}",
                          f"{content.rstrip('.')}, {source} said."])
    yield form, ENTAIL, "reattributed"
    others = [s for s in speakers if s.lower() not in source.lower() and source.lower() not in s.lower()]
    if others:
        yield f"{random.choice(others)} said {body}", CONTRADICT, "misattributed"


def article_pairs(sentences: Sequence, attributions: Sequence[Attribution], speakers: Sequence[str],
                  foreign_sentences: Sequence[str], foreign_names: Sequence[tuple[str, str]],
                  *, rng: random.Random) -> list[Pair]:
    """Synthetic pairs from one parsed article (``sentences``: its spaCy sentence spans)."""
    random.seed(rng.random())
    texts = [s.text.strip() for s in sentences]
    names = list({(e.text, e.label_) for s in sentences for e in s.ents if e.label_ in _NAME_TYPES})
    by_sentence: dict[int, list[Attribution]] = {}
    for att in attributions:
        by_sentence.setdefault(att.sentence, []).append(att)
    pairs = []
    for i, sent in enumerate(sentences):
        if len(sent) < 6 or len(sent) > 80 or texts[i].endswith("?"):
            continue
        lo = max(0, i - rng.randint(0, 1))
        hi = min(len(texts), i + 1 + rng.randint(0, 1))
        premise = " ".join(texts[lo:hi])
        edits: list[tuple[str | None, int, str]] = [
            (texts[i], ENTAIL, "identity") if rng.random() < 0.25 else (None, ENTAIL, "identity"),
            (compress(sent), ENTAIL, "compression"),
            (paraphrase(sent), ENTAIL, "paraphrase"),
            (negate(sent), CONTRADICT, "negation"),
            (antonym(sent), CONTRADICT, "antonym"),
            (swap_roles(sent), CONTRADICT, "swapped-roles"),
            (change_number(sent), CONTRADICT, "number"),
            (change_date(sent), CONTRADICT, "date"),
            (swap_entity(sent, names), CONTRADICT, "entity-intrinsic"),
            (swap_entity(sent, foreign_names), NEUTRAL, "entity-extrinsic"),
            (make_certain(sent), NEUTRAL, "hedge-certain"),
        ]
        for att in by_sentence.get(i, []):
            edits.extend(attribution_edits(att, speakers))
        outside = [j for j in range(len(texts)) if (j < lo - 1 or j > hi) and 5 < len(texts[j].split()) < 60]
        if outside and rng.random() < 0.5:
            edits.append((texts[rng.choice(outside)], NEUTRAL, "same-article"))
        if foreign_sentences and rng.random() < 0.15:
            edits.append((rng.choice(foreign_sentences), NEUTRAL, "other-article"))
        for hypothesis, label, origin in edits:
            if hypothesis and hypothesis.strip() and (label == ENTAIL or hypothesis.strip() != texts[i]):
                pairs.append(Pair(premise, hypothesis, label, origin))
    return pairs


def polnear_pairs(folder: Path, *, limit: int | None = None, seed: int = 0, progress: bool = True) -> list[Pair]:
    """Synthetic pairs from the articles of a PolNeAR split (its gold sources give the
    speakers for misattribution)."""
    from tqdm import tqdm

    from assistant.evaluate import read_polnear
    from assistant.models import load_spacy

    gold = read_polnear(folder, limit=limit)
    nlp = load_spacy()
    by_article: dict[str, list] = {}
    for claim in gold.claims:
        by_article.setdefault(claim.article_id, []).append(claim)
    rng = random.Random(seed)
    docs = list(tqdm(nlp.pipe([a.text for a in gold.articles], batch_size=16), total=len(gold.articles),
                     desc="parse", unit="article", disable=not progress))
    all_sentences = [[s for s in doc.sents if s.text.strip()] for doc in docs]
    pairs: list[Pair] = []
    for n, (article, doc, sentences) in enumerate(zip(gold.articles, docs, all_sentences)):
        starts = [s.start_char for s in sentences]
        attributions, speakers = [], []
        for claim in by_article.get(article.id, []):
            if claim.speaker is None or claim.content.pieces:
                continue
            index = max(0, sum(1 for s in starts if s <= claim.content.start) - 1)
            attributions.append(Attribution(index, claim.speaker.text, claim.content.text,
                                            claim.cue.text if claim.cue else ""))
            if not _PRONOUN.match(claim.speaker.text.strip()):
                speakers.append(claim.speaker.text.strip())
        other = all_sentences[(n + rng.randint(1, len(docs) - 1)) % len(docs)] if len(docs) > 1 else []
        foreign_sentences = [s.text.strip() for s in other if 5 < len(s) < 50]
        foreign_names = list({(e.text, e.label_) for s in other for e in s.ents if e.label_ in _NAME_TYPES})
        pairs += article_pairs(sentences, attributions, sorted(set(speakers)), foreign_sentences, foreign_names, rng=rng)
    return pairs
