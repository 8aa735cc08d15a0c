"""The Python API (`search.Index`), used as a library: no CLI, no web. Documents are about invented states."""
from __future__ import annotations

import json
import sys

import pytest

from tests.fakes import FakeEmbedder

RECORDS = [
    {"id": "valdoria-grain", "title": "Valdoria rejects grain sanctions", "date": "2021-03-14", "source": "Valdorian Foreign Ministry",
     "speaker": "Ilse Marren", "lang": "en",
     "text": "The ministry rejects the grain sanctions imposed by the Northern Trade League. Sanctions on grain hurt farmers."},
    {"id": "ostravia-dam", "title": "Ostravia on the river dam", "date": "2022-06-02", "source": "Ostravian Foreign Ministry",
     "speaker": "Jana Velt", "lang": "en",
     "text": "The dam on the Selva river is a domestic project. It poses no threat to any neighbour."},
    {"id": "marenne-fish", "title": "Marenne signs fisheries accord", "date": "2024-01-11", "source": "Marenne Foreign Office",
     "speaker": "Teo Brask", "lang": "en",
     "text": "Marenne and Valdoria signed the Gulf of Tarn fisheries accord. The accord sets quotas for herring and cod."},
]
UNDATED = "Navigation on the Selva river remains open to merchant ships of every flag."


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "statements.jsonl").write_text("".join(json.dumps(r) + "\n" for r in RECORDS) + "{broken\n", encoding="utf-8")
    (folder / "navigation.txt").write_text(UNDATED, encoding="utf-8")
    (folder / "navigation.txt.meta.json").write_text(json.dumps({"source": "Valdorian Foreign Ministry", "title": "Note on navigation"}))
    return folder


@pytest.fixture
def idx(tmp_path, corpus):
    from search import Index

    index = Index.open(tmp_path / "idx", create=True, embedder=FakeEmbedder())
    events, problems = [], []
    summary = index.ingest([corpus], on_progress=lambda event, n: events.append((event, n)), on_problem=problems.append)
    index.first_ingest = (summary, events, problems)
    yield index
    index.close()


def test_ingest_returns_the_report_with_progress_and_problems(idx, corpus):
    summary, events, problems = idx.first_ingest
    assert (summary.added, summary.updated, summary.unchanged, summary.skipped) == (4, 0, 0, 1)
    assert [(p.origin, p.reason) for p in problems] == [
        (f"{corpus / 'statements.jsonl'}:4", "malformed JSON (Expecting property name enclosed in double quotes at column 2); line skipped")]
    assert summary.problems == problems and summary.talking_points is None
    assert summary.counts == {"documents": 4, "passages": 4}
    assert sum(n for e, n in events if e == "document") == 5 and sum(n for e, n in events if e == "passages") == 4
    data = summary.as_dict()
    assert (data["index"], data["added"], data["documents"], data["skipped"][0]["input"]) == (
        str(idx.path), 4, 4, f"{corpus / 'statements.jsonl'}:4")
    again = idx.ingest([corpus])
    assert (again.added, again.unchanged, again.skipped) == (0, 4, 1)


def test_search_ranks_exactly_and_converts_to_records(idx):
    hits = idx.search("grain sanctions", mode="lexical")
    assert [h.doc_id for h in hits] == ["valdoria-grain"]
    assert (hits.query, hits.mode, hits.notes) == ("grain sanctions", "lexical", [])
    first = hits.records()[0]
    assert (first["rank"], first["title"], first["source"], first["date"], first["speaker"]) == (
        1, "Valdoria rejects grain sanctions", "Valdorian Foreign Ministry", "2021-03-14", "Ilse Marren")
    assert [first["text"][a:b] for a, b in first["highlights"]] == ["grain", "sanctions", "Sanctions", "grain"]
    river = idx.search("Selva river", mode="lexical")
    assert [h.doc_id for h in river] == ["navigation", "ostravia-dam"]
    assert [h.doc_id for h in idx.search("Selva river", mode="lexical", since="2022")] == ["ostravia-dam"]
    assert [h.doc_id for h in idx.search("Selva river", mode="lexical", since="2022", include_undated=True)] == ["navigation", "ostravia-dam"]
    assert [h.doc_id for h in idx.search("Selva river", mode="lexical", source="valdorian")] == ["navigation"]
    dense = idx.search("herring and cod quotas", mode="dense", k=1)
    assert [h.doc_id for h in dense] == ["marenne-fish"]
    assert json.loads(json.dumps(idx.search("river dam").as_dict()))["results"][0]["doc_id"] == "ostravia-dam"


def test_search_takes_a_ready_request_built_by_the_shared_builder(idx):
    from search.requests import build_request

    request = build_request("fisheries accord", mode="lexical", k=5, speaker=["teo"])
    assert [h.doc_id for h in idx.search(request)] == ["marenne-fish"]


