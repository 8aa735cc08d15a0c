"""Briefing logistics lines (issue 14 item 7): venue, "Via Teleconference", start and end times, "END".
Whole lines only: a line with anything more is statement text and stays."""
from __future__ import annotations

import json
import re

import pytest

from corpus.cleaning import LOGISTICS, is_boilerplate, is_logistics
from corpus.documents import RawDocument
from corpus.prepare import prepare
from corpus.readers import read_inputs
from tests.conftest import shared_corpus


@pytest.mark.parametrize("line", [
    "Via Teleconference", "via teleconference", "Via Telephone", "11:48 A.M. EST", "1:25 P.M. EDT", "12:26 P.M. EST",
    "9:05 PM", "3:16 P.M. CEST", "12:22 P.M. AKDT", "END", "END 1:43 P.M. CET", "James S. Brady Press Briefing Room",
    "East Room", "East Room, The White House", "The South Lawn", "Oval Office", "Aboard Air Force One",
    "Eisenhower Executive Office Building*", "*Vice President\u2019s Ceremonial Office", "South Court Auditorium",
    "En Route Philadelphia, Pennsylvania", "As Prepared for Delivery", "(As Prepared for Delivery)",
    "  Via Teleconference  ",
])
def test_logistics_lines_are_dropped(line):
    assert is_logistics(line) and is_boilerplate(line)


@pytest.mark.parametrize("line", [
    "Via Teleconference, the minister of Arden told reporters the talks would resume.",
    "At 11:48 A.M. EST the president of Vell arrived.",
    "11:48 A.M. EST: the delegations sit down.",
    "END of the story, the spokesperson said.",
    "The end.",
    "Endless talks bring no water to Osland.",
    "The East Room was full when the envoy spoke.",
    "We met in the Oval Office on Tuesday.",
    "En route to Geneva, the minister said the talks would resume.",
    "en route to peace",
    "The speech, as prepared for delivery, was longer.",
    "MS. JEAN-PIERRE: Go ahead.",
    "Q Thank you.",
    "",
])
def test_statement_lines_with_logistics_words_are_kept(line):
    assert not is_logistics(line) and not is_boilerplate(line)


@pytest.mark.parametrize("line", ["<figure> </figure>", "<!-- -->", '<figure class="wp-block-image"> </figure>', "</table> </figure>"])
def test_markup_only_lines_are_dropped(line):
    assert is_boilerplate(line)


def test_markup_with_text_is_kept():
    assert not is_boilerplate("<p>The treaty of Arden stands.</p>")


def test_a_briefing_keeps_its_statements_and_loses_its_logistics():
    text = ("Via Teleconference\n\n11:48 A.M. EST\n\nMS. LUND: Good morning. The river talks with Vell resume on Monday.\n\n"
            "Q Thank you. Will Osland join?\n\nMS. LUND: Not this week.\n\n12:26 P.M. EST\n\nEND\n")
    doc = prepare(RawDocument("b", text, "b.jsonl:1", given={"title": "Press Briefing by Press Secretary Lund"}))
    assert doc.text == ("MS. LUND: Good morning. The river talks with Vell resume on Monday.\n\n"
                        "Q Thank you. Will Osland join?\n\nMS. LUND: Not this week.")


SENTENCE = re.compile(r"\w+(?:\s+\w+){4,}.*[.?!]$")


def test_on_the_white_house_sample_each_rule_drops_only_whole_logistics_lines():
    path = shared_corpus("whitehouse_sample.jsonl")
    dropped = [0] * len(LOGISTICS)
    for line in open(path, encoding="utf-8"):
        for text_line in json.loads(line)["text"].split("\n"):
            stripped = text_line.strip()
            hit = [i for i, p in enumerate(LOGISTICS) if p.fullmatch(stripped)]
            if hit:
                dropped[hit[0]] += 1
                assert not SENTENCE.match(stripped), stripped  # never a sentence of the statement
                assert len(stripped) <= 60, stripped
    # via teleconference, clock times, END, as prepared for delivery, venues
    assert dropped == [11, 97, 17, 0, 39]
    docs = [prepare(raw) for raw in read_inputs([path])]
    for doc in docs:
        for paragraph in doc.text.split("\n\n"):
            assert not is_logistics(paragraph), (doc.doc_id, paragraph)
    briefing = next(d for d in docs if d.doc_id == "wh-2021-02-19-press-briefing-by-white-house-covid-19-response-team-and-public-health-officials-5")
    assert briefing.text.startswith("ACTING ADMINISTRATOR SLAVITT: Good morning. Thank you for joining our COVID-19 Response briefing.")
    assert briefing.text.endswith("Thank you all, and I hope everybody has a nice weekend.")
