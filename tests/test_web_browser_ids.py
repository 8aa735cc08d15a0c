"""In real headless Chromium: "Full document" links of documents whose ids hold '/', '?', '#',
'..' or Chinese open that document (a browser resolves dot segments and cuts at '?' and '#' itself)."""
from __future__ import annotations

import os

import pytest

from tests.web_server import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is absent (apt-get install chromium); CI installs it"),
]
pytest.importorskip("playwright", reason="playwright for Python is not installed (pip install -e '.[test]')")

ODD_IDS = ["a/b", "a?b", "a#b", "../x", "外交部/发言", "100% sure", "..", "."]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    from corpus.documents import RawDocument
    from index.ingest import ingest
    from index.store import IndexStore
    from search.web.app import create_app
    from tests.fakes import FakeEmbedder
    from tests.web_server import serving

    embedder = FakeEmbedder()
    store = IndexStore.open(tmp_path_factory.mktemp("web-ids") / "idx", create=True)
    ingest(store, [RawDocument(doc_id=d, text=f"Statement {i} on the canal toll of Valdoria, number {i}.", origin=f"odd:{i}",
                               given={"lang": "en", "title": f"id {d}"}) for i, d in enumerate(ODD_IDS)], embedder)
    with serving(create_app(store, lambda: embedder)) as url:
        yield url
    store.close()


@pytest.fixture(scope="module")
def page():
    from tests.web_server import chromium

    with chromium() as browser:
        context = browser.new_context()
        pg = context.new_page()
        pg.set_default_timeout(10_000)
        yield pg
        context.close()


@pytest.mark.parametrize("doc_id", ODD_IDS)
def test_full_document_link_opens_that_document(page, base_url, doc_id):
    page.goto(base_url + "/?q=canal+toll&mode=lexical&k=20&per_doc=1")
    matching = [i for i, t in enumerate(page.locator("li.hit h2 a.doc-link").all_inner_texts()) if t == f"id {doc_id}"]
    assert len(matching) == 1, page.locator("li.hit h2 a.doc-link").all_inner_texts()
    link = page.locator("li.hit h2 a.doc-link").nth(matching[0])
    link.click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("h1").inner_text() == f"id {doc_id}", page.url
    assert f"Statement {ODD_IDS.index(doc_id)} on the canal toll" in page.locator("article").inner_text()
