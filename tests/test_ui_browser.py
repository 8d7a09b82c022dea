"""The web UI in a real browser: the app serves the sample (plus an article carrying
injected HTML) on a free port, and headless Chromium asks a question, opens an article's
claims and checks that injected HTML stays inert. Screenshots go to test-output/ui/."""
from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parent.parent / "test-output" / "ui"
INJECTED_TITLE = 'Harbour bridge <img src=x onerror="window.__pwned=1"> reopens'
INJECTED_BODY = ('The harbour master said the bridge <script>window.__pwned=1</script> would reopen '
                 'on Friday after <img src=x onerror="window.__pwned=1"> repairs & "checks".\n'
                 'Engineers told the council that the cables <b onmouseover="window.__pwned=1">were sound</b>.')

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
]
playwright_api = pytest.importorskip("playwright.sync_api")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    from assistant.ui import Backend, build_app, launch

    root = tmp_path_factory.mktemp("ui")
    injected = root / "injected.txt"
    injected.write_text(f"{INJECTED_TITLE}\n\n{INJECTED_BODY}\n", encoding="utf-8")
    backend = Backend(root / "no-index")  # no index there: the sample in a temporary index
    backend.ingest([injected])
    backend.warm_up()
    demo = build_app(backend)
    port = free_port()
    launch(demo, port=port, block=False)
    yield backend, f"http://127.0.0.1:{port}/"
    demo.close()


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


