"""Plain data objects that travel between stages.

Every span is a pair of character offsets into ``Article.text`` as stored, so that
``article.text[span.start:span.end] == span.text`` always holds.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Span:
    """A stretch of article text. ``pieces`` is set only when the span is discontinuous
    (e.g. a quotation split by "he said"); then ``start``/``end`` cover all pieces and
    ``text`` is the covering text, interruptions included."""

    start: int
    end: int
    text: str
    pieces: tuple[tuple[int, int], ...] | None = None

    @classmethod
    def of(cls, text: str, start: int, end: int) -> "Span":
        return cls(start, end, text[start:end])

    @classmethod
    def from_pieces(cls, text: str, pieces: list[tuple[int, int]]) -> "Span":
        pieces = sorted(pieces)
        start, end = pieces[0][0], pieces[-1][1]
        return cls(start, end, text[start:end], tuple(pieces) if len(pieces) > 1 else None)

    def parts(self) -> tuple[tuple[int, int], ...]:
        return self.pieces or ((self.start, self.end),)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"text": self.text, "start": self.start, "end": self.end}
        if self.pieces:
            d["pieces"] = [list(p) for p in self.pieces]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> "Span | None":
        if d is None:
            return None
        pieces = d.get("pieces")
        return cls(int(d["start"]), int(d["end"]), d["text"],
                   tuple((int(a), int(b)) for a, b in pieces) if pieces else None)


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article: ``index`` is its position in the article."""

    index: int
    start: int
    end: int
    text: str
    paragraph: int = 0


@dataclass
class Article:
    """One news article. ``text`` holds the headline (when the input carried it inline, as
    in plain-text files) and the body; ``body_start`` is where the body begins. Photo
    captions are kept apart, never as body sentences."""

    id: str
    title: str
    text: str
    source: str = ""
    url: str = ""
    published: str = ""
    captions: list[str] = field(default_factory=list)
    body_start: int = 0
    origin: str = ""  # the file (and line/row) it came from
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def body_sentences(self) -> list[Sentence]:
        return [s for s in self.sentences if s.start >= self.body_start]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "title": self.title, "text": self.text, "source": self.source,
            "url": self.url, "published": self.published, "captions": self.captions,
            "body_start": self.body_start, "origin": self.origin,
            "sentences": [[s.start, s.end, s.paragraph] for s in self.sentences],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Article":
        text = d["text"]
        sentences = [Sentence(i, a, b, text[a:b], p) for i, (a, b, p) in enumerate(d.get("sentences", []))]
        return cls(id=d["id"], title=d.get("title", ""), text=text, source=d.get("source", ""),
                   url=d.get("url", ""), published=d.get("published", ""),
                   captions=list(d.get("captions", [])), body_start=int(d.get("body_start", 0)),
                   origin=d.get("origin", ""), sentences=sentences)


@dataclass
class Claim:
    """An attributed claim: who (speaker) said (cue) what (content). Serialises to the
    claims JSONL format documented in the README."""

    article_id: str
    content: Span
    kind: str = "indirect"  # "direct" | "indirect" | "mixed"
    speaker: Span | None = None
    speaker_resolved: str | None = None
    speaker_type: str | None = None  # person | organisation | unnamed source | media report
    cue: Span | None = None
    sentence_ids: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "speaker_resolved": self.speaker_resolved,
            "speaker_type": self.speaker_type,
            "cue": self.cue.to_dict() if self.cue else None,
            "content": self.content.to_dict(),
            "kind": self.kind,
            "sentence_ids": list(self.sentence_ids),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Claim":
        content = Span.from_dict(d["content"])
        assert content is not None
        return cls(article_id=str(d["article_id"]), content=content, kind=d.get("kind", "indirect"),
                   speaker=Span.from_dict(d.get("speaker")), speaker_resolved=d.get("speaker_resolved"),
                   speaker_type=d.get("speaker_type"), cue=Span.from_dict(d.get("cue")),
                   sentence_ids=[int(i) for i in d.get("sentence_ids", [])])
