"""What the web UI does, without the UI: one object that holds the index and the loaded
models for the life of the server, and answers, summarises, extracts claims, ingests and
evaluates on request. Event handlers in ``app.py`` only call this and render the results.

Models are loaded once, by ``warm_up()`` at start-up. Reads need no lock: the index swaps
whole generations on disk and in memory, so a question asked during an ingest sees the
index before or after a batch. Ingests are serialised by a lock (and by the app's queue).
"""
from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..answer import NO_COVERAGE, Answer, answer_question
from ..attribution import extract_claims, group_speakers, speaker_table
from ..config import SAMPLE_CORPUS, SAMPLE_GOLD, default_index_dir
from ..corpus import expand_paths, read_file, read_source
from ..errors import AssistantError
from ..evaluate import Report, evaluate, read_gold, read_polnear
from ..index import SentenceIndex
from ..summarize import Summary, summarize_articles
from ..types import Article, Claim
from .render import AnswerLine, AnswerView, Cited, SpeakerGroup, SummaryLine, SummaryView

Progress = Callable[[float, str], None]
INGEST_BATCH = 32
WARM_CLAIMS_UP_TO = 200  # articles whose claims are extracted at start-up; beyond, on first view
GOLD_SOURCE = "bundled gold set (the sample coverage)"
POLNEAR_SOURCE = "PolNeAR: "


def _no_progress(_: float, __: str) -> None:
    pass


@dataclass
class IngestResult:
    files: int
    articles: int
    added: int = 0
    updated: int = 0
    skipped: int = 0
    warnings: list[str] = field(default_factory=list)


def check_local_path(text: str, roots: Sequence[Path]) -> Path:
    """A path typed in the browser, resolved (symlinks followed) and allowed only when it
    lies under one of ``roots``; a relative path is taken from the first root."""
    if not roots:
        raise AssistantError("reading folders from this machine is off; start the app with "
                             "--data-root DIR to allow a folder")
    roots = [Path(r).resolve() for r in roots]
    path = Path(text.strip()).expanduser()
    path = (path if path.is_absolute() else roots[0] / path).resolve()
    if not any(path.is_relative_to(root) for root in roots):
        raise AssistantError(f"{text.strip()}: not under an allowed folder ({', '.join(map(str, roots))})")
    if not path.exists():
        raise AssistantError(f"{text.strip()}: no such file or directory")
    return path


ANSWER_METHODS = {
    "extractive": "Extractive answer: the retrieved sentences that match the question best.",
    "claims": "From the attributed claims of the speaker asked about.",
    "generated": "Generated from the retrieved sentences; each sentence checked against its sources.",
}


def answer_view(answer: Answer, article_of: Callable[[str], Article]) -> AnswerView:
    """An answer as the Ask tab shows it."""
    citations = [Cited(n, article_of(c.article_id), c.start, c.end) for n, c in enumerate(answer.sources, start=1)]
    lines = [AnswerLine(s.text, list(s.sources), s.support, list(s.issues)) for s in answer.sentences]
    notes = ([] if answer.answered else [NO_COVERAGE]) + list(answer.notes)
    method = ANSWER_METHODS.get(answer.method, "")
    if answer.generator:
        method += f" Model: {answer.generator}."
    return AnswerView(answer.question, lines, citations, " ".join(notes), method,
                      checked=answer.method == "generated")


def summary_view(article: Article, summary: Summary) -> SummaryView:
    """A summary as the Articles tab shows it: each sentence with its label,
    the source sentences it cites and its flags."""
    by_index = {s.index: s for s in article.sentences}
    lines = [SummaryLine(s.text, s.support, [by_index[c.sentence_index] for c in s.citations
                                             if c.article_id == article.id and c.sentence_index in by_index],
                         list(s.issues)) for s in summary.sentences]
    method = summary.method + (f" ({summary.generator})" if summary.generator else "")
    if summary.method == "extractive":
        method = "Extractive: the article's most central sentences, each its own source."
    return SummaryView(article.id, lines, method + "".join(f" {n}" for n in summary.notes))