@pytest.fixture()
def page(served, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(60_000)
    page.goto(served[1])
    page.wait_for_selector("#na-question textarea")
    yield page
    page.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def pick_article(page, title: str) -> None:
    field = page.locator("#na-article-pick input")
    field.click()
    page.get_by_role("option", name=title).click()
    # wait until the article (not the one shown before) is rendered
    playwright_api.expect(page.locator("#na-article h3.na-title")).to_have_text(title)


def assert_not_pwned(page) -> None:
    assert page.evaluate("window.__pwned") is None


def test_ask_shows_cited_source_sentence(page):
    page.fill("#na-question textarea", "How many people were killed at the school in Gaza City?")
    page.click("#na-ask")
    cited = page.locator("#na-citations .na-citation mark.na-cited")
    cited.first.wait_for()
    texts = [squash(t) for t in cited.all_inner_texts()]
    school = [i for i, t in enumerate(texts) if "Musa Bin Nusayr School" in t]
    assert school, texts
    card = page.locator("#na-citations .na-citation").nth(school[0])
    number = re.search(r"\[(\d+)\]", card.locator(".na-cite-num").inner_text()).group(1)
    assert "Israeli Strikes Kill 17 Palestinians" in card.locator(".na-citation-head").inner_text()
    # the answer cites that sentence by its number
    assert page.locator(f'#na-answer a.na-cite[href="#cite-{number}"]').count() >= 1
    shot(page, "ask")
    # this session's answers export with their citations
    open_tab(page, "Export")
    page.get_by_label("answers").check()
    page.get_by_label("Markdown").check()
    page.click("#na-export")
    link = page.locator('#na-export-file a[href*="answers.md"]')
    link.first.wait_for()
    exported = page.request.get(link.first.get_attribute("href")).text()
    assert "## How many people were killed at the school in Gaza City?" in exported
    assert "Musa Bin Nusayr School" in exported


def test_claims_stand_next_to_their_source_sentences(page, served):
    backend = served[0]
    article = next(a for a in backend.articles() if a.title.startswith("Iraq PM"))
    claims = backend.claims(article.id)
    assert claims, "the engine found no claims in the Iraq article"
    open_tab(page, "Articles")
    pick_article(page, article.title)
    rows = page.locator("#na-claims tr.na-claim-row")
    rows.first.wait_for()
    assert rows.count() == len(claims)
    from assistant.ui.render import claim_window, span_text

    for n, claim in enumerate(claims):
        row = rows.nth(n)
        lo, hi = claim_window(article, claim)
        source = squash(row.locator("td.na-col-source").inner_text())
        assert source == squash(article.text[lo:hi])
        assert squash(row.locator("td.na-col-claim").inner_text()) == squash(span_text(claim.content))
        # the claim's own words are highlighted inside the sentence beside it
        marked = " ".join(row.locator("td.na-col-source mark.na-content").all_inner_texts())
        assert squash(claim.content.text.split("\n")[0][:40]) in squash(marked) or squash(marked) in squash(claim.content.text)
    # summary with support badges
    assert page.locator("#na-summary .na-badge").count() >= 1
    shot(page, "articles")
    # a click on a claim's number scrolls to the claim in the full article
    last = len(claims)
    page.locator(f'#na-claims a[href="#claim-{last}"]').click()
    target = page.locator(f"#na-article #claim-{last}")
    page.wait_for_function(
        f"() => {{ const r = document.getElementById('claim-{last}').getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; }", timeout=5_000)
    assert target.is_visible()
    page.screenshot(path=str(SHOTS / "article-scrolled.png"))


def test_injected_html_stays_inert(page, served):
    backend = served[0]
    article = next(a for a in backend.articles() if a.title.startswith("Harbour bridge"))
    open_tab(page, "Articles")
    pick_article(page, article.title)
    body = page.locator("#na-article .na-text")
    body.wait_for()
    text = body.inner_text()
    assert '<script>window.__pwned=1</script>' in text
    assert '<img src=x onerror="window.__pwned=1">' in text
    assert page.locator("#na-article img, #na-article script, #na-article b, #na-claims img").count() == 0
    page.locator("#na-article .na-text").hover()
    assert_not_pwned(page)
    shot(page, "injected-article")
    # the same text cited in an answer is inert too
    open_tab(page, "Ask")
    page.fill("#na-question textarea", "When will the harbour bridge reopen?")
    page.click("#na-ask")
    page.locator("#na-citations .na-citation").first.wait_for()
    assert "<script>window.__pwned=1</script>" in page.locator("#na-citations").inner_text()
    assert page.locator("#na-citations img, #na-answer img").count() == 0
    assert_not_pwned(page)
    shot(page, "injected-answer")


def test_speakers_and_export(page):
    open_tab(page, "Speakers")  # opening the tab lists the speakers
    groups = page.locator("#na-speakers .na-speaker-group")
    groups.first.wait_for()
    names = [squash(t) for t in page.locator("#na-speakers .na-speaker-group summary .na-speaker-name").all_inner_texts()]
    assert any("Sudani" in n for n in names), names
    before = groups.count()
    page.fill("#na-speaker-filter textarea", "Blinken")
    page.press("#na-speaker-filter textarea", "Enter")
    page.wait_for_function("() => { const g = [...document.querySelectorAll('#na-speakers .na-speaker-group')];"
                           " return g.length > 0 && g.every(x => x.innerText.includes('Blinken')); }")
    assert groups.count() < before
    shot(page, "speakers")
    open_tab(page, "Export")
    page.click("#na-export")
    link = page.locator('#na-export-file a[href*="claims.json"]')
    link.first.wait_for()
    shot(page, "export")


def test_upload_ingest_and_eval(page, served, tmp_path):
    upload = tmp_path / "upload.txt"
    upload.write_text("Council approves new library\n\nThe council voted on Tuesday to build a library, "
                      "the mayor said.\n", encoding="utf-8")
    open_tab(page, "Coverage")
    page.locator("#na-upload input[type=file]").set_input_files(str(upload))
    page.locator("#na-upload").get_by_text("upload.txt").first.wait_for()
    page.click("#na-ingest")
    result = page.locator("#na-ingest-result .na-msg")
    result.first.wait_for()
    assert "1 added" in result.first.inner_text()
    playwright_api.expect(page.locator("#na-counts")).to_contain_text(f"{len(served[0].articles())} articles")
    shot(page, "coverage")
    open_tab(page, "Eval")
    page.click("#na-eval-run")
    table = page.locator("#na-eval table.na-table")
    table.first.wait_for()
    assert "relation" in table.first.inner_text() and "overlap" in table.first.inner_text()
    shot(page, "eval")


def test_check_tab_shows_the_verdict_and_its_evidence_side_by_side(page, served):
    backend = served[0]
    claim = "Palestinian medics said eight people were killed at a school in Gaza City."
    expected = backend.check(claim)
    open_tab(page, "Check")
    page.fill("#na-check-text textarea", claim)
    page.click("#na-check-run")
    badge = page.locator("#na-check-result .na-check-head .na-badge").first
    badge.wait_for()
    assert squash(badge.inner_text()) == {"supported": "Supported", "contradicted": "Contradicted",
                                           "disputed": "Disputed", "not_in_coverage": "Not in the coverage"}[expected.verdict]
    shown = [e for e in expected.evidence if e.stance != "related"]
    cards = page.locator("#na-check-result .na-sides .na-citation")
    assert cards.count() == len(shown)
    if shown:
        assert squash(shown[0].text) in squash(" ".join(cards.all_inner_texts()))
        assert "Israeli Strikes Kill 17 Palestinians" in cards.first.inner_text()
    # a claim carrying HTML is shown as text
    page.fill("#na-check-text textarea", 'The <img src=x onerror="window.__pwned=1"> bridge reopened.')
    page.click("#na-check-run")
    playwright_api.expect(page.locator("#na-check-result .na-check-head").first).to_contain_text("<img src=x")
    assert_not_pwned(page)
    shot(page, "check")


# --------------------------------------------------------------------------- phone and accessibility

TABS = ("Ask", "Check", "Articles", "Compare", "Speakers", "Coverage", "Eval", "Export")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1400, "height": 900}


