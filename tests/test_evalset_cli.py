"""The evalset and eval commands through typer's CliRunner with the fake embedder and scripted keys."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tests.evalset_fixtures import SOURCE, build_index
from tests.cli_invoke import invoke




@pytest.fixture
def index(tmp_path, fake_embedder):
    build_index(tmp_path / "idx", fake_embedder).close()
    return tmp_path / "idx"


@pytest.fixture
def queries(tmp_path):
    path = tmp_path / "queries.jsonl"
    path.write_text(json.dumps({"id": "steel", "query": "tariffs steel"}) + "\n")
    return path


def test_pool_judge_with_scripted_keys_quit_and_resume_then_export(runtime, index, queries):
    pooled = invoke(runtime, "evalset", "pool", queries, "--name", "s", "--modes", "lexical", "--index", index, "--json")
    assert pooled.exit_code == 0 and json.loads(pooled.stdout)["candidates_total"] == 3
    first = invoke(runtime, "evalset", "judge", "s", "--index", index, input="2\n0\nu\nq\n")
    assert first.exit_code == 0, first.output
    assert "tariffs steel" in first.output and SOURCE in first.output and "2031-03-04" in first.output
    assert "undid steel / ost-0304#" in first.output and "2 judged, 0 skipped, 1 undone this session; 2 left" in first.output
    resumed = invoke(runtime, "evalset", "judge", "s", "--index", index, "--json", input="1\ns\n")
    assert json.loads(resumed.stdout) == {"name": "s", "judged": 1, "skipped": 1, "undone": 0, "finished": True, "remaining": 0, "skipped_total": 1}
    exported = invoke(runtime, "evalset", "export", "s", "--format", "trec", "--index", index)
    lines = exported.stdout.splitlines()
    assert len(lines) == 2 and [line.split()[3] for line in lines] == ["2", "1"] and all(line.startswith("steel 0 ost-0304#") for line in lines)
    listed = json.loads(invoke(runtime, "evalset", "list", "--index", index, "--json").stdout)
    assert [(s["name"], s["judged"], s["skipped"], s["unjudged_candidates"]) for s in listed] == [("s", 2, 1, 0)]


@pytest.mark.jit
def test_from_qa_reports_counts_and_eval_prints_a_table(runtime, index, tmp_path):
    built = invoke(runtime, "evalset", "from-qa", "--name", "qa", "--index", index)
    assert built.exit_code == 0, built.output
    # passages never span two turns (corpus.span_chunking): the answer that shared its question's passage now pairs
    assert "7 turns paired, 4 dropped as unclear" in built.output
    assert "set qa: 7 queries (1 follow-ups), 10 judgments (10 relevant, 0 partly), 7 question passages excluded" in built.output
    table = invoke(runtime, "eval", "qa", "--index", index, "--runs-dir", tmp_path / "runs")
    assert table.exit_code == 0, table.output
    for word in ("dense", "lexical", "hybrid", "ndcg@10", "recall@100", "judged@10", "p-values"):
        assert word in table.output
    assert sorted(p.name for p in (tmp_path / "runs").iterdir()) == ["qa.dense.trec", "qa.hybrid.trec", "qa.lexical.trec"]
    data = json.loads(invoke(runtime, "eval", "qa", "--index", index, "--mode", "lexical", "--mode", "dense", "--test", "fisher", "--json").stdout)
    assert data["table"]["runs"] == ["lexical", "dense"] and data["table"]["stat_test"] == "fisher" and data["table"]["queries"] == 7
    assert (index / "eval-runs" / "qa.lexical.trec").exists()


def test_export_jsonl_and_beir_and_import_round_trip(runtime, index, tmp_path):
    invoke(runtime, "evalset", "from-qa", "--name", "qa", "--index", index)
    out = tmp_path / "qa.jsonl"
    assert invoke(runtime, "evalset", "export", "qa", "--format", "jsonl", "--output", out, "--index", index).exit_code == 0
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == 10 and records[0]["doc_id"] == "ost-0304#2" and records[0]["relevance"] == 2
    imported = invoke(runtime, "evalset", "import", "copy", out, "--index", index, "--json")
    assert json.loads(imported.stdout)["judgments_added"] == 10
    trec = lambda name: invoke(runtime, "evalset", "export", name, "--index", index).stdout  # noqa: E731
    assert trec("copy") == trec("qa")
    beir = invoke(runtime, "evalset", "export", "qa", "--format", "beir", "--output", tmp_path / "beir", "--index", index)
    assert "corpus.jsonl (25 passages), queries.jsonl (7), qrels/test.tsv (10)" in beir.output


@pytest.mark.parametrize("args, message", [
    (["evalset", "judge", "missing"], "no evaluation set named 'missing'"),
    (["evalset", "export", "missing", "--format", "csv"], "--format 'csv' must be one of trec, jsonl, beir"),
    (["evalset", "export", "missing", "--format", "beir"], "--output DIR"),
    (["eval", "missing"], "no evaluation set named 'missing'"),
])
def test_errors_are_one_line_without_traceback(runtime, index, args, message):
    result = invoke(runtime, *args, "--index", index)
    assert result.exit_code == 1 and message in result.output


def test_every_command_has_an_example(runtime):
    for command in (["evalset", "pool"], ["evalset", "judge"], ["evalset", "import"], ["evalset", "from-qa"],
                    ["evalset", "export"], ["evalset", "list"], ["evalset", "delete"], ["eval"]):
        result = invoke(runtime, *command, "--help")
        assert result.exit_code == 0 and "Example" in result.output, command
