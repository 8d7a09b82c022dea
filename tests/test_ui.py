"""Unit tests of the UI's HTML rendering (escaping above all), export and path checks."""
from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser

import pytest

from assistant.corpus import make_article
from assistant.errors import AssistantError
from assistant.types import Claim, Span
from assistant.ui import export, render
from assistant.ui.render import AnswerLine, AnswerView, Cited, Mark, SummaryLine, SummaryView

INJECTED = '<script>window.__pwned=1</script> <img src=x onerror="window.__pwned=1"> & "q"'
HOSTILE_TITLE = "<b>Bold</b> & <i>title</i>"


class TagCollector(HTMLParser):
    """Every start tag (with attributes) and the visible text of a fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(fragment: str) -> TagCollector:
    collector = TagCollector()
    collector.feed(fragment)
    collector.close()
    return collector


def assert_inert(fragment: str) -> None:
    """No script element and no event-handler attribute anywhere in the fragment."""
    tags = parse(fragment).tags
    assert all(tag not in ("script", "img", "iframe", "b", "i") for tag, _ in tags), tags
    assert all(not name.startswith("on") for _, attrs in tags for name in attrs), tags


def visible_text(fragment: str) -> str:
    return "".join(parse(fragment).text)


@pytest.fixture()
def article():
    text = (f"{HOSTILE_TITLE}\n\n"
            f"The minister said the plan would {INJECTED} work. Critics disagreed.\n"
            "\"We will win,\" she told reporters, \"whatever it takes.\"")
    return make_article(text=text, title=HOSTILE_TITLE, body_start=len(HOSTILE_TITLE) + 2, id="a1",
                        captions=['<img src=y onerror="alert(1)">'])


def span(text: str, needle: str, occurrence: int = 0) -> Span:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return Span.of(text, start, start + len(needle))


@pytest.fixture()
def claims(article):
    t = article.text
    said = Claim("a1", span(t, f"the plan would {INJECTED} work"), "indirect", span(t, "The minister"),
                 "Jane Minister", "person", span(t, "said"), [1])
    quote_a, quote_b = span(t, "\"We will win,\""), span(t, "\"whatever it takes.\"")
    quote = Claim("a1", Span.from_pieces(t, [(quote_a.start, quote_a.end), (quote_b.start, quote_b.end)]),
                  "direct", span(t, "she"), "Jane Minister", "person", span(t, "told"), [3])
    return [said, quote]


# --------------------------------------------------------------------------- highlighting

def test_highlight_escapes_every_piece_and_keeps_text():
    text = "a<b>c & d<e"
    out = render.highlight(text, [Mark(1, 4, "x"), Mark(6, 7, "y")])
    assert visible_text(out) == text
    assert "<b>" not in out and "&lt;b&gt;" in out
    assert [tag for tag, _ in parse(out).tags] == ["mark", "mark"]


def test_highlight_window_clips_marks_and_places_anchor_once():
    text = "0123456789"
    marks = [Mark(2, 8, "outer", anchor="claim-1"), Mark(4, 6, "inner")]
    out = render.highlight(text, marks, 3, 9)
    assert visible_text(out) == text[3:9]
    assert out.count('id="claim-1"') == 1
    # the inner mark is nested inside the outer one
    assert '<mark class="outer"><mark class="inner">45</mark></mark>' in out


def test_highlight_escapes_attributes():
    out = render.highlight("abc", [Mark(0, 1, 'x" onclick="evil', anchor='"><script>', title="<t>")])
    assert_inert(out)
    assert visible_text(out) == "abc"


def test_span_text_joins_pieces():
    text = '"One," he said, "two."'
    s = Span.from_pieces(text, [(0, 6), (16, 22)])
    assert render.span_text(s) == '"One," … "two."'
    assert render.span_text(None) == ""


# --------------------------------------------------------------------------- articles & claims

def test_article_with_injected_html_renders_as_text(article, claims):
    out = render.render_article(article, claims)
    assert_inert(out)
    text = visible_text(out)
    assert INJECTED in text and HOSTILE_TITLE in text
    assert 'onerror="alert(1)"' in text  # the caption, as text


def test_article_anchors_one_per_claim(article, claims):
    out = render.render_article(article, claims)
    assert re.findall(r'id="(claim-\d+)"', out) == ["claim-1", "claim-2"]


def test_claims_table_puts_source_sentence_in_the_claims_row(article, claims):
    out = render.render_claims_table(article, claims)
    assert_inert(out)
    rows = re.findall(r'<tr class="na-claim-row".*?</tr>', out, flags=re.S)
    assert len(rows) == 2
    first, second = (visible_text(r) for r in rows)
    assert article.sentences[1].text in first and article.sentences[1].text not in second
    assert "Jane Minister" in first and "as “The minister”" in first
    # the discontinuous quotation: its sentence(s) shown whole, both pieces highlighted as content
    assert '"We will win," she told reporters, "whatever it takes."' in second
    assert second.count("whatever it takes") == 2  # in the claim column and in the source sentence
    content_marks = re.findall(r'<mark class="na-content">(.*?)</mark>', rows[1])
    assert content_marks == ["&quot;We will win,&quot;", "&quot;whatever it takes.&quot;"] or \
        content_marks == ['"We will win,"', '"whatever it takes."']
    assert f'href="#{render.claim_anchor(1)}"' in rows[0]


def test_roles_get_their_own_colour_classes(article, claims):
    out = render.source_sentence_html(article, claims[0])
    assert '<mark class="na-speaker">The minister</mark>' in out
    assert '<mark class="na-cue">said</mark>' in out
    assert out.count('class="na-content"') == 1


def test_claim_window_covers_whole_sentences(article, claims):
    lo, hi = render.claim_window(article, claims[0])
    assert article.text[lo:hi] == article.sentences[1].text


def test_empty_claims_message(article):
    assert "No attributed claims" in render.render_claims_table(article, [])


def test_article_url_only_http_links(article):
    article.url = "javascript:alert(1)"
    assert "<a " not in render.render_article(article)
    article.url = "https://example.org/x?a=1&b=<2>"
    out = render.render_article(article)
    assert 'href="https://example.org/x?a=1&amp;b=&lt;2&gt;"' in out


# --------------------------------------------------------------------------- answers & summaries

def cite(number, article, sentence):
    return Cited(number, article, sentence.start, sentence.end)


def test_answer_and_citations_escape_and_link(article):
    sentence = article.sentences[1]
    view = AnswerView("q?", [AnswerLine(f"The plan {INJECTED} [1].", [1]), AnswerLine("Second.", [1])],
                      [cite(1, article, sentence)])
    answer = render.render_answer(view)
    assert_inert(answer)
    assert answer.count('href="#cite-1"') == 2  # "[1]" in the text is linked, not doubled
    assert "na-badge" not in answer  # extractive sentences are the sources themselves: no label
    cites = render.render_citations(view.citations)
    assert_inert(cites)
    assert 'id="cite-1"' in cites
    assert visible_text(re.search(r'<mark class="na-cited">.*?</mark>', cites).group()) == sentence.text
    # the paragraph around the cited sentence is shown too, and the article's title
    assert "Critics disagreed." in visible_text(cites)
    assert HOSTILE_TITLE in visible_text(cites)


def test_generated_answer_shows_support_and_flags(article):
    view = AnswerView("q?", [AnswerLine("Made up.", [1], "unsupported", ["number 7 not in sources"])],
                      [cite(1, article, article.sentences[1])], checked=True)
    out = render.render_answer(view)
    assert "na-badge-unsupported" in out and "number 7 not in sources" in visible_text(out)


def test_citation_of_a_claim_span_highlights_only_the_span(article, claims):
    content = claims[0].content
    out = render.render_citation(Cited(2, article, content.start, content.end))
    assert visible_text(re.search(r'<mark class="na-cited">.*?</mark>', out, re.S).group()) == content.text
    assert article.sentences[1].text in visible_text(out)


def test_link_citations_ignores_non_markers():
    assert render.link_citations("a [x] b [12]") == 'a [x] b <a class="na-cite" href="#cite-12">[12]</a>'


def test_summary_badges_and_escaping(article):
    view = SummaryView("a1", [SummaryLine("<u>one</u>", "supported", [article.sentences[1]]),
                              SummaryLine("two", "unsupported", [], ["names not in sources: X"]),
                              SummaryLine("three", "odd<label>")])
    out = render.render_summary(view)
    assert_inert(out)
    assert "na-badge-supported" in out and "na-badge-unsupported" in out and "na-badge-unknown" in out
    assert "names not in sources: X" in visible_text(out)
    assert "<u>" not in out


# --------------------------------------------------------------------------- speakers & tables

def test_speaker_groups_and_filter(article, claims):
    from assistant.ui.backend import speaker_groups

    other = Claim("a1", claims[0].content, "indirect", None, None, None, None, [1])
    groups = speaker_groups([article], {"a1": claims + [other]})
    assert [(g.name, len(g.entries)) for g in groups] == [("Jane Minister", 2), ("unattributed", 1)]
    assert "The minister" in groups[0].aliases
    out = render.render_speakers(groups)
    assert_inert(out)
    assert "Jane Minister" in visible_text(out)
    filtered = render.render_speakers(groups, "whatever")
    assert "Jane Minister" in filtered and "unattributed" not in filtered
    assert "Jane Minister" in render.render_speakers(groups, "the minister")  # an alias
    assert "No speakers match" in render.render_speakers(groups, "zzz")


def test_render_table_escapes_cells():
    out = render.render_table(["a<b", "f"], [["<x>", 0.12345], [None, 3]])
    assert_inert(out)
    assert visible_text(out) == "a<bf<x>0.1233"


# --------------------------------------------------------------------------- export

def test_claims_export_formats(article, claims, tmp_path):
    records = export.claim_records([article], {"a1": claims})
    assert records[0]["source_sentence"] == article.sentences[1].text
    assert Claim.from_dict(records[1]) == claims[1]  # still the shared claims format
    data = json.loads((export.write_export("claims", "json", records, tmp_path)).read_text("utf-8"))
    assert data == records
    rows = list(csv.DictReader(io.StringIO(export.to_csv("claims", records))))
    assert [r["speaker_resolved"] for r in rows] == ["Jane Minister", "Jane Minister"]
    assert rows[1]["claim"] == '"We will win," … "whatever it takes."'
    assert rows[0]["source_sentence"] == article.sentences[1].text
    md = export.to_markdown("claims", records)
    table_rows = [line for line in md.splitlines() if line.startswith("| Jane")]
    assert len(table_rows) == 2
    assert all(line.count(" | ") == 4 for line in table_rows)  # '|' inside text is escaped
    assert "\\<script\\>" in md


def test_answer_and_summary_export(article):
    sentence = article.sentences[1]
    answer = AnswerView("Who | what?", [AnswerLine("It works [1].", [1])], [cite(1, article, sentence)])
    records = export.answer_records([answer])
    rows = list(csv.DictReader(io.StringIO(export.to_csv("answers", records))))
    assert rows[0]["citations"] == "[1]" and sentence.text in rows[0]["cited_sources"]
    md = export.to_markdown("answers", records)
    assert "Who \\| what?" in md and "It works [1]." in md and md.count("[1]") == 1
    summary = SummaryView("a1", [SummaryLine("One.", "weak", [sentence], ["flag"])], "extractive")
    srecords = export.summary_records([article], {"a1": summary})
    assert srecords[0]["sentences"][0]["sources"] == [{"sentence_id": sentence.index, "text": sentence.text}]
    rows = list(csv.DictReader(io.StringIO(export.to_csv("summaries", srecords))))
    assert rows[0]["support"] == "weak" and rows[0]["flags"] == "flag"
    assert "**weak** One." in export.to_markdown("summaries", srecords)


def test_exports_neutralise_formulas_and_links(article):
    from markdown_it import MarkdownIt

    evil = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
            "[click](javascript:alert(1))", "[x]: javascript:alert(2)", "[y][x] <javascript:alert(3)>"]
    answer = AnswerView(evil[0], [AnswerLine(text, [1]) for text in evil], [cite(1, article, article.sentences[1])])
    records = export.answer_records([answer])
    rows = list(csv.reader(io.StringIO(export.to_csv("answers", records))))[1:]
    cells = [cell for row in rows for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert [row[2] for row in rows][:4] == ["'" + text for text in evil[:4]]
    renderer = MarkdownIt("commonmark")
    renderer.validateLink = lambda url: True  # as permissive as the laxest Markdown viewer
    html = renderer.render(export.to_markdown("answers", records))
    assert "<a " not in html and "javascript:alert(1)" in html  # shown as text, not as a link


def test_export_rejects_unknown_kind_and_format(tmp_path):
    with pytest.raises(AssistantError):
        export.render_export("claims", "xml", [])
    with pytest.raises(AssistantError):
        export.to_csv("nope", [])
    assert not list(tmp_path.iterdir())


def test_write_export_is_atomic_and_leaves_no_temp_files(tmp_path):
    path = export.write_export("answers", "json", [], tmp_path)
    assert path == tmp_path / "answers.json" and json.loads(path.read_text()) == []
    assert [p.name for p in tmp_path.iterdir()] == ["answers.json"]


# --------------------------------------------------------------------------- local paths

def test_local_paths_only_under_data_roots(tmp_path):
    from assistant.ui.backend import check_local_path

    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.txt").write_text("x")
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    (root / "link.txt").symlink_to(outside)
    assert check_local_path("sub/a.txt", [root]) == (root / "sub" / "a.txt").resolve()
    assert check_local_path(str(root), [root]) == root.resolve()
    for bad in (str(outside), "../secret.txt", "link.txt", "/etc/passwd"):
        with pytest.raises(AssistantError, match="not under an allowed folder"):
            check_local_path(bad, [root])
    with pytest.raises(AssistantError, match="--data-root"):
        check_local_path(str(root), [])
    with pytest.raises(AssistantError, match="no such file"):
        check_local_path("sub/missing.txt", [root])


# --------------------------------------------------------------------------- request guard

def test_guard_refuses_foreign_host_and_origin():
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from assistant.ui.guard import HostGuard, allowed_hosts

    inner = Starlette(routes=[Route("/", lambda request: PlainTextResponse("ok"), methods=["GET", "POST"])])
    client = TestClient(HostGuard(inner, allowed_hosts("127.0.0.1")))
    assert client.get("/", headers={"host": "127.0.0.1:7860"}).text == "ok"
    assert client.post("/", headers={"host": "localhost:7860", "origin": "http://localhost:7860"}).text == "ok"
    assert client.get("/", headers={"host": "[::1]:7860"}).status_code == 200
    for headers in ({"host": "evil.example:7860"}, {"host": "127.0.0.1.evil.example"},
                    {"host": "127.0.0.1:7860", "origin": "http://evil.example"},
                    {"host": "127.0.0.1:7860", "origin": "null"}):
        assert client.post("/", headers=headers).status_code == 403


def test_launched_ui_refuses_a_rebound_host_and_limits_uploads():
    import socket

    import gradio as gr
    import httpx

    from assistant.ui import launch

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with gr.Blocks() as demo:
        gr.Markdown("hello")
    launch(demo, port=port, block=False, max_upload_mb=2)
    try:
        url = f"http://127.0.0.1:{port}/"
        assert httpx.get(url).status_code == 200
        assert httpx.get(url, headers={"host": f"rebound.example:{port}"}).status_code == 403
        assert demo.max_file_size == 2 * 2**20
    finally:
        demo.close()


# --------------------------------------------------------------------------- backend (real models, the sample)

@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    from assistant.ui.backend import Backend

    backend = Backend(tmp_path_factory.mktemp("ui-backend") / "no-index")
    backend.warm_up()
    return backend


def test_backend_opens_the_sample_when_there_is_no_index(backend):
    assert backend.using_sample and "bundled sample" in backend.describe()
    titles = [a.title for a in backend.articles()]
    assert any(t.startswith("Iraq PM Pledges") for t in titles)
    assert any(t.startswith("Israeli Strikes Kill 17") for t in titles)


def test_backend_opens_an_existing_index(tmp_path, sample_articles):
    from assistant.index import SentenceIndex
    from assistant.ui.backend import Backend

    SentenceIndex(tmp_path).add(sample_articles[:1])
    opened = Backend(tmp_path)
    assert not opened.using_sample and opened.index_dir == tmp_path
    assert str(tmp_path) not in opened.describe()  # the status bar names no folder
    assert opened.counts()[0] == 1
    # the user's own index suggests questions from its speakers and headlines
    opened.all_claims()
    questions = opened.example_questions()
    assert "What did Mohammed Shia al-Sudani say?" in questions
    assert "What does the coverage say about Iraq?" in questions


def test_article_labels_tell_repeated_titles_apart_without_ids():
    from assistant.types import Article
    from assistant.ui.app import article_labels

    articles = [Article("id-one", "Fire at the port", "text", source="Daily", published="2024-01-02"),
                Article("id-two", "Fire at the port", "text 2", source="Herald", published="2024-01-02"),
                Article("id-three", "Flood", "text 3", source="Herald"),
                Article("id-four", "Rain", "text 4"), Article("id-five", "Rain", "text 5")]
    labels = article_labels(articles)
    assert [i for _, i in labels] == [a.id for a in articles]
    assert [label for label, _ in labels] == ["Fire at the port — Daily — 2024-01-02",
                                              "Fire at the port — Herald — 2024-01-02", "Flood", "Rain (1)", "Rain (2)"]


def test_backend_answer_cites_resolvable_sources(backend):
    answer = backend.ask("How many people were killed at the school in Gaza City?")
    assert answer.sentences and answer.citations
    assert [c.number for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    for line in answer.sentences:
        assert line.citations and all(1 <= n <= len(answer.citations) for n in line.citations)
    assert any("Musa Bin Nusayr School" in c.text for c in answer.citations)
    left, right = (visible_text(h) for h in (render.render_answer(answer), render.render_citations(answer.citations)))
    assert "Musa Bin Nusayr School" in right and "[1]" in left


def test_backend_says_when_the_coverage_does_not_say(backend):
    answer = backend.ask("Which team won the basketball final last night?")
    assert not answer.citations and "does not say" in answer.note
    with pytest.raises(AssistantError):
        backend.ask("   ")


def test_backend_claims_and_summaries_are_cached_and_consistent(backend):
    article = next(a for a in backend.articles() if a.title.startswith("Iraq PM"))
    claims = backend.claims(article.id)
    assert claims and backend.claims(article.id) is claims
    for claim in claims:
        lo, hi = render.claim_window(article, claim)
        assert lo <= claim.content.start and claim.content.end <= hi
    summary = backend.summary(article.id)
    assert summary.lines and all(line.label in render.SUPPORT_LABELS for line in summary.lines)
    assert all(s in article.sentences for line in summary.lines for s in line.sources)
    records = export.claim_records([article], {article.id: claims})
    assert [Claim.from_dict(r) for r in records] == claims


def test_backend_ingest_adds_skips_and_updates(backend, tmp_path):
    path = tmp_path / "new.txt"
    path.write_text("Town opens a ferry line\n\nThe mayor said the ferry would run hourly.\n", encoding="utf-8")
    assert (backend.ingest([path]).added, backend.ingest([path]).skipped) == (1, 1)
    article = next(a for a in backend.articles() if a.title == "Town opens a ferry line")
    before = backend.claims(article.id)
    path.write_text("Town opens a ferry line\n\nThe mayor said the ferry would run every two hours.\n",
                    encoding="utf-8")
    assert backend.ingest([path]).updated == 1
    after = backend.claims(article.id)
    assert after is not before and "two hours" in " ".join(c.content.text for c in after)


def test_uploads_are_named_as_the_user_named_them_and_size_limited(backend, tmp_path, monkeypatch):
    upload_dir = tmp_path / "gradio" / "3f9c0d"  # where the server keeps its copy
    upload_dir.mkdir(parents=True)
    (upload_dir / "notes.txt").write_bytes(bytes(range(128, 256)) * 20)
    (upload_dir / "records.jsonl").write_text('{"id": "u1", "text": "One."}\n{broken\n', encoding="utf-8")
    (upload_dir / "huge.txt").write_text("Big file\n\n" + "Words here. " * 20000, encoding="utf-8")
    monkeypatch.setattr(backend, "max_upload_mb", 0.1)
    result = backend.ingest_uploads(sorted(upload_dir.iterdir()))
    assert result.articles == 1 and backend.article("u1").origin == "records.jsonl:1"
    assert sorted(result.warnings) == ["huge.txt: skipped: 0.2 MB, over the 0.1 MB upload limit",
                                       "notes.txt: skipped: binary file",
                                       "records.jsonl:2: skipped: malformed JSON (Expecting property name "
                                       "enclosed in double quotes)"]


def test_path_ingest_does_not_follow_links_out_of_the_data_root(backend, tmp_path, monkeypatch):
    root = tmp_path / "root"
    root.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("Secret plans\n\nThe vault code is 4711.\n", encoding="utf-8")
    (root / "passwd.txt").symlink_to(secret)
    monkeypatch.setattr(backend, "data_roots", [root.resolve()])
    result = backend.ingest_path(".")
    assert result.files == 0 and result.warnings == [f"{root.resolve()}/passwd.txt: skipped: leads outside "
                                                     f"the allowed folders"]
    assert not any("4711" in a.text for a in backend.articles())


def test_backend_eval_on_the_bundled_gold(backend):
    from assistant.ui.backend import GOLD_SOURCE

    report = backend.evaluate_attribution(GOLD_SOURCE)
    out = render.render_eval_report(report)
    assert_inert(out)
    assert "relation" in visible_text(out) and report.n_gold > 0
    with pytest.raises(AssistantError, match="unknown gold set"):
        backend.evaluate_attribution("/etc/passwd")


def test_long_work_does_not_block_questions(backend, monkeypatch):
    """While one user's evaluation runs, another user's question is answered (queue
    workers per kind of work)."""
    import socket
    import threading

    from gradio_client import Client

    from assistant.ui import build_app, launch
    from assistant.ui.backend import GOLD_SOURCE

    started, release = threading.Event(), threading.Event()

    def slow_evaluation(source):
        started.set()
        release.wait(60)
        raise AssistantError("stopped by the test")

    monkeypatch.setattr(backend, "evaluate_attribution", slow_evaluation)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    demo = build_app(backend)
    launch(demo, port=port, block=False)
    try:
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        job = client.submit(GOLD_SOURCE, api_name="/eval")
        assert started.wait(60)
        answer_html, citations_html = client.predict("How many people were killed at the school in Gaza City?",
                                                     api_name="/ask")
        assert "Musa Bin Nusayr School" in citations_html
        assert not job.done()  # the evaluation is still running
    finally:
        release.set()
        demo.close()


def test_answer_and_summary_views_keep_labels_flags_and_notes(article):
    from assistant.answer import Answer, AnswerSentence
    from assistant.summarize import Summary, SummarySentence
    from assistant.ui.backend import answer_view, summary_view
    from assistant.verify import Citation

    sentence = article.sentences[1]
    source = Citation.of(article, sentence)
    generated = Answer("q?", True, "generated", [AnswerSentence("Made up 7.", [1], "unsupported", ["number '7'"])],
                       [source], generator="tiny", notes=["a note"])
    view = answer_view(generated, {article.id: article}.__getitem__)
    assert view.checked and view.note == "a note" and "tiny" in view.method
    assert view.citations[0].text == sentence.text
    assert (view.sentences[0].support, view.sentences[0].issues) == ("unsupported", ["number '7'"])
    assert "na-badge-unsupported" in render.render_answer(view)
    empty = answer_view(Answer("q?", False, "none", [], []), {}.__getitem__)
    assert "does not say" in empty.note and not empty.checked
    summary = Summary(article.id, article.title, "abstractive",
                      [SummarySentence("Gist.", [source], "weak", ["name 'X' not in cited sources"])], generator="tiny")
    lines = summary_view(article, summary).lines
    assert (lines[0].label, lines[0].sources, lines[0].flags) == ("weak", [sentence], ["name 'X' not in cited sources"])