def speaker_groups(articles: Sequence[Article], claims_by_article: dict[str, list[Claim]]) -> list[SpeakerGroup]:
    """Claims across the coverage grouped by speaker, aliases merged by the attribution
    engine's cross-article grouping; claims without a speaker last, as "unattributed"."""
    def fold(name: str) -> str:
        return " ".join(name.replace("’", "'").casefold().split())

    merged = group_speakers(speaker_table(a, claims_by_article.get(a.id, [])) for a in articles)
    views = [SpeakerGroup(g.name, g.type, list(g.aliases), []) for g in merged]
    by_alias: dict[str, SpeakerGroup] = {}
    for view in views:
        for alias in (view.name, *view.aliases):
            by_alias.setdefault(fold(alias), view)
    unattributed = SpeakerGroup("unattributed", None, [], [])
    for article in articles:
        for claim in claims_by_article.get(article.id, []):
            name = claim.speaker_resolved or (claim.speaker.text if claim.speaker else "")
            by_alias.get(fold(name), unattributed).entries.append((article, claim))
    return [v for v in views if v.entries] + ([unattributed] if unattributed.entries else [])


class Backend:
    """The index and models behind the UI.

    ``index_dir``: the user's index (default: ``default_index_dir()``); when no index
    exists there, the bundled sample is ingested into a temporary index instead.
    ``data_roots``: folders whose contents the browser may ingest by path; nothing else on
    this machine can be read from the browser (uploads aside).
    """

    def __init__(self, index_dir: Path | None = None, *, data_roots: Sequence[Path] = (),
                 polnear_dir: Path | None = None, model: str | None = None) -> None:
        self.requested_index = Path(index_dir) if index_dir is not None else default_index_dir()
        self.data_roots = [Path(r).expanduser().resolve() for r in data_roots]
        self.polnear_dir = Path(polnear_dir).expanduser().resolve() if polnear_dir else None
        if self.polnear_dir is not None and not self.polnear_dir.is_dir():
            raise AssistantError(f"{polnear_dir}: no such PolNeAR directory")
        self.using_sample = not (self.requested_index / "manifest.json").exists()
        if self.using_sample:
            self.index_dir = Path(tempfile.mkdtemp(prefix="news-assistant-sample-"))
            atexit.register(shutil.rmtree, self.index_dir, True)
        else:
            self.index_dir = self.requested_index
        self.index = SentenceIndex(self.index_dir, model=model)
        self.export_dir = Path(tempfile.mkdtemp(prefix="news-assistant-export-"))
        atexit.register(shutil.rmtree, self.export_dir, True)
        self._write_lock = threading.Lock()
        # caches keyed by (article id, text): an article re-ingested with new text is redone
        self._claims: dict[tuple[str, str], list[Claim]] = {}
        self._summaries: dict[tuple[str, str], SummaryView] = {}
        if self.using_sample:
            self.index.add(read_file(SAMPLE_CORPUS))

    # ------------------------------------------------------------------ state

    def describe(self) -> str:
        if self.using_sample:
            return (f"Showing the bundled sample coverage (no index at {self.requested_index}); "
                    f"files added here go to a temporary index.")
        return f"Index: {self.index_dir}"

    def articles(self) -> list[Article]:
        return sorted(self.index.articles(), key=lambda a: (a.title.casefold(), a.id))

    def article(self, article_id: str) -> Article:
        article = self.index.article(article_id)
        if article is None:
            raise AssistantError(f"no article {article_id!r} in the index")
        return article

    def counts(self) -> tuple[int, int]:
        return len(self.index.articles()), len(self.index)

    def warm_up(self) -> None:
        """Load every model now, so that no request pays for it."""
        articles = self.articles()
        if len(articles) <= WARM_CLAIMS_UP_TO:
            self.all_claims()
        elif articles:
            self.claims(articles[0].id)
        if articles:
            self.summary(articles[0].id)
        self.ask("warm-up question about the coverage")

    # ------------------------------------------------------------------ features

    def ask(self, question: str) -> AnswerView:
        """An answer from the coverage, every sentence cited; "what did X say" questions are
        answered from the claims (extracted once per article and cached)."""
        question = question.strip()
        if not question:
            raise AssistantError("type a question first")
        answer = answer_question(question, self.index, k=8, engine_claims=self.claims_of)
        return answer_view(answer, self.article)

    def claims(self, article_id: str) -> list[Claim]:
        return self.claims_of([self.article(article_id)])[0]

    def claims_of(self, articles: Sequence[Article], progress: Progress = _no_progress) -> list[list[Claim]]:
        """Claims of each article; those not cached yet are extracted in batches."""
        todo = [a for a in articles if (a.id, a.text) not in self._claims]
        for start in range(0, len(todo), INGEST_BATCH):
            progress(start / len(todo), f"finding claims in {len(todo)} articles")
            batch = todo[start:start + INGEST_BATCH]
            for article, claims in zip(batch, extract_claims(batch)):
                self._claims[article.id, article.text] = claims
        return [self._claims[a.id, a.text] for a in articles]

    def all_claims(self, progress: Progress = _no_progress) -> dict[str, list[Claim]]:
        articles = self.articles()
        return {a.id: claims for a, claims in zip(articles, self.claims_of(articles, progress))}

    def summary(self, article_id: str) -> SummaryView:
        """The article's summary: each sentence with its support label and sources."""
        article = self.article(article_id)
        key = (article.id, article.text)
        if key not in self._summaries:
            summary = summarize_articles([article], embed=lambda a: self.index.sentence_embeddings(a.id))[0]
            self._summaries[key] = summary_view(article, summary)
        return self._summaries[key]

    # ------------------------------------------------------------------ ingest

    def ingest(self, paths: Iterable[Path], progress: Progress = _no_progress) -> IngestResult:
        """Read ``paths`` (files, folders, saved datasets) and add their articles to the index."""
        warnings: list[str] = []
        items = expand_paths(list(paths))
        articles: list[Article] = []
        for n, item in enumerate(items):
            progress(0.3 * n / max(1, len(items)), f"reading {Path(str(item)).name}")
            articles.extend(read_source(item, warnings.append))
        result = IngestResult(files=len(items), articles=len(articles), warnings=warnings)
        for start in range(0, len(articles), INGEST_BATCH):
            progress(0.3 + 0.7 * start / max(1, len(articles)),
                     f"indexing articles {start + 1}–{min(len(articles), start + INGEST_BATCH)} of {len(articles)}")
            batch = articles[start:start + INGEST_BATCH]
            with self._write_lock:
                report = self.index.add(batch)
            result.added += report.added
            result.updated += report.updated
            result.skipped += report.skipped
        progress(1.0, "done")
        return result

    # ------------------------------------------------------------------ eval

    def eval_sources(self) -> list[str]:
        sources = [GOLD_SOURCE] if SAMPLE_GOLD.exists() else []
        if self.polnear_dir is not None:
            sources.append(f"{POLNEAR_SOURCE}{self.polnear_dir}")
        return sources

    def evaluate_attribution(self, source: str) -> Report:
        """Run the claim engine on a gold set (one of ``eval_sources()``) and score it."""
        if source not in self.eval_sources():
            raise AssistantError(f"unknown gold set {source!r}")
        if source == GOLD_SOURCE:
            gold = read_gold(SAMPLE_GOLD)
        else:
            gold = read_polnear(self.polnear_dir)
        predictions = [c for claims in extract_claims(gold.articles, progress=True) for c in claims]
        return evaluate(gold.articles, gold.claims, predictions)
