"""Articles with claims marked inline, for the speaker tests: ``[n:speaker]`` and
``{n:content}`` for claim n; the markers are removed and their offsets become the claim's
spans, so the resolver sees exactly what the extractor would hand it."""
from __future__ import annotations

import re

from assistant.attribution.speakers import resolve_speakers
from assistant.corpus import make_article
from assistant.types import Article, Claim, Span

_MARK = re.compile(r"\[(\d+):|\{(\d+):|[\]}]")


def annotated(marked: str, title: str = "") -> tuple[Article, list[Claim]]:
    """Article and claims from text with ``[n:...]`` speaker and ``{n:...}`` content marks."""
    out, pos, stack = [], 0, []
    spans: dict[int, dict[str, tuple[int, int]]] = {}
    length = 0
    for m in _MARK.finditer(marked):
        out.append(marked[pos:m.start()])
        length += m.start() - pos
        pos = m.end()
        if m.group(1) or m.group(2):
            stack.append(("speaker" if m.group(1) else "content", int(m.group(1) or m.group(2)), length))
        else:
            role, n, start = stack.pop()
            spans.setdefault(n, {})[role] = (start, length)
    out.append(marked[pos:])
    text = "".join(out)
    article = make_article(text=text, title=title, id="t")
    claims = []
    for n in sorted(spans):
        a, b = spans[n]["content"]
        speaker = Span.of(text, *spans[n]["speaker"]) if "speaker" in spans[n] else None
        claims.append(Claim("t", Span.of(text, a, b), speaker=speaker))
    return article, claims


def resolve(nlp, marked: str, title: str = "", **kwargs) -> list[Claim]:
    article, claims = annotated(marked, title)
    return resolve_speakers(nlp(article.text), article, claims, **kwargs)


def names(claims: list[Claim]) -> list[tuple[str | None, str | None]]:
    return [(c.speaker_resolved, c.speaker_type) for c in claims]


