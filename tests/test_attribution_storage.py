"""Attribution stored per passage at ingest; indexes built before it get it from `dipsearch attribute`, ids kept."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from index.passage_queries import all_passage_views, unattributed_count
from index.store import IndexStore
from search.cli import app
from search.retrieval import SearchRequest, search
from tests.builders import build, raw

BRIEFING = ("Q: Will Ostravia close the Tarn strait to Valdorian ships this winter?\n\n"
            "A: Ostravia has no plan to close the strait. Navigation stays open to all.\n\n"
            "Reuters: What about the river quotas?\n\n"
            "Lena Varg: The river quotas are set by the basin commission, as before.")
DOCS = [
    raw("ost-1", BRIEFING, title="Regular press conference", source="Ostravian Foreign Ministry", speaker="Lena Varg",
        date="2031-03-04", lang="en"),
    raw("news-1", "The harbour reopened on Monday after the storm. Dock workers cleared the debris.", source="Tarn Daily",
        date="2031-03-05", lang="en"),
]


def _views(store):
    return {(v.doc_id, v.ordinal): v for v in all_passage_views(store.db.conn)}


def test_ingest_stores_each_turn_as_its_own_attributed_passage(tmp_path, fake_embedder):
    store, _ = build(tmp_path / "idx", DOCS, fake_embedder)
    views = [v for v in all_passage_views(store.db.conn) if v.doc_id == "ost-1"]
    assert [(v.role, v.speaker) for v in views] == [("question", None), ("answer", "Lena Varg"), ("question", "Reuters"),
                                                    ("answer", "Lena Varg")]
    assert [v.text.split()[0] for v in views] == ["Q:", "A:", "Reuters:", "Lena"]  # a passage never spans two turns
    assert views[1].answers == 0 and views[1].question.startswith("Q: Will Ostravia close")
    assert views[3].answers == 2 and views[0].answers is None
    assert views[1].doc_speaker == "Lena Varg" and views[0].actor is None
    assert unattributed_count(store.db.conn) == 0


def _unattribute(store):
    with store.db.transaction() as conn:
        conn.execute("UPDATE passages SET speaker = NULL, speaker_status = NULL, role = NULL, actor = NULL, actor_status = NULL, "
                     "answers_passage = NULL")


def test_an_index_made_before_attribution_gets_a_note_and_one_command_fills_it_keeping_ids(tmp_path, fake_embedder):
    store, _ = build(tmp_path / "idx", DOCS, fake_embedder)
    attributed = {k: (v.passage_id, v.role, v.speaker, v.actor, v.answers) for k, v in _views(store).items()}
    _unattribute(store)
    views = _views(store)
    assert {v.role for v in views.values()} == {None} and views[("ost-1", 0)].speaker == "Lena Varg"  # the document's, as before
    response = search(store, fake_embedder, SearchRequest("river quotas", mode="lexical"))
    assert [n for n in response.notes if "dipsearch attribute" in n] == [
        "5 passages were indexed before speaker attribution and have no speaker, role or actor of their own: run `dipsearch "
        "attribute` on this index to add them"]
    store.close()

    result = CliRunner().invoke(app, ["attribute", "--index", str(tmp_path / "idx"), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"index": str(tmp_path / "idx"), "documents": 2, "passages": 5, "mixed": 0}
    store = IndexStore.open(tmp_path / "idx")
    assert {k: (v.passage_id, v.role, v.speaker, v.actor, v.answers) for k, v in _views(store).items()} == attributed
    assert not [n for n in search(store, fake_embedder, SearchRequest("river quotas", mode="lexical")).notes if "attribute" in n]
    again = CliRunner().invoke(app, ["attribute", "--index", str(tmp_path / "idx")])
    assert again.exit_code == 0 and "0 passages of 0 documents attributed." in again.output


def test_a_stored_passage_across_two_turns_is_marked_mixed(tmp_path, fake_embedder):
    store, _ = build(tmp_path / "idx", DOCS[:1], fake_embedder)
    _unattribute(store)
    with store.db.transaction() as conn:  # as the old chunker did: the question and its answer in one passage
        first, second = conn.execute("SELECT passage_id, char_start, char_end FROM passages WHERE doc_id = 'ost-1' ORDER BY ordinal").fetchall()[:2]
        conn.execute("UPDATE passages SET char_end = ? WHERE passage_id = ?", (second[2], first[0]))
    from index.attribute_existing import attribute_stored
    from index.ingest import index_actors

    report = attribute_stored(store.db, index_actors(store))
    assert (report.documents, report.passages, report.mixed) == (1, 4, 1)
    view = _views(store)[("ost-1", 0)]
    assert (view.role, view.speaker, view.actor) == ("mixed", None, None)