def test_document_documents_remove_stats(idx):
    doc = idx.document("navigation")
    assert (doc["title"], doc["source"], doc["date"], doc["date_status"], doc["text"]) == (
        "Note on navigation", "Valdorian Foreign Ministry", None, "unknown", UNDATED)
    assert "highlights" not in doc["passages"][0]
    marked = idx.document("navigation", query="merchant ships")
    text = marked["passages"][0]["text"]
    assert [text[a:b] for a, b in marked["passages"][0]["highlights"]] == ["merchant", "ships"]
    listed = idx.documents()
    assert [d["doc_id"] for d in listed] == ["valdoria-grain", "ostravia-dam", "marenne-fish", "navigation"]
    assert listed.records()[3] == {"doc_id": "navigation", "title": "Note on navigation", "date": None, "date_status": "unknown",
                                   "source": "Valdorian Foreign Ministry", "speaker": None, "lang": "en", "url": None, "passages": 1}
    assert [d["doc_id"] for d in idx.documents(since="2022")] == ["ostravia-dam", "marenne-fish"]
    assert [d["doc_id"] for d in idx.documents(source=["marenne", "ostravian"], limit=1, offset=1)] == ["marenne-fish"]
    stats = idx.stats()
    assert (stats["documents"], stats["passages"], stats["undated"], stats["model"]) == (4, 4, 1, "fake-hash-embedder")
    assert stats["date_range"] == ["2021-03-14", "2024-01-11"]
    assert idx.remove("ostravia-dam") == 1
    assert [h.doc_id for h in idx.search("Selva river", mode="lexical")] == ["navigation"]
    assert (idx.stats()["documents"], idx.stats()["passages"]) == (3, 3)


def test_errors_are_categories_that_name_fields(idx):
    from corpus.errors import InvalidInput, NotFound
    from index.errors import DocumentNotFound

    with pytest.raises(DocumentNotFound) as missing:
        idx.remove("ostravia-dam-2")
    assert isinstance(missing.value, NotFound) and missing.value.status == 404 and missing.value.exit_code == 1
    with pytest.raises(InvalidInput) as bad:
        idx.search("river", k=0)
    assert (str(bad.value), bad.value.field, bad.value.status) == ("k 0 is out of range; use 1 to 1000", "k", 400)
    with pytest.raises(InvalidInput) as bad:
        idx.search("river", since="{k} soon")  # user text is never read as a template
    assert str(bad.value) == "since '{k} soon' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD (e.g. since 2019-05)"
    assert bad.value.worded({"since": "From"}) == "From '{k} soon' is not a date; use YYYY, YYYY-MM or YYYY-MM-DD (e.g. From 2019-05)"
    with pytest.raises(InvalidInput, match="^limit 0 must be at least 1$"):
        idx.documents(limit=0)


def test_the_model_loads_once_and_only_when_needed(tmp_path, corpus):
    from search import Index

    loads = []
    fake = FakeEmbedder()
    with Index.open(tmp_path / "idx", create=True, loader=lambda store: loads.append(store) or fake) as index:
        assert loads == []  # opening loads nothing
        index.ingest([corpus / "navigation.txt"])
        index.search("river", mode="dense")
        assert len(loads) == 1 and loads[0] is index.store
    with Index.open(tmp_path / "idx", loader=lambda store: loads.append(store) or fake) as index:
        assert [h.doc_id for h in index.search("river", mode="lexical")] == ["navigation"] and len(loads) == 1


def test_evalsets_list_and_delete(idx):
    from search.evaluation.errors import EvalSetNotFound

    report = idx.evalsets.pool("trial", [("q1", "Selva river")], depth=2, modes=["lexical"])
    assert (report.queries_added, report.candidates_added) == (1, 2)
    assert [(s["name"], s["queries"], s["candidates"], s["judged"]) for s in idx.evalsets.list()] == [("trial", 1, 2, 0)]
    cand = idx.evalsets.next("trial")
    idx.evalsets.judge("trial", cand.candidate_id, 2)
    assert idx.evalsets.progress("trial") == {"candidates": 2, "judged": 1, "skipped": 0, "remaining": 1}
    idx.evalsets.delete("trial")
    assert idx.evalsets.names() == []
    with pytest.raises(EvalSetNotFound) as gone:
        idx.evalsets.delete("trial")
    assert gone.value.status == 404


def test_to_pandas_and_a_clear_error_without_pandas(idx, monkeypatch):
    pd = pytest.importorskip("pandas")
    frame = idx.documents().to_pandas()
    assert isinstance(frame, pd.DataFrame) and list(frame["doc_id"]) == ["valdoria-grain", "ostravia-dam", "marenne-fish", "navigation"]
    hits = idx.search("Selva river", mode="lexical").to_pandas()
    assert list(hits["doc_id"]) == ["navigation", "ostravia-dam"] and list(hits["rank"]) == [1, 2]
    from corpus.errors import Unavailable

    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    with pytest.raises(Unavailable, match=r"pip install 'dipsearch\[pandas\]'"):
        idx.documents().to_pandas()


def test_importing_the_package_loads_nothing_heavy():
    import subprocess

    code = ("import sys, search; from search import Index; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('numpy', 'faiss', 'torch', 'typer', 'fastapi', 'index')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
