"""The Gradio web UI: layout and event wiring over ``Backend``; every fragment comes from
``render`` (which escapes all text)."""
from __future__ import annotations

import functools
import os
import socket
import sys
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from ..config import MAX_UPLOAD_MB
from ..corpus import SUPPORTED_SUFFIXES
from ..errors import AssistantError
from ..generate import Generator
from ..types import Article
from . import export, render
from .backend import ARTICLES_PER_PAGE, Backend, speaker_facets, speaker_groups, timeline_rows
from .guard import LOCAL_NAMES, HostGuard, allowed_hosts

TITLE = "News claim & summary fact-check assistant"
MAX_SESSION_ANSWERS = 100
SAMPLE_QUESTIONS = [  # shown as examples when the app runs on the bundled sample
    "How many people were killed at the school in Gaza City?",
    "What did Hussein Allawi say?",
    "Why did Blinken delay his visit?",
]

COMPARE_MODES = ("topic", "speaker")

EVAL_EXPLAINED = (  # for a reader who is not a specialist
    "How well the assistant finds who said what, scored against claims marked by hand. **Precision**: of the "
    "claims it found, the share that are right; **recall**: of the hand-marked claims, the share it found; "
    "**F1**: the two combined (1.0 is perfect).\n\n**Exact** counts a claim only when its words match the "
    "hand-marked ones exactly; **overlap** when they share at least half their words.")

SAMPLE_CLAIMS = [
    "Eight people were killed at a school in Gaza City.",
    "Palestinian medics said the strike targeted a command center.",
    "Israel carried out ethnic cleansing in north Gaza.",
]

