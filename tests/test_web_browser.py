"""End to end in real headless Chromium: search, filter, open a document, hostile text stays inert."""
from __future__ import annotations

import os
import re

import pytest

from tests.web_server import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is absent (apt-get install chromium); CI installs it"),
]
pytest.importorskip("playwright", reason="playwright for Python is not installed (pip install -e '.[test]')")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    from search.web.app import create_app
    from tests.fakes import FakeEmbedder
    from tests.web_corpus import build_index
    from tests.web_server import serving

    from search.evaluation.pool import pool

    embedder = FakeEmbedder()
    store = build_index(tmp_path_factory.mktemp("web-browser") / "idx", embedder)
    pool(store, embedder, "trial", [("q1", "grain sanctions"), ("q2", "river dam")], depth=2)
    with serving(create_app(store, lambda: embedder, preload=True)) as url:
        yield url
    store.close()


@pytest.fixture(scope="module")
def browser():
    from tests.web_server import chromium

    with chromium() as b:
        yield b


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    dialogs = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.dialogs = dialogs
    yield pg
    context.close()


def search(page, query: str) -> None:
    page.fill("#q", query)
    page.press("#q", "Enter")
    page.wait_for_load_state("domcontentloaded")


def test_type_a_query_and_see_results_with_source_and_date(page, base_url):
    page.goto(base_url + "/")
    search(page, "grain sanctions")
    hits = page.locator("li.hit")
    assert hits.count() >= 2
    first = hits.nth(0)
    assert first.locator("h2").inner_text() == "Valdoria rejects grain sanctions"
    assert first.locator(".meta .source").inner_text() == "Valdorian Ministry of Foreign Affairs"
    assert first.locator(".meta .date").inner_text() == "2021-03-14"
    assert first.locator("mark").first.inner_text().lower() in ("grain", "sanctions")
    assert "q=grain+sanctions" in page.url  # shareable


def test_apply_a_date_filter(page, base_url):
    page.goto(base_url + "/?q=river&mode=lexical")
    before = page.locator("li.hit h2").all_inner_texts()
    assert "Valdoria rejects grain sanctions" in before
    page.fill("#since", "2022")
    page.press("#since", "Enter")
    page.wait_for_load_state("domcontentloaded")
    assert "since=2022" in page.url
    after = page.locator("li.hit h2").all_inner_texts()
    assert after == ["Ostravia on the river dam", "The Korvath delegation said the 2022 river water treaty must be honoured."]
    assert page.locator("li.hit .date.inferred").inner_text() == "2022-03-03 inferred"


def test_bad_date_shows_an_error_box(page, base_url):
    page.goto(base_url + "/?q=river")
    page.fill("#since", "2019-13")
    page.press("#since", "Enter")
    page.wait_for_load_state("domcontentloaded")
    assert page.locator(".error").inner_text() == "Can't do that: From '2019-13': month must be 1-12"


def test_open_a_document_with_the_passage_in_place(page, base_url):
    page.goto(base_url + "/?q=water+quotas&mode=lexical")
    page.locator("a.doc-link").first.click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("h1").inner_text() == "The Korvath delegation said the 2022 river water treaty must be honoured."
    focus = page.locator("section.passage.focus")
    assert focus.count() == 1 and focus.is_visible()
    assert re.search(r"#p-\d+$", page.url)
    assert focus.locator("mark").all_inner_texts() == ["water", "Water", "quotas"]


def test_hostile_document_shows_as_text_and_never_runs(page, base_url):
    page.goto(base_url + "/?q=tariff+harbour+statement&mode=lexical")
    first = page.locator("li.hit").first
    assert first.locator("h2").inner_text() == "Harbour <script>alert(1)</script> statement"
    assert page.get_by_text("<script>window.__pwned=1</script>", exact=False).count() >= 1
    assert page.locator(".meta .source").first.inner_text() == "Harbour Authority <i>Press</i>"
    assert page.evaluate("typeof window.__pwned") == "undefined"
    first.locator("a.doc-link").click()
    page.wait_for_load_state("load")
    text = page.locator(".passages").inner_text()
    assert '<img src=x onerror="window.__pwned=1">' in text and "<b>bold</b>" in text
    assert page.locator(".passages img, .passages script, .passages b").count() == 0
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.dialogs == []


def test_judge_a_passage_with_the_keyboard(page, base_url):
    page.goto(base_url + "/judge/trial")
    assert page.locator(".query").inner_text() == "grain sanctions"
    assert page.locator("#progress").inner_text() == "0 of 4 done"
    first = page.locator("#judge").get_attribute("data-candidate")
    page.keyboard.press("2")
    page.wait_for_url(re.compile(r"note=graded\+2$"))
    assert page.locator(".notice").inner_text() == "graded 2"
    assert page.locator("#progress").inner_text() == "1 of 4 done"
    assert page.locator("#judge").get_attribute("data-candidate") != first
    page.keyboard.press("u")  # undo brings the same passage back
    page.wait_for_url(re.compile(r"note=undone$"))
    assert page.locator("#judge").get_attribute("data-candidate") == first
    assert page.locator("#progress").inner_text() == "0 of 4 done"
    page.get_by_role("button", name="Not relevant").click()  # the buttons work too
    page.wait_for_url(re.compile(r"note=graded\+0$"))
    assert page.locator("#progress").inner_text() == "1 of 4 done"
    assert page.evaluate("typeof window.__pwned") == "undefined"
