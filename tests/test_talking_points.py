"""Talking points: both signals, filters, similar, folding in search, refresh after a second ingest.

The documents are short texts of our own about invented states. FakeEmbedder is a bag of stemmed
words, so a sentence whose content words are reordered and regrouped (no shared 5-gram) is a
"paraphrase" only the semantic signal can see; the real-model test in test_talking_points_model.py
covers paraphrase with other words.
"""
from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from search.cli import app

VERBATIM = "Both governments must respect the sovereignty of every riparian state and refrain from interference in their domestic affairs."
PARAPHRASE_A = "Fishing quotas for northern waters should be settled through patient negotiation between coastal states."
PARAPHRASE_B = "Between coastal states, patient negotiation should settle northern waters fishing quotas."
EMBEDDED = "Speaking after the talks, the chancellor said: " + VERBATIM  # the formula inside a longer sentence
UNRELATED_A = "The delegation toured the harbour museum in the capital during a mild spring afternoon."
UNRELATED_B = "The capital museum reopened its harbour wing after repairs that lasted through the winter."

DOCS = [
    {"id": "vel-2019-03", "date": "2019-03-04", "source": "Velorian Foreign Ministry", "speaker": "Anna Berg", "title": "Press briefing",
     "text": f"{VERBATIM} {UNRELATED_A}\n\n{PARAPHRASE_A} The minister will travel to Kestrand next week."},
    {"id": "kes-2019-09", "date": "2019-09-20", "source": "Kestrand State Chancellery", "speaker": "Olaf Trent", "title": "Joint statement",
     "text": f"{EMBEDDED}\n\n{PARAPHRASE_B} {UNRELATED_B}"},
    {"id": "vel-2020-06", "date": "2020-06-11", "source": "Velorian Foreign Ministry", "speaker": "Carl Dune", "title": "Interview",
     "text": "The new railway bridge over the border river will open to freight traffic before the autumn harvest season."},
]
THIRD = {"id": "tor-2021-01", "date": "2021-01-15", "source": "Torvane News Agency", "speaker": None, "title": "Envoy speech",
         "text": f"The envoy repeated that {VERBATIM[0].lower()}{VERBATIM[1:]} Grain shipments resumed along the eastern canal in January."}


def write(path, docs):
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return path


@pytest.fixture
def index(tmp_path, runtime):
    folder = tmp_path / "idx"
    result = CliRunner().invoke(app, ["ingest", str(write(tmp_path / "docs.jsonl", DOCS)), "--index", str(folder)], obj=runtime)
    assert result.exit_code == 0, result.output
    return folder


def points(runtime, index, *args):
    result = CliRunner().invoke(app, ["talking-points", "--index", str(index), "--json", *args], obj=runtime)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)["talking_points"]


def member_set(cluster):
    return sorted((m["doc_id"], m["sentence"]) for m in cluster["members"])


def test_verbatim_and_paraphrase_are_found_and_unrelated_sentences_are_not(runtime, index):
    found = points(runtime, index)
    assert [member_set(c) for c in found] == [
        [("kes-2019-09", EMBEDDED), ("vel-2019-03", VERBATIM)],
        [("kes-2019-09", PARAPHRASE_B), ("vel-2019-03", PARAPHRASE_A)],
    ] or [member_set(c) for c in found] == [
        [("kes-2019-09", PARAPHRASE_B), ("vel-2019-03", PARAPHRASE_A)],
        [("kes-2019-09", EMBEDDED), ("vel-2019-03", VERBATIM)],
    ]
    verbatim = next(c for c in found if c["representative"] == VERBATIM)
    assert (verbatim["n_documents"], verbatim["n_sources"], verbatim["first_seen"], verbatim["last_seen"]) == (2, 2, "2019-03-04", "2019-09-20")
    assert {m["speaker"] for m in verbatim["members"]} == {"Anna Berg", "Olaf Trent"}
    assert all(UNRELATED_A not in m["sentence"] and UNRELATED_B not in m["sentence"] for c in found for m in c["members"])


