"""Issue 14's small things, tried as a new user would: a missing ingest path, a busy port, help texts, the judge's keys."""
from __future__ import annotations

import socket


from tests.cli_invoke import invoke as cli_invoke


def invoke(runtime, *args, input=None):
    return cli_invoke(runtime, *args, input=input, env={"COLUMNS": "250"})


def test_ingest_of_a_missing_path_exits_1_and_creates_no_index(tmp_path, runtime):
    index = tmp_path / "idx"
    result = invoke(runtime, "ingest", tmp_path / "nope", "--index", index)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"error: PATHS: nothing to read; {tmp_path / 'nope'} does not exist (no index was created)"
    assert not index.exists()


def test_ingest_with_one_missing_path_of_several_reads_the_rest(tmp_path, runtime):
    (tmp_path / "a.txt").write_text("Arden and Vell agreed to reopen the border crossing at Tarn.")
    result = invoke(runtime, "ingest", tmp_path / "a.txt", tmp_path / "nope", "--index", tmp_path / "idx")
    assert result.exit_code == 3 and "1 added" in result.stdout and f"skipped {tmp_path / 'nope'}" in result.stderr


def test_serve_on_a_busy_port_says_so_first(tmp_path, runtime):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = invoke(runtime, "serve", "--port", port, "--index", tmp_path / "none")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: --host 127.0.0.1:{port} cannot be listened on (")
    assert "choose another --port" in result.stderr
    assert "serving" not in result.output


def test_help_texts(runtime):
    engine = invoke(runtime, "ingest", "--help").stdout
    assert "pip install 'dipsearch[ray]'" in engine
    top = invoke(runtime, "--help").stdout
    assert "Examples:" in top and "dipsearch ingest statements/" in top and "dipsearch export" in top
    evalset = invoke(runtime, "evalset", "--help").stdout
    assert "Examples:" in evalset and "dipsearch evalset judge ukraine" in evalset
    for command in ("export", "documents"):
        assert "Examples:" in invoke(runtime, command, "--help").stdout


def test_judge_says_when_a_key_is_not_one_of_its_keys(tmp_path, runtime, fake_embedder):
    import json

    from tests.evalset_fixtures import build_index

    index = tmp_path / "idx"
    build_index(index, fake_embedder).close()
    queries = tmp_path / "q.jsonl"
    queries.write_text(json.dumps({"id": "steel", "query": "tariffs steel"}) + "\n")
    assert invoke(runtime, "evalset", "pool", queries, "--name", "s", "--modes", "lexical", "--index", index).exit_code == 0
    result = invoke(runtime, "evalset", "judge", "s", "--index", index, input="x\n7\nq\n")
    assert result.exit_code == 0, result.output
    assert "key 'x' is not one of the judge's keys: 0 not relevant · 1 partly · 2 relevant · s skip · u undo · q quit" in result.output
    assert "key '7' is not one of the judge's keys" in result.output
    assert "0 judged, 0 skipped, 0 undone this session; 3 left" in result.output


def test_terminal_results_show_scores_relative_to_the_best(tmp_path, runtime):
    import json

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Arden and Vell signed the river treaty; the river treaty binds the river towns.")
    (docs / "b.txt").write_text("Osland watched the river talks from afar and said little about the dam.")
    assert invoke(runtime, "ingest", docs, "--index", tmp_path / "idx").exit_code == 0
    out = invoke(runtime, "search", "river treaty", "--mode", "lexical", "--index", tmp_path / "idx").stdout
    raw = json.loads(invoke(runtime, "search", "river treaty", "--mode", "lexical", "--index", tmp_path / "idx", "--json").stdout)
    scores = [h["score"] for h in raw["results"]]
    assert len(scores) == 2 and scores[0] > scores[1] > 0
    assert "[100% of best]" in out and f"[{scores[1] / scores[0]:.0%} of best]" in out
    assert f"{scores[0]:.3f}" not in out  # the raw bm25 value stays in --json
