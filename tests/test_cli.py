"""The command line through typer's CliRunner with the fake embedder: every core command, JSON shapes, exit codes."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from search.cli import app
from search.cli.app import Runtime
from tests.fakes import FakeEmbedder
from tests.cli_invoke import invoke

RIVER = "The river treaty binds Arden and Vell to share the water of the northern river."
FISH = "Vell and Osland signed a fisheries accord limiting trawler catches in the shared bay."
RESULT_KEYS = {"rank", "score", "passage_id", "doc_id", "title", "source", "date", "date_status", "speaker", "lang",
               "text", "char_start", "char_end"}




@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "river.txt").write_text("River treaty signed\n\n2020-03-01 Arden Herald\n\n" + RIVER + "\n")
    (folder / "press.jsonl").write_text(
        json.dumps({"id": "fish", "title": "Fisheries accord", "text": FISH, "date": "2021-07-15", "source": "Vell News Agency",
                    "speaker": "Ivo Brandt", "lang": "en"}) + "\n")
    return folder


@pytest.fixture
def index(tmp_path, corpus, runtime):
    result = invoke(runtime, "ingest", corpus, "--index", tmp_path / "idx")
    assert result.exit_code == 0, result.output
    return tmp_path / "idx"


def test_help_has_examples(runtime):
    result = invoke(runtime, "--help")
    assert result.exit_code == 0
    for command in ("ingest", "search", "show", "stats", "remove"):
        assert command in result.stdout
        sub = invoke(runtime, command, "--help")
        assert sub.exit_code == 0 and "Example" in sub.stdout, command
    assert "dipsearch search" in invoke(runtime, "search", "--help").stdout


def test_ingest_reports_counts_and_is_incremental(tmp_path, corpus, runtime):
    first = invoke(runtime, "ingest", corpus, "--index", tmp_path / "idx")
    assert first.exit_code == 0
    assert first.stdout.startswith("2 added, 0 changed, 0 metadata-only, 0 unchanged, 0 duplicates stored once, 0 skipped; 2 passages embedded.")
    again = invoke(runtime, "ingest", corpus, "--index", tmp_path / "idx", "--json")
    assert again.exit_code == 0
    data = json.loads(again.stdout)
    assert (data["added"], data["unchanged"], data["documents"], data["passages"], data["skipped"]) == (0, 2, 2, 2, [])


def test_ingest_bad_inputs_one_line_each_and_exit_3(tmp_path, corpus, runtime):
    (corpus / "empty.txt").write_text("")
    (corpus / "binary.txt").write_bytes(b"\x00\xff" * 100)
    (corpus / "huge.txt").write_bytes(b"The treaty. " * (50 * 1024 * 1024 // 12))  # 50 MB
    (corpus / "latin.txt").write_bytes("Caf\xe9 talks between Arden and Vell resumed in Gen\xe8ve on Monday.".encode("latin-1"))
    (corpus / "bom.txt").write_bytes(b"\xef\xbb\xbf" + "Osland and Vell agreed to a ceasefire along the border.".encode())
    (corpus / "more.jsonl").write_text('{"id": "x", "text": "Fine record about the dam on the upper river."}\n{oops\n{"id": "y"}\n')
    (corpus / "folder.txt").mkdir()
    (corpus / "dangling.txt").symlink_to(corpus / "nowhere.txt")
    result = invoke(runtime, "ingest", corpus, "--index", tmp_path / "idx")
    assert result.exit_code == 3
    lines = [line for line in result.stderr.splitlines() if line.startswith("skipped ")]
    assert lines == [
        f"skipped {corpus / 'binary.txt'}: binary file (contains NUL bytes); only text is indexed",
        f"skipped {corpus / 'dangling.txt'}: cannot read (No such file or directory)",
        f"skipped {corpus / 'empty.txt'}: empty file",
        f"skipped {corpus / 'huge.txt'}: 50.0 MB is over the 20 MB document limit; split it or raise --max-doc-mb",
        f"skipped {corpus / 'more.jsonl'}:2: malformed JSON (Expecting property name enclosed in double quotes at column 2); line skipped",
        f"skipped {corpus / 'more.jsonl'}:3: no 'text' field; map the text with --field text=NAME",
    ]
    assert f"note {corpus / 'latin.txt'}: not valid UTF-8; read as Windows-1252/latin-1" in result.stderr
    assert "Traceback" not in result.stderr
    assert "5 added" in result.stdout and "6 skipped" in result.stdout
    shown = json.loads(invoke(runtime, "show", "latin", "--index", tmp_path / "idx", "--json").stdout)
    assert shown["text"] == "Caf\u00e9 talks between Arden and Vell resumed in Gen\u00e8ve on Monday."


def test_unreadable_file_via_cli(tmp_path, runtime):
    locked = tmp_path / "locked.txt"
    locked.write_text(RIVER)
    locked.chmod(0)
    try:
        import os

        if os.access(locked, os.R_OK):
            pytest.skip("running as root: chmod 000 does not block reading (test_ingest_bad_inputs covers a dangling link)")
        result = invoke(runtime, "ingest", locked, "--index", tmp_path / "idx")
        assert result.exit_code == 3 and f"skipped {locked}: cannot read (Permission denied)" in result.stderr
    finally:
        locked.chmod(0o644)


def test_field_mapping_and_bad_mapping(tmp_path, runtime):
    path = tmp_path / "odd.jsonl"
    path.write_text(json.dumps({"key": "k1", "body": RIVER, "when": "2019-04-05"}) + "\n")
    result = invoke(runtime, "ingest", path, "--index", tmp_path / "idx", "--field", "text=body", "--field", "id=key", "--field", "date=when")
    assert result.exit_code == 0, result.output
    shown = json.loads(invoke(runtime, "show", "k1", "--index", tmp_path / "idx", "--json").stdout)
    assert (shown["date"], shown["date_status"]) == ("2019-04-05", "given")
    bad = invoke(runtime, "ingest", path, "--index", tmp_path / "idx", "--field", "body")
    assert bad.exit_code == 1
    assert bad.stderr.strip() == "error: --field 'body' is not FIELD=NAME with FIELD one of id, text, title, date, source, speaker, url, lang (e.g. --field text=body)"


def test_search_json_shape(index, runtime):
    result = invoke(runtime, "search", "trawler catches", "--index", index, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["query"] == "trawler catches" and data["mode"] == "hybrid"
    top = data["results"][0]
    assert RESULT_KEYS <= set(top)
    assert (top["rank"], top["doc_id"], top["title"], top["source"], top["date"], top["date_status"], top["speaker"], top["lang"]) == (
        1, "fish", "Fisheries accord", "Vell News Agency", "2021-07-15", "given", "Ivo Brandt", "en")
    assert top["text"] == FISH and (top["char_start"], top["char_end"]) == (0, len(FISH))
    river = json.loads(invoke(runtime, "search", "river treaty", "--index", index, "--json", "--mode", "lexical").stdout)
    assert [(r["doc_id"], r["source"], r["date"], r["date_status"], r["title"]) for r in river["results"]] == [
        ("river", "Arden Herald", "2020-03-01", "extracted", "River treaty signed")]


def test_search_options(index, runtime):
    def docs(*args):
        result = invoke(runtime, "search", "river treaty trawler", "--index", index, "--json", *args)
        assert result.exit_code == 0, result.output
        return [r["doc_id"] for r in json.loads(result.stdout)["results"]]

    assert docs("--mode", "lexical") == ["river", "fish"]
    assert docs("--mode", "dense", "-k", "1") == ["river"]
    assert docs("--since", "2021") == ["fish"]
    assert docs("--until", "2020-06") == ["river"]
    assert docs("--source", "arden") == ["river"]
    assert docs("--speaker", "Ivo") == ["fish"]
    assert docs("--lang", "fr") == []
    text = invoke(runtime, "search", "trawler", "--index", index, "--mode", "lexical")
    assert text.exit_code == 0 and "Fisheries accord" in text.stdout and "Vell News Agency" in text.stdout


def test_search_queries_file(tmp_path, index, runtime):
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"id": "a", "query": "trawler"}\nriver treaty\n{"id": "c", "query": "fisheries accord"}\n')
    result = invoke(runtime, "search", "--queries", queries, "--index", index, "--json", "--mode", "lexical")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(d["id"], d["query"], d["results"][0]["doc_id"]) for d in lines] == [
        ("a", "trawler", "fish"), ("2", "river treaty", "river"), ("c", "fisheries accord", "fish")]


@pytest.mark.parametrize("args, message", [
    (["search"], "give one QUERY or --queries FILE"),
    (["search", "  "], "the query is empty"),
    (["search", "river", "--since", "yesterday"], "--since 'yesterday' is not a date"),
    (["search", "river", "--mode", "fuzzy"], "mode 'fuzzy' is not one of hybrid, dense, lexical"),
    (["search", "river", "-k", "0"], "-k 0 is out of range"),
    (["show", "nope"], "no document with id 'nope' in this index"),
    (["remove", "nope"], "no document with id 'nope' in this index"),
])
def test_errors_are_one_line_and_exit_1(index, runtime, args, message):
    result = invoke(runtime, *args, "--index", index)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_index(tmp_path, runtime):
    for args in (["search", "river"], ["stats"], ["show", "x"], ["remove", "x"]):
        result = invoke(runtime, *args, "--index", tmp_path / "none")
        assert result.exit_code == 1
        assert result.stderr.startswith(f"error: no dipsearch index at {tmp_path / 'none'}; create one with `dipsearch ingest PATH")


def test_show_stats_remove(index, runtime):
    shown = json.loads(invoke(runtime, "show", "fish", "--index", index, "--json").stdout)
    assert (shown["doc_id"], shown["title"], shown["status"]["title"], shown["speaker"]) == ("fish", "Fisheries accord", "given", "Ivo Brandt")
    assert [p["text"] for p in shown["passages"]] == [FISH] and shown["text"] == FISH
    river = json.loads(invoke(runtime, "show", "river", "--index", index, "--json").stdout)
    assert river["status"] == {"title": "extracted", "date": "extracted", "source": "extracted", "speaker": "unknown", "url": "unknown", "lang": "inferred"}
    text = invoke(runtime, "show", "river", "--index", index)
    assert text.exit_code == 0 and "River treaty signed" in text.stdout and "(extracted)" in text.stdout
    stats = json.loads(invoke(runtime, "stats", "--index", index, "--json").stdout)
    assert (stats["documents"], stats["passages"], stats["model"], stats["index_type"], stats["dimension"]) == (2, 2, "fake-hash-embedder", "flat", 64)
    assert "fake-hash-embedder" in invoke(runtime, "stats", "--index", index).stdout
    removed = invoke(runtime, "remove", "fish", "--index", index)
    assert removed.exit_code == 0 and removed.stdout.strip() == "removed fish (1 passage)"
    assert json.loads(invoke(runtime, "stats", "--index", index, "--json").stdout)["documents"] == 1
    after = json.loads(invoke(runtime, "search", "trawler catches", "--index", index, "--json").stdout)
    assert [r["doc_id"] for r in after["results"]] == ["river"]
    assert json.loads(invoke(runtime, "remove", "river", "--index", index, "--json").stdout) == {"removed": "river", "passages": 1}


def test_index_from_env_and_default_folder(tmp_path, corpus, runtime, monkeypatch):
    monkeypatch.setenv("DIPSEARCH_INDEX", str(tmp_path / "from-env"))
    assert invoke(runtime, "ingest", corpus).exit_code == 0
    assert (tmp_path / "from-env" / "manifest.json").exists()
    assert json.loads(invoke(runtime, "stats", "--json").stdout)["documents"] == 2
    monkeypatch.delenv("DIPSEARCH_INDEX")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert invoke(runtime, "ingest", corpus / "river.txt").exit_code == 0
    assert (work / "dipsearch-index" / "manifest.json").exists()
    assert json.loads(invoke(runtime, "stats", "--json").stdout)["documents"] == 1


def test_model_mismatch_via_cli(index, corpus):
    other = Runtime(load_embedder=lambda model=None: FakeEmbedder(checksum="0" * 64))
    for args in (["search", "river"], ["ingest", corpus]):
        result = invoke(other, *args, "--index", index)
        assert result.exit_code == 1
        assert result.stderr.strip().startswith("error: this index was built with model fake-hash-embedder (sha256 ffffffffffff"), args
        assert "build a new index with --index NEW_DIR" in result.stderr
    assert invoke(other, "search", "river", "--mode", "lexical", "--index", index).exit_code == 0  # lexical needs no model


def test_ingest_dot_with_the_default_index_inside(tmp_path, corpus, runtime, monkeypatch):
    monkeypatch.chdir(corpus)
    for _ in range(2):  # the second run walks past ./dipsearch-index, which now exists
        result = invoke(runtime, "ingest", ".")
        assert result.exit_code == 0, result.output
        assert "skipped" not in result.stderr
    assert "0 added" in result.stdout and "2 unchanged" in result.stdout


@pytest.mark.parametrize("batch, commits", [(None, 1), ("1", 2)])
def test_ingest_batch_sets_passages_per_commit(tmp_path, corpus, runtime, batch, commits):
    from index.store import IndexStore

    args = ["ingest", corpus, "--index", tmp_path / "idx"] + (["--batch", batch] if batch else [])
    assert invoke(runtime, *args).exit_code == 0
    store = IndexStore.open(tmp_path / "idx")
    assert store.db.counts() == {"documents": 2, "passages": 2}
    assert store.db.generation() == commits  # one committed transaction per batch


def test_ingest_batch_must_be_positive(tmp_path, corpus, runtime):
    result = invoke(runtime, "ingest", corpus, "--index", tmp_path / "idx", "--batch", "0")
    assert result.exit_code == 2 and "--batch" in result.output