def open_page(browser, url: str, viewport: dict):
    page = browser.new_page(viewport=viewport)
    page.set_default_timeout(60_000)
    page.goto(url)
    page.wait_for_selector("#na-question textarea")
    return page


def test_phone_layout_shows_every_tab_and_claims_as_cards(served, browser):
    backend, url = served
    article = next(a for a in backend.articles() if a.title.startswith("Iraq PM"))
    for viewport in (PHONE, DESKTOP):
        page = open_page(browser, url, viewport)
        width = viewport["width"]
        # every tab is a visible button in the page's width, none folded into a menu
        for name in TABS:
            box = page.get_by_role("tab", name=name).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, (width, name, box)
        open_tab(page, "Articles")
        pick_article(page, article.title)
        # the article picker's text stops before its arrow
        field, arrow = page.locator("#na-article-pick input"), page.locator("#na-article-pick svg").first
        text_right = page.evaluate("e => e.getBoundingClientRect().right - parseFloat(getComputedStyle(e).paddingRight)",
                                   field.element_handle())
        assert text_right <= arrow.bounding_box()["x"] + 1, width
        rows = page.locator("#na-claims tr.na-claim-row")
        rows.first.wait_for()
        for n in range(rows.count()):
            cells = [rows.nth(n).locator(f"td.na-col-{c}").bounding_box()
                     for c in ("speaker", "cue", "claim", "source")]
            for cell in cells:  # every column can be seen: nothing reaches past the page's right edge
                assert cell["x"] >= 0 and cell["x"] + cell["width"] <= width + 1, (width, n, cell)
            tops = [c["y"] for c in cells]
            if width == PHONE["width"]:  # a card: speaker, cue, claim, then the source sentence, one under another
                assert tops == sorted(tops) and len(set(tops)) == 4, tops
            else:  # a table row: side by side
                assert max(tops) - min(tops) < 2, tops
        shot(page, f"articles-{width}px")
        page.close()


def test_axe_finds_no_serious_violation_on_any_tab(served, browser):
    axe = pytest.importorskip("axe_playwright_python", reason="axe-core comes with pip install '.[test]'")
    from importlib.resources import files

    script = str(files(axe) / "axe.min.js")
    # every tab at desktop width; on a phone the tabs whose layout changes
    for viewport, tabs in ((DESKTOP, TABS), (PHONE, ("Ask", "Articles"))):
        page = open_page(browser, served[1], viewport)
        # fill the panels first, so that what they show is checked too
        page.fill("#na-question textarea", "How many people were killed at the school in Gaza City?")
        page.click("#na-ask")
        page.locator("#na-citations .na-citation").first.wait_for()
        page.add_script_tag(path=script)
        found = {}
        for name in tabs:
            open_tab(page, name)
            if name == "Speakers":
                page.locator("#na-speakers .na-speaker-group").first.wait_for()
            page.wait_for_timeout(300)
            violations = page.evaluate(
                "async () => (await axe.run(document, {resultTypes: ['violations'], runOnly: ['wcag2a', 'wcag2aa',"
                " 'wcag21a', 'wcag21aa', 'best-practice']})).violations"
                ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
                ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))")
            if violations:
                found[name] = violations
        assert not found, (viewport["width"], found)
        page.close()
    # text boxes are announced by their purpose, not as a bare "Textbox"
    page = open_page(browser, served[1], DESKTOP)
    assert page.get_by_role("textbox", name="Your question").is_visible()
    open_tab(page, "Speakers")
    assert page.get_by_role("textbox", name="Filter speakers").is_visible()
    page.close()