CSS = """
.na-text { white-space: pre-wrap; line-height: 1.6; }
.na-paragraph, .na-source { line-height: 1.55; }
mark.na-speaker { background: #cfe3ff; color: inherit; border-bottom: 2px solid #3b7ddd; padding: 0 1px; }
mark.na-cue { background: #ffe0b3; color: inherit; border-bottom: 2px solid #e08a00; padding: 0 1px; }
mark.na-content { background: #d7f5d0; color: inherit; padding: 0 1px; }
mark.na-cited { background: #fff2a8; color: inherit; padding: 0 1px; }
mark:target, mark.na-flash { outline: 3px solid #d6336c; scroll-margin-top: 80px; }
.na-legend { margin: 4px 0 8px; font-size: 0.9em; }
.na-legend mark { margin-right: 6px; }
table.na-claims, table.na-table { border-collapse: collapse; width: 100%; font-size: 0.92em; }
table.na-claims th, table.na-claims td, table.na-table th, table.na-table td {
  border: 1px solid var(--border-color-primary, #ddd); padding: 6px 8px; vertical-align: top; text-align: left; }
table.na-claims th, table.na-table th { background: var(--background-fill-secondary, #f6f6f6); }
table.na-claims td.na-col-source { width: 40%; }
table.na-claims td.na-col-claim { width: 25%; }
td.na-num a { font-weight: bold; text-decoration: none; }
.na-sub { color: var(--body-text-color-subdued); font-size: 0.85em; }
.na-speaker-name { font-weight: 600; }
.na-kind { border-radius: 8px; padding: 1px 6px; font-size: 0.85em; background: #eee; color: #333; }
.na-kind-direct { background: #e6ddff; }
.na-kind-mixed { background: #ffe6f0; }
.na-badge { border-radius: 8px; padding: 1px 7px; font-size: 0.8em; font-weight: 600; color: #fff; }
.na-badge-supported { background: #237032; }
.na-badge-weak { background: #a35200; }
.na-badge-unsupported { background: #c92a2a; }
.na-badge-unknown { background: #5c636a; }
.na-flag { color: #c92a2a; font-size: 0.85em; }
.na-verdict-supported { background: #237032; }
.na-verdict-contradicted { background: #c92a2a; }
.na-verdict-disputed { background: #9c36b5; }
.na-verdict-not_in_coverage { background: #5c636a; }
.na-check { margin-bottom: 14px; }
.na-check-head { font-weight: 600; margin: 4px 0; }
.na-sides { display: flex; flex-wrap: wrap; gap: 12px; }
.na-side { flex: 1 1 280px; min-width: 0; }
.na-side h4 { margin: 6px 0; }
.na-evidence-supports { border-left: 4px solid #2b8a3e; }
.na-evidence-contradicts { border-left: 4px solid #c92a2a; }
.na-summary-line { margin-bottom: 6px; }
.na-summary-sources { font-size: 0.85em; color: var(--body-text-color-subdued); }
.na-citation { border: 1px solid var(--border-color-primary, #ddd); border-radius: 8px; padding: 8px 10px; margin-bottom: 8px; }
.na-citation-head { font-weight: 600; margin-bottom: 4px; }
.na-cite-num { color: #1c5fc0; }
a.na-cite { text-decoration: none; font-weight: 600; }
.na-answer p { margin: 0 0 8px; }
.na-note, .na-empty { color: var(--body-text-color-subdued); font-style: italic; }
.na-article h3 { margin-top: 0; }
.na-captions { font-size: 0.85em; color: var(--body-text-color-subdued); }
.na-speaker-group { margin-bottom: 8px; }
.na-speaker-group ul { margin-top: 4px; }
.na-speaker-group li { margin-bottom: 6px; }
.na-count { background: #eee; border-radius: 8px; padding: 0 6px; font-size: 0.85em; color: #333; }
mark.na-figure { background: #ffd8a8; color: inherit; font-weight: 600; padding: 0 1px; }
a.na-open { font-size: 0.95em; }
.na-group { margin-bottom: 8px; }
.na-msg { padding: 6px 10px; border-radius: 6px; margin: 4px 0; }
.na-msg-info { background: #e7f5ff; color: #1c4f80; }
.na-msg-error { background: #fff0f0; color: #a61e1e; }
.na-msg-warn { background: #fff9db; color: #7a5b00; }
/* a long choice in a dropdown stops short of its arrow instead of running under it */
input[role="combobox"] { text-overflow: ellipsis; padding-right: 32px !important; }
/* phones: a text box takes the whole row, its button goes below it; each claim is a card
   (speaker, cue, claim, kind, then the source sentence) */
@media (max-width: 640px) {
  .row:has(#na-question, #na-compare-query, #na-speaker-filter) { flex-wrap: wrap; }
  .row > .form:has(#na-question, #na-compare-query, #na-speaker-filter) { min-width: 100% !important; }
  table.na-claims, table.na-claims tbody, table.na-claims tr, table.na-claims td { display: block; width: auto; }
  table.na-claims thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.na-claims tr.na-claim-row { border: 1px solid var(--border-color-primary, #ddd); border-radius: 8px;
    margin-bottom: 10px; padding: 4px 0; }
  table.na-claims td, table.na-claims td.na-col-source, table.na-claims td.na-col-claim { border: none; width: auto;
    padding: 3px 10px; }
  table.na-claims td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; }
}
"""


def theme() -> gr.themes.Base:
    """Gradio's Soft theme with its accent and muted text darkened to WCAG AA contrast
    (4.5:1) on the backgrounds they sit on (its defaults reach 2.4-4.5:1)."""
    return gr.themes.Soft().set(
        color_accent="*primary_700", block_label_text_color="*primary_700", block_title_text_color="*primary_700",
        body_text_color_subdued="*neutral_600", input_placeholder_color="*neutral_500",
        button_primary_background_fill="*primary_700", button_primary_background_fill_hover="*primary_800",
        button_primary_border_color="*primary_700", checkbox_label_background_fill_selected="*primary_700")


def _user_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Problems the user can fix show as a Gradio error toast, not a stack trace."""
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except AssistantError as exc:
            raise gr.Error(str(exc)) from exc
    return wrapper


def render_ask(answer: render.AnswerView) -> tuple[str, str]:
    """The Ask tab's two panes: the answer, and its cited sources."""
    return render.render_answer(answer), render.render_citations(answer.citations)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _progress_callback(progress: gr.Progress) -> Callable[[float, str], None]:
    return lambda fraction, desc: progress(fraction, desc=desc)


