"""Date filters compare at the date's precision (issue 14): a year- or month-only date is inside since..until
only when every day it covers is, unless imprecise dates are included. Through the library, the CLI and the web."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from search.cli import app
from tests.builders import build, raw

BODY = "Arden and Vell renewed the river treaty on the shared water of the northern valley."
DOCS = [raw(doc_id, f"{BODY} Statement {doc_id}.", **({"date": date} if date else {})) for doc_id, date in (
    ("year-1988", "1988"), ("month-1988-09", "1988-09"), ("day-1988-09-23", "1988-09-23"), ("month-1988-05", "1988-05"),
    ("year-1989", "1989"), ("undated", None))]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    from tests.fakes import FakeEmbedder

    folder = tmp_path_factory.mktemp("dates") / "idx"
    store, report = build(folder, DOCS, FakeEmbedder())
    assert report.added == len(DOCS)
    store.close()
    return folder


def found(index, **options) -> set[str]:
    from search.api import Index

    with Index.open(index) as idx:
        return {h.doc_id for h in idx.search("river treaty", mode="lexical", k=50, per_doc=1, **options)}


@pytest.mark.parametrize("options, strict, loose", [
    (dict(since="1988-06", until="1988-12"), {"month-1988-09", "day-1988-09-23"}, {"year-1988", "month-1988-09", "day-1988-09-23"}),
    (dict(since="1988", until="1988"), {"year-1988", "month-1988-09", "day-1988-09-23", "month-1988-05"},
     {"year-1988", "month-1988-09", "day-1988-09-23", "month-1988-05"}),
    (dict(since="1988-09-15"), {"day-1988-09-23", "year-1989"}, {"year-1988", "month-1988-09", "day-1988-09-23", "year-1989"}),
    (dict(until="1988-09-10"), {"month-1988-05"}, {"year-1988", "month-1988-09", "month-1988-05"}),
    (dict(since="1989-01-01"), {"year-1989"}, {"year-1989"}),
])
def test_search_compares_dates_at_their_precision(index, options, strict, loose):
    assert found(index, **options) == strict
    assert found(index, include_imprecise=True, **options) == loose
    assert found(index, include_imprecise=True, include_undated=True, **options) == loose | {"undated"}


def test_documents_listing_uses_the_same_rule(index):
    from search.api import Index

    with Index.open(index) as idx:
        assert [d["doc_id"] for d in idx.documents(since="1988-06", until="1988-12")] == ["month-1988-09", "day-1988-09-23"]
        assert [d["doc_id"] for d in idx.documents(since="1988-06", until="1988-12", include_imprecise=True)] == [
            "year-1988", "month-1988-09", "day-1988-09-23"]


def test_cli_include_imprecise(index, runtime):
    def ids(*extra):
        result = CliRunner().invoke(app, ["search", "river treaty", "--mode", "lexical", "--per-doc", "1", "--since", "1988-06",
                                          "--until", "1988-12", "--index", str(index), "--json", *extra], obj=runtime)
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        return {h["doc_id"] for h in data["results"]}, data["filters"]["include_imprecise"]

    assert ids() == ({"month-1988-09", "day-1988-09-23"}, False)
    assert ids("--include-imprecise") == ({"year-1988", "month-1988-09", "day-1988-09-23"}, True)


def test_web_include_imprecise(index, fake_embedder):
    from fastapi.testclient import TestClient

    from search.api import Index
    from search.web.app import create_app

    with Index.open(index, embedder=fake_embedder) as idx:
        client = TestClient(create_app(idx, allowed_hosts=["testserver"]))
        base = {"q": "river treaty", "mode": "lexical", "per_doc": 1, "since": "1988-06", "until": "1988-12"}
        api = lambda **extra: {h["doc_id"] for h in client.get("/api/search", params={**base, **extra}).json()["results"]}
        assert api() == {"month-1988-09", "day-1988-09-23"}
        assert api(include_imprecise="true") == {"year-1988", "month-1988-09", "day-1988-09-23"}
        page = client.get("/", params={**base, "include_imprecise": "1"})
        assert page.status_code == 200 and "year-1988" in page.text
        assert 'name="include_imprecise" value="1" checked' in page.text
        assert "year-1988" not in client.get("/", params=base).text
