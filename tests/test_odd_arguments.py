"""Odd numbers and odd arguments get one clear line, never a traceback: --max-doc-mb nan/inf/0, a disk
that fills up during a commit, bytes that are not UTF-8 in an argument, and ids beyond SQLite's 64 bits."""
from __future__ import annotations

import json
import sqlite3

import pytest

from corpus.errors import FieldError
from corpus.readers import doc_limit_bytes
from index.database import Database
from index.store import IndexStore
from search.engine import SearchRequest
from search.errors import InvalidQuery
from tests.builders import committed_docs
from tests.cli_invoke import invoke

DOCS = ["The river treaty binds Arden and Vell to share the water of the northern river.",
        "Vell and Osland signed a fisheries accord limiting trawler catches in the shared bay.",
        "Osland and Arden agreed to reopen the mountain pass to trade in the spring."]




@pytest.fixture
def docs(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    for i, text in enumerate(DOCS):
        (folder / f"d{i}.txt").write_text(text)
    return folder


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "0", "-1", "1e-9"])
def test_max_doc_mb_must_be_finite_and_positive(tmp_path, docs, runtime, value):
    result = invoke(runtime, "ingest", docs, "--index", tmp_path / "idx", "--max-doc-mb", value)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: --max-doc-mb {float(value)}: the document size limit must be a finite number of megabytes above 0, e.g. 20"
    assert not (tmp_path / "idx").exists()


def test_doc_limit_bytes_names_the_field():
    assert doc_limit_bytes(0.5) == 512 * 1024
    with pytest.raises(FieldError) as refused:
        doc_limit_bytes(float("nan"))
    assert refused.value.field == "max_doc_mb" and str(refused.value).startswith("max_doc_mb nan: ")


def test_disk_full_during_a_commit_keeps_what_was_committed(tmp_path, docs, runtime, monkeypatch):
    real = Database.replace_passages
    calls = []

    def fill_up_on_the_second_batch(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise sqlite3.OperationalError("database or disk is full")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Database, "replace_passages", fill_up_on_the_second_batch)
    result = invoke(runtime, "ingest", docs, "--index", tmp_path / "idx", "--batch", "1")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "error: the disk is full (database or disk is full); the index keeps everything committed before this batch (1 document) "
        "and opens as before. Free some space and run the same ingest again: it skips what is in and adds the rest")
    assert committed_docs(tmp_path / "idx") == 1
    monkeypatch.setattr(Database, "replace_passages", real)
    again = invoke(runtime, "ingest", docs, "--index", tmp_path / "idx", "--batch", "1")
    assert again.exit_code == 0 and again.stdout.startswith("2 added, 0 changed, 0 metadata-only, 1 unchanged")
    store = IndexStore.open(tmp_path / "idx")
    assert store.db.counts() == {"documents": 3, "passages": 3}


@pytest.mark.parametrize("args, name", [
    (["search", "\udcff\udcfe river"], "QUERY '\\xff\\xfe river'"),
    (["search", "river", "--mode", "dense", "--source", "\udce9"], "--source '\\xe9'"),
    (["show", "a\udcff"], "DOC_ID 'a\\xff'"),
    (["similar", "--text", "caf\udce9"], "--text 'caf\\xe9'"),
])
def test_arguments_that_are_not_utf8_are_refused(tmp_path, docs, runtime, args, name):
    assert invoke(runtime, "ingest", docs, "--index", tmp_path / "idx").exit_code == 0
    result = invoke(runtime, *args, "--index", str(tmp_path / "idx"))
    assert result.exit_code == 1
    line = result.stderr.strip()
    assert line.startswith(f"error: {name}: holds byte 0x") and line.endswith("give it as UTF-8 text (is the terminal's locale UTF-8?)")


def test_library_refuses_a_query_with_a_lone_surrogate():
    with pytest.raises(InvalidQuery, match=r"^the query holds a lone surrogate U\+D800 at character 7; give it as UTF-8 text$"):
        SearchRequest("river \ud800").validate()


@pytest.mark.parametrize("passage_id", ["99999999999999999999", "9223372036854775808", "-9223372036854775809"])
def test_similar_beyond_64_bits_is_not_found(tmp_path, docs, runtime, passage_id):
    assert invoke(runtime, "ingest", docs, "--index", tmp_path / "idx").exit_code == 0
    result = invoke(runtime, "similar", "--index", str(tmp_path / "idx"), "--", passage_id)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: no passage with id {passage_id} in this index")


def test_judgment_file_ids_beyond_64_bits_are_unknown_passages(tmp_path, docs, runtime):
    assert invoke(runtime, "ingest", docs, "--index", tmp_path / "idx").exit_code == 0
    qrels = tmp_path / "qrels.txt"
    qrels.write_text("q1 0 99999999999999999999 1\nq1 0 d0#99999999999999999999 1\nq1 0 d1:0-99999999999999999999 1\nq1 0 d0#0 2\n")
    queries = tmp_path / "q.jsonl"
    queries.write_text(json.dumps({"id": "q1", "query": "river treaty"}) + "\n")
    result = invoke(runtime, "evalset", "import", "s", qrels, "--queries", queries, "--skip-unknown", "--index", str(tmp_path / "idx"), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["judgments_added"] == 1 and len(report["unknown_passages"]) == 3


def test_disk_full_while_saving_the_vectors_is_the_same_line(tmp_path, docs, runtime, monkeypatch):
    import errno

    def no_space(self):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(IndexStore, "save", no_space)
    result = invoke(runtime, "ingest", docs, "--index", tmp_path / "idx")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1].startswith(
        "error: the disk is full ([Errno 28] No space left on device); the index keeps everything committed before this batch (3 documents)")
    monkeypatch.undo()
    again = invoke(runtime, "ingest", docs, "--index", tmp_path / "idx")
    assert again.exit_code == 0 and "3 unchanged" in again.stdout
    assert json.loads(invoke(runtime, "search", "trawler", "--mode", "dense", "--index", tmp_path / "idx", "--json").stdout)["results"][0]["doc_id"] == "d1"
