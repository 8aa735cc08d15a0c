"""User-supplied text printed through rich is never read as markup: file names, queries, ids, titles and
set names holding `[/b]` print as they are (they gave MarkupError tracebacks that aborted the command)."""
from __future__ import annotations

import json

import pytest

from tests.cli_invoke import invoke as cli_invoke

TAG = "[/b]"
RIVER = "The river treaty binds Arden and Vell to share the water of the northern river."
FISH = "Vell and Osland signed a fisheries accord limiting trawler catches in the shared bay."


def invoke(runtime, *args, input=None):
    result = cli_invoke(runtime, *args, input=input)
    assert "MarkupError" not in result.output, result.output
    return result


@pytest.fixture
def index(tmp_path, runtime):
    folder = tmp_path / f"x{TAG[:2]}"  # a folder named 'x[' holding 'b].txt': the path reads x[/b].txt
    folder.mkdir()
    (folder / "b].txt").write_text(RIVER)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "press.jsonl").write_text(json.dumps(
        {"id": "fish[/i]", "title": f"Accord {TAG} signed", "source": f"Vell {TAG} Agency", "text": FISH, "date": "2021-07-15"}) + "\n")
    result = invoke(runtime, "ingest", folder, tmp_path / "docs", "--index", tmp_path / "idx")
    assert result.exit_code == 0, result.output
    return tmp_path / "idx"


def test_skipped_and_noted_paths_with_brackets(tmp_path, runtime):
    folder = tmp_path / "x["
    folder.mkdir()
    (folder / "b].txt").write_text("")  # skipped: empty
    (folder / "c].txt").write_bytes("Caf\xe9 talks between Arden and Vell resumed.".encode("latin-1"))  # a note: latin-1
    result = invoke(runtime, "ingest", folder, "--index", tmp_path / "idx")
    assert result.exit_code == 3
    assert f"skipped {folder / 'b].txt'}: empty file" in result.stderr
    assert f"note {folder / 'c].txt'}: not valid UTF-8; read as Windows-1252/latin-1" in result.stderr
    assert result.stdout.startswith("1 added")


def test_search_without_hits_prints_the_query(index, runtime):
    result = invoke(runtime, "search", "zzqxv [/zzqq]", "--mode", "lexical", "--index", index)
    assert result.exit_code == 0 and result.stdout.strip() == "No passages match zzqxv [/zzqq] (lexical)."


def test_queries_file_ids_with_brackets(tmp_path, index, runtime):
    queries = tmp_path / "q.jsonl"
    queries.write_text(json.dumps({"id": "[/b]", "query": "trawler [red]catches"}) + "\n")
    result = invoke(runtime, "search", "--queries", queries, "--mode", "lexical", "--index", index)
    assert result.exit_code == 0
    assert "[/b]: trawler [red]catches" in result.stdout and f"Accord {TAG} signed" in result.stdout


def test_show_missing_id_with_brackets(index, runtime):
    result = invoke(runtime, "show", TAG, "--index", index)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: no document with id '{TAG}' in this index")


def test_show_and_stats_print_bracketed_metadata(index, runtime):
    shown = invoke(runtime, "show", "fish[/i]", "--index", index)
    assert shown.exit_code == 0
    assert f"Accord {TAG} signed" in shown.stdout and f"Vell {TAG} Agency" in shown.stdout and "fish[/i]" in shown.stdout
    stats = invoke(runtime, "stats", "--index", index)
    assert stats.exit_code == 0 and f"Vell {TAG} Agency" in stats.stdout
    hits = invoke(runtime, "search", "trawler", "--mode", "lexical", "--index", index)
    assert f"Accord {TAG} signed" in hits.stdout and "fish[/i]" in hits.stdout


@pytest.mark.jit
def test_judge_and_eval_with_bracketed_ids_and_names(tmp_path, index, runtime):
    queries = tmp_path / "q.jsonl"
    queries.write_text(json.dumps({"id": "q[/b]", "query": "trawler catches"}) + "\n")
    name = "set[b]"  # names cannot hold "/"; unescaped, rich would eat "[b]" as a bold tag
    assert invoke(runtime, "evalset", "pool", queries, "--name", name, "--modes", "lexical", "--index", index).exit_code == 0
    judged = invoke(runtime, "evalset", "judge", name, "--index", index, input="2\nq\n")
    assert judged.exit_code == 0 and "query q[/b]" in judged.output and "1 judged" in judged.output
    run = tmp_path / "other[b].trec"
    run.write_text("q[/b] Q0 fish[/i]#0 1 1.0 other\n")
    table = invoke(runtime, "eval", name, "--mode", "lexical", "--run", run, "--index", index, "--runs-dir", tmp_path / "runs")
    assert table.exit_code == 0, table.output
    assert f"{name}: 1 queries" in table.output and "(b) other[b]" in table.output
