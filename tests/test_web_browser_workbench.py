"""Issue 14 in real headless Chromium: /docs works offline (every request outside this server refused), a missing
document gets an HTML 404 page whose link leads back, and a lexical-only server's first search works."""
from __future__ import annotations

import os

import pytest

from tests.web_server import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is absent (apt-get install chromium); CI installs it"),
]
pytest.importorskip("playwright", reason="playwright for Python is not installed (pip install -e '.[test]')")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from tests.fakes import FakeEmbedder
    from tests.web_corpus import build_index

    store = build_index(tmp_path_factory.mktemp("web-browser-wb") / "idx", FakeEmbedder())
    yield store
    store.close()


@pytest.fixture(scope="module")
def lexical_url(store):
    from search.web.app import create_app
    from tests.web_server import serving

    with serving(create_app(store, None)) as url:  # what `dipsearch serve --lexical-only` builds: no model
        yield url


@pytest.fixture(scope="module")
def browser():
    from tests.web_server import chromium

    with chromium() as b:
        yield b


@pytest.fixture
def page(browser, lexical_url):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    outside = []

    def only_this_server(route):
        if route.request.url.startswith(lexical_url):
            route.continue_()
        else:  # offline: nothing outside this server is reachable
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_this_server)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    pg.outside = outside
    pg.console_errors = []
    pg.on("console", lambda m: m.type == "error" and pg.console_errors.append(m.text))
    yield pg
    context.close()


def test_docs_work_offline(page, lexical_url):
    page.goto(lexical_url + "/docs")
    page.wait_for_selector("#swagger-ui .information-container .title", timeout=20_000)
    assert "dipsearch" in page.locator("#swagger-ui .information-container .title").inner_text()
    assert page.locator("#swagger-ui .opblock-summary-path", has_text="/api/search").count() >= 1
    assert page.outside == [] and page.console_errors == []


def test_redoc_works_offline(page, lexical_url):
    page.goto(lexical_url + "/redoc")
    page.wait_for_selector("h1", timeout=20_000)
    assert "dipsearch" in page.locator("h1").first.inner_text()
    page.get_by_text("Search passages by meaning and words").first.wait_for(state="attached", timeout=20_000)  # an operation of the schema
    assert page.outside == []
    # ReDoc's sidebar links its "powered by" logo from Redocly's CDN; the page's CSP blocks it, and nothing else fails.
    assert all("cdn.redoc.ly" in e and "Content Security Policy" in e for e in page.console_errors), page.console_errors


def test_missing_document_is_an_html_page_with_a_way_back(page, lexical_url):
    response = page.goto(lexical_url + "/doc/no-such-document")
    assert response.status == 404
    assert "no document with id 'no-such-document'" in page.locator(".error").inner_text()
    page.click("text=Back to search")
    page.wait_for_load_state("domcontentloaded")
    assert page.url == lexical_url + "/" and page.locator("#q").count() == 1


def test_lexical_only_server_first_search_works(page, lexical_url):
    page.goto(lexical_url + "/")
    assert page.locator("#mode").input_value() == "lexical"
    page.fill("#q", "river")
    page.press("#q", "Enter")
    page.wait_for_load_state("domcontentloaded")
    assert page.locator(".error").count() == 0
    assert page.locator("li.hit").count() >= 1
    assert "mode=lexical" in page.url
