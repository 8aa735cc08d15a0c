"""Who said it, in trends and formulas: with said_by (or role, speaker) a document counts when a passage said by
that actor matches, not when the actor merely speaks somewhere in a document that holds the words."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from search.cli import app
from search.formulas import find_formulas
from search.formulas.trend import trend
from search.requests import build_filters
from tests.builders import build, raw

MFA = "Ministry of Foreign Affairs of the People's Republic of China (fmprc.gov.cn)"
WH = "The White House, Briefing Room (whitehouse.gov)"
PAD = ("The delegation travelled by train across the northern plains and inspected the new harbour. "
       "Several agreements on fisheries were signed during the visit, and a bridge was opened. ")
CALM = "lasting calm across the Emmer strait"


def wh(doc_id, date, china, us):
    text = (f"PRESIDENT KORAN: Welcome to the joint press conference. {PAD}\n\n"
            f"FOREIGN MINISTER WANG YI: {PAD}{china} {PAD}\n\nPRESIDENT KORAN: {PAD}{us} {PAD}{PAD}")
    return raw(doc_id, text, title="Joint press conference", source=WH, speaker="Koran", date=date, lang="en")


def mfa(doc_id, date, answer):
    return raw(doc_id, f"A: {PAD}{answer} {PAD}{PAD}", title="Press conference", source=MFA, speaker="Xi Lan", date=date, lang="en")


DOCS = [
    mfa("m1", "2031-01-05", f"We firmly oppose Taiwan independence and want {CALM}."),  # China says both
    raw("w1", f"MS. VARGA: {PAD}We do not support Taiwan independence, and we want {CALM}. {PAD}{PAD}", source=WH, speaker="Maxine Varga",
        date="2031-01-07", lang="en", title="Press briefing"),  # the United States only
    wh("w2", "2031-02-07", f"China firmly opposes Taiwan independence and hopes for {CALM}.", "We discussed Taiwan independence at length."),
    wh("w3", "2031-02-20", "China welcomes more trade in grain.", f"We oppose Taiwan independence and seek {CALM}."),  # China speaks, not these words
    mfa("m3", "2031-03-03", "The grain harvest was good this year."),
]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from tests.fakes import FakeEmbedder

    store, _ = build(tmp_path_factory.mktemp("said") / "idx", DOCS, FakeEmbedder())
    yield store
    store.close()


def sql_counts(store, phrase, actor=None):
    """Documents per month with a passage matching `phrase` (and said by `actor`), straight from the tables."""
    rows = store.db.conn.execute(
        """SELECT substr(d.date, 1, 7), count(DISTINCT d.doc_id) FROM passages_fts JOIN passages p ON p.passage_id = passages_fts.rowid
           JOIN documents d ON d.doc_id = p.doc_id WHERE passages_fts MATCH ? AND (? IS NULL OR p.actor = ?) GROUP BY 1 ORDER BY 1""",
        (phrase, actor, actor)).fetchall()
    return dict(rows)


def test_the_fixture_attributes_as_the_test_assumes(store):
    actors = {(r[0], r[1]) for r in store.db.conn.execute("SELECT doc_id, actor FROM passages WHERE actor IS NOT NULL")}
    assert {d for d, a in actors if a == "China"} == {"m1", "m3", "w2", "w3"}
    assert {d for d, a in actors if a == "United States"} == {"w1", "w2", "w3"}


def test_trend_said_by_counts_documents_whose_matching_passage_is_that_actors(store):
    china = trend(store, "Taiwan independence", build_filters(said_by=["China"]))
    got = {r["period"]: r["matches"] for r in china.series if r["matches"]}
    assert got == sql_counts(store, '"Taiwan independence"', "China") == {"2031-01": 1, "2031-02": 1}  # m1; w2 (not w3)
    assert [(r["period"], r["matches"], r["documents"]) for r in china.series] == [("2031-01", 1, 1), ("2031-02", 1, 2), ("2031-03", 0, 1)]
    # the volume is the documents in which China speaks: m1 in January, w2 and w3 in February, m3 in March
    everyone = trend(store, "Taiwan independence")
    assert {r["period"]: r["matches"] for r in everyone.series if r["matches"]} == sql_counts(store, '"Taiwan independence"') \
        == {"2031-01": 2, "2031-02": 2}
    us = trend(store, "Taiwan independence", build_filters(said_by=["the US"]))
    assert {r["period"]: r["matches"] for r in us.series if r["matches"]} == sql_counts(store, '"Taiwan independence"', "United States") \
        == {"2031-01": 1, "2031-02": 2}
    assert trend(store, "grain harvest", build_filters(said_by=["US"])).series == []


def test_trend_cli_takes_said_by_and_role(store, runtime):
    run = lambda *args: CliRunner().invoke(app, ["trend", "Taiwan independence", "--index", str(store.folder), *args], obj=runtime)
    data = json.loads(run("--said-by", "China", "--json").output)
    assert data["filters"]["said_by"] == ["China"]
    assert [(r["period"], r["matches"], r["documents"]) for r in data["series"]] == [("2031-01", 1, 1), ("2031-02", 1, 2), ("2031-03", 0, 1)]
    text = run("--said-by", "Beijing", "--period", "quarter").output
    assert "2031-Q1" in text and "2 / 4" in text
    assert json.loads(run("--role", "question", "--json").output)["series"] == []
    bad = run("--said-by", "Atlantis")
    assert bad.exit_code == 1 and "--said-by 'Atlantis': no such actor" in bad.output


def test_formulas_said_by_count_only_that_actors_passages(store):
    def calm(filters=None):
        found = find_formulas(store, filters, limit=20)
        return next((f.documents for f in found if "emmer strait" in f.text.lower()), [])

    assert calm() == ["m1", "w1", "w2", "w3"]
    assert calm(build_filters(said_by=["China"])) == ["m1", "w2"]  # w3: China speaks there, but the US says it
    assert calm(build_filters(said_by=["United States"])) == ["w1", "w3"]


def test_web_trend_api_and_talking_points_take_said_by(store):
    from fastapi.testclient import TestClient

    from search.web.app import create_app

    client = TestClient(create_app(store, None, allowed_hosts=["testserver"]))
    response = client.get("/api/trend", params={"q": "Taiwan independence", "said_by": "China"})
    assert response.status_code == 200, response.text
    data = response.json()
    assert [(r["period"], r["matches"]) for r in data["series"]] == [("2031-01", 1), ("2031-02", 1), ("2031-03", 0)]
    assert client.get("/api/trend", params={"q": "Taiwan independence", "period": "week"}).status_code == 422
    items = client.get("/api/talking-points", params={"kind": "phrase", "said_by": "China"}).json()["items"]
    calm = next(i for i in items if "emmer strait" in i["text"].lower())
    assert calm["documents"] == ["m1", "w2"]
    html = client.get("/talking-points", params={"kind": "phrase", "said_by": "China"}).text
    assert 'name="said_by" value="China"' in html
    section = html[html.lower().index("emmer strait"):]
    assert "2 documents" in section[:400]
    bad = client.get("/talking-points", params={"kind": "phrase", "said_by": "Atlantis"})
    assert bad.status_code in (400, 422) and "no such actor" in bad.text


def test_trend_said_by_on_passages_stored_before_attribution_names_the_fix(tmp_path):
    """Passages without attribution have no actor, so said_by matches none of them: say so, and name the command."""
    from tests.fakes import FakeEmbedder

    store, _ = build(tmp_path / "idx", DOCS, FakeEmbedder())
    with store.db.conn:
        store.db.conn.execute("UPDATE passages SET speaker = NULL, speaker_status = NULL, role = NULL, actor = NULL, "
                              "actor_status = NULL WHERE doc_id = 'm1'")
    n = store.db.conn.execute("SELECT count(*) FROM passages WHERE doc_id = 'm1'").fetchone()[0]
    result = trend(store, "Taiwan independence", build_filters(said_by=["China"]))
    assert result.notes == [f"{n} passages were indexed before speaker attribution and have no speaker, role or actor of "
                            "their own: run `dipsearch attribute` on this index to add them"]
    assert trend(store, "Taiwan independence").notes == []  # without who-said filters nothing is hidden
    store.close()
    out = CliRunner().invoke(app, ["trend", "Taiwan independence", "--said-by", "China", "--index", str(tmp_path / "idx")])
    assert out.exit_code == 0, out.output
    assert "note: " in out.output and "run `dipsearch attribute` on this index" in " ".join(out.output.split())
