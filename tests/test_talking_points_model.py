"""Talking points with the real model: the seed reports' shared formulas, and a paraphrase in other words."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from search.cli import app
from tests.conftest import shared_corpus

pytestmark = pytest.mark.model

CONDEMN_A = "The ministry strongly condemns the missile launch and calls on all parties to exercise restraint."
CONDEMN_B = "The missile launch is strongly condemned by the ministry, which urges every party to show restraint."
UNRELATED = "The harbour museum of the northern capital reopened last spring after two years of restoration work."


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    seeds = shared_corpus("seeds")
    folder = tmp_path_factory.mktemp("tp-model") / "idx"
    own = tmp_path_factory.mktemp("tp-own") / "own.jsonl"
    own.write_text(
        json.dumps({"id": "own-a", "date": "2030-01-02", "source": "Velorian Foreign Ministry", "text": f"{CONDEMN_A} {UNRELATED}"}) + "\n"
        + json.dumps({"id": "own-b", "date": "2030-01-03", "source": "Kestrand Chancellery", "text": f"{CONDEMN_B} The talks resume on Monday."}) + "\n",
        encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", str(seeds), str(own), "--index", str(folder), "--talking-points", "--json"])
    assert result.exit_code == 0, result.output
    return folder


def clusters(index, *args):
    result = CliRunner().invoke(app, ["talking-points", "--index", str(index), "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["talking_points"]


def test_seed_formulas_and_paraphrase_are_the_talking_points(index):
    found = clusters(index)
    def having(phrase):
        return [c for c in found if all(phrase in m["sentence"].replace("\u2019", "'") for m in c["members"])]
    # the two formulas the issue names, each shared by two different seed reports
    [security_council] = having("permanent members of the UN Security Council and the world's two")
    [core_interests] = having("core interests and major concerns")
    assert security_council["n_documents"] == 2 and core_interests["n_documents"] == 2
    # a paraphrase in other words, found by the semantic signal alone (no shared 5-gram)
    [condemn] = [c for c in found if {m["doc_id"] for m in c["members"]} == {"own-a", "own-b"}]
    assert sorted(m["sentence"] for m in condemn["members"]) == sorted([CONDEMN_A, CONDEMN_B])
    # and nothing else: unrelated sentences of the seeds (same topic: China-US relations) stay apart
    assert len(found) == 3
    assert all(UNRELATED not in m["sentence"] for c in found for m in c["members"])
