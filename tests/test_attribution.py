"""attribute(doc): transcripts, statements and reports become spans with one speaker/role/actor; passages are cut
inside spans and carry them."""
from __future__ import annotations

import json

import pytest

from corpus.actors import load_actors
from corpus.attribution import attribute
from corpus.chunking import chunk
from corpus.documents import RawDocument
from corpus.prepare import prepare
from corpus.roles import ANSWER, NARRATION, PROCEDURAL, QUESTION, STATEMENT
from corpus.span_chunking import chunk_spans
from tests.evalset_fixtures import NAMED_STYLE, QA_STYLE, SOURCE, SPOKESPERSON, STATEMENT as STATEMENT_TEXT, text


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    folder = tmp_path_factory.mktemp("actors")
    (folder / "actors.json").write_text(json.dumps({
        "actors": [{"name": "Ostravia", "code": "OST", "aliases": ["Ostravian"]}, {"name": "Valdoria", "code": "VAL"}],
        "sources": [{"contains": "Ostravian Ministry", "actor": "Ostravia"}, {"contains": "General Debate", "meta": ["country_iso3"]}],
    }), encoding="utf-8")
    return load_actors(folder)


def _doc(body, meta=None, **given):
    return prepare(RawDocument("d1", body, "d1.txt", given={k: v for k, v in given.items() if v}, meta=meta or {}))


def test_a_transcript_questions_speak_for_no_actor_answers_for_the_ministrys(table):
    doc = _doc(text(QA_STYLE), source=SOURCE, speaker=SPOKESPERSON, title="Press conference")
    spans = attribute(doc, table)
    assert [(s.role, s.speaker, s.actor, s.actor_status, s.answers) for s in spans][:5] == [
        (STATEMENT, SPOKESPERSON, "Ostravia", "inferred", None),
        (QUESTION, None, None, "unknown", None),
        (ANSWER, SPOKESPERSON, "Ostravia", "inferred", 1),
        (QUESTION, None, None, "unknown", None),
        (ANSWER, SPOKESPERSON, "Ostravia", "inferred", 3),
    ]
    passages = chunk_spans(doc.text, spans)
    for p in passages:
        assert sum(1 for s in spans if s.start <= p.char_start and p.char_end <= s.end) == 1
    answer = next(p for p in passages if p.role == ANSWER)
    question = passages[answer.answers]
    assert question.role == QUESTION and answer.question_span == (spans[1].start, spans[1].end)
    assert question.text.startswith("Q: The Selva basin commission")


def test_plain_chunking_would_have_joined_two_speakers():
    # without spans, the short answer "A: No." is a fragment joined to the next question; with spans never
    body = text(["Q: Will the minister go?", "A: No.", "Q: What is the position of Ostravia on the new lanes through the strait?"])
    assert [p.text[:6] for p in chunk(body)] == ["Q: Wil", "A: No."]
    doc = _doc(body, speaker=SPOKESPERSON, title="Briefing")
    assert [p.role for p in chunk_spans(doc.text, attribute(doc))] == [QUESTION, ANSWER, QUESTION]


def test_a_given_actor_overrides_and_a_un_speech_takes_its_country(table):
    doc = _doc(text(STATEMENT_TEXT), meta={"actor": "Valdoria"}, source=SOURCE)
    assert [(s.role, s.actor, s.actor_status) for s in attribute(doc, table)] == [(STATEMENT, "Valdoria", "given")]
    assert attribute(doc, table, given_actor="Ostravian")[0].actor == "Ostravia"
    speech = _doc(text(STATEMENT_TEXT), meta={"country_iso3": "VAL"}, source="UN General Debate", speaker="Ivo Brenn")
    assert [(s.speaker, s.speaker_status, s.actor) for s in attribute(speech, table)] == [("Ivo Brenn", "given", "Valdoria")]


def test_a_report_without_a_government_source_is_read_for_reported_speech(table):
    doc = _doc(text(["The commission met in the capital on Tuesday to discuss the river quotas again.",
                     "The quotas are unfair, Ostravian Foreign Minister Tomas Rell said after the meeting."]), source="Harbor Daily")
    assert [(s.role, s.speaker, s.actor) for s in attribute(doc, table)] == [
        (NARRATION, "Harbor Daily", None), (STATEMENT, "Tomas Rell", "Ostravia")]
    assert attribute(_doc("  \n "), table) == []


def test_named_style_outlets_are_the_askers(table):
    doc = _doc(text(NAMED_STYLE), source=SOURCE, speaker=SPOKESPERSON)
    spans = attribute(doc, table)
    assert [(s.role, s.speaker) for s in spans][:3] == [(STATEMENT, SPOKESPERSON), (QUESTION, "Harbor Daily"), (ANSWER, SPOKESPERSON)]
    assert spans[2].speaker_status == "extracted"


def test_white_house_officials_speak_for_the_united_states_journalists_and_moderators_for_none():
    from tests.test_turns import WHITE_HOUSE

    paragraphs = WHITE_HOUSE[:4] + ["MS. ARDEN: Thank you."] + WHITE_HOUSE[4:]
    doc = _doc(text(paragraphs), source="The White House, Briefing Room", speaker="President Ostby", title="Call")
    spans = attribute(doc)
    rows = [(s.role, s.speaker, s.actor) for s in spans]
    # "Via Teleconference" and the clock line are dropped by cleaning (briefing logistics), so the call opens the spans
    assert rows[0:4] == [(PROCEDURAL, "Moderator", None), (STATEMENT, "Ms. Arden", "United States"),
                         (PROCEDURAL, "Ms. Arden", "United States"), (QUESTION, None, None)]
    assert rows[-1] == (ANSWER, "President Ostby", "United States")  # THE PRESIDENT: in a document by President Ostby
    assert "END 2:31" not in doc.text  # the closing time stamp is briefing logistics, dropped by cleaning


def test_attributed_passages_is_chunk_spans_of_attribute(table):
    from corpus.span_chunking import attributed_passages

    doc = _doc(text(QA_STYLE), source=SOURCE, speaker=SPOKESPERSON, title="Press conference")
    assert attributed_passages(doc, table=table) == chunk_spans(doc.text, attribute(doc, table))
    assert attributed_passages(doc, table=table)[1].role == QUESTION
