"""The Compare and Speakers tabs in headless Chromium, on the compare corpus
(examples/compare_corpus): claim groups with outlets, disagreements side by side, the
timeline chart, the links that open an article at its sentence, the speaker filters.
Screenshots go to test-output/ui/."""
from __future__ import annotations

import pytest

from test_ui_browser import CHROMIUM, free_port, open_tab, shot

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
]
playwright_api = pytest.importorskip("playwright.sync_api")
TOPIC = "How many people died in the Port Aven factory fire?"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    from assistant.config import COMPARE_CORPUS
    from assistant.corpus import read_articles
    from assistant.index import SentenceIndex
    from assistant.ui import Backend, build_app, launch

    folder = tmp_path_factory.mktemp("compare-ui") / "index"
    SentenceIndex(folder).add(read_articles([COMPARE_CORPUS / "articles.jsonl"]))
    backend = Backend(folder)
    backend.warm_up()
    demo = build_app(backend)
    port = free_port()
    launch(demo, port=port, block=False)
    yield f"http://127.0.0.1:{port}/"
    demo.close()


@pytest.fixture()
def page(served):
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(120_000)
        page.goto(served)
        page.wait_for_selector("#na-question textarea")
        yield page
        browser.close()


def test_compare_tab_shows_groups_disagreements_and_timeline(page):
    open_tab(page, "Compare")
    page.fill("#na-compare-query textarea", TOPIC)
    page.click("#na-compare-run")
    groups = page.locator("#na-compare-groups .na-group")
    groups.first.wait_for()
    summary = groups.first.locator("summary").inner_text()
    assert "outlets:" in summary and "first reported 2026-03-0" in summary
    links = page.locator("#na-compare-groups a.na-open")
    assert links.count() >= 2
    assert all(h.startswith("https://") and "#:~:text=" in h
               for h in (links.nth(i).get_attribute("href") for i in range(links.count())))
    disagreements = page.locator("#na-compare-disagreements .na-disagreement")
    for i in range(disagreements.count()):
        assert disagreements.nth(i).locator(".na-side").count() == 2
    if not disagreements.count():
        assert "No disagreement found" in page.locator("#na-compare-disagreements").inner_text()
    page.locator("#na-compare-timeline canvas, #na-compare-timeline svg").first.wait_for()
    shot(page, "compare")
    assert page.evaluate("window.__pwned") is None


def test_speakers_tab_filters_by_outlet_and_compares_two(page):
    open_tab(page, "Speakers")
    page.locator("#na-speakers .na-speaker-group").first.wait_for()
    outlet = page.locator("#na-speaker-outlet input")
    outlet.click()
    page.get_by_role("option", name="Wire One").click()
    playwright_api.expect(page.locator("#na-speakers")).not_to_contain_text("Harbour Times")
    assert "Wire One" in page.locator("#na-speakers").inner_text()
    page.get_by_text("Compare two speakers").click()
    for field, name in (("#na-speaker-a input", "Tomas Vell"), ("#na-speaker-b input", "Ilse Brandt")):
        page.locator(field).click()
        page.locator('[role="option"]:visible', has_text=name).first.click()  # the open list's option
    page.click("#na-speaker-pair-run")
    page.locator("#na-speaker-pair .na-side").nth(1).wait_for()
    assert "Tomas Vell" in page.locator("#na-speaker-pair").inner_text()
    shot(page, "speakers-pair")