def test_each_signal_alone(runtime, index):
    # Without the semantic edge (cosine 1.0 is out of reach for different wordings) only the lexical reuse is left.
    lexical_only = points(runtime, index, "--semantic-threshold", "1.0")
    assert [member_set(c) for c in lexical_only] == [[("kes-2019-09", EMBEDDED), ("vel-2019-03", VERBATIM)]]
    # containment is measured on the shorter sentence: a formula quoted whole inside a longer one still matches at 1.0
    assert [member_set(c) for c in points(runtime, index, "--lexical-threshold", "1.0", "--semantic-threshold", "1.0")] == [
        [("kes-2019-09", EMBEDDED), ("vel-2019-03", VERBATIM)]]
    # the paraphrase shares no word 5-gram at all: only the semantic signal can have joined it
    from search.talking_points.similar import containment

    assert containment(PARAPHRASE_A, PARAPHRASE_B) == 0.0
    # the guard: a paraphrase edge needs shared content words; all of them is too strict ("settled" vs "settle")
    assert [("kes-2019-09", PARAPHRASE_B), ("vel-2019-03", PARAPHRASE_A)] not in [
        member_set(c) for c in points(runtime, index, "--overlap-guard", "1.0")]


def test_filters_and_min_docs(runtime, index):
    assert points(runtime, index, "--since", "2019-06") == []  # only one document left per cluster
    assert points(runtime, index, "--source", "Kestrand") == []
    assert len(points(runtime, index, "--speaker", "Berg", "--speaker", "Trent")) == 2
    assert points(runtime, index, "--min-docs", "3") == []
    on_topic = points(runtime, index, "--query", "fishing quotas")
    assert [c["representative"] for c in on_topic] in ([PARAPHRASE_A], [PARAPHRASE_B])


def test_csv_and_terminal_view(runtime, index, tmp_path):
    out = tmp_path / "points.csv"
    result = CliRunner().invoke(app, ["talking-points", "--index", str(index), "--csv", str(out)], obj=runtime)
    assert result.exit_code == 0, result.output
    assert "2 documents" in result.output and "2019-03-04 \u2192 2019-09-20" in result.output
    rows = [r for r in csv.DictReader(out.open(encoding="utf-8")) if r["kind"] == "sentence"]  # phrase rows beside them (issue 13)
    assert len(rows) == 4 and {r["doc_id"] for r in rows} == {"vel-2019-03", "kes-2019-09"}


def test_second_ingest_refreshes_stored_clusters_and_embeds_only_new_sentences(runtime, index, tmp_path, fake_embedder):
    from index.store import IndexStore

    points(runtime, index)  # computes and stores the clusters
    store = IndexStore.open(index)
    wordings_before = store.db.conn.execute("SELECT count(*) FROM tp_texts").fetchone()[0]
    store.close()
    result = CliRunner().invoke(app, ["ingest", str(write(tmp_path / "more.jsonl", [THIRD])), "--index", str(index), "--json"], obj=runtime)
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)["talking_points"]
    assert report["wordings_embedded"] == 2  # the new envoy sentence (other words around the formula) and the grain sentence
    store = IndexStore.open(index)
    assert store.db.conn.execute("SELECT count(*) FROM tp_texts").fetchone()[0] == wordings_before + 2
    calls = fake_embedder.calls
    found = points(runtime, index)
    assert fake_embedder.calls == calls  # fresh: nothing recomputed, no model needed
    verbatim = next(c for c in found if VERBATIM in c["representative"])
    assert verbatim["documents"] == ["kes-2019-09", "tor-2021-01", "vel-2019-03"]
    assert verbatim["last_seen"] == "2021-01-15" and found[0]["cluster_id"] == verbatim["cluster_id"]  # widest spread first


def test_removing_a_document_drops_it_from_its_talking_point(runtime, index):
    points(runtime, index)
    assert CliRunner().invoke(app, ["remove", "kes-2019-09", "--index", str(index)], obj=runtime).exit_code == 0
    assert points(runtime, index) == []