def article_labels(articles: Sequence[Article]) -> list[tuple[str, str]]:
    """(label, id) for the article picker: the title; the same title twice (two outlets'
    versions) told apart by outlet and date, and where those are the same too, by a number."""
    titles = Counter(a.title for a in articles)
    labels = [a.title if a.title and titles[a.title] == 1 else
              " — ".join(x for x in (a.title or "(untitled)", a.source, a.published) if x) for a in articles]
    totals, seen = Counter(labels), Counter()
    numbered = []
    for label in labels:
        seen[label] += 1
        numbered.append(label if totals[label] == 1 else f"{label} ({seen[label]})")
    return list(zip(numbered, (a.id for a in articles)))


def build_app(backend: Backend) -> gr.Blocks:
    """The Blocks app over ``backend`` (queue enabled; call ``launch`` to serve)."""

    def article_choices(title: str = "", page: int = 0) -> tuple[list[tuple[str, str]], str]:
        """One page of the articles whose title holds ``title``, and where it is in all."""
        articles, total = backend.find_articles(title, page)
        choices = article_labels(articles)
        first = page * ARTICLES_PER_PAGE
        where = (f"{first + 1}–{first + len(articles)} of {total} articles" if articles else
                 f"no article on this page ({total} match)")
        return choices, where

    @_user_errors
    def on_find_articles(title: str, page: float, step: int) -> tuple[Any, Any, str]:
        page = max(0, int(page or 1) - 1 + step)
        choices, where = article_choices(title, page)
        if not choices and page:  # past the last page: stay on it
            page -= 1
            choices, where = article_choices(title, page)
        return gr.update(choices=choices, value=None), page + 1, where

    def counts_html() -> str:
        articles, sentences = backend.counts()
        return render.message(f"{backend.describe()} {articles} articles, {sentences} sentences.")

    def coverage_html() -> str:
        articles, sentences = backend.counts()
        return f'<div class="na-counts"><b>{articles}</b> articles, <b>{sentences}</b> sentences indexed.</div>'

    # ---------------------------------------------------------------- handlers

    @_user_errors
    def on_ask(question: str, answers: list[render.AnswerView]) -> tuple[str, str, list[render.AnswerView]]:
        answer = backend.ask(question)
        # this browser session's answers, for export (the most recent MAX_SESSION_ANSWERS)
        return (*render_ask(answer), (answers + [answer])[-MAX_SESSION_ANSWERS:])

    @_user_errors
    def on_check(text: str) -> str:
        return render.render_check(backend.check(text))

    @_user_errors
    def on_article(article_id: str | None) -> tuple[str, str, str]:
        if not article_id:
            return "", "", ""
        article = backend.article(article_id)
        claims = backend.claims(article_id)
        return (render.render_summary(backend.summary(article_id)),
                render.LEGEND + render.render_claims_table(article, claims), render.render_article(article, claims))

    def on_load() -> tuple[Any, ...]:
        choices, where = article_choices()
        first = choices[0][1] if choices else None
        return (counts_html(), gr.update(choices=choices, value=first), where, *on_article(first))

    def current_speakers(progress: gr.Progress) -> list:
        return speaker_groups(backend.articles(), backend.all_claims(_progress_callback(progress)))

    @_user_errors
    def on_speakers(query: str, sort: str, speaker_type: str, outlet: str, page: float = 1,
                    progress: gr.Progress = gr.Progress()) -> tuple[str, Any, Any, Any, Any]:
        groups = current_speakers(progress)
        names, types, outlets = speaker_facets(groups)
        html = render.render_speakers(groups, query, sort=sort, speaker_type=speaker_type or render.ANY,
                                      outlet=outlet or render.ANY, page=max(1, int(page or 1)))
        return (html, gr.update(choices=[render.ANY, *types]), gr.update(choices=[render.ANY, *outlets]),
                gr.update(choices=names), gr.update(choices=names))

    @_user_errors
    def on_speaker_pair(first: str | None, second: str | None, progress: gr.Progress = gr.Progress()) -> str:
        return render.render_speaker_pair(current_speakers(progress), first, second)

    @_user_errors
    def on_compare(query: str, mode: str, progress: gr.Progress = gr.Progress()) -> tuple[str, str, Any]:
        progress(0.1, desc="comparing the coverage")
        comparison = backend.compare(query, by_speaker=mode == COMPARE_MODES[1])
        rows = timeline_rows(comparison.timeline)
        frame = pd.DataFrame(rows, columns=["date", "who", "outlet", "statement"])
        frame["date"] = pd.to_datetime(frame["date"], errors="coerce")
        return (render.render_groups(comparison.groups), render.render_disagreements(comparison.disagreements),
                gr.update(value=frame.dropna(subset=["date"]), visible=True))

    @_user_errors
    def on_ingest(files: Sequence[str] | None, source: str, published: str, progress: gr.Progress = gr.Progress()):
        if not files:
            raise AssistantError("choose one or more files to upload first")
        return after_ingest(backend.ingest_uploads([Path(f) for f in files], _progress_callback(progress),
                                                   source=source, published=published))

    @_user_errors
    def on_ingest_path(path_text: str, progress: gr.Progress = gr.Progress()):
        return after_ingest(backend.ingest_path(path_text, _progress_callback(progress)))

    def after_ingest(result) -> tuple[str, str, Any]:
        summary = (f"Read {_plural(result.articles, 'article')} from {_plural(result.files, 'file')}: "
                   f"{result.added} added, {result.updated} updated, {result.skipped} unchanged.")
        html = render.message(summary) + "".join(render.message(w, "warn") for w in result.warnings[:20])
        if len(result.warnings) > 20:
            html += render.message(f"… and {len(result.warnings) - 20} more warnings", "warn")
        return html, coverage_html(), gr.update(choices=article_choices()[0])

    @_user_errors
    def on_export(kind: str, fmt_name: str, answers: list[render.AnswerView],
                  progress: gr.Progress = gr.Progress()) -> Any:
        fmt = export.FORMATS[fmt_name]
        articles = backend.articles()
        if kind == "claims":
            records = export.claim_records(articles, backend.all_claims(_progress_callback(progress)))
        elif kind == "summaries":
            summaries = {}
            for n, article in enumerate(articles):
                progress(n / len(articles), desc="summarising")
                summaries[article.id] = backend.summary(article.id)
            records = export.summary_records(articles, summaries)
        else:
            records = export.answer_records(answers)
        if not records:
            raise AssistantError(f"nothing to export: no {kind} yet")
        path = export.write_export(kind, fmt, records, Path(tempfile.mkdtemp(dir=backend.export_dir)))
        return gr.update(value=str(path), visible=True)

    @_user_errors
    def on_eval(source: str | None, progress: gr.Progress = gr.Progress(track_tqdm=True)) -> str:
        if not source:
            raise AssistantError("no gold set available")
        return render.render_eval_report(backend.evaluate_attribution(source))

    # ---------------------------------------------------------------- layout

    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        session_answers = gr.State([])
        gr.Markdown(f"# {TITLE}\nEvery answer, summary sentence and claim points at the article "
                    "sentences it rests on.")
        status = gr.HTML(counts_html, elem_id="na-status")
        with gr.Tabs(overflow_behavior="wrap"):  # every tab in sight on a phone, no "…" menu
            with gr.Tab("Ask", id="ask"):
                with gr.Row(equal_height=True):
                    question = gr.Textbox(label="Your question", placeholder="Ask about the coverage, e.g. How many "
                                          "people were killed at the school in Gaza City?", show_label=False, scale=5,
                                          elem_id="na-question")
                    ask_button = gr.Button("Ask", variant="primary", scale=0, min_width=120, elem_id="na-ask")
                examples = SAMPLE_QUESTIONS if backend.using_sample else backend.example_questions()
                if examples:
                    gr.Examples(examples, inputs=question, label="Try")
                with gr.Row():
                    with gr.Column(scale=3):
                        gr.Markdown("## Answer")
                        answer_html = gr.HTML(elem_id="na-answer")
                    with gr.Column(scale=2):
                        gr.Markdown("## Cited sentences")
                        citations_html = gr.HTML(elem_id="na-citations")
            with gr.Tab("Check", id="check"):
                check_text = gr.Textbox(label="Claim or summary to check against the coverage", lines=3,
                                        placeholder="e.g. Eight people were killed at a school in Gaza City.",
                                        elem_id="na-check-text")
                check_button = gr.Button("Check", variant="primary", elem_id="na-check-run")
                if backend.using_sample:
                    gr.Examples(SAMPLE_CLAIMS, inputs=check_text, label="Try")
                check_html = gr.HTML(elem_id="na-check-result")
            with gr.Tab("Articles", id="articles"):
                with gr.Row(equal_height=True):
                    article_find = gr.Textbox(placeholder="Find articles by title", show_label=False, scale=4,
                                              elem_id="na-article-find")
                    article_prev = gr.Button("◀ Newer", scale=0, min_width=100, elem_id="na-article-prev")
                    article_page = gr.Number(value=1, precision=0, minimum=1, label="Page", scale=0, min_width=80,
                                             elem_id="na-article-page")
                    article_next = gr.Button("Older ▶", scale=0, min_width=100, elem_id="na-article-next")
                article_where = gr.Markdown(elem_id="na-article-where")
                article_pick = gr.Dropdown(choices=[], value=None, label="Article", elem_id="na-article-pick")
                gr.Markdown("## Summary")
                summary_html = gr.HTML(elem_id="na-summary")
                gr.Markdown("## Claims — click a number to see the claim in the article")
                claims_html = gr.HTML(elem_id="na-claims")
                gr.Markdown("## Full article")
                article_html = gr.HTML(elem_id="na-article")
            with gr.Tab("Compare", id="compare"):
                with gr.Row(equal_height=True):
                    compare_query = gr.Textbox(label="Topic or speaker to compare",
                                               placeholder="A topic or question, or a speaker's name", show_label=False, scale=5, elem_id="na-compare-query")
                    compare_mode = gr.Radio(list(COMPARE_MODES), value=COMPARE_MODES[0], show_label=False,
                                            scale=2, elem_id="na-compare-mode")
                    compare_button = gr.Button("Compare", variant="primary", scale=0, min_width=120,
                                               elem_id="na-compare-run")
                gr.Markdown("## Claim groups — the same claim across outlets and speakers")
                groups_html = gr.HTML(elem_id="na-compare-groups")
                gr.Markdown("## Disagreements")
                disagreements_html = gr.HTML(elem_id="na-compare-disagreements")
                gr.Markdown("## Timeline")
                timeline_plot = gr.ScatterPlot(x="date", y="who", color="outlet", tooltip=["statement", "outlet"],
                                               height=320, elem_id="na-compare-timeline", show_label=False,
                                               visible=False)  # Gradio's empty plot has an invalid aria-label
            with gr.Tab("Speakers", id="speakers") as speakers_tab:
                with gr.Row(equal_height=True):
                    speaker_filter = gr.Textbox(label="Filter speakers",
                                                placeholder="Filter by speaker, alias or words of the claim", show_label=False, scale=5, elem_id="na-speaker-filter")
                    speakers_button = gr.Button("Show", scale=0, min_width=120, elem_id="na-speakers-show")
                with gr.Row(equal_height=True):
                    speaker_sort = gr.Radio(list(render.SPEAKER_SORTS), value=render.SPEAKER_SORTS[0],
                                            label="Sort by", elem_id="na-speaker-sort")
                    speaker_type = gr.Dropdown([render.ANY], value=render.ANY, label="Type", elem_id="na-speaker-type")
                    speaker_outlet = gr.Dropdown([render.ANY], value=render.ANY, label="Outlet",
                                                 elem_id="na-speaker-outlet")
                    speaker_page = gr.Number(value=1, precision=0, minimum=1, label="Page", min_width=80,
                                             elem_id="na-speaker-page")
                with gr.Accordion("Compare two speakers", open=False):
                    with gr.Row(equal_height=True):
                        first_speaker = gr.Dropdown([], label="First speaker", elem_id="na-speaker-a")
                        second_speaker = gr.Dropdown([], label="Second speaker", elem_id="na-speaker-b")
                        pair_button = gr.Button("Compare", scale=0, min_width=120, elem_id="na-speaker-pair-run")
                    pair_html = gr.HTML(elem_id="na-speaker-pair")
                speakers_html = gr.HTML(elem_id="na-speakers")
            with gr.Tab("Coverage", id="coverage"):
                coverage_counts = gr.HTML(coverage_html, elem_id="na-counts")
                uploads = gr.File(label="Upload articles (" + ", ".join(sorted(SUPPORTED_SUFFIXES)) + ")",
                                  file_count="multiple", file_types=sorted(SUPPORTED_SUFFIXES),
                                  elem_id="na-upload")
                with gr.Row(equal_height=True):
                    upload_source = gr.Textbox(label="Outlet of these files (when they name none)",
                                               elem_id="na-upload-source")
                    upload_published = gr.Textbox(label="Publication date (YYYY-MM-DD, when they give none)",
                                                  elem_id="na-upload-published")
                ingest_button = gr.Button("Add uploaded files", variant="primary", elem_id="na-ingest")
                if backend.data_roots:
                    with gr.Row(equal_height=True):
                        local_path = gr.Textbox(label="Folder, file or saved dataset on this machine (under "
                                                + ", ".join(map(str, backend.data_roots)) + ")", scale=5)
                        path_button = gr.Button("Add from path", scale=0, min_width=160)
                else:
                    gr.Markdown("To add a folder or dataset from this machine by path, start the app with "
                                "`--data-root DIR`; only paths under DIR can then be read.")
                ingest_html = gr.HTML(elem_id="na-ingest-result")
            with gr.Tab("Eval", id="eval"):
                gr.Markdown(EVAL_EXPLAINED, elem_id="na-eval-help")
                eval_source = gr.Radio(backend.eval_sources(), value=(backend.eval_sources() or [None])[0],
                                       label="Gold set")
                eval_button = gr.Button("Run evaluation", elem_id="na-eval-run")
                eval_html = gr.HTML(elem_id="na-eval")
            with gr.Tab("Export", id="export"):
                export_kind = gr.Radio(list(export.KINDS), value="claims", label="What")
                export_format = gr.Radio(list(export.FORMATS), value="JSON", label="Format")
                export_button = gr.Button("Prepare download", elem_id="na-export")
                export_file = gr.File(label="Download", interactive=False, elem_id="na-export-file",
                                      visible=False)  # as the empty plot: shown once there is a file

        # ------------------------------------------------------------ events
        # each page load sees the articles ingested since start-up, the first one open
        demo.load(on_load, outputs=[status, article_pick, article_where, summary_html, claims_html, article_html])
        for trigger, step in ((article_find.submit, 0), (article_page.submit, 0), (article_prev.click, -1),
                              (article_next.click, 1)):
            trigger(functools.partial(on_find_articles, step=step), inputs=[article_find, article_page],
                    outputs=[article_pick, article_page, article_where], concurrency_limit=4)
        ask_args = dict(fn=on_ask, inputs=[question, session_answers],
                        outputs=[answer_html, citations_html, session_answers], concurrency_limit=4,
                        concurrency_id="ask")
        ask_button.click(**ask_args, api_name="ask")
        question.submit(**ask_args, api_name=False)
        check_button.click(on_check, inputs=check_text, outputs=check_html, api_name="check", concurrency_limit=4,
                           concurrency_id="ask")
        article_pick.change(on_article, inputs=article_pick, outputs=[summary_html, claims_html, article_html],
                            concurrency_limit=4)
        speaker_inputs = [speaker_filter, speaker_sort, speaker_type, speaker_outlet, speaker_page]
        speaker_outputs = [speakers_html, speaker_type, speaker_outlet, first_speaker, second_speaker]
        for trigger in (speakers_button.click, speaker_filter.submit, speakers_tab.select, speaker_sort.change,
                        speaker_type.input, speaker_outlet.input, speaker_page.submit):
            trigger(on_speakers, inputs=speaker_inputs, outputs=speaker_outputs, concurrency_limit=4)
        pair_button.click(on_speaker_pair, inputs=[first_speaker, second_speaker], outputs=pair_html,
                          concurrency_limit=4)
        compare_args = dict(fn=on_compare, inputs=[compare_query, compare_mode],
                            outputs=[groups_html, disagreements_html, timeline_plot], concurrency_limit=2,
                            concurrency_id="ask")
        compare_button.click(**compare_args, api_name="compare")
        compare_query.submit(**compare_args, api_name=False)
        ingest_outputs = [ingest_html, coverage_counts, article_pick]
        ingest_button.click(on_ingest, inputs=[uploads, upload_source, upload_published], outputs=ingest_outputs,
                            concurrency_limit=1, concurrency_id="ingest").then(counts_html, outputs=status)
        if backend.data_roots:
            path_button.click(on_ingest_path, inputs=local_path, outputs=ingest_outputs,
                              concurrency_limit=1, concurrency_id="ingest").then(counts_html, outputs=status)
        eval_button.click(on_eval, inputs=eval_source, outputs=eval_html, api_name="eval", concurrency_limit=1,
                          concurrency_id="eval")
        export_button.click(on_export, inputs=[export_kind, export_format, session_answers], outputs=export_file,
                            concurrency_limit=2)
    demo.queue(default_concurrency_limit=2)
    return demo


