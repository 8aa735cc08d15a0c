"""Who said it, end to end: said_by / role / whole-word speaker filters, questions read as asked, questions
kept out or ranked last, facets, and the attribution shown in the terminal and JSON."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from corpus.documents import RawDocument
from search import Index
from search.cli import app
from search.errors import InvalidQuery
from search.requests import build_request
from tests.builders import build, raw

MFA = "Ministry of Foreign Affairs of the People's Republic of China (fmprc.gov.cn)"
WH = "The White House, Briefing Room (whitehouse.gov)"
DOCS = [
    raw("mfa-1", "Q: What is your comment on the Selva river dam and Ukraine?\n\n"
                 "A: On Ukraine, we call for talks and a ceasefire. The Selva river dam is a matter for the basin states.",
        title="Press conference", source=MFA, speaker="Xi Lan", date="2031-03-04", lang="en"),
    raw("wh-1", "Q Will the President discuss Ukraine and the Selva river dam with China?\n\n"
                "MS. VARGA: The President will raise Ukraine with China. We want the Selva river dam talks to go on.\n\n"
                "Q Thank you.",
        title="Press Briefing by Press Secretary Maxine Varga", source=WH, speaker="Maxine Varga", date="2031-03-05", lang="en"),
    RawDocument("un-1", "First: Ukraine deserves peace. The Selva river dam must be shared by every riparian state.", "un-1.json",
                given={"title": "UN General Debate: statement by India", "source": "United Nations General Assembly, General Debate",
                       "speaker": "Ravi Dev", "date": "2031", "lang": "en"}, meta={"country_iso3": "IND"}),
]


@pytest.fixture
def idx(tmp_path, fake_embedder):
    build(tmp_path / "idx", DOCS, fake_embedder)[0].close()
    index = Index.open(tmp_path / "idx", embedder=fake_embedder)
    yield index
    index.close()


def _hits(results):
    return [(h.doc_id, h.role, h.speaker, h.actor) for h in results]


def test_said_by_takes_aliases_case_insensitively_and_never_returns_questions(idx):
    for name in ("china", "Beijing", "Chinese"):
        hits = idx.search("Selva river dam", mode="lexical", said_by=[name])
        assert _hits(hits) == [("mfa-1", "answer", "Xi Lan", "China")], name
    both = idx.search("Selva river dam", mode="lexical", said_by=["the US", "China"])
    assert {h.actor for h in both} == {"United States", "China"} and "question" not in {h.role for h in both}


def test_an_unknown_actor_is_refused_listing_the_known_ones(idx, runtime):
    with pytest.raises(InvalidQuery) as caught:
        build_request("dam", said_by=["Atlantis"])
    assert caught.value.fields == ("said_by",) and "'Atlantis': no such actor; known actors:" in str(caught.value)
    assert "China" in str(caught.value) and "United States" in str(caught.value)
    result = CliRunner().invoke(app, ["search", "dam", "--said-by", "Atlantis", "--index", str(idx.path)], obj=runtime)
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "--said-by 'Atlantis': no such actor; known actors:" in result.output and "Ukraine" in result.output


def test_role_filter_and_whole_word_speaker(idx):
    questions = idx.search("Selva river dam", mode="lexical", role=["question"])
    assert {h.role for h in questions} == {"question"} and {h.doc_id for h in questions} == {"mfa-1", "wh-1"}
    with pytest.raises(InvalidQuery, match="'reply' is not a role"):
        build_request("dam", role=["reply"])
    assert {h.speaker for h in idx.search("Ukraine", mode="lexical", speaker=["Xi"])} == {"Xi Lan"}  # not Maxine Varga
    assert {h.speaker for h in idx.search("Ukraine", mode="lexical", speaker=["varga"])} == {"Ms. Varga"}


def test_a_question_naming_an_actor_is_read_as_said_by_and_topic(idx):
    request = build_request("What did the US say about China?")
    assert (request.query, request.filters.said_by, request.interpretation) == (
        "China", ("United States",), "read as: said by United States \u00b7 about: China")
    results = idx.search("What did China say about Ukraine?", mode="lexical")
    data = results.as_dict()
    assert data["interpretation"] == "read as: said by China \u00b7 about: Ukraine" and data["query"] == "What did China say about Ukraine?"
    assert _hits(results) == [("mfa-1", "answer", "Xi Lan", "China")]
    literal = idx.search("What did China say about Ukraine?", mode="lexical", literal=True)
    assert literal.as_dict()["interpretation"] is None and len(literal) > 1


def test_without_an_actor_answers_and_statements_rank_above_questions(idx):
    roles = [h.role for h in idx.search("Ukraine Selva river dam", mode="lexical", per_doc=5)]
    assert "question" in roles and roles.index("question") == len(roles) - roles[::-1].count("question")
    assert all(r != "question" for r in roles[: roles.index("question")])


def test_bad_input_is_attributed_defined_way(idx):
    un = [h for h in idx.search("Ukraine peace", mode="lexical", said_by=["India"])]
    assert _hits(un) == [("un-1", "statement", "Ravi Dev", "India")]  # `First:` is no speaker label
    doc = idx.document("un-1")
    assert [p["role"] for p in doc["passages"]] == ["statement"]


def test_terminal_shows_reading_who_answering_and_facets(idx, runtime):
    result = CliRunner().invoke(app, ["search", "What did China say about Ukraine?", "--mode", "lexical", "--facets",
                                      "--index", str(idx.path)], obj=runtime)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "read as: said by China \u00b7 about: Ukraine" in out
    assert "who: Xi Lan (inferred) \u00b7 answer \u00b7 China (inferred)" in out
    assert "\u21b3 answering: Q: What is your comment on the Selva river dam and Ukraine?" in out
    assert "actor: China 1" in out and "role: answer 1" in out
    data = json.loads(CliRunner().invoke(app, ["search", "Selva river dam", "--mode", "lexical", "--json", "--index", str(idx.path)],
                                         obj=runtime).stdout)
    first = data["results"][0]
    assert {"speaker", "speaker_status", "role", "actor", "actor_status", "answers", "question"} <= set(first)
    roles = dict(map(tuple, data["facets"]["role"]))
    assert roles["question"] == 2 and roles["answer"] == 2 and sum(roles.values()) == len(
        json.loads(CliRunner().invoke(app, ["search", "Selva river dam", "--mode", "lexical", "--json", "-k", "50", "--per-doc", "9",
                                            "--index", str(idx.path)], obj=runtime).stdout)["results"])


def test_web_api_and_page_carry_the_reading_the_attribution_and_facets(idx):
    from fastapi.testclient import TestClient

    from search.web.app import create_app

    client = TestClient(create_app(idx, allowed_hosts=["testserver"]))
    data = client.get("/api/search", params={"q": "What did China say about Ukraine?", "mode": "lexical"}).json()
    assert data["interpretation"] == "read as: said by China \u00b7 about: Ukraine" and data["filters"]["said_by"] == ["China"]
    assert [(r["doc_id"], r["role"], r["actor"]) for r in data["results"]] == [("mfa-1", "answer", "China")]
    assert data["results"][0]["question"].startswith("Q: What is your comment") and data["facets"]["actor"] == [["China", 1]]
    refused = client.get("/api/search", params={"q": "dam", "said_by": "Atlantis"})
    assert refused.status_code == 400 and "said_by 'Atlantis': no such actor; known actors: ASEAN" in refused.text
    assert "Said by &#39;Atlantis&#39;: no such actor" in client.get("/", params={"q": "dam", "said_by": "Atlantis"}).text
    questions = client.get("/api/search", params={"q": "Selva river dam", "mode": "lexical", "role": "question"}).json()
    assert {r["role"] for r in questions["results"]} == {"question"}
    page = client.get("/", params={"q": "What did China say about Ukraine?", "mode": "lexical"}).text
    assert "read as: said by China \u00b7 about: Ukraine" in page and "\u21b3 answering: Q: What is your comment" in page
    assert '<span class="role">answer</span>' in page and '<b>actor</b>' in page
    doc = client.get("/doc/mfa-1").text
    assert '<span class="role">question</span>' in doc and "answering" in doc


def test_a_snippet_never_cuts_off_the_speaker_label():
    from search.highlight import highlight_spans, snippet

    text = "Lena Varg: " + "We have said this many times before today. " * 12 + "The Selva river dam is shared."
    shown, spans = snippet(text, highlight_spans(text, "Selva river dam"))
    assert shown.startswith("Lena Varg: \u2026") and [shown[a:b] for a, b in spans] == ["Selva", "river", "dam"]
    plain = "No label here " * 30 + "Selva river dam."
    assert snippet(plain, highlight_spans(plain, "Selva"))[0].startswith("\u2026")


def test_fold_and_talking_points_leave_questions_out_unless_asked(idx):
    folded = idx.search("Selva river dam", mode="lexical", per_doc=5, fold=True)
    assert folded and "question" not in {h.role for h in folded}
    asked = idx.search("Selva river dam", mode="lexical", per_doc=5, fold=True, role=["question"])
    assert {h.role for h in asked} == {"question"}


ASKED = "Will the basin commission publish the new water quotas for every riparian state before the dry season begins?"
SAID = "Both governments must respect the sovereignty of every riparian state and refrain from interference in their affairs."


def test_talking_points_leave_journalists_questions_out(tmp_path, fake_embedder):
    docs = [raw(f"mfa-{i}", f"Q: {ASKED}\n\nA: {SAID} We said so on day {i}.", title="Press conference", source=MFA, speaker="Xi Lan", date=f"2031-03-0{i}",
                lang="en") for i in (1, 2, 3)]
    build(tmp_path / "tp", docs, fake_embedder)[0].close()
    with Index.open(tmp_path / "tp", embedder=fake_embedder) as index:
        points = [tp.representative for tp in index.talking_points()]
        assert any(SAID[:40] in p for p in points) and not any("water quotas" in p for p in points)
        # Questions are not split into talking-point sentences at all (search/talking_points: the turn parser
        # keeps them out), so asking for role=question finds no question talking point either.
        assert not any("water quotas" in tp.representative for tp in index.talking_points(role=["question"]))


def test_unlabelled_text_and_unsourced_quotes_get_defined_roles(tmp_path, fake_embedder):
    docs = [raw("plain", "The ministry regrets the decision on the Selva dam. Talks will continue next week.",
                source=MFA, speaker="Xi Lan", lang="en"),
            raw("quote", 'The harbour stayed shut on Monday. "We will not reopen until the dam is safe," a sign read.',
                source="Tarn Daily", lang="en")]
    store, _ = build(tmp_path / "i2", docs, fake_embedder)
    from index.passage_queries import all_passage_views

    views = {v.doc_id: [] for v in all_passage_views(store.db.conn)}
    for v in all_passage_views(store.db.conn):
        views[v.doc_id].append((v.role, v.speaker, v.actor))
    assert views["plain"] == [("statement", "Xi Lan", "China")]  # no labels: one statement by the document's speaker
    assert ("quote", None, None) in views["quote"] and ("narration", "Tarn Daily", None) in views["quote"]
