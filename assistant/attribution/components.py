"""The attribution engine as spaCy components, for use in any English pipeline with a
parser and entity recognizer:

    import spacy
    import assistant.attribution  # registers the components

    nlp = spacy.load("en_core_web_sm")
    nlp.add_pipe("line_break_sentence_starts", before="parser")  # optional: headlines apart
    nlp.add_pipe("news_attribution")
    doc = nlp(text)
    for cue in doc.spans["attributions"]:
        relation = cue._.attribution  # source, cue and content as character pieces, kind

``news_attribution`` finds the relations (``extract``) and sets ``Doc._.attributions`` and
one span per relation, its cue, in ``doc.spans[spans_key]``; ``Span._.attribution`` on such
a span is its relation. Every threshold is in the factory config (``ExtractionSettings``);
``to_disk``/``from_disk`` carry the cue model, the relation model, the contextual tagger and
the word lists.
``news_speakers``, after it, sets ``Doc._.claims``: the relations as claims in text order,
speakers resolved (``speakers``), with the doc's text as the article.
"""
import json
import shutil
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Optional

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import ensure_path, minibatch

from ..corpus import make_article
from ..fileio import write_text_atomic
from .cues import CueModel, load_cue_model
from .extract import Relation, find_relations, read_with_tagger, relations_to_claims
from .lexicons import Lexicons, default_lexicons
from .pipeline import register_line_breaks
from .relation_scorer import RelationScorer, load_relation_scorer
from .settings import ExtractionSettings, SpeakerSettings
from .speakers import resolve_speakers
from .tagger import CueTagger, load_cue_tagger, read_tagger

NEWS_ATTRIBUTION = "news_attribution"
NEWS_SPEAKERS = "news_speakers"
MODEL_FILE = "cue_model.json"
RELATION_MODEL_FILE = "relation_model.json"
TAGGER_FILE = "cue_tagger.safetensors"
LEXICON_FOLDER = "lexicons"


def _relation_of(span: Span) -> Relation | None:
    """The relation whose cue ``span`` is (spans cover whole tokens, cues may not)."""
    for relation in span.doc._.attributions or ():
        cue = span.doc.char_span(relation.cue[0][0], relation.cue[-1][1], alignment_mode="expand")
        if cue is not None and (cue.start, cue.end) == (span.start, span.end):
            return relation
    return None


if not Doc.has_extension("attributions"):
    Doc.set_extension("attributions", default=None)
if not Doc.has_extension("claims"):
    Doc.set_extension("claims", default=None)
if not Span.has_extension("attribution"):
    Span.set_extension("attribution", getter=_relation_of)
register_line_breaks()


