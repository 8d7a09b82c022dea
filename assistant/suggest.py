"""Example questions drawn from the user's own coverage: what its most-quoted speakers
said, and what it says about the places, organisations and events its headlines name
most often (spaCy's entities)."""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from .attribution import group_speakers, speaker_table
from .attribution.speakers import is_pronoun
from .attribution.text import fold_name
from .models import load_spacy
from .types import Article, Claim

SPEAKER_TYPES = ("person", "organisation")  # not "unnamed source" or "media report"
TOPIC_LABELS = ("GPE", "LOC", "ORG", "EVENT", "FAC", "LAW", "PRODUCT", "WORK_OF_ART")


def main_speakers(articles: Sequence[Article], claims_by_article: Mapping[str, Sequence[Claim]],
                  n: int) -> list[str]:
    """The ``n`` named speakers with the most claims."""
    groups = group_speakers(speaker_table(a, claims_by_article.get(a.id, [])) for a in articles)
    named = [g.name for g in groups if g.type in SPEAKER_TYPES and not is_pronoun(g.name)]
    return named[:n]


def main_topics(articles: Sequence[Article], n: int, exclude: Sequence[str] = ()) -> list[str]:
    """The ``n`` names (not of people) in the most headlines, ties by order of appearance."""
    skip = {fold_name(x) for x in exclude}
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for doc in load_spacy().pipe(a.title for a in articles if a.title):
        for key, text in {fold_name(e.text): e.text for e in doc.ents if e.label_ in TOPIC_LABELS}.items():
            if key not in skip:
                counts[key] += 1
                shown.setdefault(key, text)
    return [shown[key] for key, _ in counts.most_common(n)]


def example_questions(articles: Sequence[Article], claims_by_article: Mapping[str, Sequence[Claim]],
                      n: int = 4, *, newest: int = 200) -> list[str]:
    """Up to ``n`` questions: half about the main speakers, the rest about the main topics,
    of the ``newest`` articles (by date, undated last): the server asks at start-up, which
    must not grow with the index."""
    articles = sorted(articles, key=lambda a: a.published or "", reverse=True)[:newest]
    speakers = main_speakers(articles, claims_by_article, (n + 1) // 2)
    topics = main_topics(articles, n - len(speakers), exclude=speakers)
    return ([f"What did {name} say?" for name in speakers]
            + [f"What does the coverage say about {topic}?" for topic in topics])