def test_similar_by_passage_and_by_text(runtime, index):
    from index.store import IndexStore

    store = IndexStore.open(index)
    pid = store.db.passages_of("vel-2019-03")[0]["passage_id"]
    result = CliRunner().invoke(app, ["similar", str(pid), "--index", str(index), "--json", "-k", "1"], obj=runtime)
    assert result.exit_code == 0, result.output
    [hit] = json.loads(result.output)["results"]
    assert hit["doc_id"] == "kes-2019-09" and hit["ngram_containment"] > 0.5
    assert {"sovereignty", "riparian", "interference"} <= set(hit["shared_words"])
    shown = [hit["text"][s:e].lower() for s, e in hit["highlights"]]
    assert "riparian" in shown and "the" not in shown
    result = CliRunner().invoke(app, ["similar", "--text", "railway bridge freight traffic", "--index", str(index), "--json", "-k", "1"], obj=runtime)
    assert json.loads(result.output)["results"][0]["doc_id"] == "vel-2020-06"
    missing = CliRunner().invoke(app, ["similar", "999999", "--index", str(index)], obj=runtime)
    assert missing.exit_code == 1 and "no passage with id 999999" in missing.output


def test_search_says_when_a_passage_is_a_talking_point_and_folds_repeats(runtime, index):
    points(runtime, index)
    args = ["search", "riparian sovereignty interference", "--index", str(index), "--mode", "lexical", "--json"]
    plain = json.loads(CliRunner().invoke(app, args, obj=runtime).output)["results"]
    assert [h["doc_id"] for h in plain] == ["vel-2019-03", "kes-2019-09"] or [h["doc_id"] for h in plain] == ["kes-2019-09", "vel-2019-03"]
    assert all(h["talking_point"]["other_documents"] == 1 for h in plain)
    assert plain[0]["talking_point"]["first"] == "2019-03-04" and plain[0]["talking_point"]["last"] == "2019-09-20"
    folded = json.loads(CliRunner().invoke(app, args + ["--fold"], obj=runtime).output)["results"]
    assert len(folded) == 1 and folded[0]["folded"] == [plain[1]["passage_id"]]
    view = CliRunner().invoke(app, ["search", "riparian sovereignty interference", "--index", str(index), "--mode", "lexical", "--fold"], obj=runtime).output
    assert "also said in 1 other document, 2019-03 \u2192 2019-09" in view and "+1 near-duplicate folded" in view


def test_bad_options_are_named_errors(runtime, index):
    result = CliRunner().invoke(app, ["talking-points", "--index", str(index), "--min-docs", "1"], obj=runtime)
    assert result.exit_code == 1 and "at least 2 documents" in result.output
    result = CliRunner().invoke(app, ["talking-points", "--index", str(index), "--semantic-threshold", "1.5"], obj=runtime)
    assert result.exit_code == 1 and "--semantic-threshold" in result.output
    result = CliRunner().invoke(app, ["similar", "--index", str(index)], obj=runtime)
    assert result.exit_code == 1 and "PASSAGE_ID" in result.output


def test_sentences_drop_quotes_and_turn_labels():
    from search.talking_points.sentences import passage_sentences

    text = 'Q: Will the two ministers discuss the river treaty next week? A: "The two ministers will review every clause of the river treaty."'
    got = [(s.text, text[s.char_start:s.char_end]) for s in passage_sentences(7, text)]
    assert [g[0] for g in got] == ["Will the two ministers discuss the river treaty next week?",
                                   "The two ministers will review every clause of the river treaty."]
    assert all(a == b for a, b in got)  # spans point at the same text in the passage


def test_lexical_only_clusters_need_no_model_and_a_later_run_adds_the_vectors(runtime, index):
    from search.cli.app import Runtime

    def no_model(source):
        raise AssertionError("a lexical-only run must not load a model")

    result = CliRunner().invoke(app, ["talking-points", "--index", str(index), "--json", "--kind", "sentence", "--lexical-only"],
                                obj=Runtime(load_embedder=no_model))
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)["talking_points"]
    assert [member_set(c) for c in found] == [[("kes-2019-09", EMBEDDED), ("vel-2019-03", VERBATIM)]]  # no paraphrase without vectors
    assert found[0]["representative"] in (VERBATIM, EMBEDDED)
    assert sorted(m["similarity"] for m in found[0]["members"]) == [1.0, 1.0]  # containment with the centre: the formula is whole in both
    both = points(runtime, index)  # with the model: the stored wordings get their vectors, the paraphrase joins
    assert len(both) == 2