@dataclass(eq=False)
class NewsAttribution:
    """Finds who said what in each doc (see ``extract``). ``pipe`` reads a batch with the
    contextual tagger on a second thread while the pipeline parses the next batch."""

    nlp: Language  # the pipeline it belongs to: the components before it parse a headline again
    name: str
    spans_key: str
    settings: ExtractionSettings
    model: CueModel
    scorer: RelationScorer | None  # the relation model; None when the settings turn it off
    tagger: CueTagger | None
    lexicons: Lexicons

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.find(doc))
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 16) -> Iterator[Doc]:
        if self.tagger is None:
            for doc in stream:
                yield self(doc)
            return
        # taking the next batch from ``stream`` is what parses it, so the tagger reads one
        # batch while the parser works on the next
        with ThreadPoolExecutor(max_workers=1) as executor:
            previous = None
            for batch in minibatch(stream, batch_size):
                contexts = self.read(batch, executor)
                if previous is not None:
                    yield from self._finish(*previous)
                previous = (batch, contexts)
            if previous is not None:
                yield from self._finish(*previous)

    def _finish(self, batch: list[Doc], contexts: Callable[[], list[dict[int, float]]]) -> Iterator[Doc]:
        for doc, context in zip(batch, contexts()):
            self.set_annotations(doc, self.find(doc, context))
            yield doc

    def read(self, docs: list[Doc], executor: Any = None) -> Callable[[], list[dict[int, float]]]:
        """Start the contextual tagger on ``docs`` (see ``read_with_tagger``)."""
        return read_with_tagger(docs, self.model, self.tagger, executor, settings=self.settings)

    def find(self, doc: Doc, context: dict[int, float] | None = None) -> list[Relation]:
        """The relations in ``doc``; ``context``: the tagger's scores, when already read."""
        return find_relations(doc, self.model, self.tagger, context, settings=self.settings,
                              lexicons=self.lexicons, parse=self.parse, scorer=self.scorer)

    def parse(self, text: str) -> Doc:
        """``text`` through the components before this one (a headline parsed again)."""
        doc = self.nlp.make_doc(text)
        for _, component in self.nlp.pipeline:
            if component is self:
                break
            doc = component(doc)
        return doc

    def set_annotations(self, doc: Doc, relations: list[Relation]) -> None:
        doc._.attributions = relations
        doc.spans[self.spans_key] = [doc.char_span(r.cue[0][0], r.cue[-1][1], alignment_mode="expand")
                                     for r in relations]

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path / MODEL_FILE, json.dumps(self.model.to_dict(), ensure_ascii=False, sort_keys=True))
        if self.scorer is not None:
            write_text_atomic(path / RELATION_MODEL_FILE,
                              json.dumps(self.scorer.to_dict(), ensure_ascii=False, sort_keys=True))
        if self.tagger is not None:
            if self.tagger.source is None:
                raise ValueError("a tagger not read from a file cannot be saved with the component")
            shutil.copyfile(self.tagger.source, path / TAGGER_FILE)
        self.lexicons.write(path / LEXICON_FOLDER)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "NewsAttribution":
        path = ensure_path(path)
        self.model = load_cue_model(path / MODEL_FILE)
        if (path / RELATION_MODEL_FILE).exists():
            self.scorer = load_relation_scorer(path / RELATION_MODEL_FILE)
        self.tagger = read_tagger(path / TAGGER_FILE) if (path / TAGGER_FILE).exists() else None
        self.lexicons = Lexicons.read(path / LEXICON_FOLDER)
        return self


DEFAULT_CONFIG = {"spans_key": "attributions", "use_tagger": True, **ExtractionSettings().to_config()}


@Language.factory(NEWS_ATTRIBUTION, default_config=DEFAULT_CONFIG)
def make_news_attribution(nlp: Language, name: str, spans_key: str, use_tagger: bool,
                          cue_threshold: Optional[float], colon_source_max: int, orphan_quote_words: int,
                          orphan_quote_floor: float, displacing_margin: float, reported_infinitive_floor: float,
                          tagger_unsure_low: float, tagger_unsure_high: float, headline_min_words: int,
                          headline_max_chars: int, headline_capitalised_share: float,
                          relation_model: bool) -> NewsAttribution:
    """The component with the package's cue model, relation model (when
    ``relation_model``), tagger (when ``use_tagger`` and it can be loaded) and word lists; ``from_disk`` replaces them with saved ones."""
    given = locals()
    settings = ExtractionSettings(**{f.name: given[f.name] for f in fields(ExtractionSettings)})
    return NewsAttribution(nlp, name, spans_key=spans_key, settings=settings, model=load_cue_model(),
                           scorer=load_relation_scorer() if relation_model else None,
                           tagger=load_cue_tagger() if use_tagger else None, lexicons=default_lexicons())


@dataclass(eq=False)
class NewsSpeakers:
    """Resolves who the relations ``news_attribution`` found are by; the doc's text is the
    article (its sentences split as at ingest, for the claims' sentence ids)."""

    name: str
    settings: SpeakerSettings
    lexicons: Lexicons

    def __call__(self, doc: Doc) -> Doc:
        if doc._.attributions is None:
            raise ValueError(f"{self.name} needs {NEWS_ATTRIBUTION} before it in the pipeline")
        article = make_article(text=doc.text)
        doc._.claims = resolve_speakers(doc, article, relations_to_claims(article, doc._.attributions),
                                        lexicons=self.lexicons, settings=self.settings)
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        self.lexicons.write(ensure_path(path) / LEXICON_FOLDER)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "NewsSpeakers":
        self.lexicons = Lexicons.read(ensure_path(path) / LEXICON_FOLDER)
        return self


@Language.factory(NEWS_SPEAKERS, default_config=SpeakerSettings().to_config())
def make_news_speakers(nlp: Language, name: str, pronoun_window: int) -> NewsSpeakers:
    """The resolver with the package's word lists; ``from_disk`` replaces them."""
    return NewsSpeakers(name, SpeakerSettings(pronoun_window), default_lexicons())