def serve(index_dir: Path | None = None, *, host: str = "127.0.0.1", port: int = 7860,
          data_roots: Sequence[Path] = (), polnear_dir: Path | None = None,
          generator: Generator | None = None, nli: str | None = None,
          auth: tuple[str, str] | None = None, max_upload_mb: float = MAX_UPLOAD_MB,
          block: bool = True) -> tuple[gr.Blocks, Backend]:
    """Open the index (or the sample), load every model once, and serve the UI."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    check_port(host, port)  # before the models load, so a busy port fails fast
    if auth is None and host not in LOCAL_NAMES:
        print(f"warning: serving on {host} without --auth USER:PASS: anyone who reaches this machine "
              f"can use the UI", file=sys.stderr)
    print("loading the index and models (once, before serving)...", file=sys.stderr)
    backend = Backend(index_dir, data_roots=data_roots, polnear_dir=polnear_dir, generator=generator, nli=nli,
                      max_upload_mb=max_upload_mb)
    print(f"{backend.describe()} Index: {backend.index_dir}", file=sys.stderr)
    demo = build_app(backend)
    # the models load beside the server: start-up does not wait for them (or for the index
    # size), and the first requests wait only for what they use. Started after the page is
    # built, whose example questions run spaCy: one pipeline must not run in two threads at once
    threading.Thread(target=backend.warm_up, name="warm-up", daemon=True).start()
    launch(demo, host=host, port=port, block=block, auth=auth, max_upload_mb=max_upload_mb)
    return demo, backend


def check_port(host: str, port: int) -> None:
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.bind((host, port))
    except (OSError, OverflowError) as exc:
        raise AssistantError(f"cannot serve on {host}:{port}: {getattr(exc, 'strerror', None) or exc}") from exc


def launch(demo: gr.Blocks, *, host: str = "127.0.0.1", port: int = 7860, block: bool = True,
           auth: tuple[str, str] | None = None, max_upload_mb: float = MAX_UPLOAD_MB) -> None:
    from starlette.middleware import Middleware

    try:
        demo.launch(server_name=host, server_port=port, prevent_thread_lock=not block, quiet=not block,
                    css=CSS, theme=theme(), show_error=True, footer_links=[], auth=auth,
                    max_file_size=int(max_upload_mb * 2**20),
                    app_kwargs={"middleware": [Middleware(HostGuard, hosts=allowed_hosts(host))]})
    except OSError as exc:
        raise AssistantError(f"cannot serve on {host}:{port}: {exc}") from exc
