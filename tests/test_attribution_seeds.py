"""The five seeds (news reports of China-US statements): every quoted or reported statement is attributed to the
right speaker and actor. The truth is written here by hand from reading the seeds, sentence by sentence: the
opening words of a sentence (or quotation), who says it, and for which actor (None: speaks for no state).
Sentences not listed are the outlet's narration only where listed with speaker None."""
from __future__ import annotations

import pytest

from corpus.actors import load_actors
from corpus.attribution import attribute
from corpus.documents import RawDocument
from corpus.prepare import prepare
from corpus.readers import read_inputs
from corpus.roles import NARRATION, QUOTE, STATEMENT
from corpus.span_chunking import chunk_spans
from tests.conftest import shared_corpus

XIE, WANG, XI, TRUMP, ZHANG, SU, MFA = "Xie Feng", "Wang Yi", "Xi Jinping", "Donald Trump", "Zhang Yesui", "Su Xiaohui", "the Foreign Ministry"
CN, US = "China", "United States"

TRUTH = {
    "000": [
        ("Beijing and Washington should boost cooperation", XIE, CN),
        ('"For a healthy China-US relationship', XIE, CN),
        ("Xie expressed confidence", XIE, CN),
        ('"Last Friday, [Chinese] President Xi Jinping', XIE, CN),
        ("He also stressed that the year 2025", XIE, CN),
        ('"Eighty years ago', XIE, CN),
        ("According to him", XIE, CN),
        ('"Advancing the stable, healthy', XIE, CN),
        ('"We should not allow disagreements', XIE, CN),
    ],
    "001": [
        ("Chinese State Councilor and Foreign Minister Wang Yi on Monday called", WANG, CN),
        ("Wang made the remarks", None, None),
        ("It is important to respect each other", WANG, CN),
        ("Noting that China has all along respected", WANG, CN),
        ('"We hope the United States will respect', WANG, CN),
        ("He stressed the importance of stepping up dialogue", WANG, CN),
        ("He called on efforts", WANG, CN),
        ('"China is ready to work with the United States', WANG, CN),
    ],
    "002": [
        ("President Xi Jinping held a telephone conversation", None, None),
        ("Trump thanked Xi", TRUMP, US),
        ("In addition, the two heads of state", None, None),
        ('"The two heads of state agreed', MFA, CN),
        ("During the conversation, Xi noted", XI, CN),
        ("He also said that he is willing", XI, CN),
        ("Xi emphasized that", XI, CN),
        ('The two countries "have broad common interests', XI, CN),
        ("Xi noted that it is inevitable", XI, CN),
        ('"The key is to respect', XI, CN),
        ("Trump said he hopes", TRUMP, US),
        ("The U.S. president-elect added", TRUMP, US),
        ("Xi said the Taiwan question", XI, CN),
        ("The essence of China-U.S. economic and trade ties", XI, CN),
        ("The two sides should strengthen cooperation", XI, CN),
        ('Both sides should "keep China and the U.S.', XI, CN),
        ("Also on Friday, the Foreign Ministry announced", MFA, CN),
        ("The statement reiterated", MFA, CN),
        ('"We stand ready to work with the new U.S. government', MFA, CN),
        ("Beijing's announcement of sending Han", "observers", None),
        ("The Xi-Trump phone talks", SU, None),
        ('"Beijing\'s message is clear', SU, None),
        ('"Only with mutual respect', SU, None),
        ("It is unlikely that the ties will be in good shape", SU, None),
    ],
    "003": [
        ("Zhang Yesui, spokesman of China\u2019s National People\u2019s Congress, said", ZHANG, CN),
        ("He stressed that China has always advocated", ZHANG, CN),
        ("Chinese President Xi Jinping and his US counterpart Joe Biden exchanged", ZHANG, CN),
        ("\u201cChina\u2019s policy toward the United States", ZHANG, CN),
        ("\u201cFor a long time, China has advocated", ZHANG, CN),
        ("\u201cIt is normal for China and the US", ZHANG, CN),
        ("Talking about future cooperation and development", ZHANG, CN),
        ("Asked whether China\u2019s defence spending", ZHANG, CN),
        ("He insisted that China is always on the path", ZHANG, CN),
        ("He also pointed out that China\u2019s defense spending", ZHANG, CN),
        ("\u201cTo maintain an appropriate and stable growth", ZHANG, CN),
        ("On Chinese Lunar New Year\u2019s Eve", None, None),
        ("Noting that cooperation between China and the United States", XI, CN),
    ],
    "004": [
        ("Chinese President Xi Jinping on Friday told", XI, CN),
        ("\u201cThe prevailing trend towards peace", XI, CN),
        ("\u201cConflict and confrontation are not in anyone\u2019s interest", XI, CN),
        ("He also called for", XI, CN),
        ("\u201cAs permanent members of the UN Security Council", XI, CN),
        ("Significantly, he also said", XI, CN),
        ("It is not clear whether he is calling", None, None),
        ("The video summit took place", None, None),
        ("Ever since Russia launched military operations", None, None),
        ("On March 7, Chinese Foreign Minister Wang Yi said", WANG, CN),
        ("\u201cNo matter how precarious", WANG, CN),
    ],
}


@pytest.fixture(scope="module")
def seeds():
    folder = shared_corpus("seeds")
    docs = {prepare(r).doc_id[:3]: prepare(r) for r in read_inputs([folder]) if isinstance(r, RawDocument)}
    table = load_actors()
    return {key: (doc, attribute(doc, table)) for key, doc in docs.items()}


def _span_at(doc, spans, opening):
    start = doc.text.index(opening)
    for span in spans:
        if span.start <= start < span.end:
            return span
    raise AssertionError(f"no span holds {opening!r}")


@pytest.mark.parametrize("seed", sorted(TRUTH))
def test_every_reported_statement_has_the_right_speaker_and_actor(seeds, seed):
    doc, spans = seeds[seed]
    got = []
    for opening, speaker, actor in TRUTH[seed]:
        span = _span_at(doc, spans, opening)
        if speaker is None:
            got.append((opening, None if span.role == NARRATION else span.speaker, span.actor, span.role == NARRATION))
        else:
            got.append((opening, span.speaker, span.actor, span.role in (STATEMENT, QUOTE)))
    assert got == [(o, s, a, True) for o, s, a in TRUTH[seed]]


def test_narration_is_the_outlets_and_spans_do_not_overlap(seeds):
    doc, spans = seeds["002"]
    narration = _span_at(doc, spans, "In addition, the two heads of state")
    assert (narration.speaker, narration.speaker_status, narration.actor) == ("China Daily", "extracted", None)
    for seed, (doc, spans) in seeds.items():
        assert all(a.end <= b.start for a, b in zip(spans, spans[1:])), seed


def test_passages_stay_inside_one_speakers_span(seeds):
    doc, spans = seeds["002"]
    passages = chunk_spans(doc.text, spans)
    for p in passages:
        holders = [s for s in spans if s.start <= p.char_start and p.char_end <= s.end]
        assert len(holders) == 1 and (p.speaker, p.actor, p.role) == (holders[0].speaker, holders[0].actor, holders[0].role)
        assert p.text == doc.text[p.char_start : p.char_end]
    assert {p.speaker for p in passages} >= {XI, TRUMP, MFA, SU, "China Daily"}
