"""Output files never overwrite the index's own files, nor an existing file without --force. (Before,
`talking-points --csv INDEX/dipsearch.sqlite` replaced the database with a CSV and exited 0.)"""
from __future__ import annotations

import json
import os

import pytest

from index.outputs import EXISTS, IN_INDEX, IS_FOLDER, OutputRefused, safe_output_folder, safe_output_path
from tests.evalset_fixtures import build_index
from tests.cli_invoke import invoke




@pytest.fixture
def index(tmp_path, fake_embedder):
    build_index(tmp_path / "idx", fake_embedder).close()
    return tmp_path / "idx"


def test_library_rule(tmp_path, index):
    db = index / "dipsearch.sqlite"
    for path in (db, index / "manifest.json", index / "new.csv", index, tmp_path / "idx" / "." / "dipsearch.sqlite"):
        with pytest.raises(OutputRefused) as refused:
            safe_output_path(path, index, force=True)
        assert refused.value.kind == IN_INDEX
    link = tmp_path / "db-link.csv"
    os.link(db, link)  # the same file under another name
    with pytest.raises(OutputRefused, match="among the index's own files"):
        safe_output_path(link, index, force=True)
    existing = tmp_path / "points.csv"
    existing.write_text("old")
    with pytest.raises(OutputRefused) as refused:
        safe_output_path(existing, index)
    assert refused.value.kind == EXISTS and str(refused.value) == (
        f"output {existing} already exists; nothing was written (overwrite it with force=True, or choose another path)")
    assert safe_output_path(existing, index, force=True) == existing
    assert safe_output_path(tmp_path / "fresh.csv", index) == tmp_path / "fresh.csv"
    with pytest.raises(OutputRefused) as refused:
        safe_output_path(tmp_path, index, force=True)
    assert refused.value.kind == IS_FOLDER
    (index / "eval-runs").mkdir(exist_ok=True)
    assert safe_output_path(index / "eval-runs" / "x.csv", index) == index / "eval-runs" / "x.csv"  # below the top level
    with pytest.raises(OutputRefused):
        safe_output_folder(index, ["corpus.jsonl"], index, force=True)


def test_talking_points_csv_refuses_the_database_even_with_force(index, runtime):
    db = index / "dipsearch.sqlite"
    before = db.read_bytes()
    for extra in ([], ["--force"]):
        result = invoke(runtime, "talking-points", "--csv", db, "--index", index, *extra)
        assert result.exit_code == 1
        assert result.stderr.strip() == (f"error: --csv {db} would be written among the index's own files in {index}; "
                                         "nothing was written, choose a path outside the index folder")
    assert db.read_bytes() == before
    assert json.loads(invoke(runtime, "stats", "--index", index, "--json").stdout)["documents"] > 0


@pytest.mark.parametrize("command", [["talking-points"], ["similar", "1"]])
def test_csv_outputs_need_force_to_overwrite(tmp_path, index, runtime, command):
    out = tmp_path / "out.csv"
    out.write_text("keep me")
    refused = invoke(runtime, *command, "--csv", out, "--index", index)
    assert refused.exit_code == 1 and out.read_text() == "keep me"
    assert refused.stderr.strip() == f"error: --csv {out} already exists; nothing was written (overwrite it with --force, or choose another path)"
    forced = invoke(runtime, *command, "--csv", out, "--index", index, "--force")
    assert forced.exit_code == 0, forced.output
    assert out.read_text().split("\n", 1)[0].split(",")[:2] in (["kind", "rank"], ["rank", "passage_id"])  # talking points (both kinds) or similar


def test_evalset_export_output_file_and_beir_folder(tmp_path, index, runtime):
    assert invoke(runtime, "evalset", "from-qa", "--name", "qa", "--index", index).exit_code == 0
    manifest = index / "manifest.json"
    before = manifest.read_bytes()
    into_index = invoke(runtime, "evalset", "export", "qa", "--output", manifest, "--force", "--index", index)
    assert into_index.exit_code == 1 and "would be written among the index's own files" in into_index.stderr
    assert manifest.read_bytes() == before
    beir_into_index = invoke(runtime, "evalset", "export", "qa", "--format", "beir", "--output", index, "--index", index)
    assert beir_into_index.exit_code == 1 and not (index / "corpus.jsonl").exists()
    out = tmp_path / "qrels.txt"
    assert invoke(runtime, "evalset", "export", "qa", "--output", out, "--index", index).exit_code == 0
    again = invoke(runtime, "evalset", "export", "qa", "--output", out, "--index", index)
    assert again.exit_code == 1 and f"--output {out} already exists" in again.stderr
    assert invoke(runtime, "evalset", "export", "qa", "--output", out, "--index", index, "--force").exit_code == 0
    beir = tmp_path / "beir"
    assert invoke(runtime, "evalset", "export", "qa", "--format", "beir", "--output", beir, "--index", index).exit_code == 0
    twice = invoke(runtime, "evalset", "export", "qa", "--format", "beir", "--output", beir, "--index", index)
    assert twice.exit_code == 1 and f"--output {beir / 'corpus.jsonl'} already exists" in twice.stderr
    assert invoke(runtime, "evalset", "export", "qa", "--format", "beir", "--output", beir, "--index", index, "--force").exit_code == 0
