"""One rule for an id given twice in one ingest, whatever --batch: the first occurrence is indexed, each later
one is skipped with a line naming both positions, and the exit status is 3. (Before, with --batch 1 the
second version replaced the first and the exit was 0; with the default batch the first won and the exit was 3.)"""
from __future__ import annotations

import json

import pytest

from tests.builders import build, passages_by_doc, raw
from tests.cli_invoke import invoke

FIRST = "The river treaty binds Arden and Vell to share the water of the northern river."
SECOND = "Vell and Osland signed a fisheries accord limiting trawler catches in the shared bay."
OTHER = "Osland and Arden agreed to reopen the mountain pass to trade in the spring."




@pytest.mark.parametrize("batch", [None, "1"])
def test_first_occurrence_wins_at_every_batch_size(tmp_path, runtime, batch):
    data = tmp_path / "press.jsonl"
    data.write_text("".join(json.dumps(r) + "\n" for r in (
        {"id": "a", "text": FIRST}, {"id": "b", "text": OTHER}, {"id": "a", "text": SECOND}, {"id": "a", "text": FIRST})))
    args = ["ingest", data, "--index", tmp_path / "idx"] + (["--batch", batch] if batch else [])
    result = invoke(runtime, *args)
    assert result.exit_code == 3
    assert [line for line in result.stderr.splitlines() if line.startswith("skipped")] == [
        f"skipped {data}:3: id 'a' was already read from {data}:1; this later one is skipped (the first occurrence of an id is indexed)",
        f"skipped {data}:4: id 'a' was already read from {data}:1; this later one is skipped (the first occurrence of an id is indexed)",
    ]
    assert result.stdout.startswith("2 added, 0 changed, 0 metadata-only, 0 unchanged, 0 duplicates stored once, 2 skipped;")
    shown = json.loads(invoke(runtime, "show", "a", "--index", tmp_path / "idx", "--json").stdout)
    assert shown["text"] == FIRST


@pytest.mark.parametrize("batch", [None, "1"])
def test_rule_holds_when_the_first_occurrence_is_already_indexed(tmp_path, runtime, batch):
    """The first copy is unchanged in the index: the later, different one must not replace it either."""
    data = tmp_path / "press.jsonl"
    data.write_text(json.dumps({"id": "a", "text": FIRST}) + "\n")
    assert invoke(runtime, "ingest", data, "--index", tmp_path / "idx").exit_code == 0
    data.write_text(json.dumps({"id": "a", "text": FIRST}) + "\n" + json.dumps({"id": "a", "text": SECOND}) + "\n")
    args = ["ingest", data, "--index", tmp_path / "idx"] + (["--batch", batch] if batch else [])
    result = invoke(runtime, *args)
    assert result.exit_code == 3 and "1 unchanged" in result.stdout and "1 skipped" in result.stdout
    assert json.loads(invoke(runtime, "show", "a", "--index", tmp_path / "idx", "--json").stdout)["text"] == FIRST


def test_library_rule_spans_batches(tmp_path, fake_embedder):
    store, report = build(tmp_path / "idx", [raw("a", FIRST), raw("b", OTHER), raw("a", SECOND)], fake_embedder, batch_passages=1)
    assert [(p.origin, p.reason) for p in report.problems] == [
        ("a.txt", "id 'a' was already read from a.txt; this later one is skipped (the first occurrence of an id is indexed)")]
    assert passages_by_doc(store) == {"a": [FIRST], "b": [OTHER]} and (report.added, report.updated) == (2, 0)


def test_a_first_occurrence_with_no_text_does_not_claim_the_id(tmp_path, fake_embedder):
    store, report = build(tmp_path / "idx", [raw("a", "Leave a Reply\n\nMost popular in 24h\n"), raw("a", SECOND)], fake_embedder)
    assert [p.reason for p in report.problems] == ["no text left after removing site debris; nothing to index"]
    assert passages_by_doc(store) == {"a": [SECOND]}
